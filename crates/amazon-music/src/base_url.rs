//! Where the API is, and which hosts may be spoken to over plain `http`. A file of its own because
//! the client and the sign-in both need it, and the client also reaches the sign-in (through its
//! token provider).

/// The API's production base URL (V1).
pub const DEFAULT_BASE_URL: &str = "https://api.music.amazon.dev/v1";

/// Whether `url`'s host is loopback (`localhost`, `127.0.0.0/8`, `::1`): the one place plain
/// `http` is allowed without `allow_insecure_http`, for the API and Login with Amazon alike.
pub(crate) fn is_loopback(url: &url::Url) -> bool {
    use std::net::IpAddr;
    match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost",
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}
