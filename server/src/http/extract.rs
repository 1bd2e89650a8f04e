//! axum's JSON body and query extractors, with their rejections turned into problem+json.

use super::Error;
use api::Text;
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
        match rejection {
            // JSON, but a field is missing or of the wrong type: 422 naming the field.
            JsonRejection::JsonDataError(error) => {
                let why = error.body_text();
                let why = why
                    .strip_prefix("Failed to deserialize the JSON body into the target type: ")
                    .unwrap_or(&why);
                Error::Unprocessable {
                    field: field_of(why),
                    message: Text::new(
                        format!("A field is missing or not valid: {why}"),
                        format!("項目が足りないか、正しくありません（{why}）"),
                    ),
                }
            }
            rejection => Error::unreadable(
                "The body is not valid",
                "リクエストの内容を読み取れません",
                rejection.body_text(),
            ),
        }
    }
}

/// The field a serde error is about, as a path (`recipients[0].person_id`), from its message:
/// `missing field `title` at …`, or `path: invalid type: … at …`.
fn field_of(why: &str) -> String {
    let (path, rest) = match why.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => (path, rest),
        _ => ("", why),
    };
    let missing = rest
        .strip_prefix("missing field `")
        .and_then(|r| r.split_once('`'))
        .map(|(name, _)| name);
    match (path, missing) {
        ("", Some(name)) | (".", Some(name)) => name.to_owned(),
        (path, Some(name)) => format!("{path}.{name}"),
        ("", None) | (".", None) => "body".to_owned(),
        (path, None) => path.to_owned(),
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

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn the_field_is_read_from_serdes_message() {
        assert_eq!(
            field_of("missing field `title` at line 1 column 2"),
            "title"
        );
        assert_eq!(
            field_of("recipients[0]: missing field `person_id` at line 1 column 40"),
            "recipients[0].person_id"
        );
        assert_eq!(
            field_of("due_at: invalid type: integer `1`, expected a string at line 1 column 11"),
            "due_at"
        );
        assert_eq!(
            field_of("invalid type: string \"x\", expected a map"),
            "body"
        );
    }
}
