//! A campaign's sequence: its steps, when each falls due, and what happens to a person enrolled
//! in it. Pure rules (no I/O, no clock): the server applies them in the transaction that marks a
//! step done, and tests compare its stored effects with them.
//!
//! Only the next step exists at any time: a person's step N+1 is created when step N is done
//! (its email delivered, its task completed or skipped), due its wait after that moment.

use crate::dto::Timestamp;
use crate::ids::{EmailId, PersonId, StepId, TaskId, TemplateId};
use crate::tasks::TaskKind;
use crate::wire::wire_enum;
use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

wire_enum!(
    /// The kind of work a step is.
    pub enum StepKind {
        /// Sent by the sender at its due time, merge fields filled.
        AutomaticEmail = "automatic_email",
        /// A task of kind email carrying the text; the rep sends it from compose.
        ManualEmail = "manual_email",
        Call = "call",
        Linkedin = "linkedin",
        Custom = "custom",
    }
);

impl StepKind {
    /// The task a step of this kind becomes; `None`: it is an email the sender sends.
    pub fn task_kind(self) -> Option<TaskKind> {
        match self {
            StepKind::AutomaticEmail => None,
            StepKind::ManualEmail => Some(TaskKind::Email),
            StepKind::Call => Some(TaskKind::Call),
            StepKind::Linkedin => Some(TaskKind::Linkedin),
            StepKind::Custom => Some(TaskKind::Custom),
        }
    }
}

/// When a step falls due after the one before it is done. The first step ignores it: it falls
/// due when the person is enrolled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepTiming {
    /// Days after the previous step was done (0: the same day).
    pub wait_days: u32,
    /// The time of day, in minutes after local midnight, the step falls due; `None`: the
    /// moment the wait is over.
    pub at_minute: Option<u16>,
    /// Count only Monday to Friday, and never fall due on a weekend.
    pub business_days: bool,
}

pub const MAX_WAIT_DAYS: u32 = 365;
pub const MINUTES_PER_DAY: u16 = 24 * 60;

fn is_weekend(date: chrono::NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

impl StepTiming {
    /// The local time a step falls due when the one before it was done at `done` (local). Never
    /// before `done`: a wait of 0 days at 09:00 after a step done at 15:00 is due at once.
    pub fn due_after(&self, done: NaiveDateTime) -> NaiveDateTime {
        let mut date = done.date();
        if self.business_days {
            let mut left = self.wait_days;
            while left > 0 {
                date += Duration::days(1);
                if !is_weekend(date) {
                    left -= 1;
                }
            }
            while is_weekend(date) {
                date += Duration::days(1);
            }
        } else {
            date += Duration::days(i64::from(self.wait_days));
        }
        let time = match self.at_minute {
            Some(minute) => NaiveTime::from_hms_opt(
                u32::from(minute.min(MINUTES_PER_DAY - 1) / 60),
                u32::from(minute.min(MINUTES_PER_DAY - 1) % 60),
                0,
            )
            .expect("minutes of a day"),
            None => done.time(),
        };
        date.and_time(time).max(done)
    }
}

wire_enum!(
    /// Where a person stands in a campaign.
    pub enum EnrolmentState {
        Active = "active",
        Paused = "paused",
        Finished = "finished",
    }
);

wire_enum!(
    /// Why a person's enrolment ended.
    pub enum FinishReason {
        /// Every step done.
        Completed = "completed",
        Replied = "replied",
        Bounced = "bounced",
        Spam = "spam",
        OptedOut = "opted_out",
        /// Taken out by the rep.
        Removed = "removed",
    }
);

/// A person's enrolment as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Enrolment {
    pub state: EnrolmentState,
    pub reason: Option<FinishReason>,
    /// How many steps are done.
    pub done_steps: usize,
    /// Whether the step at `done_steps` exists (a scheduled email or an open task).
    pub pending: bool,
}

