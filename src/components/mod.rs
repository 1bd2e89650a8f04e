pub mod email_table;
pub mod error_banner;
pub mod folder_tabs;
pub mod header;
