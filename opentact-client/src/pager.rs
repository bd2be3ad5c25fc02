//! Walking a paged search (`x-opentact-paged` in the spec): [`Pager`] asks for one page at a
//! time through a closure the generated `<operation>_pages` method gives it, and yields the
//! items. It fetches a page only when the caller wants an item and none is left (never more
//! than one page ahead), and stops after the page that reaches `total`, at a page without
//! items (a service that miscounts) or after an error, which it yields.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::Result;

/// Which page a [`Pager`] asks for: `size` items starting after `offset` items, which is page
/// `number` (1-based) when every page has `size` items. A take/skip search sends `take=size`
/// and `skip=offset`; a page/size search `page=number` and `size=size`.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub size: i64,
    pub offset: i64,
    pub number: i64,
}

/// One page as the walk needs it: its items and the service's `total`, if it sent one.
#[doc(hidden)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: Option<i64>,
}

/// A page's `total` field, optional or required in the spec.
#[doc(hidden)]
pub trait PageTotal {
    fn into_total(self) -> Option<i64>;
}

impl PageTotal for i64 {
    fn into_total(self) -> Option<i64> {
        Some(self)
    }
}

impl PageTotal for Option<i64> {
    fn into_total(self) -> Option<i64> {
        self
    }
}

/// A page's items field, optional (absent is no items) or required in the spec.
#[doc(hidden)]
pub trait PageItems<T> {
    fn into_items(self) -> Vec<T>;
}

impl<T> PageItems<T> for Vec<T> {
    fn into_items(self) -> Vec<T> {
        self
    }
}

impl<T> PageItems<T> for Option<Vec<T>> {
    fn into_items(self) -> Vec<T> {
        self.unwrap_or_default()
    }
}

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>>> + Send>>;
type Fetch<T> = Box<dyn FnMut(PageRequest) -> PageFuture<T> + Send>;

/// Every item of a paged search, page by page: a [`Stream`](futures_core::Stream) of
/// `Result<T>`, or [`Pager::next`] and [`Pager::all`] without a stream library.
///
/// ```no_run
/// # async fn example(client: &opentact_client::Client, app: opentact_client::uuid::Uuid) -> opentact_client::Result<()> {
/// use opentact_client::types;
///
/// let query = types::SearchCallFlowLogsQuery::new().take(50);
/// let mut logs = client.search_call_flow_logs_pages(app, query, types::LogCallFlowSearchParams::builder());
/// while let Some(log) = logs.next().await {
///     println!("{:?}", log?.name);
/// }
/// # Ok(())
/// # }
/// ```
///
/// The page size is the caller's (`take` or `size` in the query) or the operation's default;
/// the walk starts where the caller's `skip` (or `page`) says. It stops after the page that
/// brings it to the `total` the service reports, or at a page without items even when `total`
/// says there are more. An error (of any page) is the last item.
#[must_use = "a pager does nothing until it is polled"]
pub struct Pager<T> {
    fetch: Fetch<T>,
    next: PageRequest,
    /// Items of the current page not yet handed out.
    ready: VecDeque<T>,
    in_flight: Option<PageFuture<T>>,
    /// An error found before the first request (a body that does not convert).
    failed: Option<crate::Error>,
    done: bool,
}

// No field is pinned in place: the page future is boxed.
impl<T> Unpin for Pager<T> {}

impl<T> std::fmt::Debug for Pager<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("next", &self.next)
            .field("ready", &self.ready.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Pager<T> {
    /// A walk from `first`, fetching each page with `fetch`.
    pub(crate) fn new(first: PageRequest, fetch: Fetch<T>) -> Self {
        Pager { fetch, next: first, ready: VecDeque::new(), in_flight: None, failed: None, done: false }
    }

    /// A walk that yields `error` and ends (its request could not be made).
    pub(crate) fn failed(error: crate::Error) -> Self {
        let fetch: Fetch<T> = Box::new(|_| Box::pin(std::future::pending()));
        let mut pager = Pager::new(PageRequest { size: 1, offset: 0, number: 1 }, fetch);
        pager.failed = Some(error);
        pager
    }

    /// The next item, fetching the next page when the current one is used up; `None` after
    /// the last item or after an error.
    pub async fn next(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every remaining item, in order; the first error instead if a page fails.
    pub async fn all(mut self) -> Result<Vec<T>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(error) = self.failed.take() {
                self.done = true;
                return Poll::Ready(Some(Err(error)));
            }
            if self.done {
                return Poll::Ready(None);
            }
            let request = self.next;
            let future = self.in_flight.get_or_insert_with(|| (self.fetch)(request));
            let page = match future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(page) => page,
            };
            self.in_flight = None;
            match page {
                Err(error) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Ok(page) => self.take_page(request, page),
            }
        }
    }

    /// Queues a page's items and works out the next request, or that there is none.
    fn take_page(&mut self, request: PageRequest, page: Page<T>) {
        let count = i64::try_from(page.items.len()).unwrap_or(i64::MAX);
        let reached = request.offset.saturating_add(count);
        // An empty page ends the walk whatever `total` says: asking again would loop.
        self.done = count == 0 || page.total.is_some_and(|total| reached >= total);
        self.next = PageRequest { size: request.size, offset: reached, number: request.number.saturating_add(1) };
        self.ready.extend(page.items);
    }
}

impl<T: Send + 'static> futures_core::Stream for Pager<T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

/// The first page of a walk: the caller's page size (else `default_size`) and start. `skip`
/// for take/skip searches, `page` (1-based) for page/size ones.
#[doc(hidden)]
pub fn first_page(size: Option<i64>, default_size: i64, skip: Option<i64>, page: Option<i64>) -> PageRequest {
    let size = size.unwrap_or(default_size);
    match page {
        Some(number) => PageRequest { size, offset: number.saturating_sub(1).saturating_mul(size), number },
        None => {
            let offset = skip.unwrap_or(0);
            PageRequest { size, offset, number: 1 }
        }
    }
}

/// Builds the pager of a generated `<operation>_pages` method.
pub(crate) fn pager<T, F, Fut>(first: PageRequest, mut fetch: F) -> Pager<T>
where
    T: Send + 'static,
    F: FnMut(PageRequest) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>>> + Send + 'static,
{
    Pager::new(first, Box::new(move |request| Box::pin(fetch(request))))
}
