//! The device flow: a code pair for the person to enter elsewhere, then polling the token
//! endpoint. LWA's requests predate RFC 8628's final form: its own `grant_type`, and the user
//! code sent beside the device code.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use serde::Deserialize;

use super::client::Lwa;
use super::error::{LwaError, LwaErrorCode};
use super::http::decode;
use crate::auth::scope::Scope;
use crate::auth::token_set::{LONGEST_LIFETIME, TokenSet};

/// How many seconds a `slow_down` answer adds to the polling interval (RFC 8628, 3.5).
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// The polling interval when the code pair names none (RFC 8628's default).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// A device sign-in in progress: show [`user_code`](Self::user_code) and
/// [`verification_uri`](Self::verification_uri) to the person, then
/// [`Lwa::poll_device_flow`]. The device code itself stays inside (redacted in `Debug`).
#[derive(Clone)]
pub struct DeviceAuthorization {
    user_code: String,
    device_code: String,
    verification_uri: String,
    expires_in: Duration,
    interval: Duration,
    scopes: Vec<Scope>,
    started: tokio::time::Instant,
}

impl fmt::Debug for DeviceAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceAuthorization")
            .field("user_code", &self.user_code)
            .field("device_code", &"<redacted>")
            .field("verification_uri", &self.verification_uri)
            .field("expires_in", &self.expires_in)
            .field("interval", &self.interval)
            .finish()
    }
}

impl DeviceAuthorization {
    /// The code the person enters at the verification URI.
    pub fn user_code(&self) -> &str {
        &self.user_code
    }

    /// Where the person enters the code (amazon.com/code, for the real service).
    pub fn verification_uri(&self) -> &str {
        &self.verification_uri
    }

    /// How long the code stays valid from when it was issued.
    pub fn expires_in(&self) -> Duration {
        self.expires_in
    }

    /// How long to wait between polls, as LWA asked.
    pub fn interval(&self) -> Duration {
        self.interval
    }
}

#[derive(Deserialize)]
struct CodePair {
    user_code: String,
    device_code: String,
    verification_uri: String,
    expires_in: u64,
    interval: Option<u64>,
}

impl Lwa {
    /// Step 1 of the device flow: asks LWA for a code pair. Show the person the result's
    /// user code and verification URI, then call [`poll_device_flow`](Self::poll_device_flow).
    pub async fn start_device_flow(
        &self,
        scopes: &[Scope],
    ) -> Result<DeviceAuthorization, LwaError> {
        if scopes.is_empty() {
            return Err(LwaError::Config(
                "no scopes: ask for at least one (see scopes_for)".into(),
            ));
        }
        let scope = Scope::join(scopes);
        let form = [
            ("response_type", "device_code"),
            ("client_id", self.inner.config.client_id.as_str()),
            ("scope", scope.as_str()),
        ];
        let started = tokio::time::Instant::now();
        let body = self
            .post_form(self.inner.code_pair_url.clone(), &form)
            .await?;
        let pair: CodePair = decode(&body, "the code pair")?;
        if pair.user_code.is_empty() || pair.device_code.is_empty() {
            return Err(LwaError::Response(
                "the code pair has an empty user or device code".into(),
            ));
        }
        if pair.expires_in == 0 {
            return Err(LwaError::Response(
                "the code pair expires at once (expires_in 0)".into(),
            ));
        }
        Ok(DeviceAuthorization {
            user_code: pair.user_code,
            device_code: pair.device_code,
            verification_uri: pair.verification_uri,
            expires_in: Duration::from_secs(pair.expires_in).min(LONGEST_LIFETIME),
            interval: pair
                .interval
                .filter(|&s| s > 0)
                .map_or(DEFAULT_INTERVAL, Duration::from_secs),
            scopes: scopes.to_vec(),
            started,
        })
    }

