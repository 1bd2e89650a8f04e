//! Demo data for a new database: two reps, their team's manager and an admin (password `demo`), their people,
//! campaigns, ~2,000 emails over every status with engagement, and ~150 tasks.
//!
//! The shape is deterministic (a fixed seed); dates are relative to now so the data looks live.

mod sequences;
mod templates;

use crate::{db::Db, password, time::now_ms};
use api::{CampaignId, Channel, EmailId, EmailStatus, FolderDate, PersonId, UserId};

pub const DEMO_PASSWORD: &str = "demo";

struct DemoUser {
    email: &'static str,
    name: &'static str,
    role: &'static str,
    time_zone: &'static str,
    locale: &'static str,
    /// How many emails this user's outbox holds (the admin sells nothing).
    emails: usize,
    campaigns: [&'static str; 2],
    /// In the demo team, whose manager views its reps' data.
    in_team: bool,
}

/// The demo team: its manager and its two reps.
const TEAM: &str = "Enterprise Sales";

const USERS: [DemoUser; 4] = [
    DemoUser {
        email: "aiko@example.com",
        name: "佐藤 愛子",
        role: "rep",
        time_zone: "Asia/Tokyo",
        locale: "ja",
        emails: 1100,
        campaigns: [
            "2026年Q4 エンタープライズ開拓",
            "Webinar follow-up (November)",
        ],
        in_team: true,
    },
    DemoUser {
        email: "ben@example.com",
        name: "Ben Carter",
        role: "rep",
        time_zone: "America/New_York",
        locale: "en",
        emails: 900,
        campaigns: ["Q4 Enterprise Outreach", "ウェビナー参加者フォロー"],
        in_team: true,
    },
    DemoUser {
        email: "manager@example.com",
        name: "田中 美香",
        role: "manager",
        time_zone: "Asia/Tokyo",
        locale: "ja",
        emails: 0,
        campaigns: ["", ""],
        in_team: true,
    },
    DemoUser {
        email: "admin@example.com",
        name: "Admin",
        role: "admin",
        time_zone: "UTC",
        locale: "en",
        emails: 0,
        campaigns: ["", ""],
        in_team: false,
    },
];

const PEOPLE_PER_REP: usize = 150;
const TASKS_PER_REP: usize = 75;

const JA_FAMILY: [&str; 10] = [
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
];
const JA_GIVEN: [&str; 10] = [
    "翔太",
    "陽菜",
    "大輝",
    "美咲",
    "健",
    "結衣",
    "拓海",
    "さくら",
    "直樹",
    "由美",
];
const EN_FIRST: [&str; 10] = [
    "Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Sophia", "Lucas", "Mia", "Ethan",
];
const EN_LAST: [&str; 10] = [
    "Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Wilson", "Taylor", "Clark", "Lewis",
];
const JA_COMPANIES: [(&str, &str); 5] = [
    ("株式会社サクラ商事", "sakura-shoji.example.jp"),
    ("富士テック株式会社", "fujitech.example.jp"),
    ("東京データ合同会社", "tokyo-data.example.jp"),
    ("みらい物流株式会社", "mirai-logi.example.jp"),
    ("北斗ソリューションズ", "hokuto.example.jp"),
];
const EN_COMPANIES: [(&str, &str); 5] = [
    ("Acme Corp", "acme.example.com"),
    ("Globex", "globex.example.com"),
    ("Initech", "initech.example.com"),
    ("Umbrella Analytics", "umbrella.example.com"),
    ("Northwind Traders", "northwind.example.com"),
];
const JA_TITLES: [&str; 5] = [
    "営業部長",
    "情報システム部 課長",
    "代表取締役",
    "マーケティング担当",
    "購買部 主任",
];
const EN_TITLES: [&str; 5] = [
    "VP of Sales",
    "IT Manager",
    "CEO",
    "Marketing Lead",
    "Procurement Specialist",
];
const JA_SUBJECTS: [&str; 6] = [
    "{company}様 業務効率化のご提案",
    "先日のウェビナーご参加のお礼",
    "お打ち合わせ日程のご相談",
    "導入事例資料をお送りします",
    "無料トライアルのご案内",
    "お見積りの件",
];
const EN_SUBJECTS: [&str; 6] = [
    "Quick idea for {company}",
    "Thanks for joining our webinar",
    "Time for a 20-minute call next week?",
    "Case study: how teams like {company} save 6 hours a week",
    "Your free trial is ready",
    "Following up on the quote",
];
const FAILURE_REASONS: [&str; 4] = [
    "Rejected by the recipient's mail server: 550 5.1.1 mailbox unavailable",
    "Rejected by the recipient's mail server: 552 5.2.2 mailbox full",
    "A merge field was left unfilled: {{company}}",
    "The recipient is blocked",
];
const LINKS: [&str; 3] = [
    "https://example.com/pricing",
    "https://example.com/case-studies",
    "https://example.com/book-a-demo",
];
const TASK_TITLES: [(&str, &str); 6] = [
    ("call", "Call to follow up on the proposal"),
    ("email", "Send the case study"),
    ("linkedin", "Connect on LinkedIn"),
    ("custom", "Prepare the quote"),
    ("call", "見積りについて電話する"),
    ("email", "導入事例をメールで送る"),
];

/// splitmix64: small, fast, and the same sequence everywhere, so demo data is reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

pub async fn is_empty(db: &Db) -> anyhow::Result<bool> {
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(db)
        .await?;
    Ok(users == 0)
}

pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let mut rng = Rng::new(0x00c0_ffee);
    let now = now_ms();
    let password_hash = password::hash(DEMO_PASSWORD);
    let mut tx = crate::db::begin_write(db).await?;
    let (team_id,): (i64,) =
        sqlx::query_as("INSERT INTO teams (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(TEAM)
            .bind(now - 400 * DAY)
            .fetch_one(&mut *tx)
            .await?;
    for user in &USERS {
        let (user_id,): (UserId,) = sqlx::query_as(
            "INSERT INTO users (email, name, password_hash, role, time_zone, locale, created_at,
                                team_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(user.email)
        .bind(user.name)
        .bind(&password_hash)
        .bind(user.role)
        .bind(user.time_zone)
        .bind(user.locale)
        .bind(now - 400 * DAY)
        .bind(user.in_team.then_some(team_id))
        .fetch_one(&mut *tx)
        .await?;
        if user.emails == 0 {
            continue;
        }
        let mut campaign_ids = Vec::new();
        for name in user.campaigns {
            let (id,): (CampaignId,) = sqlx::query_as(
                "INSERT INTO campaigns (owner_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(user_id)
            .bind(name)
            .bind(now - 120 * DAY)
            .fetch_one(&mut *tx)
            .await?;
            campaign_ids.push(id);
        }
        let people = seed_people(&mut tx, &mut rng, user_id, now).await?;
        let emails = seed_emails(
            &mut tx,
            &mut rng,
            user_id,
            user.emails,
            &people,
            &campaign_ids,
            now,
        )
        .await?;
        seed_tasks(&mut tx, &mut rng, user_id, &people, &emails, now).await?;
        // A campaign's people are those emailed as part of it.
        sqlx::query(
            "INSERT INTO campaign_people (campaign_id, person_id, added_at)
             SELECT campaign_id, person_id, MIN(created_at) FROM emails
             WHERE owner_id = $1 AND campaign_id IS NOT NULL GROUP BY campaign_id, person_id",
        )
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        // Someone unsubscribed ten days ago: nothing more goes to them (their scheduled emails
        // fail as "unsubscribed" when they fall due, and none can be retried or sent anew).
        if let Some(last) = people.last() {
            sqlx::query(
                "UPDATE people SET opted_out_at = $1, unsubscribe_token = $2 WHERE id = $3",
            )
            .bind(now - 10 * DAY)
            .bind(password::new_token())
            .bind(last.id)
            .execute(&mut *tx)
            .await?;
        }
        sequences::seed(&mut tx, &mut rng, &campaign_ids, user.locale == "ja", now).await?;
        templates::seed(&mut tx, user_id, &campaign_ids, user.locale == "ja", now).await?;
        if let Some(last) = people.last() {
            // Their opt-out ended their campaigns.
            let whose = crate::campaigns::progress::Whose::Person(last.id);
            let opted_out = api::sequence::Event::OptedOut;
            crate::campaigns::progress::apply(&mut tx, whose, opted_out, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

struct DemoPerson {
    id: PersonId,
    company: &'static str,
    japanese: bool,
}

async fn seed_people(
    tx: &mut sqlx::AnyConnection,
    rng: &mut Rng,
    owner_id: UserId,
    now: i64,
) -> anyhow::Result<Vec<DemoPerson>> {
    let mut people = Vec::with_capacity(PEOPLE_PER_REP);
    for n in 0..PEOPLE_PER_REP {
        let japanese = rng.unit() < 0.5;
        let (first, last, (company, domain), title) = if japanese {
            (
                *rng.pick(&JA_GIVEN),
                *rng.pick(&JA_FAMILY),
                *rng.pick(&JA_COMPANIES),
                *rng.pick(&JA_TITLES),
            )
        } else {
            (
                *rng.pick(&EN_FIRST),
                *rng.pick(&EN_LAST),
                *rng.pick(&EN_COMPANIES),
                *rng.pick(&EN_TITLES),
            )
        };
        // Like any real contact list, some people have no title on file: merge-field warnings
        // have someone to name.
        let title = if n % 12 == 11 { "" } else { title };
        let email = format!("contact{}.{}@{}", owner_id, n + 1, domain);
        let phone = if japanese {
            format!("03-{:04}-{:04}", rng.below(10_000), rng.below(10_000))
        } else {
            format!("+1 555 {:03} {:04}", rng.below(1000), rng.below(10_000))
        };
        let linkedin = format!("https://www.linkedin.com/in/demo-{}-{}", owner_id, n + 1);
        let (id,): (PersonId,) = sqlx::query_as(
            "INSERT INTO people (owner_id, first_name, last_name, email, email_key, company,
                                 title, phone, linkedin_url, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(owner_id)
        .bind(first)
        .bind(last)
        .bind(&email)
        .bind(api::people::email_key(&email))
        .bind(company)
        .bind(title)
        .bind(phone)
        .bind(linkedin)
        .bind(now - 200 * DAY)
        .fetch_one(&mut *tx)
        .await?;
        people.push(DemoPerson {
            id,
            company,
            japanese,
        });
    }
    Ok(people)
}

/// Draws a status with roughly a real outbox's mix; the one draft is added separately. None is
/// in progress: that state lasts only while the running sender works on an email.
fn draw_status(rng: &mut Rng) -> EmailStatus {
    match rng.unit() {
        r if r < 0.55 => EmailStatus::Delivered,
        r if r < 0.65 => EmailStatus::Archived,
        r if r < 0.75 => EmailStatus::Scheduled,
        r if r < 0.84 => EmailStatus::Failed,
        r if r < 0.91 => EmailStatus::Bounced,
        r if r < 0.95 => EmailStatus::Spam,
        _ => EmailStatus::Delivered,
    }
}

struct DemoEmail {
    id: EmailId,
    person_id: PersonId,
    campaign_id: Option<CampaignId>,
}

async fn seed_emails(
    tx: &mut sqlx::AnyConnection,
    rng: &mut Rng,
    owner_id: UserId,
    count: usize,
    people: &[DemoPerson],
    campaign_ids: &[CampaignId],
    now: i64,
) -> anyhow::Result<Vec<DemoEmail>> {
    let mut emails = Vec::with_capacity(count);
    for n in 0..count {
        // A rep has at most one draft.
        let status = if n == 0 {
            EmailStatus::Draft
        } else {
            draw_status(rng)
        };
        let person = rng.pick(people);
        let channel = if matches!(status, EmailStatus::Bounced | EmailStatus::Spam) {
            Channel::Msc
        } else {
            *rng.pick(&[
                Channel::Msc,
                Channel::Msc,
                Channel::Msc,
                Channel::Gmail,
                Channel::Gmail,
                Channel::Exchange,
            ])
        };
        let campaign_id =
            (status != EmailStatus::Draft && rng.unit() < 0.6).then(|| *rng.pick(campaign_ids));
        let subject = if person.japanese {
            rng.pick(&JA_SUBJECTS)
        } else {
            rng.pick(&EN_SUBJECTS)
        }
        .replace("{company}", person.company);
        let link = *rng.pick(&LINKS);
        let body = format!(
            "<p>{}</p><p><a href=\"{link}\">{link}</a></p>",
            if person.japanese {
                "いつもお世話になっております。ご検討のほどよろしくお願いいたします。"
            } else {
                "Hope your week is going well. Would this be useful for your team?"
            }
        );

        let created_at = now - (1 + rng.below(90)) as i64 * DAY - rng.below(DAY as u64) as i64;
        let mut updated_at = created_at;
        let (mut scheduled_at, mut sent_at, mut failed_at, mut failure_reason) =
            (None, None, None, None);
        match status {
            EmailStatus::Draft => updated_at = now - rng.below(2 * DAY as u64) as i64,
            EmailStatus::Scheduled => {
                scheduled_at = Some(now + HOUR + rng.below(14 * DAY as u64) as i64)
            }
            EmailStatus::Failed => {
                failed_at = Some(created_at + rng.below(HOUR as u64) as i64);
                failure_reason = Some(*rng.pick(&FAILURE_REASONS));
            }
            EmailStatus::Bounced => {
                sent_at = Some(created_at + rng.below(HOUR as u64) as i64);
                failure_reason =
                    Some("550 5.1.1 The email account that you tried to reach does not exist");
            }
            _ => sent_at = Some(created_at + rng.below(HOUR as u64) as i64),
        }
        let folder_at = match status.folder_date() {
            FolderDate::SentAt => sent_at,
            FolderDate::ScheduledAt => scheduled_at,
            FolderDate::FailedAt => failed_at,
            FolderDate::UpdatedAt => None,
        }
        .unwrap_or(updated_at);
        let message_id = sent_at.map(|_| format!("<demo-{owner_id}-{n}@command-center.example>"));

        let (id,): (EmailId,) = sqlx::query_as(
            "INSERT INTO emails (owner_id, person_id, campaign_id, subject, body_html, status, channel,
                                 message_id, failure_reason, created_at, updated_at, scheduled_at,
                                 sent_at, failed_at, folder_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        )
        .bind(owner_id)
        .bind(person.id)
        .bind(campaign_id)
        .bind(subject)
        .bind(body)
        .bind(status.as_str())
        .bind(channel.as_str())
        .bind(message_id)
        .bind(failure_reason)
        .bind(created_at)
        .bind(updated_at)
        .bind(scheduled_at)
        .bind(sent_at)
        .bind(failed_at)
        .bind(folder_at)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(sent_at) = sent_at {
            seed_engagement(tx, rng, id, status, sent_at, now, link).await?;
        }
        emails.push(DemoEmail {
            id,
            person_id: person.id,
            campaign_id,
        });
    }
    Ok(emails)
}

/// Views, clicks and replies after sending, then the counters the lists show.
async fn seed_engagement(
    tx: &mut sqlx::AnyConnection,
    rng: &mut Rng,
    email_id: EmailId,
    status: EmailStatus,
    sent_at: i64,
    now: i64,
    link: &str,
) -> anyhow::Result<()> {
    let mut events: Vec<(&str, Option<&str>, i64)> = Vec::new();
    let mut at = sent_at;
    let mut later = |rng: &mut Rng| {
        at = (at + rng.below(2 * DAY as u64) as i64 + MINUTE).min(now);
        at
    };
    match status {
        EmailStatus::Bounced => events.push(("bounce", None, later(rng))),
        EmailStatus::Spam => events.push(("spam", None, later(rng))),
        _ if rng.unit() < 0.45 => {}
        _ => {
            for _ in 0..1 + rng.below(5) {
                events.push(("view", None, later(rng)));
            }
            if rng.unit() < 0.45 {
                for _ in 0..1 + rng.below(3) {
                    events.push(("click", Some(link), later(rng)));
                }
            }
            if rng.unit() < 0.18 {
                events.push(("reply", None, later(rng)));
            }
        }
    }
    for (kind, url, occurred_at) in &events {
        sqlx::query(
            "INSERT INTO email_events (email_id, kind, url, occurred_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(email_id)
        .bind(kind)
        .bind(url)
        .bind(occurred_at)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "UPDATE emails SET
            views = (SELECT COUNT(*) FROM email_events WHERE email_id = $1 AND kind = 'view'),
            clicks = (SELECT COUNT(*) FROM email_events WHERE email_id = $1 AND kind = 'click'),
            replies = (SELECT COUNT(*) FROM email_events WHERE email_id = $1 AND kind = 'reply'),
            last_activity_at = (SELECT MAX(occurred_at) FROM email_events
                                WHERE email_id = $1 AND kind IN ('view', 'click', 'reply'))
         WHERE id = $1",
    )
    .bind(email_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn seed_tasks(
    tx: &mut sqlx::AnyConnection,
    rng: &mut Rng,
    owner_id: UserId,
    people: &[DemoPerson],
    emails: &[DemoEmail],
    now: i64,
) -> anyhow::Result<()> {
    for _ in 0..TASKS_PER_REP {
        let (kind, title) = *rng.pick(&TASK_TITLES);
        let priority = if rng.unit() < 0.25 { "high" } else { "normal" };
        let (status, due_at) = match rng.below(7) {
            0 => ("open", Some(now - (1 + rng.below(10)) as i64 * DAY)),
            1 => (
                "open",
                Some(now + rng.below(12 * HOUR as u64) as i64 - 6 * HOUR),
            ),
            2 => ("open", Some(now + DAY)),
            3 => ("open", Some(now + (2 + rng.below(5)) as i64 * DAY)),
            4 => ("open", None),
            5 => ("completed", Some(now - rng.below(10 * DAY as u64) as i64)),
            _ => ("skipped", Some(now - rng.below(10 * DAY as u64) as i64)),
        };
        let from_email = (rng.unit() < 0.4).then(|| rng.pick(emails));
        let person_id = from_email
            .map(|e| e.person_id)
            .unwrap_or_else(|| rng.pick(people).id);
        sqlx::query(
            "INSERT INTO tasks (owner_id, person_id, email_id, campaign_id, title, kind, priority,
                                status, due_at, notes, created_at, updated_at, completed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10, $11, $12)",
        )
        .bind(owner_id)
        .bind(person_id)
        .bind(from_email.map(|e| e.id))
        .bind(from_email.and_then(|e| e.campaign_id))
        .bind(title)
        .bind(kind)
        .bind(priority)
        .bind(status)
        .bind(due_at)
        .bind(now - 20 * DAY)
        .bind(now - DAY)
        .bind((status != "open").then_some(now - DAY))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        for _ in 0..1000 {
            assert!(a.below(10) < 10);
            assert!((0.0..1.0).contains(&a.unit()));
        }
    }

    #[test]
    fn drawn_statuses_cover_every_settled_folder() {
        let mut rng = Rng::new(1);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..2000 {
            seen.insert(draw_status(&mut rng));
        }
        assert_eq!(seen.len(), EmailStatus::ALL.len() - 2);
        assert!(!seen.contains(&EmailStatus::Draft));
        assert!(!seen.contains(&EmailStatus::InProgress));
    }
}
