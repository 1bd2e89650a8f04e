//! The server's configuration: [`Options`], the command line as clap reads it (flags and their
//! environment variables), made into [`Config`], what the server reads.

use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    pub port: u16,
    /// The address to listen on: loopback by default; `0.0.0.0` (or one interface's address) when
    /// a load balancer in front forwards to several instances.
    pub bind: std::net::IpAddr,
    /// `postgres://…`: the database shared by every instance. Without it, the embedded SQLite
    /// database in `data_dir`.
    pub database_url: Option<String>,
    /// How this instance's claims on emails name it (default `<host name>:<port>`): an instance
    /// restarted under the same id settles its own interrupted sends at once.
    pub instance_id: Option<String>,
    /// How long after its last heartbeat an instance counts as gone, its sends settled by others.
    pub instance_lease_secs: u64,
    /// Holds `command-center.sqlite3` (and later the outbox of sent mail).
    pub data_dir: PathBuf,
    /// The built SPA (trunk's `dist/`); served with a fallback to its `index.html`.
    pub dist_dir: PathBuf,
    /// Fill a new, empty database with demo reps, people and emails.
    pub demo: bool,
    /// `smtp://host:port` (plain) or `smtps://user:pass@host:port` (TLS). Without it, sent mail is
    /// written as `.eml` files to `<data_dir>/outbox`.
    pub smtp_url: Option<String>,
    /// After the SMTP server defers an email (4xx), the waits in seconds before each new
    /// attempt; once spent, the email fails with the server's reply.
    pub smtp_retry_secs: Vec<u64>,
    /// The mailbox where replies, bounces and abuse reports arrive:
    /// `imaps://user:pass@host[:port]/MAILBOX` (or `imap://` without TLS, for a local server).
    pub imap_url: Option<String>,
    /// The address bounces should go to, e.g. `bounce@example.com`: each email's return path is
    /// then `bounce+<token>@example.com`, so a bounce names its email (VERP). That mailbox
    /// should reach the one `imap_url` reads.
    pub bounce_address: Option<String>,
    /// Without IDLE, how often the mailbox is looked at, in seconds.
    pub imap_poll_secs: u64,
    /// Where the server reads the time: the wall clock, or one an API test drives (then the test
    /// runs the sender too, `Application::sender`).
    pub clock: crate::time::Clock,
    /// Whether reps' own mailboxes may be on loopback or private networks (a company's mail
    /// server inside its network); off, the server connects for reps only to the internet.
    pub private_rep_mailboxes: bool,
    /// Shared secret of the delivery webhook's HMAC-SHA256 signature; without it the webhook
    /// refuses every call.
    pub webhook_secret: Option<String>,
    /// How recipients reach this server, for tracking pixel and click URLs
    /// (default `http://127.0.0.1:<port>`).
    pub public_url: Option<String>,
    /// How often the sender looks for due emails, in milliseconds.
    pub sender_interval_ms: u64,
    /// Origins (`https://portal.example.com`) whose pages may call the API from the browser: the
    /// SPA hosted as static files elsewhere, or embedded in a portal.
    pub cors_origins: Vec<String>,
    /// The domain of every Message-ID (default: the sending rep's address's domain).
    pub message_id_domain: Option<String>,
    /// Sign every message with DKIM.
    pub dkim: Option<DkimSettings>,
    /// A click this soon after delivery, on an email with no view yet, is a mail scanner
    /// following links, not the prospect: answered, not counted. Zero counts every click.
    pub link_scan_window_secs: u64,
    /// Origins whose pages may show the app in a frame (a portal); the app's own origin always may.
    pub frame_ancestors: Vec<String>,
    /// How long one search may run before it is stopped and answered 503.
    pub query_time_limit_ms: u64,
    /// How long any request but the live stream and the import may take, its body included.
    pub request_time_limit_ms: u64,
    /// Behind a load balancer: the header whose last address is the client's (`X-Forwarded-For`),
    /// for the limits kept per client address. Without it, the TCP peer's address.
    pub client_ip_header: Option<String>,
    /// Signed portal embedding: the HS256 secret a portal's server signs its tokens with.
    pub embed_secret: Option<String>,
    /// Signed portal embedding: the portal's JWKS URL, for RS256 / ES256 tokens.
    pub embed_jwks_url: Option<String>,
    /// A user unknown here who signs in through a portal's token is created as a rep in this
    /// team (made if missing); without it, they are refused.
    pub provision_team: Option<String>,
    /// The file of the keys that seal reps' mailbox passwords and sign links (`crate::secrets`);
    /// without it, SQLite keeps one in `DATA_DIR/secret`, and PostgreSQL refuses to start.
    pub secret_file: Option<PathBuf>,
    /// The email domains whose users may be provisioned into `provision_team`: through single
    /// sign-on only these (a provider's other accounts are refused); through a portal, only
    /// these when any are given.
    pub provision_domains: Vec<String>,
    /// OpenID Connect sign-in: the provider's issuer URL, this server's client id and secret.
    pub oidc: Option<OidcSettings>,
    /// Whether users may sign in with a password here (off when every user comes through the
    /// identity provider).
    pub password_sign_in: bool,
}

