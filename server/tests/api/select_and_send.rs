//! Campaigns as named groups of people, and Select and Send / group email: limits, per-recipient
//! copies, merge fields that would come out empty, and that a refused batch sends nothing.

use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP, OTHER_REP};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn people_of(app: &TestApp, rep: &str, n: i64) -> Vec<i64> {
    let owner = app.user_id(rep).await;
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM people WHERE owner_id = $1 ORDER BY id LIMIT $2")
            .bind(owner)
            .bind(n)
            .fetch_all(&app.db)
            .await
            .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

async fn email_count(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM emails")
        .fetch_one(&app.db)
        .await
        .unwrap();
    n
}

fn recipients(ids: &[i64]) -> Value {
    ids.iter().map(|id| json!({ "person_id": id })).collect()
}

fn in_an_hour() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339()
}

#[tokio::test]
async fn campaigns_are_created_listed_and_filled_with_the_reps_own_people() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let created = app
        .post("/campaigns", &token, &json!({ "name": "  Spring launch " }))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["name"], "Spring launch");
    assert_eq!(created["people"], 0);
    let id = created["id"].as_i64().unwrap();

    let again = app
        .post("/campaigns", &token, &json!({ "name": "Spring launch" }))
        .await;
    assert_problem(again, StatusCode::CONFLICT).await;
    let blank = app
        .post("/campaigns", &token, &json!({ "name": " " }))
        .await;
    assert_eq!(
        assert_problem(blank, StatusCode::UNPROCESSABLE_ENTITY).await["field"],
        "name"
    );

    let mine = people_of(&app, DEMO_REP, 3).await;
    let theirs = people_of(&app, OTHER_REP, 1).await;
    let path = format!("/campaigns/{id}/people");
    let mixed = app
        .post(
            &path,
            &token,
            &json!({ "person_ids": [mine[0], theirs[0]] }),
        )
        .await;
    assert_problem(mixed, StatusCode::UNPROCESSABLE_ENTITY).await;
    let added: Value = app
        .post(&path, &token, &json!({ "person_ids": mine }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(added["people"], 3, "the refused request added nobody");
    let twice: Value = app
        .post(&path, &token, &json!({ "person_ids": [mine[0]] }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(twice["people"], 3, "a member is in a campaign once");

    let listed = app.get_json("/campaigns", &token).await;
    let listed = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap();
    assert_eq!(listed["people"], 3);
    // Another rep cannot see or fill it.
    let other = app.login(OTHER_REP).await;
    let foreign = app
        .post(&path, &other, &json!({ "person_ids": theirs }))
        .await;
    assert_problem(foreign, StatusCode::NOT_FOUND).await;
    let their_list = app.get_json("/campaigns", &other).await;
    assert!(their_list.as_array().unwrap().iter().all(|c| c["id"] != id));
}

#[tokio::test]
async fn select_and_send_delivers_each_copy_with_its_merge_fields_and_edits_in_a_campaign() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let people = people_of(&app, DEMO_REP, 3).await;
    let campaign = app
        .post_for_id("/campaigns", &token, &json!({ "name": "Follow-up" }))
        .await;
    let batch = json!({
        "kind": "individual",
        "subject": "Hi {{first_name}}",
        "body": "<p>Hello {{first_name}}, how is {{company}}?</p>",
        "campaign_id": campaign,
        "recipients": [
            { "person_id": people[0] },
            { "person_id": people[1], "body": "<p>{{first_name}}, as promised: the deck.</p>" },
            { "person_id": people[2], "subject": "Quick one" },
        ],
    });
    let response = app.post("/emails/batch", &token, &batch).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["status"], "in_progress");
    let ids: Vec<i64> = created["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);

    let mut messages = Vec::new();
    for &id in &ids {
        assert_eq!(app.settled_status(id).await, "delivered");
        messages.push(app.sent_message(id).await);
    }
    let (first_name, company): (String, String) =
        sqlx::query_as("SELECT first_name, company FROM people WHERE id = $1")
            .bind(people[0])
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(
        messages[0].contains(&format!("Hello {first_name}, how is {company}?")),
        "{}",
        messages[0]
    );
    assert!(messages[1].contains("as promised: the deck."));
    assert!(!messages[1].contains("how is"));
    assert!(messages[2].contains("Subject: Quick one"));

    let detail = app.get_json(&format!("/emails/{}", ids[0]), &token).await;
    assert_eq!(detail["campaign"]["id"], campaign);
    let listed = app.get_json("/campaigns", &token).await;
    let listed = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == campaign)
        .unwrap()
        .clone();
    assert_eq!(listed["people"], 3, "recipients join the campaign");
    assert_eq!(listed["emails"], 3);
}

#[tokio::test]
async fn a_scheduled_batch_waits_in_scheduled_and_is_never_a_draft() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let people = people_of(&app, DEMO_REP, 2).await;
    let batch = json!({
        "kind": "group", "subject": "News", "body": "<p>Our news</p>",
        "send_at": in_an_hour(), "recipients": recipients(&people), "draft": true,
    });
    let created: Value = app
        .post("/emails/batch", &token, &batch)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(created["status"], "scheduled");
    for id in created["ids"].as_array().unwrap() {
        assert_eq!(app.status_of(id.as_i64().unwrap()).await, "scheduled");
    }
    let past = json!({
        "kind": "group", "subject": "News", "body": "x",
        "send_at": "2020-01-01T00:00:00Z", "recipients": recipients(&people),
    });
    let refused = app.post("/emails/batch", &token, &past).await;
    assert_eq!(
        assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await["field"],
        "send_at"
    );
}

