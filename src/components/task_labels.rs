//! Names for task types, priorities and views, and the snooze presets.

use crate::i18n::Msg;
use api::{Priority, TaskKind, TaskView, Timestamp};
use chrono::{Datelike, Duration, NaiveTime};

pub fn kind_label(kind: TaskKind) -> Msg {
    match kind {
        TaskKind::Email => Msg::TypeEmail,
        TaskKind::Call => Msg::TypeCall,
        TaskKind::Linkedin => Msg::TypeLinkedin,
        TaskKind::Custom => Msg::TypeCustom,
    }
}

pub fn priority_label(priority: Priority) -> Msg {
    match priority {
        Priority::Normal => Msg::PriorityNormal,
        Priority::High => Msg::PriorityHigh,
    }
}

pub fn view_label(view: TaskView) -> Msg {
    match view {
        TaskView::Overdue => Msg::ViewOverdue,
        TaskView::Today => Msg::ViewToday,
        TaskView::Tomorrow => Msg::ViewTomorrow,
        TaskView::Next7 => Msg::ViewNext7,
        TaskView::Range => Msg::ViewRange,
        TaskView::NoDate => Msg::ViewNoDate,
        TaskView::Done => Msg::ViewDone,
    }
}

/// The views in tab order.
pub const VIEWS: [TaskView; 7] = [
    TaskView::Overdue,
    TaskView::Today,
    TaskView::Tomorrow,
    TaskView::Next7,
    TaskView::Range,
    TaskView::NoDate,
    TaskView::Done,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Snooze {
    OneHour,
    Tomorrow9,
    NextWeek,
}

impl Snooze {
    pub const ALL: [Snooze; 3] = [Snooze::OneHour, Snooze::Tomorrow9, Snooze::NextWeek];

    /// Its name in a menu's or a select's value.
    pub fn key(self) -> &'static str {
        match self {
            Snooze::OneHour => "hour",
            Snooze::Tomorrow9 => "tomorrow",
            Snooze::NextWeek => "next_week",
        }
    }

    pub fn from_key(key: &str) -> Option<Snooze> {
        Snooze::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> Msg {
        match self {
            Snooze::OneHour => Msg::SnoozeHour,
            Snooze::Tomorrow9 => Msg::SnoozeTomorrow,
            Snooze::NextWeek => Msg::SnoozeNextWeek,
        }
    }

    /// When the task comes back, from `now`, in the rep's time zone: in an hour, tomorrow at
    /// 9:00, or next Monday at 9:00.
    pub fn until(self, now: Timestamp) -> Timestamp {
        let local = crate::zone::to_local(now);
        let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("a valid time");
        let at_nine = |days: i64| {
            let date = local.date() + Duration::days(days);
            crate::zone::from_local(date.and_time(nine)).unwrap_or(now + Duration::days(days))
        };
        match self {
            Snooze::OneHour => now + Duration::hours(1),
            Snooze::Tomorrow9 => at_nine(1),
            Snooze::NextWeek => at_nine(7 - i64::from(local.weekday().num_days_from_monday())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use wasm_bindgen_test::wasm_bindgen_test as test;
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    #[test]
    fn snoozes_land_in_the_future_at_nine_in_the_reps_zone() {
        let now = Utc::now();
        assert_eq!(Snooze::OneHour.until(now) - now, Duration::hours(1));
        crate::zone::set_zone(Some("Asia/Tokyo"));
        for snooze in [Snooze::Tomorrow9, Snooze::NextWeek] {
            let until = snooze.until(now);
            assert!(until > now);
            assert_eq!(
                crate::zone::to_local(until).format("%H:%M").to_string(),
                "09:00"
            );
        }
        assert_eq!(
            crate::zone::to_local(Snooze::NextWeek.until(now)).weekday(),
            chrono::Weekday::Mon
        );
        crate::zone::set_zone(None);
    }
}
