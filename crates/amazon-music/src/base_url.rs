//! Where the API is. A file of its own because the client and the sign-in both need it, and the
//! client also reaches the sign-in (through its token provider).

/// The API's production base URL (V1).
pub const DEFAULT_BASE_URL: &str = "https://api.music.amazon.dev/v1";
