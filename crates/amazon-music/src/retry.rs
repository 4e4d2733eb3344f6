//! When a failed request is sent again, and how long to wait first.
//!
//! Retried: `429 THROTTLED`, 502, 503 and 504, timeouts and connection failures, and only for
//! idempotent methods (GET, PUT, DELETE) and the POSTs that only read (`searchTracks`, a search
//! whose query travels in the body). The playback POSTs (create session, queue next/last,
//! report event) are never sent twice, and `429 MAX_CONCURRENCY_REACHED` (a concurrent-stream
//! limit, not a rate limit) is never retried. Waits grow exponentially with full jitter; a
//! `Retry-After` header, when present, says how long to wait instead. Both the number of
//! attempts and the total time are bounded.

use std::time::Duration;

use reqwest::{Method, StatusCode};

/// How many times, and for how long, a call is retried.
///
/// ```
/// use std::time::Duration;
/// let policy = amazon_music::RetryPolicy::default()
///     .max_attempts(6)
///     .max_elapsed(Duration::from_secs(60));
/// assert_eq!(policy.attempts(), 6);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; each further retry doubles it (before jitter).
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest single wait, `Retry-After` included.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// No retry starts after this much time has passed since the first attempt.
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Attempts in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The total time budget.
    pub fn elapsed_budget(&self) -> Duration {
        self.max_elapsed
    }

    /// Whether a retry may wait `delay` when `elapsed` has passed since the first attempt: it
    /// must start within the budget (at its very end still counts). Saturating, so that a
    /// huge `max_delay` and `Retry-After` end in "no" rather than an overflow.
    pub(crate) fn allows_wait(&self, elapsed: Duration, delay: Duration) -> bool {
        elapsed.saturating_add(delay) <= self.max_elapsed
    }

    /// The wait before attempt `attempt + 1` (`attempt` counts from 1): full jitter over an
    /// exponentially growing window, or `retry_after` when the server gave one.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_delay);
        }
        // Full jitter spreads clients that failed together so they do not retry together.
        self.window(attempt).mul_f64(fastrand::f64())
    }

    /// The longest wait after attempt `attempt`: `base_delay` doubled per attempt, up to
    /// `max_delay`. Apart from the jitter drawn inside it, so that its growth can be tested.
    fn window(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(16);
        self.base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay)
    }
}

/// Whether a request with this method may be sent twice without changing the outcome.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::PUT | Method::DELETE | Method::HEAD | Method::OPTIONS
    )
}

/// The operations sent with POST that change nothing (their query is a body): as safe to send
/// twice as a GET. Named as the generated crate hands them to the transport.
const READ_ONLY_POSTS: &[&str] = &["search_tracks"];

/// Whether a request of `operation` with this method may be sent twice without changing the
/// outcome: an idempotent method, or a POST that only reads.
pub(crate) fn may_repeat(method: &Method, operation: &str) -> bool {
    is_idempotent(method) || *method == Method::POST && READ_ONLY_POSTS.contains(&operation)
}

