//! A query in plain words, in the rep's language: what the builder shows under the conditions, and
//! what an upgraded saved search says it meant before and means now. A version 1 query is read
//! as it ran then (of people and all their emails), a current one as a search over emails.
//!
//! Japanese chains clauses in their continuative form (開封され、クリックされ、) and ends on the
//! attributive one before the noun (返信がなかったメール), so each clause comes in both forms.

use super::{
    Condition, DateField, Engagement, PersonField, SearchQuery, SequenceStage, TextOp, Window,
};
use crate::folder::EmailStatus;
use crate::ids::CampaignId;
use crate::sequence::FinishReason;
use crate::text::Lang;

/// A clause: English (following "that"), Japanese continuative, Japanese attributive.
struct Clause {
    en: String,
    ja_chain: String,
    ja_end: String,
}

impl Clause {
    fn new(en: impl Into<String>, ja_chain: impl Into<String>, ja_end: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            ja_chain: ja_chain.into(),
            ja_end: ja_end.into(),
        }
    }
}

struct Words<'a> {
    campaign_name: &'a dyn Fn(CampaignId) -> String,
    /// Version 1: conditions asked of a person and all their emails.
    per_person: bool,
}

fn status_name(status: EmailStatus) -> (&'static str, &'static str) {
    let en = match status {
        EmailStatus::Draft => "a draft",
        EmailStatus::Scheduled => "scheduled",
        EmailStatus::InProgress => "in progress",
        EmailStatus::Delivered => "delivered",
        EmailStatus::Archived => "archived",
        EmailStatus::Failed => "failed",
        EmailStatus::Bounced => "bounced",
        EmailStatus::Spam => "marked as spam",
    };
    (en, status.ja())
}

fn window_words(window: Option<&Window>) -> (String, String) {
    let stamp = |at: &crate::dto::Timestamp| at.format("%Y-%m-%d %H:%M UTC").to_string();
    match window {
        None => (String::new(), String::new()),
        Some(Window::LastDays { days }) => (
            format!(" in the last {days} days"),
            format!("過去 {days} 日間に"),
        ),
        Some(Window::Between { from, to }) => (
            format!(" between {} and {}", stamp(from), stamp(to)),
            format!("{}〜{} に", stamp(from), stamp(to)),
        ),
    }
}

