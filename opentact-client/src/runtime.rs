//! Small pieces the generated code calls: envelope unwrapping, request validation, path
//! parameter parsing, the operation table type, unknown enum values and file uploads.

use std::fmt;

use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, Violation};

/// One operation of the API, as the spec describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId` (the Opentact docs' heading), e.g. `CreateTNOrder`.
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path relative to the server URL, with `{name}` placeholders.
    pub path: &'static str,
    /// The name of the method on [`Client`](crate::Client) (and on the raw client).
    pub method_name: &'static str,
}

/// The `operationId` for a generated method name (progenitor reports method names to hooks).
pub(crate) fn operation_id(method_name: &str) -> &str {
    crate::OPERATIONS.iter().find(|op| op.method_name == method_name).map_or(method_name, |op| op.id)
}

/// The fields of a `{success, payload}` envelope.
pub(crate) struct EnvelopeParts<T> {
    pub success: bool,
    pub payload: Option<T>,
    pub message: Option<String>,
    pub status: Option<i64>,
}

/// How a generated envelope's `payload` field becomes an optional payload: typify makes
/// optional arrays plain `Vec`s (empty when absent) and boxes types that contain themselves.
pub(crate) trait IntoPayload<T> {
    fn into_payload(self) -> Option<T>;
}

impl<T> IntoPayload<T> for Option<T> {
    fn into_payload(self) -> Option<T> {
        self
    }
}

impl<T> IntoPayload<T> for Option<Box<T>> {
    fn into_payload(self) -> Option<T> {
        self.map(|boxed| *boxed)
    }
}

impl<T> IntoPayload<Vec<T>> for Vec<T> {
    fn into_payload(self) -> Option<Vec<T>> {
        Some(self)
    }
}

/// Implemented by the generated envelope types.
pub(crate) trait Envelope {
    type Payload;
    fn into_parts(self) -> EnvelopeParts<Self::Payload>;
}

/// The payload of a successful call, or the error it really was.
pub(crate) async fn payload<E: Envelope + DeserializeOwned>(
    operation: &'static str,
    result: std::result::Result<ResponseValue<E>, progenitor_client::Error<()>>,
) -> Result<E::Payload> {
    let response = match result {
        Ok(response) => response,
        Err(error) => return Err(Error::from_generated::<E>(operation, error).await),
    };
    let status = response.status();
    let headers = response.headers().clone();
    let parts = response.into_inner().into_parts();
    match parts {
        EnvelopeParts { success: true, payload: Some(payload), .. } => Ok(payload),
        EnvelopeParts { success: false, message, status: server_status, .. } => {
            let body = serde_json::json!({
                "message": message.unwrap_or_else(|| "the service answered \"success\": false".into()),
                "status": server_status,
            });
            Err(Error::api(operation, status, &headers, body.to_string().as_bytes()))
        }
        EnvelopeParts { payload: None, .. } => Err(Error::Decode(Box::new(crate::DecodeError {
            operation,
            status: Some(status),
            path: "payload".into(),
            message: "missing field `payload` in a successful response".into(),
            body_start: String::new(),
        }))),
    }
}