#[derive(Clone, Debug)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Clone, Debug)]
pub struct DkimSettings {
    /// The key's name in DNS: `<selector>._domainkey.<domain>`.
    pub selector: String,
    /// The signing domain (`d=`), that of the reps' From addresses.
    pub domain: String,
    /// RSA as PKCS#1 PEM, or Ed25519 as its 32 bytes in base64.
    pub key: PathBuf,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            port: 8080,
            bind: std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            database_url: None,
            instance_id: None,
            instance_lease_secs: 30,
            data_dir: PathBuf::from("data"),
            dist_dir: PathBuf::from("dist"),
            demo: false,
            smtp_url: None,
            smtp_retry_secs: vec![60, 300, 900, 3600],
            imap_url: None,
            bounce_address: None,
            imap_poll_secs: 60,
            private_rep_mailboxes: false,
            clock: crate::time::Clock::wall(),
            webhook_secret: None,
            public_url: None,
            sender_interval_ms: 1000,
            cors_origins: Vec::new(),
            message_id_domain: None,
            dkim: None,
            link_scan_window_secs: 10,
            frame_ancestors: Vec::new(),
            query_time_limit_ms: 5_000,
            request_time_limit_ms: 30_000,
            client_ip_header: None,
            embed_secret: None,
            embed_jwks_url: None,
            provision_team: None,
            secret_file: None,
            provision_domains: Vec::new(),
            oidc: None,
            password_sign_in: true,
        }
    }
}

/// The server's command line: one declaration per option, its flag, its environment variable,
/// its default and its help (`--help`). Flags win over environment variables, which win over
/// defaults. [`Config`] is what the rest of the server reads, made from these.
#[derive(clap::Parser, Debug)]
#[command(
    name = "command-center-server",
    version,
    about = "Command Center's server: the REST API, the sender, tracking and the built app.",
    args_conflicts_with_subcommands = true
)]
pub struct Options {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeOptions,
}

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Copy a SQLite database (DATA_DIR/command-center.sqlite3) into an empty PostgreSQL
    /// database, comparing every table's row count at the end.
    CopyDatabase {
        /// The SQLite file.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The empty PostgreSQL database.
        #[arg(long, value_name = "URL", value_parser = parse_database_url)]
        to: String,
    },
    /// Print the DNS TXT record that publishes a DKIM key's public half.
    DkimRecord {
        #[command(flatten)]
        dkim: DkimOptions,
    },
}

#[derive(clap::Args, Debug, Default)]
pub struct DkimOptions {
    /// Sign every message with DKIM: the key's name in DNS (<S>._domainkey.<D>).
    #[arg(long = "dkim-selector", env = "DKIM_SELECTOR", value_name = "S")]
    selector: Option<String>,
    /// The signing domain (d=), that of the reps' From addresses.
    #[arg(long = "dkim-domain", env = "DKIM_DOMAIN", value_name = "D")]
    domain: Option<String>,
    /// The key: RSA as PKCS#1 PEM, or Ed25519 as its 32 bytes in base64.
    #[arg(long = "dkim-key", env = "DKIM_KEY", value_name = "FILE")]
    key: Option<PathBuf>,
}