impl Words<'_> {
    fn campaigns(&self, ids: &[CampaignId]) -> (String, String) {
        let names: Vec<String> = ids.iter().map(|id| (self.campaign_name)(*id)).collect();
        let ja: Vec<String> = names.iter().map(|n| format!("「{n}」")).collect();
        (names.join(" or "), ja.join("または"))
    }

    fn clause(&self, condition: &Condition) -> Clause {
        match condition {
            Condition::Campaign { ids, negate } => {
                let (en, ja) = self.campaigns(ids);
                match (self.per_person, negate) {
                    (false, false) => Clause::new(
                        format!("are in {en}"),
                        format!("キャンペーン{ja}のもので"),
                        format!("キャンペーン{ja}の"),
                    ),
                    (false, true) => Clause::new(
                        format!("are not in {en}"),
                        format!("キャンペーン{ja}のものでなく"),
                        format!("キャンペーン{ja}のものでない"),
                    ),
                    (true, false) => Clause::new(
                        format!("were emailed in {en}"),
                        format!("キャンペーン{ja}でメールを送られ"),
                        format!("キャンペーン{ja}でメールを送られた"),
                    ),
                    (true, true) => Clause::new(
                        format!("were never emailed in {en}"),
                        format!("キャンペーン{ja}でメールを送られておらず"),
                        format!("キャンペーン{ja}でメールを送られていない"),
                    ),
                }
            }
            Condition::Engagement {
                engagement,
                negate,
                min_count,
                window,
            } => self.engagement(*engagement, *negate, *min_count, window.as_ref()),
            Condition::Status { statuses } => {
                let en: Vec<&str> = statuses.iter().map(|s| status_name(*s).0).collect();
                let ja: Vec<&str> = statuses.iter().map(|s| status_name(*s).1).collect();
                let (en, ja) = (en.join(" or "), ja.join("または"));
                if self.per_person {
                    Clause::new(
                        format!("have an email that is {en}"),
                        format!("ステータスが{ja}のメールがあり"),
                        format!("ステータスが{ja}のメールがある"),
                    )
                } else {
                    Clause::new(
                        format!("are {en}"),
                        format!("ステータスが{ja}で"),
                        format!("ステータスが{ja}の"),
                    )
                }
            }
            Condition::Date { field, window } => {
                let (when_en, when_ja) = window_words(Some(window));
                let (verb_en, verb_ja) = match field {
                    DateField::Created => ("were created", "作成され"),
                    DateField::Scheduled => ("were scheduled", "予約され"),
                    DateField::Delivered => ("were delivered", "配信され"),
                    DateField::Failed => ("failed", "失敗し"),
                };
                let end_ja = match field {
                    DateField::Failed => "失敗した",
                    DateField::Created => "作成された",
                    DateField::Scheduled => "予約された",
                    DateField::Delivered => "配信された",
                };
                if self.per_person {
                    Clause::new(
                        format!("have an email that {verb_en}{when_en}"),
                        format!("{when_ja}{end_ja}メールがあり"),
                        format!("{when_ja}{end_ja}メールがある"),
                    )
                } else {
                    Clause::new(
                        format!("{verb_en}{when_en}"),
                        format!("{when_ja}{verb_ja}"),
                        format!("{when_ja}{end_ja}"),
                    )
                }
            }
            Condition::Person { field, op, value } => {
                let (field_en, field_ja) = match field {
                    PersonField::Name => ("name", "名前"),
                    PersonField::Email => ("email address", "メールアドレス"),
                    PersonField::Company => ("company", "会社名"),
                    PersonField::Title => ("title", "役職"),
                };
                let (op_en, op_ja) = match op {
                    TextOp::Contains => ("contains", format!("「{value}」を含む")),
                    TextOp::NotContains => ("does not contain", format!("「{value}」を含まない")),
                    TextOp::Equals => ("is", format!("「{value}」の")),
                };
                let whose = format!("whose {field_en} {op_en} “{value}”");
                self.about_person(whose, format!("{field_ja}が{op_ja}"))
            }
            Condition::PersonReplied { negate } => {
                let (en, ja) = if *negate {
                    (
                        "who never replied to any email",
                        "どのメールにも返信したことのない",
                    )
                } else {
                    ("who has replied to an email", "メールに返信したことのある")
                };
                self.about_person(en.to_owned(), ja.to_owned())
            }
            Condition::PersonCampaign { ids, negate } => {
                let (en, ja) = match (ids.is_empty(), negate) {
                    (true, false) => (
                        "who is in a campaign".to_owned(),
                        "キャンペーンに入っている".to_owned(),
                    ),
                    (true, true) => (
                        "who is in no campaign".to_owned(),
                        "どのキャンペーンにも入っていない".to_owned(),
                    ),
                    (false, negate) => {
                        let (en, ja) = self.campaigns(ids);
                        if *negate {
                            (
                                format!("who is not in {en}"),
                                format!("キャンペーン{ja}に入っていない"),
                            )
                        } else {
                            (
                                format!("who is in {en}"),
                                format!("キャンペーン{ja}に入っている"),
                            )
                        }
                    }
                };
                self.about_person(en, ja)
            }
            Condition::PersonSequence {
                campaign,
                stage,
                negate,
            } => {
                let (in_en, in_ja) = match (campaign, negate) {
                    (Some(id), _) => {
                        let (en, ja) = self.campaigns(&[*id]);
                        (en, format!("キャンペーン{ja}"))
                    }
                    (None, false) => ("a campaign".to_owned(), "キャンペーン".to_owned()),
                    (None, true) => ("any campaign".to_owned(), "キャンペーン".to_owned()),
                };
                let (en, ja) = sequence_words(*stage, &in_en, &in_ja);
                let (en, ja) = match (negate, campaign, stage) {
                    (false, ..) => (format!("who is {en}"), ja),
                    (true, None, SequenceStage::Running) => (
                        "who is not running in any campaign".to_owned(),
                        "どのキャンペーンも進行中でない".to_owned(),
                    ),
                    (true, ..) => (format!("who is not {en}"), format!("{ja}状態ではない")),
                };
                self.about_person(en, ja)
            }
        }
    }

    /// A person condition: "went to someone whose …" of an email, "are someone whose …" of a person.
    fn about_person(&self, en: String, ja: String) -> Clause {
        if self.per_person {
            let en = en
                .replacen("who has ", "have ", 1)
                .replacen("who is ", "are ", 1)
                .replacen("who never ", "never ", 1)
                .replacen("whose ", "have a ", 1)
                .replacen(" contains ", " containing ", 1)
                .replacen(" does not contain ", " not containing ", 1)
                .replacen(" is “", " of “", 1);
            let chain = format!("{ja}人で");
            Clause::new(en, chain, ja)
        } else {
            Clause::new(
                format!("went to someone {en}"),
                format!("{ja}人に送られ"),
                format!("{ja}人に送られた"),
            )
        }
    }

    fn engagement(
        &self,
        engagement: Engagement,
        negate: bool,
        min: u32,
        window: Option<&Window>,
    ) -> Clause {
        let (when_en, when_ja) = window_words(window);
        let (en, chain, end) = if self.per_person {
            engagement_of_person(engagement, negate, min)
        } else {
            engagement_of_email(engagement, negate, min)
        };
        Clause::new(
            format!("{en}{when_en}"),
            format!("{when_ja}{chain}"),
            format!("{when_ja}{end}"),
        )
    }

    /// An OR group as one clause.
    fn either(&self, group: &[Condition]) -> Clause {
        let clauses: Vec<Clause> = group.iter().map(|c| self.clause(c)).collect();
        if let [only] = clauses.as_slice() {
            return Clause::new(only.en.clone(), only.ja_chain.clone(), only.ja_end.clone());
        }
        let en: Vec<&str> = clauses.iter().map(|c| c.en.as_str()).collect();
        let ja: Vec<&str> = clauses.iter().map(|c| c.ja_end.as_str()).collect();
        let ja = format!("（{}）のいずれか", ja.join("／"));
        Clause::new(
            format!("either {}", en.join(" or ")),
            format!("{ja}に当てはまり"),
            format!("{ja}に当てはまる"),
        )
    }
}

