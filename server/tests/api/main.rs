//! API tests: each spawns the real server on a free loopback port over a fresh database and
//! talks HTTP to it. The database is SQLite, or with `TEST_DATABASE_URL` (an administrator's URL)
//! a new PostgreSQL database per test; `cargo xtask test` runs the suite both ways, the second
//! time with `--include-ignored` for the tests that need PostgreSQL.

mod access;
mod auth;
mod campaign_control;
mod campaign_sequences;
mod copy_database;
mod crash;
mod deliverability;
mod emails;
mod headers;
mod helpers;
mod instances;
mod languages;
mod logs;
mod mailbox;
mod meta;
mod one_line;
mod opt_out;
mod outbox;
mod people;
mod people_export;
mod people_import;
mod portal;
mod rep_mailbox;
mod row_actions;
mod schemas;
mod search;
mod search_differential;
mod security;
mod select_and_send;
mod sending;
mod sent_text;
mod sequence_differential;
mod sessions;
mod sign_in_limits;
mod smtp_refusals;
mod sso;
mod tasks;
mod templates;
mod tracking;
mod users;
