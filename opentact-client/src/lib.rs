#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod envelope;
mod error;
// Generated code is formatted by codegen (prettyplease), not rustfmt: `cargo xtask check` compares it byte for byte.
#[rustfmt::skip]
mod generated;
mod lenient;
mod open_enum;
mod operation;
mod retry;
mod runtime;
mod timestamp;
mod upload;
mod validation;

// The generated raw client holds this state (`crate::ClientState`); it is not part of the API.
pub(crate) use client::ClientState;
pub use client::{Client, ClientBuilder, Server};
pub use error::{ApiError, DecodeError, Error, InvalidRequest, Result, TransportError, Violation};
pub use generated::operations::OPERATIONS;
pub use lenient::{FlexibleNumber, NotANumber, UnknownValue, UnknownVariant};
pub use operation::Operation;
pub use retry::RetryPolicy;
pub use upload::Upload;

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
