//! Advanced search and saved searches through the API, with engagement arriving through the real
//! tracking endpoints and the signed webhook.

use crate::helpers::{assert_problem, signed_now, spawn_app, TestApp, DEMO_REP, OTHER_REP};
use api::endpoints::{campaigns, search};
use api::search::{
    NewSavedSearch, SavedSearchPatch, SearchQuery, SearchRequest, SearchResponse, SearchResults,
};
use api::{CampaignId, EmailId, PersonId, SavedSearchId, UserId};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::http::webhooks::SIGNATURE_HEADER;

struct Sent {
    id: i64,
    person: i64,
    pixel: String,
    link: String,
    message_id: String,
}

/// Sends an email (in the campaign, if any) to a person now and returns how to engage with it.
async fn send(app: &TestApp, token: &str, person: i64, campaign: impl Into<Option<i64>>) -> Sent {
    let body = json!({ "person_id": person, "subject": "Hello", "body": "<a href=\"https://example.com/x\">x</a>", "campaign_id": campaign.into() });
    let id = app.post_for_id("/emails", token, &body).await;
    assert_eq!(app.settled_status(id).await, "delivered");
    let (pixel, link, message_id): (String, String, String) = sqlx::query_as(
        "SELECT e.tracking_token, l.token, e.message_id FROM emails e JOIN email_links l ON l.email_id = e.id WHERE e.id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    Sent {
        id,
        person,
        pixel,
        link,
        message_id,
    }
}

async fn view(app: &TestApp, sent: &Sent) {
    app.client
        .get(format!("{}/t/v/{}.gif", app.base, sent.pixel))
        .send()
        .await
        .unwrap();
}

async fn click(app: &TestApp, sent: &Sent) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    client
        .get(format!("{}/t/c/{}", app.base, sent.link))
        .send()
        .await
        .unwrap();
}

