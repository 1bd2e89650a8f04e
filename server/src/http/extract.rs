//! axum's JSON body and query extractors, with their rejections turned into problem+json; the
//! client's address, language and cookies.

use super::Error;
use api::Text;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts};

/// A JSON object body. Not JSON at all (or not declared as JSON) is 400; JSON of the wrong shape
/// (a missing or mistyped field, or not an object) is 422 naming the field.
pub struct JsonBody<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Error;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Error> {
        let declared = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime == "application/json" || mime.ends_with("+json")
            });
        if !declared {
            return Err(Error::unreadable(
                "The body is not valid",
                "リクエストの内容を読み取れません",
                "send it as Content-Type: application/json",
            ));
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| {
                Error::unreadable(
                    "The body could not be read",
                    "リクエストの内容を読み取れません",
                    e.body_text(),
                )
            })?;
        parse_object(&bytes).map(JsonBody)
    }
}

/// A JSON object as `T`; see `JsonBody` for what each fault answers.
fn parse_object<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let shape = |why: String, field: String| Error::Unprocessable {
        field,
        message: Text::new(
            format!("A field is missing or not valid: {why}"),
            format!("項目が足りないか、正しくありません（{why}）"),
        ),
    };
    // Serde reads a struct from an array too (`[null, null]`); every body here is an object.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{')
        && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
    {
        return Err(shape(
            "the body must be a JSON object".into(),
            "body".into(),
        ));
    }
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut reader);
    let error = match parsed {
        Ok(value) => {
            return match reader.end() {
                Ok(()) => Ok(value),
                Err(trailing) => Err(Error::unreadable(
                    "The body is not valid JSON",
                    "リクエストの内容が JSON として読み取れません",
                    trailing,
                )),
            }
        }
        Err(error) => error,
    };
    let path = error.path().to_string();
    let inner = error.into_inner();
    if !inner.is_data() {
        return Err(Error::unreadable(
            "The body is not valid JSON",
            "リクエストの内容が JSON として読み取れません",
            inner,
        ));
    }
    let at = if path == "." { None } else { Some(path) };
    let why = inner.to_string();
    let missing = why
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    let field = match (at, missing) {
        (None, Some(name)) => name.to_owned(),
        (Some(at), Some(name)) => format!("{at}.{name}"),
        (Some(at), None) => at,
        (None, None) => "body".to_owned(),
    };
    Err(shape(why, field))
}

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Error))]
pub struct QueryParams<T>(pub T);

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
    parse_object(body)
}

/// The address of the client that sent the request: the TCP peer's, or, behind a load balancer
/// configured with `--client-ip-header`, the last address that header lists (the one the balancer
/// itself appended; earlier ones are the client's to forge). A request routed in-process (the
/// bench) has none.
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl FromRequestParts<super::ApiContext> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        ctx: &super::ApiContext,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::ConnectInfo;
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip());
        let forwarded = ctx.config.client_ip_header.as_deref().and_then(|name| {
            let values = parts.headers.get_all(name);
            let last = values.iter().next_back()?.to_str().ok()?;
            last.rsplit(',').next()?.trim().parse().ok()
        });
        Ok(ClientAddress(forwarded.or(peer)))
    }
}

/// The language the caller prefers (`Accept-Language`), English when it says none we speak.
pub(super) fn callers_lang(headers: &axum::http::HeaderMap) -> api::Lang {
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .map(api::Lang::from_accept_language)
        .unwrap_or_default()
}

/// The value of the cookie `name` the request carries, if any.
pub(super) fn cookie<'h>(headers: &'h axum::http::HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::{parse_object, Error};

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        title: String,
        #[serde(default)]
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: i64,
    }

    fn field(body: &str) -> Option<String> {
        match parse_object::<Body>(body.as_bytes()) {
            Err(Error::Unprocessable { field, .. }) => Some(field),
            Err(Error::BadRequest { .. }) => Some("400".into()),
            _ => None,
        }
    }

    #[test]
    fn each_fault_names_its_field_or_is_400() {
        assert_eq!(field(r#"{"title": "x"}"#), None);
        assert_eq!(field("{}").as_deref(), Some("title"));
        assert_eq!(field(r#"{"title": 1}"#).as_deref(), Some("title"));
        assert_eq!(
            field(r#"{"title": "x", "items": [{}]}"#).as_deref(),
            Some("items[0].id")
        );
        assert_eq!(
            field(r#"{"title": "x", "items": [{"id": "a"}]}"#).as_deref(),
            Some("items[0].id")
        );
        assert_eq!(field(r#"["x"]"#).as_deref(), Some("body"));
        assert_eq!(field(r#"{"title": "#).as_deref(), Some("400"));
        assert_eq!(field("not json").as_deref(), Some("400"));
        assert_eq!(field(r#"{"title": "x"} trailing"#).as_deref(), Some("400"));
    }
}