/// What befell a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Their pending step was done: its email delivered, its task completed or skipped.
    StepDone,
    Replied,
    Bounced,
    Spam,
    OptedOut,
    Removed,
    /// A send failed for good: they wait for the rep.
    SendFailed,
    Pause,
    Resume,
}

/// What the store does about an event, besides saving the enrolment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Nothing,
    /// Create the step at this index, due its timing after now.
    CreateStep(usize),
    /// Take away the pending step (its scheduled email is not sent, its task goes).
    CancelPending,
}

/// The campaign a person moves through, as the rules need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sequence {
    /// How many steps it has now.
    pub steps: usize,
    /// Paused as a whole: no step is created until it is resumed (those that fell due meanwhile
    /// are created then).
    pub paused: bool,
}

impl From<usize> for Sequence {
    /// A running campaign of this many steps.
    fn from(steps: usize) -> Self {
        Sequence {
            steps,
            paused: false,
        }
    }
}

impl Enrolment {
    /// Newly enrolled in a campaign of `steps` steps: its first step is created at once.
    pub fn start(sequence: impl Into<Sequence>) -> (Enrolment, Effect) {
        let enrolment = Enrolment {
            state: EnrolmentState::Active,
            reason: None,
            done_steps: 0,
            pending: false,
        };
        enrolment.advance(sequence)
    }

    /// Creates the next step if there is one and none is pending; finishes as Completed after
    /// the last. With no steps at all, the person waits for the campaign's first; in a paused
    /// campaign, for it to be resumed.
    pub fn advance(mut self, sequence: impl Into<Sequence>) -> (Enrolment, Effect) {
        let Sequence { steps, paused } = sequence.into();
        if self.state != EnrolmentState::Active || self.pending {
            return (self, Effect::Nothing);
        }
        if self.done_steps < steps && paused {
            (self, Effect::Nothing)
        } else if self.done_steps < steps {
            self.pending = true;
            (self, Effect::CreateStep(self.done_steps))
        } else if steps > 0 {
            self.state = EnrolmentState::Finished;
            self.reason = Some(FinishReason::Completed);
            (self, Effect::Nothing)
        } else {
            (self, Effect::Nothing)
        }
    }

    fn finish(mut self, reason: FinishReason) -> (Enrolment, Effect) {
        if self.state == EnrolmentState::Finished {
            return (self, Effect::Nothing);
        }
        let effect = if self.pending {
            Effect::CancelPending
        } else {
            Effect::Nothing
        };
        self.state = EnrolmentState::Finished;
        self.reason = Some(reason);
        self.pending = false;
        (self, effect)
    }

    /// The enrolment after `event`, in a campaign that now has `steps` steps.
    pub fn apply(self, event: Event, sequence: impl Into<Sequence>) -> (Enrolment, Effect) {
        let sequence = sequence.into();
        match event {
            Event::StepDone => {
                // A step done twice (a task reopened and completed again) moves nobody twice.
                if !self.pending || self.state == EnrolmentState::Finished {
                    return (self, Effect::Nothing);
                }
                let moved = Enrolment {
                    done_steps: self.done_steps + 1,
                    pending: false,
                    ..self
                };
                moved.advance(sequence)
            }
            Event::Replied => self.finish(FinishReason::Replied),
            Event::Bounced => self.finish(FinishReason::Bounced),
            Event::Spam => self.finish(FinishReason::Spam),
            Event::OptedOut => self.finish(FinishReason::OptedOut),
            Event::Removed => self.finish(FinishReason::Removed),
            Event::SendFailed | Event::Pause => {
                if self.state == EnrolmentState::Active {
                    (
                        Enrolment {
                            state: EnrolmentState::Paused,
                            ..self
                        },
                        Effect::Nothing,
                    )
                } else {
                    (self, Effect::Nothing)
                }
            }
            Event::Resume => {
                if self.state != EnrolmentState::Paused {
                    return (self, Effect::Nothing);
                }
                Enrolment {
                    state: EnrolmentState::Active,
                    ..self
                }
                .advance(sequence)
            }
        }
    }
}

