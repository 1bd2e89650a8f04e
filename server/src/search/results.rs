//! A search's answer: the people behind the matching emails, with those emails' engagement, and
//! the emails themselves as outbox rows (read as the outbox reads them, hence its error type).

use super::Found;
use crate::db::Db;
use crate::outbox::Error;
use crate::time::from_ms_opt;
use api::search::{SearchHit, SearchResults};
use api::{CampaignId, CampaignRef, PersonId, UserId};
use std::collections::{BTreeMap, BTreeSet};

/// At most this many people in one result (Select and Send takes 200, a group email 1,000).
const MAX_PEOPLE: usize = 5000;
/// At most this many emails in one result, the most recently active; the totals say how many
/// matched in all.
const MAX_EMAILS: usize = 1000;

/// The results both ways: the people behind the matching emails, with those emails' engagement,
/// and the emails themselves as outbox rows; each most recently active first. Everything but the
/// shown rows' text comes with the matches themselves.
pub async fn results(db: &Db, owner: UserId, matches: &[Found]) -> Result<SearchResults, Error> {
    struct Person {
        matching: u32,
        views: i64,
        clicks: i64,
        replies: i64,
        last: Option<i64>,
        campaigns: BTreeSet<CampaignId>,
    }
    let mut people: BTreeMap<PersonId, Person> = BTreeMap::new();
    for found in matches {
        let person = people.entry(found.person).or_insert(Person {
            matching: 0,
            views: 0,
            clicks: 0,
            replies: 0,
            last: None,
            campaigns: BTreeSet::new(),
        });
        person.matching += 1;
        person.views += found.views;
        person.clicks += found.clicks;
        person.replies += found.replies;
        person.last = person.last.max(found.last_activity_at);
        person.campaigns.extend(found.campaign);
    }
    // Most recently active first, those never active last; then by id.
    let recent = |last: Option<i64>, id: i64| (last.is_none(), std::cmp::Reverse(last), id);
    let mut order: Vec<(&PersonId, &Person)> = people.iter().collect();
    order.sort_by_key(|(id, p)| recent(p.last, id.0));
    order.truncate(MAX_PEOPLE);

    let shown_people = crate::db::id_list(order.iter().map(|(id, _)| **id));
    let mut newest: Vec<&Found> = matches.iter().collect();
    newest.sort_by_key(|f| recent(f.last_activity_at, -f.email.0));
    let shown_emails = crate::db::id_list(newest.iter().take(MAX_EMAILS).map(|f| f.email));
    // The three reads go side by side, each on a connection of its own: the answer waits for
    // the longest, not for all three in turn.
    let people_rows = async {
        sqlx::query_as::<_, crate::people::PersonRow>(crate::people::select_people!(
            "WHERE owner_id = $1 AND id IN (SELECT CAST(value AS BIGINT) FROM json_each($2))"
        ))
        .bind(owner)
        .bind(&shown_people)
        .fetch_all(db)
        .await
        .map_err(Error::from)
    };
    let campaign_names = async {
        sqlx::query_as::<_, (CampaignId, String)>(
            "SELECT id, name FROM campaigns WHERE owner_id = $1",
        )
        .bind(owner)
        .fetch_all(db)
        .await
        .map_err(Error::from)
    };
    let emails = crate::outbox::reads::summaries_by_id(db, owner, &shown_emails);
    let (rows, names, emails) = tokio::try_join!(people_rows, campaign_names, emails)?;
    let mut rows: BTreeMap<PersonId, api::Person> = rows
        .into_iter()
        .map(|r| (r.id, api::Person::from(r)))
        .collect();
    let names: BTreeMap<CampaignId, String> = names.into_iter().collect();
    let hits = order
        .into_iter()
        .filter_map(|(id, p)| {
            let mut campaigns: Vec<CampaignRef> = p
                .campaigns
                .iter()
                .filter_map(|c| {
                    names.get(c).map(|name| CampaignRef {
                        id: *c,
                        name: name.clone(),
                    })
                })
                .collect();
            campaigns.sort_by(|a, b| a.name.cmp(&b.name));
            Some(SearchHit {
                person: rows.remove(id)?,
                matching_emails: p.matching,
                views: p.views as u32,
                clicks: p.clicks as u32,
                replies: p.replies as u32,
                last_activity_at: from_ms_opt(p.last),
                campaigns,
            })
        })
        .collect();

    Ok(SearchResults {
        items: hits,
        emails,
        total_people: people.len() as u64,
        total_emails: matches.len() as u64,
    })
}
