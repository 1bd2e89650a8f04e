//! What the outbox refuses, in the rep's words (both languages); see `crate::rules`.

use api::Text;

crate::rules::domain_error!();

/// Absent and another rep's read the same.
pub const NO_SUCH_EMAIL: Text = Text::fixed(
    "There is no email with that id in your outbox.",
    "その ID のメールはあなたの送信トレイにありません。",
);
