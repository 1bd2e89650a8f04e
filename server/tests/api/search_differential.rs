//! The search evaluated two ways must agree on which emails match: SQL compiled by the server
//! against a real SQLite database, and `api::search` in memory. 500 generated data sets × 20
//! generated queries = 10,000 cases, negations, person conditions and empty results included.
//! People get up to four emails with their own engagement each, so histories where a person
//! engaged with one email and not another, and replied to a third, come up in most data sets.

use api::search::{
    Condition, DateField, EmailFacts, Engagement, EnrolmentFacts, PersonFacts, PersonField,
    SearchQuery, SequenceStage, TextOp, Window,
};
use api::sequence::{EnrolmentState, FinishReason};
use api::{CampaignId, EmailId, EmailStatus, PersonId, UserId};
use server::demo::Rng;
use server::search::Match;
use std::collections::{BTreeMap, BTreeSet};

const DATA_SETS: u64 = 500;
const QUERIES_PER_SET: usize = 20;
const NOW: i64 = 1_800_000_000_000;
const DAY: i64 = 86_400_000;
const OWNER: i64 = 1;
const OTHER: i64 = 2;

const FIRST: [&str; 5] = ["Emma", "emma", "Émile", "翔太", "Ana_50%"];
const LAST: [&str; 4] = ["Smith", "SMITH", "佐藤", "O'Brien"];
const COMPANIES: [&str; 4] = ["Acme", "ACME Corp", "サクラ商事", ""];
const TITLES: [&str; 3] = ["CEO", "ceo", "Head of 100%"];
const NEEDLES: [&str; 8] = ["emma", "SMITH", "acme", "%", "_", "サクラ", "ceo", ""];

struct DataSet {
    people: BTreeMap<i64, PersonFacts>,
    campaigns: Vec<i64>,
}

async fn fresh_db() -> (server::db::Opened, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let opened = server::db::open(
        crate::helpers::database_url_for(dir.path())
            .await
            .as_deref(),
        &dir.path().join("diff.sqlite3"),
    )
    .await
    .unwrap();
    let db = &opened.db;
    for id in [OWNER, OTHER] {
        sqlx::query("INSERT INTO users (id, email, name, password_hash, role, created_at) VALUES ($1, $2, 'x', 'x', 'rep', 0)")
            .bind(id)
            .bind(format!("rep{id}@example.com"))
            .execute(db)
            .await
            .unwrap();
    }
    (opened, dir)
}

