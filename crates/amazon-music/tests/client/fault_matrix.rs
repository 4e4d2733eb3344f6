//! Every fault the mock can inject against every kind of call the client makes, in one table.
//!
//! Each cell runs on its own mock server with the fault on every request of the operation under
//! test, and checks: a typed result (a panic fails the test), completion within a bound derived
//! from the timeout and the retry policy (a hang guard, not a speed target), the outcome the
//! retry rules imply, and the exact number of requests the mock received: idempotent calls
//! (GET, PUT, DELETE) are retried on 429, 502, 503, 504, a dropped connection and a timeout, up
//! to the attempt budget; the playback POSTs are sent exactly once, whatever happens.
//!
//! `cargo test -p amazon-music --test client fault_matrix -- --nocapture` prints the table.

use crate::support;

use std::time::{Duration, Instant};

use amazon_music::playback::{PlayRequest, TakeOver};
use amazon_music::types::PlaybackEventType;
use amazon_music::{Client, Error, RetryPolicy};
use amazon_music_mock::{FaultKind, FaultRule, MockConfig, MockServer};
use futures::{StreamExt, TryStreamExt};

const ATTEMPTS: u32 = 3;
/// Per attempt, in the latency cells; the injected latency is far beyond it. Long enough for
/// the setup calls (a session) to pass on a loaded machine, and for every attempt to reach the
/// mock's handler before the client gives up on it: the count is of what the mock received,
/// and with 1 s a loaded machine (two mutation runs side by side) once timed an attempt out
/// before the mock saw it, so a library stream showed 2 attempts of its 3.
const SHORT_TIMEOUT: Duration = Duration::from_millis(2000);
const LATENCY: Duration = Duration::from_secs(30);
/// Per attempt, everywhere else: long enough that no attempt times out by accident, which
/// would add a retry and change the request count.
const TIMEOUT: Duration = Duration::from_secs(10);
const MAX_DELAY: Duration = Duration::from_millis(40);
/// Far beyond the attempts of a latency cell (three timeouts and two waits, about 6 s), so the
/// budget never decides how many attempts a cell sees: on a loaded machine two slow attempts
/// once crossed a 3 s budget and the third was never sent. The budget itself is tested in
/// `errors_and_retries.rs`.
const BUDGET: Duration = Duration::from_secs(20);
/// Scheduling on a loaded 2-core machine; generous, since the guard is only against hangs.
const SLACK: Duration = Duration::from_secs(5);

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(ATTEMPTS)
        .base_delay(Duration::from_millis(5))
        .max_delay(MAX_DELAY)
        .max_elapsed(BUDGET)
}

/// The longest a call may take: every attempt timing out, every wait at its longest, and no
/// retry starting past the budget (so at most one attempt runs beyond it).
fn bound(timeout: Duration) -> Duration {
    let attempts = timeout * ATTEMPTS + MAX_DELAY * (ATTEMPTS - 1);
    attempts.min(BUDGET + timeout) + SLACK
}

fn timeout_for(fault: &FaultKind) -> Duration {
    match fault {
        FaultKind::Latency(_) => SHORT_TIMEOUT,
        _ => TIMEOUT,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    GetAlbum,
    SaveAlbum,
    RemoveAlbum,
    StartPlayback,
    PlayNext,
    Report,
    LibraryStream,
    GetAlbums,
}

impl Call {
    const ALL: [Call; 8] = [
        Call::GetAlbum,
        Call::SaveAlbum,
        Call::RemoveAlbum,
        Call::StartPlayback,
        Call::PlayNext,
        Call::Report,
        Call::LibraryStream,
        Call::GetAlbums,
    ];

    fn label(self) -> &'static str {
        match self {
            Call::GetAlbum => "GET get_album",
            Call::SaveAlbum => "PUT save_album",
            Call::RemoveAlbum => "DELETE remove_album",
            Call::StartPlayback => "POST start_playback",
            Call::PlayNext => "POST play_next",
            Call::Report => "POST report",
            Call::LibraryStream => "GET library stream",
            Call::GetAlbums => "GET get_albums",
        }
    }

    /// The operation the fault is injected into and whose requests are counted.
    fn operation(self) -> &'static str {
        match self {
            Call::GetAlbum => "getAlbum",
            Call::SaveAlbum => "addLibraryAlbum",
            Call::RemoveAlbum => "removeLibraryAlbum",
            Call::StartPlayback => "createPlaybackSession",
            Call::PlayNext => "queueNext",
            Call::Report => "reportPlaybackEvent",
            Call::LibraryStream => "getLibraryAlbums",
            Call::GetAlbums => "getAlbums",
        }
    }

    fn idempotent(self) -> bool {
        !matches!(self, Call::StartPlayback | Call::PlayNext | Call::Report)
    }
}

