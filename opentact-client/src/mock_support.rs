//! The response bodies the generated typed-mock helpers answer with (feature `mock`).

use serde::Serialize;

/// `{"success": true, "payload": ...}`
#[derive(Serialize)]
pub(crate) struct Success<'a, P: ?Sized> {
    success: bool,
    payload: &'a P,
}

impl<'a, P: ?Sized> Success<'a, P> {
    pub(crate) fn new(payload: &'a P) -> Self {
        Success { success: true, payload }
    }
}

/// The service's error body: `{"success": false, "message": ..., "status": ...}`.
#[derive(Serialize)]
pub(crate) struct Failure<'a> {
    success: bool,
    message: &'a str,
    status: u16,
}

impl<'a> Failure<'a> {
    pub(crate) fn new(status: u16, message: &'a str) -> Self {
        Failure { success: false, message, status }
    }
}