/// A view or a click in words: English past participle, Japanese noun.
fn verb(kind: Engagement) -> (&'static str, &'static str) {
    if kind == Engagement::Viewed {
        ("viewed", "開封")
    } else {
        ("clicked", "クリック")
    }
}

/// Engagement as version 1 counted it, over all of a person's emails: English, Japanese
/// continuative, Japanese attributive.
fn engagement_of_person(
    engagement: Engagement,
    negate: bool,
    min: u32,
) -> (String, String, String) {
    match (engagement, negate, min) {
        (Engagement::Replied, false, 1) => (
            "replied to an email".to_owned(),
            "メールに返信し".to_owned(),
            "メールに返信した".to_owned(),
        ),
        (Engagement::Replied, true, 1) => (
            "never replied to any email".to_owned(),
            "どのメールにも返信しておらず".to_owned(),
            "どのメールにも返信していない".to_owned(),
        ),
        (Engagement::Replied, false, n) => (
            format!("replied {n} times or more in all"),
            format!("合計 {n} 回以上返信し"),
            format!("合計 {n} 回以上返信した"),
        ),
        (Engagement::Replied, true, n) => (
            format!("replied fewer than {n} times in all"),
            format!("返信が合計 {n} 回未満で"),
            format!("返信が合計 {n} 回未満の"),
        ),
        (kind, negate, n) => {
            let (verb, ja) = verb(kind);
            match (negate, n) {
                (false, 1) => (
                    format!("{verb} any of their emails"),
                    format!("いずれかのメールを{ja}し"),
                    format!("いずれかのメールを{ja}した"),
                ),
                (true, 1) => (
                    format!("{verb} none of their emails"),
                    format!("どのメールも{ja}しておらず"),
                    format!("どのメールも{ja}していない"),
                ),
                (false, n) => (
                    format!("{verb} their emails {n} times or more in all"),
                    format!("メールを合計 {n} 回以上{ja}し"),
                    format!("メールを合計 {n} 回以上{ja}した"),
                ),
                (true, n) => (
                    format!("{verb} their emails fewer than {n} times in all"),
                    format!("メールの{ja}が合計 {n} 回未満で"),
                    format!("メールの{ja}が合計 {n} 回未満の"),
                ),
            }
        }
    }
}

