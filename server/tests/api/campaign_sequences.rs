//! A campaign's sequence through the running server: only the next step exists, it appears when
//! the last is done (an email delivered, a task completed), and a reply, an opt-out or the rep
//! ends a person's enrolment with their pending step taken away.

use crate::helpers::{assert_problem, spawn_app_on_driven_clock, TestApp, DEMO_REP, OTHER_REP};
use api::endpoints::{campaigns, emails, tasks, EnrolmentCommand};
use api::sequence::{
    EnrolledPerson, EnrolmentReport, EnrolmentState, FinishReason, StepInput, StepKind, StepTiming,
};
use api::{
    ActionRequest, CampaignId, CampaignPeople, EmailAction, EmailId, NewCampaign, PersonId,
    TaskAction, TaskId,
};
use reqwest::StatusCode;
use serde_json::json;

/// Three of the rep's people none of whose emails bounced and who have not opted out.
pub(crate) async fn reachable_people(app: &TestApp, count: usize) -> Vec<i64> {
    let owner = app.user_id(DEMO_REP).await;
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT p.id FROM people p WHERE p.owner_id = $1 AND p.deleted_at IS NULL
           AND p.opted_out_at IS NULL AND p.do_not_contact_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM emails e WHERE e.person_id = p.id AND e.status = 'bounced')
         ORDER BY p.id LIMIT $2",
    )
    .bind(owner)
    .bind(count as i64)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(rows.len(), count);
    rows.into_iter().map(|(id,)| id).collect()
}

pub(crate) async fn campaign_with_steps(
    app: &TestApp,
    token: &str,
    name: &str,
    steps: &[StepInput],
) -> i64 {
    let name = name.to_owned();
    let id = app
        .call(token, campaigns::create(&NewCampaign { name }))
        .await
        .id;
    for step in steps {
        let response = app.send(token, campaigns::add_step(id, step)).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{step:?}");
    }
    id.0
}

/// A step of `kind`, due `wait_days` after the one before.
pub(crate) fn step(kind: StepKind, subject: &str, wait_days: u32, body: &str) -> StepInput {
    StepInput {
        kind,
        timing: StepTiming {
            wait_days,
            at_minute: None,
            business_days: false,
        },
        subject: subject.to_owned(),
        body: body.to_owned(),
        template_id: None,
        position: None,
    }
}

pub(crate) fn automatic_email(subject: &str, wait_days: u32) -> StepInput {
    step(
        StepKind::AutomaticEmail,
        subject,
        wait_days,
        "<p>Hello {{first_name}}</p>",
    )
}

pub(crate) fn call(title: &str) -> StepInput {
    step(StepKind::Call, title, 0, "Ask about the pilot")
}

pub(crate) async fn enrol(
    app: &TestApp,
    token: &str,
    campaign: i64,
    people: &[i64],
) -> EnrolmentReport {
    let people = CampaignPeople {
        person_ids: people.iter().copied().map(PersonId).collect(),
    };
    app.call(token, campaigns::enrol(CampaignId(campaign), &people))
        .await
}

pub(crate) async fn enrolment(
    app: &TestApp,
    token: &str,
    campaign: i64,
    person: i64,
) -> EnrolledPerson {
    let all = app
        .call(token, campaigns::enrolled(CampaignId(campaign), None))
        .await;
    all.iter()
        .find(|e| e.person_id == PersonId(person))
        .cloned()
        .unwrap_or_else(|| panic!("person {person} is enrolled: {all:?}"))
}

/// Completes (or with `TaskAction::Reopen` reopens) a task, as its row's button does.
pub(crate) async fn task_done(app: &TestApp, token: &str, task: TaskId, action: TaskAction) {
    app.call(token, tasks::act(task, action, &Default::default()))
        .await;
}

