//! A moment shown relative to now ("3 hours ago" / "3 時間前"), with the exact time in the rep's
//! zone as its tooltip and machine-readable `datetime`. Re-read each minute.

use crate::state::use_app;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// Ticks once a minute for every relative time on the page.
fn minute() -> ReadSignal<u64> {
    if let Some(tick) = use_context::<ReadSignal<u64>>() {
        return tick;
    }
    let (tick, set_tick) = signal(0_u64);
    provide_context(tick);
    let _ = set_interval_with_handle(
        move || set_tick.update(|n| *n += 1),
        std::time::Duration::from_secs(60),
    );
    tick
}

#[component]
pub fn TimeAgo(at: DateTime<Utc>) -> impl IntoView {
    let state = use_app();
    let tick = minute();
    let relative = move || {
        tick.track();
        state.locale.get().relative(at, Utc::now())
    };
    view! {
        <time datetime=at.to_rfc3339() title=move || state.locale.get().date_time(at)>{relative}</time>
    }
}
