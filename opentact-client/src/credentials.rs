//! What the client authenticates with, and which operation gets which credential.
//!
//! The spec declares per operation how it authenticates (`security`): every operation takes the
//! API token as `X-Auth-Token`, except `Auth`, which takes the account's e-mail and password as
//! HTTP Basic. Codegen turns that into `operations::credential` (a `match` from the method name),
//! and the hooks put exactly that credential on the request: the login never goes to an
//! operation that takes a token, nor the token to `Auth`. Both are sensitive header values,
//! redacted in `Debug` and never logged; the redirect policy keeps them on the configured origin.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

use crate::error::{Error, Result};

/// Header carrying the API token.
pub(crate) const TOKEN_HEADER: &str = "x-auth-token";

/// How an operation authenticates, from the spec's `security` (see `operations::credential`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Credential {
    /// The API token, as `X-Auth-Token` (`XAuthToken`, an `apiKey` header scheme).
    Token,
    /// The login, as HTTP Basic (`BasicAuth`, an `http` `basic` scheme).
    #[allow(dead_code, reason = "no operation of the spec takes it until Auth is added (issue 19)")]
    Basic,
    /// Nothing (`security: []`).
    None,
}

/// The client's credentials. The token is shared by every clone and `with_options` view of a
/// client, so a token obtained after building it (`Client::set_token`) serves them all.
#[derive(Clone)]
pub(crate) struct Credentials {
    token: Arc<RwLock<Option<HeaderValue>>>,
    login: Option<HeaderValue>,
}

/// Says which credentials are held, never what they are.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held = |present: bool| if present { "<redacted>" } else { "None" };
        f.debug_struct("Credentials")
            .field("token", &held(self.token().is_some()))
            .field("login", &held(self.login.is_some()))
            .finish()
    }
}

impl Credentials {
    pub(crate) fn new(token: Option<HeaderValue>, login: Option<HeaderValue>) -> Credentials {
        Credentials { token: Arc::new(RwLock::new(token)), login }
    }

    pub(crate) fn token(&self) -> Option<HeaderValue> {
        // A poisoned lock still holds a whole header value (writers only replace it).
        self.token.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub(crate) fn set_token(&self, token: HeaderValue) {
        *self.token.write().unwrap_or_else(PoisonError::into_inner) = Some(token);
    }

    /// Puts on `headers` the credential the operation takes, and no other; the error says what
    /// the client lacks (nothing has been sent).
    pub(crate) fn apply(&self, credential: Credential, headers: &mut HeaderMap) -> std::result::Result<(), String> {
        headers.remove(TOKEN_HEADER);
        headers.remove(AUTHORIZATION);
        match credential {
            Credential::Token => {
                let token = self.token().ok_or(
                    "this operation takes an API token and the client has none: set one with \
                     ClientBuilder::token or Client::set_token",
                )?;
                headers.insert(TOKEN_HEADER, token);
            }
            Credential::Basic => {
                let login = self.login.clone().ok_or(
                    "this operation takes the account's e-mail and password and the client has none: \
                     set them with ClientBuilder::login",
                )?;
                headers.insert(AUTHORIZATION, login);
            }
            Credential::None => {}
        }
        Ok(())
    }
}

/// The token as a sensitive header value; refuses an empty one and one a header cannot carry.
pub(crate) fn token_header(token: &str) -> Result<HeaderValue> {
    let mut value = HeaderValue::from_str(token.trim())
        .map_err(|_| Error::Config("the API token contains characters a header cannot carry".into()))?;
    if value.is_empty() {
        return Err(Error::Config("the API token is empty".into()));
    }
    value.set_sensitive(true);
    Ok(value)
}

/// `Basic base64(email:password)` (RFC 7617) as a sensitive header value. An e-mail with a
/// colon cannot be sent this way (the colon separates it from the password).
pub(crate) fn basic_header(email: &str, password: &str) -> Result<HeaderValue> {
    if email.is_empty() || email.contains(':') {
        return Err(Error::Config("the login's e-mail is empty or contains a colon".into()));
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{email}:{password}"));
    let mut value = HeaderValue::from_str(&format!("Basic {encoded}"))
        .map_err(|_| Error::Config("the login cannot be sent as a header".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held() -> Credentials {
        let token = token_header("t0ken").expect("a token");
        let login = basic_header("Aladdin", "open sesame").expect("a login");
        Credentials::new(Some(token), Some(login))
    }

    fn sent(credentials: &Credentials, credential: Credential) -> std::result::Result<Vec<(String, String)>, String> {
        let mut headers = HeaderMap::new();
        // Whatever a caller put there before (an extra header of a view) is replaced.
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer stale"));
        credentials.apply(credential, &mut headers)?;
        let mut pairs: Vec<(String, String)> =
            headers.iter().map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("?").to_string())).collect();
        pairs.sort();
        Ok(pairs)
    }

    #[test]
    fn each_operation_gets_its_own_credential_and_no_other() {
        let credentials = held();
        assert_eq!(sent(&credentials, Credential::Token), Ok(vec![("x-auth-token".into(), "t0ken".into())]));
        // RFC 7617's own example.
        let basic = vec![("authorization".into(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".into())];
        assert_eq!(sent(&credentials, Credential::Basic), Ok(basic));
        assert_eq!(sent(&credentials, Credential::None), Ok(vec![]));
    }

    #[test]
    fn a_missing_credential_is_an_error_naming_what_to_set() {
        let login_only = Credentials::new(None, Some(basic_header("a@example.org", "pw").expect("a login")));
        let error = sent(&login_only, Credential::Token).expect_err("no token");
        assert!(error.contains("ClientBuilder::token or Client::set_token"), "{error}");
        let token_only = Credentials::new(Some(token_header("t").expect("a token")), None);
        let error = sent(&token_only, Credential::Basic).expect_err("no login");
        assert!(error.contains("ClientBuilder::login"), "{error}");
    }

    #[test]
    fn a_token_set_later_serves_every_clone() {
        let credentials = Credentials::new(None, Some(basic_header("a@example.org", "pw").expect("a login")));
        let view = credentials.clone();
        credentials.set_token(token_header("new").expect("a token"));
        assert_eq!(sent(&view, Credential::Token), Ok(vec![("x-auth-token".into(), "new".into())]));
    }

    #[test]
    fn debug_shows_which_credentials_are_held_and_nothing_of_them() {
        let shown = format!("{:?}", held());
        assert_eq!(shown, r#"Credentials { token: "<redacted>", login: "<redacted>" }"#);
        let shown = format!("{:?}", Credentials::new(None, None));
        assert_eq!(shown, r#"Credentials { token: "None", login: "None" }"#);
    }

    #[test]
    fn credentials_are_sensitive_and_checked() {
        assert!(token_header("t").expect("a token").is_sensitive());
        assert!(basic_header("a@example.org", "pw").expect("a login").is_sensitive());
        assert!(token_header("  ").is_err());
        assert!(token_header("line\nbreak").is_err());
        assert!(basic_header("a:b@example.org", "pw").is_err());
        assert!(basic_header("", "pw").is_err());
    }
}