impl DkimOptions {
    /// All three or none.
    pub fn settings(self) -> Result<Option<DkimSettings>, String> {
        match (self.selector, self.domain, self.key) {
            (Some(selector), Some(domain), Some(key)) => Ok(Some(DkimSettings {
                selector,
                domain,
                key,
            })),
            (None, None, None) => Ok(None),
            _ => {
                Err("DKIM needs all three of --dkim-selector, --dkim-domain and --dkim-key".into())
            }
        }
    }
}

/// Seconds between attempts, as `--smtp-retries` gives them.
#[derive(Clone, Debug)]
pub struct Waits(Vec<u64>);

#[derive(clap::Args, Debug)]
pub struct ServeOptions {
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "PORT", value_name = "N", default_value_t = 8080, value_parser = parse_port)]
    port: u16,
    /// Address to listen on; 0.0.0.0 for every interface (behind a load balancer).
    #[arg(long, env = "BIND", value_name = "ADDR", default_value = "127.0.0.1", value_parser = parse_bind)]
    bind: std::net::IpAddr,
    /// Where the SQLite database, its secret and the outbox directory live.
    #[arg(
        long = "data-dir",
        env = "DATA_DIR",
        value_name = "DIR",
        default_value = "data"
    )]
    data_dir: PathBuf,
    /// postgres://user:pass@host:port/db, PostgreSQL 14 or later, shared by every instance
    /// (default: SQLite in DATA_DIR).
    #[arg(long = "database-url", env = "DATABASE_URL", hide_env_values = true, value_name = "URL", value_parser = parse_database_url)]
    database_url: Option<String>,
    /// This instance's name on the emails it is sending (default HOST:PORT); keep it across
    /// restarts.
    #[arg(long = "instance-id", env = "INSTANCE_ID", value_name = "NAME")]
    instance_id: Option<String>,
    /// An instance silent this long counts as gone; the others settle its interrupted sends.
    #[arg(long = "instance-lease", env = "INSTANCE_LEASE", value_name = "SECS", default_value_t = 30, value_parser = parse_lease)]
    instance_lease: u64,
    /// The built SPA, served with a fallback to its index.html.
    #[arg(
        long = "dist",
        env = "DIST_DIR",
        value_name = "DIR",
        default_value = "dist"
    )]
    dist_dir: PathBuf,
    /// Seed demo data into a new, empty database.
    #[arg(long, env = "DEMO", value_parser = clap::builder::BoolishValueParser::new())]
    demo: bool,
    /// Send through SMTP (smtp://host:port, smtps://user:pass@host); default: .eml files in
    /// DATA_DIR/outbox.
    #[arg(
        long = "smtp-url",
        env = "SMTP_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    smtp_url: Option<String>,
    /// After a deferral (SMTP 4xx), the waits in seconds before each new attempt; a refusal
    /// (5xx) is a bounce.
    #[arg(long = "smtp-retries", env = "SMTP_RETRIES", value_name = "SECS,...", default_value = "60,300,900,3600", value_parser = parse_waits)]
    smtp_retries: Waits,
    /// Read replies, bounces and abuse reports from a mailbox (imaps://user:pass@host/INBOX);
    /// nothing in it is moved or deleted.
    #[arg(long = "imap-url", env = "IMAP_URL", hide_env_values = true, value_name = "URL", value_parser = parse_imap_url)]
    imap_url: Option<String>,
    /// Each email's return path becomes A with +TOKEN added to its local part, so that a
    /// bounce names its email.
    #[arg(long = "bounce-address", env = "BOUNCE_ADDRESS", value_name = "A", value_parser = parse_bounce_address)]
    bounce_address: Option<String>,
    /// Without IMAP IDLE, how often to look at the mailbox, in seconds.
    #[arg(long = "imap-poll", env = "IMAP_POLL", value_name = "SECS", default_value_t = 60, value_parser = parse_secs)]
    imap_poll: u64,
    /// Let reps set their own mailbox on loopback or a private network (default: only servers
    /// on the internet).
    #[arg(long = "private-rep-mailboxes", env = "PRIVATE_REP_MAILBOXES", value_parser = clap::builder::BoolishValueParser::new())]
    private_rep_mailboxes: bool,
    /// HMAC secret of the delivery webhook; without it the webhook refuses every call.
    #[arg(
        long = "webhook-secret",
        env = "WEBHOOK_SECRET",
        hide_env_values = true,
        value_name = "S"
    )]
    webhook_secret: Option<String>,
    /// How recipients reach this server, for tracking links (default http://127.0.0.1:PORT).
    #[arg(long = "public-url", env = "PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// An origin whose pages may call the API, e.g. https://portal.example.com; repeatable
    /// (the variable comma-separated).
    #[arg(long = "cors-origin", env = "CORS_ORIGINS", value_name = "URL", value_delimiter = ',', value_parser = parse_origin)]
    cors_origins: Vec<String>,
    /// The domain of Message-IDs (default: the sending rep's address's domain).
    #[arg(
        long = "message-id-domain",
        env = "MESSAGE_ID_DOMAIN",
        value_name = "D"
    )]
    message_id_domain: Option<String>,
    #[command(flatten)]
    dkim: DkimOptions,
    /// A click this soon after delivery, on an email nobody has viewed, is a mail scanner's
    /// and is not counted; 0 counts every click.
    #[arg(long = "link-scan-window", env = "LINK_SCAN_WINDOW", value_name = "SECS", default_value_t = 10, value_parser = parse_secs)]
    link_scan_window: u64,
    /// An origin whose pages may show the app in a frame; repeatable (the variable
    /// comma-separated; default: only the app's own origin).
    #[arg(long = "frame-ancestor", env = "FRAME_ANCESTORS", value_name = "URL", value_delimiter = ',', value_parser = parse_origin)]
    frame_ancestors: Vec<String>,
    /// Stop a search that runs longer and answer 503, in milliseconds.
    #[arg(long = "query-time-limit", env = "QUERY_TIME_LIMIT", value_name = "MS", default_value_t = 5_000, value_parser = parse_ms)]
    query_time_limit: u64,
    /// Stop any other request that runs longer, reading its body included, and answer 503, in
    /// milliseconds; not the live stream or an import.
    #[arg(long = "request-time-limit", env = "REQUEST_TIME_LIMIT", value_name = "MS", default_value_t = 30_000, value_parser = parse_ms)]
    request_time_limit: u64,
    /// Behind a load balancer, the header whose last address is the client's, e.g.
    /// X-Forwarded-For (default: the TCP peer).
    #[arg(
        long = "client-ip-header",
        env = "CLIENT_IP_HEADER",
        value_name = "NAME"
    )]
    client_ip_header: Option<String>,
    /// Portals may sign users in with an HS256 token signed with S (README "Embed it").
    #[arg(
        long = "embed-secret",
        env = "EMBED_SECRET",
        hide_env_values = true,
        value_name = "S"
    )]
    embed_secret: Option<String>,
    /// Portals may sign users in with RS256 / ES256 tokens whose keys this JWKS URL publishes
    /// (https; http only on loopback).
    #[arg(long = "embed-jwks-url", env = "EMBED_JWKS_URL", value_name = "URL", value_parser = parse_jwks_url)]
    embed_jwks_url: Option<String>,
    /// A user unknown here who signs in through a portal or single sign-on is created as a rep
    /// in this team (default: refused).
    #[arg(long = "provision-team", env = "PROVISION_TEAM", value_name = "NAME")]
    provision_team: Option<String>,
    /// The keys that seal reps' mailbox passwords, one per line, newest first (default:
    /// DATA_DIR/secret on SQLite; PostgreSQL needs it, the same file on every instance).
    #[arg(long = "secret-file", env = "SECRET_FILE", value_name = "FILE")]
    secret_file: Option<PathBuf>,
    /// Only users whose verified email is in domain D are provisioned; repeatable (the variable
    /// comma-separated); single sign-on provisions no one without it.
    #[arg(long = "provision-domain", env = "PROVISION_DOMAINS", value_name = "D", value_delimiter = ',', value_parser = parse_domain)]
    provision_domains: Vec<String>,
    /// Sign in through this OpenID provider; its redirect URI is
    /// PUBLIC_URL/api/v1/auth/oidc/callback.
    #[arg(long = "oidc-issuer", env = "OIDC_ISSUER", value_name = "URL", value_parser = parse_issuer)]
    oidc_issuer: Option<String>,
    /// This server's client id at the OpenID provider.
    #[arg(long = "oidc-client-id", env = "OIDC_CLIENT_ID", value_name = "ID")]
    oidc_client_id: Option<String>,
    /// This server's client secret at the OpenID provider.
    #[arg(
        long = "oidc-client-secret",
        env = "OIDC_CLIENT_SECRET",
        hide_env_values = true,
        value_name = "S"
    )]
    oidc_client_secret: Option<String>,
    /// Only the OpenID provider signs users in (the variable: PASSWORD_SIGN_IN=off).
    #[arg(long = "no-password-sign-in", env = "PASSWORD_SIGN_IN", action = clap::ArgAction::SetFalse, value_parser = clap::builder::BoolishValueParser::new())]
    password_sign_in: bool,
}