fn pick<'a>(rng: &mut Rng, items: &'a [&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

/// Times fall on a six-hour grid, so events land exactly on window edges often.
fn time(rng: &mut Rng) -> i64 {
    NOW - rng.below(160) as i64 * (DAY / 4) + DAY
}

async fn generate(db: &server::db::Db, rng: &mut Rng) -> DataSet {
    sqlx::query("DELETE FROM email_events")
        .execute(db)
        .await
        .unwrap();
    sqlx::query("DELETE FROM emails").execute(db).await.unwrap();
    sqlx::query("DELETE FROM campaign_people")
        .execute(db)
        .await
        .unwrap();
    sqlx::query("DELETE FROM people").execute(db).await.unwrap();
    sqlx::query("DELETE FROM campaigns")
        .execute(db)
        .await
        .unwrap();
    let mut campaigns = Vec::new();
    for (n, owner) in [OWNER, OWNER, OWNER, OTHER].into_iter().enumerate() {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO campaigns (owner_id, name, created_at) VALUES ($1, $2, 0) RETURNING id",
        )
        .bind(owner)
        .bind(format!("c{n}"))
        .fetch_one(db)
        .await
        .unwrap();
        if owner == OWNER {
            campaigns.push(id);
        }
    }
    let mut people = BTreeMap::new();
    for n in 0..(4 + rng.below(10)) {
        // A few people belong to another rep: they must never appear.
        let owner = if n % 7 == 6 { OTHER } else { OWNER };
        let facts = PersonFacts {
            first_name: pick(rng, &FIRST).to_owned(),
            last_name: pick(rng, &LAST).to_owned(),
            email: format!("p{n}@{}.example", pick(rng, &["acme", "globex", "sakura"])),
            company: pick(rng, &COMPANIES).to_owned(),
            title: pick(rng, &TITLES).to_owned(),
            campaigns: Vec::new(),
            enrolments: Vec::new(),
            emails: Vec::new(),
        };
        let (person_id,): (i64,) = sqlx::query_as(
            "INSERT INTO people (owner_id, first_name, last_name, email, company, title, created_at, email_key)
             VALUES ($1, $2, $3, $4, $5, $6, 0, lower($4)) RETURNING id",
        )
        .bind(owner)
        .bind(&facts.first_name)
        .bind(&facts.last_name)
        .bind(&facts.email)
        .bind(&facts.company)
        .bind(&facts.title)
        .fetch_one(db)
        .await
        .unwrap();
        let mut facts = facts;
        // Membership is its own fact: people are added to campaigns before any email goes out.
        for &campaign in &campaigns {
            if owner == OWNER && rng.unit() < 0.3 {
                // Somewhere in its sequence: on a step, paused, or finished for some reason.
                let enrolment = EnrolmentFacts {
                    campaign_id: CampaignId(campaign),
                    state: [
                        EnrolmentState::Active,
                        EnrolmentState::Paused,
                        EnrolmentState::Finished,
                    ][rng.below(3) as usize],
                    reason: None,
                    done_steps: rng.below(3) as u32,
                };
                let enrolment = EnrolmentFacts {
                    reason: (enrolment.state == EnrolmentState::Finished)
                        .then(|| FinishReason::ALL[rng.below(6) as usize]),
                    ..enrolment
                };
                sqlx::query(
                    "INSERT INTO campaign_people (campaign_id, person_id, added_at, state, finish_reason, done_steps)
                     VALUES ($1, $2, 0, $3, $4, $5)",
                )
                .bind(campaign)
                .bind(person_id)
                .bind(enrolment.state.as_str())
                .bind(enrolment.reason.map(FinishReason::as_str))
                .bind(i64::from(enrolment.done_steps))
                .execute(db)
                .await
                .unwrap();
                facts.campaigns.push(CampaignId(campaign));
                facts.enrolments.push(enrolment);
            }
        }
        for _ in 0..rng.below(5) {
            let status = EmailStatus::ALL[rng.below(8) as usize];
            let campaign_id = (rng.unit() < 0.6).then(|| campaigns[rng.below(3) as usize]);
            let created_at = time(rng);
            let scheduled_at = (rng.unit() < 0.3).then(|| time(rng) + 10 * DAY);
            let sent_at = (rng.unit() < 0.6).then(|| time(rng));
            let failed_at = (rng.unit() < 0.2).then(|| time(rng));
            let (email_id,): (i64,) = sqlx::query_as(
                "INSERT INTO emails (owner_id, person_id, campaign_id, subject, body_html, status, channel,
                                     created_at, updated_at, scheduled_at, sent_at, failed_at, folder_at)
                 VALUES ($1, $2, $3, 's', 'b', $4, 'msc', $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(owner)
            .bind(person_id)
            .bind(campaign_id)
            .bind(status.as_str())
            .bind(created_at)
            .bind(created_at)
            .bind(scheduled_at)
            .bind(sent_at)
            .bind(failed_at)
            .bind(created_at)
            .fetch_one(db)
            .await
            .unwrap();
            let mut events = Vec::new();
            for _ in 0..rng.below(6) {
                let kind = pick(rng, &["view", "view", "click", "reply", "bounce"]);
                let at = time(rng);
                sqlx::query(
                    "INSERT INTO email_events (email_id, kind, occurred_at) VALUES ($1, $2, $3)",
                )
                .bind(email_id)
                .bind(kind)
                .bind(at)
                .execute(db)
                .await
                .unwrap();
                events.push((kind.to_owned(), at));
            }
            // Every writer of events keeps the email's totals with them; the search reads them.
            sqlx::query(
                "UPDATE emails SET
                    views = (SELECT COUNT(*) FROM email_events WHERE email_id = $1 AND kind = 'view'),
                    clicks = (SELECT COUNT(*) FROM email_events WHERE email_id = $1 AND kind = 'click'),
                    replies = (SELECT COUNT(*) FROM email_events WHERE email_id = $1 AND kind = 'reply')
                 WHERE id = $1",
            )
            .bind(email_id)
            .execute(db)
            .await
            .unwrap();
            facts.emails.push(EmailFacts {
                id: EmailId(email_id),
                campaign_id: campaign_id.map(CampaignId),
                status,
                created_at,
                scheduled_at,
                sent_at,
                failed_at,
                events,
            });
        }
        if owner == OWNER {
            people.insert(person_id, facts);
        }
    }
    DataSet { people, campaigns }
}

fn window(rng: &mut Rng) -> Window {
    if rng.unit() < 0.5 {
        Window::LastDays {
            days: 1 + rng.below(40) as u32,
        }
    } else {
        let from = time(rng);
        let to = from + rng.below(60) as i64 * (DAY / 4);
        Window::Between {
            from: chrono::DateTime::from_timestamp_millis(from).unwrap(),
            to: chrono::DateTime::from_timestamp_millis(to).unwrap(),
        }
    }
}

fn condition(rng: &mut Rng, campaigns: &[i64]) -> Condition {
    match rng.below(9) {
        0 => {
            let mut ids: Vec<i64> = campaigns
                .iter()
                .copied()
                .filter(|_| rng.unit() < 0.5)
                .collect();
            if ids.is_empty() {
                ids.push(campaigns[0]);
            }
            Condition::Campaign {
                ids: ids.into_iter().map(CampaignId).collect(),
                negate: rng.unit() < 0.4,
            }
        }
        1 | 5 => Condition::Engagement {
            engagement: [Engagement::Viewed, Engagement::Clicked, Engagement::Replied]
                [rng.below(3) as usize],
            negate: rng.unit() < 0.4,
            min_count: 1 + rng.below(3) as u32,
            window: (rng.unit() < 0.4).then(|| window(rng)),
        },
        2 => Condition::Status {
            statuses: EmailStatus::ALL
                .iter()
                .copied()
                .filter(|_| rng.unit() < 0.3)
                .chain([EmailStatus::Delivered])
                .collect(),
        },
        3 => Condition::Date {
            field: [
                DateField::Created,
                DateField::Scheduled,
                DateField::Delivered,
                DateField::Failed,
            ][rng.below(4) as usize],
            window: window(rng),
        },
        6 => Condition::PersonReplied {
            negate: rng.unit() < 0.5,
        },
        7 => Condition::PersonCampaign {
            ids: campaigns
                .iter()
                .copied()
                .filter(|_| rng.unit() < 0.4)
                .map(CampaignId)
                .collect(),
            negate: rng.unit() < 0.5,
        },
        8 => Condition::PersonSequence {
            campaign: (rng.unit() < 0.6).then(|| CampaignId(campaigns[rng.below(3) as usize])),
            stage: match rng.below(4) {
                0 => SequenceStage::AtStep {
                    step: 1 + rng.below(3) as u32,
                },
                1 => SequenceStage::Running,
                2 => SequenceStage::Finished { reason: None },
                _ => SequenceStage::Finished {
                    reason: Some(FinishReason::ALL[rng.below(6) as usize]),
                },
            },
            negate: rng.unit() < 0.5,
        },
        _ => Condition::Person {
            field: [
                PersonField::Name,
                PersonField::Email,
                PersonField::Company,
                PersonField::Title,
            ][rng.below(4) as usize],
            op: [TextOp::Contains, TextOp::NotContains, TextOp::Equals][rng.below(3) as usize],
            value: pick(rng, &NEEDLES).to_owned(),
        },
    }
}

fn query(rng: &mut Rng, campaigns: &[i64]) -> SearchQuery {
    let all = (0..rng.below(4))
        .map(|_| condition(rng, campaigns))
        .collect();
    let any = (0..rng.below(3))
        .map(|_| {
            (0..1 + rng.below(3))
                .map(|_| condition(rng, campaigns))
                .collect()
        })
        .collect();
    SearchQuery {
        all,
        any,
        ..SearchQuery::default()
    }
}

/// Whether someone engaged with one email and not another, and replied to a third.
fn mixed_history(person: &PersonFacts) -> bool {
    let has = |e: &EmailFacts, kind: &str| e.events.iter().any(|(k, _)| k == kind);
    let engaged = |e: &EmailFacts| has(e, "view") || has(e, "click");
    person.emails.iter().any(engaged)
        && person
            .emails
            .iter()
            .any(|e| !engaged(e) && !has(e, "reply"))
        && person.emails.iter().any(|e| has(e, "reply") && !engaged(e))
}

#[tokio::test]
async fn sql_and_memory_agree_on_ten_thousand_generated_cases() {
    let (opened, _dir) = fresh_db().await;
    let db = &opened.db;
    let (mut matched_some, mut matched_none, mut mixed) = (0, 0, 0);
    for seed in 0..DATA_SETS {
        let mut rng = Rng::new(seed);
        let data = generate(db, &mut rng).await;
        mixed += data.people.values().filter(|p| mixed_history(p)).count();
        for n in 0..QUERIES_PER_SET {
            let query = query(&mut rng, &data.campaigns);
            let sql: BTreeSet<Match> = server::search::matching_emails(
                &opened.limited,
                &query,
                UserId(OWNER),
                NOW,
                std::time::Duration::from_secs(60),
            )
            .await
            .unwrap()
            .iter()
            .map(server::search::Found::key)
            .collect();
            let memory: BTreeSet<Match> = data
                .people
                .iter()
                .flat_map(|(id, person)| {
                    query.matching_emails(person, NOW).map(|email| Match {
                        email: email.id,
                        person: PersonId(*id),
                    })
                })
                .collect();
            assert_eq!(
                sql,
                memory,
                "data set {seed}, query {n}: {}",
                serde_json::to_string(&query).unwrap()
            );
            if sql.is_empty() {
                matched_none += 1
            } else {
                matched_some += 1
            }
        }
    }
    // The generator must exercise both outcomes and the histories that tell per-email from
    // per-person engagement apart, or the agreement means little.
    assert!(
        matched_some > 1000 && matched_none > 1000 && mixed > 100,
        "{matched_some} non-empty, {matched_none} empty, {mixed} people with mixed histories"
    );
}
