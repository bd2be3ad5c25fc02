//! A ceiling on how much of a response is read, so that no answer can exhaust the caller's
//! memory: every response the client receives has its body wrapped before anything reads it.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use reqwest::ResponseBuilderExt;
use reqwest::StatusCode;
use reqwest::header::CONTENT_LENGTH;

/// The default limit: 32 MiB, far above any answer of the API (the largest lists are a few
/// hundred KiB).
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// The body of a response is larger than the limit. Travels as the source of the
/// `reqwest::Error` that reading the body returns, and becomes [`Error::ResponseTooLarge`](crate::Error).
#[derive(Debug)]
pub(crate) struct BodyTooLarge {
    pub status: StatusCode,
    pub limit: u64,
    pub content_length: Option<u64>,
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the response body is larger than the limit of {} bytes", self.limit)
    }
}

impl std::error::Error for BodyTooLarge {}

/// `response` with a body that ends in a [`BodyTooLarge`] error as soon as more than `limit`
/// bytes arrive, or at once when its `Content-Length` says it will be larger. Status, headers,
/// URL and the client's timeouts stay as they were.
pub(crate) fn limit_body(response: reqwest::Response, limit: u64) -> reqwest::Response {
    let content_length =
        response.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
    // A body with a `Content-Length` cannot be longer: hyper (HTTP/1) and h2 (HTTP/2) end it,
    // or fail, at that length, and reqwest drops the header when it decompresses. So a body
    // announced within the limit needs no wrapper (which costs a few allocations per call).
    if content_length.is_some_and(|declared| declared <= limit) {
        return response;
    }
    let url = response.url().clone();
    let (mut parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    // reqwest keeps the response URL (used in its error messages) in an extension.
    if let Ok(with_url) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(with_url.into_parts().0.extensions);
    }
    let body = LimitedBody { inner: body, read: 0, limit, status: parts.status, content_length, failed: false };
    reqwest::Response::from(http::Response::from_parts(parts, reqwest::Body::wrap(body)))
}

struct LimitedBody {
    inner: reqwest::Body,
    read: u64,
    limit: u64,
    status: StatusCode,
    content_length: Option<u64>,
    failed: bool,
}

impl LimitedBody {
    fn too_large(&mut self) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        self.failed = true;
        let error = BodyTooLarge { status: self.status, limit: self.limit, content_length: self.content_length };
        Poll::Ready(Some(Err(Box::new(error))))
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Body for LimitedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.failed {
            return Poll::Ready(None);
        }
        // Refuse a body announced as too large before reading any of it.
        if this.content_length.is_some_and(|declared| declared > this.limit) {
            return this.too_large();
        }
        match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
            Some(Ok(frame)) => {
                if let Some(data) = frame.data_ref() {
                    this.read = this.read.saturating_add(data.len() as u64);
                    if this.read > this.limit {
                        return this.too_large();
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Some(Err(error)) => Poll::Ready(Some(Err(Box::new(error)))),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.failed || self.inner.is_end_stream()
    }

    /// The inner body's hint, within the limit: readers size their buffer by it
    /// (`Response::content_length`), and a body announced above the limit is never read.
    fn size_hint(&self) -> SizeHint {
        let hint = self.inner.size_hint();
        if hint.lower() > self.limit {
            return SizeHint::default();
        }
        let mut within = SizeHint::new();
        within.set_lower(hint.lower());
        within.set_upper(hint.upper().map_or(self.limit, |upper| upper.min(self.limit)));
        within
    }
}
