//! Decoding what the service sends in more than one shape, or outside the documented values:
//! amounts as numbers or strings, enum values the spec does not list.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A decimal amount (money, rates) that the service sends either as a JSON number (`0.5`) or
/// as a numeric string (`"0.50"`). Both decode; the exact text is kept, so nothing is lost to
/// floating point, and it serialises back in the form it arrived in.
///
/// ```
/// use opentact_client::FlexibleNumber;
/// let a: FlexibleNumber = serde_json::from_str("\"0.50\"").unwrap();
/// let b: FlexibleNumber = serde_json::from_str("0.5").unwrap();
/// assert_eq!(a.as_str(), "0.50");
/// assert_eq!(a.to_f64(), b.to_f64());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FlexibleNumber {
    text: String,
    quoted: bool,
}

impl FlexibleNumber {
    /// The decimal as the service wrote it (`"0.50"` keeps its trailing zero).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value as a float (for display or arithmetic that tolerates rounding).
    pub fn to_f64(&self) -> f64 {
        // `text` is validated on construction, so this parse cannot fail.
        self.text.parse().unwrap_or(f64::NAN)
    }

    /// True when the service sent the value as a JSON string.
    pub fn was_string(&self) -> bool {
        self.quoted
    }
}

/// A string that is not a plain decimal number (`"12.5"`, `"-3"`, `"1e3"` are accepted).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotANumber(pub String);

impl fmt::Display for NotANumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a number", self.0)
    }
}

impl std::error::Error for NotANumber {}

impl FromStr for FlexibleNumber {
    type Err = NotANumber;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        match trimmed.parse::<f64>() {
            Ok(v) if v.is_finite() && !trimmed.is_empty() && !trimmed.starts_with('+') => {
                Ok(FlexibleNumber { text: trimmed.to_string(), quoted: true })
            }
            _ => Err(NotANumber(s.to_string())),
        }
    }
}

impl From<f64> for FlexibleNumber {
    fn from(v: f64) -> Self {
        FlexibleNumber { text: v.to_string(), quoted: false }
    }
}

impl From<i64> for FlexibleNumber {
    fn from(v: i64) -> Self {
        FlexibleNumber { text: v.to_string(), quoted: false }
    }
}

impl fmt::Display for FlexibleNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for FlexibleNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.quoted {
            return serializer.serialize_str(&self.text);
        }
        match (self.text.parse::<i64>(), self.text.parse::<f64>()) {
            (Ok(i), _) => serializer.serialize_i64(i),
            (_, Ok(f)) => serializer.serialize_f64(f),
            _ => serializer.serialize_str(&self.text),
        }
    }
}

impl<'de> Deserialize<'de> for FlexibleNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = FlexibleNumber;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a numeric string")
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(v.into())
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(FlexibleNumber { text: v.to_string(), quoted: false })
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(v.into())
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// An enum value the spec does not list, exactly as the service sent it. Only decoding
/// creates one, so requests cannot carry undocumented values; echoing one back is fine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue(
    // Boxed: every enum field of every entity is as large as its largest variant, and unknown
    // values are rare (an enum is 16 bytes instead of 56).
    Box<UnknownInner>,
);

#[derive(Clone, Debug, PartialEq, Eq)]
struct UnknownInner {
    json: serde_json::Value,
    text: String,
}

impl UnknownValue {
    /// The raw JSON value.
    pub fn as_json(&self) -> &serde_json::Value {
        &self.0.json
    }

    /// The value as text (a string's contents, or the JSON of anything else).
    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    pub(crate) fn from_json(json: serde_json::Value) -> Self {
        let text = match &json {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        UnknownValue(Box::new(UnknownInner { json, text }))
    }
}

impl std::hash::Hash for UnknownValue {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.json.to_string().hash(state);
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.text)
    }
}

impl Serialize for UnknownValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.0.json.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for UnknownValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(UnknownValue::from_json)
    }
}

/// A string that is not one of an enum's documented values (the error of the generated enums'
/// `FromStr`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownVariant {
    /// The enum's name in the spec.
    pub enum_name: &'static str,
    /// The value that was given.
    pub value: String,
}

impl UnknownVariant {
    pub(crate) fn new(enum_name: &'static str, value: &str) -> Self {
        UnknownVariant { enum_name, value: value.to_string() }
    }
}

impl fmt::Display for UnknownVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a documented {} value", self.value, self.enum_name)
    }
}

impl std::error::Error for UnknownVariant {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_strings_decode_and_round_trip() {
        for (json, text, quoted) in
            [("\"0.50\"", "0.50", true), ("1.5", "1.5", false), ("7", "7", false), ("\"-3\"", "-3", true)]
        {
            let n: FlexibleNumber = serde_json::from_str(json).unwrap();
            assert_eq!((n.as_str(), n.was_string()), (text, quoted), "{json}");
            assert_eq!(serde_json::to_string(&n).unwrap(), json);
        }
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for json in ["\"abc\"", "\"\"", "true", "null", "\"NaN\"", "\"inf\"", "{}"] {
            assert!(serde_json::from_str::<FlexibleNumber>(json).is_err(), "{json}");
        }
    }
}