impl TryFrom<ServeOptions> for Config {
    type Error = String;

    /// The options that go together, checked together.
    fn try_from(options: ServeOptions) -> Result<Self, String> {
        let given = |value: Option<String>| value.filter(|v| !v.is_empty());
        let oidc = match (
            given(options.oidc_issuer),
            given(options.oidc_client_id),
            given(options.oidc_client_secret),
        ) {
            (Some(issuer), Some(client_id), Some(client_secret)) => Some(OidcSettings {
                issuer,
                client_id,
                client_secret,
            }),
            (None, None, None) => None,
            _ => {
                return Err("OpenID Connect needs all three of --oidc-issuer, --oidc-client-id and --oidc-client-secret".into())
            }
        };
        if !options.password_sign_in && oidc.is_none() {
            return Err("--no-password-sign-in needs an OpenID provider (--oidc-issuer …)".into());
        }
        Ok(Config {
            port: options.port,
            bind: options.bind,
            database_url: options.database_url,
            instance_id: given(options.instance_id),
            instance_lease_secs: options.instance_lease,
            data_dir: options.data_dir,
            dist_dir: options.dist_dir,
            demo: options.demo,
            smtp_url: given(options.smtp_url),
            smtp_retry_secs: options.smtp_retries.0,
            imap_url: options.imap_url,
            bounce_address: options.bounce_address,
            imap_poll_secs: options.imap_poll,
            private_rep_mailboxes: options.private_rep_mailboxes,
            clock: crate::time::Clock::wall(),
            webhook_secret: given(options.webhook_secret),
            public_url: given(options.public_url),
            sender_interval_ms: Config::default().sender_interval_ms,
            cors_origins: options.cors_origins,
            message_id_domain: given(options.message_id_domain),
            dkim: options.dkim.settings()?,
            link_scan_window_secs: options.link_scan_window,
            frame_ancestors: options.frame_ancestors,
            query_time_limit_ms: options.query_time_limit,
            request_time_limit_ms: options.request_time_limit,
            client_ip_header: given(options.client_ip_header),
            embed_secret: given(options.embed_secret),
            embed_jwks_url: options.embed_jwks_url,
            provision_team: given(options.provision_team),
            secret_file: options.secret_file,
            provision_domains: options.provision_domains,
            oidc,
            password_sign_in: options.password_sign_in,
        })
    }
}

