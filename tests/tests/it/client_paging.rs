//! Paged searches walked with the generated `<operation>_pages` (`SearchCallFlowLogs`, a take/skip
//! search; `Search`, a page/size one): the query string of every page exactly as sent, the same body each time, where the
//! walk stops (at `total`, at an empty or absent page, at an error) and that nothing is fetched
//! before it is wanted.

use std::pin::Pin;

use opentact_client::{Error, Pager, types};
use opentact_tests::client;
use opentact_tests::ids::APP;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ROUTE: &str = "/sip/app/1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a/logs";

/// A log entry whose uuid ends with its position in the whole result.
fn log(n: u64) -> Value {
    json!({ "uuid": format!("00000000-0000-4000-8000-{n:012}"), "name": "Say", "command": {}, "response": {} })
}

fn position(item: &types::LogCallFlow) -> u128 {
    item.uuid.map_or(u128::MAX, |u| u.as_u128() & 0xffff_ffff_ffff)
}

/// The number the request's query gives `name` (0 when it has none).
fn query_number(request: &Request, name: &str) -> u64 {
    request.url.query_pairs().find(|(k, _)| k == name).and_then(|(_, v)| v.parse::<u64>().ok()).unwrap_or(0)
}

/// Answers a page of `total` matches from `?take=&skip=`, with the items it would have; pages
/// at or after `empty_from` have no items (a service that miscounts), `data` absent if `absent`.
struct Search {
    total: u64,
    empty_from: u64,
    absent: bool,
}

impl Respond for Search {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let number = |name: &str| query_number(request, name);
        let (take, skip) = (number("take"), number("skip"));
        let end = (skip + take).min(self.total).min(self.empty_from.max(skip));
        let mut page = json!({ "take": take, "skip": skip, "mode": "AND", "total": self.total });
        if !(self.absent && end <= skip) {
            page["data"] = (skip..end).map(log).collect();
        }
        ResponseTemplate::new(200).set_body_json(json!({ "success": true, "payload": page }))
    }
}

async fn server(search: Search) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(ROUTE)).respond_with(search).mount(&server).await;
    server
}

/// The query string of every request the server got, in order. Parameters go out in name order
/// (progenitor sorts an operation's parameters), so `skip` before `take`.
async fn queries(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().map(|r| r.url.query().unwrap_or_default().to_string()).collect()
}

fn body() -> types::builder::LogCallFlowSearchParams {
    types::LogCallFlowSearchParams::builder().call_uuid("7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b")
}

#[tokio::test]
async fn a_search_is_walked_across_three_pages_and_stops_at_total() {
    let server = server(Search { total: 5, empty_from: u64::MAX, absent: false }).await;
    let client = client(server.uri());
    let query = types::SearchCallFlowLogsQuery::new().take(2);
    let mut pages = client.search_call_flow_logs_pages(APP, query, body());

    // Nothing is fetched before an item is wanted, and then one page only.
    assert!(queries(&server).await.is_empty());
    let first = pages.next().await.expect("an item").expect("no error");
    assert_eq!(position(&first), 0);
    assert_eq!(queries(&server).await, ["skip=0&take=2"]);
    let second = pages.next().await.expect("an item").expect("no error");
    assert_eq!(position(&second), 1);
    assert_eq!(queries(&server).await, ["skip=0&take=2"], "the page's second item needs no request");

    let rest = pages.all().await.expect("the other pages");
    assert_eq!(rest.iter().map(position).collect::<Vec<_>>(), [2, 3, 4]);
    // The third page reaches total = 5: no fourth request.
    assert_eq!(queries(&server).await, ["skip=0&take=2", "skip=2&take=2", "skip=4&take=2"]);
    let requests = server.received_requests().await.unwrap_or_default();
    for request in &requests {
        let sent: Value = serde_json::from_slice(&request.body).expect("a JSON body");
        assert_eq!(sent, json!({ "call_uuid": "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b" }), "the same body every page");
        assert_eq!(request.headers.get("x-auth-token").map(|v| v.as_bytes()), Some(opentact_tests::TOKEN.as_bytes()));
    }
}

#[tokio::test]
async fn the_walk_stops_at_an_empty_page_although_total_says_more() {
    for absent in [false, true] {
        let server = server(Search { total: 10, empty_from: 3, absent }).await;
        let client = client(server.uri());
        // No page size given: the default, 100 (the spec sets no maximum); skip is where to start.
        let query = types::SearchCallFlowLogsQuery::new().skip(1);
        let items = client.search_call_flow_logs_pages(APP, query, body()).all().await.expect("two pages");
        assert_eq!(items.iter().map(position).collect::<Vec<_>>(), [1, 2], "data absent: {absent}");
        assert_eq!(queries(&server).await, ["skip=1&take=100", "skip=3&take=100"], "data absent: {absent}");
    }
}

