//! The one error type of the client, and how transport and decoding failures become it.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::redirect::{RedirectRefused, not_followed};
use crate::response_limit::BodyTooLarge;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong calling the Opentact API.
///
/// Every variant says which operation failed (its `operationId`, e.g. `CreateTNOrder`).
/// Messages never contain the API token.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error status, or with `"success": false`.
    Api(Box<ApiError>),
    /// The request or the response took longer than the configured timeout.
    Timeout(Box<TransportError>),
    /// The service could not be reached, or the connection broke.
    Connection(Box<TransportError>),
    /// The service answered, but the body is not what the operation returns.
    Decode(Box<DecodeError>),
    /// The request was rejected before anything was sent: a field breaks the spec's rules, or
    /// a type's builder rejected a value (`builder.try_into()?`).
    InvalidRequest(Box<InvalidRequest>),
    /// The service redirected the request to another origin (host, port or scheme) than the
    /// configured server, where the API token must not go; see
    /// [`redirect_policy`](crate::redirect_policy).
    Redirect(Box<RedirectError>),
    /// The response body is larger than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)); the
    /// rest of it was not read.
    ResponseTooLarge(Box<ResponseTooLarge>),
    /// The client could not be configured (a bad base URL, a token that is not a valid
    /// header value, a missing environment variable).
    Config(String),
}

/// An error answer from the service.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation that failed.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The service's `message`, or a description of the body when it sent no error body
    /// (an HTML page from a proxy, say).
    pub message: String,
    /// The `status` field of the service's error body, when present.
    pub server_status: Option<i64>,
    /// The request id the service or a proxy sent back (`x-request-id` and similar headers).
    pub request_id: Option<String>,
}

/// A timeout or connection failure.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// The operation that failed.
    pub operation: &'static str,
    /// The underlying HTTP client error.
    pub source: reqwest::Error,
}

/// A redirect the client refused to follow.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RedirectError {
    /// The operation that failed.
    pub operation: &'static str,
    /// The redirect's status (`301`, `302`, `303`, `307` or `308`).
    pub status: StatusCode,
    /// The origin the service pointed to (scheme, host and port; never the path or query).
    pub target: String,
    /// Why the redirect was refused.
    pub reason: String,
}

/// A response whose body is larger than the client's limit.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResponseTooLarge {
    /// The operation that failed.
    pub operation: &'static str,
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// The limit, in bytes.
    pub limit: u64,
    /// The size the response announced in `Content-Length`, when it announced one.
    pub content_length: Option<u64>,
}

/// A response body that does not decode as the operation's response.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation whose response failed to decode.
    pub operation: &'static str,
    /// The HTTP status, when known.
    pub status: Option<StatusCode>,
    /// Where in the body decoding stopped, as a path (`payload[3].tn.tn`); `.` for the root.
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The first bytes of the body, for diagnosis.
    pub body_start: String,
}

/// A request that breaks the spec's rules (a pattern, a range, a length).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct InvalidRequest {
    /// The operation that was not sent; `None` when a type's builder rejected a value before
    /// any operation was called.
    pub operation: Option<&'static str>,
    /// Every rule the request breaks.
    pub violations: Vec<Violation>,
}

/// One broken rule in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// JSON pointer of the field in the request body (`/tech_prefix`), the name of a path
    /// parameter (`uuid`), or empty when the problem is not about one field.
    pub field: String,
    /// What is wrong with it.
    pub problem: String,
}

const BODY_EXCERPT: usize = 200;

impl ApiError {
    /// The request id the service or a proxy sent back, from the first header that has one.
    pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
        // Parsed once, at compile time: this runs on every answer.
        static NAMES: [HeaderName; 5] = [
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("x-correlation-id"),
            HeaderName::from_static("request-id"),
            HeaderName::from_static("x-amzn-requestid"),
            HeaderName::from_static("cf-ray"),
        ];
        NAMES.iter().find_map(|name| headers.get(name).and_then(|v| v.to_str().ok())).map(str::to_string)
    }
}

