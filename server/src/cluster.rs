//! What one instance tells the others sharing its PostgreSQL database: a rep's data changed
//! (their open streams re-read it), a session ended (no instance may accept it any longer).
//! Sent with `NOTIFY` and received with `LISTEN`, both within the database, so nothing more needs
//! running beside it. On SQLite there is one process and nothing to tell.

use api::{Change, UserId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::mpsc;

/// The `LISTEN` channel.
const CHANNEL: &str = "command_center";

/// A change's ids are left out past this many (the stream then says "re-read everything"): a
/// notification carries at most 8,000 bytes.
const MAX_IDS: usize = 300;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    Changed {
        owner: UserId,
        change: Change,
    },
    /// Signed out: the session of this token hash.
    SessionEnded {
        token_hash: String,
    },
    /// Signed out everywhere: every session of the user.
    SignedOutEverywhere {
        user: UserId,
    },
    /// The user's password changed in one session: every other one ended.
    SignedOutElsewhere {
        user: UserId,
        keep: String,
    },
    /// The user's profile changed: sessions believed with the old one are read again.
    UserChanged {
        user: UserId,
    },
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    /// The sending process, which ignores its own notifications.
    from: String,
    event: Event,
}

/// Tells the other instances; does nothing on SQLite.
#[derive(Clone, Default)]
pub struct Notifier {
    outgoing: Option<mpsc::UnboundedSender<Event>>,
}

impl Notifier {
    pub fn send(&self, event: Event) {
        if let Some(outgoing) = &self.outgoing {
            // The task is gone only when the server is stopping.
            let _ = outgoing.send(event);
        }
    }
}

/// This process's part in the conversation: its notifier, and what starts its sending and
/// listening tasks once the server runs.
pub struct Membership {
    pub notifier: Notifier,
    from: Arc<str>,
    outgoing: Option<mpsc::UnboundedReceiver<Event>>,
    database_url: Option<String>,
}

impl Membership {
    /// On PostgreSQL (`database_url`) a member of the instances sharing it; else alone.
    pub fn new(database_url: Option<&str>) -> Self {
        let from: Arc<str> = crate::password::new_token()[..16].into();
        match database_url {
            Some(url) => {
                let (sender, receiver) = mpsc::unbounded_channel();
                Membership {
                    notifier: Notifier {
                        outgoing: Some(sender),
                    },
                    from,
                    outgoing: Some(receiver),
                    database_url: Some(url.to_owned()),
                }
            }
            None => Membership {
                notifier: Notifier::default(),
                from,
                outgoing: None,
                database_url: None,
            },
        }
    }

    /// Sends this instance's events and hands every other instance's to `apply`, until the
    /// tasks are aborted. Nothing to do alone.
    pub fn start(
        self,
        db: crate::db::Db,
        apply: impl Fn(Event) + Send + 'static,
    ) -> Vec<tokio::task::JoinHandle<()>> {
        let (Some(mut outgoing), Some(url)) = (self.outgoing, self.database_url) else {
            return Vec::new();
        };
        let from = self.from.clone();
        let sending = crate::time::spawn(async move {
            // One at a time, in order: a client sees changes in the order they were made.
            while let Some(event) = outgoing.recv().await {
                let payload = serde_json::to_string(&Envelope {
                    from: from.to_string(),
                    event: trimmed(event),
                })
                .expect("an event serializes");
                let sent = sqlx::query("SELECT CAST(pg_notify($1, $2) AS TEXT)")
                    .bind(CHANNEL)
                    .bind(payload)
                    .execute(&db)
                    .await;
                if let Err(error) = sent {
                    tracing::error!(error = %format_args!("{error:#}"), "telling the other instances");
                }
            }
        });
        let from = self.from;
        let listening = crate::time::spawn(async move {
            let mut listener = loop {
                match listen(&url).await {
                    Ok(listener) => break listener,
                    Err(error) => {
                        tracing::error!(error = %format_args!("{error:#}"), "listening to the other instances; retrying");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            };
            loop {
                // After a lost connection the listener reconnects by itself; what was sent
                // meanwhile is missed, as a stream that lags is (its client re-reads).
                match listener.recv().await {
                    Ok(notification) => {
                        match serde_json::from_str::<Envelope>(notification.payload()) {
                            Ok(envelope) if *envelope.from != *from => apply(envelope.event),
                            Ok(_) => {}
                            Err(error) => {
                                tracing::warn!(error = %format_args!("{error:#}"), "an unreadable notification")
                            }
                        }
                    }
                    Err(error) => {
                        tracing::error!(error = %format_args!("{error:#}"), "listening to the other instances");
                        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    }
                }
            }
        });
        vec![sending, listening]
    }
}

async fn listen(url: &str) -> sqlx::Result<sqlx::postgres::PgListener> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// An event small enough for one notification.
fn trimmed(event: Event) -> Event {
    match event {
        Event::Changed { owner, mut change } if change.ids.len() > MAX_IDS => {
            change.ids.clear();
            Event::Changed { owner, change }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api::ChangeTopic;

    #[test]
    fn a_change_of_many_ids_says_re_read_everything() {
        let many = Event::Changed {
            owner: UserId(1),
            change: Change {
                topic: ChangeTopic::Emails,
                ids: (0..10_000).collect(),
            },
        };
        let Event::Changed { change, .. } = trimmed(many) else {
            unreachable!()
        };
        assert!(change.ids.is_empty());
        let payload = serde_json::to_string(&Envelope {
            from: "x".repeat(16),
            event: trimmed(Event::Changed {
                owner: UserId(i64::MAX),
                change: Change {
                    topic: ChangeTopic::Tasks,
                    ids: vec![i64::MAX; MAX_IDS],
                },
            }),
        })
        .unwrap();
        assert!(payload.len() < 8_000, "{}", payload.len());
    }
}
