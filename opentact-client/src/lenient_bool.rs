//! A flag the service sends either as a JSON boolean or as the string `"true"`/`"false"`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A flag that a response carries either as a JSON boolean (`true`) or as a string
/// (`"true"`, as the docs' GetOrderByUUID example echoes an order's request). Both decode;
/// it serialises back in the form it arrived in.
///
/// ```
/// use opentact_client::FlexibleBoolean;
/// let a: FlexibleBoolean = serde_json::from_str("\"true\"").unwrap();
/// let b: FlexibleBoolean = serde_json::from_str("true").unwrap();
/// assert!(a.get() && b.get() && a.was_string());
/// assert!(serde_json::from_str::<FlexibleBoolean>("\"yes\"").is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FlexibleBoolean {
    value: bool,
    quoted: bool,
}

impl FlexibleBoolean {
    /// The flag.
    pub fn get(&self) -> bool {
        self.value
    }

    /// True when the service sent the flag as a JSON string.
    pub fn was_string(&self) -> bool {
        self.quoted
    }
}

impl From<bool> for FlexibleBoolean {
    fn from(value: bool) -> Self {
        FlexibleBoolean { value, quoted: false }
    }
}

impl fmt::Display for FlexibleBoolean {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value)
    }
}

impl Serialize for FlexibleBoolean {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.quoted {
            serializer.serialize_str(if self.value { "true" } else { "false" })
        } else {
            serializer.serialize_bool(self.value)
        }
    }
}

impl<'de> Deserialize<'de> for FlexibleBoolean {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = FlexibleBoolean;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or the string \"true\" or \"false\"")
            }

            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(v.into())
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                match v {
                    "true" => Ok(FlexibleBoolean { value: true, quoted: true }),
                    "false" => Ok(FlexibleBoolean { value: false, quoted: true }),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(v), &self)),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::FlexibleBoolean;

    #[test]
    fn decodes_both_forms_and_serialises_back_unchanged() {
        for json in ["true", "false", "\"true\"", "\"false\""] {
            let flag: FlexibleBoolean = serde_json::from_str(json).unwrap();
            assert_eq!(flag.get(), json.contains("true"));
            assert_eq!(serde_json::to_string(&flag).unwrap(), json);
        }
    }

    #[test]
    fn rejects_other_values() {
        for json in ["\"True\"", "\"1\"", "1", "null", "\"\""] {
            assert!(serde_json::from_str::<FlexibleBoolean>(json).is_err(), "{json}");
        }
    }
}
