//! One error type for every handler, rendered as `application/problem+json`.

use api::Problem;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No valid bearer token (or a wrong password on login).
    #[error("{0}")]
    Unauthorized(&'static str),
    /// Signed in, but not allowed (a rep asking for another rep's data).
    #[error("{0}")]
    Forbidden(&'static str),
    /// Absent, or owned by someone else: a rep cannot tell the two apart.
    #[error("{0}")]
    NotFound(&'static str),
    /// The request itself is malformed: a query parameter, a cursor, a body that is not JSON.
    #[error("{message}")]
    BadRequest {
        field: Option<String>,
        message: String,
    },
    /// Not allowed in the email's (or the rep's) current state.
    #[error("{0}")]
    Conflict(String),
    /// Well-formed, but a field's value is not acceptable.
    #[error("{message}")]
    Unprocessable { field: String, message: String },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub fn bad_field(field: &str, message: impl Into<String>) -> Self {
        Error::BadRequest {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    pub fn unprocessable(field: &str, message: impl Into<String>) -> Self {
        Error::Unprocessable {
            field: field.to_owned(),
            message: message.into(),
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
            Error::Database(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn problem(&self) -> Problem {
        let status = self.status();
        let (detail, field) = match self {
            // Internal details go to the log, never to the client.
            Error::Database(_) | Error::Internal(_) => (
                "Something went wrong on the server; please try again.".to_owned(),
                None,
            ),
            Error::BadRequest { field, message } => (message.clone(), field.clone()),
            Error::Unprocessable { field, message } => (message.clone(), Some(field.clone())),
            other => (other.to_string(), None),
        };
        Problem {
            kind: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            field,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if matches!(self, Error::Database(_) | Error::Internal(_)) {
            tracing::error!(error = ?self, "request failed");
        }
        let problem = self.problem();
        let mut response = (self.status(), axum::Json(problem)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if matches!(self, Error::Unauthorized(_)) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
