//! Advanced search and saved searches through the API, with engagement arriving through the real
//! tracking endpoints and the signed webhook.

use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP, OTHER_REP, WEBHOOK_SECRET};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::http::webhooks::{sign, SIGNATURE_HEADER};

struct Sent {
    person: i64,
    pixel: String,
    link: String,
    message_id: String,
}

/// Sends an email in the campaign to a person now and returns how to engage with it.
async fn send(app: &TestApp, token: &str, person: i64, campaign: i64) -> Sent {
    let body = json!({ "person_id": person, "subject": "Hello", "body": "<a href=\"https://example.com/x\">x</a>", "campaign_id": campaign });
    let id = app
        .post("/emails", token, &body)
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(app.settled_status(id).await, "delivered");
    let (pixel, link, message_id): (String, String, String) = sqlx::query_as(
        "SELECT e.tracking_token, l.token, e.message_id FROM emails e JOIN email_links l ON l.email_id = e.id WHERE e.id = ?",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    Sent {
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
        .header(SIGNATURE_HEADER, sign(WEBHOOK_SECRET, &body))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

fn engaged_not_replied(campaign: i64) -> Value {
    json!({ "version": 1, "all": [
        { "type": "campaign", "ids": [campaign] },
        { "type": "engagement", "engagement": "viewed" },
        { "type": "engagement", "engagement": "clicked" },
        { "type": "engagement", "engagement": "replied", "negate": true },
    ]})
}

fn ids(results: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = results["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["person"]["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn viewed_and_clicked_but_not_replied_in_a_campaign_then_a_dynamic_list() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    // Only this test's engagement counts.
    app.clear_engagement_events().await;
    sqlx::query("UPDATE emails SET views = 0, clicks = 0, replies = 0, last_activity_at = NULL")
        .execute(&app.db)
        .await
        .unwrap();
    let campaign = app.get_json("/campaigns", &token).await[0]["id"]
        .as_i64()
        .unwrap();
    let owner = app.user_id(DEMO_REP).await;
    let people: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM people WHERE owner_id = ? ORDER BY id LIMIT 4")
            .bind(owner)
            .fetch_all(&app.db)
            .await
            .unwrap();
    let mut sent = Vec::new();
    for (person,) in people {
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

    let results = app
        .post(
            "/search",
            &token,
            &json!({ "query": engaged_not_replied(campaign) }),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(ids(&results), [a.person]);
    assert_eq!(results["items"][0]["views"], 1);
    assert_eq!(results["items"][0]["campaigns"][0]["id"], campaign);

    let saved = app
        .post(
            "/saved-searches",
            &token,
            &json!({ "name": "Hot, no reply", "query": engaged_not_replied(campaign) }),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::CREATED);
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(saved["member_count"], 1);
    let id = saved["id"].as_i64().unwrap();
    let list = app.get_json("/saved-searches", &token).await;
    assert_eq!(list[0]["name"], "Hot, no reply");

    // C clicks: C joins the list, marked new until the rep opens it.
    click(&app, c).await;
    let live = app
        .get_json(&format!("/saved-searches/{id}/results"), &token)
        .await;
    assert_eq!(ids(&live), {
        let mut v = vec![a.person, c.person];
        v.sort_unstable();
        v
    });
    assert_eq!(live["new_ids"], json!([c.person]));
    let opened = app
        .get_json(
            &format!("/saved-searches/{id}/results?mark_seen=true"),
            &token,
        )
        .await;
    assert_eq!(opened["new_ids"], json!([c.person]));
    let again = app
        .get_json(&format!("/saved-searches/{id}/results"), &token)
        .await;
    assert_eq!(again["new_ids"], json!([]));

    // Rename, a clashing name, delete.
    let renamed = app
        .client
        .patch(app.url(&format!("/saved-searches/{id}")))
        .bearer_auth(&token)
        .json(&json!({ "name": "Follow up" }))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.json::<Value>().await.unwrap()["name"], "Follow up");
    let clash = app
        .post(
            "/saved-searches",
            &token,
            &json!({ "name": "Follow up", "query": { "all": [] } }),
        )
        .await;
    assert_problem(clash, StatusCode::CONFLICT).await;
    let deleted = app.delete(&format!("/saved-searches/{id}"), &token).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get(&format!("/saved-searches/{id}"), &token).await,
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
    let query = json!({ "query": { "all": [{ "type": "person", "field": "company", "op": "contains", "value": "" }] }, "owner_id": aiko });
    assert_problem(
        app.post("/search", &ben, &query).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let as_aiko = app
        .post("/search", &admin, &query)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let (people,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM people WHERE owner_id = ?")
        .bind(aiko)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(as_aiko["items"].as_array().unwrap().len() as i64, people);
    // Ben's own search never returns Aiko's people.
    let own = app
        .post("/search", &ben, &json!({ "query": {} }))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let ben_id = app.user_id(OTHER_REP).await;
    for hit in own["items"].as_array().unwrap() {
        let (owner,): (i64,) = sqlx::query_as("SELECT owner_id FROM people WHERE id = ?")
            .bind(hit["person"]["id"].as_i64().unwrap())
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
    let unknown = json!({ "query": { "all": [{ "type": "mood", "value": "happy" }] } });
    assert_problem(
        app.post("/search", &token, &unknown).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    let hostile = json!({ "query": { "all": [{ "type": "person", "field": "name", "op": "contains", "value": "x' OR '1'='1" }] } });
    let response = app.post("/search", &token, &hostile).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["items"], json!([]));
}
