#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod error;
// Generated code is formatted by codegen (prettyplease), not rustfmt: `cargo xtask check` compares it byte for byte.
#[rustfmt::skip]
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