impl Config {
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("command-center.sqlite3")
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// Reads the server's flags (and their environment variables), without a subcommand.
    /// Errors say which flag is wrong.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        use clap::Parser;
        let options = Options::try_parse_from(
            std::iter::once("command-center-server".to_owned()).chain(args),
        )
        .map_err(|e| e.to_string())?;
        if options.command.is_some() {
            return Err("a subcommand is not a server's option".into());
        }
        Config::try_from(options.serve)
    }
}

fn parse_issuer(text: &str) -> Result<String, String> {
    url::Url::parse(text).map_err(|e| format!("`{text}`: {e}"))?;
    Ok(text.to_owned())
}

/// A JWKS URL: https, or http on loopback (a portal's keys must not be read in the clear).
fn parse_jwks_url(text: &str) -> Result<String, String> {
    let url = url::Url::parse(text).map_err(|e| format!("--embed-jwks-url `{text}`: {e}"))?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => Ok(text.to_owned()),
        "http" if loopback => Ok(text.to_owned()),
        _ => Err(format!(
            "--embed-jwks-url `{text}` must be https (http only on loopback)"
        )),
    }
}

/// An origin as browsers send it: scheme and host (and port), no path, no trailing slash.
/// An email domain as written after the `@`: lower-cased, letters, digits, dots and hyphens.
fn parse_domain(text: &str) -> Result<String, String> {
    let domain = text.trim().trim_start_matches('@').to_ascii_lowercase();
    let fine = !domain.is_empty()
        && domain.len() <= 253
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if fine {
        Ok(domain)
    } else {
        Err(format!(
            "`{text}` is not an email domain; give it as example.com"
        ))
    }
}

