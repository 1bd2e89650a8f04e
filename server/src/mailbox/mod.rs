//! Mail that comes back: replies, automatic replies, delivery status notifications (bounces) and
//! abuse reports, read from a mailbox. `watcher` reads the mailbox (IMAP), `classify` says what
//! a message is from its MIME structure (parsed by mail-parser, never by hand), `apply` what it
//! does, once.

pub mod apply;
pub mod classify;
pub mod watcher;

pub use classify::{classify, Inbound, Original};
pub use watcher::{Account, Watcher};
