//! What the task rules refuse, in both languages; see `crate::rules`.

use api::Text;

crate::rules::domain_error!();

pub const NOT_FOUND: Text = Text::fixed(
    "There is no task with that id in your list.",
    "その ID のタスクはあなたのリストにありません。",
);
