//! `cargo xtask mock`: runs the mock Amazon Music API standalone, logging one line per request
//! (method, path, status, latency; never a header, so never a key or token).

use std::net::SocketAddr;
use std::process::ExitCode;

use amazon_music_mock::{ALL_SCOPES, FaultRule, MockConfig, MockServer};
use anyhow::Context;

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

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
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
        let server = MockServer::start(config)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        // The one line scripts wait for; it names no secret.
        println!("mock Amazon Music API listening on {}", server.base_url());
        tokio::signal::ctrl_c()
            .await
            .context("cannot wait for Ctrl-C")?;
        server.shutdown().await.context("shutting down")?;
        Ok(ExitCode::SUCCESS)
    })
}
