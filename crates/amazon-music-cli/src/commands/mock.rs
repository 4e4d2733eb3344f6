//! `amazon-music mock`: runs the mock Amazon Music API standalone, logging one line per request
//! (method, path, status, latency; never a header, so never a key or token).
//!
//! Ctrl-C or SIGTERM shuts it down gracefully: requests in flight are answered first.

use std::net::SocketAddr;
use std::time::Duration;

use amazon_music_mock::{ALL_SCOPES, FaultRule, LwaConfig, MockConfig, MockServer};
use anyhow::Context;

use crate::exit::{Failure, Status};
use crate::output::Out;
use crate::signal::Shutdown;

/// Serve the mock Amazon Music API until interrupted.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Address to listen on. Beyond loopback (0.0.0.0, [::], a LAN address) anyone who can
    /// reach it can use the mock, whose credentials are no secret: a warning says so.
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
    /// The client id the sign-in (Login with Amazon) emulator knows [default: mock-client-id]
    #[arg(long, value_name = "ID")]
    lwa_client_id: Option<String>,
    /// The user who signs in with the emulator; its tokens act for them [default: mock-user]
    #[arg(long, value_name = "USER")]
    lwa_user: Option<String>,
    /// How long access tokens the emulator issues stay valid, in seconds [default: 3600]
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    token_lifetime: Option<u64>,
    /// Approve every device code as soon as it is made, as if someone typed it in at once.
    #[arg(long)]
    auto_approve: bool,
    /// Drift like a service that grows: success answers gain fields the spec does not know,
    /// values it does not list and nulls, the same ones for the same SEED.
    #[arg(long, value_name = "SEED")]
    drift: Option<u64>,
}

fn parse_fault(text: &str) -> Result<FaultRule, String> {
    text.parse()
        .map_err(|e: amazon_music_mock::FaultParseError| e.to_string())
}

/// Runs the mock until Ctrl-C or SIGTERM.
pub fn run(args: Args) -> Result<Status, Failure> {
    tracing_subscriber::fmt()
        .with_target(false)
        .with_ansi(crate::terminal::color_on(std::io::IsTerminal::is_terminal(
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
    config.drift = args.drift;
    let mut lwa = LwaConfig::default().auto_approve(args.auto_approve);
    if let Some(id) = args.lwa_client_id {
        lwa = lwa.client_id(id);
    }
    if let Some(user) = args.lwa_user {
        lwa = lwa.user(user);
    }
    if let Some(seconds) = args.token_lifetime {
        lwa = lwa.access_token_lifetime(Duration::from_secs(seconds));
    }
    config = config.lwa(lwa);
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
        let announced = Out::stdout().text(&format!(
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
