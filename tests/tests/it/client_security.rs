//! The API token never leaves the configured origin, and no response can exhaust the caller:
//! redirects to another origin are refused before anything is sent there, and response bodies
//! are read only up to the client's limit.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use opentact_client::{Client, Error, RetryPolicy, Server, Upload, types};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "secret-token-4f7a";
const APP: &str = "1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a";
const CALL: &str = "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e";
const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

/// One operation per HTTP method the API uses, and the multipart upload.
#[derive(Clone, Copy, Debug)]
enum Call {
    Get,
    Post,
    Patch,
    Delete,
    Multipart,
}

impl Call {
    const ALL: [Call; 5] = [Call::Get, Call::Post, Call::Patch, Call::Delete, Call::Multipart];

    fn path(self) -> String {
        match self {
            Call::Get => "/sip/app".into(),
            Call::Post => "/order/tn".into(),
            Call::Patch | Call::Delete => format!("/sip/app/{APP}"),
            Call::Multipart => format!("/sip/app/call/{CALL}"),
        }
    }

    async fn run(self, client: &Client) -> opentact_client::Result<()> {
        let app = Uuid::parse_str(APP).unwrap();
        match self {
            Call::Get => client.list_sip_control_apps().await.map(drop),
            Call::Post => {
                let order: types::TnOrderNewParams = types::TnOrderNewParams::builder()
                    .items([types::TnOrderItemNewParams::builder().tn(12025550143)])
                    .try_into()?;
                client.create_tn_order(&order).await.map(drop)
            }
            Call::Patch => {
                let update: types::SipControlAppUpdateParams =
                    serde_json::from_value(json!({"name": "renamed"})).unwrap();
                client.modify_sip_control_app(app, &update).await.map(drop)
            }
            Call::Delete => client.remove_sip_control_app_by_uuid(app).await.map(drop),
            Call::Multipart => {
                let flow = Upload::xml("<Response><Hangup/></Response>");
                client.execute_sip_control_app_call_execute_call_flow(CALL, flow).await.map(drop)
            }
        }
    }
}

/// A server on another loopback address (another host for the client).
async fn server_on(address: &str) -> MockServer {
    let listener = std::net::TcpListener::bind(format!("{address}:0")).unwrap();
    MockServer::builder().listener(listener).start().await
}

/// Answers anything with a successful empty payload, so a request that gets there succeeds.
async fn accept_everything(server: &MockServer) {
    let ok = ResponseTemplate::new(200).set_body_json(json!({"success": true, "payload": {}}));
    Mock::given(any()).respond_with(ok).mount(server).await;
}

fn client_for(server: &MockServer) -> Client {
    // Default retries: a refused redirect must not be retried either.
    Client::builder().server(Server::Custom(server.uri())).token(TOKEN).build().unwrap()
}

fn redirect_to(status: u16, location: String) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("location", location)
}

