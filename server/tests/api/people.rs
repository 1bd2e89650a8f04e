//! A rep's people: add, change, delete and undo; one person per email address per rep, whatever
//! its case; another rep's person is "not found" everywhere; a person's page holds their emails,
//! campaigns and timeline; the rep's do-not-contact mark stops sending and can be taken back,
//! while a person's own opt-out cannot.

use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP, OTHER_REP};
use api::endpoints::{emails, people, search};
use api::people::{PeopleBulkAction, PeopleBulkRequest, PeopleSort, TimelineKind};
use api::search::{SearchQuery, SearchRequest, SearchResults};
use api::{NewEmail, PersonId};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn add(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.post("/people", token, &body).await
}

async fn patch(app: &TestApp, token: &str, id: i64, body: Value) -> reqwest::Response {
    app.client
        .patch(app.url(&format!("/people/{id}")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// How many people the rep has, as the list says.
async fn total(app: &TestApp, token: &str) -> u64 {
    let first = people::page("", PeopleSort::default(), 0, 1);
    app.call(token, first).await.total
}

async fn names_in_list(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let page = app
        .call(token, people::page(q, PeopleSort::default(), 0, 500))
        .await;
    page.items.into_iter().map(|p| p.email).collect()
}

async fn search_people(app: &TestApp, token: &str, query: &SearchQuery) -> SearchResults {
    let request = SearchRequest {
        query: query.clone(),
        owner_id: None,
    };
    app.call(token, search::run(&request)).await.found
}

fn hello(person_id: i64, subject: &str) -> NewEmail {
    NewEmail {
        person_id: PersonId(person_id),
        subject: subject.to_owned(),
        body: "<p>Hi</p>".to_owned(),
        ..NewEmail::default()
    }
}

#[tokio::test]
async fn a_rep_adds_a_person_and_the_same_address_in_another_case_is_a_409_naming_them() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let response = add(
        &app,
        &token,
        json!({ "first_name": " Hanako ", "last_name": "Sato", "email": "Hanako.Sato@Example.jp",
                "company": "Sakura Trading", "title": "Buyer", "phone": "03-1234-5678",
                "linkedin_url": "https://www.linkedin.com/in/hanako" }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let person: Value = response.json().await.unwrap();
    assert_eq!(person["first_name"], "Hanako");
    assert_eq!(person["name"], "Hanako Sato");
    assert_eq!(person["opted_out"], false);

    let duplicate = add(&app, &token, json!({ "email": "hanako.sato@EXAMPLE.JP" })).await;
    let problem = assert_problem(duplicate, StatusCode::CONFLICT).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("Hanako Sato"),
        "{problem}"
    );

    // Another rep keeps their own people: the same address is theirs to add.
    let other = app.login(OTHER_REP).await;
    let theirs = add(&app, &other, json!({ "email": "hanako.sato@example.jp" })).await;
    assert_eq!(theirs.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn bad_fields_are_422s_naming_the_field() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    for (body, field) in [
        (json!({ "first_name": "No address" }), "email"),
        (json!({ "email": "not an address" }), "email"),
        (
            json!({ "email": "a@example.com", "company": "Two\nlines" }),
            "company",
        ),
        (
            json!({ "email": "a@example.com", "linkedin_url": "javascript:alert(1)" }),
            "linkedin_url",
        ),
    ] {
        let problem = assert_problem(
            add(&app, &token, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], field, "{problem}");
    }
    let before = total(&app, &token).await;
    let person = app.a_person_of(DEMO_REP).await;
    let problem = assert_problem(
        patch(&app, &token, person, json!({ "email": "" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["field"], "email");
    assert_eq!(total(&app, &token).await, before);
}

#[tokio::test]
async fn another_reps_person_is_not_found_everywhere() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let theirs = app.a_person_of(OTHER_REP).await;
    let mine = app.a_person_of(DEMO_REP).await;
    let both = PeopleBulkRequest {
        action: PeopleBulkAction::Delete,
        ids: vec![PersonId(mine), PersonId(theirs)],
    };
    for refused in [
        app.send(&token, people::one(PersonId(theirs))).await,
        patch(&app, &token, theirs, json!({ "company": "Mine now" })).await,
        app.send(&token, people::delete(PersonId(theirs))).await,
        app.send(&token, people::restore(PersonId(theirs))).await,
        app.send(&token, people::bulk(&both)).await,
    ] {
        assert_problem(refused, StatusCode::NOT_FOUND).await;
    }
    // Nothing changed: the rep's own person in that request is still there.
    assert_eq!(
        app.send(&token, people::one(PersonId(mine))).await.status(),
        StatusCode::OK
    );
    let (company,): (String,) = sqlx::query_as("SELECT company FROM people WHERE id = $1")
        .bind(theirs)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_ne!(company, "Mine now");
}

#[tokio::test]
async fn a_deleted_person_leaves_lists_and_search_keeps_their_emails_and_comes_back_on_undo() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let created: Value = add(
        &app,
        &token,
        json!({ "first_name": "Kenji", "last_name": "Mori", "email": "kenji.mori@example.org" }),
    )
    .await
    .json()
    .await
    .unwrap();
    let id = created["id"].as_i64().unwrap();
    let email = app.call(&token, emails::create(&hello(id, "Hello"))).await;
    let email_id = email.summary.id;
    assert_eq!(app.settled_status(email_id.0).await, "delivered");
    let search: SearchQuery = serde_json::from_value(
        json!({ "version": 2, "all": [{ "type": "person", "field": "email", "op": "contains", "value": "kenji.mori" }] }),
    )
    .unwrap();
    let found = search_people(&app, &token, &search).await;
    assert_eq!(found.total_people, 1, "{found:?}");

    assert_eq!(
        app.send(&token, people::delete(PersonId(id)))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert!(names_in_list(&app, &token, "kenji").await.is_empty());
    assert_problem(
        app.send(&token, people::one(PersonId(id))).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let found = search_people(&app, &token, &search).await;
    assert_eq!(found.total_people, 0, "{found:?}");
    // Their email stays, and no new one can be written to them.
    assert_eq!(
        app.send(&token, emails::one(email_id)).await.status(),
        StatusCode::OK
    );
    let refused = app.send(&token, emails::create(&hello(id, "Again"))).await;
    assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;

    app.call(&token, people::restore(PersonId(id))).await;
    assert_eq!(
        names_in_list(&app, &token, "kenji").await,
        vec!["kenji.mori@example.org"]
    );
    let found = search_people(&app, &token, &search).await;
    assert_eq!(found.total_people, 1, "{found:?}");
}

#[tokio::test]
async fn bulk_delete_and_restore_change_only_the_reps_people_named() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let page = app
        .call(&token, people::page("", PeopleSort::Email, 0, 3))
        .await;
    let ids: Vec<PersonId> = page.items.iter().map(|p| p.id).collect();
    let bulk = |action| PeopleBulkRequest {
        action,
        ids: ids.clone(),
    };
    let deleted = app
        .call(&token, people::bulk(&bulk(PeopleBulkAction::Delete)))
        .await;
    assert_eq!(deleted.changed, 3);
    assert_eq!(total(&app, &token).await, page.total - 3);
    let restored = app
        .call(&token, people::bulk(&bulk(PeopleBulkAction::Restore)))
        .await;
    assert_eq!(restored.changed, 3);
    assert_eq!(total(&app, &token).await, page.total);
}

#[tokio::test]
async fn the_list_searches_sorts_and_pages() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let by_email = |offset| people::page("", PeopleSort::Email, offset, 10);
    let first = app.call(&token, by_email(0)).await;
    let emails: Vec<&str> = first.items.iter().map(|p| p.email.as_str()).collect();
    let mut sorted = emails.clone();
    sorted.sort_by_key(|e| e.to_lowercase());
    assert_eq!(emails, sorted);
    assert_eq!(first.next_offset, Some(10));
    let second = app.call(&token, by_email(10)).await;
    let next: Vec<&str> = second.items.iter().map(|p| p.email.as_str()).collect();
    assert!(next.iter().all(|e| !emails.contains(e)));
    assert!(next[0].to_lowercase() >= emails[9].to_lowercase());
    // A wildcard in the search is a literal character.
    assert!(names_in_list(&app, &token, "%").await.is_empty());
    // A sort the API does not have (only a hand-made query can ask for it).
    let bad = app.get("/people?sort=shoe_size", &token).await;
    assert_problem(bad, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn a_persons_page_holds_their_emails_campaigns_and_timeline() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let owner = app.user_id(DEMO_REP).await;
    // A person of the demo who was emailed in a campaign and engaged.
    let (person, emails): (i64, i64) = sqlx::query_as(
        "SELECT e.person_id, (SELECT COUNT(*) FROM emails a WHERE a.person_id = e.person_id)
         FROM emails e
         WHERE e.owner_id = $1 AND e.campaign_id IS NOT NULL AND e.views > 0
         ORDER BY e.id LIMIT 1",
    )
    .bind(owner)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let detail = app.call(&token, people::one(PersonId(person))).await;
    assert_eq!(detail.person.id, PersonId(person));
    assert_eq!(detail.emails.len() as i64, emails);
    assert!(!detail.campaigns.is_empty());
    let kinds: Vec<TimelineKind> = detail.timeline.iter().map(|t| t.kind).collect();
    assert!(
        kinds.contains(&TimelineKind::Sent) && kinds.contains(&TimelineKind::View),
        "{kinds:?}"
    );
    let times: Vec<_> = detail.timeline.iter().map(|t| t.at).collect();
    let mut newest_first = times.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, newest_first);
}

#[tokio::test]
async fn the_reps_do_not_contact_mark_stops_sending_and_can_be_taken_back_but_an_opt_out_cannot() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let marked = patch(&app, &token, person, json!({ "do_not_contact": true })).await;
    assert_eq!(marked.status(), StatusCode::OK);
    let marked: Value = marked.json().await.unwrap();
    assert_eq!(marked["do_not_contact"], true);
    let refused = app
        .post(
            "/emails",
            &token,
            &json!({ "person_id": person, "subject": "Hi", "body": "x" }),
        )
        .await;
    let problem = assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("do not contact"),
        "{problem}"
    );

    let unmarked: Value = patch(&app, &token, person, json!({ "do_not_contact": false }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unmarked["do_not_contact"], false);
    let sent = app
        .post(
            "/emails",
            &token,
            &json!({ "person_id": person, "subject": "Hi", "body": "x" }),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED);

    // The demo's opted-out person stays opted out whatever the rep sends.
    let owner = app.user_id(DEMO_REP).await;
    let (opted,): (i64,) = sqlx::query_as(
        "SELECT id FROM people WHERE owner_id = $1 AND opted_out_at IS NOT NULL LIMIT 1",
    )
    .bind(owner)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let after: Value = patch(&app, &token, opted, json!({ "do_not_contact": false }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["opted_out"], true);
    let detail = app.call(&token, people::one(PersonId(opted))).await;
    assert!(detail.opted_out_at.is_some());
}
