//! Mail that comes back: replies, automatic replies, delivery status notifications (bounces) and
//! abuse reports, read from a mailbox. `account` connects to one, `watcher` reads it (IMAP),
//! `classify` says what a message is from its MIME structure (parsed by mail-parser, never by
//! hand), `apply` what it does, once; `reps` keeps reps' own mailboxes and their watchers.

pub mod account;
pub mod apply;
pub mod classify;
pub mod reps;
pub mod watcher;

pub use account::{Account, Reach};
pub use classify::{classify, Inbound, Original};
pub use reps::RepWatchers;
pub use watcher::{Scope, Watcher};

crate::rules::domain_error!();
