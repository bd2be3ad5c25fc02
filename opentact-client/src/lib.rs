//! A typed client for the [Opentact](https://opentact.org) telecom REST API: telephone
//! numbers, SIP control apps, outbound voice profiles and number orders.
//!
//! ```no_run
//! use opentact_client::{Client, types};
//!
//! # async fn run() -> opentact_client::Result<()> {
//! let client = Client::from_env()?; // OPENTACT_TOKEN, optionally OPENTACT_BASE_URL
//! let body = types::TnOrderNewParams::builder()
//!     .tns(vec![12025550143_i64])
//!     .try_into()
//!     .expect("a valid order");
//! let price = client.get_order_price(&body).await?;
//! println!("one-time {} / monthly {}", price.nrc.as_ref().map_or("?", |n| n.as_str()), price.mrc.as_ref().map_or("?", |n| n.as_str()));
//! # Ok(())
//! # }
//! ```
//!
//! - [`Client`] has one method per operation of the API; each returns the operation's
//!   payload. Errors are one type, [`Error`], which names the operation, the HTTP status and
//!   the service's message.
//! - Requests are checked against the spec (lengths, ranges, patterns) before they are sent;
//!   responses are decoded leniently: unknown fields are ignored, unknown enum values are
//!   kept (`Unknown`), missing fields are `None`, and amounts may be numbers or strings
//!   ([`FlexibleNumber`]).
//! - Safe requests are retried ([`RetryPolicy`]); every request is traced with `tracing`
//!   (operation id, method, path, status, attempts, duration; never bodies or the token).
//! - Feature `mock`: typed [`httpmock`](https://docs.rs/httpmock) helpers ([`mock`]) to mock
//!   the API in your own tests.
//!
//! The code under `types`, `raw` and `mock` is generated from `spec/opentact.yaml` by
//! `cargo xtask generate`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod error;
mod generated;
mod lenient;
mod retry;
mod runtime;

pub use client::{Client, ClientBuilder, ClientState, Server};
pub use error::{ApiError, DecodeError, Error, InvalidRequest, Result, TransportError, Violation};
pub use generated::operations::OPERATIONS;
pub use lenient::{FlexibleNumber, NotANumber};
pub use retry::RetryPolicy;
pub use runtime::{Operation, UnknownValue, UnknownVariant, Upload};

/// Request and response types of the API (generated).
#[allow(missing_docs)]
pub mod types {
    pub use crate::generated::client::types::*;
    pub use crate::generated::enums::*;
}

/// The generated progenitor client, with builder-style calls that return
/// [`ResponseValue`](raw::ResponseValue)s (status, headers and the decoded envelope).
#[allow(missing_docs)]
pub mod raw {
    pub use crate::generated::client::{ByteStream, Client, Error, ResponseValue, builder, prelude};
}

/// Typed [`httpmock`](https://docs.rs/httpmock) helpers: `MockServerExt` adds one method per
/// operation to `httpmock::MockServer`.
#[cfg(feature = "mock")]
#[allow(missing_docs)]
pub mod mock {
    pub use crate::generated::httpmock::*;
}
