use super::*;

pub(super) fn email(id: i64, campaign: Option<CampaignId>, events: &[(&str, i64)]) -> EmailFacts {
    EmailFacts {
        id: EmailId(id),
        campaign_id: campaign,
        status: EmailStatus::Delivered,
        created_at: 0,
        scheduled_at: None,
        sent_at: Some(10),
        failed_at: None,
        events: events.iter().map(|(k, at)| (k.to_string(), *at)).collect(),
    }
}

pub(super) fn person(emails: Vec<EmailFacts>) -> PersonFacts {
    PersonFacts {
        first_name: "Emma".into(),
        last_name: "Smith".into(),
        email: "emma@acme.example".into(),
        company: "Acme".into(),
        title: "CEO".into(),
        campaigns: emails.iter().filter_map(|e| e.campaign_id).collect(),
        enrolments: Vec::new(),
        emails,
    }
}

pub(super) fn engaged(engagement: Engagement, negate: bool) -> Condition {
    Condition::Engagement {
        engagement,
        negate,
        min_count: 1,
        window: None,
    }
}

/// The seed's example: campaign 7, viewed, clicked, not replied.
pub(super) fn seed_query() -> SearchQuery {
    SearchQuery {
        all: vec![
            Condition::Campaign {
                ids: vec![CampaignId(7)],
                negate: false,
            },
            engaged(Engagement::Viewed, false),
            engaged(Engagement::Clicked, false),
            engaged(Engagement::Replied, true),
        ],
        ..SearchQuery::default()
    }
}

/// The numbers of the person's emails that match.
fn ids(query: &SearchQuery, person: &PersonFacts) -> Vec<i64> {
    query.matching_emails(person, 100).map(|e| e.id.0).collect()
}

#[test]
fn engagement_holds_on_the_same_email() {
    let query = seed_query();
    // Viewed and clicked the campaign's email, no reply to it: in.
    assert_eq!(
        ids(
            &query,
            &person(vec![email(
                1,
                Some(CampaignId(7)),
                &[("view", 1), ("click", 2)]
            )])
        ),
        [1]
    );
    // The view and the click were on another email than the campaign's: out.
    let split = person(vec![
        email(1, Some(CampaignId(7)), &[("view", 1)]),
        email(2, None, &[("click", 2)]),
    ]);
    assert!(ids(&query, &split).is_empty());
    // A reply to some other email does not undo "that email got no reply": in.
    let replied_elsewhere = person(vec![
        email(1, Some(CampaignId(7)), &[("view", 1), ("click", 2)]),
        email(2, Some(CampaignId(8)), &[("reply", 3)]),
    ]);
    assert_eq!(ids(&query, &replied_elsewhere), [1]);
    // The campaign's email itself got a reply: out.
    let replied = person(vec![email(
        1,
        Some(CampaignId(7)),
        &[("view", 1), ("click", 2), ("reply", 3)],
    )]);
    assert!(ids(&query, &replied).is_empty());
}

#[test]
fn person_conditions_hold_on_the_person_behind_each_email() {
    let never_replied = SearchQuery {
        all: vec![
            engaged(Engagement::Viewed, false),
            Condition::PersonReplied { negate: true },
        ],
        ..SearchQuery::default()
    };
    let replied_elsewhere = person(vec![
        email(1, Some(CampaignId(7)), &[("view", 1)]),
        email(2, None, &[("reply", 3)]),
    ]);
    assert!(ids(&never_replied, &replied_elsewhere).is_empty());
    let quiet = person(vec![
        email(1, Some(CampaignId(7)), &[("view", 1)]),
        email(2, None, &[]),
    ]);
    assert_eq!(ids(&never_replied, &quiet), [1]);

    let in_no_campaign = SearchQuery {
        all: vec![Condition::PersonCampaign {
            ids: vec![],
            negate: true,
        }],
        ..SearchQuery::default()
    };
    assert!(ids(&in_no_campaign, &quiet).is_empty());
    assert_eq!(
        ids(&in_no_campaign, &person(vec![email(3, None, &[])])),
        [3]
    );
}

#[test]
fn or_groups_need_one_of_their_conditions_on_the_same_email() {
    let query = SearchQuery {
        any: vec![vec![
            engaged(Engagement::Clicked, false),
            engaged(Engagement::Replied, false),
        ]],
        all: vec![engaged(Engagement::Viewed, false)],
        ..SearchQuery::default()
    };
    let p = person(vec![
        email(1, None, &[("view", 1)]),
        email(2, None, &[("reply", 1)]),
        email(3, None, &[("view", 1), ("click", 2)]),
    ]);
    assert_eq!(ids(&query, &p), [3]);
}

