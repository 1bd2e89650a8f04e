//! A campaign as a whole: paused (nothing created, its emails held) and resumed, renamed, deleted
//! once nobody is in it, and its results by step and replies per day.

use crate::campaign_sequences::{
    after_sending, automatic_email, call, campaign_with_steps, enrol, enrolment, pairs,
    reachable_people, steps_made, task_done,
};
use crate::helpers::{assert_problem, spawn_app_on_driven_clock, TestApp, DEMO_REP, OTHER_REP};
use api::endpoints::{campaigns, people, CampaignCommand, EnrolmentCommand};
use api::people::{PeopleBulkAction, PeopleBulkRequest};
use api::sequence::{EnrolmentState, FinishReason, StepKind, StepResults};
use api::{CampaignId, NewCampaign, PersonId, TaskAction};
use reqwest::StatusCode;
use serde_json::json;

async fn complete_pending_task(app: &TestApp, token: &str, campaign: i64, person: i64) {
    let task = enrolment(app, token, campaign, person)
        .await
        .pending_task_id
        .expect("a pending task");
    task_done(app, token, task, TaskAction::Complete).await;
}

/// Makes a scheduled email due now, as if its time had come.
async fn due_now(app: &TestApp, email: i64) {
    sqlx::query("UPDATE emails SET scheduled_at = 1, folder_at = 1 WHERE id = $1")
        .bind(email)
        .execute(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_paused_campaign_holds_its_emails_and_creates_no_step_until_it_is_resumed() {
    let app = spawn_app_on_driven_clock().await;
    let token = app.login(DEMO_REP).await;
    let campaign = campaign_with_steps(
        &app,
        &token,
        "Holding",
        &[
            call("Intro call"),
            automatic_email("Second touch", 1),
            call("Wrap-up call"),
        ],
    )
    .await;
    let people = reachable_people(&app, 4).await;
    enrol(&app, &token, campaign, &people[..3]).await;
    complete_pending_task(&app, &token, campaign, people[0]).await;
    let held = enrolment(&app, &token, campaign, people[0])
        .await
        .pending_email_id
        .expect("the second touch is scheduled");

    let paused = app
        .call(
            &token,
            campaigns::command(CampaignId(campaign), CampaignCommand::Pause),
        )
        .await;
    assert!(paused.paused_at.is_some(), "{paused:?}");
    // A step done while paused moves the person on; the next one waits for the resume.
    complete_pending_task(&app, &token, campaign, people[1]).await;
    let waiting = enrolment(&app, &token, campaign, people[1]).await;
    assert_eq!(
        (waiting.state, waiting.done_steps),
        (EnrolmentState::Active, 1)
    );
    assert!(waiting.pending_email_id.is_none(), "{waiting:?}");
    assert_eq!(
        steps_made(&app, campaign, people[1]).await,
        pairs(&[("Intro call", "completed")])
    );
    // Someone enrolled while it is paused waits too.
    assert_eq!(
        enrol(&app, &token, campaign, &people[3..]).await.enrolled,
        1
    );
    assert!(steps_made(&app, campaign, people[3]).await.is_empty());
    // One paused on their own stays paused when the campaign resumes.
    let pause_one = app
        .send(
            &token,
            campaigns::enrolment(
                CampaignId(campaign),
                PersonId(people[2]),
                EnrolmentCommand::Pause,
            ),
        )
        .await;
    assert_eq!(pause_one.status(), StatusCode::NO_CONTENT);

    // The held email's time comes; an email outside the campaign due at the same moment goes,
    // in the same pass of the sender, and the held one stays.
    due_now(&app, held.0).await;
    // An email the rep scheduled as part of the campaign is held as well.
    let own = app.an_email(DEMO_REP, "scheduled", true).await;
    sqlx::query("UPDATE emails SET campaign_id = $1 WHERE id = $2")
        .bind(campaign)
        .bind(own)
        .execute(&app.db)
        .await
        .unwrap();
    due_now(&app, own).await;
    let other = app.an_email(DEMO_REP, "scheduled", true).await;
    due_now(&app, other).await;
    app.settled_status(other).await;
    assert_eq!(app.status_of(held.0).await, "scheduled");
    assert_eq!(app.status_of(own).await, "scheduled");

    let resumed = app
        .call(
            &token,
            campaigns::command(CampaignId(campaign), CampaignCommand::Resume),
        )
        .await;
    assert!(resumed.paused_at.is_none(), "{resumed:?}");
    // The held email is sent from now and the person moves on to the wrap-up call.
    after_sending(&app, &token, campaign, people[0], |e| {
        e.pending_task_id.is_some()
    })
    .await;
    assert_eq!(app.status_of(held.0).await, "delivered");
    assert_ne!(app.settled_status(own).await, "scheduled");
    // The one who waited gets their next step, due a day after the resume.
    let next = after_sending(&app, &token, campaign, people[1], |e| {
        e.pending_email_id.is_some()
    })
    .await;
    assert_eq!(
        app.status_of((next.pending_email_id.unwrap()).0).await,
        "scheduled"
    );
    let enrolled_meanwhile = enrolment(&app, &token, campaign, people[3]).await;
    assert!(enrolled_meanwhile.pending_task_id.is_some());
    assert_eq!(
        enrolment(&app, &token, campaign, people[2]).await.state,
        EnrolmentState::Paused
    );

    // A command the API does not have (only a hand-made path can ask for it).
    assert_problem(
        app.post(&format!("/campaigns/{campaign}/dance"), &token, &json!({}))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let other_rep = app.login(OTHER_REP).await;
    assert_problem(
        app.send(
            &other_rep,
            campaigns::command(CampaignId(campaign), CampaignCommand::Pause),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn a_campaign_is_renamed_and_deleted_only_once_nobody_is_in_it() {
    let app = spawn_app_on_driven_clock().await;
    let token = app.login(DEMO_REP).await;
    let campaign = campaign_with_steps(&app, &token, "Old name", &[call("Only call")]).await;
    let named = |name: &str| NewCampaign {
        name: name.to_owned(),
    };
    let renamed = app
        .call(
            &token,
            campaigns::rename(CampaignId(campaign), &named(" New name ")),
        )
        .await;
    assert_eq!(renamed.name, "New name");
    let other = app
        .call(&token, campaigns::create(&named("Taken")))
        .await
        .id;
    assert_problem(
        app.send(
            &token,
            campaigns::rename(CampaignId(campaign), &named("Taken")),
        )
        .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_problem(
        app.send(
            &token,
            campaigns::rename(CampaignId(campaign), &named("  ")),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;

    let person = reachable_people(&app, 1).await[0];
    enrol(&app, &token, campaign, &[person]).await;
    let task = enrolment(&app, &token, campaign, person)
        .await
        .pending_task_id
        .unwrap();
    let refused = assert_problem(
        app.send(&token, campaigns::delete(CampaignId(campaign)))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert!(
        refused["detail"].as_str().unwrap().contains("1 people"),
        "{refused}"
    );
    let other_rep = app.login(OTHER_REP).await;
    assert_problem(
        app.send(&other_rep, campaigns::delete(CampaignId(campaign)))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;

    app.call(
        &token,
        campaigns::enrolment(
            CampaignId(campaign),
            PersonId(person),
            EnrolmentCommand::Remove,
        ),
    )
    .await;
    let deleted = app
        .send(&token, campaigns::delete(CampaignId(campaign)))
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.send(&token, campaigns::one(CampaignId(campaign))).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // Its task stays, no longer part of a campaign.
    let (campaign_of_task,): (Option<i64>,) =
        sqlx::query_as("SELECT campaign_id FROM tasks WHERE id = $1")
            .bind(task)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(campaign_of_task, None);
    // An empty campaign goes at once.
    assert_eq!(
        app.send(&token, campaigns::delete(other)).await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn the_report_counts_each_steps_funnel_and_the_replies_per_day() {
    let app = spawn_app_on_driven_clock().await;
    let token = app.login(DEMO_REP).await;
    let campaign = campaign_with_steps(
        &app,
        &token,
        "Measured",
        &[
            automatic_email("Hello {{first_name}}", 0),
            call("Follow-up call"),
        ],
    )
    .await;
    let people = reachable_people(&app, 3).await;
    enrol(&app, &token, campaign, &people).await;
    for &person in &people {
        after_sending(&app, &token, campaign, person, |e| {
            e.pending_task_id.is_some()
        })
        .await;
    }
    let first_emails: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM emails WHERE campaign_id = $1 ORDER BY person_id")
            .bind(campaign)
            .fetch_all(&app.db)
            .await
            .unwrap();
    app.reply_to(first_emails[0].0).await;
    complete_pending_task(&app, &token, campaign, people[1]).await;

    let report = app
        .call(&token, campaigns::report(CampaignId(campaign)))
        .await;
    let steps = &report.steps;
    let counts = |step: &StepResults| [step.reached, step.sent, step.replied, step.done];
    // Step 1: three sent, one replied to. Step 2: three calls made (the one who replied had
    // theirs taken away), one done.
    assert_eq!(counts(&steps[0]), [3, 3, 1, 0], "{report:?}");
    assert_eq!(counts(&steps[1]), [3, 0, 0, 1], "{report:?}");
    assert_eq!(steps[1].kind, StepKind::Call);
    let days = &report.replies_per_day;
    assert_eq!(days.len(), 30);
    let total: u64 = days.iter().map(|d| d.count).sum();
    assert_eq!(total, 1);
    assert_eq!(days[29].count, 1, "today's reply is on the last day");
    assert!(days[0].day < days[29].day);

    let other_rep = app.login(OTHER_REP).await;
    assert_problem(
        app.send(&other_rep, campaigns::report(CampaignId(campaign)))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn a_person_deleted_while_enrolled_leaves_the_campaign_with_their_step() {
    let app = spawn_app_on_driven_clock().await;
    let token = app.login(DEMO_REP).await;
    let campaign = campaign_with_steps(
        &app,
        &token,
        "Leavers",
        &[call("First call"), automatic_email("Later", 2)],
    )
    .await;
    let people = reachable_people(&app, 2).await;
    enrol(&app, &token, campaign, &people).await;
    complete_pending_task(&app, &token, campaign, people[1]).await;
    assert!(enrolment(&app, &token, campaign, people[1])
        .await
        .pending_email_id
        .is_some());

    let deleted = app.send(&token, people::delete(PersonId(people[0]))).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let bulk = PeopleBulkRequest {
        action: PeopleBulkAction::Delete,
        ids: vec![PersonId(people[1])],
    };
    app.call(&token, people::bulk(&bulk)).await;
    for person in &people {
        let left = enrolment(&app, &token, campaign, *person).await;
        assert_eq!(
            (left.state, left.finish_reason),
            (EnrolmentState::Finished, Some(FinishReason::Removed)),
            "{left:?}"
        );
    }
    // The first's open call left the task list (restorable like any deleted task).
    assert_eq!(
        steps_made(&app, campaign, people[0]).await,
        pairs(&[("First call", "deleted")])
    );
    // The scheduled email to the second was taken away, never to be sent.
    assert_eq!(
        steps_made(&app, campaign, people[1]).await,
        pairs(&[("First call", "completed")])
    );
}
