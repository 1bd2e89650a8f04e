pub mod emails;
pub mod login;
pub mod not_found;
pub mod people;
pub mod person;
pub mod search;
pub mod tasks;