/// The campaign's emails and tasks for a person, from the database: (step subject, status).
pub(crate) async fn steps_made(app: &TestApp, campaign: i64, person: i64) -> Vec<(String, String)> {
    // In the order made: by time, and at one instant of a driven clock, by the step's place.
    let mut made: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT e.created_at, COALESCE(s.position, 0), e.subject, e.status
         FROM emails e LEFT JOIN campaign_steps s ON s.id = e.campaign_step_id
         WHERE e.campaign_id = $1 AND e.person_id = $2
         UNION ALL
         SELECT t.created_at, COALESCE(s.position, 0), t.title,
                CASE WHEN t.deleted_at IS NULL THEN t.status ELSE 'deleted' END
         FROM tasks t LEFT JOIN campaign_steps s ON s.id = t.campaign_step_id
         WHERE t.campaign_id = $1 AND t.person_id = $2",
    )
    .bind(campaign)
    .bind(person)
    .fetch_all(&app.db)
    .await
    .unwrap();
    made.sort();
    made.into_iter().map(|(.., s, st)| (s, st)).collect()
}

pub(crate) fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// Runs the sender on the app's driven clock (everything due now, and what that makes due now),
/// then `done` must hold of the enrolment: nothing is waited for, the step is there or not.
pub(crate) async fn after_sending(
    app: &TestApp,
    token: &str,
    campaign: i64,
    person: i64,
    done: impl Fn(&EnrolledPerson) -> bool,
) -> EnrolledPerson {
    app.run_sender().await;
    let e = enrolment(app, token, campaign, person).await;
    assert!(done(&e), "the enrolment is not there: {e:?}");
    e
}

#[tokio::test]
async fn each_step_appears_only_when_the_one_before_is_done() {
    let app = spawn_app_on_driven_clock().await;
    let token = app.login(DEMO_REP).await;
    let campaign = campaign_with_steps(
        &app,
        &token,
        "Pilot outreach",
        &[
            automatic_email("Pilot for {{company}}", 0),
            call("Call about the pilot"),
            automatic_email("Following up", 0),
        ],
    )
    .await;
    let people = reachable_people(&app, 2).await;
    let report = enrol(&app, &token, campaign, &people).await;
    assert_eq!(report.enrolled, 2, "{report:?}");

    // Step 1 is sent, its merge fields filled; only then does each person's call task exist.
    for &person in &people {
        let e = after_sending(&app, &token, campaign, person, |e| {
            e.pending_task_id.is_some()
        })
        .await;
        assert_eq!(e.done_steps, 1);
        assert!(
            e.pending_email_id.is_none(),
            "only the next step is pending: {e:?}"
        );
        let (company,): (String,) = sqlx::query_as("SELECT company FROM people WHERE id = $1")
            .bind(person)
            .fetch_one(&app.db)
            .await
            .unwrap();
        let subject = format!("Pilot for {company}");
        assert_eq!(
            steps_made(&app, campaign, person).await,
            pairs(&[(&subject, "delivered"), ("Call about the pilot", "open")])
        );
    }
    let steps = app
        .call(&token, campaigns::steps(CampaignId(campaign)))
        .await;
    let reached: Vec<u64> = steps.iter().map(|s| s.reached).collect();
    assert_eq!(reached, vec![2, 2, 0]);

    // The first person's call is done: their third step is made and sent, and they finish.
    let first = enrolment(&app, &token, campaign, people[0]).await;
    let task = first.pending_task_id.unwrap();
    task_done(&app, &token, task, TaskAction::Complete).await;
    let finished = after_sending(&app, &token, campaign, people[0], |e| {
        e.state == EnrolmentState::Finished
    })
    .await;
    assert_eq!(finished.finish_reason, Some(FinishReason::Completed));
    assert_eq!(finished.done_steps, 3);
    assert_eq!(
        steps_made(&app, campaign, people[0]).await[1..],
        pairs(&[
            ("Call about the pilot", "completed"),
            ("Following up", "delivered"),
        ])
    );
    // Reopened and completed again, the call moves nobody twice.
    task_done(&app, &token, task, TaskAction::Reopen).await;
    task_done(&app, &token, task, TaskAction::Complete).await;
    assert_eq!(steps_made(&app, campaign, people[0]).await.len(), 3);

    // The second person, whose call is open, has nothing more.
    let second = enrolment(&app, &token, campaign, people[1]).await;
    assert_eq!(
        (second.state, second.done_steps),
        (EnrolmentState::Active, 1)
    );
    assert_eq!(steps_made(&app, campaign, people[1]).await.len(), 2);
}

const DAY_MS: i64 = 86_400_000;

