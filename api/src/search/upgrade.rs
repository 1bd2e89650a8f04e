//! Reading a version 1 query. Version 1 asked every condition of the person and all of the rep's
//! emails to them ("clicked" = some email to them was clicked; "not replied" = no email to them
//! was). Version 2 asks email conditions of one email. A version 1 query upgrades to the same
//! conditions read the new way, which is what its maker meant in the common case; where the two
//! readings can differ, the upgrade says so (`previous`), so that a saved list whose members change
//! tells the rep once instead of silently listing other people.

use super::{Condition, SearchQuery, QUERY_VERSION};

/// A query brought to this version.
#[derive(Clone, Debug, PartialEq)]
pub struct Upgrade {
    pub query: SearchQuery,
    /// The query as it was given, when its meaning changed.
    pub previous: Option<SearchQuery>,
}

impl SearchQuery {
    /// This query at the current version; a version 1 query keeps its conditions, read per email.
    pub fn upgrade(self) -> Upgrade {
        if self.version >= QUERY_VERSION {
            return Upgrade {
                query: self,
                previous: None,
            };
        }
        let previous = (!self.same_meaning_per_email()).then(|| self.clone());
        Upgrade {
            query: SearchQuery {
                version: QUERY_VERSION,
                ..self
            },
            previous,
        }
    }