/// Engagement of one email: English, Japanese continuative, Japanese attributive.
fn engagement_of_email(engagement: Engagement, negate: bool, min: u32) -> (String, String, String) {
    match (engagement, negate, min) {
        (Engagement::Replied, false, 1) => (
            "got a reply".to_owned(),
            "返信があり".to_owned(),
            "返信があった".to_owned(),
        ),
        (Engagement::Replied, true, 1) => (
            "got no reply".to_owned(),
            "返信がなく".to_owned(),
            "返信がなかった".to_owned(),
        ),
        (Engagement::Replied, false, n) => (
            format!("got {n} replies or more"),
            format!("返信が {n} 件以上あり"),
            format!("返信が {n} 件以上あった"),
        ),
        (Engagement::Replied, true, n) => (
            format!("got fewer than {n} replies"),
            format!("返信が {n} 件未満で"),
            format!("返信が {n} 件未満の"),
        ),
        (kind, negate, n) => {
            let (verb, ja) = verb(kind);
            match (negate, n) {
                (false, 1) => (
                    format!("were {verb}"),
                    format!("{ja}され"),
                    format!("{ja}された"),
                ),
                (true, 1) => (
                    format!("were not {verb}"),
                    format!("{ja}されず"),
                    format!("{ja}されなかった"),
                ),
                (false, n) => (
                    format!("were {verb} {n} times or more"),
                    format!("{n} 回以上{ja}され"),
                    format!("{n} 回以上{ja}された"),
                ),
                (true, n) => (
                    format!("were {verb} fewer than {n} times"),
                    format!("{ja}が {n} 回未満で"),
                    format!("{ja}が {n} 回未満の"),
                ),
            }
        }
    }
}

/// English clauses joined with "and", "were viewed and were clicked" said "were viewed and clicked".
fn join_en(clauses: &[Clause]) -> String {
    let mut out = String::new();
    let mut previous_were = false;
    for (n, clause) in clauses.iter().enumerate() {
        if n > 0 {
            out.push_str(" and ");
        }
        let were = clause.en.starts_with("were ") && !clause.en.starts_with("were not ");
        if were && previous_were {
            out.push_str(&clause.en["were ".len()..]);
        } else {
            out.push_str(&clause.en);
        }
        previous_were = were;
    }
    out
}

fn join_ja(clauses: &[Clause]) -> String {
    match clauses.split_last() {
        None => String::new(),
        Some((last, rest)) => {
            let mut out: Vec<&str> = rest.iter().map(|c| c.ja_chain.as_str()).collect();
            out.push(&last.ja_end);
            out.join("、")
        }
    }
}

/// The query in plain words: "Emails in Q4 Enterprise Outreach that were viewed and clicked and
/// got no reply". `campaign_name` names a campaign by id (a deleted one by whatever the caller
/// chooses).
pub fn describe(
    query: &SearchQuery,
    campaign_name: &dyn Fn(CampaignId) -> String,
    lang: Lang,
) -> String {
    let words = Words {
        campaign_name,
        per_person: query.version < 2,
    };
    // The first campaign the emails must be in leads the sentence: "Emails in X that …".
    let lead = (!words.per_person)
        .then(|| {
            query
                .all
                .iter()
                .position(|c| matches!(c, Condition::Campaign { negate: false, .. }))
        })
        .flatten();
    let mut clauses: Vec<Clause> = query
        .all
        .iter()
        .enumerate()
        .filter(|(n, _)| Some(*n) != lead)
        .map(|(_, c)| words.clause(c))
        .collect();
    clauses.extend(query.any.iter().map(|g| words.either(g)));
    let lead = lead.map(|n| match &query.all[n] {
        Condition::Campaign { ids, .. } => words.campaigns(ids),
        _ => unreachable!("the lead is a campaign condition"),
    });
    match lang {
        Lang::En => {
            let noun = match (words.per_person, &lead) {
                (true, _) => "People".to_owned(),
                (false, Some((en, _))) => format!("Emails in {en}"),
                (false, None) if clauses.is_empty() => "All emails".to_owned(),
                (false, None) => "Emails".to_owned(),
            };
            if clauses.is_empty() {
                noun
            } else if words.per_person {
                format!("{noun} who {}", join_en(&clauses))
            } else {
                format!("{noun} that {}", join_en(&clauses))
            }
        }
        Lang::Ja => {
            let noun = if words.per_person { "人" } else { "メール" };
            let body = join_ja(&clauses);
            match (&lead, body.is_empty()) {
                (Some((_, ja)), true) => format!("キャンペーン{ja}の{noun}"),
                (Some((_, ja)), false) => format!("キャンペーン{ja}の{noun}のうち、{body}もの"),
                (None, true) if words.per_person => "すべての人".to_owned(),
                (None, true) => "すべてのメール".to_owned(),
                (None, false) => format!("{body}{noun}"),
            }
        }
    }
}