async fn reply(app: &TestApp, sent: &Sent) {
    let body =
        serde_json::to_vec(&json!({ "message_id": sent.message_id, "event": "reply" })).unwrap();
    let response = app
        .client
        .post(app.url("/webhooks/delivery"))
        .header(SIGNATURE_HEADER, signed_now(&body))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

/// The seed's example, as it goes on the wire.
fn engaged_not_replied(campaign: i64) -> SearchQuery {
    query_of(&json!({ "version": 2, "all": [
        { "type": "campaign", "ids": [campaign] },
        { "type": "engagement", "engagement": "viewed" },
        { "type": "engagement", "engagement": "clicked" },
        { "type": "engagement", "engagement": "replied", "negate": true },
    ]}))
}

/// The rep's own search for `query`, as the search page runs it.
async fn run(app: &TestApp, token: &str, query: SearchQuery) -> SearchResponse {
    let request = SearchRequest {
        query,
        owner_id: None,
    };
    app.call(token, search::run(&request)).await
}

fn ids(results: &SearchResults) -> Vec<i64> {
    let mut ids: Vec<i64> = results.items.iter().map(|h| h.person.id.0).collect();
    ids.sort_unstable();
    ids
}

fn email_ids(results: &SearchResults) -> Vec<i64> {
    let mut ids: Vec<i64> = results.emails.iter().map(|e| e.id.0).collect();
    ids.sort_unstable();
    ids
}

/// The query a JSON value stands for, defaults filled in.
fn query_of(value: &Value) -> SearchQuery {
    serde_json::from_value(value.clone()).unwrap()
}

fn sorted<const N: usize>(mut ids: [i64; N]) -> Vec<i64> {
    ids.sort_unstable();
    ids.to_vec()
}

/// A rep with no engagement yet, their first campaign and their first `n` people.
async fn quiet_rep(app: &TestApp, n: i64) -> (String, i64, Vec<i64>) {
    let token = app.login(DEMO_REP).await;
    app.clear_engagement_events().await;
    sqlx::query("UPDATE emails SET views = 0, clicks = 0, replies = 0, last_activity_at = NULL")
        .execute(&app.db)
        .await
        .unwrap();
    let campaign = app.call(&token, campaigns::list()).await[0].id;
    let owner = app.user_id(DEMO_REP).await;
    let people: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM people WHERE owner_id = $1 ORDER BY id LIMIT $2")
            .bind(owner)
            .bind(n)
            .fetch_all(&app.db)
            .await
            .unwrap();
    (
        token,
        campaign.0,
        people.into_iter().map(|(p,)| p).collect(),
    )
}

/// The seed's example on a small fixed history, against the answer worked out by hand: only the
/// campaign emails that were themselves viewed and clicked and got no reply, whatever their
/// people did with other emails.
#[tokio::test]
async fn the_seeds_example_finds_exactly_the_emails_worked_out_by_hand() {
    let app = spawn_app().await;
    let (token, campaign, people) = quiet_rep(&app, 5).await;
    let [p1, p2, p3, p4, p5] = people[..] else {
        unreachable!()
    };
    // P1: the campaign email viewed and clicked, no reply.                      → in
    let e1 = send(&app, &token, p1, campaign).await;
    view(&app, &e1).await;
    click(&app, &e1).await;
    // P2: the campaign email viewed, clicked and replied to.                    → out
    let e2 = send(&app, &token, p2, campaign).await;
    view(&app, &e2).await;
    click(&app, &e2).await;
    reply(&app, &e2).await;
    // P3: the campaign email viewed; the click was on an email of no campaign.  → out
    let e3 = send(&app, &token, p3, campaign).await;
    let e3_other = send(&app, &token, p3, None).await;
    view(&app, &e3).await;
    click(&app, &e3_other).await;
    // P4: the campaign email viewed and clicked; a reply to another email.      → in
    let e4 = send(&app, &token, p4, campaign).await;
    let e4_other = send(&app, &token, p4, None).await;
    view(&app, &e4).await;
    click(&app, &e4).await;
    reply(&app, &e4_other).await;
    // P5: two campaign emails, one viewed, the other clicked.                   → out
    let e5a = send(&app, &token, p5, campaign).await;
    let e5b = send(&app, &token, p5, campaign).await;
    view(&app, &e5a).await;
    click(&app, &e5b).await;

    let results = run(&app, &token, engaged_not_replied(campaign)).await;
    assert_eq!(email_ids(&results.found), sorted([e1.id, e4.id]));
    assert_eq!(ids(&results.found), sorted([p1, p4]));
    for hit in &results.found.items {
        assert_eq!(hit.matching_emails, 1);
        // The engagement shown is that of the matching email, not the person's reply elsewhere.
        assert_eq!(hit.replies, 0);
    }
    assert_eq!(results.previous_query, None);

    // The same query in version 1 is taken, runs as version 2, and says its meaning changed.
    let v1 = SearchQuery {
        version: 1,
        ..engaged_not_replied(campaign)
    };
    let old = run(&app, &token, v1.clone()).await;
    assert_eq!(email_ids(&old.found), sorted([e1.id, e4.id]));
    assert_eq!(old.query.version, 2);
    assert_eq!(old.previous_query, Some(v1));
}

/// A list saved by version 1 is upgraded when first read; it says once that its meaning changed.
#[tokio::test]
async fn a_version_1_list_tells_once_that_its_meaning_changed() {
    let app = spawn_app().await;
    let (token, campaign, _) = quiet_rep(&app, 0).await;
    let owner = app.user_id(DEMO_REP).await;
    let v1 = SearchQuery {
        version: 1,
        ..engaged_not_replied(campaign)
    };
    let insert = |name: &'static str, query: Value| {
        sqlx::query_as::<_, (i64,)>(
            "INSERT INTO saved_searches (owner_id, name, query, created_at, updated_at)
             VALUES ($1, $2, $3, 0, 0) RETURNING id",
        )
        .bind(owner)
        .bind(name)
        .bind(query.to_string())
    };
    let v1_json = serde_json::to_value(&v1).unwrap();
    let (changed,) = insert("Hot", v1_json).fetch_one(&app.db).await.unwrap();
    let same = json!({ "version": 1, "all": [{ "type": "campaign", "ids": [campaign] }] });
    let (kept,) = insert("In it", same).fetch_one(&app.db).await.unwrap();

    let list = app.call(&token, search::saved_list()).await;
    let by_id = |id: i64| {
        list.iter()
            .find(|s| s.id == SavedSearchId(id))
            .unwrap()
            .clone()
    };
    assert_eq!(by_id(changed).query.version, 2);
    assert_eq!(by_id(changed).previous_query, Some(v1.clone()));
    assert_eq!(by_id(kept).query.version, 2);
    assert_eq!(by_id(kept).previous_query, None);
    // Opening the list is when the rep is told; after that it is just a version 2 list.
    let opened = app
        .call(&token, search::saved(SavedSearchId(changed)))
        .await;
    assert_eq!(opened.previous_query, Some(v1.clone()));
    app.call(&token, search::saved_results(SavedSearchId(changed), true))
        .await;
    let later = app
        .call(&token, search::saved(SavedSearchId(changed)))
        .await;
    assert_eq!(later.previous_query, None);
    assert_eq!(later.query.all, v1.all);
}

