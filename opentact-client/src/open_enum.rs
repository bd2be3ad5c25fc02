//! Decoding of the generated open enums: a documented value becomes its variant without
//! allocating; only a value the spec does not list is kept, as an [`UnknownValue`].

use std::fmt;

use serde::Deserializer;
use serde::de::{self, Visitor};

use crate::UnknownValue;

/// A string enum: `known` maps a documented value to its variant, `unknown` wraps anything
/// else (another string, or a number, object, ... exactly as sent).
pub(crate) fn string_enum<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    known: fn(&str) -> Option<T>,
    unknown: fn(UnknownValue) -> T,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(OpenVisitor { known: Known::String(known), unknown })
}

/// An integer enum: `known` maps a documented number to its variant; the number may also come
/// as a string (`"1"`); anything else is wrapped by `unknown`.
pub(crate) fn integer_enum<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    known: fn(i64) -> Option<T>,
    unknown: fn(UnknownValue) -> T,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(OpenVisitor { known: Known::Integer(known), unknown })
}

/// The trait impls of a generated string enum, which has `as_str()` and a private
/// `from_known(&str) -> Option<Self>`: `Display` and `Serialize` write the wire value
/// (an `Unknown` one as it came), `FromStr` and `TryFrom<&str>` accept documented values only,
/// `Deserialize` keeps anything else as `Unknown`.
macro_rules! string_enum_traits {
    ($name:ident, $schema:literal) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = crate::UnknownVariant;
            /// Parses a documented value; anything else is an error.
            fn from_str(value: &str) -> Result<Self, crate::UnknownVariant> {
                Self::from_known(value).ok_or_else(|| crate::UnknownVariant::new($schema, value))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = crate::UnknownVariant;
            fn try_from(value: &str) -> Result<Self, crate::UnknownVariant> {
                value.parse()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::Unknown(raw) => ::serde::Serialize::serialize(raw, serializer),
                    known => serializer.serialize_str(known.as_str()),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // Documented values decode without allocating.
                crate::open_enum::string_enum(deserializer, Self::from_known, Self::Unknown)
            }
        }
    };
}
pub(crate) use string_enum_traits;

/// The trait impls of a generated integer enum, which has `value() -> Option<i64>` and a
/// private `from_number(i64) -> Option<Self>`: as for strings, and the number may also come
/// as a string (`"1"`).
macro_rules! integer_enum_traits {
    ($name:ident, $schema:literal) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match (self.value(), self) {
                    (Some(n), _) => write!(f, "{n}"),
                    (None, Self::Unknown(raw)) => f.write_str(raw.as_str()),
                    (None, _) => Ok(()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = crate::UnknownVariant;
            /// Parses a documented value (`"1"`); anything else is an error.
            fn from_str(value: &str) -> Result<Self, crate::UnknownVariant> {
                value
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .and_then(Self::from_number)
                    .ok_or_else(|| crate::UnknownVariant::new($schema, value))
            }
        }

        impl TryFrom<i64> for $name {
            type Error = crate::UnknownVariant;
            fn try_from(value: i64) -> Result<Self, crate::UnknownVariant> {
                Self::from_number(value).ok_or_else(|| crate::UnknownVariant::new($schema, &value.to_string()))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::Unknown(raw) => ::serde::Serialize::serialize(raw, serializer),
                    known => serializer.serialize_i64(known.value().unwrap_or_default()),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            /// Accepts the number, or the number as a string (`"1"`).
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::open_enum::integer_enum(deserializer, Self::from_number, Self::Unknown)
            }
        }
    };
}
pub(crate) use integer_enum_traits;

enum Known<T> {
    String(fn(&str) -> Option<T>),
    Integer(fn(i64) -> Option<T>),
}

struct OpenVisitor<T> {
    known: Known<T>,
    unknown: fn(UnknownValue) -> T,
}

impl<T> OpenVisitor<T> {
    fn keep(&self, json: serde_json::Value) -> T {
        (self.unknown)(UnknownValue::from_json(json))
    }
}

impl<'de, T> Visitor<'de> for OpenVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an enum value")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        let found = match self.known {
            Known::String(known) => known(value),
            Known::Integer(known) => value.trim().parse().ok().and_then(known),
        };
        Ok(found.unwrap_or_else(|| self.keep(value.into())))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        let found = match self.known {
            Known::Integer(known) => known(value),
            Known::String(_) => None,
        };
        Ok(found.unwrap_or_else(|| self.keep(value.into())))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        match i64::try_from(value) {
            Ok(value) => self.visit_i64(value),
            Err(_) => Ok(self.keep(value.into())),
        }
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        Ok(self.keep(value.into()))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<T, E> {
        Ok(self.keep(value.into()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(self.keep(serde_json::Value::Null))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        let json = serde::Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(self.keep(json))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let json = serde::Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(self.keep(json))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq)]
    enum Sample {
        Known,
        Unknown(UnknownValue),
    }

    fn string(json: serde_json::Value) -> Sample {
        let known = |v: &str| (v == "known").then_some(Sample::Known);
        let text = json.to_string();
        let from_value = string_enum(json, known, Sample::Unknown).unwrap();
        // The same through the text decoder the client uses.
        let from_text = string_enum(&mut serde_json::Deserializer::from_str(&text), known, Sample::Unknown).unwrap();
        assert_eq!(from_value, from_text);
        from_value
    }

    fn integer(json: serde_json::Value) -> Sample {
        integer_enum(json, |n| (n == 1).then_some(Sample::Known), Sample::Unknown).unwrap()
    }

    #[test]
    fn documented_values_are_variants_and_anything_else_is_kept_as_sent() {
        assert_eq!(string(json!("known")), Sample::Known);
        assert_eq!(integer(json!(1)), Sample::Known);
        assert_eq!(integer(json!(" 1 ")), Sample::Known, "a number sent as a string");
        for raw in [json!("other"), json!(1), json!(-2.5), json!(true), json!([1, "a"]), json!({"a": {"b": null}})] {
            let Sample::Unknown(kept) = string(raw.clone()) else { panic!("{raw} is not a documented value") };
            assert_eq!(kept.as_json(), &raw);
        }
        for raw in [json!(2), json!("2"), json!("one"), json!(u64::MAX), json!(1.0), json!({"n": 1})] {
            let Sample::Unknown(kept) = integer(raw.clone()) else { panic!("{raw} is not a documented value") };
            assert_eq!(kept.as_json(), &raw);
        }
    }
}
