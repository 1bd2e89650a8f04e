use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP, OTHER_REP};
use api::batch::{BatchKind, BatchRecipient, NewBatch};
use api::endpoints::emails;
use api::{
    ActionRequest, EmailAction, EmailDetail, EmailId, EmailSummary, EventKind, Folder,
    FolderCounts, NewEmail, Page, PersonId,
};
use reqwest::StatusCode;
use std::collections::{BTreeSet, HashSet};

async fn rows_per_status(app: &TestApp, owner: i64, status: &str) -> BTreeSet<i64> {
    let ids: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM emails WHERE owner_id = $1 AND status = $2")
            .bind(owner)
            .bind(status)
            .fetch_all(&app.db)
            .await
            .unwrap();
    ids.into_iter().map(|(id,)| id).collect()
}

/// Follows next_cursor from the first page to the last, returning every row in order.
async fn walk_folder(app: &TestApp, token: &str, query: &str) -> Vec<EmailSummary> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..1000 {
        let path = match &cursor {
            Some(c) => format!("/emails?{query}&cursor={c}"),
            None => format!("/emails?{query}"),
        };
        let page: Page<EmailSummary> =
            serde_json::from_value(app.get_json(&path, token).await).unwrap();
        rows.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return rows,
        }
    }
    panic!("pagination did not end");
}

#[tokio::test]
async fn counts_equal_the_rows_of_each_status() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let owner = app.user_id(DEMO_REP).await;
    let counts: FolderCounts = app.call(&token, emails::counts()).await;
    for folder in Folder::ALL {
        let rows = rows_per_status(&app, owner, folder.status().as_str()).await;
        assert_eq!(counts.get(folder), rows.len() as u64, "{folder}");
        // In progress lasts only while the sender works on an email.
        if folder != Folder::InProgress {
            assert!(counts.get(folder) > 0, "the demo data fills {folder}");
        }
    }
    assert_eq!(counts.drafts, 1, "a rep has at most one draft");
}

#[tokio::test]
async fn bounces_and_spam_exist_only_on_the_msc_channel() {
    let app = spawn_app().await;
    let (others,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM emails WHERE status IN ('bounced', 'spam') AND channel <> 'msc'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(others, 0);
}

#[tokio::test]
async fn pagination_walks_every_row_of_every_folder_exactly_once_in_order() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let owner = app.user_id(DEMO_REP).await;
    for folder in Folder::ALL {
        let expected = rows_per_status(&app, owner, folder.status().as_str()).await;
        for sort in ["-date", "date"] {
            let rows = walk_folder(
                &app,
                &token,
                &format!("folder={folder}&limit=37&sort={sort}"),
            )
            .await;
            let ids: Vec<i64> = rows.iter().map(|r| r.id.0).collect();
            let unique: BTreeSet<i64> = ids.iter().copied().collect();
            assert_eq!(unique.len(), ids.len(), "{folder} {sort}: no row twice");
            assert_eq!(unique, expected, "{folder} {sort}: every row");
            let dates: Vec<_> = rows.iter().map(|r| (r.folder_date(), r.id)).collect();
            let mut sorted = dates.clone();
            sorted.sort();
            if sort == "-date" {
                sorted.reverse();
            }
            assert_eq!(
                dates, sorted,
                "{folder} {sort}: ordered by the folder's date"
            );
            assert!(rows.iter().all(|r| r.status == folder.status()));
        }
    }
}

#[tokio::test]
async fn a_page_holds_at_most_limit_rows_and_says_when_more_follow() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let page = app
        .call(&token, emails::folder(Folder::Delivered, 5, None))
        .await;
    assert_eq!(page.items.len(), 5);
    assert!(page.next_cursor.is_some());
    let page = app
        .call(&token, emails::folder(Folder::Drafts, 50, None))
        .await;
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next_cursor, None);
}

#[tokio::test]
async fn scheduled_lists_soonest_first_and_other_folders_newest_first_by_default() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    for (folder, soonest_first) in [
        (Folder::Scheduled, true),
        (Folder::Delivered, false),
        (Folder::Failed, false),
    ] {
        let page = app.call(&token, emails::folder(folder, 50, None)).await;
        let dates: Vec<_> = page.items.iter().map(|r| r.folder_date()).collect();
        assert!(dates.len() > 1, "{folder}");
        let ascending = dates.windows(2).all(|w| w[0] <= w[1]);
        let descending = dates.windows(2).all(|w| w[0] >= w[1]);
        assert!(
            if soonest_first { ascending } else { descending },
            "{folder}"
        );
    }
}

#[tokio::test]
async fn the_quick_search_matches_subject_person_and_company_as_plain_text() {
    let app = spawn_app().await;
    let token = app.login(OTHER_REP).await;
    let rows = walk_folder(&app, &token, "folder=delivered&q=Globex&limit=200").await;
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|r| r.person.company.contains("Globex") || r.subject.contains("Globex")));

    // SQL and LIKE syntax in a search are just characters.
    for hostile in ["%27%20OR%201%3D1%20--", "%25", "_"] {
        let page = app
            .get_json(&format!("/emails?folder=delivered&q={hostile}"), &token)
            .await;
        assert_eq!(page["items"].as_array().unwrap().len(), 0, "q={hostile}");
    }
}