impl Error {
    /// The `operationId` of the operation that failed, when the error belongs to one.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api(e) => Some(e.operation),
            Error::Timeout(e) | Error::Connection(e) => Some(e.operation),
            Error::Decode(e) => Some(e.operation),
            Error::InvalidRequest(e) => e.operation,
            Error::Redirect(e) => Some(e.operation),
            Error::ResponseTooLarge(e) => Some(e.operation),
            Error::Config(_) => None,
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => e.status,
            Error::Redirect(e) => Some(e.status),
            Error::ResponseTooLarge(e) => Some(e.status),
            _ => None,
        }
    }

    /// True for a `404 Not Found` answer.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// True when the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    pub(crate) fn invalid_request(operation: &'static str, violations: Vec<Violation>) -> Self {
        Error::InvalidRequest(Box::new(InvalidRequest { operation: Some(operation), violations }))
    }

    pub(crate) fn api(operation: &'static str, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        #[derive(Deserialize)]
        struct ErrorBody {
            message: Option<String>,
            status: Option<serde_json::Value>,
        }
        let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
        let server_status = parsed.as_ref().and_then(|b| b.status.as_ref()).and_then(|s| match s {
            serde_json::Value::Number(n) => n.as_i64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        });
        let message = match parsed.and_then(|b| b.message) {
            Some(message) => message,
            None if body.is_empty() => "empty response body".to_string(),
            None => {
                let content_type = headers
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("no content type");
                format!("unexpected {content_type} body: {}", excerpt(body))
            }
        };
        let request_id = ApiError::request_id(headers);
        Error::Api(Box::new(ApiError { operation, status, message, server_status, request_id }))
    }

    /// Maps what the generated client returned for a failed call. Bodies that do not decode
    /// are decoded again as `T` with path tracking, to say where they broke.
    pub(crate) async fn from_generated<T: DeserializeOwned>(
        operation: &'static str,
        error: progenitor_client::Error<()>,
    ) -> Self {
        use progenitor_client::Error as E;
        match error {
            E::CommunicationError(source) | E::ResponseBodyError(source) | E::InvalidUpgrade(source) => {
                Self::transport(operation, source)
            }
            E::InvalidResponsePayload(bytes, error) => Self::decode::<T>(operation, None, &bytes, &error),
            E::UnexpectedResponse(response) => {
                if let Some(refused) = response.status().is_redirection().then(|| not_followed(&response)).flatten() {
                    return Self::redirect(operation, &refused);
                }
                let status = response.status();
                let headers = response.headers().clone();
                match read_limited(response).await {
                    Ok(body) => Self::api(operation, status, &headers, &body),
                    Err(source) => Self::transport(operation, source),
                }
            }
            E::ErrorResponse(response) => {
                // Error statuses are not typed in the generated client (see codegen), so this
                // carries no body; keep the status.
                Self::api(operation, response.status(), response.headers(), b"")
            }
            E::InvalidRequest(message) | E::Custom(message) => {
                Self::invalid_request(operation, vec![Violation { field: String::new(), problem: message }])
            }
        }
    }

    fn redirect(operation: &'static str, refused: &RedirectRefused) -> Self {
        Error::Redirect(Box::new(RedirectError {
            operation,
            status: refused.status,
            target: refused.target.clone(),
            reason: refused.reason.clone(),
        }))
    }

    /// Maps an error of the HTTP client: the client's own refusals (a redirect, a body over the
    /// limit) travel as the source of a `reqwest::Error`.
    pub(crate) fn transport(operation: &'static str, source: reqwest::Error) -> Self {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&source);
        while let Some(error) = cause {
            if let Some(refused) = error.downcast_ref::<RedirectRefused>() {
                return Self::redirect(operation, refused);
            }
            if let Some(large) = error.downcast_ref::<BodyTooLarge>() {
                return Error::ResponseTooLarge(Box::new(ResponseTooLarge {
                    operation,
                    status: large.status,
                    limit: large.limit,
                    content_length: large.content_length,
                }));
            }
            cause = error.source();
        }
        let error = Box::new(TransportError { operation, source });
        if error.source.is_timeout() { Error::Timeout(error) } else { Error::Connection(error) }
    }

    /// Converts an error of the [raw](crate::raw) client for `operation` (its `operationId`).
    pub async fn from_raw(operation: &'static str, error: progenitor_client::Error<()>) -> Self {
        Self::from_generated::<serde_json::Value>(operation, error).await
    }

    /// Decodes `body` as `T` again, tracking the path, to describe why it failed.
    pub(crate) fn decode<T: DeserializeOwned>(
        operation: &'static str,
        status: Option<StatusCode>,
        body: &[u8],
        original: &serde_json::Error,
    ) -> Self {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let (path, message) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(e) => (e.path().to_string(), e.inner().to_string()),
            Ok(_) => (".".to_string(), original.to_string()),
        };
        Error::Decode(Box::new(DecodeError { operation, status, path, message, body_start: excerpt(body) }))
    }
}

/// Reads at most 64 KiB of an error body: enough for any message, bounded for hostile ones.
async fn read_limited(mut response: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    const LIMIT: usize = 64 * 1024;
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() >= LIMIT {
            body.truncate(LIMIT);
            break;
        }
    }
    Ok(body)
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(BODY_EXCERPT)]);
    let mut text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if body.len() > BODY_EXCERPT {
        text.push('…');
    }
    text
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Timeout(e) => write!(f, "{} failed: the request timed out", e.operation),
            Error::Connection(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::InvalidRequest(e) => e.fmt(f),
            Error::Redirect(e) => e.fmt(f),
            Error::ResponseTooLarge(e) => e.fmt(f),
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: HTTP {}: {}", self.operation, self.status, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// The message of a timeout says so; `source` is the HTTP client's error.
impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.source.is_timeout() {
            write!(f, "{} failed: the request timed out", self.operation)
        } else {
            write!(f, "{} failed: could not talk to the Opentact API: {}", self.operation, self.source)
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: the response does not decode at {}: {}", self.operation, self.path, self.message)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        write!(f, "; the body starts with {:?}", self.body_start)
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.operation {
            Some(operation) => write!(f, "{operation} was not sent: invalid request: ")?,
            None => f.write_str("invalid request: ")?,
        }
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed: refused a redirect (HTTP {}) to {}: {}",
            self.operation, self.status, self.target, self.reason
        )
    }
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: the response body (HTTP {}", self.operation, self.status)?;
        if let Some(length) = self.content_length {
            write!(f, ", Content-Length {length}")?;
        }
        write!(f, ") is larger than the limit of {} bytes; it was not read", self.limit)
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() { f.write_str(&self.problem) } else { write!(f, "{} {}", self.field, self.problem) }
    }
}

