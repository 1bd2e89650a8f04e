//! What the outbox refuses, in the rep's words (both languages); `http` alone turns it into a
//! problem+json response.

use api::Text;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such email among the rep's (another rep's is no different).
    #[error("{0}")]
    NotFound(Text),
    /// Not allowed in the email's current state (or it changed meanwhile).
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

/// Absent and another rep's read the same.
pub const NO_SUCH_EMAIL: Text = Text::fixed(
    "There is no email with that id in your outbox.",
    "その ID のメールはあなたの送信トレイにありません。",
);
