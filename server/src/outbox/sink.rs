//! An SMTP server on loopback that accepts every message and keeps its Message-ID (and, when
//! asked, the whole message): what the crash test, the sent-text test and the sender benchmark
//! send to. Not used by the product itself.
//!
//! A kept message begins with `Return-Path:`, the envelope's sender, as a final delivery records.
//! It refuses some recipients as real servers do, by their address's local part: `bounce…`
//! for good (`550 5.1.1`), `busy…` for now on every attempt (`450 4.2.1`), and `busy-once…`
//! for now on its first attempt only.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Starts the sink and returns its port. Each message is accepted after `delay`, then its
/// Message-ID is pushed to `received`.
pub async fn start(received: Arc<Mutex<Vec<String>>>, delay: Duration) -> std::io::Result<u16> {
    start_keeping(received, None, delay).await
}

/// As `start`; each whole message (as its DATA carried it, dot-stuffing undone) also goes to
/// `messages` when given.
pub async fn start_keeping(
    received: Arc<Mutex<Vec<String>>>,
    messages: Option<Arc<Mutex<Vec<String>>>>,
    delay: Duration,
) -> std::io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    // The `busy-once` recipients already refused.
    let refused_once: Arc<Mutex<std::collections::HashSet<String>>> = Arc::default();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let received = received.clone();
            let messages = messages.clone();
            // Replies go out at once, as a real server's would (no Nagle delay on small writes).
            let _ = socket.set_nodelay(true);
            let refused_once = refused_once.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut message_id = None;
                // The envelope's sender, recorded on the kept message as a final delivery does.
                let mut return_path = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("MAIL FROM:") {
                        return_path = line["MAIL FROM:".len()..]
                            .split_whitespace()
                            .next()
                            .unwrap_or("<>")
                            .to_owned();
                        b"250 ok\r\n"
                    } else if let Some(to) = upper.strip_prefix("RCPT TO:") {
                        let to = to.trim().trim_start_matches('<').to_ascii_lowercase();
                        if to.starts_with("bounce") {
                            b"550 5.1.1 <recipient> user unknown\r\n"
                        } else if to.starts_with("busy-once") {
                            let first =
                                refused_once.lock().expect("the sink's refusals").insert(to);
                            if first {
                                b"450 4.2.1 mailbox busy, try again later\r\n"
                            } else {
                                b"250 ok\r\n"
                            }
                        } else if to.starts_with("busy") {
                            b"450 4.2.1 mailbox busy, try again later\r\n"
                        } else {
                            b"250 ok\r\n"
                        }
                    } else if upper.starts_with("DATA") {
                        let _ = write.write_all(b"354 go ahead\r\n").await;
                        let mut message = format!("Return-Path: {return_path}\r\n");
                        let mut ended = false;
                        while let Ok(Some(data)) = lines.next_line().await {
                            if data == "." {
                                ended = true;
                                break;
                            }
                            message.push_str(data.strip_prefix('.').unwrap_or(&data));
                            message.push_str("\r\n");
                            if data.to_ascii_lowercase().starts_with("message-id:") {
                                message_id = Some(data[11..].trim().to_owned());
                            }
                        }
                        // A sender gone mid-message (killed) delivered nothing.
                        if !ended {
                            return;
                        }
                        if !delay.is_zero() {
                            tokio::time::sleep(delay).await;
                        }
                        if let Some(messages) = &messages {
                            messages.lock().expect("the sink's messages").push(message);
                        }
                        received
                            .lock()
                            .expect("the sink's list")
                            .push(message_id.take().unwrap_or_default());
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    if write.write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Ok(port)
}
