//! The REST contract of Command Center, shared by the server and the SPA.
//!
//! Everything here is plain data plus the product rules that both sides must agree on
//! (which folder an email sits in, which tab a folder belongs to). No I/O.

pub mod actions;
pub mod batch;
pub mod csv_text;
pub mod deliverability;
pub mod dto;
pub mod endpoints;
pub mod folder;
pub mod ids;
pub mod mail_text;
pub mod merge;
pub mod people;
pub mod search;
pub mod sequence;
pub mod tasks;
pub mod templates;
pub mod text;
pub mod users;
mod wire;
pub mod wire_time;

pub use actions::{EmailAction, EmailState, Outcome, Refusal};
pub use dto::*;
pub use folder::{Channel, EmailStatus, Folder, FolderDate, PrimaryTab};
pub use ids::*;
pub use tasks::{
    NewTask, Priority, Task, TaskAction, TaskActionRequest, TaskBulkRequest, TaskBulkResponse,
    TaskBulkResult, TaskCounts, TaskKind, TaskPatch, TaskPerson, TaskStatus, TaskView,
};
pub use text::{body_too_large, Lang, OneLine, OneLineError, Text, MAX_BODY_BYTES};
pub use wire::WireEnum;

/// Every REST path lives under this prefix.
pub const API_PREFIX: &str = "/api/v1";
