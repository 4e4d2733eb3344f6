//! The runtime half of the adaptation step: what progenitor cannot express, applied to every
//! request just before it is sent. Each adaptation is listed in ARCHITECTURE.md.

use progenitor_client::{ClientHooks, Error, OperationInfo};
use reqwest::Url;

use crate::Client;
use crate::body::bounded_response;
use crate::generated_adaptations::COMMA_SEPARATED_QUERY;

impl ClientHooks<crate::Credentials> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        // progenitor ignores security schemes: both credentials go on every request.
        self.inner.apply(request.headers_mut());
        for (operation, parameter) in COMMA_SEPARATED_QUERY {
            if *operation == info.operation_id {
                join_comma_separated(request.url_mut(), parameter);
            }
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let response = match self.inner.transport() {
            Some(transport) => {
                transport
                    .execute(&self.client, request, info.operation_id)
                    .await
            }
            None => self.client.execute(request).await,
        }?;
        // Every body the generated code (or the caller, from `UnexpectedResponse`) reads is
        // bounded here, whatever sent the request.
        Ok(bounded_response(response, self.inner.max_response_bytes()))
    }
}

/// Rewrites `name=a&name=b` (progenitor's exploded array) into `name=a,b`, the spec's
/// `style: form, explode: false`. The comma between values is a literal delimiter; a comma
/// inside a value stays percent-encoded, as OpenAPI prescribes.
pub(crate) fn join_comma_separated(url: &mut Url, name: &str) {
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let values: Vec<&str> = pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .collect();
    if values.is_empty() {
        return;
    }
    let encode =
        |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    let mut query: Vec<String> = Vec::with_capacity(pairs.len());
    let mut joined = false;
    for (key, value) in &pairs {
        if key != name {
            query.push(format!("{}={}", encode(key), encode(value)));
        } else if !joined {
            // Keep the parameter where its first value stood.
            let list: Vec<String> = values.iter().map(|v| encode(v)).collect();
            query.push(format!("{}={}", encode(name), list.join(",")));
            joined = true;
        }
    }
    url.set_query(Some(&query.join("&")));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(url: &str, name: &str) -> String {
        let mut url = Url::parse(url).unwrap();
        join_comma_separated(&mut url, name);
        url.query().unwrap_or_default().to_owned()
    }

    #[test]
    fn exploded_values_become_one_comma_separated_value() {
        assert_eq!(
            joined("http://h/v1/albums?ids=B1&limit=5&ids=B2&ids=B3", "ids"),
            "ids=B1,B2,B3&limit=5"
        );
    }

    #[test]
    fn commas_and_reserved_characters_inside_a_value_stay_encoded() {
        assert_eq!(
            joined("http://h/?ids=a%2Cb&ids=c%26d", "ids"),
            "ids=a%2Cb,c%26d"
        );
    }

    #[test]
    fn other_parameters_and_absent_names_are_left_alone() {
        assert_eq!(
            joined("http://h/?limit=5&cursor=x", "ids"),
            "limit=5&cursor=x"
        );
    }
}