/// Statuses worth another attempt (429 still needs its code checked).
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Parses `Retry-After`: delay-seconds, or an HTTP date (a wait until then) in any of the three
/// forms RFC 9110 has recipients accept (IMF-fixdate, RFC 850, asctime), through `httpdate`,
/// which hyper already brings.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_must_end_within_the_time_budget() {
        let policy = RetryPolicy::default().max_elapsed(Duration::from_secs(10));
        let second = Duration::from_secs(1);
        let nanosecond = Duration::from_nanos(1);
        assert!(policy.allows_wait(4 * second, 5 * second));
        assert!(policy.allows_wait(4 * second, 6 * second));
        assert!(!policy.allows_wait(4 * second, 6 * second + nanosecond));
        assert!(!policy.allows_wait(11 * second, Duration::ZERO));
        assert_eq!(policy.elapsed_budget(), 10 * second);
        // A `Retry-After` far in the future under a `max_delay` set to the maximum.
        assert!(!policy.allows_wait(second, Duration::MAX));
    }

    #[test]
    fn the_window_doubles_with_each_attempt_up_to_the_largest_delay() {
        let ms = Duration::from_millis;
        let policy = RetryPolicy::default()
            .base_delay(ms(100))
            .max_delay(ms(350));
        let windows: Vec<_> = [0, 1, 2, 3, 4, u32::MAX]
            .into_iter()
            .map(|attempt| policy.window(attempt))
            .collect();
        assert_eq!(
            windows,
            [ms(100), ms(100), ms(200), ms(350), ms(350), ms(350)]
        );
        // The exponent stops at 16, and the product saturates rather than overflowing.
        let unbounded = RetryPolicy::default()
            .base_delay(Duration::from_nanos(1))
            .max_delay(Duration::MAX);
        assert_eq!(unbounded.window(17), Duration::from_nanos(1 << 16));
        assert_eq!(unbounded.window(40), Duration::from_nanos(1 << 16));
        let huge = RetryPolicy::default()
            .base_delay(Duration::MAX)
            .max_delay(Duration::MAX);
        assert_eq!(huge.window(5), Duration::MAX);
    }

    #[test]
    fn delays_grow_but_stay_within_the_window() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(policy.delay(1, None) <= Duration::from_millis(100));
            assert!(policy.delay(2, None) <= Duration::from_millis(200));
            assert!(policy.delay(9, None) <= Duration::from_millis(350));
        }
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(3))),
            Duration::from_millis(350)
        );
    }

    /// A date as `parse_retry_after` reads one.
    fn date(text: &str) -> Option<std::time::SystemTime> {
        httpdate::parse_http_date(text).ok()
    }

    /// A `Retry-After` is the server's to write: fields out of the formats' widths and ranges
    /// are not a date, and never overflow into a panic.
    #[test]
    fn a_date_with_fields_out_of_range_is_no_date() {
        for value in [
            "Sun, 06 Nov 99999999999999999 08:49:37 GMT",
            "Sun, 06 Nov 1994 9999999999999999:49:37 GMT",
            "Sun, 99999999999999999 Nov 1994 08:49:37 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 06 Nov 1994 08:49:37:01 GMT",
            "Sun, 06 Nov +994 08:49:37 GMT",
        ] {
            assert_eq!(date(value), None, "{value}");
            assert_eq!(parse_retry_after(value), None, "{value}");
        }
        assert!(date("Fri, 31 Dec 9999 23:59:59 GMT").is_some());
        assert!(date("Thu, 01 Jan 1970 00:00:00 GMT").is_some());
    }

    proptest::proptest! {
        /// Any numbers in a date's fields, and any text at all: a wait or none, never a panic.
        #[test]
        fn any_retry_after_is_a_wait_or_none(
            day in "[0-9]{1,20}",
            year in "[+-]?[0-9]{1,20}",
            h in "[0-9]{1,20}",
            m in "[0-9]{1,3}",
            s in "[0-9]{1,3}",
            text in "\\PC{0,40}",
        ) {
            let _ = parse_retry_after(&format!("Sun, {day} Nov {year} {h}:{m}:{s} GMT"));
            let _ = parse_retry_after(&text);
        }
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date_in_each_form() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 2 "), Some(Duration::from_secs(2)));
        // A date in the past is no wait; in the future, a wait until then.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        let later = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT").expect("a wait");
        assert!(later > Duration::from_secs(365 * 24 * 3600), "{later:?}");
        // The three forms recipients must accept (RFC 9110, 5.6.7), all the same instant.
        let epoch = std::time::UNIX_EPOCH + Duration::from_secs(784_111_777);
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(date(form), Some(epoch), "{form}");
        }
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }

    #[test]
    fn a_post_is_repeated_only_when_it_only_reads() {
        assert!(may_repeat(&Method::POST, "search_tracks"));
        assert!(!may_repeat(&Method::POST, "create_playback_session"));
        assert!(may_repeat(&Method::GET, "get_album"));
    }

    #[test]
    fn only_idempotent_methods_are_retried() {
        assert!(is_idempotent(&Method::GET));
        assert!(is_idempotent(&Method::PUT));
        assert!(is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST));
    }
}
