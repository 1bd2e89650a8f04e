//! What became of a settings form: refused (with the field to mend) or done, shown under it, and
//! the `aria-invalid` of each field the server named.

use crate::api_client::ApiError;
use crate::i18n::{Locale, Msg};
use crate::state::use_app;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Refused {
        field: Option<String>,
        message: String,
    },
    Done(Msg),
}

impl Outcome {
    pub fn refused(error: ApiError, locale: Locale) -> Self {
        let field = match &error {
            ApiError::Problem { field, .. } => field.clone(),
            _ => None,
        };
        Outcome::Refused {
            field,
            message: error.message(locale),
        }
    }
}

/// The outcome under the form: an alert when refused, a status when done.
pub fn outcome_view(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    let state = use_app();
    move || match outcome.get() {
        Some(Outcome::Refused { message, .. }) => {
            view! { <p class="cc-error" role="alert">{message}</p> }.into_any()
        }
        Some(Outcome::Done(done)) => {
            view! { <p class="cc-note" role="status">{state.t(done)}</p> }.into_any()
        }
        None => ().into_any(),
    }
}

/// `aria-invalid` of the field `name`: whether the last refusal named it.
pub fn invalid(outcome: RwSignal<Option<Outcome>>, name: &'static str) -> impl Fn() -> String {
    move || {
        outcome.with(|o| {
            matches!(o, Some(Outcome::Refused { field: Some(f), .. }) if f == name).to_string()
        })
    }
}