/// A value a generated type's builder rejected (`Type::builder()….try_into()`), so that `?`
/// works on it in functions that return this crate's [`Result`].
impl From<crate::types::error::ConversionError> for Error {
    fn from(error: crate::types::error::ConversionError) -> Self {
        Error::InvalidRequest(Box::new(InvalidRequest {
            operation: None,
            violations: vec![Violation { field: String::new(), problem: error.to_string() }],
        }))
    }
}

/// The one variant whose detail holds a cause is `Timeout`/`Connection` (the HTTP client's
/// error); the others keep what they know as fields (a refused redirect or a body over the
/// limit is the client's own decision, and a decode failure keeps its path and message).
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Timeout(e) | Error::Connection(e) => Some(&e.source),
            Error::Api(_)
            | Error::Decode(_)
            | Error::InvalidRequest(_)
            | Error::Redirect(_)
            | Error::ResponseTooLarge(_)
            | Error::Config(_) => None,
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl std::error::Error for ApiError {}
impl std::error::Error for DecodeError {}
impl std::error::Error for InvalidRequest {}
impl std::error::Error for RedirectError {}
impl std::error::Error for ResponseTooLarge {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types;

    fn order_without_numbers() -> Result<types::TnOrderNewParams> {
        Ok(types::TnOrderNewParams::builder().try_into()?)
    }

    #[test]
    fn each_detail_displays_what_its_error_displays() {
        let api = ApiError {
            operation: "CreateTNOrder",
            status: StatusCode::PAYMENT_REQUIRED,
            message: "Not enough account balance".into(),
            server_status: Some(402),
            request_id: Some("req-7".into()),
        };
        let decode = DecodeError {
            operation: "ListOrders",
            status: Some(StatusCode::OK),
            path: "payload[0].uuid".into(),
            message: "invalid length".into(),
            body_start: "{".into(),
        };
        let invalid = InvalidRequest {
            operation: Some("CreateTNOrder"),
            violations: vec![Violation { field: "/tns".into(), problem: "is required".into() }],
        };
        let redirect = RedirectError {
            operation: "ListOrders",
            status: StatusCode::FOUND,
            target: "https://elsewhere.example".into(),
            reason: "another host".into(),
        };
        let large =
            ResponseTooLarge { operation: "ListOrders", status: StatusCode::OK, limit: 10, content_length: Some(11) };
        let cases = [
            (api.to_string(), Error::Api(Box::new(api))),
            (decode.to_string(), Error::Decode(Box::new(decode))),
            (invalid.to_string(), Error::InvalidRequest(Box::new(invalid))),
            (redirect.to_string(), Error::Redirect(Box::new(redirect))),
            (large.to_string(), Error::ResponseTooLarge(Box::new(large))),
        ];
        for (detail, error) in &cases {
            assert_eq!(detail, &error.to_string());
            assert!(std::error::Error::source(error).is_none(), "{error:?} holds no cause");
        }
        let details: Vec<&str> = cases.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(
            details,
            [
                "CreateTNOrder failed: HTTP 402 Payment Required: Not enough account balance (request id req-7)",
                "ListOrders failed: the response does not decode at payload[0].uuid: invalid length (HTTP 200 OK); \
                 the body starts with \"{\"",
                "CreateTNOrder was not sent: invalid request: /tns is required",
                "ListOrders failed: refused a redirect (HTTP 302 Found) to https://elsewhere.example: another host",
                "ListOrders failed: the response body (HTTP 200 OK, Content-Length 11) is larger than the limit of 10 \
                 bytes; it was not read",
            ]
        );
    }

    #[tokio::test]
    async fn a_transport_error_has_the_http_clients_error_as_its_source() {
        // Nothing listens on port 1 of loopback: the connection is refused.
        let source = reqwest::Client::new().get("http://127.0.0.1:1/").send().await.unwrap_err();
        let expected = source.to_string();
        let error = Error::transport("ListOrders", source);
        let Error::Connection(detail) = &error else { panic!("{error:?}") };
        assert_eq!(detail.to_string(), error.to_string());
        let cause = std::error::Error::source(&error).expect("a cause");
        assert_eq!(cause.to_string(), expected);
        let cause = std::error::Error::source(&**detail).expect("a cause");
        assert_eq!(cause.to_string(), expected);
    }

    #[test]
    fn a_builder_error_is_an_invalid_request_that_names_the_field() {
        let error = order_without_numbers().unwrap_err();
        let Error::InvalidRequest(invalid) = &error else { panic!("{error:?}") };
        assert_eq!((invalid.operation, error.operation()), (None, None));
        assert_eq!(error.to_string(), "invalid request: no value supplied for items");
    }
}