    /// Whether reading this query's email conditions per email (version 2) picks exactly the
    /// people that reading them per person (version 1) did, whatever the data.
    ///
    /// Version 1 is `P ∧ ∃e C1(e) ∧ ∃e C2(e) ∧ …` (P: the person conditions); version 2 is
    /// `∃e (P ∧ C1(e) ∧ C2(e) ∧ …)`. They are equal when exactly one conjunct speaks of emails,
    /// it speaks only of emails, and each of its conditions asks that some email has something
    /// (`∃` distributes over `∨`, not over `∧` or `¬`). A negation ("not replied") or a count
    /// above one (summed over emails before) changes the meaning; so does a query with no email
    /// condition, which used to list people who have no email at all.
    fn same_meaning_per_email(&self) -> bool {
        let existential = |c: &Condition| match c {
            Condition::Campaign { negate, .. } => !negate,
            Condition::Engagement {
                negate, min_count, ..
            } => !negate && *min_count <= 1,
            Condition::Status { .. } | Condition::Date { .. } => true,
            _ => false,
        };
        let mut conjuncts = self
            .all
            .iter()
            .map(std::slice::from_ref)
            .chain(self.any.iter().map(Vec::as_slice))
            .filter(|conjunct| conjunct.iter().any(|c| !c.is_about_person()));
        match (conjuncts.next(), conjuncts.next()) {
            (Some(only), None) => only.iter().all(existential),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{email, engaged, person, seed_query};
    use super::super::*;

    /// Version 1's reading, as it was: every condition asked of the person and all their emails.
    fn v1_holds(c: &Condition, p: &PersonFacts, now_ms: i64) -> bool {
        match c {
            Condition::Engagement {
                engagement,
                negate,
                min_count,
                window,
            } => {
                let (from, to) = any_time(window.as_ref(), now_ms);
                let count = p
                    .emails
                    .iter()
                    .flat_map(|e| &e.events)
                    .filter(|(kind, at)| kind == engagement.event_kind() && *at >= from && *at < to)
                    .count() as u64;
                (count >= u64::from(*min_count)) != *negate
            }
            Condition::Campaign { ids, negate } => {
                p.emails
                    .iter()
                    .any(|e| e.campaign_id.is_some_and(|c| ids.contains(&c)))
                    != *negate
            }
            // A person condition does not look at the email it is asked beside.
            c if c.is_about_person() => c.holds(p, &email(0, None, &[]), now_ms),
            c => p.emails.iter().any(|e| c.holds(p, e, now_ms)),
        }
    }

    fn v1_matches(q: &SearchQuery, p: &PersonFacts, now_ms: i64) -> bool {
        q.all.iter().all(|c| v1_holds(c, p, now_ms))
            && q.any
                .iter()
                .all(|g| g.iter().any(|c| v1_holds(c, p, now_ms)))
    }

    fn v1(query: SearchQuery) -> SearchQuery {
        SearchQuery {
            version: 1,
            ..query
        }
    }

    #[test]
    fn the_seed_example_saved_by_version_1_says_its_meaning_changed() {
        let upgrade = v1(seed_query()).upgrade();
        assert_eq!(upgrade.query.version, QUERY_VERSION);
        assert_eq!(upgrade.query.all, seed_query().all);
        assert_eq!(upgrade.previous, Some(v1(seed_query())));
    }

    #[test]
    fn a_single_campaign_condition_keeps_its_meaning() {
        let query = v1(SearchQuery {
            all: vec![
                Condition::Campaign {
                    ids: vec![CampaignId(7)],
                    negate: false,
                },
                Condition::Person {
                    field: PersonField::Company,
                    op: TextOp::Contains,
                    value: "acme".into(),
                },
            ],
            any: vec![vec![
                Condition::Person {
                    field: PersonField::Title,
                    op: TextOp::Equals,
                    value: "ceo".into(),
                },
                Condition::Person {
                    field: PersonField::Title,
                    op: TextOp::Equals,
                    value: "cto".into(),
                },
            ]],
            ..SearchQuery::default()
        });
        assert_eq!(query.clone().upgrade().previous, None);
        let either = v1(SearchQuery {
            any: vec![vec![
                engaged(Engagement::Clicked, false),
                engaged(Engagement::Replied, false),
            ]],
            ..SearchQuery::default()
        });
        assert_eq!(either.upgrade().previous, None);
    }

    #[test]
    fn current_queries_pass_through() {
        assert_eq!(seed_query().upgrade().query, seed_query());
        assert_eq!(seed_query().upgrade().previous, None);
    }

    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    fn condition(rng: &mut Rng) -> Condition {
        match rng.below(6) {
            0 => Condition::Campaign {
                ids: vec![CampaignId(1 + rng.below(2) as i64)],
                negate: rng.below(4) == 0,
            },
            1 | 2 => Condition::Engagement {
                engagement: [Engagement::Viewed, Engagement::Clicked, Engagement::Replied]
                    [rng.below(3) as usize],
                negate: rng.below(4) == 0,
                min_count: 1 + (rng.below(4) == 0) as u32,
                window: None,
            },
            3 => Condition::Status {
                statuses: vec![
                    [EmailStatus::Delivered, EmailStatus::Archived][rng.below(2) as usize],
                ],
            },
            _ => Condition::Person {
                field: PersonField::Company,
                op: [TextOp::Contains, TextOp::NotContains][rng.below(2) as usize],
                value: "ac".into(),
            },
        }
    }

    /// Where the upgrade says the meaning stays, both readings pick the same people on every
    /// generated history; and the generator finds histories where a changed meaning shows.
    #[test]
    fn an_upgrade_said_to_keep_its_meaning_keeps_it() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut kept, mut differed) = (0, 0);
        for _ in 0..20_000 {
            let query = v1(SearchQuery {
                all: (0..rng.below(3)).map(|_| condition(&mut rng)).collect(),
                any: (0..rng.below(2))
                    .map(|_| (0..1 + rng.below(2)).map(|_| condition(&mut rng)).collect())
                    .collect(),
                ..SearchQuery::default()
            });
            let mut p = person(
                (0..rng.below(4) as i64)
                    .map(|id| {
                        let kinds = ["view", "click", "reply"];
                        let events: Vec<(&str, i64)> = (0..rng.below(4))
                            .map(|_| (kinds[rng.below(3) as usize], 1))
                            .collect();
                        let mut e = email(id, Some(CampaignId(1 + rng.below(3) as i64)), &events);
                        if rng.below(2) == 0 {
                            e.status = EmailStatus::Archived;
                        }
                        e
                    })
                    .collect(),
            );
            if rng.below(2) == 0 {
                p.company = "Globex".into();
            }
            let upgrade = query.clone().upgrade();
            let (before, after) = (v1_matches(&query, &p, 100), upgrade.query.matches(&p, 100));
            if upgrade.previous.is_none() {
                assert_eq!(before, after, "{query:?} on {p:?}");
                kept += 1;
            } else if before != after {
                differed += 1;
            }
        }
        assert!(
            kept > 1000 && differed > 100,
            "{kept} kept, {differed} differed"
        );
    }
}
