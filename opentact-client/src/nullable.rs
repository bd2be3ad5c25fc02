//! A request field the service lets a caller set to `null`: in an update (PATCH), `null`
//! clears a relation (`"sip_connection": null` detaches the lease) where leaving the field out
//! keeps it unchanged. Codegen types each optional, `nullable: true` field of a request body as
//! `Option<Nullable<T>>`: `None` leaves it out, `Some(Nullable::Null)` sends `null`,
//! `Some(Nullable::Value(v))` sends `v`. Builders set it with `field(v)`, `set_field(Option<v>)`
//! and `clear_field()`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that is sent as itself, or as `null` (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Sent as `null`.
    Null,
    /// Sent as the value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, if it is not `Null`.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Null => None,
            Nullable::Value(value) => Some(value),
        }
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` is `Null`.
    fn from(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

/// For `Option<Nullable<T>>` fields (with `#[serde(default)]`, so a missing field is `None`):
/// a field that is present, `null` included, is `Some`. serde's own `Option` would read `null`
/// as `None` and lose the difference.
pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Nullable<T>>, D::Error> {
    Nullable::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Update {
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
        link: Option<Nullable<u32>>,
    }

    #[test]
    fn absent_null_and_a_value_stay_apart_both_ways() {
        for (update, json) in [
            (Update { link: None }, "{}"),
            (Update { link: Some(Nullable::Null) }, r#"{"link":null}"#),
            (Update { link: Some(Nullable::Value(7)) }, r#"{"link":7}"#),
        ] {
            assert_eq!(serde_json::to_string(&update).unwrap(), json);
            assert_eq!(serde_json::from_str::<Update>(json).unwrap(), update);
        }
        assert!(serde_json::from_str::<Update>(r#"{"link":"seven"}"#).is_err());
    }
}