/// Every call, redirected with every redirect status from `api` to `elsewhere`: the call
/// fails with `Error::Redirect`, nothing reaches `elsewhere`, and nothing is retried.
async fn assert_redirects_refused(client: &Client, api: &MockServer, elsewhere: &MockServer) {
    accept_everything(elsewhere).await;
    for status in REDIRECTS {
        for call in Call::ALL {
            api.reset().await;
            let location = format!("{}{}", elsewhere.uri(), call.path());
            Mock::given(any()).respond_with(redirect_to(status, location)).mount(api).await;

            let result = call.run(client).await;
            let delivered = elsewhere.received_requests().await.unwrap();
            let tokens = delivered.iter().filter(|r| r.headers.contains_key("x-auth-token")).count();
            assert!(delivered.is_empty(), "{call:?} {status}: {} request(s), {tokens} with the token", delivered.len());
            let error = result.unwrap_err();
            let Error::Redirect(redirect) = &error else { panic!("{call:?} {status}: {error:?}") };
            assert_eq!(redirect.status.as_u16(), status, "{call:?}");
            assert_eq!(redirect.target, elsewhere.uri(), "{call:?} {status}");
            assert!(!error.to_string().contains(TOKEN));
            assert_eq!(api.received_requests().await.unwrap().len(), 1, "{call:?} {status}: tried once");
        }
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_is_refused_for_every_method() {
    let api = server_on("127.0.0.1").await;
    let elsewhere = server_on("127.0.0.2").await;
    assert_redirects_refused(&client_for(&api), &api, &elsewhere).await;
}

#[tokio::test]
async fn a_redirect_to_another_port_of_the_same_host_is_refused() {
    let api = server_on("127.0.0.1").await;
    let elsewhere = server_on("127.0.0.1").await;
    assert_ne!(api.address().port(), elsewhere.address().port());
    assert_redirects_refused(&client_for(&api), &api, &elsewhere).await;
}

#[tokio::test]
async fn a_client_given_its_own_http_client_with_the_documented_policy_is_protected_too() {
    let api = server_on("127.0.0.1").await;
    let elsewhere = server_on("127.0.0.2").await;
    let http = reqwest::Client::builder().redirect(opentact_client::redirect_policy()).build().unwrap();
    let client = Client::builder().server(Server::Custom(api.uri())).token(TOKEN).http_client(http).build().unwrap();
    assert_redirects_refused(&client, &api, &elsewhere).await;
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_the_token() {
    let api = server_on("127.0.0.1").await;
    let listed = ResponseTemplate::new(200).set_body_json(json!({"success": true, "payload": [{"name": "moved"}]}));
    Mock::given(method("GET"))
        .and(path("/moved/sip/app"))
        .and(header("x-auth-token", TOKEN))
        .respond_with(listed)
        .mount(&api)
        .await;
    let client = client_for(&api);
    for status in REDIRECTS {
        let redirect = Mock::given(path("/sip/app")).respond_with(redirect_to(status, "/moved/sip/app".into()));
        let _guard = redirect.mount_as_scoped(&api).await;
        let apps = client.list_sip_control_apps().await.unwrap_or_else(|e| panic!("{status}: {e}"));
        assert_eq!(apps[0].name.as_deref(), Some("moved"), "{status}");
    }

    // 307 and 308 repeat a POST with its body.
    let created = ResponseTemplate::new(200).set_body_json(json!({"success": true, "payload": {"state": "created"}}));
    Mock::given(method("POST"))
        .and(path("/moved/order/tn"))
        .and(header("x-auth-token", TOKEN))
        .respond_with(created)
        .mount(&api)
        .await;
    for status in [307, 308] {
        let redirect = Mock::given(path("/order/tn")).respond_with(redirect_to(status, "/moved/order/tn".into()));
        let _guard = redirect.mount_as_scoped(&api).await;
        let result = Call::Post.run(&client).await;
        assert!(result.is_ok(), "{status}: {result:?}");
        let requests = api.received_requests().await.unwrap();
        let [.., first, moved] = &requests[..] else { panic!("{requests:?}") };
        assert_eq!((first.url.path(), moved.url.path()), ("/order/tn", "/moved/order/tn"));
        assert_eq!(first.body, moved.body, "{status} repeats the body");
    }

    // An upload's body is a stream that cannot be sent twice: the redirect is not followed,
    // and the call says so.
    let redirect = Mock::given(any()).respond_with(redirect_to(307, "/moved".into()));
    let _guard = redirect.mount_as_scoped(&api).await;
    let error = Call::Multipart.run(&client).await.unwrap_err();
    let Error::Redirect(redirect) = &error else { panic!("{error:?}") };
    assert!(redirect.reason.contains("did not follow"), "{error}");
}

#[tokio::test]
async fn a_redirect_loop_on_the_same_origin_ends() {
    let api = server_on("127.0.0.1").await;
    Mock::given(any()).respond_with(redirect_to(302, "/sip/app".into())).mount(&api).await;
    let error = client_for(&api).list_sip_control_apps().await.unwrap_err();
    let Error::Redirect(redirect) = &error else { panic!("{error:?}") };
    assert!(redirect.reason.contains("redirects in a row"), "{error}");
    assert_eq!(api.received_requests().await.unwrap().len(), 11, "the request and 10 redirects");
}

// ---- per-operation credentials ----

const EMAIL: &str = "ops@acme.example";
const PASSWORD: &str = "pa55-word-9c1e";
/// `base64("ops@acme.example:pa55-word-9c1e")`, as HTTP Basic sends it.
const BASIC: &str = "b3BzQGFjbWUuZXhhbXBsZTpwYTU1LXdvcmQtOWMxZQ==";

/// Answers the listing with an empty list and anything else with an empty payload.
async fn accept_every_call(server: &MockServer) {
    let listed = ResponseTemplate::new(200).set_body_json(json!({"success": true, "payload": []}));
    Mock::given(method("GET")).and(path("/sip/app")).respond_with(listed).with_priority(1).mount(server).await;
    accept_everything(server).await;
}

/// The login goes only to the operations whose `security` is `BasicAuth` (`Auth`, tested below
/// on its own): every operation `Call::ALL` lists takes the token, and gets it and nothing else, whatever
/// else the client holds.
#[tokio::test]
async fn the_login_goes_to_no_operation_that_takes_a_token() {
    let api = server_on("127.0.0.1").await;
    accept_every_call(&api).await;
    let client =
        Client::builder().server(Server::Custom(api.uri())).token(TOKEN).login(EMAIL, PASSWORD).build().unwrap();
    for call in Call::ALL {
        call.run(&client).await.unwrap_or_else(|e| panic!("{call:?}: {e}"));
    }
    let requests = api.received_requests().await.unwrap();
    assert_eq!(requests.len(), Call::ALL.len());
    for request in &requests {
        assert_eq!(request.headers.get("x-auth-token").and_then(|v| v.to_str().ok()), Some(TOKEN), "{}", request.url);
        assert!(!request.headers.contains_key("authorization"), "{}: the login was sent", request.url);
    }
    let shown = format!("{client:?}");
    for secret in [TOKEN, EMAIL, PASSWORD, BASIC] {
        assert!(!shown.contains(secret), "Debug shows {secret}: {shown}");
    }
}

/// A client built with a login alone sends nothing to an operation that takes a token (the error
/// says how to get one); once it has one (`set_token`, after calling Auth), every clone and view
/// of it sends that token.
#[tokio::test]
async fn a_client_with_a_login_alone_sends_nothing_until_it_has_a_token() {
    let api = server_on("127.0.0.1").await;
    accept_every_call(&api).await;
    let client = Client::builder().server(Server::Custom(api.uri())).login(EMAIL, PASSWORD).build().unwrap();
    let view = client.with_options(|o| o.timeout(Duration::from_secs(5)));
    let error = client.list_sip_control_apps().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(error.to_string().contains("Client::set_token"), "{error}");
    assert!(api.received_requests().await.unwrap().is_empty(), "nothing was sent");

    client.set_token(TOKEN).unwrap();
    view.list_sip_control_apps().await.unwrap();
    let requests = api.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get("x-auth-token").and_then(|v| v.to_str().ok()), Some(TOKEN));
    assert!(!requests[0].headers.contains_key("authorization"));
    assert!(client.set_token(" ").is_err(), "an empty token is refused");

    let none = Client::builder().server(Server::Custom(api.uri())).build().unwrap_err();
    assert!(none.to_string().contains("ClientBuilder::login"), "{none}");
}

/// The login flow of the real spec: `Auth` sends the login as HTTP Basic and nothing else (not
/// the token, even when the client holds one); its answer's token, given to `set_token`, is
/// what the next call sends.
#[tokio::test]
async fn auth_logs_in_with_basic_and_its_token_serves_the_next_calls() {
    let api = server_on("127.0.0.1").await;
    let answer = json!({"success": true, "payload": {"email": EMAIL, "token": "session-7f3a"}});
    Mock::given(method("GET"))
        .and(path("/auth"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .mount(&api)
        .await;
    accept_every_call(&api).await;
    let client = Client::builder().server(Server::Custom(api.uri())).login(EMAIL, PASSWORD).build().unwrap();
    let user = client.auth().await.unwrap();
    let token = user.token.expect("Auth answers with a token");
    client.set_token(&token).unwrap();
    client.list_sip_control_apps().await.unwrap();

    let holding_both =
        Client::builder().server(Server::Custom(api.uri())).token(TOKEN).login(EMAIL, PASSWORD).build().unwrap();
    holding_both.auth().await.unwrap();

    let requests = api.received_requests().await.unwrap();
    let header = |i: usize, name: &str| requests[i].headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let basic = format!("Basic {BASIC}");
    assert_eq!((requests[0].url.path(), header(0, "authorization")), ("/auth", Some(basic.clone())));
    assert_eq!(header(0, "x-auth-token"), None, "Auth carries no token");
    assert_eq!((requests[1].url.path(), header(1, "x-auth-token")), ("/sip/app", Some("session-7f3a".to_string())));
    assert_eq!(header(1, "authorization"), None, "the login stays off token operations");
    assert_eq!((header(2, "authorization"), header(2, "x-auth-token")), (Some(basic), None));

    // Without a login, Auth is refused before anything is sent, naming what is missing.
    let token_only = Client::builder().server(Server::Custom(api.uri())).token(TOKEN).build().unwrap();
    let error = token_only.auth().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)) && error.to_string().contains("login"), "{error}");
    assert_eq!(api.received_requests().await.unwrap().len(), 3);
}

/// The client's own `Auth` call does not follow a redirect to another origin with the login.
#[tokio::test]
async fn auth_is_not_redirected_to_another_origin() {
    let api = server_on("127.0.0.1").await;
    let elsewhere = server_on("127.0.0.2").await;
    accept_everything(&elsewhere).await;
    let client = Client::builder()
        .server(Server::Custom(api.uri()))
        .login(EMAIL, PASSWORD)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    for status in REDIRECTS {
        api.reset().await;
        Mock::given(any()).respond_with(redirect_to(status, format!("{}/auth", elsewhere.uri()))).mount(&api).await;
        assert!(client.auth().await.is_err(), "{status}: the redirect was followed");
        assert!(elsewhere.received_requests().await.unwrap().is_empty(), "{status}: the login reached another host");
    }
}

/// Basic credentials keep to the configured origin as the token does: the redirect policy (the
/// client's own, and the documented one for a `reqwest::Client` of the caller's) refuses every
/// redirect of a request carrying them to another host, and nothing arrives there.
#[tokio::test]
async fn basic_credentials_are_not_carried_to_another_origin() {
    let api = server_on("127.0.0.1").await;
    let elsewhere = server_on("127.0.0.2").await;
    accept_everything(&elsewhere).await;
    let http = reqwest::Client::builder().redirect(opentact_client::redirect_policy()).build().unwrap();
    for status in REDIRECTS {
        api.reset().await;
        let location = format!("{}/auth", elsewhere.uri());
        Mock::given(any()).respond_with(redirect_to(status, location)).mount(&api).await;
        let result = http.get(format!("{}/auth", api.uri())).basic_auth(EMAIL, Some(PASSWORD)).send().await;
        assert!(result.is_err(), "{status}: the redirect was followed");
        let sent = api.received_requests().await.unwrap();
        let basic = format!("Basic {BASIC}");
        assert_eq!(sent[0].headers.get("authorization").and_then(|v| v.to_str().ok()), Some(basic.as_str()));
        assert!(elsewhere.received_requests().await.unwrap().is_empty(), "{status}: the login reached another host");
    }
}

// ---- body limits ----

const LIMIT: u64 = 4096;

fn limited_client(base: &str) -> Client {
    Client::builder()
        .server(Server::Custom(base.to_string()))
        .token(TOKEN)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(2))
        .max_response_bytes(LIMIT)
        .build()
        .unwrap()
}

