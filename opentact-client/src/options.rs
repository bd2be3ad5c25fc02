//! Per-call settings: [`Client::with_options`](crate::Client::with_options) gives a view of a
//! client whose calls use another timeout, retry policy or extra headers.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::retry::RetryPolicy;

/// The settings of the calls made through a view from
/// [`Client::with_options`](crate::Client::with_options). Each starts from the client's own.
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    /// Replaces the client's timeout for each attempt; `None` keeps it.
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    /// Added to every request; they never replace the token or the user agent.
    pub(crate) headers: HeaderMap,
    /// Headers that could not be sent (a bad name or value): calls fail with
    /// `Error::InvalidRequest` naming them, before anything is sent.
    pub(crate) invalid_headers: Vec<String>,
}

impl RequestOptions {
    /// Limit of one attempt, from connecting to the end of the body (instead of the client's).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// When to retry (instead of the client's policy), e.g. [`RetryPolicy::none`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// A header sent with every call, e.g. `header("x-request-id", "order-7")`; a second value
    /// for the same name replaces the first. `X-Auth-Token` and `User-Agent` stay the
    /// client's. A name or value a header cannot carry makes each call fail with
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything is sent.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(name), Ok(mut value)) => {
                // It may carry a credential: `Debug` of the client never shows it.
                value.set_sensitive(true);
                self.headers.insert(name, value);
            }
            (Err(_), _) => self.invalid_headers.push(format!("{name:?} is not a valid header name")),
            (_, Err(_)) => self.invalid_headers.push(format!("the value of header {name} is not a valid header value")),
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_kept_or_reported() {
        let options = RequestOptions::default().header("x-request-id", "a").header("x-request-id", "b");
        assert_eq!(options.headers.get("x-request-id").map(|v| v.to_str().ok()), Some(Some("b")));
        assert!(options.invalid_headers.is_empty());

        let options = RequestOptions::default().header("bad name", "x").header("x-ok", "line\nbreak");
        assert!(options.headers.is_empty());
        assert_eq!(options.invalid_headers.len(), 2, "{:?}", options.invalid_headers);
        assert!(options.invalid_headers[0].contains("bad name"));
        assert!(options.invalid_headers[1].contains("x-ok"));
    }
}