/// Parses a constrained path parameter (a pattern-checked string), so that nothing a caller
/// passes can change the request path.
pub(crate) fn parse_param<T: std::str::FromStr>(operation: &'static str, name: &str, value: &str) -> Result<T>
where
    T::Err: fmt::Display,
{
    value.parse().map_err(|e: T::Err| {
        Error::invalid_request(operation, vec![Violation { field: name.to_string(), problem: e.to_string() }])
    })
}

/// One step from a JSON value to a nested one.
#[derive(Debug)]
pub(crate) enum Step {
    /// An object member.
    Key(&'static str),
    /// Every item of an array.
    Each,
}

/// A constraint of the spec.
#[derive(Debug)]
#[allow(dead_code)] // codegen emits the checks the spec uses; today no body has maxItems
pub(crate) enum Check {
    Minimum(f64),
    Maximum(f64),
    MinLength(usize),
    MaxLength(usize),
    MinItems(usize),
    MaxItems(usize),
    Pattern(&'static str),
    Url,
}

/// A constraint on the value(s) at a path of a request body.
#[derive(Debug)]
pub(crate) struct Rule {
    pub path: &'static [Step],
    pub check: Check,
}

/// Checks a request body against the spec's rules before it is sent. Works on the JSON the
/// body serialises to, which is exactly what the service would see.
pub(crate) fn validate<T: Serialize>(operation: &'static str, body: &T, rules: &[Rule]) -> Result<()> {
    let json = serde_json::to_value(body).map_err(|e| {
        Error::invalid_request(
            operation,
            vec![Violation { field: String::new(), problem: format!("cannot be serialised: {e}") }],
        )
    })?;
    let mut violations = Vec::new();
    for rule in rules {
        visit(&json, rule.path, String::new(), &mut |value, pointer| {
            if let Some(problem) = broken(&rule.check, value) {
                violations.push(Violation { field: pointer, problem });
            }
        });
    }
    if violations.is_empty() { Ok(()) } else { Err(Error::invalid_request(operation, violations)) }
}

fn visit(value: &serde_json::Value, path: &[Step], pointer: String, found: &mut dyn FnMut(&serde_json::Value, String)) {
    match path.split_first() {
        None => found(value, if pointer.is_empty() { "/".into() } else { pointer }),
        Some((Step::Key(key), rest)) => {
            if let Some(child) = value.get(*key).filter(|v| !v.is_null()) {
                visit(child, rest, format!("{pointer}/{key}"), found);
            }
        }
        Some((Step::Each, rest)) => {
            for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                visit(item, rest, format!("{pointer}/{i}"), found);
            }
        }
    }
}

fn broken(check: &Check, value: &serde_json::Value) -> Option<String> {
    let chars = || value.as_str().map(|s| s.chars().count());
    let items = || value.as_array().map(Vec::len);
    match *check {
        Check::Minimum(min) => value.as_f64().filter(|v| *v < min).map(|v| format!("is {v}, below the minimum {min}")),
        Check::Maximum(max) => value.as_f64().filter(|v| *v > max).map(|v| format!("is {v}, above the maximum {max}")),
        Check::MinLength(n) => chars().filter(|c| *c < n).map(|c| format!("has {c} characters, fewer than {n}")),
        Check::MaxLength(n) => chars().filter(|c| *c > n).map(|c| format!("has {c} characters, more than {n}")),
        Check::MinItems(n) => items().filter(|c| *c < n).map(|c| format!("has {c} items, fewer than {n}")),
        Check::MaxItems(n) => items().filter(|c| *c > n).map(|c| format!("has {c} items, more than {n}")),
        Check::Pattern(pattern) => {
            let text = value.as_str()?;
            let regex = regress::Regex::new(pattern).ok()?;
            regex.find(text).is_none().then(|| format!("does not match {pattern}"))
        }
        Check::Url => {
            let text = value.as_str()?;
            match reqwest::Url::parse(text) {
                Ok(url) if matches!(url.scheme(), "http" | "https") => None,
                Ok(url) => Some(format!("has the scheme {}; use http or https", url.scheme())),
                Err(e) => Some(format!("is not an absolute URL ({e})")),
            }
        }
    }
}

/// An enum value the spec does not list, exactly as the service sent it. Only decoding
/// creates one, so requests cannot carry undocumented values; echoing one back is fine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    json: serde_json::Value,
    text: String,
}

impl UnknownValue {
    /// The raw JSON value.
    pub fn as_json(&self) -> &serde_json::Value {
        &self.json
    }

    /// The value as text (a string's contents, or the JSON of anything else).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::hash::Hash for UnknownValue {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.json.to_string().hash(state);
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for UnknownValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for UnknownValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let json = serde_json::Value::deserialize(deserializer)?;
        let text = match &json {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        Ok(UnknownValue { json, text })
    }
}

/// A string that is not one of an enum's documented values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownVariant {
    /// The enum's name in the spec.
    pub enum_name: &'static str,
    /// The value that was given.
    pub value: String,
}

impl UnknownVariant {
    pub(crate) fn new(enum_name: &'static str, value: &str) -> Self {
        UnknownVariant { enum_name, value: value.to_string() }
    }
}

impl fmt::Display for UnknownVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a documented {} value", self.value, self.enum_name)
    }
}

impl std::error::Error for UnknownVariant {}

/// A file sent as a `multipart/form-data` field.
#[derive(Clone, Debug)]
pub struct Upload {
    bytes: Vec<u8>,
    file_name: String,
    content_type: String,
}

impl Upload {
    /// An XML document (content type `application/xml`), such as a call flow.
    pub fn xml(document: impl Into<Vec<u8>>) -> Self {
        Upload::new(document, "call_flow.xml", "application/xml")
    }

    /// Any file.
    pub fn new(bytes: impl Into<Vec<u8>>, file_name: impl Into<String>, content_type: impl Into<String>) -> Self {
        Upload { bytes: bytes.into(), file_name: file_name.into(), content_type: content_type.into() }
    }

    pub(crate) fn into_part(self) -> reqwest::Result<reqwest::multipart::Part> {
        reqwest::multipart::Part::bytes(self.bytes).file_name(self.file_name).mime_str(&self.content_type)
    }
}