fn parse_origin(text: &str) -> Result<String, String> {
    let text = text.trim();
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => {
            Ok(text.to_owned())
        }
        _ => Err(format!(
            "`{text}` is not an origin; give scheme and host, like https://portal.example.com"
        )),
    }
}

fn parse_bind(text: &str) -> Result<std::net::IpAddr, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not an IP address to listen on, like 0.0.0.0"))
}

/// Only PostgreSQL is named by URL; SQLite is the default and lives in the data directory.
fn parse_database_url(text: &str) -> Result<String, String> {
    if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        Ok(text.to_owned())
    } else {
        Err(
            "--database-url takes a postgres:// URL; without it the server keeps SQLite in \
             --data-dir"
                .into(),
        )
    }
}

fn parse_lease(text: &str) -> Result<u64, String> {
    match text.parse() {
        Ok(secs) if secs > 0 => Ok(secs),
        _ => Err(format!(
            "`{text}` is not a lease: give a number of seconds, at least 1"
        )),
    }
}

fn parse_ms(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a number of milliseconds"))
}

fn parse_secs(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))
}

fn parse_bounce_address(text: &str) -> Result<String, String> {
    crate::outbox::mail::ReturnPath::parse(text)?;
    Ok(text.to_owned())
}

fn parse_imap_url(text: &str) -> Result<String, String> {
    crate::mailbox::Account::parse(text)?;
    Ok(text.to_owned())
}

/// Seconds, comma-separated (none at all: a deferral fails at once).
fn parse_waits(text: &str) -> Result<Waits, String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(parse_secs)
        .collect::<Result<_, _>>()
        .map(Waits)
}

