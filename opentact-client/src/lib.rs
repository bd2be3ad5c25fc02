#![doc = include_str!("../README.md")]
// The unit tests' allocator (`peak_alloc`) is the one exception, and it is not in the library.
#![cfg_attr(not(test), forbid(unsafe_code))]
#![cfg_attr(test, deny(unsafe_code))]
#![warn(missing_docs)]
// docs.rs builds with nightly and `--cfg docsrs`: feature-gated items then show their feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod body;
mod client;
mod credentials;
mod envelope;
mod error;
// Generated code is formatted by codegen (prettyplease), not rustfmt: `cargo xtask check` compares it byte for byte.
#[rustfmt::skip]
mod generated;
mod lenient;
mod lenient_bool;
#[cfg(feature = "mock")]
mod mock_support;
mod nullable;
mod open_enum;
mod operation;
mod options;
mod pager;
#[cfg(test)]
mod peak_alloc;
mod redirect;
mod response_limit;
mod retry;
mod runtime;
mod timestamp;
mod upload;
mod validation;

// The crates this one's public API names, so that a user's versions cannot drift from the
// client's: `reqwest` (`ClientBuilder::http_client`, `redirect_policy`, `StatusCode` in errors),
// `progenitor_client` (`Error::from_raw`, the raw client's `ResponseValue`), `serde_json`,
// `uuid` and `chrono` (field types of `types`), `httpmock` (the `mock` helpers).
pub use chrono;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub use httpmock;
pub use progenitor_client;
pub use reqwest;
pub use serde_json;
pub use uuid;

pub use body::IntoBody;
pub use client::{Client, ClientBuilder, Server};
pub use error::{
    ApiError, DecodeError, Error, InvalidRequest, RedirectError, ResponseTooLarge, Result, TransportError, Violation,
};
pub use generated::operations::OPERATIONS;
pub use lenient::{FlexibleNumber, NotANumber, UnknownValue, UnknownVariant};
pub use lenient_bool::FlexibleBoolean;
pub use nullable::Nullable;
pub use operation::Operation;
pub use options::RequestOptions;
pub use pager::Pager;
pub use redirect::redirect_policy;
pub use retry::RetryPolicy;
pub use upload::Upload;

/// Request and response types of the API (generated).
#[allow(missing_docs)]
pub mod types {
    pub use crate::generated::client::types::*;
    pub use crate::generated::enums::*;
    pub use crate::generated::operations::queries::*;
}

/// The generated progenitor client, with builder-style calls that return
/// [`ResponseValue`](raw::ResponseValue)s (status, headers and the decoded envelope).
#[allow(missing_docs)]
pub mod raw {
    pub use crate::generated::client::{ByteStream, Client, Error, ResponseValue, builder, prelude};
}

/// Typed [`httpmock`](https://docs.rs/httpmock) helpers: `MockServerExt` adds one method per
/// operation to `httpmock::MockServer`; its `then` side answers a payload (`then.ok(&app)`,
/// wrapped in the `{success, payload}` envelope) or the service's error
/// (`then.api_error(402, "Not enough account balance")`).
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
#[allow(missing_docs)]
pub mod mock {
    pub use crate::generated::httpmock::*;
}
