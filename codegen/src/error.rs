//! Why generation failed: the spec (with its file, line and pointer), progenitor, or codegen
//! itself. Only the first is the spec author's to fix; the others name the step that failed.

use std::fmt;
use std::path::PathBuf;

use crate::spec::SpecError;

/// Why [`generate`](crate::generate) produced nothing.
#[derive(Debug)]
pub enum GenerateError {
    /// The spec cannot be generated from: the file, the line and the JSON pointer say where.
    Spec(SpecError),
    /// progenitor rejected the (prepared) spec or failed on it. The lint rules are meant to
    /// catch every such spec first, with a line: one that reaches this is a missing lint rule.
    Progenitor {
        /// The spec file.
        file: PathBuf,
        /// What progenitor was asked for (the client, the typed mocks).
        output: &'static str,
        /// progenitor's message, or its panic's.
        message: String,
    },
    /// A step of codegen failed on a spec that planned: a rewrite of progenitor's output no
    /// longer applies (a newer progenitor or typify writes it differently), or generated code
    /// does not parse. A bug in codegen, not in the spec.
    Internal {
        /// The step (a pass of `rewrite::POST_PASSES`, `prepare`, `format`).
        step: &'static str,
        /// What went wrong.
        message: String,
    },
}

impl GenerateError {
    pub(crate) fn internal(step: &'static str, message: impl Into<String>) -> Self {
        GenerateError::Internal { step, message: message.into() }
    }
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::Spec(e) => e.fmt(f),
            GenerateError::Progenitor { file, output, message } => {
                write!(f, "{}: progenitor failed to generate {output}: {message}", file.display())
            }
            GenerateError::Internal { step, message } => {
                write!(f, "internal error in codegen's {step} step (a bug in codegen, not in the spec): {message}")
            }
        }
    }
}

impl std::error::Error for GenerateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            GenerateError::Spec(e) => Some(e),
            _ => None,
        }
    }
}

impl From<SpecError> for GenerateError {
    fn from(e: SpecError) -> Self {
        GenerateError::Spec(e)
    }
}