fn parse_port(text: &str) -> Result<u16, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a port number (0-65535)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        Config::from_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags_set_port_data_dir_and_demo() {
        let config = parse(&["--port", "9000", "--data-dir", "/tmp/x", "--demo"]).unwrap();
        assert_eq!(config.port, 9000);
        assert_eq!(
            config.database_path(),
            PathBuf::from("/tmp/x/command-center.sqlite3")
        );
        assert!(config.demo);
    }

    #[test]
    fn bad_flags_are_named() {
        assert!(parse(&["--port", "http"]).unwrap_err().contains("http"));
        assert!(parse(&["--port"]).unwrap_err().contains("--port"));
        assert!(parse(&["--colour"]).unwrap_err().contains("--colour"));
        assert!(parse(&["--bind", "example.com"])
            .unwrap_err()
            .contains("example.com"));
        assert!(parse(&["--database-url", "mysql://x"])
            .unwrap_err()
            .contains("postgres://"));
    }

    #[test]
    fn bind_and_database_url() {
        let config = parse(&["--bind", "0.0.0.0", "--database-url", "postgres://u@h/db"]).unwrap();
        assert_eq!(config.bind.to_string(), "0.0.0.0");
        assert_eq!(config.database_url.as_deref(), Some("postgres://u@h/db"));
        assert!(parse(&[]).unwrap().bind.is_loopback());
    }

    #[test]
    fn smtp_retries_are_seconds_separated_by_commas() {
        assert_eq!(parse(&[]).unwrap().smtp_retry_secs, [60, 300, 900, 3600]);
        let config = parse(&["--smtp-retries", "5, 30"]).unwrap();
        assert_eq!(config.smtp_retry_secs, [5, 30]);
        assert!(parse(&["--smtp-retries", ""])
            .unwrap()
            .smtp_retry_secs
            .is_empty());
        assert!(parse(&["--smtp-retries", "5,soon"]).is_err());
    }

    /// The README's configuration table has a row for every option, naming its variable and
    /// its default; and every flag it names is one.
    #[test]
    fn the_readmes_table_is_the_options() {
        use clap::CommandFactory;
        let readme = include_str!("../../README.md");
        let rows: Vec<&str> = readme
            .lines()
            .skip_while(|line| !line.starts_with("## Configuration"))
            .take_while(|line| !line.starts_with("## Running at scale"))
            .filter(|line| line.starts_with("| `--"))
            .collect();
        let command = Options::command();
        let mut longs = Vec::new();
        for arg in command.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if long == "help" || long == "version" {
                continue;
            }
            longs.push(long.to_owned());
            let flag = format!("--{long}");
            let row = rows
                .iter()
                .find(|row| {
                    let first = row.split('|').nth(1).unwrap_or_default();
                    first
                        .split(|c: char| c == '`' || c.is_whitespace())
                        .any(|word| word == flag)
                })
                .unwrap_or_else(|| {
                    panic!("the README's configuration table has no row for {flag}")
                });
            let cells: Vec<&str> = row.split('|').collect();
            if let Some(env) = arg.get_env() {
                let env = env.to_str().unwrap();
                assert!(
                    cells[2].contains(env),
                    "{flag}: the README's row does not name {env}"
                );
            }
            for default in arg.get_default_values() {
                let default = default.to_str().unwrap();
                assert!(
                    cells[3].contains(default),
                    "{flag}: the README's row does not give its default {default}"
                );
            }
        }
        for row in rows {
            let first = row.split('|').nth(1).unwrap();
            for word in first.split(|c: char| c == '`' || c.is_whitespace()) {
                if let Some(long) = word.strip_prefix("--") {
                    assert!(
                        longs.iter().any(|l| l == long),
                        "the README names --{long}, no option"
                    );
                }
            }
        }
    }

    #[test]
    fn variables_and_switches() {
        let config = parse(&[
            "--no-password-sign-in",
            "--oidc-issuer",
            "https://id.example",
            "--oidc-client-id",
            "cc",
            "--oidc-client-secret",
            "s",
        ])
        .unwrap();
        assert!(!config.password_sign_in);
        assert!(parse(&[]).unwrap().password_sign_in);
        assert!(parse(&["--no-password-sign-in"])
            .unwrap_err()
            .contains("OpenID"));
        assert!(parse(&["--oidc-issuer", "https://id.example"])
            .unwrap_err()
            .contains("all three"));
        assert!(parse(&["--dkim-selector", "s1"])
            .unwrap_err()
            .contains("all three"));
        let config = parse(&[
            "--provision-domain",
            "Example.com",
            "--provision-domain",
            "b.example",
        ])
        .unwrap();
        assert_eq!(config.provision_domains, ["example.com", "b.example"]);
        assert_eq!(parse(&[]).unwrap().request_time_limit_ms, 30_000);
    }

    #[test]
    fn cors_origins_repeat_and_must_be_origins() {
        let config = parse(&[
            "--cors-origin",
            "https://portal.example.com",
            "--cors-origin",
            "http://127.0.0.1:8001",
        ])
        .unwrap();
        assert_eq!(
            config.cors_origins,
            ["https://portal.example.com", "http://127.0.0.1:8001"]
        );
        for bad in ["portal.example.com", "https://portal.example.com/app", "*"] {
            assert!(parse(&["--cors-origin", bad]).unwrap_err().contains(bad));
        }
    }
}
