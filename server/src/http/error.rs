//! One error type for every handler, rendered as `application/problem+json` whose `detail` is in
//! the caller's language (`Accept-Language`: Japanese or English).

use api::{Lang, Problem, Text};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No valid bearer token (or a wrong password on login).
    #[error("{0}")]
    Unauthorized(Text),
    /// Signed in, but not allowed (a rep asking for another rep's data).
    #[error("{0}")]
    Forbidden(Text),
    /// Absent, or owned by someone else: a rep cannot tell the two apart.
    #[error("{0}")]
    NotFound(Text),
    /// The request itself is malformed: a query parameter, a cursor, a body that is not JSON.
    #[error("{message}")]
    BadRequest {
        field: Option<String>,
        message: Text,
    },
    /// Not allowed in the email's (or the rep's) current state.
    #[error("{0}")]
    Conflict(Text),
    /// Well-formed, but a field's value is not acceptable.
    #[error("{message}")]
    Unprocessable { field: String, message: Text },
    /// Too many attempts: try again after `retry_after` seconds.
    #[error("{message}")]
    TooManyRequests { retry_after: u64, message: Text },
    /// The server cannot answer now (busy, or the query ran past its time): retry later.
    #[error("{message}")]
    Unavailable { retry_after: u64, message: Text },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub fn bad_field(field: &str, message: Text) -> Self {
        Error::BadRequest {
            field: Some(field.to_owned()),
            message,
        }
    }

    pub fn unprocessable(field: &str, message: Text) -> Self {
        Error::Unprocessable {
            field: field.to_owned(),
            message,
        }
    }

    /// A body or query the server could not read at all; `why` is the parser's own account.
    pub fn unreadable(what_en: &str, what_ja: &str, why: impl std::fmt::Display) -> Self {
        Error::BadRequest {
            field: None,
            message: Text::new(format!("{what_en}: {why}"), format!("{what_ja}（{why}）")),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Error::Database(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn problem(&self, lang: Lang) -> Problem {
        // Internal details go to the log, never to the client.
        const SERVER_TROUBLE: Text = Text::fixed(
            "Something went wrong on the server; please try again.",
            "サーバーで問題が起きました。もう一度お試しください。",
        );
        let status = self.status();
        let (detail, field) = match self {
            Error::Database(_) | Error::Internal(_) => (&SERVER_TROUBLE, None),
            Error::BadRequest { field, message } => (message, field.clone()),
            Error::Unprocessable { field, message } => (message, Some(field.clone())),
            Error::TooManyRequests { message, .. } | Error::Unavailable { message, .. } => {
                (message, None)
            }
            Error::Unauthorized(message)
            | Error::Forbidden(message)
            | Error::NotFound(message)
            | Error::Conflict(message) => (message, None),
        };
        Problem {
            kind: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.get(lang).to_owned(),
            field,
        }
    }
}

impl From<crate::tracking::Error> for Error {
    fn from(error: crate::tracking::Error) -> Self {
        match error {
            crate::tracking::Error::Database(error) => Error::Database(error),
        }
    }
}

/// Each domain module's refusals (`crate::rules`) as HTTP answers.
macro_rules! from_domain {
    ($($module:ident),*) => {$(
        impl From<crate::$module::Error> for Error {
            fn from(error: crate::$module::Error) -> Self {
                use crate::$module::Error as Refused;
                match error {
                    Refused::NotFound(message) => Error::NotFound(message),
                    Refused::Conflict(message) => Error::Conflict(message),
                    Refused::Unprocessable { field, message } => {
                        Error::Unprocessable { field, message }
                    }
                    Refused::Database(error) => Error::Database(error),
                    Refused::Internal(error) => Error::Internal(error),
                }
            }
        }
    )*};
}
from_domain!(outbox, tasks, campaigns, saved_searches, templates, mailbox);

impl From<crate::accounts::Error> for Error {
    fn from(error: crate::accounts::Error) -> Self {
        use crate::accounts::Error as Refused;
        match error {
            Refused::NotFound(message) => Error::NotFound(message),
            Refused::Forbidden(message) => Error::Forbidden(message),
            Refused::Conflict(message) => Error::Conflict(message),
            Refused::Unprocessable { field, message } => Error::Unprocessable { field, message },
            Refused::Database(error) => Error::Database(error),
        }
    }
}

impl From<crate::db::LimitedError> for Error {
    fn from(error: crate::db::LimitedError) -> Self {
        match error {
            crate::db::LimitedError::TimedOut => Error::Unavailable {
                retry_after: 5,
                message: Text::fixed(
                    "This search ran too long and was stopped; narrow it (fewer alternatives, a campaign or a date range) or try again shortly.",
                    "この検索は時間がかかりすぎたため中止しました。条件を絞り込む（選択肢を減らす、キャンペーンや期間を指定する）か、少ししてからもう一度お試しください。",
                ),
            },
            crate::db::LimitedError::Database(error) => Error::Database(error),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if matches!(self, Error::Database(_) | Error::Internal(_)) {
            tracing::error!(error = %format_args!("{self:#}"), "request failed");
        }
        let mut response = (self.status(), axum::Json(self.problem(Lang::En))).into_response();
        response
            .extensions_mut()
            .insert(InJapanese(self.problem(Lang::Ja)));
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Error::TooManyRequests { retry_after, .. } | Error::Unavailable { retry_after, .. } =
            &self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
        }
        if matches!(self, Error::Unauthorized(_)) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The same problem in Japanese, for `speak_the_callers_language` to send instead.
#[derive(Clone)]
struct InJapanese(Problem);

/// Middleware: a problem goes out in the language the request prefers.
pub async fn speak_the_callers_language(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let lang = super::extract::callers_lang(request.headers());
    let mut response = next.run(request).await;
    if let (Lang::Ja, Some(InJapanese(problem))) =
        (lang, response.extensions_mut().remove::<InJapanese>())
    {
        let (mut parts, _) = response.into_parts();
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        parts.headers.remove(header::CONTENT_LENGTH);
        response = Response::from_parts(parts, axum::body::Body::from(body));
    }
    response
}
