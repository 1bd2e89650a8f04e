//! Users and teams through the running server: invitation links emailed by the real transport,
//! deactivation (sessions end, sign-in refused, scheduled emails held) and hand-over, one's own
//! password and profile, and the audit log.

use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP, OTHER_REP};
use api::endpoints::{accounts, emails, people, tasks, AccountCommand};
use api::people::PersonFields;
use api::users::{
    AccountInput, AccountStatus, AuditAction, AuditEvent, HandOver, Invited, PasswordChange,
    Profile, SetPassword, TeamInput,
};
use api::{LoginRequest, Role, SessionResponse, UserId};
use reqwest::StatusCode;

pub const ADMIN: &str = "admin@example.com";
pub const MANAGER: &str = "manager@example.com";

fn new_user(email: &str) -> AccountInput {
    AccountInput {
        email: email.to_owned(),
        name: "Chika Mori".to_owned(),
        role: Role::Rep,
        team_id: None,
        time_zone: "Asia/Tokyo".to_owned(),
        locale: "en".to_owned(),
    }
}

/// The token at the end of an invitation link.
fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_owned()
}

async fn sign_in_with(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let request = LoginRequest {
        email: email.to_owned(),
        password: password.to_owned(),
    };
    app.send_anonymous(accounts::sign_in(&request)).await
}

/// Sets a password by an invitation (or reset) link, as its page does.
async fn use_link(app: &TestApp, link: &str, password: &str) -> reqwest::Response {
    let password = SetPassword {
        password: password.to_owned(),
    };
    app.send_anonymous(accounts::accept_invitation(&token_of(link), &password))
        .await
}

/// The audit log, newest first.
async fn audit(app: &TestApp, admin: &str) -> Vec<AuditEvent> {
    app.call(admin, accounts::audit(None, None)).await.events
}

