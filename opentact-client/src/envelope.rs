//! Unwrapping the service's `{success, payload}` envelope into the payload or an error.

use std::cell::Cell;
use std::collections::HashMap;

use bytes::Bytes;
use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, Error, Result};

tokio::task_local! {
    /// The status of the response whose body did not decode, set by [`from_response`] within a
    /// facade call ([`call`]): progenitor's `Error::InvalidResponsePayload` carries no status.
    static UNDECODED_STATUS: Cell<Option<StatusCode>>;
}

/// The fields of a `{success, payload}` envelope.
pub(crate) struct EnvelopeParts<T> {
    pub success: bool,
    pub payload: Option<T>,
    pub message: Option<String>,
    pub status: Option<i64>,
}

/// How a generated envelope's `payload` field becomes an optional payload: typify makes
/// optional arrays and maps plain `Vec`s and maps (empty when absent) and boxes types that
/// contain themselves.
pub(crate) trait IntoPayload<T> {
    fn into_payload(self) -> Option<T>;
    /// Whether the payload was sent (an envelope returned whole still needs its payload).
    fn is_present(&self) -> bool;
}

impl<T> IntoPayload<T> for Option<T> {
    fn into_payload(self) -> Option<T> {
        self
    }
    fn is_present(&self) -> bool {
        self.is_some()
    }
}

impl<T> IntoPayload<T> for Option<Box<T>> {
    fn into_payload(self) -> Option<T> {
        self.map(|boxed| *boxed)
    }
    fn is_present(&self) -> bool {
        self.is_some()
    }
}

impl<T> IntoPayload<Vec<T>> for Vec<T> {
    fn into_payload(self) -> Option<Vec<T>> {
        Some(self)
    }
    fn is_present(&self) -> bool {
        true
    }
}

impl IntoPayload<serde_json::Map<String, serde_json::Value>> for serde_json::Map<String, serde_json::Value> {
    fn into_payload(self) -> Option<Self> {
        Some(self)
    }
    fn is_present(&self) -> bool {
        true
    }
}

impl<T> IntoPayload<HashMap<String, T>> for HashMap<String, T> {
    fn into_payload(self) -> Option<Self> {
        Some(self)
    }
    fn is_present(&self) -> bool {
        true
    }
}

/// Implemented by the generated envelope types.
pub(crate) trait Envelope {
    type Payload;
    /// The envelope's `success`.
    fn succeeded(&self) -> bool;
    fn into_parts(self) -> EnvelopeParts<Self::Payload>;
}

/// progenitor's `ResponseValue::from_response`, without copying the headers: they move into
/// the value (the generated `send` methods call this; see codegen's `sends.rs`), and without
/// copying the body when it arrived in one piece (see [`read_body`]).
pub(crate) async fn from_response<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> std::result::Result<ResponseValue<T>, progenitor_client::Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let full = read_body(response).await.map_err(progenitor_client::Error::ResponseBodyError)?;
    match serde_json::from_slice(&full) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(e) => {
            // Outside a facade call (the raw client) there is no one to tell.
            let _ = UNDECODED_STATUS.try_with(|undecoded| undecoded.set(Some(status)));
            Err(progenitor_client::Error::InvalidResponsePayload(full, e))
        }
    }
}

/// The whole body of `response`, in one buffer. A body that arrives in one chunk is that
/// chunk; a longer one is copied once into a buffer of its announced length (as the chunks
/// arrive, each freed once copied), so it peaks at about its size, not twice it (as
/// collecting every chunk and then joining them would). `reqwest::Response::bytes` does
/// the latter.
pub(crate) async fn read_body(mut response: reqwest::Response) -> reqwest::Result<Bytes> {
    // The announced length, bounded by the client's limit (see `response_limit`).
    let announced = response.content_length().and_then(|n| usize::try_from(n).ok());
    let Some(first) = response.chunk().await? else { return Ok(Bytes::new()) };
    let Some(second) = response.chunk().await? else { return Ok(first) };
    let mut body = Vec::with_capacity(announced.unwrap_or(0).max(first.len() + second.len()));
    body.extend_from_slice(&first);
    drop(first);
    body.extend_from_slice(&second);
    drop(second);
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(body))
}

/// A facade call: `send` (the raw client's call) and then [`payload`], with what the error of a
/// body that does not decode needs to know (its status) kept for the call's duration.
pub(crate) async fn call<E: Envelope + DeserializeOwned>(
    operation: &'static str,
    send: impl Future<Output = std::result::Result<ResponseValue<E>, progenitor_client::Error<()>>>,
) -> Result<E::Payload> {
    UNDECODED_STATUS.scope(Cell::new(None), async move { payload(operation, send.await).await }).await
}

/// A facade call of an operation whose successes have no body (`204`): `()`, or the error it
/// really was. Leniently, a 2xx the spec does not list (a `200` with a body) is a success too,
/// unless its body is the service's `{"success": false, ...}`.
#[allow(dead_code, reason = "generated code calls it for operations without a success body; the spec has none yet")]
pub(crate) async fn call_empty(
    operation: &'static str,
    send: impl Future<Output = std::result::Result<ResponseValue<()>, progenitor_client::Error<()>>>,
) -> Result<()> {
    #[derive(serde::Deserialize)]
    struct Outcome {
        success: bool,
    }
    match send.await {
        Ok(_) => Ok(()),
        Err(progenitor_client::Error::UnexpectedResponse(response)) if response.status().is_success() => {
            let status = response.status();
            let headers = response.headers().clone();
            let body = read_body(response).await.map_err(|source| Error::transport(operation, source))?;
            match serde_json::from_slice::<Outcome>(&body) {
                Ok(Outcome { success: false }) => Err(Error::api(operation, status, &headers, &body)),
                _ => Ok(()),
            }
        }
        Err(error) => Err(Error::from_generated::<serde_json::Value>(operation, error).await),
    }
}

