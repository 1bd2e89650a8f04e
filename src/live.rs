//! Live updates: a server-sent event stream of changes to the rep's data. Views watch
//! `Live::emails` and re-read what they show when it ticks.

use crate::state::AppState;
use api::{Change, ChangeTopic};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Changes come in bursts (a campaign going out is hundreds a second) and each tick makes every
/// view on screen re-read: ticks from the stream are at least this far apart.
const STREAM_TICK_SPACING: std::time::Duration = std::time::Duration::from_millis(1000);

/// A counter bumped at once on the first of a burst, then at most once per `spacing`: the rest of
/// a burst is folded into one bump at the end of the spacing, so no change goes unseen.
#[derive(Clone, Copy)]
pub struct Spaced {
    counter: RwSignal<u64>,
    spacing: std::time::Duration,
    /// (waiting for the spacing to pass, another tick came meanwhile)
    state: StoredValue<(bool, bool)>,
}

impl Spaced {
    pub fn new(counter: RwSignal<u64>, spacing: std::time::Duration) -> Self {
        Spaced {
            counter,
            spacing,
            state: StoredValue::new((false, false)),
        }
    }

    pub fn tick(self) {
        let Some((waiting, _)) = self.state.try_get_value() else {
            return;
        };
        if waiting {
            self.state.update_value(|s| s.1 = true);
            return;
        }
        self.counter.update(|n| *n += 1);
        self.state.set_value((true, false));
        set_timeout(
            move || {
                let Some((_, more)) = self.state.try_get_value() else {
                    return;
                };
                self.state.set_value((false, false));
                if more {
                    self.tick();
                }
            },
            self.spacing,
        );
    }
}

#[derive(Clone, Copy)]
pub struct Live {
    /// Bumped when the rep's emails change (from the stream at most once a second).
    pub emails: RwSignal<u64>,
    /// Bumped when the rep's tasks change (likewise).
    pub tasks: RwSignal<u64>,
    pub connected: RwSignal<bool>,
    /// How the stream bumps `emails` and `tasks` (a view's own action bumps them directly).
    stream_emails: Spaced,
    stream_tasks: Spaced,
}

pub fn use_live() -> Live {
    expect_context::<Live>()
}

/// Opens the stream for the signed-in rep and keeps it open (reconnecting with a new ticket
/// after an error) until the rep signs out.
pub fn provide_live(state: AppState) -> Live {
    let emails = RwSignal::new(0);
    let tasks = RwSignal::new(0);
    let live = Live {
        emails,
        tasks,
        connected: RwSignal::new(false),
        stream_emails: Spaced::new(emails, STREAM_TICK_SPACING),
        stream_tasks: Spaced::new(tasks, STREAM_TICK_SPACING),
    };
    provide_context(live);
    let stream = Stream {
        source: StoredValue::new_local(None),
        attempt: StoredValue::new(0),
    };
    let close = move || stream.close(live);
    Effect::new(move |_| {
        let signed_in = state.session.with(Option::is_some);
        close();
        if signed_in {
            // After the first page is drawn: the stream's code is a piece of its own, and
            // whatever changes meanwhile is re-read when the stream says it is ready.
            connect_after(STREAM_START_DELAY, state, live, stream);
        }
    });
    on_cleanup(close);
    live
}

/// The rep's stream, and the latest attempt to open one. A timer, a piece or a ticket that
/// arrives for an earlier attempt (the rep signed out and in meanwhile, or the stream broke and
/// it started over) opens nothing: only one stream is ever open.
#[derive(Clone, Copy)]
struct Stream {
    source: StoredValue<Option<OpenStream>, LocalStorage>,
    attempt: StoredValue<u64>,
}

/// An open event stream and its listeners, which go when it is closed (a rep who stays signed in
/// for days reconnects many times: each time kept three closures before).
struct OpenStream {
    events: web_sys::EventSource,
    on_change: Closure<dyn Fn(web_sys::MessageEvent)>,
    on_ready: Closure<dyn Fn(web_sys::MessageEvent)>,
    /// Closes the stream, and so drops itself, when run: the glue frees a closure's data only
    /// once the call has returned.
    on_error: Closure<dyn Fn(web_sys::Event)>,
}

