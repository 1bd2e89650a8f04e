//! axum's JSON body and query extractors, with their rejections turned into problem+json.

use super::Error;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct JsonBody<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Error))]
pub struct QueryParams<T>(pub T);

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        Error::unreadable(
            "The body is not valid",
            "リクエストの内容を読み取れません",
            rejection.body_text(),
        )
    }
}

impl From<QueryRejection> for Error {
    fn from(rejection: QueryRejection) -> Self {
        Error::unreadable(
            "The query is not valid",
            "URL のパラメーターを読み取れません",
            rejection.body_text(),
        )
    }
}

/// A JSON body that may be absent (an empty body means the defaults).
pub fn optional_json<T: Default + serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        Error::unreadable(
            "The body is not valid",
            "リクエストの内容を読み取れません",
            e,
        )
    })
}

/// The address of the client that sent the request (its TCP peer), when the server knows it: a
/// request routed in-process (the bench) has none.
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::ConnectInfo;
        Ok(ClientAddress(
            parts
                .extensions
                .get::<ConnectInfo<std::net::SocketAddr>>()
                .map(|ConnectInfo(address)| address.ip()),
        ))
    }
}
