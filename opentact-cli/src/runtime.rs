//! The only module the generated code names (`crate::runtime::...`), so the hand-written part
//! can be arranged freely.

pub(crate) use crate::error::Error;
pub(crate) use crate::input::Input;
pub(crate) use crate::output::to_json;
pub(crate) use crate::table::{Arg, BodyKind, Command, Effect, Group, Location, ValueType};
