//! Campaigns as named groups of people, and Select and Send / group email: limits, per-recipient
//! copies, merge fields that would come out empty, and that a refused batch sends nothing.

use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP, OTHER_REP};
use api::batch::{BatchKind, BatchRecipient, NewBatch};
use api::endpoints::{campaigns, emails};
use api::{Campaign, CampaignId, CampaignPeople, EmailStatus, NewCampaign, PersonId, Timestamp};
use reqwest::StatusCode;
use serde_json::json;

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

fn recipients(ids: &[i64]) -> Vec<BatchRecipient> {
    ids.iter()
        .copied()
        .map(PersonId)
        .map(BatchRecipient::to)
        .collect()
}

/// A batch of `kind` with one text for everyone, sent now.
fn batch(kind: BatchKind, subject: &str, body: &str, people: &[i64]) -> NewBatch {
    NewBatch::new(kind, recipients(people), subject, body)
}

fn in_an_hour() -> Option<Timestamp> {
    Some(chrono::Utc::now() + chrono::Duration::hours(1))
}

fn named(name: &str) -> NewCampaign {
    NewCampaign {
        name: name.to_owned(),
    }
}

fn these(person_ids: &[i64]) -> CampaignPeople {
    CampaignPeople {
        person_ids: person_ids.iter().copied().map(PersonId).collect(),
    }
}

async fn campaign_in_list(app: &TestApp, token: &str, id: CampaignId) -> Option<Campaign> {
    let listed = app.call(token, campaigns::list()).await;
    listed.into_iter().find(|c| c.id == id)
}

#[tokio::test]
async fn campaigns_are_created_listed_and_filled_with_the_reps_own_people() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let created = app
        .send(&token, campaigns::create(&named("  Spring launch ")))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Campaign = created.json().await.unwrap();
    assert_eq!(created.name, "Spring launch");
    assert_eq!(created.people, 0);
    let id = created.id;

    let again = app
        .send(&token, campaigns::create(&named("Spring launch")))
        .await;
    assert_problem(again, StatusCode::CONFLICT).await;
    let blank = app.send(&token, campaigns::create(&named(" "))).await;
    assert_eq!(
        assert_problem(blank, StatusCode::UNPROCESSABLE_ENTITY).await["field"],
        "name"
    );

    let mine = people_of(&app, DEMO_REP, 3).await;
    let theirs = people_of(&app, OTHER_REP, 1).await;
    let add = |people: &[i64]| campaigns::add_people(id, &these(people));
    let mixed = app.send(&token, add(&[mine[0], theirs[0]])).await;
    assert_problem(mixed, StatusCode::UNPROCESSABLE_ENTITY).await;
    let added = app.call(&token, add(&mine)).await;
    assert_eq!(added.people, 3, "the refused request added nobody");
    let twice = app.call(&token, add(&[mine[0]])).await;
    assert_eq!(twice.people, 3, "a member is in a campaign once");

    let listed = campaign_in_list(&app, &token, id).await.unwrap();
    assert_eq!(listed.people, 3);
    // Another rep cannot see or fill it.
    let other = app.login(OTHER_REP).await;
    let foreign = app.send(&other, add(&theirs)).await;
    assert_problem(foreign, StatusCode::NOT_FOUND).await;
    assert!(campaign_in_list(&app, &other, id).await.is_none());
}

