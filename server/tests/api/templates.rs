//! Templates through the running server: checked, kept per rep, used by compose and by a
//! campaign's steps, and counted by the emails made from them.

use crate::campaign_sequences::{
    after_sending, campaign_with_steps, enrol, reachable_people, step,
};
use crate::helpers::{assert_problem, spawn_app, spawn_app_on_driven_clock, DEMO_REP, OTHER_REP};
use api::batch::{BatchKind, BatchRecipient, NewBatch};
use api::endpoints::{campaigns, emails, templates};
use api::sequence::{EnrolmentState, StepInput, StepKind};
use api::templates::{Template, TemplateInput, TemplateUsage};
use api::{CampaignId, NewCampaign, NewEmail, PersonId};
use reqwest::StatusCode;

fn input(name: &str) -> TemplateInput {
    TemplateInput {
        name: name.to_owned(),
        subject: "About {{company}}".to_owned(),
        body: "<p>Hello {{first_name}}</p><script>alert(1)</script>".to_owned(),
    }
}

#[tokio::test]
async fn a_template_is_checked_kept_per_rep_and_edited() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let created = app.send(&token, templates::create(&input("Intro"))).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Template = created.json().await.unwrap();
    assert_eq!(created.body, "<p>Hello {{first_name}}</p>", "sanitized");
    assert_eq!(created.usage.sent, 0);
    let id = created.id;

    assert_problem(
        app.send(&token, templates::create(&input("Intro"))).await,
        StatusCode::CONFLICT,
    )
    .await;
    for (field, bad) in [
        (
            "name",
            TemplateInput {
                name: String::new(),
                ..input("n")
            },
        ),
        (
            "subject",
            TemplateInput {
                subject: "two\nlines".to_owned(),
                ..input("n")
            },
        ),
        (
            "body",
            TemplateInput {
                body: "  ".to_owned(),
                ..input("n")
            },
        ),
    ] {
        let problem = assert_problem(
            app.send(&token, templates::create(&bad)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(problem["field"], field, "{problem}");
    }

    let edited = TemplateInput {
        name: "Intro v2".to_owned(),
        subject: "New subject".to_owned(),
        body: "<p>New</p>".to_owned(),
    };
    let edited = app.call(&token, templates::edit(id, &edited)).await;
    assert_eq!(edited.name, "Intro v2");
    let list = app.call(&token, templates::list()).await;
    let mine: Vec<&Template> = list.iter().filter(|t| t.id == id).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].name, "Intro v2");
    assert_eq!(mine[0].subject, "New subject");

    // Another rep neither sees nor uses it.
    let other = app.login(OTHER_REP).await;
    let theirs = app.call(&other, templates::list()).await;
    assert!(theirs.iter().all(|t| t.id != id), "{theirs:?}");
    for response in [
        app.send(&other, templates::one(id)).await,
        app.send(&other, templates::edit(id, &input("Mine"))).await,
        app.send(&other, templates::delete(id)).await,
    ] {
        assert_problem(response, StatusCode::NOT_FOUND).await;
    }
    let their_person = app.a_person_of(OTHER_REP).await;
    let from_template = NewEmail {
        person_id: PersonId(their_person),
        subject: "Hi".to_owned(),
        body: "<p>Hi</p>".to_owned(),
        template_id: Some(id),
        ..NewEmail::default()
    };
    let problem = assert_problem(
        app.send(&other, emails::create(&from_template)).await,
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
        .call(&token, templates::create(&input("Counted")))
        .await
        .id;
    let people = reachable_people(&app, 3).await;
    // From compose: sent, then replied to.
    let from_template = NewEmail {
        person_id: PersonId(people[0]),
        subject: "About you".to_owned(),
        body: "<p>Hi</p>".to_owned(),
        template_id: Some(id),
        ..NewEmail::default()
    };
    let email = app
        .call(&token, emails::create(&from_template))
        .await
        .summary
        .id;
    assert_eq!(app.settled_status(email.0).await, "delivered");
    app.reply_to(email.0).await;
    // From a campaign's step that uses it.
    let campaign = campaign_with_steps(
        &app,
        &token,
        "Templated",
        &[StepInput {
            template_id: Some(id),
            ..step(
                StepKind::AutomaticEmail,
                "About {{company}}",
                0,
                "<p>Hello</p>",
            )
        }],
    )
    .await;
    let steps = app
        .call(&token, campaigns::steps(CampaignId(campaign)))
        .await;
    assert_eq!(steps[0].template_id, Some(id));
    enrol(&app, &token, campaign, &people[1..]).await;
    for &person in &people[1..] {
        after_sending(&app, &token, campaign, person, |e| {
            e.state == EnrolmentState::Finished
        })
        .await;
    }

    let usage = app.call(&token, templates::one(id)).await.usage;
    assert_eq!(
        usage,
        TemplateUsage {
            sent: 3,
            viewed: 0,
            clicked: 0,
            replied: 1
        }
    );

    // A step naming another rep's template is refused.
    let other = app.login(OTHER_REP).await;
    let theirs = app
        .call(&other, templates::create(&input("Theirs")))
        .await
        .id;
    let their_step = StepInput {
        template_id: Some(theirs),
        ..step(StepKind::Call, "Call", 0, "")
    };
    let problem = assert_problem(
        app.send(
            &token,
            campaigns::add_step(CampaignId(campaign), &their_step),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["field"], "template_id");

    // Deleted, the emails stay and forget it.
    assert_eq!(
        app.send(&token, templates::delete(id)).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.status_of(email.0).await, "delivered");
    assert_problem(
        app.send(&token, templates::one(id)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn a_merge_field_that_does_not_exist_is_refused_wherever_it_is_written() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    let typos = NewCampaign {
        name: "Typos".to_owned(),
    };
    let campaign = app.call(&token, campaigns::create(&typos)).await.id;
    let typo = "<p>Hi {{frist_name}}</p>";
    let template = |subject: &str, body: &str| TemplateInput {
        name: "Typo".to_owned(),
        subject: subject.to_owned(),
        body: body.to_owned(),
    };
    let email = NewEmail {
        person_id: PersonId(person),
        subject: "Hello".to_owned(),
        body: typo.to_owned(),
        ..NewEmail::default()
    };
    let batch = NewBatch::new(
        BatchKind::Individual,
        vec![BatchRecipient::to(PersonId(person))],
        "Hi {{nickname}}",
        "<p>Hi</p>",
    );
    let automatic = step(StepKind::AutomaticEmail, "Hello", 0, typo);
    for (what, response, field) in [
        (
            "template body",
            app.send(&token, templates::create(&template("Hello", typo)))
                .await,
            "body",
        ),
        (
            "template subject",
            app.send(
                &token,
                templates::create(&template("For {{compnay}}", "<p>Hi</p>")),
            )
            .await,
            "subject",
        ),
        (
            "step",
            app.send(&token, campaigns::add_step(campaign, &automatic))
                .await,
            "body",
        ),
        (
            "email",
            app.send(&token, emails::create(&email)).await,
            "body",
        ),
        (
            "batch",
            app.send(&token, emails::batch(&batch)).await,
            "subject",
        ),
    ] {
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem["field"], field, "{what}: {problem}");
        let detail = problem["detail"].as_str().unwrap();
        assert!(
            detail.contains("not a merge field") && detail.contains("{{first_name}}"),
            "{what}: {detail}"
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
