//! Tasks: views by due date in the rep's time zone (Asia/Tokyo, server in UTC) at the midnight
//! boundaries, actions and their undo, bulk, validation, isolation.

use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP, OTHER_REP};
use api::endpoints::{campaigns, tasks, TaskListQuery, TaskSort};
use api::{
    NewTask, PersonId, Priority, Task, TaskAction, TaskActionRequest, TaskBulkRequest, TaskCounts,
    TaskId, TaskKind, TaskStatus, TaskView,
};
use chrono::{DateTime, Days, TimeZone, Utc};
use chrono_tz::Asia::Tokyo;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A local Tokyo time `days` from today, as UTC.
fn tokyo(days: i64, hour: u32, minute: u32) -> DateTime<Utc> {
    let today = Utc::now().with_timezone(&Tokyo).date_naive();
    let date = if days >= 0 {
        today + Days::new(days as u64)
    } else {
        today - Days::new((-days) as u64)
    };
    Tokyo
        .from_local_datetime(&date.and_hms_opt(hour, minute, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// A new call task, through the call the SPA makes (`api::endpoints::tasks::create`).
async fn new_task(app: &TestApp, token: &str, title: &str, due: Option<DateTime<Utc>>) -> i64 {
    let new = NewTask {
        title: title.to_owned(),
        kind: "call".to_owned(),
        due_at: due,
        ..NewTask::default()
    };
    let response = app.send(token, tasks::create(&new)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    (response.json::<Task>().await.unwrap().id).0
}

/// The titles a task list shows, read as the SPA reads them (`api::endpoints::tasks::list`).
async fn titles(app: &TestApp, token: &str, query: TaskListQuery) -> Vec<String> {
    let page = app.call(token, tasks::list(&query)).await;
    page.items.into_iter().map(|t| t.title).collect()
}

/// `action` on task `id`, as its row's button asks (`due_at` for a reschedule).
async fn act(
    app: &TestApp,
    token: &str,
    id: i64,
    action: TaskAction,
    due_at: Option<DateTime<Utc>>,
) -> reqwest::Response {
    app.send(
        token,
        tasks::act(TaskId(id), action, &TaskActionRequest { due_at }),
    )
    .await
}

/// The same, which must succeed: the task as it now is.
async fn acted(app: &TestApp, token: &str, id: i64, action: TaskAction) -> Task {
    let answer = app
        .call(
            token,
            tasks::act(TaskId(id), action, &TaskActionRequest::default()),
        )
        .await;
    answer.expect("the task is still there")
}

fn of(view: TaskView) -> TaskListQuery {
    TaskListQuery::of(view)
}

async fn clear_tasks(app: &TestApp, rep: &str) {
    let owner = app.user_id(rep).await;
    sqlx::query("DELETE FROM tasks WHERE owner_id = $1")
        .bind(owner)
        .execute(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn views_follow_the_reps_own_midnight() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await; // Asia/Tokyo; the server and this test run in UTC.
    clear_tasks(&app, DEMO_REP).await;
    for (title, due) in [
        ("yesterday 23:59", Some(tokyo(-1, 23, 59))),
        ("today 00:00", Some(tokyo(0, 0, 0))),
        ("today 23:59", Some(tokyo(0, 23, 59))),
        ("tomorrow 00:00", Some(tokyo(1, 0, 0))),
        ("tomorrow 23:59", Some(tokyo(1, 23, 59))),
        ("in 2 days 00:00", Some(tokyo(2, 0, 0))),
        ("in 7 days 23:59", Some(tokyo(7, 23, 59))),
        ("in 8 days 00:00", Some(tokyo(8, 0, 0))),
        ("no date", None),
    ] {
        new_task(&app, &token, title, due).await;
    }
    assert_eq!(
        titles(&app, &token, of(TaskView::Overdue)).await,
        ["yesterday 23:59"]
    );
    assert_eq!(
        titles(&app, &token, of(TaskView::Today)).await,
        ["today 00:00", "today 23:59"]
    );
    assert_eq!(
        titles(&app, &token, of(TaskView::Tomorrow)).await,
        ["tomorrow 00:00", "tomorrow 23:59"]
    );
    assert_eq!(
        titles(&app, &token, of(TaskView::Next7)).await,
        [
            "tomorrow 00:00",
            "tomorrow 23:59",
            "in 2 days 00:00",
            "in 7 days 23:59"
        ]
    );
    assert_eq!(
        titles(&app, &token, of(TaskView::NoDate)).await,
        ["no date"]
    );
    let day = tokyo(8, 0, 0).with_timezone(&Tokyo).date_naive();
    let range = TaskListQuery {
        range: Some((day, day)),
        ..of(TaskView::Range)
    };
    assert_eq!(titles(&app, &token, range).await, ["in 8 days 00:00"]);
    assert_eq!(
        app.call(&token, tasks::counts()).await,
        TaskCounts {
            overdue: 1,
            today: 2,
            tomorrow: 2,
            next7: 4,
            nodate: 1,
            done: 0
        }
    );
}

#[tokio::test]
async fn actions_move_tasks_between_views_and_each_can_be_undone() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    clear_tasks(&app, DEMO_REP).await;
    let id = new_task(&app, &token, "Call Aiko", Some(tokio_today())).await;

    let done = acted(&app, &token, id, TaskAction::Complete).await;
    assert_eq!(done.status, TaskStatus::Completed);
    assert!(done.completed_at.is_some());
    assert_eq!(
        titles(&app, &token, of(TaskView::Done)).await,
        ["Call Aiko"]
    );
    assert_problem(
        act(&app, &token, id, TaskAction::Complete, None).await,
        StatusCode::CONFLICT,
    )
    .await;
    acted(&app, &token, id, TaskAction::Reopen).await;
    assert_eq!(
        titles(&app, &token, of(TaskView::Today)).await,
        ["Call Aiko"]
    );

    acted(&app, &token, id, TaskAction::Skip).await;
    assert_eq!(
        app.call(&token, tasks::one(TaskId(id))).await.status,
        TaskStatus::Skipped
    );
    acted(&app, &token, id, TaskAction::Reopen).await;

    let problem = assert_problem(
        act(&app, &token, id, TaskAction::Reschedule, None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["field"], "due_at");
    let response = act(
        &app,
        &token,
        id,
        TaskAction::Reschedule,
        Some(tokyo(1, 9, 0)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        titles(&app, &token, of(TaskView::Tomorrow)).await,
        ["Call Aiko"]
    );

    let response = app.send(&token, tasks::delete(TaskId(id))).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.send(&token, tasks::one(TaskId(id))).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert!(titles(&app, &token, of(TaskView::Tomorrow))
        .await
        .is_empty());
    acted(&app, &token, id, TaskAction::Restore).await;
    assert_eq!(
        titles(&app, &token, of(TaskView::Tomorrow)).await,
        ["Call Aiko"]
    );
}

fn tokio_today() -> DateTime<Utc> {
    tokyo(0, 12, 0)
}

#[tokio::test]
async fn bulk_actions_report_each_task() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let other = app.login(OTHER_REP).await;
    clear_tasks(&app, DEMO_REP).await;
    let a = new_task(&app, &token, "A", Some(tokio_today())).await;
    let b = new_task(&app, &token, "B", Some(tokio_today())).await;
    let theirs = new_task(&app, &other, "Theirs", None).await;
    acted(&app, &token, b, TaskAction::Complete).await;
    let complete = TaskBulkRequest {
        ids: vec![TaskId(a), TaskId(b), TaskId(theirs)],
        action: TaskAction::Complete,
        due_at: None,
    };
    let results = app.call(&token, tasks::bulk(&complete)).await.results;
    assert!(results[0].ok && results[0].id == TaskId(a) && results[0].error.is_none());
    assert!(!results[1].ok);
    assert!(results[1].error.as_ref().unwrap().contains("completed"));
    assert!(!results[2].ok);
    assert_eq!(
        app.call(&other, tasks::one(TaskId(theirs))).await.status,
        TaskStatus::Open
    );

    let bulk = |action, due_at| TaskBulkRequest {
        ids: vec![TaskId(a), TaskId(b)],
        action,
        due_at,
    };
    let no_time = TaskBulkRequest {
        ids: vec![TaskId(a)],
        ..bulk(TaskAction::Reschedule, None)
    };
    let response = app.send(&token, tasks::bulk(&no_time)).await;
    assert_eq!(
        assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await["field"],
        "due_at"
    );

    // Every other action in bulk, each undone in bulk too.
    let all_ok = |request: TaskBulkRequest| {
        let app = &app;
        let token = &token;
        async move {
            let answer = app.call(token, tasks::bulk(&request)).await;
            answer.results.iter().all(|r| r.ok)
        }
    };
    assert!(all_ok(bulk(TaskAction::Reopen, None)).await);
    assert_eq!(titles(&app, &token, of(TaskView::Today)).await, ["A", "B"]);
    assert!(all_ok(bulk(TaskAction::Skip, None)).await);
    assert_eq!(titles(&app, &token, of(TaskView::Done)).await.len(), 2);
    assert!(all_ok(bulk(TaskAction::Reopen, None)).await);
    assert!(all_ok(bulk(TaskAction::Reschedule, Some(tokyo(1, 9, 0)))).await);
    assert_eq!(
        titles(&app, &token, of(TaskView::Tomorrow)).await,
        ["A", "B"]
    );
    assert!(all_ok(bulk(TaskAction::Delete, None)).await);
    assert!(titles(&app, &token, of(TaskView::Tomorrow))
        .await
        .is_empty());
    assert!(all_ok(bulk(TaskAction::Restore, None)).await);
    assert_eq!(
        titles(&app, &token, of(TaskView::Tomorrow)).await,
        ["A", "B"]
    );
}

#[tokio::test]
async fn a_task_is_validated_field_by_field_and_private_to_its_rep() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let other = app.login(OTHER_REP).await;
    let others_person = app.a_person_of(OTHER_REP).await;
    let x = NewTask {
        title: "x".to_owned(),
        kind: "call".to_owned(),
        ..NewTask::default()
    };
    for (task, field) in [
        (
            NewTask {
                title: " ".to_owned(),
                ..x.clone()
            },
            "title",
        ),
        (
            NewTask {
                kind: "meeting".to_owned(),
                ..x.clone()
            },
            "kind",
        ),
        (
            NewTask {
                priority: Some("urgent".to_owned()),
                ..x.clone()
            },
            "priority",
        ),
        (
            NewTask {
                person_id: Some(PersonId(others_person)),
                ..x.clone()
            },
            "person_id",
        ),
    ] {
        let problem = assert_problem(
            app.send(&token, tasks::create(&task)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], field, "{task:?}");
    }
    let mine = new_task(&app, &token, "Mine", None).await;
    assert_problem(
        app.send(&other, tasks::one(TaskId(mine))).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(
        act(&app, &other, mine, TaskAction::Complete, None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // A view the API does not have (only a hand-made query can ask for it).
    assert_problem(
        app.get("/tasks?view=someday", &token).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

#[tokio::test]
async fn tasks_filter_by_type_priority_person_and_campaign() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    clear_tasks(&app, DEMO_REP).await;
    let campaigns = app.call(&token, campaigns::list()).await;
    let campaign = campaigns[0].id;
    assert_eq!(campaigns.len(), 2, "the rep's own campaigns only");
    let person = app.a_person_of(DEMO_REP).await;
    let task = |title: &str, kind: &str| NewTask {
        title: title.to_owned(),
        kind: kind.to_owned(),
        due_at: Some(tokio_today()),
        ..NewTask::default()
    };
    for new in [
        task("call", "call"),
        NewTask {
            priority: Some("high".to_owned()),
            ..task("high email", "email")
        },
        NewTask {
            person_id: Some(PersonId(person)),
            ..task("about a person", "custom")
        },
        NewTask {
            campaign_id: Some(campaign),
            ..task("in a campaign", "custom")
        },
    ] {
        assert_eq!(
            app.send(&token, tasks::create(&new)).await.status(),
            StatusCode::CREATED
        );
    }
    // Each filter as the SPA writes it (api::endpoints::tasks::list), read by the server.
    let today = || of(TaskView::Today);
    let filtered = [
        (
            TaskListQuery {
                kind: Some(TaskKind::Call),
                ..today()
            },
            "call",
        ),
        (
            TaskListQuery {
                priority: Some(Priority::High),
                ..today()
            },
            "high email",
        ),
        (
            TaskListQuery {
                person: Some(PersonId(person)),
                ..today()
            },
            "about a person",
        ),
        (
            TaskListQuery {
                campaign: Some(campaign),
                ..today()
            },
            "in a campaign",
        ),
    ];
    for (query, only) in filtered {
        assert_eq!(
            titles(&app, &token, query.clone()).await,
            [only],
            "{query:?}"
        );
    }
    let by_priority = TaskListQuery {
        sort: TaskSort::Priority,
        ..today()
    };
    assert_eq!(titles(&app, &token, by_priority).await[0], "high email");
    assert_problem(
        app.get("/tasks?view=today&kind=meeting", &token).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

#[tokio::test]
async fn a_task_made_from_an_email_links_back_to_it() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let owner = app.user_id(DEMO_REP).await;
    let (email, person, campaign): (i64, i64, i64) = sqlx::query_as(
        "SELECT id, person_id, campaign_id FROM emails WHERE owner_id = $1 AND campaign_id IS NOT NULL LIMIT 1",
    )
    .bind(owner)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let response = app
        .post(
            "/tasks",
            &token,
            &json!({ "title": "Follow up", "kind": "email", "email_id": email }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let task: Value = response.json().await.unwrap();
    assert_eq!(task["email_id"], email);
    assert_eq!(task["person"]["id"], person);
    assert_eq!(task["campaign"]["id"], campaign);
    assert!(task["email_subject"].is_string());
    let others_email = app.an_email(OTHER_REP, "delivered", false).await;
    let response = app
        .post(
            "/tasks",
            &token,
            &json!({ "title": "x", "kind": "email", "email_id": others_email }),
        )
        .await;
    assert_eq!(
        assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await["field"],
        "email_id"
    );
}

#[tokio::test]
async fn a_missing_or_mistyped_field_is_422_naming_it_and_broken_json_is_400() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let cases = [
        (json!({ "kind": "call" }), "title"),
        (json!({ "title": 7, "kind": "call" }), "title"),
        (
            json!({ "title": "Call", "kind": "call", "person_id": "seven" }),
            "person_id",
        ),
        (json!(["Call", "call"]), "body"),
    ];
    for (body, field) in cases {
        let problem = assert_problem(
            app.post("/tasks", &token, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], field, "{body}");
    }
    let broken = app
        .client
        .post(app.url("/tasks"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"title\": ")
        .send()
        .await
        .unwrap();
    assert_problem(broken, StatusCode::BAD_REQUEST).await;
}
