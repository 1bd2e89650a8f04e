//! API tests: each spawns the real server on a free loopback port over a fresh SQLite database
//! and talks HTTP to it.

mod auth;
mod crash;
mod deliverability;
mod emails;
mod headers;
mod helpers;
mod languages;
mod meta;
mod opt_out;
mod outbox;
mod people;
mod people_import;
mod row_actions;
mod search;
mod search_differential;
mod select_and_send;
mod sending;
mod sent_text;
mod sessions;
mod sign_in_limits;
mod tasks;
mod tracking;