#[tokio::test]
async fn viewed_and_clicked_but_not_replied_in_a_campaign_then_a_dynamic_list() {
    let app = spawn_app().await;
    // Only this test's engagement counts.
    let (token, campaign, people) = quiet_rep(&app, 4).await;
    let mut sent = Vec::new();
    for person in people {
        sent.push(send(&app, &token, person, campaign).await);
    }
    let [a, b, c, _d] = &sent[..] else {
        unreachable!()
    };
    view(&app, a).await;
    click(&app, a).await;
    view(&app, b).await;
    click(&app, b).await;
    reply(&app, b).await;
    view(&app, c).await;

    let results = run(&app, &token, engaged_not_replied(campaign)).await.found;
    assert_eq!(ids(&results), [a.person]);
    assert_eq!(results.items[0].views, 1);
    assert_eq!(results.items[0].campaigns[0].id, CampaignId(campaign));

    let hot = NewSavedSearch {
        name: "Hot, no reply".to_owned(),
        query: engaged_not_replied(campaign),
    };
    let saved = app.send(&token, search::save(&hot)).await;
    assert_eq!(saved.status(), StatusCode::CREATED);
    let saved: api::search::SavedSearch = saved.json().await.unwrap();
    assert_eq!(saved.member_count, 1);
    let id = saved.id;
    let list = app.call(&token, search::saved_list()).await;
    assert_eq!(list[0].name, "Hot, no reply");

    // C clicks: C joins the list, marked new until the rep opens it.
    click(&app, c).await;
    let live = app.call(&token, search::saved_results(id, false)).await;
    assert_eq!(ids(&live.found), sorted([a.person, c.person]));
    assert_eq!(live.new_ids, [PersonId(c.person)]);
    assert_eq!(live.new_email_ids, [EmailId(c.id)]);
    let opened = app.call(&token, search::saved_results(id, true)).await;
    assert_eq!(opened.new_ids, [PersonId(c.person)]);
    let again = app.call(&token, search::saved_results(id, false)).await;
    assert!(again.new_ids.is_empty());

    // Rename, a clashing name, delete.
    let rename = SavedSearchPatch {
        name: Some("Follow up".to_owned()),
        query: None,
    };
    let renamed = app.call(&token, search::change_saved(id, &rename)).await;
    assert_eq!(renamed.name, "Follow up");
    let clash = NewSavedSearch {
        name: "Follow up".to_owned(),
        query: SearchQuery::default(),
    };
    assert_problem(
        app.send(&token, search::save(&clash)).await,
        StatusCode::CONFLICT,
    )
    .await;
    let deleted = app.send(&token, search::delete_saved(id)).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.send(&token, search::saved(id)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn only_an_admin_may_search_as_another_rep() {
    let app = spawn_app().await;
    let ben = app.login(OTHER_REP).await;
    let admin = app.login("admin@example.com").await;
    let aiko = app.user_id(DEMO_REP).await;
    let as_aiko = SearchRequest {
        query: query_of(
            &json!({ "all": [{ "type": "person", "field": "company", "op": "contains", "value": "" }] }),
        ),
        owner_id: Some(UserId(aiko)),
    };
    assert_problem(
        app.send(&ben, search::run(&as_aiko)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let as_aiko = app.call(&admin, search::run(&as_aiko)).await.found;
    // A search over emails: everyone Aiko has emailed.
    let (people,): (i64,) =
        sqlx::query_as("SELECT COUNT(DISTINCT person_id) FROM emails WHERE owner_id = $1")
            .bind(aiko)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(as_aiko.items.len() as i64, people);
    // Ben's own search never returns Aiko's people.
    let own = run(&app, &ben, SearchQuery::default()).await.found;
    let ben_id = app.user_id(OTHER_REP).await;
    for hit in &own.items {
        let (owner,): (i64,) = sqlx::query_as("SELECT owner_id FROM people WHERE id = $1")
            .bind(hit.person.id)
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(owner, ben_id);
    }
}

#[tokio::test]
async fn invalid_queries_are_422_and_hostile_values_are_just_text() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let bad = json!({ "query": { "all": [{ "type": "engagement", "engagement": "viewed", "min_count": 0 }] } });
    assert_eq!(
        assert_problem(
            app.post("/search", &token, &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY
        )
        .await["field"],
        "query"
    );
    // JSON, but not a condition: 422 naming where.
    let unknown = json!({ "query": { "all": [{ "type": "mood", "value": "happy" }] } });
    let problem = assert_problem(
        app.post("/search", &token, &unknown).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        problem["field"]
            .as_str()
            .unwrap()
            .starts_with("query.all[0]"),
        "{problem}"
    );
    let hostile = json!({ "query": { "all": [{ "type": "person", "field": "name", "op": "contains", "value": "x' OR '1'='1" }] } });
    let response = app.post("/search", &token, &hostile).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["items"], json!([]));
}

#[tokio::test]
async fn a_rep_keeps_at_most_200_saved_searches_and_a_search_names_its_limits() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let owner = app.user_id(DEMO_REP).await;
    let query = json!({ "version": 2, "all": [], "any": [] }).to_string();
    for i in 0..200 {
        sqlx::query("INSERT INTO saved_searches (owner_id, name, query, created_at, updated_at) VALUES ($1, $2, $3, 0, 0)")
            .bind(owner)
            .bind(format!("List {i}"))
            .bind(&query)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let one_more = NewSavedSearch {
        name: "One more".to_owned(),
        query: SearchQuery::default(),
    };
    let refused = app.send(&token, search::save(&one_more)).await;
    let problem = crate::helpers::assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("200"),
        "{problem}"
    );

    let long = "x".repeat(201);
    let refused = app
        .post(
            "/search",
            &token,
            &json!({ "query": { "version": 2, "all": [{ "type": "person", "field": "company", "op": "contains", "value": long }] } }),
        )
        .await;
    let problem = crate::helpers::assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("200 characters"),
        "{problem}"
    );
}

#[tokio::test]
async fn a_search_past_its_time_limit_is_503_and_gives_its_connection_back() {
    // No time at all: any search that does real work is stopped.
    let app = crate::helpers::spawn_app_with(|config| config.query_time_limit_ms = 0).await;
    let token = app.login(DEMO_REP).await;
    // Enough emails (the demo rep's, doubled five times) that no search over them ends within
    // the least time PostgreSQL's limit takes (1 ms): the demo's own ran within it at times.
    let owner = app.user_id(DEMO_REP).await;
    for _ in 0..5 {
        sqlx::query(
            "INSERT INTO emails (owner_id, person_id, subject, body_html, status, channel,
                                 created_at, updated_at, sent_at, folder_at)
             SELECT owner_id, person_id, subject, body_html, 'archived', channel,
                    created_at, updated_at, created_at, folder_at
             FROM emails WHERE owner_id = $1",
        )
        .bind(owner)
        .execute(&app.db)
        .await
        .unwrap();
    }
    let query = json!({ "query": { "version": 2, "all": [
        { "type": "person", "field": "company", "op": "contains", "value": "a" },
    ]}});
    // More stopped searches than the pool has connections: none stays taken.
    for _ in 0..20 {
        let response = app.post("/search", &token, &query).await;
        assert!(response.headers().contains_key("retry-after"));
        let problem = assert_problem(response, StatusCode::SERVICE_UNAVAILABLE).await;
        assert!(problem["detail"].as_str().unwrap().contains("too long"));
    }
    let delivered = api::endpoints::emails::folder(api::Folder::Delivered, 50, None);
    assert_eq!(app.send(&token, delivered).await.status(), StatusCode::OK);
    assert_eq!(
        app.send(&token, search::saved_list()).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn saved_search_counts_match_each_lists_own_results() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let queries = [
        json!({ "version": 2, "all": [{ "type": "engagement", "engagement": "viewed" }] }),
        json!({ "version": 2, "all": [{ "type": "engagement", "engagement": "replied", "negate": true }] }),
        json!({ "version": 2, "all": [{ "type": "person", "field": "company", "op": "contains", "value": "no such company" }] }),
    ];
    for (i, query) in queries.iter().enumerate() {
        let list = NewSavedSearch {
            name: format!("List {i}"),
            query: query_of(query),
        };
        let created = app.send(&token, search::save(&list)).await;
        assert_eq!(created.status(), StatusCode::CREATED);
    }
    let lists = app.call(&token, search::saved_list()).await;
    assert_eq!(lists.len(), 3);
    for list in &lists {
        let found = run(&app, &token, list.query.clone()).await.found;
        assert_eq!(list.member_count, found.total_people, "{}", list.name);
        assert_eq!(list.email_count, found.total_emails, "{}", list.name);
    }
    assert_eq!(lists[2].member_count, 0);
    assert!(lists[0].member_count > 0);
}