#[tokio::test]
async fn select_and_send_delivers_each_copy_with_its_merge_fields_and_edits_in_a_campaign() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let people = people_of(&app, DEMO_REP, 3).await;
    let campaign = app
        .call(&token, campaigns::create(&named("Follow-up")))
        .await
        .id;
    let mut copies = batch(
        BatchKind::Individual,
        "Hi {{first_name}}",
        "<p>Hello {{first_name}}, how is {{company}}?</p>",
        &people,
    );
    copies.campaign_id = Some(campaign);
    copies.recipients[1].body = Some("<p>{{first_name}}, as promised: the deck.</p>".to_owned());
    copies.recipients[2].subject = Some("Quick one".to_owned());
    let response = app.send(&token, emails::batch(&copies)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: api::batch::BatchCreated = response.json().await.unwrap();
    assert_eq!(created.status, EmailStatus::InProgress);
    let ids = created.ids;
    assert_eq!(ids.len(), 3);

    let mut messages = Vec::new();
    for &id in &ids {
        assert_eq!(app.settled_status(id.0).await, "delivered");
        messages.push(app.sent_message(id.0).await);
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

    let detail = app.call(&token, emails::one(ids[0])).await;
    assert_eq!(detail.summary.campaign.map(|c| c.id), Some(campaign));
    let listed = campaign_in_list(&app, &token, campaign).await.unwrap();
    assert_eq!(listed.people, 3, "recipients join the campaign");
    assert_eq!(listed.emails, 3);
}

#[tokio::test]
async fn a_scheduled_batch_waits_in_scheduled_and_is_never_a_draft() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let people = people_of(&app, DEMO_REP, 2).await;
    // A "draft" flag, which a batch does not have, is ignored: the batch is scheduled.
    let scheduled = json!({
        "kind": "group", "subject": "News", "body": "<p>Our news</p>",
        "send_at": in_an_hour(), "recipients": recipients(&people), "draft": true,
    });
    let created = app.post("/emails/batch", &token, &scheduled).await;
    let created: api::batch::BatchCreated = created.json().await.unwrap();
    assert_eq!(created.status, EmailStatus::Scheduled);
    for &id in &created.ids {
        assert_eq!(app.status_of(id.0).await, "scheduled");
    }
    let past = NewBatch {
        send_at: "2020-01-01T00:00:00Z".parse().ok(),
        ..batch(BatchKind::Group, "News", "x", &people)
    };
    let refused = app.send(&token, emails::batch(&past)).await;
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
    let send = |kind, n: usize| NewBatch {
        send_at: in_an_hour(),
        ..batch(kind, "Hi", "x", &people[..n])
    };

    let too_many = app
        .send(&token, emails::batch(&send(BatchKind::Individual, 201)))
        .await;
    let problem = assert_problem(too_many, StatusCode::UNPROCESSABLE_ENTITY).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("200") && detail.contains("201"), "{detail}");
    let too_many = app
        .send(&token, emails::batch(&send(BatchKind::Group, 1001)))
        .await;
    assert_problem(too_many, StatusCode::UNPROCESSABLE_ENTITY).await;
    let none = app
        .send(&token, emails::batch(&send(BatchKind::Group, 0)))
        .await;
    assert_problem(none, StatusCode::UNPROCESSABLE_ENTITY).await;
    let mut edited = send(BatchKind::Group, 2);
    edited.recipients[0].body = Some("mine".to_owned());
    let edited = app.send(&token, emails::batch(&edited)).await;
    assert_problem(edited, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(email_count(&app).await, before);

    let individual = app
        .send(&token, emails::batch(&send(BatchKind::Individual, 200)))
        .await;
    assert_eq!(individual.status(), StatusCode::CREATED);
    let group = app
        .send(&token, emails::batch(&send(BatchKind::Group, 1000)))
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
    let mut titled = batch(
        BatchKind::Individual,
        "For a {{title}}",
        "<p>Hi {{first_name}}</p>",
        &people,
    );
    let refused = app.send(&token, emails::batch(&titled)).await;
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

    titled.recipients[1].subject = Some("For you".to_owned());
    let sent = app.send(&token, emails::batch(&titled)).await;
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
    let mixed = batch(BatchKind::Group, "Hi", "x", &[mine[0], theirs[0], mine[1]]);
    let refused = app.send(&token, emails::batch(&mixed)).await;
    assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    let other = app.login(OTHER_REP).await;
    let their_campaign = app.call(&other, campaigns::list()).await[0].id;
    let foreign = NewBatch {
        campaign_id: Some(their_campaign),
        ..batch(BatchKind::Group, "Hi", "x", &mine)
    };
    let refused = app.send(&token, emails::batch(&foreign)).await;
    assert_eq!(
        assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await["field"],
        "campaign_id"
    );
    assert_eq!(email_count(&app).await, before);
}

/// A group email is checked before the write lock and written a hundred rows a statement under
/// it: each id is its recipient's, in the order sent; and a recipient who unsubscribed between
/// the two is caught under the lock, with nothing written.
#[tokio::test]
async fn a_group_email_is_written_in_chunks_and_checked_again_under_the_lock() {
    use server::outbox::batch::prepare;
    let app = spawn_app().await;
    let owner = api::UserId(app.user_id(DEMO_REP).await);
    let people: Vec<i64> = sqlx::query_as::<_, (i64,)>(
        "SELECT id FROM people WHERE owner_id = $1 AND deleted_at IS NULL
           AND opted_out_at IS NULL AND do_not_contact_at IS NULL ORDER BY id LIMIT 150",
    )
    .bind(owner)
    .fetch_all(&app.db)
    .await
    .unwrap()
    .into_iter()
    .map(|(id,)| id)
    .collect();
    assert!(people.len() > 100, "more than one statement's rows");
    let group = batch(
        BatchKind::Group,
        "Hello {{first_name}}",
        "<p>News</p>",
        &people,
    );

    let mut conn = app.db.acquire().await.unwrap();
    let prepared = prepare(&mut conn, owner, &group).await.unwrap();
    let mut tx = server::db::begin_write(&app.db).await.unwrap();
    let created = prepared.write(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(created.ids.len(), people.len());
    for (email, person) in created.ids.iter().zip(&people) {
        let (owner_of, person_of): (i64, i64) =
            sqlx::query_as("SELECT owner_id, person_id FROM emails WHERE id = $1")
                .bind(*email)
                .fetch_one(&app.db)
                .await
                .unwrap();
        assert_eq!((owner_of, person_of), (owner.0, *person));
    }

    let before = email_count(&app).await;
    let prepared = prepare(&mut conn, owner, &group).await.unwrap();
    sqlx::query("UPDATE people SET opted_out_at = $1 WHERE id = $2")
        .bind(app.now_ms())
        .bind(people[people.len() - 5])
        .execute(&app.db)
        .await
        .unwrap();
    let mut tx = server::db::begin_write(&app.db).await.unwrap();
    let refused = prepared.write(&mut tx).await;
    drop(tx);
    let Err(server::outbox::Error::Conflict(text)) = refused else {
        panic!(
            "not refused as a conflict: {:?}",
            refused.map(|c| c.ids.len())
        );
    };
    assert!(text.en.contains("Nothing was sent"), "{}", text.en);
    assert_eq!(email_count(&app).await, before);
}