/// A step as the API shows it (`GET /campaigns/{id}/steps`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignStep {
    pub id: StepId,
    /// 0 for the first step.
    pub position: u32,
    pub kind: StepKind,
    #[serde(flatten)]
    pub timing: StepTiming,
    /// The email's subject, or the task's title; merge fields allowed.
    pub subject: String,
    /// The email's body (HTML), or the task's notes.
    pub body: String,
    /// The template its text came from; the emails it becomes count as that template's.
    #[serde(default)]
    pub template_id: Option<TemplateId>,
    /// People whose email or task this step has become.
    pub reached: u64,
}

/// `POST /campaigns/{id}/steps` and `PUT /campaigns/{id}/steps/{step}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepInput {
    pub kind: StepKind,
    #[serde(flatten)]
    pub timing: StepTiming,
    pub subject: String,
    #[serde(default)]
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<TemplateId>,
    /// Where it goes (0: first); `None`: last for a new step, unchanged for an edit.
    #[serde(default)]
    pub position: Option<u32>,
}

/// `POST /campaigns/{id}/enrolments`: who was enrolled, skipped or refused.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EnrolmentReport {
    pub enrolled: u64,
    /// Already active or paused in this campaign.
    pub already_enrolled: u64,
    pub refused: Vec<EnrolmentRefusal>,
}

/// Someone who cannot be enrolled, and why, in the rep's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrolmentRefusal {
    pub person_id: PersonId,
    pub name: String,
    pub reason: String,
}

/// A person in a campaign (`GET /campaigns/{id}/enrolments`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrolledPerson {
    pub person_id: PersonId,
    pub name: String,
    pub email: String,
    pub state: EnrolmentState,
    pub finish_reason: Option<FinishReason>,
    pub pause_reason: Option<String>,
    pub done_steps: u32,
    /// When their pending step falls due (its email's send time, its task's due date).
    pub next_due: Option<Timestamp>,
    pub pending_email_id: Option<EmailId>,
    pub pending_task_id: Option<TaskId>,
}

/// `GET /campaigns/{id}/report`: how each step has done, and the replies its emails drew.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CampaignReport {
    pub steps: Vec<StepResults>,
    /// The last 30 days in the rep's time zone, oldest first, each with the replies to the
    /// campaign's emails that arrived on it.
    pub replies_per_day: Vec<DayCount>,
}

/// One step's funnel: the people it reached, and for an email step how many of its emails were
/// sent, then viewed, clicked and replied to; for a task step how many were done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepResults {
    pub step_id: StepId,
    pub position: u32,
    pub kind: StepKind,
    pub subject: String,
    pub reached: u64,
    pub sent: u64,
    pub viewed: u64,
    pub clicked: u64,
    pub replied: u64,
    /// Tasks completed or skipped.
    pub done: u64,
}

