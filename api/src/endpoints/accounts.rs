//! Signing in and out, one's own settings, and the admin's users, teams and audit log.

use super::*;
use crate::ids::*;
use crate::users::AccountInput;
use crate::users::{
    Account, AuditAction, AuditPage, HandOver, HandedOver, InvitationInfo, Invited,
    MailboxSettings, MailboxStatus, PasswordChange, Profile, SetPassword, Team, TeamInput,
};
use crate::{
    AuthMethods, EmbedSignIn, LoginRequest, MePatch, SessionResponse, SsoExchange, SsoRedirect,
    SsoStart, StreamTicket, TeamId, User,
};

pub fn sign_in(request: &LoginRequest) -> Call<SessionResponse> {
    Call::with(Method::Post, paths::SESSION.to_owned(), request)
}

/// Signs this session out.
pub fn sign_out() -> Call<()> {
    Call::delete(paths::SESSION.to_owned())
}

/// Signs every session of the user out.
pub fn sign_out_everywhere() -> Call<()> {
    Call::delete(paths::SESSIONS.to_owned())
}

/// A session for the user a portal's signed token names (embedding).
pub fn sign_in_embedded(request: &EmbedSignIn) -> Call<SessionResponse> {
    Call::with(Method::Post, paths::EMBED_SESSION.to_owned(), request)
}

/// Begins a single sign-on from this tab: where to send the browser (the provider).
pub fn sso_start(request: &SsoStart) -> Call<SsoRedirect> {
    Call::with(Method::Post, paths::SSO_START.to_owned(), request)
}

/// Turns the one-time code a single sign-on handed to this tab into a session.
pub fn sso_session(request: &SsoExchange) -> Call<SessionResponse> {
    Call::with(Method::Post, paths::SSO_SESSION.to_owned(), request)
}

/// Who this session is.
pub fn me() -> Call<User> {
    Call::get(paths::ME.to_owned())
}

/// A one-time ticket that opens the live stream.
pub fn stream_ticket() -> Call<StreamTicket> {
    Call::with(Method::Post, paths::STREAM_TICKETS.to_owned(), &NoFields {})
}

pub fn auth_methods() -> Call<AuthMethods> {
    Call::get(paths::AUTH_METHODS.to_owned())
}

pub fn change_me(patch: &MePatch) -> Call<User> {
    Call::with(Method::Patch, paths::ME.to_owned(), patch)
}

pub fn change_profile(profile: &Profile) -> Call<User> {
    Call::with(Method::Put, paths::MY_PROFILE.to_owned(), profile)
}

pub fn change_password(change: &PasswordChange) -> Call<()> {
    Call::with(Method::Put, paths::MY_PASSWORD.to_owned(), change)
}

/// The rep's own mailbox for replies, if they set one.
pub fn my_mailbox() -> Call<Option<MailboxStatus>> {
    Call::get(paths::MY_MAILBOX.to_owned())
}

pub fn set_my_mailbox(settings: &MailboxSettings) -> Call<MailboxStatus> {
    Call::with(Method::Put, paths::MY_MAILBOX.to_owned(), settings)
}

pub fn remove_my_mailbox() -> Call<()> {
    Call::delete(paths::MY_MAILBOX.to_owned())
}

pub fn users() -> Call<Vec<Account>> {
    Call::get(paths::USERS.to_owned())
}

/// A new account, with the invitation link that sets its password.
pub fn invite(account: &AccountInput) -> Call<Invited> {
    Call::with(Method::Post, paths::USERS.to_owned(), account)
}

pub fn update(id: UserId, account: &AccountInput) -> Call<Account> {
    Call::with(Method::Put, at(paths::USER, id), account)
}

pub fn command(id: UserId, command: AccountCommand) -> Call<Account> {
    let name = match command {
        AccountCommand::Deactivate => "deactivate",
        AccountCommand::Reactivate => "reactivate",
    };
    let path = at(paths::USER_COMMAND, id).replace("{command}", name);
    Call::with(Method::Post, path, &())
}

/// A new invitation link in place of the password.
pub fn reset_password(id: UserId) -> Call<Invited> {
    let path = at(paths::USER_COMMAND, id).replace("{command}", "reset-password");
    Call::with(Method::Post, path, &())
}

pub fn hand_over(from: UserId, to: &HandOver) -> Call<HandedOver> {
    Call::with(Method::Post, at(paths::USER_HAND_OVER, from), to)
}

pub fn teams() -> Call<Vec<Team>> {
    Call::get(paths::TEAMS.to_owned())
}

pub fn create_team(team: &TeamInput) -> Call<Team> {
    Call::with(Method::Post, paths::TEAMS.to_owned(), team)
}

pub fn rename_team(id: TeamId, team: &TeamInput) -> Call<Team> {
    Call::with(Method::Put, at(paths::TEAM, id), team)
}

pub fn delete_team(id: TeamId) -> Call<()> {
    Call::delete(at(paths::TEAM, id))
}

pub fn invitation(token: &str) -> Call<InvitationInfo> {
    Call::get(paths::INVITATION.replace("{token}", &encode(token)))
}

pub fn accept_invitation(token: &str, password: &SetPassword) -> Call<SessionResponse> {
    let path = paths::INVITATION.replace("{token}", &encode(token));
    Call::with(Method::Post, path, password)
}

/// The audit log, newest first, before a cursor, of one kind of event.
pub fn audit(action: Option<AuditAction>, before: Option<&str>) -> Call<AuditPage> {
    let mut pairs = Vec::new();
    if let Some(action) = action {
        pairs.push(("action", action.as_str().to_owned()));
    }
    if let Some(before) = before {
        pairs.push(("before", before.to_owned()));
    }
    Call::get(with_query(paths::AUDIT, &pairs))
}