fn too_large(error: Error) -> opentact_client::ResponseTooLarge {
    match error {
        Error::ResponseTooLarge(large) => *large,
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
}

/// The listing without its name's characters.
const FRAME: &str = r#"{"success":true,"payload":[{"name":""}]}"#;

/// `{"success":true,"payload":[{"name":"nnn…"}]}` of exactly `size` bytes.
fn listing_of_size(size: usize) -> String {
    let name = "n".repeat(size - FRAME.len());
    format!(r#"{{"success":true,"payload":[{{"name":"{name}"}}]}}"#)
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read() {
    let api = MockServer::start().await;
    let body = listing_of_size(LIMIT as usize);
    assert_eq!(body.len() as u64, LIMIT);
    Mock::given(path("/sip/app"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&api)
        .await;
    let apps = limited_client(&api.uri()).list_sip_control_apps().await.unwrap();
    assert_eq!(apps[0].name.as_ref().map(String::len), Some(LIMIT as usize - FRAME.len()));
}

#[tokio::test]
async fn a_body_announced_above_the_limit_is_refused() {
    let api = MockServer::start().await;
    let body = listing_of_size(LIMIT as usize + 1);
    Mock::given(path("/sip/app"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&api)
        .await;
    let client = limited_client(&api.uri());
    let error = client.list_sip_control_apps().await.unwrap_err();
    let message = error.to_string();
    let large = too_large(error);
    assert_eq!(
        (large.operation, large.status.as_u16(), large.limit, large.content_length),
        ("ListSIPControlApps", 200, LIMIT, Some(LIMIT + 1))
    );
    assert!(message.contains("ListSIPControlApps") && message.contains("4096 bytes"), "{message}");

    // The raw client goes through the same limit; its error converts to the same variant.
    let raw = client.raw().list_sip_control_apps().send().await.unwrap_err();
    let large = too_large(Error::from_raw("ListSIPControlApps", raw).await);
    assert_eq!(large.content_length, Some(LIMIT + 1));
}

#[tokio::test]
async fn an_error_body_above_the_limit_is_refused_with_its_status() {
    let api = MockServer::start().await;
    let page = "x".repeat(LIMIT as usize * 4);
    Mock::given(path("/sip/app"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(page, "text/html"))
        .mount(&api)
        .await;
    let large = too_large(limited_client(&api.uri()).list_sip_control_apps().await.unwrap_err());
    assert_eq!((large.status.as_u16(), large.content_length), (500, Some(LIMIT * 4)));
}

/// A one-connection HTTP/1.1 server that answers with `head` and then whatever `body` writes;
/// returns its base URL and the number of body bytes it managed to write.
async fn raw_server<F, Fut>(head: &'static str, body: F) -> (String, Arc<AtomicU64>)
where
    F: FnOnce(TcpStream, Arc<AtomicU64>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicU64::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else { return };
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buffer[..n]),
            }
        }
        if stream.write_all(head.as_bytes()).await.is_ok() {
            body(stream, counter).await;
        }
    });
    (base, written)
}

/// Writes chunked JSON-looking data until the client goes away (or 1 GiB, whichever first).
async fn endless_chunks(mut stream: TcpStream, written: Arc<AtomicU64>) {
    let chunk = format!("1000\r\n{}\r\n", " ".repeat(0x1000));
    let _ = stream.write_all(b"6\r\n[\"abc\"\r\n").await;
    while written.load(Ordering::Relaxed) < 1 << 30 {
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            return;
        }
        written.fetch_add(0x1000, Ordering::Relaxed);
    }
}

#[tokio::test]
async fn a_body_without_length_is_cut_at_the_limit() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    let (base, written) = raw_server(head, endless_chunks).await;
    let large = too_large(limited_client(&base).list_sip_control_apps().await.unwrap_err());
    assert_eq!((large.status.as_u16(), large.limit, large.content_length), (200, LIMIT, None));
    // The client stopped reading: the server could not write its gigabyte (socket buffers
    // hold a few MiB at most).
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = written.load(Ordering::Relaxed);
    assert!(sent < 64 << 20, "the server wrote {sent} bytes");
}

#[tokio::test]
async fn an_endless_error_body_without_length_is_cut_at_the_limit() {
    let head = "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ntransfer-encoding: chunked\r\n\r\n";
    let (base, _) = raw_server(head, endless_chunks).await;
    let large = too_large(limited_client(&base).list_sip_control_apps().await.unwrap_err());
    assert_eq!((large.status.as_u16(), large.content_length), (502, None));
}

#[tokio::test]
async fn a_body_that_never_finishes_times_out() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
    let (base, _) = raw_server(head, |mut stream, _| async move {
        let _ = stream.write_all(b"{\"success\":true,").await;
        // Hold the connection open without sending the rest.
        tokio::time::sleep(Duration::from_secs(60)).await;
        drop(stream);
    })
    .await;
    let client = Client::builder()
        .server(Server::Custom(base))
        .token(TOKEN)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.list_sip_control_apps().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    // Not a speed check: without the timeout the call would wait for the server's 60 s.
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
}