/// A campaign of two automatic emails three days apart, on a driven clock, with one person
/// whose first email is delivered.
struct TwoTouches {
    app: TestApp,
    token: String,
    campaign: i64,
    person: i64,
    /// The second email, scheduled.
    second: i64,
}

async fn two_touches_first_sent() -> TwoTouches {
    let app = spawn_app_on_driven_clock().await;
    let token = app.login(DEMO_REP).await;
    let campaign = campaign_with_steps(
        &app,
        &token,
        "Two touches",
        &[
            automatic_email("First touch", 0),
            automatic_email("Second touch", 3),
        ],
    )
    .await;
    let person = reachable_people(&app, 1).await[0];
    enrol(&app, &token, campaign, &[person]).await;
    let e = after_sending(&app, &token, campaign, person, |e| e.done_steps == 1).await;
    let second = e.pending_email_id.unwrap();
    assert_eq!(app.status_of(second.0).await, "scheduled");
    // Three days on by the server's clock.
    assert_eq!(
        e.next_due.unwrap().timestamp_millis(),
        app.now_ms() + 3 * DAY_MS
    );
    TwoTouches {
        app,
        token,
        campaign,
        person,
        second: second.0,
    }
}

#[tokio::test]
async fn a_step_falls_due_when_its_wait_has_passed_on_the_servers_clock() {
    let TwoTouches {
        app,
        token,
        campaign,
        person,
        second,
    } = two_touches_first_sent().await;

    // A minute short of three days, it waits in Scheduled.
    app.clock.advance(std::time::Duration::from_millis(
        (3 * DAY_MS - 60_000) as u64,
    ));
    app.run_sender().await;
    assert_eq!(app.status_of(second).await, "scheduled");
    let counts = app.call(&token, emails::counts()).await;
    assert!(counts.scheduled >= 1, "{counts:?}");

    // A minute later it is sent, and the person has done the campaign.
    app.clock.advance(std::time::Duration::from_secs(60));
    let e = after_sending(&app, &token, campaign, person, |e| {
        e.state == EnrolmentState::Finished
    })
    .await;
    assert_eq!(app.status_of(second).await, "delivered");
    assert_eq!(
        (e.done_steps, e.finish_reason),
        (2, Some(FinishReason::Completed))
    );
    let (sent_at,): (i64,) = sqlx::query_as("SELECT sent_at FROM emails WHERE id = $1")
        .bind(second)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(sent_at, app.now_ms(), "sent at the server's time");
}

#[tokio::test]
async fn a_reply_finishes_the_enrolment_and_its_scheduled_email_is_never_sent() {
    let TwoTouches {
        app,
        token,
        campaign,
        person,
        second,
    } = two_touches_first_sent().await;

    let (first,): (i64,) = sqlx::query_as(
        "SELECT id FROM emails WHERE campaign_id = $1 AND person_id = $2 AND status = 'delivered'",
    )
    .bind(campaign)
    .bind(person)
    .fetch_one(&app.db)
    .await
    .unwrap();
    app.reply_to(first).await;

    let e = enrolment(&app, &token, campaign, person).await;
    assert_eq!(
        (e.state, e.finish_reason),
        (EnrolmentState::Finished, Some(FinishReason::Replied))
    );
    assert!(e.pending_email_id.is_none());
    assert_eq!(
        steps_made(&app, campaign, person).await,
        pairs(&[("First touch", "delivered")]),
        "the scheduled second touch is gone"
    );
    // Its day comes and goes: nothing is sent.
    app.clock
        .advance(std::time::Duration::from_secs(4 * 86_400));
    app.run_sender().await;
    let (sent,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM emails WHERE id = $1 AND status NOT IN ('scheduled', 'draft')",
    )
    .bind(second)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(sent, 0, "the second touch never went out");
    assert_eq!(steps_made(&app, campaign, person).await.len(), 1);
}

