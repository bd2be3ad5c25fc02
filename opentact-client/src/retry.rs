//! Retries: the policy (when a failed attempt is tried again, and how long to wait first),
//! the classification of an attempt's outcome, and the loop that sends a request under a
//! policy ([`send`]). The client's `exec` hook calls `send`; nothing else retries.

use std::time::{Duration, SystemTime};

use reqwest::header::RETRY_AFTER;
use reqwest::{Method, StatusCode};

/// How many times, and how patiently, a request is retried.
///
/// Retries are on by default, for what is safe to repeat:
/// - any request answered `429 Too Many Requests` or `503 Service Unavailable` (the service
///   did not process it), and any request that failed to connect (it was never sent);
/// - requests with an idempotent method (RFC 9110, section 9.2.2: `GET`, `HEAD`, `OPTIONS`,
///   `PUT` and `DELETE`; of these the API uses `GET`, `PUT` and `DELETE`) also on `502`,
///   `504`, timeouts and broken connections.
///
/// `POST` and `PATCH` requests are never retried when the outcome is ambiguous (a timeout or a
/// reset after the request was sent, a `502`/`504` from a gateway): a second `CreateTNOrder`
/// could order the numbers twice.
///
/// Waits grow exponentially from [`initial_backoff`](Self::initial_backoff) with full
/// jitter, capped at [`max_backoff`](Self::max_backoff); a `Retry-After` header (seconds or
/// an HTTP date) is honoured when it is no longer than `max_backoff`, and the request is not
/// retried when the server asks for a longer wait.
///
/// ```
/// use std::time::Duration;
/// use opentact_client::RetryPolicy;
///
/// let patient = RetryPolicy::default().with_max_retries(5).with_max_backoff(Duration::from_secs(60));
/// let never = RetryPolicy::none();
/// assert_eq!((patient.max_retries, never.max_retries), (5, 0));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts after the first; 0 disables retries.
    pub max_retries: u32,
    /// Upper bound of the first wait.
    pub initial_backoff: Duration,
    /// Upper bound of any wait.
    pub max_backoff: Duration,
}

/// Sends `request` with `http`, and sends it again while `policy` says the outcome is worth
/// another try, waiting as the policy (or the server's `Retry-After`) says. Returns the last
/// attempt's result and the number of attempts made.
///
/// The copy another attempt would send is made before each attempt that may be followed by
/// another (a few allocations), and not at all when the policy allows no retry. A request with
/// a streaming body cannot be copied: it is sent once.
pub(crate) async fn send(
    http: &reqwest::Client,
    mut request: reqwest::Request,
    policy: &RetryPolicy,
) -> (reqwest::Result<reqwest::Response>, u32) {
    let mut attempt = 1;
    loop {
        let replay = if attempt <= policy.max_retries { request.try_clone() } else { None };
        let result = http.execute(request).await;
        let Some(next) = replay else { return (result, attempt) };
        let outcome = classify(&result);
        let Some(delay) = policy.next_delay(next.method(), outcome, &result, attempt, SystemTime::now()) else {
            return (result, attempt);
        };
        tracing::debug!(attempt, ?outcome, delay_ms = delay.as_millis() as u64, "retrying");
        drop(result);
        tokio::time::sleep(delay).await;
        request = next;
        attempt += 1;
    }
}

/// What an attempt's result was, for the retry decision.
pub(crate) fn classify(result: &reqwest::Result<reqwest::Response>) -> Outcome {
    match result {
        Ok(response) => Outcome::Status(response.status()),
        Err(e) if e.is_redirect() => Outcome::Refused,
        Err(e) if e.is_connect() => Outcome::ConnectFailed,
        Err(_) => Outcome::Ambiguous,
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
        }
    }
}

