//! The paths the generated code calls (`crate::runtime::…`), re-exported from the modules that
//! do each job, so that codegen's output does not depend on how the hand-written layer is split.

pub(crate) use crate::envelope::{Envelope, EnvelopeParts, IntoPayload, from_response, payload};
pub(crate) use crate::validation::{Check, Rule, Step, parse_param, validate};
