//! Command-line configuration. Flags win over environment variables, which win over defaults.

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

pub const USAGE: &str = "\
command-center-server [--port N] [--data-dir DIR] [--dist DIR] [--demo]

  --port N        port to listen on (env PORT; default 8080; 0 picks a free one)
  --bind ADDR     address to listen on (env BIND; default 127.0.0.1; 0.0.0.0 for every interface)
  --data-dir DIR  where the SQLite database, the secret and the outbox live (env DATA_DIR;
                  default ./data)
  --database-url URL  postgres://user:pass@host:port/db: PostgreSQL 14 or later, shared by
                  several instances (env DATABASE_URL; default: SQLite in DATA_DIR)
  --instance-id NAME  this instance's name in its claims on emails to send (env INSTANCE_ID;
                  default HOST:PORT); keep it across restarts
  --instance-lease SECS  an instance silent this long counts as gone, and the others settle
                  its interrupted sends (env INSTANCE_LEASE; default 30)
  --dist DIR      the built SPA to serve (env DIST_DIR; default ./dist)
  --demo          seed demo data into a new database (env DEMO=1)
  --smtp-url URL  send through SMTP, smtp://host:port or smtps://user:pass@host (env SMTP_URL);
                  default: .eml files in DATA_DIR/outbox
  --smtp-retries SECS,...  after a deferral (SMTP 4xx), the waits before each new attempt
                  (env SMTP_RETRIES; default 60,300,900,3600); a refusal (5xx) is a bounce
  --imap-url URL  read replies, bounces and abuse reports from a mailbox:
                  imaps://user:pass@host/INBOX (env IMAP_URL); nothing in it is moved or deleted
  --bounce-address A  each email's return path becomes A with +TOKEN added to its local part,
                  so that a bounce names its email (env BOUNCE_ADDRESS)
  --imap-poll SECS  without IMAP IDLE, how often to look (env IMAP_POLL; default 60)
  --private-rep-mailboxes  let reps set mailboxes on loopback or private networks
                  (env PRIVATE_REP_MAILBOXES=1); by default only servers on the internet
  --webhook-secret S  HMAC secret of the delivery webhook (env WEBHOOK_SECRET)
  --public-url URL    base URL of tracking links (env PUBLIC_URL; default http://127.0.0.1:PORT)
  --cors-origin URL   an origin whose pages may call the API, e.g. https://portal.example.com;
                      repeatable (env CORS_ORIGINS, comma-separated)
  --message-id-domain D  the domain of Message-IDs (env MESSAGE_ID_DOMAIN; default: the rep's)
  --dkim-selector S --dkim-domain D --dkim-key FILE
                      sign every message with DKIM (env DKIM_SELECTOR, DKIM_DOMAIN, DKIM_KEY);
                      FILE: RSA as PKCS#1 PEM, or Ed25519 as 32 bytes in base64
  --link-scan-window SECS  a click this soon after delivery with no view is a mail scanner's,
                      not counted (env LINK_SCAN_WINDOW; default 10; 0 counts every click)
  --frame-ancestor URL  an origin whose pages may embed the app in a frame; repeatable
                      (env FRAME_ANCESTORS, comma-separated; default: only the app's own origin)
  --query-time-limit MS  stop a search that runs longer and answer 503 (env QUERY_TIME_LIMIT;
                      default 5000)
  --request-time-limit MS  stop any other request that runs longer, reading its body
                      included, and answer 503; not the live stream or an import
                      (env REQUEST_TIME_LIMIT; default 30000)
  --client-ip-header NAME  behind a load balancer, the header whose last address is the
                      client's, e.g. X-Forwarded-For (env CLIENT_IP_HEADER; default: the peer)
  --embed-secret S    portals may sign users in with an HS256 token signed with S
                      (env EMBED_SECRET; see README \"Embed it\")
  --embed-jwks-url URL  portals may sign users in with RS256 / ES256 tokens whose keys this
                      JWKS URL publishes (env EMBED_JWKS_URL)
  --provision-team NAME  a user unknown here who signs in through a portal or single sign-on
                      is created as a rep in this team (env PROVISION_TEAM; default: refused)
  --secret-file FILE  the keys that seal reps' mailbox passwords, one per line, newest first
                      (env SECRET_FILE; default: DATA_DIR/secret on SQLite; PostgreSQL
                      needs it, the same file on every instance)
  --provision-domain D  only users whose verified email is in domain D are provisioned;
                      repeatable (env PROVISION_DOMAINS, comma-separated); single sign-on
                      provisions no one without it
  --oidc-issuer URL --oidc-client-id ID --oidc-client-secret S
                      sign in through an OpenID provider (env OIDC_ISSUER, OIDC_CLIENT_ID,
                      OIDC_CLIENT_SECRET); its redirect URI is PUBLIC_URL/api/v1/auth/oidc/callback;
                      unknown users are provisioned with --provision-team, else refused
  --no-password-sign-in  only the OpenID provider signs users in (env PASSWORD_SIGN_IN=off)
  copy-database --from FILE --to URL
                      copy a SQLite database (DATA_DIR/command-center.sqlite3) into an empty
                      PostgreSQL database, comparing every table's row count at the end
  dkim-record --dkim-selector S --dkim-domain D --dkim-key FILE
                      print the DNS TXT record that publishes the key's public half";

impl Config {
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("command-center.sqlite3")
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// Reads flags (and their environment variables). Errors say which flag is wrong.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut config = Config::default();
        if let Ok(port) = std::env::var("PORT") {
            config.port = parse_port(&port)?;
        }
        if let Ok(bind) = std::env::var("BIND") {
            config.bind = parse_bind(&bind)?;
        }
        if let Ok(url) = std::env::var("DATABASE_URL") {
            config.database_url = Some(parse_database_url(&url)?);
        }
        config.instance_id = std::env::var("INSTANCE_ID").ok();
        if let Ok(secs) = std::env::var("INSTANCE_LEASE") {
            config.instance_lease_secs = parse_lease(&secs)?;
        }
        if let Ok(dir) = std::env::var("DATA_DIR") {
            config.data_dir = dir.into();
        }
        if let Ok(dir) = std::env::var("DIST_DIR") {
            config.dist_dir = dir.into();
        }
        config.demo = std::env::var("DEMO").is_ok_and(|v| v == "1" || v == "true");
        config.private_rep_mailboxes =
            std::env::var("PRIVATE_REP_MAILBOXES").is_ok_and(|v| v == "1" || v == "true");
        config.smtp_url = std::env::var("SMTP_URL").ok();
        if let Ok(url) = std::env::var("IMAP_URL") {
            config.imap_url = Some(parse_imap_url(&url)?);
        }
        if let Ok(address) = std::env::var("BOUNCE_ADDRESS") {
            config.bounce_address = Some(parse_bounce_address(&address)?);
        }
        if let Ok(secs) = std::env::var("IMAP_POLL") {
            config.imap_poll_secs = parse_secs(&secs)?;
        }
        if let Ok(waits) = std::env::var("SMTP_RETRIES") {
            config.smtp_retry_secs = parse_waits(&waits)?;
        }
        config.webhook_secret = std::env::var("WEBHOOK_SECRET").ok();
        config.public_url = std::env::var("PUBLIC_URL").ok();
        if let Ok(origins) = std::env::var("CORS_ORIGINS") {
            for origin in origins.split(',').filter(|o| !o.trim().is_empty()) {
                config.cors_origins.push(parse_origin(origin.trim())?);
            }
        }
        if let Ok(origins) = std::env::var("FRAME_ANCESTORS") {
            for origin in origins.split(',').filter(|o| !o.trim().is_empty()) {
                config.frame_ancestors.push(parse_origin(origin.trim())?);
            }
        }
        config.client_ip_header = std::env::var("CLIENT_IP_HEADER").ok();
        config.embed_secret = std::env::var("EMBED_SECRET").ok().filter(|s| !s.is_empty());
        if let Ok(url) = std::env::var("EMBED_JWKS_URL") {
            config.embed_jwks_url = Some(parse_jwks_url(&url)?);
        }
        config.provision_team = std::env::var("PROVISION_TEAM")
            .ok()
            .filter(|s| !s.is_empty());
        if let Ok(file) = std::env::var("SECRET_FILE") {
            config.secret_file = Some(PathBuf::from(file));
        }
        if let Ok(domains) = std::env::var("PROVISION_DOMAINS") {
            for domain in domains.split(',').filter(|d| !d.trim().is_empty()) {
                config.provision_domains.push(parse_domain(domain.trim())?);
            }
        }
        config.password_sign_in = std::env::var("PASSWORD_SIGN_IN").map_or(true, |v| v != "off");
        let mut oidc = (
            std::env::var("OIDC_ISSUER").ok(),
            std::env::var("OIDC_CLIENT_ID").ok(),
            std::env::var("OIDC_CLIENT_SECRET").ok(),
        );
        if let Ok(ms) = std::env::var("QUERY_TIME_LIMIT") {
            config.query_time_limit_ms = parse_ms(&ms)?;
        }
        if let Ok(ms) = std::env::var("REQUEST_TIME_LIMIT") {
            config.request_time_limit_ms = parse_ms(&ms)?;
        }
        if let Ok(secs) = std::env::var("LINK_SCAN_WINDOW") {
            config.link_scan_window_secs = parse_secs(&secs)?;
        }
        config.message_id_domain = std::env::var("MESSAGE_ID_DOMAIN").ok();
        let mut dkim = (
            std::env::var("DKIM_SELECTOR").ok(),
            std::env::var("DKIM_DOMAIN").ok(),
            std::env::var("DKIM_KEY").ok(),
        );
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
            match flag.as_str() {
                "--port" => config.port = parse_port(&value("--port")?)?,
                "--bind" => config.bind = parse_bind(&value("--bind")?)?,
                "--database-url" => {
                    config.database_url = Some(parse_database_url(&value("--database-url")?)?)
                }
                "--instance-id" => config.instance_id = Some(value("--instance-id")?),
                "--instance-lease" => {
                    config.instance_lease_secs = parse_lease(&value("--instance-lease")?)?
                }
                "--data-dir" => config.data_dir = value("--data-dir")?.into(),
                "--dist" => config.dist_dir = value("--dist")?.into(),
                "--demo" => config.demo = true,
                "--private-rep-mailboxes" => config.private_rep_mailboxes = true,
                "--smtp-url" => config.smtp_url = Some(value("--smtp-url")?),
                "--imap-url" => config.imap_url = Some(parse_imap_url(&value("--imap-url")?)?),
                "--bounce-address" => {
                    config.bounce_address = Some(parse_bounce_address(&value("--bounce-address")?)?)
                }
                "--imap-poll" => config.imap_poll_secs = parse_secs(&value("--imap-poll")?)?,
                "--smtp-retries" => {
                    config.smtp_retry_secs = parse_waits(&value("--smtp-retries")?)?
                }
                "--webhook-secret" => config.webhook_secret = Some(value("--webhook-secret")?),
                "--public-url" => config.public_url = Some(value("--public-url")?),
                "--cors-origin" => config
                    .cors_origins
                    .push(parse_origin(&value("--cors-origin")?)?),
                "--frame-ancestor" => config
                    .frame_ancestors
                    .push(parse_origin(&value("--frame-ancestor")?)?),
                "--embed-secret" => config.embed_secret = Some(value("--embed-secret")?),
                "--embed-jwks-url" => {
                    config.embed_jwks_url = Some(parse_jwks_url(&value("--embed-jwks-url")?)?)
                }
                "--provision-team" => config.provision_team = Some(value("--provision-team")?),
                "--secret-file" => {
                    config.secret_file = Some(PathBuf::from(value("--secret-file")?))
                }
                "--provision-domain" => config
                    .provision_domains
                    .push(parse_domain(&value("--provision-domain")?)?),
                "--oidc-issuer" => oidc.0 = Some(value("--oidc-issuer")?),
                "--oidc-client-id" => oidc.1 = Some(value("--oidc-client-id")?),
                "--oidc-client-secret" => oidc.2 = Some(value("--oidc-client-secret")?),
                "--no-password-sign-in" => config.password_sign_in = false,
                "--client-ip-header" => {
                    config.client_ip_header = Some(value("--client-ip-header")?)
                }
                "--query-time-limit" => {
                    config.query_time_limit_ms = parse_ms(&value("--query-time-limit")?)?
                }
                "--request-time-limit" => {
                    config.request_time_limit_ms = parse_ms(&value("--request-time-limit")?)?
                }
                "--link-scan-window" => {
                    config.link_scan_window_secs = parse_secs(&value("--link-scan-window")?)?
                }
                "--message-id-domain" => {
                    config.message_id_domain = Some(value("--message-id-domain")?)
                }
                "--dkim-selector" => dkim.0 = Some(value("--dkim-selector")?),
                "--dkim-domain" => dkim.1 = Some(value("--dkim-domain")?),
                "--dkim-key" => dkim.2 = Some(value("--dkim-key")?),
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        config.oidc = match oidc {
            (Some(issuer), Some(client_id), Some(client_secret)) => {
                url::Url::parse(&issuer).map_err(|e| format!("--oidc-issuer `{issuer}`: {e}"))?;
                Some(OidcSettings {
                    issuer,
                    client_id,
                    client_secret,
                })
            }
            (None, None, None) => None,
            _ => {
                return Err("OpenID Connect needs all three of --oidc-issuer, --oidc-client-id and --oidc-client-secret".into())
            }
        };
        if !config.password_sign_in && config.oidc.is_none() {
            return Err("--no-password-sign-in needs an OpenID provider (--oidc-issuer …)".into());
        }
        config.dkim = match dkim {
            (Some(selector), Some(domain), Some(key)) => Some(DkimSettings {
                selector,
                domain,
                key: key.into(),
            }),
            (None, None, None) => None,
            _ => {
                return Err(
                    "DKIM needs all three of --dkim-selector, --dkim-domain and --dkim-key".into(),
                )
            }
        };
        Ok(config)
    }
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
fn parse_waits(text: &str) -> Result<Vec<u64>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(parse_secs)
        .collect()
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
