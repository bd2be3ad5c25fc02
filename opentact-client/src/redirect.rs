//! Redirects: the API token only ever goes to the origin (scheme, host, port) of the server
//! the client was built for.

use std::fmt;

use reqwest::redirect::{Action, Attempt, Policy};
use reqwest::{StatusCode, Url};

/// Same-origin redirects followed in a row before the client gives up (a loop).
const MAX_REDIRECTS: usize = 10;

/// The redirect policy of every client [`Client::builder`](crate::Client::builder) builds:
/// a redirect to the same origin (scheme, host and port) as the request is followed, up to 10
/// in a row; any other redirect — to another host, another port, or from `https` to `http` —
/// is refused before anything is sent there, and the call fails with
/// [`Error::Redirect`](crate::Error::Redirect).
///
/// The token travels in the `X-Auth-Token` header, which `reqwest`'s default policy would
/// send on to any host. Pass this policy to a client you build yourself and hand to
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client):
///
/// ```
/// let http = reqwest::Client::builder().redirect(opentact_client::redirect_policy()).build()?;
/// let client = opentact_client::Client::builder().token("my-api-token").http_client(http).build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn redirect_policy() -> Policy {
    Policy::custom(check)
}

fn check(attempt: Attempt<'_>) -> Action {
    match refusal(attempt.status(), attempt.url(), attempt.previous()) {
        Some(refused) => attempt.error(refused),
        None => attempt.follow(),
    }
}

/// Why the redirect to `target` must not be followed, if it must not. `previous` holds every
/// URL of this request so far, starting with the one it was sent to.
fn refusal(status: StatusCode, target: &Url, previous: &[Url]) -> Option<RedirectRefused> {
    let refused =
        |reason: String| Some(RedirectRefused { status, target: target.origin().ascii_serialization(), reason });
    let Some(first) = previous.first() else {
        return refused("the request's own URL is unknown".into());
    };
    if target.origin() != first.origin() {
        let origin = first.origin().ascii_serialization();
        if first.scheme() == "https" && target.scheme() != "https" {
            return refused(format!("it leaves https; the API token is only sent to {origin}"));
        }
        return refused(format!("it leaves {origin}, the only origin the API token is sent to"));
    }
    if previous.len() > MAX_REDIRECTS {
        return refused(format!("more than {MAX_REDIRECTS} redirects in a row"));
    }
    None
}

/// A redirect answer the HTTP client handed back instead of following: a `307`/`308` for a
/// request whose body is a stream (a file upload) cannot be repeated, and a client given to
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) may not follow redirects
/// at all. `None` for a `3xx` without a usable `Location` (a `304`, say).
pub(crate) fn not_followed(response: &reqwest::Response) -> Option<RedirectRefused> {
    let status = response.status();
    let location = response.headers().get(reqwest::header::LOCATION)?.to_str().ok()?;
    let target = response.url().join(location).ok()?;
    refusal(status, &target, std::slice::from_ref(response.url())).or_else(|| {
        Some(RedirectRefused {
            status,
            target: target.origin().ascii_serialization(),
            reason: "the HTTP client did not follow it (a request body that cannot be sent again, or its redirect \
                     policy)"
                .into(),
        })
    })
}

/// A redirect [`check`] refused. Travels as the source of the `reqwest::Error` and becomes
/// [`Error::Redirect`](crate::Error::Redirect).
#[derive(Debug)]
pub(crate) struct RedirectRefused {
    pub status: StatusCode,
    /// Only the origin: the rest of the URL is the other server's business.
    pub target: String,
    pub reason: String,
}

impl fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refused a redirect (HTTP {}) to {}: {}", self.status, self.target, self.reason)
    }
}

impl std::error::Error for RedirectRefused {}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn only_the_same_scheme_host_and_port_is_followed() {
        let first = [url("https://api.opentact.org/rest/sip/app")];
        let found = StatusCode::FOUND;
        for same in ["https://api.opentact.org/rest/sip/app/", "https://api.opentact.org:443/other?x=1"] {
            assert!(refusal(found, &url(same), &first).is_none(), "{same}");
        }
        for (other, reason) in [
            ("http://api.opentact.org/rest/sip/app", "leaves https"),
            ("https://api.opentact.org:8443/rest/sip/app", "the only origin"),
            ("https://evil.example/rest/sip/app", "the only origin"),
            ("https://opentact.org/rest/sip/app", "the only origin"),
        ] {
            let refused = refusal(found, &url(other), &first).unwrap();
            assert!(refused.reason.contains(reason), "{other}: {}", refused.reason);
            assert!(!refused.target.contains("/rest"), "only the origin is kept: {}", refused.target);
        }
    }

    #[test]
    fn redirect_loops_end() {
        let target = url("http://127.0.0.1:8080/a");
        let chain: Vec<Url> = (0..=MAX_REDIRECTS).map(|i| url(&format!("http://127.0.0.1:8080/{i}"))).collect();
        assert!(refusal(StatusCode::FOUND, &target, &chain[..MAX_REDIRECTS]).is_none());
        let refused = refusal(StatusCode::FOUND, &target, &chain).unwrap();
        assert!(refused.reason.contains("redirects in a row"), "{}", refused.reason);
    }
}
