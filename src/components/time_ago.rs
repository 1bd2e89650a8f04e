//! A moment shown relative to now ("3 hours ago" / "3 時間前"), with the exact time in the rep's
//! zone as its tooltip and machine-readable `datetime`. Re-read each minute.

use crate::state::use_app;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// The minute that passes for every relative time in the app: one interval, provided once at the
/// root (each row asking for its own would leave an interval behind per row ever rendered).
#[derive(Clone, Copy)]
pub struct Minute(ReadSignal<u64>);

impl Minute {
    /// Minutes since the app started; reading it subscribes to the next.
    pub fn get(self) -> u64 {
        self.0.get()
    }
}

pub fn provide_minute() {
    let (tick, set_tick) = signal(0_u64);
    let handle = set_interval_with_handle(
        move || set_tick.update(|n| *n += 1),
        std::time::Duration::from_secs(60),
    );
    if let Ok(handle) = handle {
        on_cleanup(move || handle.clear());
    }
    provide_context(Minute(tick));
}

#[component]
pub fn TimeAgo(at: DateTime<Utc>) -> impl IntoView {
    let state = use_app();
    let minute = use_context::<Minute>();
    let relative = move || {
        if let Some(Minute(tick)) = minute {
            tick.track();
        }
        state.locale.get().relative(at, Utc::now())
    };
    view! {
        <time datetime=at.to_rfc3339() title=move || state.locale.get().date_time(at)>{relative}</time>
    }
}
