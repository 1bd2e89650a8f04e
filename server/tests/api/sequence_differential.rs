//! The sequence rules two ways: generated histories (deliveries, completions, replies, bounces,
//! spam reports, opt-outs, failed sends, removals, pauses and resumes of a person and of the
//! whole campaign, steps added and edited) on a simulated clock, applied through the server's
//! own campaign code against a running server's database, and through `api::sequence`'s pure
//! model. After every event the enrolments and the steps made (which step, email or task, due
//! when) must agree, and nobody has more than one step open.
//!
//! The simulated clock starts in 2100, so the running server's sender (on the wall clock) never
//! finds one of these emails due: the test delivers them itself, as the sender would.

use crate::helpers::{spawn_app, DEMO_REP};
use api::sequence::{
    Effect, Enrolment, EnrolmentState, Event, Sequence, StepInput, StepKind, StepTiming,
};
use api::{CampaignId, EmailId, Lang, PersonId, StepId, TaskId, UserId};
use server::campaigns::enrolments::{self, PersonCommand};
use server::campaigns::progress::{self, Whose};
use server::campaigns::{control, steps};
use server::demo::Rng;
use sqlx::AnyConnection;

/// 10,000 histories on PostgreSQL, four at a time; 2,500 on SQLite, whose one writer takes
/// them one by one (the same domain code and, but for each database's dialect, the same SQL).
/// `SEQUENCE_HISTORIES` asks for more (or fewer, when debugging).
fn histories() -> usize {
    let default = if crate::helpers::on_postgres() {
        10_000
    } else {
        2_500
    };
    std::env::var("SEQUENCE_HISTORIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

const START: i64 = 4_102_444_800_000; // 2100-01-01T00:00:00Z
const MINUTE: i64 = 60_000;
const EVENTS: u64 = 10;

/// What the model expects of one person: their enrolment, and their open step's index and due
/// time (an email's due moves to "now" when it is released after a pause).
#[derive(Clone, Copy, Debug)]
struct Expected {
    enrolment: Enrolment,
    open: Option<(usize, i64)>,
}

struct History {
    owner: i64,
    zone: String,
    campaign: i64,
    people: Vec<i64>,
    /// Every step's id, kind and timing, in order.
    steps: Vec<(i64, StepKind, StepTiming)>,
    paused: bool,
    expected: Vec<Expected>,
    now: i64,
    log: Vec<String>,
}

fn random_step(rng: &mut Rng) -> StepInput {
    let kind = *rng.pick(&StepKind::ALL);
    StepInput {
        kind,
        timing: StepTiming {
            wait_days: rng.below(4) as u32,
            at_minute: (rng.unit() < 0.6).then(|| rng.below(24 * 60) as u16),
            business_days: rng.unit() < 0.4,
        },
        subject: format!("Step {}", rng.below(1000)),
        body: "<p>Hello {{first_name}}</p>".into(),
        template_id: None,
        position: None,
    }
}

impl History {
    fn sequence(&self) -> Sequence {
        Sequence {
            steps: self.steps.len(),
            paused: self.paused,
        }
    }

    fn due(&self, index: usize) -> i64 {
        if index == 0 {
            self.now
        } else {
            progress::due_after(&self.steps[index].2, &self.zone, self.now)
        }
    }

    /// Applies the model's answer to person `i`.
    fn model(&mut self, i: usize, (next, effect): (Enrolment, Effect)) {
        let open = match effect {
            Effect::CreateStep(index) => Some((index, self.due(index))),
            Effect::CancelPending => None,
            Effect::Nothing if next.pending => self.expected[i].open,
            Effect::Nothing => None,
        };
        self.expected[i] = Expected {
            enrolment: next,
            open,
        };
    }

    async fn add_step(&mut self, conn: &mut AnyConnection, input: &StepInput) {
        let id = steps::add(
            conn,
            UserId(self.owner),
            CampaignId(self.campaign),
            input,
            self.now,
        )
        .await
        .unwrap();
        self.steps.push((id.0, input.kind, input.timing));
        // Those enrolled so far (none yet when a campaign gets its steps first).
        for i in 0..self.expected.len() {
            let answer = self.expected[i].enrolment.advance(self.sequence());
            self.model(i, answer);
        }
    }

    /// The person's scheduled email, if any, goes out now when they are released (their own
    /// resume, or the campaign's for those active).
    fn release(&mut self, i: usize) {
        if let Some((index, due)) = self.expected[i].open {
            if self.steps[index].1.task_kind().is_none() && due < self.now {
                self.expected[i].open = Some((index, self.now));
            }
        }
    }

    async fn event(&mut self, conn: &mut AnyConnection, rng: &mut Rng) {
        self.now += rng.below(3 * 24 * 60) as i64 * MINUTE;
        let i = rng.below(self.people.len() as u64) as usize;
        let person = self.people[i];
        let sequence = self.sequence();
        let before = self.expected[i].enrolment;
        let roll = rng.below(100);
        self.log
            .push(format!("t={} person {i} roll {roll}", self.now));
        match roll {
            // The open step is done: its email delivered (as the sender does) or its task
            // completed (as the task list does).
            0..=44 => {
                let stored = stored(conn, self.campaign, person).await;
                let (done_sql, id, whose) = match (stored.3, stored.4) {
                    (Some(email), _) => (
                        "UPDATE emails SET status = 'delivered', sent_at = $1, folder_at = $1
                         WHERE id = $2",
                        email,
                        Whose::PendingEmail(EmailId(email)),
                    ),
                    (None, Some(task)) => (
                        "UPDATE tasks SET status = 'completed', completed_at = $1 WHERE id = $2",
                        task,
                        Whose::PendingTask(TaskId(task)),
                    ),
                    (None, None) => return,
                };
                sqlx::query(done_sql)
                    .bind(self.now)
                    .bind(id)
                    .execute(&mut *conn)
                    .await
                    .unwrap();
                progress::apply(conn, whose, Event::StepDone, self.now)
                    .await
                    .unwrap();
                let answer = before.apply(Event::StepDone, sequence);
                self.model(i, answer);
            }
            45..=64 => {
                let event = *rng.pick(&[
                    Event::Replied,
                    Event::Bounced,
                    Event::Spam,
                    Event::OptedOut,
                    Event::SendFailed,
                ]);
                self.log.push(format!("  {event:?}"));
                let whose = Whose::One {
                    campaign_id: CampaignId(self.campaign),
                    person_id: PersonId(person),
                };
                progress::apply(conn, whose, event, self.now).await.unwrap();
                let answer = before.apply(event, sequence);
                self.model(i, answer);
            }
            65..=79 => {
                let command = *rng.pick(&[
                    PersonCommand::Pause,
                    PersonCommand::Resume,
                    PersonCommand::Remove,
                ]);
                self.log.push(format!("  {command:?}"));
                enrolments::command(
                    conn,
                    UserId(self.owner),
                    CampaignId(self.campaign),
                    PersonId(person),
                    command,
                    self.now,
                )
                .await
                .unwrap();
                let event = match command {
                    PersonCommand::Pause => Event::Pause,
                    PersonCommand::Resume => Event::Resume,
                    PersonCommand::Remove => Event::Removed,
                };
                if command == PersonCommand::Resume && before.state == EnrolmentState::Paused {
                    self.release(i);
                }
                let answer = self.expected[i].enrolment.apply(event, sequence);
                self.model(i, answer);
            }
            80..=89 => {
                if self.paused {
                    self.log.push("  campaign resumed".into());
                    control::resume(
                        conn,
                        UserId(self.owner),
                        CampaignId(self.campaign),
                        self.now,
                    )
                    .await
                    .unwrap();
                    self.paused = false;
                    for j in 0..self.people.len() {
                        if self.expected[j].enrolment.state == EnrolmentState::Active {
                            self.release(j);
                        }
                        let answer = self.expected[j].enrolment.advance(self.sequence());
                        self.model(j, answer);
                    }
                } else {
                    self.log.push("  campaign paused".into());
                    control::pause(
                        conn,
                        UserId(self.owner),
                        CampaignId(self.campaign),
                        self.now,
                    )
                    .await
                    .unwrap();
                    self.paused = true;
                }
            }
            90..=94 if self.steps.len() < 5 => {
                let input = random_step(rng);
                self.log.push(format!("  step added: {input:?}"));
                self.add_step(conn, &input).await;
            }
            // A step edited: only those who reach it later see the change.
            _ => {
                let index = rng.below(self.steps.len() as u64) as usize;
                let mut input = random_step(rng);
                input.kind = self.steps[index].1;
                self.log
                    .push(format!("  step {index} edited: {:?}", input.timing));
                let id = self.steps[index].0;
                steps::edit(
                    conn,
                    UserId(self.owner),
                    CampaignId(self.campaign),
                    StepId(id),
                    &input,
                    self.now,
                )
                .await
                .unwrap();
                self.steps[index].2 = input.timing;
            }
        }
    }

    async fn check(&self, conn: &mut AnyConnection) {
        for (i, &person) in self.people.iter().enumerate() {
            let row: Checked = sqlx::query_as(
                "SELECT m.state, m.finish_reason, m.done_steps,
                        (m.pending_email_id IS NOT NULL OR m.pending_task_id IS NOT NULL) AS pending,
                        (SELECT COUNT(*) FROM emails WHERE campaign_id = $1 AND person_id = $2
                           AND status = 'scheduled')
                          + (SELECT COUNT(*) FROM tasks WHERE campaign_id = $1 AND person_id = $2
                               AND status = 'open' AND deleted_at IS NULL) AS open,
                        COALESCE(e.campaign_step_id, t.campaign_step_id) AS step_id,
                        COALESCE(e.scheduled_at, t.due_at) AS due,
                        t.kind AS task_kind
                 FROM campaign_people m
                 LEFT JOIN emails e ON e.id = m.pending_email_id
                 LEFT JOIN tasks t ON t.id = m.pending_task_id
                 WHERE m.campaign_id = $1 AND m.person_id = $2",
            )
            .bind(self.campaign)
            .bind(person)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
            let expected = self.expected[i];
            let e = expected.enrolment;
            let context = || format!("person {i}: expected {expected:?}\n{}", self.log.join("\n"));
            assert_eq!(row.state, e.state.as_str(), "{}", context());
            assert_eq!(
                row.finish_reason.as_deref(),
                e.reason.map(|r| r.as_str()),
                "{}",
                context()
            );
            assert_eq!(row.done_steps as usize, e.done_steps, "{}", context());
            assert_eq!(row.pending.0, e.pending, "{}", context());
            // Only the next step exists: exactly the pending one is open.
            assert_eq!(row.open, i64::from(e.pending), "{}", context());
            let Some((index, due)) = expected.open.filter(|_| e.pending) else {
                continue;
            };
            let (step_id, kind, _) = self.steps[index];
            assert_eq!(row.step_id, Some(step_id), "step {index}: {}", context());
            assert_eq!(row.due, Some(due), "due of step {index}: {}", context());
            assert_eq!(
                row.task_kind.as_deref(),
                kind.task_kind().map(|k| k.as_str()),
                "{}",
                context()
            );
        }
    }
}

/// A person's enrolment as stored, with their open steps counted and the pending one's step,
/// due time and task kind.
#[derive(sqlx::FromRow)]
struct Checked {
    state: String,
    finish_reason: Option<String>,
    done_steps: i64,
    pending: server::db::Flag,
    open: i64,
    step_id: Option<i64>,
    due: Option<i64>,
    task_kind: Option<String>,
}

/// (state, finish reason, steps done, pending email, pending task) as stored.
async fn stored(
    conn: &mut AnyConnection,
    campaign: i64,
    person: i64,
) -> (String, Option<String>, i64, Option<i64>, Option<i64>) {
    sqlx::query_as(
        "SELECT state, finish_reason, done_steps, pending_email_id, pending_task_id
         FROM campaign_people WHERE campaign_id = $1 AND person_id = $2",
    )
    .bind(campaign)
    .bind(person)
    .fetch_one(&mut *conn)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_histories_move_people_through_a_sequence_as_the_model_does() {
    let app = spawn_app().await;
    let owner = app.user_id(DEMO_REP).await;
    let (zone,): (String,) = sqlx::query_as("SELECT time_zone FROM users WHERE id = $1")
        .bind(owner)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let pool: Vec<(i64,)> = sqlx::query_as(
        "SELECT p.id FROM people p WHERE p.owner_id = $1 AND p.deleted_at IS NULL
           AND p.opted_out_at IS NULL AND p.do_not_contact_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM emails e WHERE e.person_id = p.id AND e.status = 'bounced')
         ORDER BY p.id LIMIT 20",
    )
    .bind(owner)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let pool: Vec<i64> = pool.into_iter().map(|(id,)| id).collect();
    // On PostgreSQL the histories run four at a time (each on its own connection, in its own
    // transaction); SQLite has one writer, so one at a time.
    let workers = if crate::helpers::on_postgres() { 4 } else { 1 };
    let runs = (0..workers).map(|worker| {
        let (db, zone, pool) = (app.db.clone(), zone.clone(), pool.clone());
        tokio::spawn(async move {
            let mut rng = Rng::new(0x5e9_0e4ce + worker as u64);
            let mut events = 0;
            for n in (worker..histories()).step_by(workers) {
                events += run(&db, owner, &zone, &pool, n, &mut rng).await;
            }
            events
        })
    });
    let mut events = 0;
    for run in runs.collect::<Vec<_>>() {
        events += run.await.unwrap();
    }
    println!(
        "{} histories, {events} events: server and model agree",
        histories()
    );
}

/// One history: a campaign with its steps, its people enrolled, then up to `EVENTS` events, each
/// followed by the comparison. Returns how many events it had.
async fn run(
    db: &server::db::Db,
    owner: i64,
    zone: &str,
    pool: &[i64],
    n: usize,
    rng: &mut Rng,
) -> usize {
    // Its own transaction, as each request is: fast, and isolated from the other histories.
    let mut conn = db.begin().await.unwrap();
    let (campaign,): (i64,) = sqlx::query_as(
        "INSERT INTO campaigns (owner_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(owner)
    .bind(format!("History {n}"))
    .bind(START)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    let count = 1 + rng.below(2) as usize;
    let first = rng.below(pool.len() as u64) as usize;
    let people: Vec<i64> = (0..count).map(|k| pool[(first + k) % pool.len()]).collect();
    let mut history = History {
        owner,
        zone: zone.to_owned(),
        campaign,
        people: people.clone(),
        steps: Vec::new(),
        paused: false,
        expected: Vec::new(),
        now: START + n as i64 * MINUTE,
        log: Vec::new(),
    };
    // Some campaigns get their steps before anyone is enrolled, some after.
    let before = rng.below(3) as usize;
    for _ in 0..before {
        let input = random_step(rng);
        history.add_step(&mut conn, &input).await;
    }
    let report = enrolments::enrol(
        &mut conn,
        UserId(owner),
        CampaignId(campaign),
        &people.iter().copied().map(PersonId).collect::<Vec<_>>(),
        Lang::En,
        history.now,
    )
    .await
    .unwrap();
    assert_eq!(report.enrolled as usize, count);
    for _ in 0..count {
        let answer = Enrolment::start(history.sequence());
        history.expected.push(Expected {
            enrolment: answer.0,
            open: None,
        });
        let i = history.expected.len() - 1;
        history.model(i, answer);
    }
    if before == 0 {
        let input = random_step(rng);
        history.add_step(&mut conn, &input).await;
    }
    history.check(&mut conn).await;
    let events = 1 + rng.below(EVENTS) as usize;
    for _ in 0..events {
        history.event(&mut conn, rng).await;
        history.check(&mut conn).await;
    }
    conn.commit().await.unwrap();
    events
}
