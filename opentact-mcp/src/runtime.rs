//! The only module the generated code names (`crate::runtime::...`), so the hand-written part
//! can be arranged freely.

pub(crate) use crate::arguments::Arguments;
pub(crate) use crate::error::Error;
pub(crate) use crate::table::{Effect, Tool};

/// The payload as JSON, as the tool's result.
pub(crate) fn to_json<T: serde::Serialize>(payload: T) -> Result<serde_json::Value, Error> {
    serde_json::to_value(payload).map_err(|e| Error::Local(format!("cannot turn the payload into JSON: {e}")))
}
