//! The error object's `status`: an HTTP status code sent as a string of three digits.
//!
//! The spec gives the string a `pattern` (`^[1-5][0-9][0-9]$`). progenitor would check it with
//! the `regress` engine, a regular-expression crate that cost every dependant's build seconds
//! for this one three-character check; the generation step replaces the spec's `HttpStatus`
//! schema with this type, which checks the same language by hand. A test holds the two equal
//! over every three-character string of the characters that matter and over arbitrary text.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

/// An HTTP status code as the API's error object sends it: `"400"`, `"429"`, … (a string of
/// three digits, the first from 1 to 5).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct HttpStatus(String);

impl HttpStatus {
    /// The status as a number (`"404"` → 404).
    pub fn code(&self) -> u16 {
        // Three ASCII digits were checked on the way in.
        self.0.bytes().fold(0, |n, b| n * 10 + u16::from(b - b'0'))
    }
}

/// A string that is not an HTTP status code of three digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidHttpStatus {
    value: String,
}

impl fmt::Display for InvalidHttpStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an HTTP status code (three digits, the first from 1 to 5: the spec's \
             pattern \"^[1-5][0-9][0-9]$\")",
            self.value
        )
    }
}

impl std::error::Error for InvalidHttpStatus {}

fn is_status(value: &str) -> bool {
    matches!(value.as_bytes(), [b'1'..=b'5', b'0'..=b'9', b'0'..=b'9'])
}

impl FromStr for HttpStatus {
    type Err = InvalidHttpStatus;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        if is_status(value) {
            Ok(Self(value.to_owned()))
        } else {
            Err(InvalidHttpStatus {
                value: value.to_owned(),
            })
        }
    }
}

impl TryFrom<&str> for HttpStatus {
    type Error = InvalidHttpStatus;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl TryFrom<String> for HttpStatus {
    type Error = InvalidHttpStatus;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        if is_status(&value) {
            Ok(Self(value))
        } else {
            Err(InvalidHttpStatus { value })
        }
    }
}

impl From<HttpStatus> for String {
    fn from(value: HttpStatus) -> Self {
        value.0
    }
}

impl Deref for HttpStatus {
    type Target = String;

    fn deref(&self) -> &String {
        &self.0
    }
}

impl fmt::Display for HttpStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for HttpStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .try_into()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_read_and_anything_else_is_refused_with_the_value() {
        let status: HttpStatus = "429".parse().unwrap();
        assert_eq!(status.code(), 429);
        assert_eq!(status.as_str(), "429");
        let json: HttpStatus = serde_json::from_str("\"503\"").unwrap();
        assert_eq!(json.code(), 503);
        assert_eq!(serde_json::to_string(&json).unwrap(), "\"503\"");
        for bad in ["600", "099", "40", "4040", " 404", "4o4", "", "٤٠٤"] {
            let error = bad.parse::<HttpStatus>().unwrap_err();
            assert!(error.to_string().contains(&format!("{bad:?}")), "{error}");
        }
        let error = serde_json::from_str::<HttpStatus>("\"700\"").unwrap_err();
        assert!(error.to_string().contains("\"700\""), "{error}");
        assert!(serde_json::from_str::<HttpStatus>("404").is_err());
    }

    /// Written out, as text or as a `String`, it is the three digits it was read from.
    #[test]
    fn a_status_is_shown_and_given_back_as_its_digits() {
        let status: HttpStatus = "404".parse().unwrap();
        assert_eq!(status.to_string(), "404");
        assert_eq!(String::from(status), "404");
    }
}