#[test]
fn text_matches_fold_ascii_only_like_sql() {
    let cond = Condition::Person {
        field: PersonField::Company,
        op: TextOp::Contains,
        value: "ACME".into(),
    };
    let p = person(vec![email(1, None, &[])]);
    assert!(cond.holds(&p, &p.emails[0], 0));
    assert_eq!(fold("ÄBC"), "Äbc");
}

#[test]
fn counts_and_windows_are_per_email() {
    let p = person(vec![
        email(1, None, &[("view", 10), ("view", 20), ("view", 90)]),
        email(2, None, &[("view", 10), ("view", 20)]),
    ]);
    let at_least = |min_count, window| SearchQuery {
        all: vec![Condition::Engagement {
            engagement: Engagement::Viewed,
            negate: false,
            min_count,
            window,
        }],
        ..SearchQuery::default()
    };
    assert_eq!(ids(&at_least(3, None), &p), [1]);
    // Five views in all, but no single email has four.
    assert!(ids(&at_least(4, None), &p).is_empty());
    // Between is [from, to).
    let between = |from: i64, to: i64| {
        Some(Window::Between {
            from: chrono::DateTime::from_timestamp_millis(from).unwrap(),
            to: chrono::DateTime::from_timestamp_millis(to).unwrap(),
        })
    };
    assert_eq!(ids(&at_least(2, between(10, 90)), &p), [1, 2]);
    assert!(ids(&at_least(3, between(10, 90)), &p).is_empty());
}

#[test]
fn invalid_queries_are_named() {
    let query = SearchQuery {
        any: vec![vec![]],
        ..SearchQuery::default()
    };
    assert!(query.validate().unwrap_err().en.contains("OR group"));
    let count = |min_count| SearchQuery {
        all: vec![Condition::Engagement {
            engagement: Engagement::Viewed,
            negate: false,
            min_count,
            window: None,
        }],
        ..SearchQuery::default()
    };
    assert!(count(0).validate().is_err());
    assert!(count(1001).validate().is_err());
    assert!(count(1000).validate().is_ok());
    let many = SearchQuery {
        all: vec![engaged(Engagement::Viewed, false); MAX_CONDITIONS + 1],
        ..SearchQuery::default()
    };
    assert!(many.validate().unwrap_err().en.contains("at most"));
}

#[test]
fn a_condition_names_at_most_500_campaigns_and_compares_at_most_200_characters() {
    let campaigns = |n: usize| SearchQuery {
        all: vec![Condition::Campaign {
            ids: (1..=n as i64).map(CampaignId).collect(),
            negate: false,
        }],
        ..SearchQuery::default()
    };
    assert!(campaigns(MAX_IDS).validate().is_ok());
    assert!(campaigns(MAX_IDS + 1)
        .validate()
        .unwrap_err()
        .en
        .contains("500 campaigns"));
    let text = |n: usize| SearchQuery {
        all: vec![Condition::Person {
            field: PersonField::Company,
            op: TextOp::Contains,
            value: "あ".repeat(n),
        }],
        ..SearchQuery::default()
    };
    assert!(text(MAX_TEXT).validate().is_ok());
    assert!(text(MAX_TEXT + 1)
        .validate()
        .unwrap_err()
        .en
        .contains("200 characters"));
}

#[test]
fn a_place_in_a_sequence_holds_of_the_enrolment_it_names() {
    use crate::sequence::{EnrolmentState, FinishReason};
    let mut p = person(vec![email(1, Some(CampaignId(7)), &[])]);
    p.enrolments.push(EnrolmentFacts {
        campaign_id: CampaignId(7),
        state: EnrolmentState::Paused,
        reason: None,
        done_steps: 1,
    });
    let holds = |campaign, stage, negate| {
        Condition::PersonSequence {
            campaign,
            stage,
            negate,
        }
        .holds(&p, &p.emails[0], 0)
    };
    assert!(holds(
        Some(CampaignId(7)),
        SequenceStage::AtStep { step: 2 },
        false
    ));
    assert!(!holds(
        Some(CampaignId(7)),
        SequenceStage::AtStep { step: 1 },
        false
    ));
    assert!(holds(None, SequenceStage::Running, false));
    assert!(
        !holds(None, SequenceStage::Running, true),
        "running somewhere"
    );
    assert!(!holds(Some(CampaignId(8)), SequenceStage::Running, false));
    let finished = SequenceStage::Finished {
        reason: Some(FinishReason::Replied),
    };
    assert!(!holds(Some(CampaignId(7)), finished, false));
}