/// The payload of a successful call, or the error it really was.
pub(crate) async fn payload<E: Envelope + DeserializeOwned>(
    operation: &'static str,
    result: std::result::Result<ResponseValue<E>, progenitor_client::Error<()>>,
) -> Result<E::Payload> {
    let response = match result {
        Ok(response) => response,
        Err(progenitor_client::Error::InvalidResponsePayload(bytes, error)) => {
            let status = UNDECODED_STATUS.try_with(Cell::take).ok().flatten();
            return Err(Error::decode::<E>(operation, status, &bytes, &error));
        }
        Err(error) => return Err(Error::from_generated::<E>(operation, error).await),
    };
    let status = response.status();
    // Only an error needs the request id (a few header lookups).
    let request_id = if response.succeeded() { None } else { ApiError::request_id(response.headers()) };
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

#[cfg(test)]
mod tests {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use http_body::{Frame, SizeHint};

    use super::*;
    use crate::peak_alloc;

    const CHUNK: usize = 16 * 1024;
    const CHUNKS: usize = 64;

    /// A body of `CHUNKS` chunks, each allocated when it is read (as a socket's would be).
    struct Chunks {
        left: usize,
    }

    impl http_body::Body for Chunks {
        type Data = Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<std::result::Result<Frame<Bytes>, Self::Error>>> {
            if self.left == 0 {
                return Poll::Ready(None);
            }
            self.left -= 1;
            let byte = b'a' + (self.left % 26) as u8;
            Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![byte; CHUNK])))))
        }

        fn size_hint(&self) -> SizeHint {
            SizeHint::with_exact((self.left * CHUNK) as u64)
        }
    }

    fn response(chunks: usize) -> reqwest::Response {
        let body = reqwest::Body::wrap(Chunks { left: chunks });
        reqwest::Response::from(http::Response::new(body))
    }

    fn answer(status: u16, body: &'static str) -> reqwest::Response {
        let response = http::Response::builder().status(status).body(body).expect("a response");
        reqwest::Response::from(response)
    }

    fn call_empty_with(result: std::result::Result<ResponseValue<()>, progenitor_client::Error<()>>) -> Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
        runtime.block_on(call_empty("TouchThing", async { result }))
    }

    #[test]
    fn an_empty_success_is_unit() {
        let value = ResponseValue::new((), StatusCode::NO_CONTENT, Default::default());
        assert!(call_empty_with(Ok(value)).is_ok());
        // Leniently, a 2xx the spec does not list is a success too, unless it says otherwise.
        let unlisted = progenitor_client::Error::UnexpectedResponse(answer(200, r#"{"success": true}"#));
        assert!(call_empty_with(Err(unlisted)).is_ok());
        let refused = answer(200, r#"{"success": false, "message": "no such thing"}"#);
        match call_empty_with(Err(progenitor_client::Error::UnexpectedResponse(refused))) {
            Err(Error::Api(api)) => {
                assert_eq!((api.status, api.message.as_str()), (StatusCode::OK, "no such thing"));
            }
            other => panic!("expected an API error, got {other:?}"),
        }
        let not_found = answer(404, r#"{"success": false, "message": "gone"}"#);
        match call_empty_with(Err(progenitor_client::Error::UnexpectedResponse(not_found))) {
            Err(Error::Api(api)) => assert_eq!((api.status, api.operation), (StatusCode::NOT_FOUND, "TouchThing")),
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    #[test]
    fn maps_and_free_form_payloads_are_present_even_when_empty() {
        let map: HashMap<String, u8> = HashMap::new();
        assert!(IntoPayload::is_present(&map));
        assert_eq!(IntoPayload::into_payload(map), Some(HashMap::new()));
        let fields = serde_json::Map::new();
        assert!(IntoPayload::is_present(&fields));
        assert!(!IntoPayload::<String>::is_present(&None::<String>));
        assert!(IntoPayload::<String>::is_present(&Some(Box::new("x".to_string()))));
    }

    #[test]
    fn a_body_in_many_chunks_is_held_once() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
        let expected: Vec<u8> = (0..CHUNKS).rev().flat_map(|i| vec![b'a' + (i % 26) as u8; CHUNK]).collect();
        let response = response(CHUNKS);

        let baseline = peak_alloc::live();
        peak_alloc::reset();
        let body = runtime.block_on(read_body(response)).expect("the body");
        let peak = peak_alloc::peak_since_reset(baseline);

        assert!(body[..] == expected[..], "the body arrives whole and in order");
        let size = (CHUNK * CHUNKS) as isize;
        // The buffer, plus one chunk in flight and small change; collecting the chunks and then
        // joining them would hold twice the size.
        assert!(peak < size + size / 8, "peak {peak} bytes for a body of {size}");
    }

    #[test]
    fn a_body_in_one_chunk_is_not_copied() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
        let response = response(1);
        let baseline = peak_alloc::live();
        peak_alloc::reset();
        let body = runtime.block_on(read_body(response)).expect("the body");
        assert_eq!(body.len(), CHUNK);
        assert!(peak_alloc::peak_since_reset(baseline) < (CHUNK + CHUNK / 8) as isize);
    }
}
