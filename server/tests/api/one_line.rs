//! Names, titles and subjects are one line of bounded length (`api::OneLine`), the same rule in
//! every resource that has one: a line break, an empty text or one character too many is
//! refused on its field, in the caller's language; a text that fits is kept trimmed. Sent through
//! the same typed calls as the SPA's.

use crate::helpers::{assert_problem, spawn_app, TestApp, DEMO_REP};
use api::endpoints::{self, Call};
use api::search::NewSavedSearch;
use api::users::TeamInput;
use api::{NewCampaign, NewEmail, NewTask, PersonId};
use reqwest::StatusCode;
use serde::de::IgnoredAny;

/// The call that makes a resource with `text` in its one-line field.
type Make = Box<dyn Fn(&str) -> Call<IgnoredAny>>;

/// Every resource with a one-line field: the field's name, its limit, and how to make one.
fn fields(person: i64) -> Vec<(&'static str, usize, Make)> {
    let everyone: api::search::SearchQuery =
        serde_json::from_str(r#"{"version":1,"all":[],"any":[]}"#).unwrap();
    vec![
        (
            "title",
            300,
            Box::new(|text: &str| {
                endpoints::tasks::create(&NewTask {
                    title: text.to_owned(),
                    kind: "custom".to_owned(),
                    ..NewTask::default()
                })
                .answer_ignored()
            }),
        ),
        (
            "name",
            200,
            Box::new(|text: &str| {
                endpoints::campaigns::create(&NewCampaign {
                    name: text.to_owned(),
                })
                .answer_ignored()
            }),
        ),
        (
            "name",
            100,
            Box::new(|text: &str| {
                endpoints::templates::create(&api::templates::TemplateInput {
                    name: text.to_owned(),
                    subject: "A subject".to_owned(),
                    body: "<p>A body</p>".to_owned(),
                })
                .answer_ignored()
            }),
        ),
        (
            "name",
            100,
            Box::new(move |text: &str| {
                endpoints::search::save(&NewSavedSearch {
                    name: text.to_owned(),
                    query: everyone.clone(),
                })
                .answer_ignored()
            }),
        ),
        (
            "subject",
            500,
            Box::new(move |text: &str| {
                endpoints::emails::create(&NewEmail {
                    person_id: PersonId(person),
                    subject: text.to_owned(),
                    body: "<p>Hello</p>".to_owned(),
                    draft: true,
                    replace_draft: true,
                    ..NewEmail::default()
                })
                .answer_ignored()
            }),
        ),
    ]
}

async fn refused(
    app: &TestApp,
    token: &str,
    call: Call<IgnoredAny>,
    field: &str,
) -> serde_json::Value {
    let problem = assert_problem(
        app.send(token, call).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["field"], field, "{problem}");
    problem
}

#[tokio::test]
async fn every_name_title_and_subject_is_one_bounded_line() {
    let app = spawn_app().await;
    let token = app.login(DEMO_REP).await;
    let person = app.a_person_of(DEMO_REP).await;
    for (field, max, make) in fields(person) {
        for bad in [
            "",
            "   ",
            "Two\nlines",
            "Bcc: x@example.com\r\nHi",
            "tab\there",
        ] {
            refused(&app, &token, make(bad), field).await;
        }
        let too_long = refused(&app, &token, make(&"あ".repeat(max + 1)), field).await;
        assert!(
            too_long["detail"]
                .as_str()
                .unwrap()
                .contains(&max.to_string()),
            "the limit is said: {too_long}"
        );
        // Exactly the limit, in characters (kana are three bytes each), fits.
        let fits = app.send(&token, make(&"あ".repeat(max))).await;
        assert!(
            fits.status().is_success(),
            "{field} of {max}: {}",
            fits.status()
        );
    }

    // Kept trimmed.
    let kept: api::Campaign = app
        .call(
            &token,
            endpoints::campaigns::create(&NewCampaign {
                name: "  Spring pilot  ".to_owned(),
            }),
        )
        .await;
    assert_eq!(kept.name, "Spring pilot");
}

#[tokio::test]
async fn a_team_and_a_user_are_named_in_one_line_in_the_callers_language() {
    let app = spawn_app().await;
    let admin = app.login("admin@example.com").await;
    let two_lines = endpoints::accounts::create_team(&TeamInput {
        name: "Sales\nEast".to_owned(),
    })
    .answer_ignored();
    refused(&app, &admin, two_lines, "name").await;
    let japanese = app
        .client
        .post(app.url(endpoints::paths::TEAMS))
        .bearer_auth(&admin)
        .header("accept-language", "ja")
        .json(&TeamInput {
            name: "x".repeat(101),
        })
        .send()
        .await
        .unwrap();
    let problem = assert_problem(japanese, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["detail"], "100 文字以内にしてください。");
    let profile = endpoints::accounts::change_profile(&api::users::Profile {
        name: "Aiko\r\nAdmin".to_owned(),
        time_zone: "Asia/Tokyo".to_owned(),
        locale: "ja".to_owned(),
    })
    .answer_ignored();
    refused(&app, &admin, profile, "name").await;
}