impl OpenStream {
    /// The stream's events, each with its listener.
    fn listeners(&self) -> [(&'static str, &js_sys::Function); 2] {
        [
            ("change", self.on_change.as_ref().unchecked_ref()),
            ("ready", self.on_ready.as_ref().unchecked_ref()),
        ]
    }

    fn listen(&self) {
        for (name, listener) in self.listeners() {
            let _ = self.events.add_event_listener_with_callback(name, listener);
        }
        self.events
            .set_onerror(Some(self.on_error.as_ref().unchecked_ref()));
    }
}

impl Drop for OpenStream {
    /// Closed and unbound before its listeners are freed, so no event can reach a freed one.
    fn drop(&mut self) {
        self.events.close();
        for (name, listener) in self.listeners() {
            let _ = self
                .events
                .remove_event_listener_with_callback(name, listener);
        }
        self.events.set_onerror(None);
    }
}

impl Stream {
    /// Begins an attempt; every earlier one is abandoned.
    fn next_attempt(self) -> u64 {
        self.attempt
            .try_update_value(|attempt| {
                *attempt += 1;
                *attempt
            })
            .unwrap_or_default()
    }

    /// Closes the open stream, if any, and abandons the attempt under way.
    fn close(self, live: Live) {
        // Dropped: closed.
        drop(self.source.try_update_value(Option::take).flatten());
        self.next_attempt();
        live.connected.set(false);
    }

    /// Whether `attempt` should (still) open a stream: it is the latest, none is open, a rep is
    /// signed in, and the app has not been unmounted meanwhile (its signals are gone then).
    fn wanted(self, state: AppState, attempt: u64) -> bool {
        self.attempt.try_get_value() == Some(attempt)
            && self.source.try_with_value(Option::is_none) == Some(true)
            && state.session.try_with_untracked(Option::is_some) == Some(true)
    }
}

/// How long after sign-in (or the app's start) the stream opens.
const STREAM_START_DELAY: std::time::Duration = std::time::Duration::from_millis(1000);

/// Opens the stream, once its piece is here (when it cannot be fetched, tries again later).
fn connect(state: AppState, live: Live, stream: Stream, attempt: u64) {
    leptos::task::spawn_local(async move {
        if open_stream(state, live, stream, attempt).await.is_err() && stream.wanted(state, attempt)
        {
            connect_after(RETRY_DELAY, state, live, stream);
        }
    });
}

crate::own_piece! {
    live_stream;
    /// Opens the stream with a fresh ticket. A piece of its own: it is needed only once the
    /// first page is drawn.
    fn open_stream(
        state: AppState,
        live: Live,
        stream: Stream,
        attempt: u64,
    ) -> Result<(), leptos::wasm_split::SplitLoaderError> {
        leptos::task::spawn_local(async move {
            // The piece may have taken a while: the rep may have left meanwhile.
            if !stream.wanted(state, attempt) {
                return;
            }
            let api = state.api();
            let ticket = api.call(api::endpoints::accounts::stream_ticket()).await;
            // So may the ticket; the app may even have been unmounted (by an embedding page).
            if !stream.wanted(state, attempt) {
                return;
            }
            let Ok(ticket) = ticket else {
                connect_after(RETRY_DELAY, state, live, stream);
                return;
            };
            let Some(base) = state.api_base.try_get_value() else {
                return;
            };
            let url = format!(
                "{}{}?ticket={}",
                base.trim_end_matches('/'),
                api::endpoints::paths::STREAM,
                api::endpoints::encode(&ticket.ticket)
            );
            let Ok(events) = web_sys::EventSource::new(&url) else {
                return;
            };
            let on_change =
                Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                    let change = event
                        .data()
                        .as_string()
                        .and_then(|data| serde_json::from_str::<Change>(&data).ok());
                    match change.map(|c| c.topic) {
                        Some(ChangeTopic::Emails) => live.stream_emails.tick(),
                        Some(ChangeTopic::Tasks) => live.stream_tasks.tick(),
                        None => {
                            live.stream_emails.tick();
                            live.stream_tasks.tick();
                        }
                    }
                });
            let on_ready = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| {
                live.connected.set(true);
                // Anything missed while disconnected is re-read.
                live.emails.update(|n| *n += 1);
                live.tasks.update(|n| *n += 1);
            });
            let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
                // The ticket is single-use, so the browser's own reconnect cannot work: start over.
                stream.close(live);
                connect_after(RETRY_DELAY, state, live, stream);
            });
            let open = OpenStream {
                events,
                on_change,
                on_ready,
                on_error,
            };
            open.listen();
            // Unmounted meanwhile: dropped, and so closed, here.
            drop(stream.source.try_set_value(Some(open)));
        });
        Ok(())
    }
}

/// How long after a failure (no ticket, the stream broke, its piece not fetched) it is tried again.
const RETRY_DELAY: std::time::Duration = std::time::Duration::from_secs(3);

/// Opens the stream after `delay`, in a new attempt, if it is still wanted then.
fn connect_after(delay: std::time::Duration, state: AppState, live: Live, stream: Stream) {
    let attempt = stream.next_attempt();
    set_timeout(
        move || {
            if stream.wanted(state, attempt) {
                connect(state, live, stream, attempt);
            }
        },
        delay,
    );
}