    /// Step 3 of the device flow: polls the token endpoint every interval (longer after each
    /// `slow_down`) until the person has entered the code, then returns the tokens. No wait
    /// reaches past the code's expiry, whatever interval LWA asks for: the last poll is at the
    /// expiry.
    ///
    /// Stops with [`LwaError::DeviceCodeExpired`] once the code has expired,
    /// [`LwaError::Denied`] when the person declines, and [`LwaError::Cancelled`] as soon as
    /// `cancel` completes (pass `std::future::pending()` to never cancel, or a Ctrl-C signal).
    pub async fn poll_device_flow(
        &self,
        authorization: &DeviceAuthorization,
        cancel: impl Future<Output = ()>,
    ) -> Result<TokenSet, LwaError> {
        tokio::select! {
            biased;
            () = cancel => Err(LwaError::Cancelled),
            result = self.poll_until_done(authorization) => result,
        }
    }

    async fn poll_until_done(
        &self,
        authorization: &DeviceAuthorization,
    ) -> Result<TokenSet, LwaError> {
        // A server that never says `expired_token` must not keep the device polling, and one
        // that asks for a long interval must not keep it asleep past the code's end.
        let deadline = authorization
            .started
            .checked_add(authorization.expires_in)
            .ok_or_else(|| {
                LwaError::Response("the code pair's lifetime is beyond the clock".into())
            })?;
        let mut interval = authorization.interval;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() {
                return Err(LwaError::DeviceCodeExpired);
            }
            // The last poll is at the deadline: the person may have entered the code since
            // the one before.
            tokio::time::sleep(interval.min(left)).await;
            match self.device_token(authorization).await {
                Err(LwaError::Lwa {
                    code: LwaErrorCode::AuthorizationPending,
                    ..
                }) => {}
                Err(LwaError::Lwa {
                    code: LwaErrorCode::SlowDown,
                    ..
                }) => interval = interval.saturating_add(SLOW_DOWN_STEP),
                other => return other,
            }
        }
    }

    async fn device_token(
        &self,
        authorization: &DeviceAuthorization,
    ) -> Result<TokenSet, LwaError> {
        // LWA's own grant: the bare word `device_code`, and the user code beside the device
        // code (RFC 8628 has neither).
        let form = [
            ("grant_type", "device_code"),
            ("device_code", authorization.device_code.as_str()),
            ("user_code", authorization.user_code.as_str()),
        ];
        // The device code names the client: no client id or secret goes with it.
        self.token_grant(&form, false, &authorization.scopes).await
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use crate::auth::lwa::config::LwaConfig;
    use crate::auth::lwa::test_server::{device_flow_server, serve_json, serve_pending};

    use super::*;

    const PENDING: &str = r#"{"error":"authorization_pending"}"#;
    const SLOW_DOWN: &str = r#"{"error":"slow_down"}"#;

    /// Signs in with the device flow against [`device_flow_server`] on a paused clock: the
    /// result, the poll times in seconds, and how long it all took.
    async fn poll_hostile(
        pair: &'static str,
        poll: &'static str,
    ) -> (Result<TokenSet, LwaError>, Vec<f64>, Duration) {
        let (url, polls) = device_flow_server(pair, poll).await;
        let started = tokio::time::Instant::now();
        // No request timeout: on a paused clock it is what time would jump to mid-request.
        let lwa = Lwa::new(LwaConfig::new("id").base_url(url).request_timeout(None)).unwrap();
        let pending = lwa.start_device_flow(&[Scope::Catalog]).await.unwrap();
        let result = lwa.poll_device_flow(&pending, std::future::pending()).await;
        let times = polls
            .lock()
            .unwrap()
            .iter()
            .map(Duration::as_secs_f64)
            .collect();
        (result, times, started.elapsed())
    }

    /// `interval: u64::MAX` slept for about thirty years, then overflowed the clock.
    #[tokio::test(start_paused = true)]
    async fn a_huge_interval_is_cut_to_the_codes_lifetime() {
        let (result, polls, took) = poll_hostile(
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":600,"interval":18446744073709551615}"#,
            PENDING,
        )
        .await;
        assert!(
            matches!(result, Err(LwaError::DeviceCodeExpired)),
            "{result:?}"
        );
        assert_eq!(polls, [600.0], "one poll, when the code expires");
        assert_eq!(took, Duration::from_secs(600));
    }

    /// An interval beyond the code's lifetime slept past its end, then polled with a dead code.
    #[tokio::test(start_paused = true)]
    async fn an_interval_longer_than_the_lifetime_polls_once_at_expiry() {
        let (result, polls, took) = poll_hostile(
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":60,"interval":600}"#,
            PENDING,
        )
        .await;
        assert!(
            matches!(result, Err(LwaError::DeviceCodeExpired)),
            "{result:?}"
        );
        assert_eq!(polls, [60.0]);
        assert_eq!(took, Duration::from_secs(60));
    }

    /// Each `slow_down` adds 5 s, but no wait reaches past the code's end.
    #[tokio::test(start_paused = true)]
    async fn repeated_slow_downs_never_sleep_past_expiry() {
        let (result, polls, took) = poll_hostile(
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":60,"interval":5}"#,
            SLOW_DOWN,
        )
        .await;
        assert!(
            matches!(result, Err(LwaError::DeviceCodeExpired)),
            "{result:?}"
        );
        // 5, 10, 15, 20 s apart, then the 10 s left rather than 25.
        assert_eq!(polls, [5.0, 15.0, 30.0, 50.0, 60.0]);
        assert_eq!(took, Duration::from_secs(60));
    }

    /// `slow_down` on top of the largest interval saturates instead of overflowing.
    #[tokio::test(start_paused = true)]
    async fn slowing_down_the_largest_interval_does_not_overflow() {
        let (result, polls, _) = poll_hostile(
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":600,"interval":18446744073709551615}"#,
            SLOW_DOWN,
        )
        .await;
        assert!(
            matches!(result, Err(LwaError::DeviceCodeExpired)),
            "{result:?}"
        );
        assert_eq!(polls, [600.0]);
    }

    /// A code already expired when polling starts is not slept on, nor polled with.
    #[tokio::test(start_paused = true)]
    async fn a_code_expired_before_polling_starts_ends_at_once() {
        let (url, polls) = device_flow_server(
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":60,"interval":5}"#,
            PENDING,
        )
        .await;
        let lwa = Lwa::new(LwaConfig::new("id").base_url(url).request_timeout(None)).unwrap();
        let pending = lwa.start_device_flow(&[Scope::Catalog]).await.unwrap();
        tokio::time::advance(Duration::from_secs(61)).await;
        let before = tokio::time::Instant::now();
        let result = lwa.poll_device_flow(&pending, std::future::pending()).await;
        assert!(
            matches!(result, Err(LwaError::DeviceCodeExpired)),
            "{result:?}"
        );
        assert_eq!(before.elapsed(), Duration::ZERO, "no sleep first");
        assert!(polls.lock().unwrap().is_empty());
    }

    /// A server that never answers `expired_token` does not keep the device polling: the
    /// code's own lifetime (and one interval of grace) ends it.
    #[tokio::test]
    async fn polling_stops_when_the_code_expires_whatever_the_server_says() {
        let lwa = lwa_at(&serve_pending());
        let authorization = DeviceAuthorization {
            user_code: "U".into(),
            device_code: "D".into(),
            verification_uri: "https://a.example".into(),
            expires_in: Duration::from_millis(100),
            interval: Duration::from_millis(50),
            scopes: vec![Scope::Catalog],
            started: tokio::time::Instant::now(),
        };
        let polled = tokio::time::timeout(
            Duration::from_secs(20),
            lwa.poll_device_flow(&authorization, std::future::pending()),
        )
        .await
        .expect("polling ends on its own");
        assert!(
            matches!(polled, Err(LwaError::DeviceCodeExpired)),
            "{polled:?}"
        );
    }

    fn lwa_at(url: &str) -> Lwa {
        Lwa::new(LwaConfig::new("id").base_url(url.trim_end_matches('/'))).unwrap()
    }

    /// A code pair missing either code cannot be used: the person would be shown a code that
    /// signs nobody in, or the device would poll with nothing.
    #[tokio::test]
    async fn a_code_pair_without_either_code_is_refused() {
        for body in [
            r#"{"user_code":"","device_code":"D","verification_uri":"https://a.example","expires_in":600,"interval":5}"#,
            r#"{"user_code":"U","device_code":"","verification_uri":"https://a.example","expires_in":600,"interval":5}"#,
        ] {
            let error = lwa_at(&serve_json(body))
                .start_device_flow(&[Scope::Catalog])
                .await
                .unwrap_err();
            assert!(
                matches!(&error, LwaError::Response(m) if m.contains("empty user or device code")),
                "{body}: {error}"
            );
        }
        let fine = r#"{"user_code":"U","device_code":"dev-SECRET-9","verification_uri":"https://a.example","expires_in":600,"interval":7}"#;
        let pair = lwa_at(&serve_json(fine))
            .start_device_flow(&[Scope::Catalog])
            .await
            .unwrap();
        assert_eq!(pair.user_code(), "U");
        assert_eq!(pair.verification_uri(), "https://a.example");
        assert_eq!(pair.interval(), Duration::from_secs(7));
        assert_eq!(pair.expires_in(), Duration::from_secs(600));
        // What to show the person, and not the code the device polls with.
        let shown = format!("{pair:?}");
        assert!(
            shown.starts_with(
                "DeviceAuthorization { user_code: \"U\", device_code: \"<redacted>\", \
                 verification_uri: \"https://a.example\""
            ),
            "{shown}"
        );
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    /// Lifetimes far beyond LWA's are a broken answer: taken as a day, never an overflow of the
    /// clock (`u64::MAX` seconds added to now would panic).
    #[tokio::test]
    async fn absurd_lifetimes_are_capped_not_added_to_the_clock() {
        let pair = lwa_at(&serve_json(
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":18446744073709551615}"#,
        ))
        .start_device_flow(&[Scope::Catalog])
        .await
        .unwrap();
        assert_eq!(pair.expires_in(), Duration::from_secs(86_400), "a day");

        let old = TokenSet::new("a1", Some("r1".into()), SystemTime::now(), vec![]);
        let refreshed = lwa_at(&serve_json(
            r#"{"access_token":"a2","token_type":"bearer","expires_in":18446744073709551615}"#,
        ))
        .refresh(&old)
        .await
        .unwrap();
        assert_eq!(refreshed.access_token(), "a2");
        let left = refreshed.expires_in();
        assert!(
            left <= LONGEST_LIFETIME && left > LONGEST_LIFETIME - Duration::from_secs(60),
            "{left:?}"
        );
    }

    /// An interval of 0 would poll in a tight loop, and LWA may leave it out: either way the
    /// documented default applies.
    #[tokio::test]
    async fn a_missing_or_zero_interval_polls_at_the_default() {
        for body in [
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":600,"interval":0}"#,
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":600}"#,
        ] {
            let pair = lwa_at(&serve_json(body))
                .start_device_flow(&[Scope::Catalog])
                .await
                .unwrap();
            assert_eq!(pair.interval(), DEFAULT_INTERVAL, "{body}");
        }
    }

    /// A failed request says what failed, without the URL.
    #[tokio::test]
    async fn a_transport_failure_says_what_failed() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let error = lwa_at(&url)
            .start_device_flow(&[Scope::Catalog])
            .await
            .unwrap_err();
        let text = error.to_string();
        assert!(matches!(error, LwaError::Transport(_)), "{text}");
        assert!(text.contains("cannot connect"), "{text}");
        assert!(!text.contains(&url), "{text}");
    }

    #[test]
    fn decode_errors_name_the_path_never_the_value() {
        let error =
            decode::<CodePair>(br#"{"user_code":"U","device_code":7,"verification_uri":"v","expires_in":"secret-ish"}"#, "the code pair")
                .err()
                .unwrap();
        let text = error.to_string();
        assert!(text.contains("device_code"), "{text}");
        assert!(!text.contains("secret-ish"), "{text}");
    }
}