#[tokio::test]
async fn a_rep_never_sees_another_reps_emails() {
    let app = spawn_app().await;
    let aiko = app.login(DEMO_REP).await;
    let ben = app.login(OTHER_REP).await;
    let aiko_id = app.user_id(DEMO_REP).await;
    let aiko_emails = rows_per_status(&app, aiko_id, "delivered").await;
    let some_email = *aiko_emails.iter().next().unwrap();

    assert_eq!(
        app.send(&aiko, emails::one(EmailId(some_email)))
            .await
            .status(),
        StatusCode::OK
    );
    let response = app.send(&ben, emails::one(EmailId(some_email))).await;
    assert_problem(response, StatusCode::NOT_FOUND).await;

    let ben_rows = walk_folder(&app, &ben, "folder=delivered&limit=200").await;
    let ben_ids: HashSet<i64> = ben_rows.iter().map(|r| r.id.0).collect();
    assert!(!ben_rows.is_empty());
    assert!(aiko_emails.iter().all(|id| !ben_ids.contains(id)));
}

#[tokio::test]
async fn an_email_comes_with_its_engagement_timeline() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let owner = app.user_id(DEMO_REP).await;
    let (id,): (i64,) = sqlx::query_as(
        "SELECT id FROM emails WHERE owner_id = $1 AND views > 0 AND clicks > 0 ORDER BY id LIMIT 1",
    )
    .bind(owner)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let email: EmailDetail = app.call(&token, emails::one(EmailId(id))).await;
    let views = email
        .events
        .iter()
        .filter(|e| e.kind == EventKind::View)
        .count();
    let clicks: Vec<_> = email
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Click)
        .collect();
    assert_eq!(views as u32, email.summary.views);
    assert_eq!(clicks.len() as u32, email.summary.clicks);
    assert!(clicks.iter().all(|c| c
        .url
        .as_deref()
        .is_some_and(|u| email.body_html.contains(u))));
    assert!(email
        .events
        .windows(2)
        .all(|w| w[0].occurred_at <= w[1].occurred_at));
    assert!(email.message_id.is_some());
}

#[tokio::test]
async fn bad_list_parameters_are_400_problems_naming_the_parameter() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    for (query, field) in [
        ("", "folder"),
        ("folder=draft", "folder"),
        ("folder=delivered&limit=0", "limit"),
        ("folder=delivered&limit=201", "limit"),
        ("folder=delivered&sort=subject", "sort"),
    ] {
        let response = app.get(&format!("/emails?{query}"), &token).await;
        let body = assert_problem(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(body["field"], field, "{query}");
    }
    // A string, as the contract says, but not a cursor this server issued: 422.
    let response = app
        .get("/emails?folder=delivered&cursor=garbage", &token)
        .await;
    let body = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["field"], "cursor");
    let response = app.get("/emails?folder=delivered&limit=many", &token).await;
    assert_problem(response, StatusCode::BAD_REQUEST).await;
    let response = app.get("/emails/abc", &token).await;
    assert_problem(response, StatusCode::NOT_FOUND).await;
}

/// The counts are kept by triggers: after sends, schedules, a replaced draft, deletes, archiving
/// and the sender's own moves, they still equal the rows.
#[tokio::test]
async fn counts_follow_every_change_to_the_emails() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let owner = app.user_id(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let later = chrono::Utc::now() + chrono::Duration::hours(2);
    let email = |subject: &str| NewEmail {
        person_id: PersonId(person),
        subject: subject.to_owned(),
        body: "x".to_owned(),
        ..NewEmail::default()
    };
    let mut sent = Vec::new();
    for new in [
        email("Now"),
        NewEmail {
            send_at: Some(later),
            ..email("Later")
        },
        NewEmail {
            draft: true,
            replace_draft: true,
            ..email("Draft")
        },
    ] {
        sent.push(app.call(&token, emails::create(&new)).await.summary.id);
    }
    app.settled_status(sent[0].0).await;
    let delivered = app.an_email(DEMO_REP, "delivered", true).await;
    let no_time = ActionRequest { send_at: None };
    app.call(
        &token,
        emails::act(EmailId(delivered), EmailAction::Archive, &no_time),
    )
    .await;
    app.call(&token, emails::delete(sent[2])).await;
    let batch = NewBatch {
        send_at: Some(later),
        ..NewBatch::new(
            BatchKind::Group,
            vec![BatchRecipient::to(PersonId(person))],
            "All",
            "x",
        )
    };
    app.call(&token, emails::batch(&batch)).await;

    let counts: FolderCounts = app.call(&token, emails::counts()).await;
    for folder in Folder::ALL {
        let rows = rows_per_status(&app, owner, folder.status().as_str()).await;
        assert_eq!(counts.get(folder), rows.len() as u64, "{folder}");
    }
}