/// "at step 2 of X" / "X の 2 番目のステップにいる" and the like, without "who is".
fn sequence_words(stage: SequenceStage, in_en: &str, in_ja: &str) -> (String, String) {
    match stage {
        SequenceStage::AtStep { step } => (
            format!("at step {step} of {in_en}"),
            format!("{in_ja}のステップ {step} にいる"),
        ),
        SequenceStage::Running => (format!("running in {in_en}"), format!("{in_ja}を進行中の")),
        SequenceStage::Finished { reason } => {
            let (en, ja) = match reason {
                None => ("", ""),
                Some(FinishReason::Completed) => (" (every step done)", "（全ステップ完了）"),
                Some(FinishReason::Replied) => (" by replying", "（返信あり）"),
                Some(FinishReason::Bounced) => (" by a bounce", "（バウンス）"),
                Some(FinishReason::Spam) => (" by a spam report", "（迷惑メール報告）"),
                Some(FinishReason::OptedOut) => (" by opting out", "（配信停止）"),
                Some(FinishReason::Removed) => (" by removal", "（除外）"),
            };
            (
                format!("finished with {in_en}{en}"),
                format!("{in_ja}を終了した{ja}"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::seed_query;
    use super::*;

    fn name(id: CampaignId) -> String {
        if id == CampaignId(7) {
            "Q4 Enterprise Outreach".into()
        } else {
            format!("#{id}")
        }
    }

    #[test]
    fn the_seed_example_reads_as_the_seed_says_it() {
        assert_eq!(
            describe(&seed_query(), &name, Lang::En),
            "Emails in Q4 Enterprise Outreach that were viewed and clicked and got no reply"
        );
        assert_eq!(
            describe(&seed_query(), &name, Lang::Ja),
            "キャンペーン「Q4 Enterprise Outreach」のメールのうち、開封され、クリックされ、返信がなかったもの"
        );
    }

    #[test]
    fn a_place_in_a_sequence_reads_in_both_languages() {
        let query = |campaign, stage, negate| SearchQuery {
            all: vec![Condition::PersonSequence {
                campaign,
                stage,
                negate,
            }],
            ..seed_query()
        };
        let at_step_2 = query(
            Some(CampaignId(7)),
            SequenceStage::AtStep { step: 2 },
            false,
        );
        assert_eq!(
            describe(&at_step_2, &name, Lang::En),
            "Emails that went to someone who is at step 2 of Q4 Enterprise Outreach"
        );
        let free = query(None, SequenceStage::Running, true);
        assert_eq!(
            describe(&free, &name, Lang::En),
            "Emails that went to someone who is not running in any campaign"
        );
        assert!(describe(&free, &name, Lang::Ja).contains("どのキャンペーンも進行中でない"));
        let replied = query(
            Some(CampaignId(7)),
            SequenceStage::Finished {
                reason: Some(FinishReason::Replied),
            },
            false,
        );
        assert!(describe(&replied, &name, Lang::En)
            .contains("finished with Q4 Enterprise Outreach by replying"));
    }

    #[test]
    fn version_1_reads_as_it_ran_of_people() {
        let v1 = SearchQuery {
            version: 1,
            ..seed_query()
        };
        assert_eq!(
            describe(&v1, &name, Lang::En),
            "People who were emailed in Q4 Enterprise Outreach and viewed any of their emails and \
             clicked any of their emails and never replied to any email"
        );
        assert!(describe(&v1, &name, Lang::Ja).ends_with("どのメールにも返信していない人"));
    }

    #[test]
    fn person_conditions_are_named_as_about_the_person() {
        let query = SearchQuery {
            all: vec![
                Condition::PersonReplied { negate: true },
                Condition::Person {
                    field: PersonField::Company,
                    op: TextOp::Contains,
                    value: "Acme".into(),
                },
            ],
            any: vec![vec![
                Condition::Status {
                    statuses: vec![EmailStatus::Bounced],
                },
                Condition::PersonCampaign {
                    ids: vec![],
                    negate: true,
                },
            ]],
            ..SearchQuery::default()
        };
        assert_eq!(
            describe(&query, &name, Lang::En),
            "Emails that went to someone who never replied to any email and went to someone whose \
             company contains “Acme” and either are bounced or went to someone who is in no campaign"
        );
        assert_eq!(
            describe(&query, &name, Lang::Ja),
            "どのメールにも返信したことのない人に送られ、会社名が「Acme」を含む人に送られ、\
             （ステータスがバウンスの／どのキャンペーンにも入っていない人に送られた）のいずれかに当てはまるメール"
        );
        assert_eq!(
            describe(&SearchQuery::default(), &name, Lang::En),
            "All emails"
        );
    }
}
