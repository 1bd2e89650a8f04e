//! A throwaway IMAP server for the tests: Debian's Dovecot (installed when missing), in a
//! temporary directory on a free port, any user name with the password `secret` (each test
//! reads its own mailbox), stopped and deleted when dropped. As root its processes run as the
//! `dovecot` and `dovenull` users the package creates; otherwise as the current user.

use crate::cmd::{describe, Result};
use std::path::PathBuf;
use std::process::{Command, Stdio};

pub(crate) struct Dovecot {
    dir: PathBuf,
    /// `127.0.0.1:PORT`, plain IMAP with IDLE.
    pub(crate) address: String,
}

impl Dovecot {
    pub(crate) fn start() -> Result<Dovecot> {
        if !std::path::Path::new("/usr/sbin/dovecot").exists() {
            crate::tools::apt_install(&["dovecot-imapd"])?;
        }
        let dir = crate::test::tempdir("dovecot")?;
        let port = crate::test::free_port()?;
        let root =
            crate::cmd::output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
        let me = crate::cmd::output(Command::new("id").arg("-un"))
            .map(|name| name.trim().to_owned())
            .unwrap_or_default();
        let (login, internal, mail) = if root {
            ("dovenull", "dovecot", "dovecot")
        } else {
            (me.as_str(), me.as_str(), me.as_str())
        };
        let mail_dir = dir.join("mail");
        std::fs::create_dir_all(&mail_dir).map_err(|e| e.to_string())?;
        let config = format!(
            "base_dir = {dir}/run\nstate_dir = {dir}/state\nlog_path = {dir}/log\n\
             protocols = imap\nlisten = 127.0.0.1\nssl = no\ndisable_plaintext_auth = no\n\
             auth_mechanisms = plain login\nfirst_valid_uid = 1\n\
             mail_location = maildir:{mail}/%u\n\
             default_login_user = {login}\ndefault_internal_user = {internal}\n\
             passdb {{\n  driver = static\n  args = password=secret\n}}\n\
             userdb {{\n  driver = static\n  args = uid={mail_user} gid={mail_user} home={mail}/%u\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
             service pop3-login {{\n  inet_listener pop3 {{\n    port = 0\n  }}\n}}\n\
             service submission-login {{\n  inet_listener submission {{\n    port = 0\n  }}\n}}\n",
            dir = dir.display(),
            mail = mail_dir.display(),
            mail_user = mail,
        );
        let conf = dir.join("dovecot.conf");
        std::fs::write(&conf, config).map_err(|e| e.to_string())?;
        if root {
            crate::cmd::run(
                Command::new("chown")
                    .args(["-R", "dovecot:dovecot"])
                    .arg(&mail_dir),
            )?;
        }
        let mut start = Command::new("/usr/sbin/dovecot");
        // It goes to the background and its daemon keeps whatever it was given open: no pipes,
        // or waiting for their end would wait for the daemon. It writes to its log instead.
        start
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let status = start
            .status()
            .map_err(|e| format!("cannot run {}: {e}", describe(&start)))?;
        if !status.success() {
            return Err(format!(
                "{} failed:\n{}",
                describe(&start),
                std::fs::read_to_string(dir.join("log")).unwrap_or_default()
            ));
        }
        let address = format!("127.0.0.1:{port}");
        // Ready once it answers.
        for _ in 0..100 {
            if std::net::TcpStream::connect(&address).is_ok() {
                println!("Dovecot test server at imap://{address}");
                return Ok(Dovecot { dir, address });
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Err(format!("Dovecot did not listen on {address}"))
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = Command::new("/usr/bin/doveadm")
            .arg("-c")
            .arg(self.dir.join("dovecot.conf"))
            .arg("stop")
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
