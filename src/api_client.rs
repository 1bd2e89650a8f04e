//! The one typed REST client. Every call returns `Result<T, ApiError>`; errors carry the
//! server's problem+json message so the rep sees why, never a silent failure.

use crate::i18n::{Locale, Msg};
use api::endpoints::{Call, Csv, Method};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The request never got an answer.
    Network,
    /// The server answered with an error (problem+json).
    Problem {
        status: u16,
        detail: String,
        field: Option<String>,
        /// The detail is the server's problem+json (in the language asked for), not a status
        /// line from something in between.
        from_server: bool,
    },
    /// The server answered with something that is not what the contract says.
    Unexpected(String),
}

impl ApiError {
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Problem { status: 401, .. })
    }

    /// What to show the rep: the server's own words, which are specific (which field, which
    /// rule) and in the language the request asked for; a sentence of ours where the server
    /// said nothing usable.
    pub fn message(&self, locale: Locale) -> String {
        let msg = match self {
            ApiError::Network => Msg::ErrorNetwork,
            ApiError::Problem {
                detail,
                from_server: true,
                ..
            } if !detail.trim().is_empty() => return detail.clone(),
            ApiError::Problem { status: 401, .. } => Msg::ErrorSession,
            ApiError::Problem {
                status: 400 | 409 | 422,
                ..
            } => Msg::ErrorRequest,
            ApiError::Problem { status: 404, .. } => Msg::ErrorNotFound,
            ApiError::Problem { .. } => Msg::ErrorServer,
            ApiError::Unexpected(_) => Msg::ErrorUnexpected,
        };
        locale.t(msg).to_owned()
    }
}

/// Where the API is and who is calling.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiClient {
    /// e.g. `/api/v1`, or `https://api.example.com/api/v1` when hosted elsewhere.
    pub base: String,
    pub token: Option<String>,
    /// The language refusals come back in (`Accept-Language`).
    pub locale: Locale,
}

impl ApiClient {
    pub fn new(base: impl Into<String>, token: Option<String>, locale: Locale) -> Self {
        Self {
            base: base.into(),
            token,
            locale,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base.trim_end_matches('/'), path)
    }

    fn authorized(&self, builder: RequestBuilder) -> RequestBuilder {
        let builder = builder.header("Accept-Language", self.locale.code());
        match &self.token {
            Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
            None => builder,
        }
    }

    /// One of the API's calls (`api::endpoints`), answered as its type says.
    pub async fn call<A: DeserializeOwned>(&self, call: Call<A>) -> Result<A, ApiError> {
        let url = self.url(&call.path);
        let builder = self.authorized(match call.method {
            Method::Get => Request::get(&url),
            Method::Post => Request::post(&url),
            Method::Put => Request::put(&url),
            Method::Patch => Request::patch(&url),
            Method::Delete => Request::delete(&url),
        });
        let request = match call.body {
            Some(body) => builder.header("Content-Type", call.content_type).body(body),
            None => builder.build(),
        };
        decode(request.map_err(unwritable)?.send().await).await
    }

    /// A file to hand the rep as it came (a CSV export): its bytes, byte-order mark included.
    pub async fn get_file(&self, call: Call<Csv>) -> Result<Vec<u8>, ApiError> {
        let request = self.authorized(Request::get(&self.url(&call.path))).build();
        let response = request
            .map_err(unwritable)?
            .send()
            .await
            .map_err(|_| ApiError::Network)?;
        if response.ok() {
            response.binary().await.map_err(|_| ApiError::Network)
        } else {
            Err(problem(response).await)
        }
    }
}

async fn decode<T: DeserializeOwned>(
    response: Result<Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = response.map_err(|_| ApiError::Network)?;
    if response.ok() {
        let body = response.text().await.map_err(|_| ApiError::Network)?;
        // No content (204) reads as `()`, or as `None` where content may come.
        let body = if body.is_empty() {
            "null".to_owned()
        } else {
            body
        };
        // Where, not serde's sentence: formatting its sentence (with the offending value quoted)
        // would add kilobytes of formatting code to the first download.
        serde_json::from_str(&body).map_err(|e| {
            ApiError::Unexpected(format!(
                "the response does not match the contract ({:?} error at line {}, column {})",
                e.classify(),
                e.line(),
                e.column()
            ))
        })
    } else {
        Err(problem(response).await)
    }
}

/// A request that could not be written (the browser refused its URL or headers).
fn unwritable(error: gloo_net::Error) -> ApiError {
    ApiError::Unexpected(match error {
        gloo_net::Error::JsError(error) => error.message,
        gloo_net::Error::GlooError(message) => message,
        gloo_net::Error::SerdeError(_) => "the request body could not be written".to_owned(),
    })
}

async fn problem(response: Response) -> ApiError {
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    let read = read_problem(status, body).await;
    // Without its reader (the network failed meanwhile), the status still says what happened.
    read.ok().flatten().unwrap_or_else(|| ApiError::Problem {
        status,
        detail: format!("HTTP {status} {}", response.status_text()),
        field: None,
        from_server: false,
    })
}

crate::own_piece! {
    problem_reader;
    /// The server's problem+json, or `None` when the body is not one (a proxy's page, say).
    /// A piece of its own: only a refusal needs it, and most visits have none.
    fn read_problem(
        status: u16,
        body: String,
    ) -> Result<Option<ApiError>, leptos::wasm_split::SplitLoaderError> {
        Ok(serde_json::from_str::<api::Problem>(&body)
            .ok()
            .map(|problem| ApiError::Problem {
                status,
                detail: problem.detail,
                field: problem.field,
                from_server: true,
            }))
    }
}