/// What the retry rules say about a fault: whether an idempotent call sends it again.
fn retryable(fault: &FaultKind) -> bool {
    match fault {
        FaultKind::Latency(_) | FaultKind::Throttle { .. } | FaultKind::Drop => true,
        // The HTML page is a proxy's 502.
        FaultKind::HtmlError => true,
        FaultKind::Status(code) => matches!(code, 502..=504),
        FaultKind::Truncate | FaultKind::InvalidJson | FaultKind::WrongContentType => false,
    }
}

/// The outcome a fault must end in (every attempt is faulted, so retrying never rescues it).
fn expected(fault: &FaultKind, call: Call) -> &'static str {
    match fault {
        FaultKind::Latency(_) => "Timeout",
        FaultKind::Throttle { .. } => "Api 429",
        // The API's error object with a status the spec lists no body for: still typed.
        FaultKind::Status(code) => match code {
            500 => "Api 500",
            502 => "Api 502",
            503 => "Api 503",
            504 => "Api 504",
            _ => unreachable!("not in the table"),
        },
        FaultKind::Drop => "Transport",
        // The queue and event POSTs answer 200 with no body: half of nothing is all of it, and
        // the client reads no body for them.
        FaultKind::Truncate | FaultKind::InvalidJson
            if matches!(call, Call::Report | Call::PlayNext) =>
        {
            "Ok"
        }
        // The head says 200 and promises a length the body never reaches.
        FaultKind::Truncate => "Transport",
        FaultKind::InvalidJson => "Decode",
        // The JSON is right whatever the label says; the client decodes it.
        FaultKind::WrongContentType => "Ok",
        FaultKind::HtmlError => "UnexpectedResponse 502",
    }
}

fn faults() -> Vec<FaultKind> {
    vec![
        FaultKind::Latency(LATENCY),
        FaultKind::Throttle { retry_after: None },
        FaultKind::Throttle {
            retry_after: Some(0),
        },
        FaultKind::Throttle {
            retry_after: Some(1),
        },
        FaultKind::Status(500),
        FaultKind::Status(502),
        FaultKind::Status(503),
        FaultKind::Status(504),
        FaultKind::Drop,
        FaultKind::Truncate,
        FaultKind::InvalidJson,
        FaultKind::WrongContentType,
        FaultKind::HtmlError,
    ]
}

fn outcome<T>(result: &Result<T, Error>) -> String {
    match result {
        Ok(_) => "Ok".into(),
        Err(Error::Api(e)) => format!("Api {}", e.status.as_u16()),
        Err(Error::UnexpectedResponse { status, .. }) => {
            format!("UnexpectedResponse {}", status.as_u16())
        }
        Err(Error::Decode { .. }) => "Decode".into(),
        Err(Error::Transport { .. }) => "Transport".into(),
        Err(Error::Timeout { .. }) => "Timeout".into(),
        Err(other) => format!("other: {other}"),
    }
}

const LIBRARY: [&str; 3] = ["B0064UPU4G", "B00D3PLC1K", "B0BS2S4WXN"];

/// Runs `call` against `client`; the setup a call needs (a session) runs before the clock starts.
///
/// The session is created through `setup`, a client with the ordinary timeout: creating one is
/// a POST, never retried, and `client`'s timeout may be short enough for a loaded machine to
/// miss. `client` then takes it up with a GET, which its retries cover.
async fn run(client: &Client, setup: &Client, call: Call, timeout: Duration) -> (String, Duration) {
    // Setup goes through operations other than the faulted one.
    let session = match call {
        Call::PlayNext | Call::Report => {
            let created = setup
                .start_playback(PlayRequest::album("B0064UPU4G"))
                .await
                .expect("setup: a session");
            let reference = created.current().entity_reference_id.to_string();
            Some(
                client
                    .resume_session(created.id(), &reference)
                    .await
                    .expect("setup: the session taken up"),
            )
        }
        _ => None,
    };
    let started = Instant::now();
    let work = async {
        match call {
            Call::GetAlbum => outcome(&client.get_album("B0064UPU4G").await),
            Call::SaveAlbum => outcome(&client.save_album("B00D3PLC1K").await),
            Call::RemoveAlbum => outcome(&client.remove_album("B0064UPU4G").await),
            Call::StartPlayback => outcome(
                &client
                    .start_playback(PlayRequest::album("B0064UPU4G"))
                    .await,
            ),
            Call::PlayNext => outcome(&session.unwrap().play_next("B0BS2S4WXN").await),
            Call::Report => outcome(
                &session
                    .unwrap()
                    .report(
                        PlaybackEventType::PlaybackStarted,
                        Duration::from_secs(1),
                        TakeOver::Force,
                    )
                    .await,
            ),
            Call::LibraryStream => {
                let items: Result<Vec<_>, Error> = client
                    .library_albums(1)
                    .unwrap()
                    .items()
                    .try_collect()
                    .await;
                if let Ok(items) = &items {
                    assert_eq!(items.len(), LIBRARY.len(), "{call:?}: every album once");
                }
                outcome(&items)
            }
            Call::GetAlbums => outcome(
                &client
                    .get_albums(["B0064UPU4G", "B00D3PLC1K"])
                    .await
                    .map(|batch| assert_eq!(batch.albums.len(), 2)),
            ),
        }
    };
    let result = tokio::time::timeout(bound(timeout), work)
        .await
        .unwrap_or_else(|_| format!("HANG (past {:?})", bound(timeout)));
    (result, started.elapsed())
}

