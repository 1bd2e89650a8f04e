//! What the task rules refuse, in both languages; `http` turns it into problem+json.

use api::Text;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such task among the rep's (another rep's is no different).
    #[error("{0}")]
    NotFound(Text),
    /// Not allowed in the task's current state (or it changed meanwhile).
    #[error("{0}")]
    Conflict(Text),
    /// A field's value is not acceptable.
    #[error("{message}")]
    Unprocessable { field: String, message: Text },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub fn unprocessable(field: &str, message: Text) -> Self {
        Error::Unprocessable {
            field: field.to_owned(),
            message,
        }
    }
}

pub const NOT_FOUND: Text = Text::fixed(
    "There is no task with that id in your list.",
    "その ID のタスクはあなたのリストにありません。",
);