/// Adds `n` people to a rep, so that the limits can be reached.
async fn add_people(app: &TestApp, rep: &str, n: usize) -> Vec<i64> {
    let owner = app.user_id(rep).await;
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO people (owner_id, first_name, last_name, email, email_key, company, title, created_at)
             VALUES ($1, 'Extra', $2, $3, $3, 'Acme', 'Buyer', 0) RETURNING id",
        )
        .bind(owner)
        .bind(format!("No{i}"))
        .bind(format!("extra{i}@example.net"))
        .fetch_one(&app.db)
        .await
        .unwrap();
        ids.push(id);
    }
    ids
}

#[tokio::test]
async fn over_the_limits_is_a_clear_refusal_and_nothing_is_sent() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let people = add_people(&app, DEMO_REP, 1001).await;
    let before = email_count(&app).await;
    let send = |kind: &str, n: usize| {
        json!({ "kind": kind, "subject": "Hi", "body": "x", "send_at": in_an_hour(),
                "recipients": recipients(&people[..n]) })
    };

    let too_many = app
        .post("/emails/batch", &token, &send("individual", 201))
        .await;
    let problem = assert_problem(too_many, StatusCode::UNPROCESSABLE_ENTITY).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("200") && detail.contains("201"), "{detail}");
    let too_many = app
        .post("/emails/batch", &token, &send("group", 1001))
        .await;
    assert_problem(too_many, StatusCode::UNPROCESSABLE_ENTITY).await;
    let none = app.post("/emails/batch", &token, &send("group", 0)).await;
    assert_problem(none, StatusCode::UNPROCESSABLE_ENTITY).await;
    let mut edited = send("group", 2);
    edited["recipients"][0]["body"] = json!("mine");
    let edited = app.post("/emails/batch", &token, &edited).await;
    assert_problem(edited, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(email_count(&app).await, before);

    let individual = app
        .post("/emails/batch", &token, &send("individual", 200))
        .await;
    assert_eq!(individual.status(), StatusCode::CREATED);
    let group = app
        .post("/emails/batch", &token, &send("group", 1000))
        .await;
    assert_eq!(group.status(), StatusCode::CREATED);
    assert_eq!(email_count(&app).await, before + 1200);
}

#[tokio::test]
async fn an_empty_merge_field_names_the_people_and_sends_nothing_until_their_copy_is_edited() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let people = add_people(&app, DEMO_REP, 3).await;
    sqlx::query("UPDATE people SET title = '', first_name = 'Untitled' WHERE id = $1")
        .bind(people[1])
        .execute(&app.db)
        .await
        .unwrap();
    let before = email_count(&app).await;
    let mut batch = json!({
        "kind": "individual", "subject": "For a {{title}}", "body": "<p>Hi {{first_name}}</p>",
        "recipients": recipients(&people),
    });
    let refused = app.post("/emails/batch", &token, &batch).await;
    let problem = assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("Untitled No1") && detail.contains("{{title}}"),
        "{detail}"
    );
    assert!(
        !detail.contains("No0") && !detail.contains("No2"),
        "{detail}"
    );
    assert_eq!(email_count(&app).await, before);

    batch["recipients"][1]["subject"] = json!("For you");
    let sent = app.post("/emails/batch", &token, &batch).await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    assert_eq!(email_count(&app).await, before + 3);
}

#[tokio::test]
async fn another_reps_people_or_campaign_are_refused_whole() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let mine = people_of(&app, DEMO_REP, 2).await;
    let theirs = people_of(&app, OTHER_REP, 1).await;
    let before = email_count(&app).await;
    let mixed = json!({ "kind": "group", "subject": "Hi", "body": "x",
                        "recipients": recipients(&[mine[0], theirs[0], mine[1]]) });
    let refused = app.post("/emails/batch", &token, &mixed).await;
    assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    let other = app.login(OTHER_REP).await;
    let their_campaign = app.get_json("/campaigns", &other).await[0]["id"].clone();
    let foreign = json!({ "kind": "group", "subject": "Hi", "body": "x",
                          "campaign_id": their_campaign, "recipients": recipients(&mine) });
    let refused = app.post("/emails/batch", &token, &foreign).await;
    assert_eq!(
        assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await["field"],
        "campaign_id"
    );
    assert_eq!(email_count(&app).await, before);
}