#[tokio::test]
async fn an_invited_user_sets_their_password_by_the_emailed_link_once() {
    let app = spawn_app().await;
    let admin = app.login(ADMIN).await;
    let created = app
        .send(&admin, accounts::invite(&new_user("Chika@Example.com")))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let invited: Invited = created.json().await.unwrap();
    assert_eq!(invited.account.email, "chika@example.com");
    assert_eq!(invited.account.status, AccountStatus::Invited);
    assert!(invited.emailed);
    let link = invited.link.as_str();
    assert!(link.starts_with(&format!("{}/invite/", app.base)), "{link}");

    // The transport delivered it: the outbox holds a message to the user carrying the link.
    let sent: Vec<String> = std::fs::read_dir(&app.outbox)
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        // Quoted-printable's soft line breaks joined again.
        .map(|m| m.replace("=\r\n", "").replace("=\n", ""))
        .filter(|m| m.contains("To: \"Chika Mori\" <chika@example.com>"))
        .collect();
    assert_eq!(sent.len(), 1, "one invitation in the outbox");
    assert!(sent[0].contains(link), "{}", sent[0]);

    // Not signed in yet: no password works, the link says whom it is for.
    assert_eq!(
        sign_in_with(&app, "chika@example.com", "").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let info = app
        .send_anonymous(accounts::invitation(&token_of(link)))
        .await;
    let info: api::users::InvitationInfo = info.json().await.unwrap();
    assert_eq!(info.email, "chika@example.com");
    let short = assert_problem(
        use_link(&app, link, "short").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(short["field"], "password");
    let accepted = use_link(&app, link, "a long new password").await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
    let session: SessionResponse = accepted.json().await.unwrap();
    let me = app.call(&session.token, accounts::me()).await;
    assert_eq!(me.email, "chika@example.com");

    // Used once.
    assert_problem(
        use_link(&app, link, "another long password").await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(
        sign_in_with(&app, "chika@example.com", "a long new password")
            .await
            .status(),
        StatusCode::CREATED
    );
    let actions: Vec<AuditAction> = audit(&app, &admin).await.iter().map(|e| e.action).collect();
    for action in [
        AuditAction::UserCreated,
        AuditAction::PasswordSet,
        AuditAction::SignedIn,
    ] {
        assert!(actions.contains(&action), "{action:?} in {actions:?}");
    }
}

#[tokio::test]
async fn a_deactivated_user_is_signed_out_refused_and_held_until_their_work_is_handed_over() {
    let app = spawn_app().await;
    let admin = app.login(ADMIN).await;
    let ben = app.login(OTHER_REP).await;
    let aiko = app.login(DEMO_REP).await;
    let ben_id = app.user_id(OTHER_REP).await;
    let aiko_id = app.user_id(DEMO_REP).await;

    // One of Ben's people is also Aiko's: the hand-over merges them.
    let shared: (String, i64) =
        sqlx::query_as("SELECT email, id FROM people WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY id LIMIT 1")
            .bind(ben_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let copy = PersonFields {
        first_name: "Shared".to_owned(),
        last_name: "Person".to_owned(),
        email: shared.0.clone(),
        ..PersonFields::default()
    };
    let aikos_copy = app.call(&aiko, people::create(&copy)).await.id;

    // A scheduled email of Ben's, due now.
    let held = app.an_email(OTHER_REP, "scheduled", true).await;
    let deactivated = app
        .call(
            &admin,
            accounts::command(UserId(ben_id), AccountCommand::Deactivate),
        )
        .await;
    assert_eq!(deactivated.status, AccountStatus::Deactivated);
    sqlx::query("UPDATE emails SET scheduled_at = $1 WHERE id = $2")
        .bind(0_i64)
        .bind(held)
        .execute(&app.db)
        .await
        .unwrap();

    assert_problem(
        app.send(&ben, accounts::me()).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let refused = assert_problem(
        sign_in_with(&app, OTHER_REP, "demo").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert!(
        refused["detail"].as_str().unwrap().contains("deactivated"),
        "{refused}"
    );
    // The sender runs every 100 ms: a second later the email is still held.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(app.status_of(held).await, "scheduled");

    // Handing over needs an active receiver other than the giver.
    for to in [ben_id, 999_999] {
        let problem = assert_problem(
            app.send(
                &admin,
                accounts::hand_over(UserId(ben_id), &HandOver { to: UserId(to) }),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], "to");
    }
    let before = app.call(&aiko, emails::counts()).await;
    let moved = app
        .call(
            &admin,
            accounts::hand_over(
                UserId(ben_id),
                &HandOver {
                    to: UserId(aiko_id),
                },
            ),
        )
        .await;
    assert_eq!(moved.people_merged, 1, "{moved:?}");
    assert!(moved.emails > 500, "{moved:?}");
    assert!(moved.campaigns >= 2, "{moved:?}");

    // Aiko now has Ben's emails (counted) and the merged person holds Ben's history.
    let after = app.call(&aiko, emails::counts()).await;
    assert!(after.delivered > before.delivered, "{before:?} → {after:?}");
    let (owner, person): (i64, i64) =
        sqlx::query_as("SELECT owner_id, person_id FROM emails WHERE id = $1")
            .bind(held)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(owner, aiko_id);
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM emails WHERE owner_id = $1")
        .bind(ben_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
    let (merged_emails,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM emails WHERE person_id = $1")
            .bind(aikos_copy)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(merged_emails > 0, "the shared person's emails followed");
    assert_ne!(person, shared.1);
    // Held no more: it goes out from Aiko.
    let status = app.settled_status(held).await;
    assert!(matches!(status.as_str(), "delivered" | "sent"), "{status}");
}

#[tokio::test]
async fn a_reactivated_user_signs_in_again_and_an_admin_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let admin = app.login(ADMIN).await;
    let admin_id = app.user_id(ADMIN).await;
    let ben_id = app.user_id(OTHER_REP).await;
    for command in [AccountCommand::Deactivate, AccountCommand::Reactivate] {
        let response = app
            .send(&admin, accounts::command(UserId(ben_id), command))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{command:?}");
    }
    app.login(OTHER_REP).await;

    assert_problem(
        app.send(
            &admin,
            accounts::command(UserId(admin_id), AccountCommand::Deactivate),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    // The admin as a rep: the only admin cannot demote themselves.
    assert_problem(
        app.send(&admin, accounts::update(UserId(admin_id), &new_user(ADMIN)))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    // Another user's address is taken; bad fields name themselves.
    let ben_as_aiko = app
        .send(
            &admin,
            accounts::update(UserId(ben_id), &new_user(DEMO_REP)),
        )
        .await;
    assert_problem(ben_as_aiko, StatusCode::CONFLICT).await;
    let someone = new_user("someone@example.com");
    let text = |s: &str| s.to_owned();
    for (field, bad) in [
        (
            "email",
            AccountInput {
                email: text("not an address"),
                ..someone.clone()
            },
        ),
        (
            "name",
            AccountInput {
                name: text("two\nlines"),
                ..someone.clone()
            },
        ),
        (
            "time_zone",
            AccountInput {
                time_zone: text("Mars/Olympus"),
                ..someone.clone()
            },
        ),
        (
            "locale",
            AccountInput {
                locale: text("fr"),
                ..someone.clone()
            },
        ),
        (
            "team_id",
            AccountInput {
                team_id: Some(api::TeamId(424242)),
                ..someone.clone()
            },
        ),
    ] {
        let problem = assert_problem(
            app.send(&admin, accounts::invite(&bad)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], field);
    }
}

#[tokio::test]
async fn a_reset_ends_every_session_and_only_the_new_link_sets_a_password() {
    let app = spawn_app().await;
    let admin = app.login(ADMIN).await;
    let ben = app.login(OTHER_REP).await;
    let ben_id = app.user_id(OTHER_REP).await;
    let first = app
        .call(&admin, accounts::reset_password(UserId(ben_id)))
        .await;
    let second = app
        .call(&admin, accounts::reset_password(UserId(ben_id)))
        .await;
    assert_eq!(second.account.status, AccountStatus::Invited);
    assert_problem(
        app.send(&ben, accounts::me()).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_problem(
        sign_in_with(&app, OTHER_REP, "demo").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let new_password = "ben's new password";
    assert_problem(
        use_link(&app, &first.link, new_password).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(
        use_link(&app, &second.link, new_password).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        sign_in_with(&app, OTHER_REP, "ben's new password")
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_user_changes_their_own_password_and_profile() {
    let app = spawn_app().await;
    let here = app.login(DEMO_REP).await;
    let elsewhere = app.login(DEMO_REP).await;
    let change = |current: &str, new: &str| PasswordChange {
        current: current.to_owned(),
        new: new.to_owned(),
    };
    for (change, field) in [
        (change("wrong", "a long new password"), "current"),
        (change("demo", "short"), "new"),
    ] {
        let problem = assert_problem(
            app.send(&here, accounts::change_password(&change)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], field);
    }
    let changed = app
        .send(
            &here,
            accounts::change_password(&change("demo", "a long new password")),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.send(&here, accounts::me()).await.status(),
        StatusCode::OK,
        "this session stays"
    );
    assert_problem(
        app.send(&elsewhere, accounts::me()).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_problem(
        sign_in_with(&app, DEMO_REP, "demo").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;

    let profile = |name: &str, time_zone: &str| Profile {
        name: name.to_owned(),
        time_zone: time_zone.to_owned(),
        locale: "en".to_owned(),
    };
    let bad = assert_problem(
        app.send(&here, accounts::change_profile(&profile("Aiko", "Nowhere")))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(bad["field"], "time_zone");
    let me = app
        .call(
            &here,
            accounts::change_profile(&profile("Aiko Sato", "Europe/London")),
        )
        .await;
    assert_eq!(me.name, "Aiko Sato");
    assert_eq!(
        app.call(&here, accounts::me()).await.time_zone,
        "Europe/London"
    );
}

#[tokio::test]
async fn the_audit_log_records_who_did_what_from_where_and_keeps_180_days() {
    let app = spawn_app().await;
    let admin = app.login(ADMIN).await;
    assert_problem(
        sign_in_with(&app, DEMO_REP, "wrong password").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_problem(
        sign_in_with(&app, "nobody@example.com", "x").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let manager = app.login(MANAGER).await;
    let ben_id = app.user_id(OTHER_REP).await;
    // The app reads several things to show a page, and re-reads them live: one entry an hour.
    let as_ben = Some(UserId(ben_id));
    app.call(&manager, emails::counts().viewed_as(as_ben)).await;
    app.call(&manager, tasks::counts().viewed_as(as_ben)).await;
    app.call(&manager, emails::counts().viewed_as(as_ben)).await;

    let events = audit(&app, &admin).await;
    let failed: Vec<&AuditEvent> = events
        .iter()
        .filter(|e| e.action == AuditAction::SignInFailed)
        .collect();
    assert_eq!(failed.len(), 2);
    // What was typed is kept only when it names an account (it may be a password typed into
    // the wrong box).
    assert_eq!(failed[0].detail, "an email with no account");
    assert_eq!(failed[0].actor, None);
    assert_eq!(
        failed[1].actor.as_deref(),
        Some("佐藤 愛子 <aiko@example.com>")
    );
    assert_eq!(failed[1].address.as_deref(), Some("127.0.0.1"));
    let viewed = events
        .iter()
        .find(|e| e.action == AuditAction::ViewedAs)
        .unwrap();
    assert_eq!(
        viewed.actor.as_deref(),
        Some("田中 美香 <manager@example.com>")
    );
    assert_eq!(
        viewed.subject.as_deref(),
        Some("Ben Carter <ben@example.com>")
    );
    assert_eq!(viewed.detail, "/emails/counts");

    let only = app
        .call(&admin, accounts::audit(Some(AuditAction::ViewedAs), None))
        .await;
    assert_eq!(only.events.len(), 1);
    // An action the log does not have (only a hand-made query can ask for it).
    assert_problem(
        app.get("/audit?action=nonsense", &admin).await,
        StatusCode::BAD_REQUEST,
    )
    .await;

    // Older than 180 days is forgotten.
    let now = chrono::Utc::now().timestamp_millis();
    let day = 24 * 60 * 60 * 1000_i64;
    for at in [now - 181 * day, now - 179 * day] {
        sqlx::query("INSERT INTO audit_events (at, action, detail) VALUES ($1, 'exported', 'old')")
            .bind(at)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let mut conn = app.db.acquire().await.unwrap();
    let purged = server::accounts::audit::purge(&mut conn, now)
        .await
        .unwrap();
    assert_eq!(purged, 1);
}

#[tokio::test]
async fn a_deleted_teams_members_stay_in_no_team_and_their_sessions_know_it_at_once() {
    let app = spawn_app().await;
    let admin = app.login(ADMIN).await;
    let ben = app.login(OTHER_REP).await;
    let ben_id = UserId(app.user_id(OTHER_REP).await);
    let team = app
        .call(
            &admin,
            accounts::create_team(&TeamInput {
                name: "Nordics".to_owned(),
            }),
        )
        .await;
    let account = app
        .call(&admin, accounts::users())
        .await
        .into_iter()
        .find(|a| a.id == ben_id)
        .unwrap();
    let moved = AccountInput {
        email: account.email,
        name: account.name,
        role: account.role,
        team_id: Some(team.id),
        time_zone: account.time_zone,
        locale: account.locale,
    };
    app.call(&admin, accounts::update(ben_id, &moved)).await;
    assert_eq!(app.call(&ben, accounts::me()).await.team_id, Some(team.id));

    let deleted = app.send(&admin, accounts::delete_team(team.id)).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    // Ben's own session reads the change at once, and so does the user list.
    assert_eq!(app.call(&ben, accounts::me()).await.team_id, None);
    let listed = app.call(&admin, accounts::users()).await;
    assert_eq!(
        listed.iter().find(|a| a.id == ben_id).unwrap().team_id,
        None
    );
    assert!(app
        .call(&admin, accounts::teams())
        .await
        .iter()
        .all(|t| t.id != team.id));

    // A team that is not there, or a path that names none, is the team's not-found.
    let renamed = TeamInput {
        name: "Baltics".to_owned(),
    };
    for refused in [
        app.send(&admin, accounts::delete_team(team.id)).await,
        app.send(&admin, accounts::rename_team(team.id, &renamed))
            .await,
        app.delete("/teams/nordics", &admin).await,
    ] {
        let problem = assert_problem(refused, StatusCode::NOT_FOUND).await;
        assert_eq!(problem["detail"], "There is no such team.");
    }
}
