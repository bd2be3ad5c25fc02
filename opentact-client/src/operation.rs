//! The operation table's row type.

/// One operation of the API, as the spec describes it (see [`OPERATIONS`](crate::OPERATIONS)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The spec's `operationId` (the Opentact docs' heading), e.g. `CreateTNOrder`.
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path relative to the server URL, with `{name}` placeholders.
    pub path: &'static str,
    /// The name of the method on [`Client`](crate::Client) (and on the raw client).
    pub method_name: &'static str,
}

#[cfg(test)]
mod tests {
    use crate::generated::operations::operation_id;

    #[test]
    fn the_hooks_find_each_operation_id_by_its_method_name() {
        for op in crate::OPERATIONS {
            assert_eq!(operation_id(op.method_name), op.id, "{op:?}");
        }
        assert_eq!(operation_id("not_an_operation"), "not_an_operation");
    }
}