impl StepResults {
    /// `part` as a whole percentage of `of`; `None` when `of` is 0.
    pub fn rate(part: u64, of: u64) -> Option<u32> {
        (of > 0).then(|| ((part * 100 + of / 2) / of) as u32)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: chrono::NaiveDate,
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn a_wait_counts_days_and_falls_at_the_time_of_day() {
        let timing = StepTiming {
            wait_days: 2,
            at_minute: Some(9 * 60),
            business_days: false,
        };
        // Thursday 15:00 → Saturday 09:00.
        assert_eq!(
            timing.due_after(at(2026, 12, 3, 15, 0)),
            at(2026, 12, 5, 9, 0)
        );
    }

    #[test]
    fn business_days_skip_the_weekend() {
        let timing = StepTiming {
            wait_days: 2,
            at_minute: Some(9 * 60),
            business_days: true,
        };
        // Thursday → Friday (1) → Monday (2).
        assert_eq!(
            timing.due_after(at(2026, 12, 3, 15, 0)),
            at(2026, 12, 7, 9, 0)
        );
        // No wait, done on a Saturday: Monday.
        let now = StepTiming {
            wait_days: 0,
            ..timing
        };
        assert_eq!(now.due_after(at(2026, 12, 5, 10, 0)), at(2026, 12, 7, 9, 0));
    }

    #[test]
    fn no_wait_past_the_time_of_day_is_due_at_once() {
        let timing = StepTiming {
            wait_days: 0,
            at_minute: Some(9 * 60),
            business_days: false,
        };
        let done = at(2026, 12, 3, 15, 0);
        assert_eq!(timing.due_after(done), done);
        assert_eq!(StepTiming::default().due_after(done), done);
    }

    #[test]
    fn only_the_next_step_exists_and_the_last_completes() {
        let (e, effect) = Enrolment::start(2);
        assert_eq!(effect, Effect::CreateStep(0));
        let (e, effect) = e.apply(Event::StepDone, 2);
        assert_eq!(effect, Effect::CreateStep(1));
        // Done twice: nothing more.
        let (e, effect) = e.apply(Event::StepDone, 2);
        assert_eq!((e.done_steps, effect), (2, Effect::Nothing));
        assert_eq!(e.reason, Some(FinishReason::Completed));
        assert_eq!(e.apply(Event::StepDone, 2).1, Effect::Nothing);
    }

    #[test]
    fn a_reply_cancels_the_pending_step_and_ends_the_enrolment() {
        let (e, _) = Enrolment::start(3);
        let (e, effect) = e.apply(Event::Replied, 3);
        assert_eq!(effect, Effect::CancelPending);
        assert_eq!(
            (e.state, e.reason),
            (EnrolmentState::Finished, Some(FinishReason::Replied))
        );
        assert_eq!(e.apply(Event::Resume, 3).1, Effect::Nothing);
        assert_eq!(
            e.apply(Event::Bounced, 3).0.reason,
            Some(FinishReason::Replied)
        );
    }

    #[test]
    fn a_paused_person_moves_on_only_when_resumed() {
        let (e, _) = Enrolment::start(2);
        let (e, _) = e.apply(Event::Pause, 2);
        // The pending step is done while paused (a task the rep completes anyway): recorded,
        // but the next one waits for the resume.
        let (e, effect) = e.apply(Event::StepDone, 2);
        assert_eq!((e.done_steps, effect), (1, Effect::Nothing));
        let (e, effect) = e.apply(Event::Resume, 2);
        assert_eq!(
            (e.state, effect),
            (EnrolmentState::Active, Effect::CreateStep(1))
        );
    }

    #[test]
    fn a_person_enrolled_before_any_step_starts_with_the_first_added() {
        let (e, effect) = Enrolment::start(0);
        assert_eq!((e.state, effect), (EnrolmentState::Active, Effect::Nothing));
        let (e, effect) = e.apply(Event::Resume, 1);
        assert_eq!(
            effect,
            Effect::Nothing,
            "resume applies to a paused person only"
        );
        assert_eq!(e.advance(1).1, Effect::CreateStep(0));
    }

    #[test]
    fn a_paused_campaign_creates_nothing_until_it_is_resumed() {
        let paused = Sequence {
            steps: 2,
            paused: true,
        };
        let (e, effect) = Enrolment::start(paused);
        assert_eq!(
            (e.state, e.pending, effect),
            (EnrolmentState::Active, false, Effect::Nothing)
        );
        // Resumed: the person who waited gets their first step.
        assert_eq!(e.advance(2).1, Effect::CreateStep(0));
        // A step done while paused moves them on, but the next is made only on resume.
        let (e, _) = Enrolment::start(2);
        let (e, effect) = e.apply(Event::StepDone, paused);
        assert_eq!(
            (e.done_steps, e.pending, effect),
            (1, false, Effect::Nothing)
        );
        assert_eq!(e.advance(2).1, Effect::CreateStep(1));
        // The last step done while paused still completes: nothing is left to make.
        let (e, _) = e.advance(2);
        let (e, _) = e.apply(Event::StepDone, paused);
        assert_eq!(e.reason, Some(FinishReason::Completed));
    }
}
