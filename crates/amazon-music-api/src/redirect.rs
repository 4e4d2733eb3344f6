//! Which redirects a request may follow: only those to the same origin.
//!
//! reqwest's default policy follows up to ten redirects to anywhere and strips only the headers
//! it knows to be credentials (`Authorization`, cookies) when the host changes. The API key
//! travels in a custom header, `x-api-key`, which reqwest would carry to any host a redirect
//! names. The generated [`Client::new`](crate::Client::new) therefore builds its HTTP client with
//! [`same_origin_redirects`]; whoever passes their own `reqwest::Client` to
//! [`Client::new_with_client`](crate::Client::new_with_client) should do the same.

/// Follows a redirect only to the same scheme, host and port as the request (at most five
/// times); any other redirect is returned to the caller as the 3xx response it is.
///
/// ```
/// let http = reqwest::Client::builder()
///     .redirect(amazon_music_api::same_origin_redirects())
///     .build()
///     .unwrap();
/// let client = amazon_music_api::Client::new_with_client(
///     "https://api.music.amazon.dev/v1",
///     http,
///     amazon_music_api::Credentials::new("security-profile-id", "token"),
/// );
/// # let _ = client;
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt.previous().first().is_some_and(|first| {
            first.scheme() == attempt.url().scheme()
                && first.host_str() == attempt.url().host_str()
                && first.port_or_known_default() == attempt.url().port_or_known_default()
        });
        if !same || attempt.previous().len() > 5 {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// The builder the generated `Client::new` starts from (the adaptation step points it here).
pub(crate) fn client_builder() -> reqwest::ClientBuilder {
    #[cfg(not(target_arch = "wasm32"))]
    return reqwest::ClientBuilder::new().redirect(same_origin_redirects());
    // In a browser, fetch follows redirects itself and the page's CORS rules apply.
    #[cfg(target_arch = "wasm32")]
    return reqwest::ClientBuilder::new();
}