/// The next item through `futures_core::Stream` (not `Pager::next`).
async fn next<T: Send + 'static>(pager: &mut Pager<T>) -> Option<opentact_client::Result<T>> {
    std::future::poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut *pager), cx)).await
}

#[tokio::test]
async fn an_error_ends_the_walk_as_its_last_item() {
    let server = MockServer::start().await;
    let page = json!({ "success": true, "payload": { "take": 1, "skip": 0, "total": 3, "data": [log(0)] } });
    let failure = json!({ "success": false, "message": "Not enough account balance" });
    Mock::given(method("POST"))
        .and(move |r: &Request| r.url.query() == Some("skip=0&take=1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(move |r: &Request| r.url.query() == Some("skip=1&take=1"))
        .respond_with(ResponseTemplate::new(402).set_body_json(failure))
        .mount(&server)
        .await;
    let client = client(server.uri());
    let query = types::SearchCallFlowLogsQuery::new().take(1);

    let mut pages: Pager<types::LogCallFlow> = client.search_call_flow_logs_pages(APP, query.clone(), body());
    let first = next(&mut pages).await;
    assert_eq!(first.map(|item| item.map(|i| position(&i)).ok()), Some(Some(0)));
    match next(&mut pages).await {
        Some(Err(Error::Api(e))) => assert_eq!(e.message, "Not enough account balance"),
        other => panic!("expected the second page's error, got {other:?}"),
    }
    assert!(next(&mut pages).await.is_none(), "nothing after the error");
    assert_eq!(queries(&server).await, ["skip=0&take=1", "skip=1&take=1"]);

    // `all()` gives the error instead of the items.
    let all = client.search_call_flow_logs_pages(APP, query, body()).all().await;
    assert!(matches!(all, Err(Error::Api(_))), "{all:?}");
}

#[tokio::test]
async fn a_query_or_body_that_fails_its_checks_is_the_only_item_and_nothing_is_sent() {
    let server = server(Search { total: 5, empty_from: u64::MAX, absent: false }).await;
    let client = client(server.uri());
    let query = types::SearchCallFlowLogsQuery::new().take(0); // take has minimum 1
    let mut pages = client.search_call_flow_logs_pages(APP, query, body());
    assert!(matches!(pages.next().await, Some(Err(Error::InvalidRequest(_)))));
    assert!(pages.next().await.is_none());
    assert!(queries(&server).await.is_empty());
}

/// Answers page `?page=` (from 1) of `?size=` numbers out of `total`, numbered from 12025550100.
struct NumberSearch {
    total: u64,
}

impl Respond for NumberSearch {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let number = |name: &str| query_number(request, name);
        let (page, size) = (number("page"), number("size"));
        let start = page.saturating_sub(1) * size;
        let end = (start + size).min(self.total);
        let data: Vec<Value> = (start..end).map(|n| json!({ "tn": 12_025_550_100 + n })).collect();
        let payload = json!({ "take": size, "skip": start, "total": self.total, "data": data });
        ResponseTemplate::new(200).set_body_json(json!({ "success": true, "payload": payload }))
    }
}

fn numbers(items: &[types::Tn]) -> Vec<i64> {
    items.iter().map(|tn| tn.tn.map_or(-1, |n| n - 12_025_550_100)).collect()
}

#[tokio::test]
async fn a_page_and_size_search_counts_pages_from_the_one_it_starts_at() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/tn/search")).respond_with(NumberSearch { total: 5 }).mount(&server).await;
    let client = client(server.uri());

    let all = client.search_pages(types::SearchQuery::new().size(2), types::TnSearchParams::builder()).all().await;
    assert_eq!(numbers(&all.expect("three pages")), [0, 1, 2, 3, 4]);
    assert_eq!(queries(&server).await, ["page=1&size=2", "page=2&size=2", "page=3&size=2"]);

    // From page 2: numbers 2 to 4, and the walk still stops at total (after page 3).
    server.reset().await;
    Mock::given(method("POST")).and(path("/tn/search")).respond_with(NumberSearch { total: 5 }).mount(&server).await;
    let query = types::SearchQuery::new().size(2).page(2);
    let rest = client.search_pages(query, types::TnSearchParams::builder()).all().await;
    assert_eq!(numbers(&rest.expect("two pages")), [2, 3, 4]);
    assert_eq!(queries(&server).await, ["page=2&size=2", "page=3&size=2"]);
}
