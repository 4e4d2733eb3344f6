//! Drift seen in-process (feature `drift-check`, off by default): every response is checked
//! against the spec this crate was built from, and what the service sends that the spec does
//! not describe yet is reported once per kind and counted.
//!
//! Three kinds of drift are found, as the spec crate defines them ([`DriftKind`]): a
//! field the spec does not declare, a value an `x-extensible-enum` does not list, and `null` for
//! an optional property that is not `nullable`. None of them breaks a call (the generated types
//! decode all three); they are what the spec should learn next.
//!
//! A kind of drift ([`DriftSeen`]) is an operation, a [`DriftKind`] and a JSON pointer into the
//! spec. The first time a client sees a kind, it emits one `tracing::warn!` with target
//! `amazon_music::drift`, naming the operation, the kind and the pointer, with a hint: record
//! traffic (`ClientBuilder::record_to`, feature `record`) and run
//! `amazon-music validate recorded DIR --suggest` for the change to the spec. It never logs a
//! value from the response, nor the body. Further findings of a known kind are only counted:
//! [`Client::drift_stats`](crate::Client::drift_stats).
//!
//! With the feature on, every client checks unless built with
//! [`ClientBuilder::check_drift(false)`](crate::ClientBuilder::check_drift). The spec is read
//! into its model once per process, on the first response checked; the check walks the
//! response's resolved schema as the body's bytes are parsed (`Spec::drift_in`: no JSON value
//! is built, and no JSON Schema validation is run: a body that breaks the spec is the
//! decoder's error, not drift). It runs on a task of its own, not on the call that received
//! the response, so a call waits for no check; [`Client::drift_stats`](crate::Client::drift_stats)
//! first checks whatever still waits, so what it reports is exact (its cost: BENCHMARKS.md).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use amazon_music_spec::{Exchange, Spec, escape_pointer_token};
use bytes::Bytes;

pub use amazon_music_spec::DriftKind;

/// The tracing target of drift warnings.
pub const TARGET: &str = "amazon_music::drift";

/// One kind of drift: where in the spec, for which operation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DriftSeen {
    /// The operation whose response carried it (its `operationId` in the spec, such as
    /// `getAlbum`).
    pub operation_id: String,
    /// Unknown field, unlisted value, or `null` where the spec has no `nullable`.
    pub kind: DriftKind,
    /// JSON pointer into the spec: for an unknown field, where the object's schema would declare
    /// it (`.../properties/NAME`); for an unlisted value, the `x-extensible-enum` that lacks it;
    /// for a `null`, the property that would need `nullable: true`.
    pub pointer: String,
}

/// What a client's drift check has seen so far; see
/// [`Client::drift_stats`](crate::Client::drift_stats).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DriftStats {
    /// Responses checked against the spec.
    pub responses_checked: u64,
    /// Drift findings in them, every occurrence counted (a list of ten items with the same new
    /// field is ten findings).
    pub findings: u64,
    /// Every distinct kind of drift, in the order first seen; each was warned about once.
    pub kinds: Vec<DriftSeen>,
}

impl DriftStats {
    /// How many distinct kinds of drift were seen.
    pub fn distinct_kinds(&self) -> usize {
        self.kinds.len()
    }
}

/// The embedded spec's model, read once per process, or `None` if it could not be (then nothing
/// is checked, and that is logged once).
fn spec() -> Option<&'static Spec> {
    static LOGGED: OnceLock<()> = OnceLock::new();
    match Spec::embedded() {
        Ok(spec) => Some(spec),
        Err(error) => {
            LOGGED.get_or_init(|| {
                tracing::warn!(target: TARGET, %error, "the embedded spec does not compile: drift is not checked");
            });
            None
        }
    }
}

/// The snake-case name the generated code gives operation `id` (`getAlbum` is `get_album`).
fn snake_case(id: &str) -> String {
    let mut name = String::with_capacity(id.len() + 4);
    for c in id.chars() {
        if c.is_ascii_uppercase() {
            name.push('_');
            name.push(c.to_ascii_lowercase());
        } else {
            name.push(c);
        }
    }
    name
}