#[tokio::test]
async fn enrolling_skips_the_enrolled_refuses_the_opted_out_by_name_and_404s_anothers_people() {
    let app = spawn_app_on_driven_clock().await;
    let token = app.login(DEMO_REP).await;
    let campaign = campaign_with_steps(&app, &token, "Refusals", &[call("Intro call")]).await;
    let people = reachable_people(&app, 4).await;
    // The latest email to the fourth bounced: their address is known bad.
    sqlx::query(
        "UPDATE emails SET status = 'bounced', sent_at = 4102444800000
         WHERE id = (SELECT MIN(id) FROM emails WHERE person_id = $1)",
    )
    .bind(people[3])
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE people SET opted_out_at = 1, first_name = 'Opted', last_name = 'Out' WHERE id = $1",
    )
    .bind(people[2])
    .execute(&app.db)
    .await
    .unwrap();
    let first = enrol(&app, &token, campaign, &people[..1]).await;
    assert_eq!(first.enrolled, 1);
    let report = enrol(&app, &token, campaign, &people).await;
    assert_eq!(
        (report.enrolled, report.already_enrolled),
        (1, 1),
        "{report:?}"
    );
    let refused = &report.refused;
    assert_eq!(refused.len(), 2);
    assert_eq!(refused[0].person_id, PersonId(people[2]));
    assert_eq!(refused[0].name, "Opted Out");
    assert_eq!(refused[0].reason, "opted out of your emails");
    assert_eq!(refused[1].person_id, PersonId(people[3]));
    assert_eq!(refused[1].reason, "the latest email to them bounced");
    // One open task each for the two enrolled, none for the refused.
    for (person, tasks) in [
        (people[0], 1),
        (people[1], 1),
        (people[2], 0),
        (people[3], 0),
    ] {
        assert_eq!(steps_made(&app, campaign, person).await.len(), tasks);
    }

    let other = app.login(OTHER_REP).await;
    let theirs = reachable_people_of(&app, OTHER_REP).await;
    let people_and_theirs = CampaignPeople {
        person_ids: vec![PersonId(people[0]), PersonId(theirs)],
    };
    let foreign = app
        .send(
            &token,
            campaigns::enrol(CampaignId(campaign), &people_and_theirs),
        )
        .await;
    assert_problem(foreign, StatusCode::NOT_FOUND).await;
    // Nor can the other rep see or fill this campaign.
    assert_problem(
        app.send(&other, campaigns::enrolled(CampaignId(campaign), None))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(
        app.send(
            &other,
            campaigns::add_step(CampaignId(campaign), &call("Mine now")),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

async fn reachable_people_of(app: &TestApp, rep: &str) -> i64 {
    let owner = app.user_id(rep).await;
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM people WHERE owner_id = $1 LIMIT 1")
        .bind(owner)
        .fetch_one(&app.db)
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn a_step_is_checked_and_edits_reach_only_those_who_have_not_reached_it() {
    let app = spawn_app_on_driven_clock().await;
    let token = app.login(DEMO_REP).await;
    let campaign = campaign_with_steps(&app, &token, "Edits", &[call("Old title")]).await;
    let path = format!("/campaigns/{campaign}/steps");
    for (bad, field) in [
        (
            json!({ "kind": "call", "wait_days": 0, "subject": " " }),
            "subject",
        ),
        (
            json!({ "kind": "call", "wait_days": 400, "subject": "x" }),
            "wait_days",
        ),
        (
            json!({ "kind": "call", "wait_days": 1, "at_minute": 1440, "subject": "x" }),
            "at_minute",
        ),
        (
            json!({ "kind": "automatic_email", "wait_days": 1, "subject": "x", "body": "" }),
            "body",
        ),
    ] {
        let problem = assert_problem(
            app.post(&path, &token, &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], field, "{bad}");
    }
    let person = reachable_people(&app, 1).await[0];
    enrol(&app, &token, campaign, &[person]).await;
    let step_id = app
        .call(&token, campaigns::steps(CampaignId(campaign)))
        .await[0]
        .id;
    let new_title = StepInput {
        timing: StepTiming {
            wait_days: 2,
            at_minute: Some(540),
            business_days: true,
        },
        body: String::new(),
        ..call("New title")
    };
    let steps = app
        .call(
            &token,
            campaigns::edit_step(CampaignId(campaign), step_id, &new_title),
        )
        .await;
    assert_eq!(steps[0].subject, "New title");
    assert!(steps[0].timing.business_days);
    assert_eq!(steps[0].timing.at_minute, Some(540));
    // The task already made keeps the title it was made with.
    assert_eq!(
        steps_made(&app, campaign, person).await,
        pairs(&[("Old title", "open")])
    );
    // A second step put first moves the first down.
    let connect = StepInput {
        position: Some(0),
        ..step(StepKind::Linkedin, "Connect", 0, "")
    };
    let steps = app
        .call(&token, campaigns::add_step(CampaignId(campaign), &connect))
        .await;
    let order: Vec<&str> = steps.iter().map(|s| s.subject.as_str()).collect();
    assert_eq!(order, ["Connect", "New title"]);
}

#[tokio::test]
async fn a_paused_person_moves_on_only_when_resumed_and_a_removed_one_loses_their_pending_step() {
    let app = spawn_app_on_driven_clock().await;
    let token = app.login(DEMO_REP).await;
    let campaign = campaign_with_steps(
        &app,
        &token,
        "Pausing",
        &[call("Warm-up call"), automatic_email("After the call", 0)],
    )
    .await;
    let people = reachable_people(&app, 2).await;
    enrol(&app, &token, campaign, &people).await;
    let command = |person: i64, command| {
        campaigns::enrolment(CampaignId(campaign), PersonId(person), command)
    };
    assert_eq!(
        app.send(&token, command(people[0], EnrolmentCommand::Pause))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let task = enrolment(&app, &token, campaign, people[0])
        .await
        .pending_task_id
        .unwrap();
    task_done(&app, &token, task, TaskAction::Complete).await;
    let paused = enrolment(&app, &token, campaign, people[0]).await;
    assert_eq!(
        (paused.state, paused.done_steps),
        (EnrolmentState::Paused, 1)
    );
    assert_eq!(
        steps_made(&app, campaign, people[0]).await.len(),
        1,
        "nothing new while paused"
    );
    app.call(&token, command(people[0], EnrolmentCommand::Resume))
        .await;
    let done = after_sending(&app, &token, campaign, people[0], |e| {
        e.state == EnrolmentState::Finished
    })
    .await;
    assert_eq!(done.finish_reason, Some(FinishReason::Completed));

    assert_eq!(
        app.send(&token, command(people[1], EnrolmentCommand::Remove))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let removed = enrolment(&app, &token, campaign, people[1]).await;
    assert_eq!(removed.finish_reason, Some(FinishReason::Removed));
    assert_eq!(
        steps_made(&app, campaign, people[1]).await,
        pairs(&[("Warm-up call", "deleted")])
    );
    // A command the API does not have (only a hand-made path can ask for it).
    assert_problem(
        app.post(
            &format!("/campaigns/{campaign}/enrolments/{}/dance", people[1]),
            &token,
            &json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn skipping_a_scheduled_step_moves_the_person_on_and_a_campaign_email_is_not_deleted() {
    let app = spawn_app_on_driven_clock().await;
    let token = app.login(DEMO_REP).await;
    let campaign = campaign_with_steps(
        &app,
        &token,
        "Skipping",
        &[
            call("First call"),
            automatic_email("In three days", 3),
            call("Last call"),
        ],
    )
    .await;
    let person = reachable_people(&app, 1).await[0];
    enrol(&app, &token, campaign, &[person]).await;
    let task = enrolment(&app, &token, campaign, person)
        .await
        .pending_task_id
        .unwrap();
    task_done(&app, &token, task, TaskAction::Complete).await;
    let email = enrolment(&app, &token, campaign, person)
        .await
        .pending_email_id
        .unwrap();
    assert_problem(
        app.send(&token, emails::delete(email)).await,
        StatusCode::CONFLICT,
    )
    .await;

    let skip = |email| emails::act(email, EmailAction::SkipStep, &ActionRequest::default());
    let skipped = app.send(&token, skip(email)).await;
    assert_eq!(skipped.status(), StatusCode::NO_CONTENT);
    let e = enrolment(&app, &token, campaign, person).await;
    assert_eq!(e.done_steps, 2);
    assert!(e.pending_task_id.is_some(), "{e:?}");
    assert_eq!(
        steps_made(&app, campaign, person).await,
        pairs(&[("First call", "completed"), ("Last call", "open")])
    );

    // An email outside any campaign has no step to skip.
    let own = app.an_email(DEMO_REP, "scheduled", true).await;
    assert_problem(
        app.send(&token, skip(EmailId(own))).await,
        StatusCode::CONFLICT,
    )
    .await;
}
