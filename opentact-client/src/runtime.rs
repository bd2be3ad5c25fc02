//! The only paths generated code names (`crate::runtime::…`), re-exported from the modules
//! that do each job, so that codegen's output does not depend on how the hand-written layer is
//! split. `tests/tests/it/generation.rs` fails when a generated file names a path of this
//! crate outside `crate::runtime` and `crate::generated`.

pub(crate) use crate::body::{Context, IntoBody, builder_violation};
pub(crate) use crate::client::{Client, ClientState};
pub(crate) use crate::credentials::Credential;
pub(crate) use crate::envelope::{Envelope, EnvelopeParts, IntoPayload, call, from_response};
// For operations that answer without a body (`204`); the current spec has none.
#[allow(unused_imports)]
pub(crate) use crate::envelope::call_empty;
pub(crate) use crate::error::Result;
pub(crate) use crate::lenient::{FlexibleNumber, UnknownValue};
pub(crate) use crate::lenient_bool::FlexibleBoolean;
#[cfg(feature = "mock")]
pub(crate) use crate::mock_support::{Failure, Success};
pub(crate) use crate::nullable::{self, Nullable};
pub(crate) use crate::open_enum::{integer_enum_traits, string_enum_traits};
pub(crate) use crate::operation::Operation;
pub(crate) use crate::pager::{Page, PageItems, PageRequest, PageTotal, Pager, first_page, pager};
pub(crate) use crate::timestamp;
pub(crate) use crate::upload::Upload;
pub(crate) use crate::validation::{Check, Rule, Step, parse_param, validate};