struct Cell {
    fault: FaultKind,
    call: Call,
    outcome: String,
    attempts: u64,
    elapsed: Duration,
}

/// A cell's server and clients, started before anything is timed.
struct Prepared {
    fault: FaultKind,
    call: Call,
    server: MockServer,
    client: Client,
    setup: Client,
    timeout: Duration,
}

async fn prepare(fault: FaultKind, call: Call) -> Prepared {
    let config = MockConfig::default()
        .initial_library(LIBRARY)
        .fault(FaultRule::new(call.operation(), fault.clone()));
    let server = MockServer::start(config).await.unwrap();
    let timeout = timeout_for(&fault);
    let client = support::builder(&server)
        .timeout(timeout)
        .retry_policy(policy())
        .build()
        .unwrap();
    let setup = support::builder(&server)
        .timeout(TIMEOUT)
        .retry_policy(policy())
        .build()
        .unwrap();
    Prepared {
        fault,
        call,
        server,
        client,
        setup,
        timeout,
    }
}

async fn measure(cell: Prepared) -> Cell {
    let (outcome, elapsed) = run(&cell.client, &cell.setup, cell.call, cell.timeout).await;
    Cell {
        attempts: cell.server.requests(cell.call.operation()),
        fault: cell.fault,
        call: cell.call,
        outcome,
        elapsed,
    }
}

fn fault_label(fault: &FaultKind) -> String {
    match fault {
        FaultKind::Latency(d) => format!("latency {}s > timeout", d.as_secs()),
        FaultKind::Throttle { retry_after: None } => "429 no Retry-After".into(),
        FaultKind::Throttle {
            retry_after: Some(s),
        } => format!("429 Retry-After {s}"),
        FaultKind::Status(code) => format!("{code}"),
        other => format!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_against_every_kind_of_call() {
    let cells: Vec<(FaultKind, Call)> = faults()
        .into_iter()
        .flat_map(|fault| Call::ALL.map(|call| (fault.clone(), call)))
        .collect();
    // Cells are independent (one server each). A latency cell spends its seconds waiting out
    // timeouts, so those run all at once, first, their servers started before any is timed:
    // a server's start is work on the runtime, and it once delayed another cell's handler
    // until the client had given up, so the mock counted an attempt short. The rest follow, a
    // few at a time. The matrix takes half the time it did one cell at a time in fours, which
    // matters because mutation testing runs it for every mutant.
    let (waiting, working): (Vec<_>, Vec<_>) = cells
        .into_iter()
        .partition(|(fault, _)| matches!(fault, FaultKind::Latency(_)));
    let prepared = futures::future::join_all(waiting.into_iter().map(|(f, c)| prepare(f, c))).await;
    let mut results = futures::future::join_all(prepared.into_iter().map(measure)).await;
    let worked: Vec<Cell> = futures::stream::iter(working)
        .map(|(fault, call)| async move { measure(prepare(fault, call).await).await })
        .buffer_unordered(4)
        .collect()
        .await;
    results.extend(worked);
    let order = |c: &Cell| {
        (
            faults().iter().position(|f| *f == c.fault),
            Call::ALL.iter().position(|k| *k == c.call),
        )
    };
    results.sort_by_key(order);

    let mut table = format!(
        "\n{:<24} {:<20} {:<24} {:>8} {:>8}\n",
        "fault", "call", "outcome", "attempts", "ms"
    );
    let mut failures = Vec::new();
    for c in &results {
        let want_attempts = if c.call.idempotent() && retryable(&c.fault) {
            u64::from(ATTEMPTS)
        } else if c.call == Call::LibraryStream && c.outcome == "Ok" {
            // One request per page, one album per page.
            LIBRARY.len() as u64
        } else {
            1
        };
        let want_outcome = expected(&c.fault, c.call);
        let verdict = if c.outcome == want_outcome && c.attempts == want_attempts {
            ""
        } else {
            failures.push(format!(
                "{} × {}: got {} after {} attempts, want {} after {}",
                fault_label(&c.fault),
                c.call.label(),
                c.outcome,
                c.attempts,
                want_outcome,
                want_attempts
            ));
            "  <-- WRONG"
        };
        table.push_str(&format!(
            "{:<24} {:<20} {:<24} {:>8} {:>8}{verdict}\n",
            fault_label(&c.fault),
            c.call.label(),
            c.outcome,
            c.attempts,
            c.elapsed.as_millis()
        ));
    }
    println!("{table}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
