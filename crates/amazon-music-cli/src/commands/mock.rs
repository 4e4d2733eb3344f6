//! `amazon-music mock`: runs the mock Amazon Music API standalone, logging one line per request
//! (method, path, status, latency; never a header, so never a key or token).
//!
//! Ctrl-C or SIGTERM shuts it down gracefully: requests in flight are answered first.

use std::net::SocketAddr;

use amazon_music_mock::{ALL_SCOPES, FaultRule, MockConfig, MockServer};
use anyhow::Context;

use crate::exit::{Failure, Status};
use crate::output::Out;
use crate::signal::Shutdown;

/// Serve the mock Amazon Music API until interrupted.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Seed of the catalog, ids and shuffles.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Bearer token to accept, for user `mock-user` with every scope (repeatable).
    #[arg(long = "token", default_value = "mock-token")]
    tokens: Vec<String>,
    /// The x-api-key every request must carry.
    #[arg(long, default_value = "mock-api-key")]
    api_key: String,
    /// Skips each playback session allows (unlimited when absent).
    #[arg(long)]
    skip_limit: Option<u32>,
    /// A fault, `ROUTE:KIND[=VALUE][:first=N]`, e.g. `getAlbum:throttle=2:first=3` (repeatable).
    #[arg(long = "fault", value_parser = parse_fault)]
    faults: Vec<FaultRule>,
}

fn parse_fault(text: &str) -> Result<FaultRule, String> {
    text.parse()
        .map_err(|e: amazon_music_mock::FaultParseError| e.to_string())
}

/// Runs the mock until Ctrl-C or SIGTERM.
pub fn run(args: Args) -> Result<Status, Failure> {
    tracing_subscriber::fmt()
        .with_target(false)
        .with_ansi(crate::output::color_on(std::io::IsTerminal::is_terminal(
            &std::io::stderr(),
        )))
        .with_writer(std::io::stderr)
        .init();
    let mut config = MockConfig::default()
        .addr(args.addr)
        .seed(args.seed)
        .api_key(args.api_key);
    config.tokens.clear();
    for token in args.tokens {
        config = config.token(token, "mock-user", ALL_SCOPES);
    }
    config.skip_limit = args.skip_limit;
    config.faults = args.faults;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        // Listening for the signals before announcing the server: a script that sends one as
        // soon as it reads the line below must not kill the process mid-request.
        let mut shutdown = Shutdown::listen().context("cannot listen for Ctrl-C")?;
        let server = MockServer::start(config)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        // The one line scripts wait for; it names no secret. A reader gone already does not
        // stop the server: its log goes to stderr anyway.
        let announced = Out::stdout().write(&format!(
            "mock Amazon Music API listening on {}\n",
            server.base_url()
        ));
        if let Err(failure) = announced {
            failure.print();
        }
        shutdown.recv().await;
        server.shutdown().await.context("shutting down")?;
        Ok::<_, Failure>(Status::Success)
    })
}
