//! Users, teams and the audit log as admins (and managers, for their team) see them; the rules a
//! password and a profile must meet.

use crate::dto::{Id, Role, Timestamp};
use crate::ids::{TeamId, UserId};
use crate::text::Text;
use crate::wire::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum!(
    /// Where an account stands.
    pub enum AccountStatus {
        /// Created, but its password is not set yet (the invitation is unused).
        Invited = "invited",
        Active = "active",
        /// Cannot sign in; their scheduled emails are held.
        Deactivated = "deactivated",
    }
);

/// A user as `GET /users` shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub time_zone: String,
    pub locale: String,
    pub status: AccountStatus,
    // Read by the header's "view as" for managers, in the SPA's first download.
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::wire_time::timestamp")
    )]
    pub created_at: Timestamp,
}

/// `POST /users` and `PUT /users/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountInput {
    pub email: String,
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub team_id: Option<TeamId>,
    pub time_zone: String,
    pub locale: String,
}

/// The answer to creating a user or resetting a password: the link that sets the password,
/// also emailed to the user (`emailed` says whether the mail transport took it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invited {
    pub account: Account,
    pub link: String,
    pub expires_at: Timestamp,
    pub emailed: bool,
}

/// `POST /users/{id}/hand-over`: everything of a (deactivated) user goes to `to`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandOver {
    pub to: UserId,
}

/// What a hand-over moved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandedOver {
    pub people: u64,
    /// Of the people, those the receiver already had (same address): merged into theirs.
    pub people_merged: u64,
    pub emails: u64,
    pub tasks: u64,
    pub campaigns: u64,
    pub templates: u64,
}

/// A team as `GET /teams` shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub members: u64,
    /// The names of its managers.
    pub managers: Vec<String>,
}

/// `POST /teams` and `PUT /teams/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamInput {
    pub name: String,
}

/// `GET /invitations/{token}`: whom a link is for, before they choose a password.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub name: String,
    pub email: String,
    // Read by the sign-in part of the SPA, which keeps chrono's parser out of its first download.
    #[cfg_attr(
        target_arch = "wasm32",
        serde(deserialize_with = "crate::wire_time::timestamp")
    )]
    pub expires_at: Timestamp,
}

/// `POST /invitations/{token}`: the password the user chose.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetPassword {
    pub password: String,
}

/// `PUT /me/password`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// `PUT /me/profile`: what a user may change of their own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub time_zone: String,
    pub locale: String,
}

/// `PUT /me/mailbox`: the rep's own mailbox, read for replies to and reports on their emails.
/// Without `password`, the one kept stays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MailboxSettings {
    pub host: String,
    pub port: u16,
    /// `imaps` (TLS from the start), as mail providers offer; off only for a server on one's
    /// own network.
    pub tls: bool,
    pub user: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The folder to read; `INBOX` when empty.
    #[serde(default)]
    pub mailbox: String,
}

/// `GET /me/mailbox`: the rep's mailbox as kept (never its password) and how reading it goes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MailboxStatus {
    pub host: String,
    pub port: u16,
    pub tls: bool,
    pub user: String,
    pub mailbox: String,
    pub changed_at: Timestamp,
    /// When it was last read to its end.
    pub read_at: Option<Timestamp>,
    /// What stopped the last attempt, until a read succeeds.
    pub error: Option<String>,
}

wire_enum!(
    /// What an audit event records.
    pub enum AuditAction {
        SignedIn = "signed_in",
        SignInFailed = "sign_in_failed",
        UserCreated = "user_created",
        UserChanged = "user_changed",
        UserDeactivated = "user_deactivated",
        UserReactivated = "user_reactivated",
        PasswordReset = "password_reset",
        PasswordSet = "password_set",
        PasswordChanged = "password_changed",
        ProfileChanged = "profile_changed",
        HandedOver = "handed_over",
        TeamChanged = "team_changed",
        ViewedAs = "viewed_as",
        Exported = "exported",
    }
);

/// One entry of the audit log (`GET /audit`), newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: Id,
    pub at: Timestamp,
    pub action: AuditAction,
    /// Who did it (none for a failed sign-in of an unknown address).
    pub actor: Option<String>,
    /// Whom it was about, when another user.
    pub subject: Option<String>,
    /// The client address the request came from.
    pub address: Option<String>,
    /// What else is worth knowing (the address tried, the fields changed, what was exported).
    pub detail: String,
    /// How many times it happened alike (a refusal repeated within ten minutes); `at` is the
    /// last time.
    #[serde(default = "one")]
    pub repeats: u32,
}

fn one() -> u32 {
    1
}

/// A page of the audit log; `next` continues it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    pub next: Option<String>,
}

pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 200;

/// A new password: long enough to resist guessing, short enough to hash cheaply.
pub fn check_password(password: &str) -> Result<(), Text> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(Text::fixed(
            "Choose a password of at least 10 characters.",
            "パスワードは 10 文字以上にしてください。",
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(Text::fixed(
            "Choose a password of at most 200 characters.",
            "パスワードは 200 文字以内にしてください。",
        ));
    }
    if password.trim().is_empty() {
        return Err(Text::fixed(
            "A password cannot be only spaces.",
            "空白だけのパスワードは使えません。",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_needs_ten_characters_not_all_blank() {
        assert!(check_password("short").is_err());
        assert!(check_password("          ").is_err());
        assert!(check_password(&"x".repeat(201)).is_err());
        assert!(check_password("パスワードは十文字以上").is_ok());
        assert!(check_password("correct horse").is_ok());
    }

    #[test]
    fn actions_round_trip_by_name() {
        for action in AuditAction::ALL {
            assert_eq!(action.as_str().parse::<AuditAction>().ok(), Some(action));
            let wire = serde_json::to_string(&action).unwrap();
            assert_eq!(wire, format!("\"{}\"", action.as_str()));
        }
    }
}
