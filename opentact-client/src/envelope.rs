//! Unwrapping the service's `{success, payload}` envelope into the payload or an error.

use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, Error, Result};

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

/// progenitor's `ResponseValue::from_response`, without copying the headers: they move into
/// the value (the generated `send` methods call this; see codegen's `sends.rs`).
pub(crate) async fn from_response<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> std::result::Result<ResponseValue<T>, progenitor_client::Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let full = response.bytes().await.map_err(progenitor_client::Error::ResponseBodyError)?;
    let inner = serde_json::from_slice(&full).map_err(|e| progenitor_client::Error::InvalidResponsePayload(full, e))?;
    Ok(ResponseValue::new(inner, status, headers))
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
    let request_id = ApiError::request_id(response.headers());
    match response.into_inner().into_parts() {
        EnvelopeParts { success: true, payload: Some(payload), .. } => Ok(payload),
        EnvelopeParts { success: false, message, status: server_status, .. } => Err(Error::Api(Box::new(ApiError {
            operation,
            status,
            message: message.unwrap_or_else(|| "the service answered \"success\": false".into()),
            server_status,
            request_id,
        }))),
        EnvelopeParts { payload: None, .. } => Err(Error::Decode(Box::new(DecodeError {
            operation,
            status: Some(status),
            path: "payload".into(),
            message: "missing field `payload` in a successful response".into(),
            body_start: String::new(),
        }))),
    }
}