/// The spec's operations by the names the generated code calls them, built once: the client
/// knows which operation it called, so the check need not route the URL back to one.
fn by_generated_name(spec: &'static Spec) -> &'static HashMap<String, usize> {
    static NAMES: OnceLock<HashMap<String, usize>> = OnceLock::new();
    NAMES.get_or_init(|| {
        spec.operations()
            .iter()
            .enumerate()
            .map(|(index, operation)| (snake_case(operation.id()), index))
            .collect()
    })
}

/// The spec's operation a response answers: the one the client called, by the name the
/// generated code gives it, else (a name the spec does not know) the one the URL routes to.
fn operation_index(spec: &'static Spec, operation: &str, exchange: &Exchange) -> Option<usize> {
    match by_generated_name(spec).get(operation) {
        Some(index) => Some(*index),
        None => Some(spec.router().find(&exchange.method, &exchange.url)?.index),
    }
}

/// The drift in `body`, a response of operation `index` with `status`: that response's JSON
/// schema is walked beside the body. Nothing to check is no drift.
fn drift_of(
    spec: &'static Spec,
    index: usize,
    status: u16,
    body: &[u8],
) -> (&'static str, Vec<amazon_music_spec::Drift>) {
    let operation = &spec.operations()[index];
    let schema = operation
        .response_for(status)
        .and_then(|response| response.json())
        .and_then(|media| media.schema());
    // Found as the bytes are parsed: no JSON value is built. A body that is not JSON has no
    // drift (the decoder reports it).
    let drift = schema
        .and_then(|schema| spec.drift_in(schema, body).ok())
        .unwrap_or_default();
    (operation.id(), drift)
}

/// A response waiting to be checked.
struct Pending {
    /// Its operation in the spec, if it routes to one.
    index: Option<usize>,
    status: u16,
    body: Bytes,
}

/// How many responses may wait to be checked; beyond, a response is checked on the spot.
const MAX_PENDING: usize = 64;

/// A client's drift check: counters, the kinds seen, and the responses not checked yet.
#[derive(Default)]
pub(crate) struct DriftWatcher {
    checked: AtomicU64,
    findings: AtomicU64,
    seen: Mutex<Seen>,
    pending: Mutex<VecDeque<Pending>>,
    /// Held while responses are taken from `pending` and checked, so that reading the
    /// statistics waits for a check under way.
    checking: Mutex<()>,
}

#[derive(Default)]
struct Seen {
    set: HashSet<DriftSeen>,
    list: Vec<DriftSeen>,
}

impl DriftWatcher {
    pub(crate) fn stats(&self) -> DriftStats {
        // Every response received so far is counted: those still waiting are checked first.
        self.check_pending();
        let kinds = self
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .list
            .clone();
        DriftStats {
            responses_checked: self.checked.load(Ordering::Relaxed),
            findings: self.findings.load(Ordering::Relaxed),
            kinds,
        }
    }

    /// Takes one response of `operation` (the generated code's name for it: `get_album`):
    /// `exchange`'s request and status, and the `body` it carried. On a tokio runtime it is
    /// checked by a task of its own, off the path of the call that received it: on a
    /// current-thread runtime while the caller waits for its next response, on a multi-thread
    /// one on any worker. Without a runtime, or with [`MAX_PENDING`] responses waiting, it is
    /// checked here. Nothing is lost either way: [`DriftWatcher::stats`] checks what still
    /// waits before it counts.
    pub(crate) fn submit(self: &Arc<Self>, operation: &str, exchange: &Exchange, body: Bytes) {
        let Some(spec) = spec() else { return };
        let pending = Pending {
            index: operation_index(spec, operation, exchange),
            status: exchange.status,
            body,
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return self.check(spec, pending);
        };
        {
            let mut queue = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            if queue.len() >= MAX_PENDING {
                drop(queue);
                return self.check(spec, pending);
            }
            queue.push_back(pending);
        }
        let watcher = Arc::clone(self);
        runtime.spawn(async move { watcher.check_pending() });
    }

    /// Checks every response waiting, oldest first.
    fn check_pending(&self) {
        let Some(spec) = spec() else { return };
        let _checking = self.checking.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let next = self
                .pending
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop_front();
            match next {
                Some(pending) => self.check(spec, pending),
                None => return,
            }
        }
    }

    /// Checks one response; warns once for each kind of drift not seen before.
    fn check(&self, spec: &'static Spec, pending: Pending) {
        let found = pending
            .index
            .map(|index| drift_of(spec, index, pending.status, &pending.body));
        self.checked.fetch_add(1, Ordering::Relaxed);
        // Drift is only found in a response routed to an operation.
        let Some((operation_id, drift)) = found.filter(|(_, drift)| !drift.is_empty()) else {
            return;
        };
        self.findings
            .fetch_add(drift.len() as u64, Ordering::Relaxed);
        let mut new = Vec::new();
        {
            let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
            for drift in drift {
                let pointer = match drift.kind {
                    // The field's name is the spec's business (a name, never a value).
                    DriftKind::UnknownField => format!(
                        "{}/properties/{}",
                        drift.spec_pointer,
                        escape_pointer_token(&drift.found)
                    ),
                    // The value itself stays out: it is the response's, not the spec's.
                    DriftKind::UnlistedValue | DriftKind::NullNotNullable => drift.spec_pointer,
                };
                let kind = DriftSeen {
                    operation_id: operation_id.to_owned(),
                    kind: drift.kind,
                    pointer,
                };
                if !seen.set.contains(&kind) {
                    seen.set.insert(kind.clone());
                    seen.list.push(kind.clone());
                    new.push(kind);
                }
            }
        }
        for kind in new {
            tracing::warn!(
                target: TARGET,
                operation = %kind.operation_id,
                kind = kind.kind.name(),
                pointer = %kind.pointer,
                hint = "record traffic (ClientBuilder::record_to or AMAZON_MUSIC_RECORD) and run `amazon-music validate recorded DIR --suggest` for the spec change",
                "the service answered with drift from the spec"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Get Album answer with a field the spec does not declare.
    fn drifting_album() -> (Exchange, Bytes) {
        let exchange = Exchange {
            method: "GET".into(),
            url: "/v1/albums/B1".into(),
            status: 200,
            headers: Default::default(),
            body: amazon_music_spec::Body::Empty,
        };
        let body = br#"{"data": {"album": {"id": "B1", "mood": "sunny"}}}"#;
        (exchange, Bytes::from_static(body))
    }

    /// Responses handed over on a runtime wait for a task, at most `MAX_PENDING` of them, and
    /// reading the statistics checks what still waits: every response is counted, every
    /// finding found.
    #[test]
    fn waiting_responses_are_bounded_and_counted_when_read() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let watcher = Arc::new(DriftWatcher::default());
        let (exchange, body) = drifting_album();
        runtime.block_on(async {
            // No await in between: the spawned checks cannot run yet.
            for _ in 0..100 {
                watcher.submit("get_album", &exchange, body.clone());
            }
            let waiting = watcher.pending.lock().unwrap().len();
            assert_eq!(waiting, MAX_PENDING);
            assert_eq!(
                watcher.checked.load(Ordering::Relaxed),
                100 - MAX_PENDING as u64
            );
        });
        let stats = watcher.stats();
        assert_eq!(stats.responses_checked, 100);
        assert_eq!(stats.findings, 100);
        assert_eq!(stats.distinct_kinds(), 1);
        assert!(watcher.pending.lock().unwrap().is_empty());
    }

    /// Without a runtime a response is checked on the spot.
    #[test]
    fn without_a_runtime_a_response_is_checked_at_once() {
        let watcher = Arc::new(DriftWatcher::default());
        let (exchange, body) = drifting_album();
        watcher.submit("get_album", &exchange, body);
        assert_eq!(watcher.checked.load(Ordering::Relaxed), 1);
        assert_eq!(watcher.findings.load(Ordering::Relaxed), 1);
    }

    /// The check finds the spec's operation by the name the generated code passes, so every
    /// operation's name there must be the one `snake_case` makes of its id.
    #[test]
    fn every_operation_is_found_by_its_generated_name() {
        let spec = spec().expect("the embedded spec compiles");
        let generated = include_str!("../../amazon-music-api/src/generated/client.rs");
        for (index, operation) in spec.operations().iter().enumerate() {
            let name = snake_case(operation.id());
            assert!(
                generated.contains(&format!("operation_id: \"{name}\"")),
                "the generated client does not call {} `{name}`",
                operation.id()
            );
            assert_eq!(by_generated_name(spec).get(&name), Some(&index));
        }
    }
}
