//! `null` where the spec makes a field optional, read as the field's absence.
//!
//! The spec's optional response fields are not `nullable`, but services built on common JSON
//! stacks send `null` for a value they do not have. An `Option` field already reads `null` as
//! `None`; a list or map field (which progenitor gives `#[serde(default)]` instead of an
//! `Option`) would refuse it and fail the whole response. The generation step points every such
//! field's `deserialize_with` here, so `null` reads as the empty value, exactly as if the field
//! were absent. Serialization is untouched: an empty value is still skipped on the wire.

/// Reads `null` as `T::default()`, anything else as a `T`.
pub(crate) fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    let value: Option<T> = serde::Deserialize::deserialize(deserializer)?;
    Ok(value.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Holder {
        #[serde(default, deserialize_with = "super::or_default")]
        list: Vec<u8>,
    }

    #[test]
    fn null_and_absence_read_alike_and_values_still_decode() {
        let null: Holder = serde_json::from_str(r#"{"list": null}"#).unwrap();
        let absent: Holder = serde_json::from_str("{}").unwrap();
        let given: Holder = serde_json::from_str(r#"{"list": [1, 2]}"#).unwrap();
        assert_eq!(null, absent);
        assert_eq!(given.list, vec![1, 2]);
    }

    #[test]
    fn a_wrong_type_is_still_an_error() {
        let error = serde_json::from_str::<Holder>(r#"{"list": "nope"}"#).unwrap_err();
        assert!(error.to_string().contains("invalid type"), "{error}");
    }
}
