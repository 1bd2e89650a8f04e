//! The access matrix: each role (rep, manager, admin) × each endpoint that reads another's data
//! or administers users × own / team / other data, against the running server. The demo team is
//! aiko and ben (reps) under the manager; the admin is in no team.

use crate::helpers::{spawn_app, TestApp, DEMO_REP, OTHER_REP};
use crate::users::{ADMIN, MANAGER};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug)]
enum Whose {
    Own,
    Team,
    Other,
}

struct Caller {
    email: &'static str,
    token: String,
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> StatusCode {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.unwrap().status()
}

/// Whom `caller` reads as, for each kind of data.
async fn target(app: &TestApp, caller: &str, whose: Whose) -> i64 {
    let email = match (caller, whose) {
        (_, Whose::Own) => caller,
        // Everyone but the admin is in the demo team; the admin's "team" data is a rep's.
        (ADMIN, Whose::Team) => DEMO_REP,
        (DEMO_REP, Whose::Team) => OTHER_REP,
        (_, Whose::Team) => DEMO_REP,
        (ADMIN, Whose::Other) => MANAGER,
        (_, Whose::Other) => ADMIN,
    };
    app.user_id(email).await
}

#[tokio::test]
async fn each_role_reads_only_whose_data_it_may_and_writes_only_its_own() {
    let app = spawn_app().await;
    let mut callers = Vec::new();
    for email in [DEMO_REP, MANAGER, ADMIN] {
        callers.push(Caller {
            email,
            token: app.login(email).await,
        });
    }
    // What each role may read, by whose data: (rep, manager, admin).
    let allowed = |email: &str, whose: Whose| {
        matches!(
            (email, whose),
            (_, Whose::Own) | (MANAGER, Whose::Team) | (ADMIN, _)
        )
    };
    let reads = [
        "/emails/counts?as={id}",
        "/emails?folder=delivered&as={id}",
        "/tasks/counts?as={id}",
        "/tasks?view=today&as={id}",
        "/emails/most-engaged?as={id}",
        "/emails/{email}?as={id}",
    ];
    for caller in &callers {
        for whose in [Whose::Own, Whose::Team, Whose::Other] {
            let id = target(&app, caller.email, whose).await;
            let (email,): (Option<i64>,) =
                sqlx::query_as("SELECT MIN(id) FROM emails WHERE owner_id = $1")
                    .bind(id)
                    .fetch_one(&app.db)
                    .await
                    .unwrap();
            for read in reads {
                // Someone with no emails has no email to read.
                let Some(email) = email.or((!read.contains("{email}")).then_some(0)) else {
                    continue;
                };
                let path = read
                    .replace("{id}", &id.to_string())
                    .replace("{email}", &email.to_string());
                let status = call(&app, Method::GET, &path, &caller.token, None).await;
                let expected = if allowed(caller.email, whose) {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(status, expected, "{} GET {path} ({whose:?})", caller.email);
            }
            let search = json!({ "query": { "all": [] }, "owner_id": id });
            let status = call(&app, Method::POST, "/search", &caller.token, Some(&search)).await;
            let expected = if allowed(caller.email, whose) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(status, expected, "{} search ({whose:?})", caller.email);
        }
    }

    // Without `as`, another's email is not found, whoever asks.
    let bens_email: (i64,) = sqlx::query_as("SELECT MIN(id) FROM emails WHERE owner_id = $1")
        .bind(app.user_id(OTHER_REP).await)
        .fetch_one(&app.db)
        .await
        .unwrap();
    for caller in &callers {
        let path = format!("/emails/{}", bens_email.0);
        let status = call(&app, Method::GET, &path, &caller.token, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{} GET {path}", caller.email);
    }

    // Viewing is read-only: another's person cannot be changed, `as` or not.
    let bens_person = app.a_person_of(OTHER_REP).await;
    let ben_id = app.user_id(OTHER_REP).await;
    for caller in &callers {
        for path in [
            format!("/people/{bens_person}"),
            format!("/people/{bens_person}?as={ben_id}"),
        ] {
            let status = call(
                &app,
                Method::PATCH,
                &path,
                &caller.token,
                Some(&json!({ "company": "Changed" })),
            )
            .await;
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "{} PATCH {path}",
                caller.email
            );
        }
    }

    // Administration: only the admin; a manager lists and reads their team.
    let (team_id,): (i64,) = sqlx::query_as("SELECT id FROM teams")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let admin_id = app.user_id(ADMIN).await;
    let new_user = json!({ "email": "new@example.com", "name": "New", "role": "rep",
                           "time_zone": "UTC", "locale": "en" });
    for caller in &callers {
        let is = |who: &str| caller.email == who;
        let expect = |admin: StatusCode, manager: StatusCode, rep: StatusCode| {
            if is(ADMIN) {
                admin
            } else if is(MANAGER) {
                manager
            } else {
                rep
            }
        };
        let forbidden = StatusCode::FORBIDDEN;
        // Refused calls first, so that the admin's (which change things) come last.
        let cases: Vec<(Method, String, Option<Value>, StatusCode)> = vec![
            (
                Method::GET,
                "/users".into(),
                None,
                expect(StatusCode::OK, StatusCode::OK, forbidden),
            ),
            (
                Method::GET,
                format!("/users/{ben_id}"),
                None,
                expect(StatusCode::OK, StatusCode::OK, forbidden),
            ),
            (
                Method::GET,
                format!("/users/{admin_id}"),
                None,
                expect(StatusCode::OK, StatusCode::NOT_FOUND, forbidden),
            ),
            (
                Method::GET,
                "/audit".into(),
                None,
                expect(StatusCode::OK, forbidden, forbidden),
            ),
            (Method::GET, "/teams".into(), None, StatusCode::OK),
            (
                Method::POST,
                "/users".into(),
                Some(new_user.clone()),
                expect(StatusCode::CREATED, forbidden, forbidden),
            ),
            (
                Method::PUT,
                format!("/teams/{team_id}"),
                Some(json!({ "name": "Renamed" })),
                expect(StatusCode::OK, forbidden, forbidden),
            ),
            (
                Method::POST,
                "/teams".into(),
                Some(json!({ "name": "Second team" })),
                expect(StatusCode::CREATED, forbidden, forbidden),
            ),
            (
                Method::POST,
                format!("/users/{ben_id}/reset-password"),
                None,
                expect(StatusCode::OK, forbidden, forbidden),
            ),
            (
                Method::POST,
                format!("/users/{ben_id}/deactivate"),
                None,
                expect(StatusCode::OK, forbidden, forbidden),
            ),
            (
                Method::POST,
                format!("/users/{ben_id}/hand-over"),
                Some(json!({ "to": app.user_id(DEMO_REP).await })),
                expect(StatusCode::OK, forbidden, forbidden),
            ),
            (
                Method::POST,
                format!("/users/{ben_id}/reactivate"),
                None,
                expect(StatusCode::OK, forbidden, forbidden),
            ),
            (
                Method::PUT,
                format!("/users/{ben_id}"),
                Some(
                    json!({ "email": OTHER_REP, "name": "Ben", "role": "manager",
                "team_id": team_id, "time_zone": "UTC", "locale": "en" }),
                ),
                expect(StatusCode::OK, forbidden, forbidden),
            ),
        ];
        for (method, path, body, expected) in cases {
            let body = body.or(Some(json!({})));
            let status = call(&app, method.clone(), &path, &caller.token, body.as_ref()).await;
            assert_eq!(status, expected, "{} {method} {path}", caller.email);
        }
        if is(MANAGER) {
            let listed = app.get_json("/users", &caller.token).await;
            let emails: Vec<&str> = listed
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["email"].as_str().unwrap())
                .collect();
            assert_eq!(emails.len(), 3, "{emails:?}");
            assert!(!emails.contains(&ADMIN), "{emails:?}");
        }
    }
    // The rep's and manager's refusals changed nothing: one user was created, by the admin.
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(users, 5);
}
