//! The one place where a response is looked at whole, for whatever watches the traffic: the
//! recorder (feature `record`) and the drift check (feature `drift-check`).
//!
//! The request's side is taken before it is sent ([`Observers::capture`]); once the response
//! arrives, its body is read here (the generated code would read it next anyway), turned into
//! the spec crate's [`Exchange`] once, shown to each enabled observer, and given back
//! to the generated code as an equivalent `reqwest::Response`. A client with no observer
//! enabled never gets here: the transport has `None` and sends as it would without.

use std::sync::Arc;

use amazon_music_spec::{Body, Exchange};
use reqwest::{Request, Response};

/// Every observer a client has enabled; built only when there is at least one.
pub(crate) struct Observers {
    #[cfg(feature = "record")]
    recorder: Option<Arc<crate::record::Recorder>>,
    #[cfg(feature = "drift-check")]
    drift: Option<Arc<crate::drift::DriftWatcher>>,
}

/// The request's side of an exchange, taken before the request is sent.
pub(crate) struct Captured {
    method: String,
    url: String,
    /// The credentials the request carries, for the recorder to remove.
    #[cfg(feature = "record")]
    secrets: Vec<String>,
}

impl Observers {
    /// The observers to run, or `None` when none is enabled (the transport then skips this
    /// module altogether).
    pub(crate) fn new(
        #[cfg(feature = "record")] recorder: Option<Arc<crate::record::Recorder>>,
        #[cfg(feature = "drift-check")] drift: Option<Arc<crate::drift::DriftWatcher>>,
    ) -> Option<Arc<Self>> {
        let observers = Self {
            #[cfg(feature = "record")]
            recorder,
            #[cfg(feature = "drift-check")]
            drift,
        };
        observers.any().then(|| Arc::new(observers))
    }

    fn any(&self) -> bool {
        #[cfg(feature = "record")]
        if self.recorder.is_some() {
            return true;
        }
        #[cfg(feature = "drift-check")]
        if self.drift.is_some() {
            return true;
        }
        false
    }

    /// What of `request` its exchange needs.
    pub(crate) fn capture(&self, request: &Request) -> Captured {
        Captured {
            method: request.method().as_str().to_owned(),
            url: match request.url().query() {
                Some(query) => format!("{}?{query}", request.url().path()),
                None => request.url().path().to_owned(),
            },
            #[cfg(feature = "record")]
            secrets: crate::record::secrets_of(request.headers()),
        }
    }

    /// Awaits `send`, reads its body (up to `max_response_bytes`), shows the exchange to every
    /// observer, and gives the response back intact.
    pub(crate) async fn around(
        &self,
        captured: Captured,
        operation: &'static str,
        max_response_bytes: usize,
        send: impl Future<Output = reqwest::Result<Response>>,
    ) -> reqwest::Result<Response> {
        let mut response = amazon_music_api::bounded_response(send.await?, max_response_bytes);
        let status = response.status();
        let version = response.version();
        // Moved, not copied, into the response rebuilt below; reading the body needs neither.
        let headers = std::mem::take(response.headers_mut());
        let extensions = std::mem::take(response.extensions_mut());
        let url = response.url().clone();
        let bytes = response.bytes().await?;
        let exchange = Exchange {
            method: captured.method,
            url: captured.url,
            status: status.as_u16(),
            // Only a recording keeps headers (an allow-list of them); the drift check reads
            // the status and the body. Taking them when only the drift check runs costs a few
            // header copies, against a body read and walked whole.
            #[cfg(feature = "record")]
            headers: crate::record::kept_headers(&headers),
            #[cfg(not(feature = "record"))]
            headers: Default::default(),
            body: Body::Empty,
        };
        #[cfg(feature = "drift-check")]
        if let Some(drift) = &self.drift {
            drift.submit(operation, &exchange, bytes.clone());
        }
        #[cfg(feature = "record")]
        if let Some(recorder) = &self.recorder {
            // The recorder's queue holds the bytes, which its file limit bounds, and its writer
            // parses them. A copy of a body within the limit: the response's own bytes may be
            // a slice of a larger read buffer, which a queued entry would keep whole.
            if recorder.takes(bytes.len()) {
                let body = bytes::Bytes::copy_from_slice(&bytes);
                recorder.hand_over(exchange, body, operation, captured.secrets);
            }
        }
        Ok(rebuild(status, version, headers, extensions, url, bytes))
    }
}

/// The response the generated code decodes: the one read here, with its body in memory and its
/// URL kept (`reqwest` carries a converted response's URL in an extension only its builder
/// sets).
fn rebuild(
    status: http::StatusCode,
    version: http::Version,
    headers: http::HeaderMap,
    extensions: http::Extensions,
    url: reqwest::Url,
    body: bytes::Bytes,
) -> Response {
    use reqwest::ResponseBuilderExt as _;
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    *rebuilt.extensions_mut() = extensions;
    if let Ok(carrier) = http::Response::builder().url(url).body(()) {
        rebuilt
            .extensions_mut()
            .extend(carrier.into_parts().0.extensions);
    }
    Response::from(rebuilt)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client that watches nothing sends as it would without this module: no buffering of
    /// bodies, no rebuilt responses.
    #[test]
    fn with_nothing_enabled_there_are_no_observers() {
        let observers = Observers::new(
            #[cfg(feature = "record")]
            None,
            #[cfg(feature = "drift-check")]
            None,
        );
        assert!(observers.is_none());
    }
}