/// What came back from one attempt, as far as the retry decision needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome {
    /// The server answered.
    Status(StatusCode),
    /// The connection could not be made: the request was never sent.
    ConnectFailed,
    /// The request may have reached the server (timeout, reset, body error).
    Ambiguous,
    /// The client refused to go on (a redirect to another origin): another try ends the same.
    Refused,
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..Self::default() }
    }

    /// Sets the number of attempts after the first; 0 disables retries.
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets the upper bound of the first wait.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the upper bound of any wait (and the longest `Retry-After` that is honoured).
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// How long to wait before trying `method`'s request again after `result`, the result of
    /// attempt number `attempt` (1-based) whose outcome is `outcome`; `None` when it is not
    /// tried again.
    fn next_delay(
        &self,
        method: &Method,
        outcome: Outcome,
        result: &reqwest::Result<reqwest::Response>,
        attempt: u32,
        now: SystemTime,
    ) -> Option<Duration> {
        if !self.should_retry(method, outcome, attempt) {
            return None;
        }
        let retry_after = result.as_ref().ok().and_then(|r| r.headers().get(RETRY_AFTER)).and_then(|v| v.to_str().ok());
        self.delay(attempt, retry_after, now)
    }

    /// Whether this outcome of attempt number `attempt` (1-based) is worth another try.
    pub(crate) fn should_retry(&self, method: &Method, outcome: Outcome, attempt: u32) -> bool {
        if attempt > self.max_retries {
            return false;
        }
        let idempotent = matches!(*method, Method::GET | Method::HEAD | Method::DELETE | Method::PUT | Method::OPTIONS);
        match outcome {
            Outcome::ConnectFailed => true,
            Outcome::Status(s) if s == StatusCode::TOO_MANY_REQUESTS || s == StatusCode::SERVICE_UNAVAILABLE => true,
            Outcome::Status(s) if s == StatusCode::BAD_GATEWAY || s == StatusCode::GATEWAY_TIMEOUT => idempotent,
            Outcome::Status(_) => false,
            Outcome::Ambiguous => idempotent,
            Outcome::Refused => false,
        }
    }

    /// How long to wait before attempt `attempt + 1`; `None` when the server asks for a wait
    /// longer than `max_backoff` (then the request is not retried).
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<&str>, now: SystemTime) -> Option<Duration> {
        if let Some(asked) = retry_after.and_then(|v| parse_retry_after(v, now)) {
            return (asked <= self.max_backoff).then_some(asked);
        }
        let exponent = attempt.saturating_sub(1).min(20);
        let ceiling = self.initial_backoff.saturating_mul(1u32 << exponent).min(self.max_backoff);
        // Full jitter: spreads clients that failed together.
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Some(Duration::from_millis(fastrand::u64(0..=millis)))
    }
}

/// `Retry-After: 3` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_failures_are_retried() {
        let p = RetryPolicy::default();
        let status = |c: u16| Outcome::Status(StatusCode::from_u16(c).unwrap());
        for (method, outcome, expected) in [
            (Method::GET, status(503), true),
            (Method::GET, status(502), true),
            (Method::GET, Outcome::Ambiguous, true),
            (Method::POST, status(429), true),
            (Method::POST, status(503), true),
            (Method::POST, Outcome::ConnectFailed, true),
            (Method::POST, status(502), false),
            (Method::POST, status(504), false),
            (Method::POST, Outcome::Ambiguous, false),
            (Method::PATCH, Outcome::Ambiguous, false),
            (Method::GET, status(500), false),
            (Method::GET, status(404), false),
            (Method::DELETE, status(504), true),
            (Method::GET, Outcome::Refused, false),
        ] {
            assert_eq!(p.should_retry(&method, outcome, 1), expected, "{method} {outcome:?}");
        }
    }

    #[test]
    fn attempts_are_bounded() {
        let p = RetryPolicy { max_retries: 2, ..Default::default() };
        let busy = Outcome::Status(StatusCode::SERVICE_UNAVAILABLE);
        assert!(p.should_retry(&Method::GET, busy, 2));
        assert!(!p.should_retry(&Method::GET, busy, 3));
        assert!(!RetryPolicy::none().should_retry(&Method::GET, busy, 1));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            max_retries: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
        };
        let now = SystemTime::now();
        for attempt in 1..=10 {
            let ceiling = Duration::from_millis(100 * (1 << (attempt - 1))).min(Duration::from_secs(1));
            for _ in 0..50 {
                assert!(p.delay(attempt, None, now).unwrap() <= ceiling);
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_unless_too_long() {
        let p = RetryPolicy::default();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(p.delay(1, Some("3"), now), Some(Duration::from_secs(3)));
        assert_eq!(p.delay(1, Some("Wed, 21 Oct 2015 07:28:05 GMT"), now), Some(Duration::from_secs(5)));
        assert_eq!(p.delay(1, Some("3600"), now), None);
        // Unparseable values fall back to the computed backoff.
        assert!(p.delay(1, Some("soon"), now).unwrap() <= p.initial_backoff);
    }
}
