//! Mail that comes back: replies, automatic replies, delivery status notifications (bounces) and
//! abuse reports, read from a mailbox. `classify` says what a message is, from its MIME
//! structure (parsed by mail-parser, never by hand).

pub mod classify;

pub use classify::{classify, Inbound, Original};
