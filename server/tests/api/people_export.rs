//! The people export: every one of the rep's people (and no one else's) as a CSV that Excel reads
//! as UTF-8, with a spreadsheet formula typed into a field written as text, each export in the
//! audit log, and the file imports again as it is.

use crate::helpers::{spawn_app, DEMO_REP, OTHER_REP};
use crate::people_import::import_ok;
use api::csv_text::records;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn the_reps_people_export_as_a_csv_that_imports_again() {
    let app = spawn_app().await;
    let aiko = app.login(DEMO_REP).await;
    let ben = app.login(OTHER_REP).await;
    let created = app
        .post(
            "/people",
            &aiko,
            &json!({ "first_name": "Zoë \"Z\"", "last_name": "O'Neil, Jr.",
                     "email": "zoe.export@example.com",
                     "company": "=HYPERLINK(\"http://evil.example\",\"open\")" }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let bens_person: Value = app.get_json("/people?limit=1", &ben).await;
    let bens_email = bens_person["items"][0]["email"]
        .as_str()
        .unwrap()
        .to_owned();

    let response = app.get("/people/export", &aiko).await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "text/csv; charset=utf-8");
    assert!(header("content-disposition").starts_with("attachment; filename=\"people-"));
    let text = response.text().await.unwrap();
    let body = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for Excel");
    let rows = records(body, b',').unwrap();
    assert_eq!(
        rows[0],
        [
            "first_name",
            "last_name",
            "email",
            "company",
            "title",
            "phone",
            "linkedin_url",
            "opted_out",
            "do_not_contact"
        ]
    );
    let total = app.get_json("/people?limit=1", &aiko).await["total"]
        .as_u64()
        .unwrap();
    assert_eq!(rows.len() as u64 - 1, total, "every person, once");
    let zoe = rows
        .iter()
        .find(|r| r[2] == "zoe.export@example.com")
        .unwrap();
    assert_eq!(zoe[0], "Zoë \"Z\"");
    assert_eq!(zoe[1], "O'Neil, Jr.");
    assert_eq!(
        zoe[3], "'=HYPERLINK(\"http://evil.example\",\"open\")",
        "a formula is text"
    );
    assert_eq!((zoe[7].as_str(), zoe[8].as_str()), ("no", "no"));
    assert!(
        rows.iter().all(|r| r[2] != bens_email),
        "only the rep's own people"
    );

    // In the audit log: who exported how many.
    let admin = app.login("admin@example.com").await;
    let audit = app.get_json("/audit?action=exported", &admin).await;
    let events = audit["events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["actor"], "佐藤 愛子 <aiko@example.com>");
    assert_eq!(events[0]["detail"], format!("people: {total}"));

    // The file imports again as it is (here into another rep's list).
    let imported = import_ok(&app, &ben, "", text.clone().into_bytes()).await;
    assert_eq!(imported["errors_total"], 0, "{imported}");
    assert!(imported["imported"].as_u64().unwrap() >= 1, "{imported}");
    let page = app.get_json("/people?q=zoe.export", &ben).await;
    assert_eq!(page["items"][0]["last_name"], "O'Neil, Jr.");

    // Signed out: nothing.
    let anonymous = app
        .client
        .get(app.url("/people/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
