//! Templates through the running server: checked, kept per rep, used by compose and by a
//! campaign's steps, and counted by the emails made from them.

use crate::campaign_sequences::{after_sending, campaign_with_steps, enrol, reachable_people};
use crate::helpers::{assert_problem, spawn_app, spawn_app_on_driven_clock, DEMO_REP, OTHER_REP};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn template(name: &str) -> Value {
    json!({ "name": name, "subject": "About {{company}}",
            "body": "<p>Hello {{first_name}}</p><script>alert(1)</script>" })
}

#[tokio::test]
async fn a_template_is_checked_kept_per_rep_and_edited() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let created = app.post("/templates", &token, &template("Intro")).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["body"], "<p>Hello {{first_name}}</p>", "sanitized");
    assert_eq!(created["usage"]["sent"], 0);
    let id = created["id"].as_i64().unwrap();

    assert_problem(
        app.post("/templates", &token, &template("Intro")).await,
        StatusCode::CONFLICT,
    )
    .await;
    for (field, bad) in [
        ("name", json!({ "name": "", "subject": "s", "body": "b" })),
        (
            "subject",
            json!({ "name": "n", "subject": "two\nlines", "body": "b" }),
        ),
        ("body", json!({ "name": "n", "subject": "s", "body": "  " })),
    ] {
        let problem = assert_problem(
            app.post("/templates", &token, &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], field, "{problem}");
    }

    let edited = app
        .put(
            &format!("/templates/{id}"),
            &token,
            &json!({ "name": "Intro v2", "subject": "New subject", "body": "<p>New</p>" }),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let list = app.get_json("/templates", &token).await;
    let mine: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["id"] == id)
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["name"], "Intro v2");
    assert_eq!(mine[0]["subject"], "New subject");

    // Another rep neither sees nor uses it.
    let other = app.login(OTHER_REP).await;
    let theirs = app.get_json("/templates", &other).await;
    assert!(
        theirs.as_array().unwrap().iter().all(|t| t["id"] != id),
        "{theirs}"
    );
    for response in [
        app.get(&format!("/templates/{id}"), &other).await,
        app.put(&format!("/templates/{id}"), &other, &template("Mine"))
            .await,
        app.delete(&format!("/templates/{id}"), &other).await,
    ] {
        assert_problem(response, StatusCode::NOT_FOUND).await;
    }
    let their_person = app.a_person_of(OTHER_REP).await;
    let problem = assert_problem(
        app.post(
            "/emails",
            &other,
            &json!({ "person_id": their_person, "subject": "Hi", "body": "<p>Hi</p>",
                     "template_id": id }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["field"], "template_id");
}

#[tokio::test]
async fn emails_from_compose_and_from_steps_count_as_the_templates() {
    let app = spawn_app_on_driven_clock().await;
    let token = app.login(DEMO_REP).await;
    let id = app
        .post_for_id("/templates", &token, &template("Counted"))
        .await;
    let people = reachable_people(&app, 3).await;
    // From compose: sent, then replied to.
    let email = app
        .post_for_id(
            "/emails",
            &token,
            &json!({ "person_id": people[0], "subject": "About you", "body": "<p>Hi</p>",
                     "template_id": id }),
        )
        .await;
    assert_eq!(app.settled_status(email).await, "delivered");
    app.reply_to(email).await;
    // From a campaign's step that uses it.
    let campaign = campaign_with_steps(
        &app,
        &token,
        "Templated",
        &[
            json!({ "kind": "automatic_email", "subject": "About {{company}}",
                  "body": "<p>Hello</p>", "template_id": id }),
        ],
    )
    .await;
    let steps = app
        .get_json(&format!("/campaigns/{campaign}/steps"), &token)
        .await;
    assert_eq!(steps[0]["template_id"], id);
    enrol(&app, &token, campaign, &people[1..]).await;
    for &person in &people[1..] {
        after_sending(&app, &token, campaign, person, |e| e["state"] == "finished").await;
    }

    let usage = app.get_json(&format!("/templates/{id}"), &token).await["usage"].clone();
    assert_eq!(
        usage,
        json!({ "sent": 3, "viewed": 0, "clicked": 0, "replied": 1 })
    );

    // A step naming another rep's template is refused.
    let other = app.login(OTHER_REP).await;
    let theirs = app
        .post_for_id("/templates", &other, &template("Theirs"))
        .await;
    let problem = assert_problem(
        app.post(
            &format!("/campaigns/{campaign}/steps"),
            &token,
            &json!({ "kind": "call", "subject": "Call", "template_id": theirs }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["field"], "template_id");

    // Deleted, the emails stay and forget it.
    assert_eq!(
        app.delete(&format!("/templates/{id}"), &token)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.status_of(email).await, "delivered");
    assert_problem(
        app.get(&format!("/templates/{id}"), &token).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn a_merge_field_that_does_not_exist_is_refused_wherever_it_is_written() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let campaign = app
        .post_for_id("/campaigns", &token, &json!({ "name": "Typos" }))
        .await;
    let typo = "<p>Hi {{frist_name}}</p>";
    for (path, body, field) in [
        (
            "/templates".to_owned(),
            json!({ "name": "Typo", "subject": "Hello", "body": typo }),
            "body",
        ),
        (
            "/templates".to_owned(),
            json!({ "name": "Typo", "subject": "For {{compnay}}", "body": "<p>Hi</p>" }),
            "subject",
        ),
        (
            format!("/campaigns/{campaign}/steps"),
            json!({ "kind": "automatic_email", "wait_days": 0, "subject": "Hello", "body": typo }),
            "body",
        ),
        (
            "/emails".to_owned(),
            json!({ "person_id": person, "subject": "Hello", "body": typo }),
            "body",
        ),
        (
            "/emails/batch".to_owned(),
            json!({ "kind": "individual", "subject": "Hi {{nickname}}", "body": "<p>Hi</p>",
                    "recipients": [{ "person_id": person }] }),
            "subject",
        ),
    ] {
        let problem = assert_problem(
            app.post(&path, &token, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], field, "{path}: {problem}");
        let detail = problem["detail"].as_str().unwrap();
        assert!(
            detail.contains("not a merge field") && detail.contains("{{first_name}}"),
            "{path}: {detail}"
        );
    }
    // Nothing was kept: no template, no step, no email with the typo.
    let (kept,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM templates WHERE name = 'Typo')
              + (SELECT COUNT(*) FROM campaign_steps WHERE campaign_id = $1)
              + (SELECT COUNT(*) FROM emails WHERE body_html LIKE '%frist%' OR subject LIKE '%nickname%')",
    )
    .bind(campaign)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(kept, 0);
}
