//! A walk through the whole API: albums, a batched lookup, the library (save, stream, remove)
//! and a playback session driven through its queue.
//!
//! With no `AMAZON_MUSIC_BASE_URL` set it starts the project's mock in-process on loopback and
//! says so; with it set (plus `AMAZON_MUSIC_API_KEY` and `AMAZON_MUSIC_TOKEN`) it talks to that
//! server instead.
//!
//! ```text
//! cargo run -p amazon-music --example tour
//! ```

use std::time::Duration;

use amazon_music::Client;
use amazon_music::playback::{PlayRequest, Report, TakeOver};
use amazon_music::types::{LoopMode, PlaybackEntity, PlaybackEventType};
use futures::TryStreamExt;

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let mut mock = None;
    let client = if std::env::var_os("AMAZON_MUSIC_BASE_URL").is_some() {
        let client = Client::from_env()?;
        println!("talking to {}", client.base_url());
        client
    } else {
        let server = amazon_music_mock::MockServer::start(Default::default()).await?;
        println!(
            "AMAZON_MUSIC_BASE_URL is not set: started the embedded mock at {}",
            server.base_url()
        );
        let client = Client::builder()
            .base_url(server.base_url())
            .api_key("mock-api-key")
            .token("mock-token")
            .build()?;
        mock = Some(server);
        client
    };

    albums(&client).await?;
    library(&client).await?;
    playback(&client).await?;

    if let Some(server) = mock {
        server.shutdown().await?;
    }
    println!("\ntour complete");
    Ok(())
}

async fn albums(client: &Client) -> Result<(), Failure> {
    println!("\n== albums");
    let album = client.get_album("B0064UPU4G").await?;
    let artist = album
        .artists
        .first()
        .and_then(|a| a.name.clone())
        .unwrap_or_default();
    println!(
        "{} by {artist}: {} tracks, released {}",
        album.title.as_deref().unwrap_or("?"),
        album.track_count.unwrap_or_default(),
        album
            .release_date
            .map(|d| d.date_naive().to_string())
            .unwrap_or_default()
    );

    let batch = client
        .get_albums(["B00D3PLC1K", "B0064UPU4G", "B0000NOPE0"])
        .await?;
    println!(
        "batched lookup: {} found, missing {:?}",
        batch.albums.len(),
        batch.missing
    );
    for album in &batch.albums {
        println!(
            "  {} {}",
            album.id.as_str(),
            album.title.as_deref().unwrap_or("?")
        );
    }
    Ok(())
}

async fn library(client: &Client) -> Result<(), Failure> {
    println!("\n== library");
    let albums = ["B091MTJT3P", "B0064UPU4G", "B00D3PLC1K"];
    for id in albums {
        let saved = client.save_album(id).await?;
        println!("saved {id}: {}", saved.save_state.as_str());
    }
    let mut pages = std::pin::pin!(client.library_albums(2)?.pages());
    while let Some(page) = pages.try_next().await? {
        let ids: Vec<&str> = page
            .items
            .iter()
            .map(|edge| edge.node.id.as_str())
            .collect();
        println!("page {ids:?}, next cursor {:?}", page.next_cursor);
    }
    for id in albums {
        let removed = client.remove_album(id).await?;
        println!("removed {id}: {}", removed.save_state.as_str());
    }
    Ok(())
}

async fn playback(client: &Client) -> Result<(), Failure> {
    println!("\n== playback");
    let mut session = client
        .start_playback(
            PlayRequest::album("B0064UPU4G")
                .loop_mode(LoopMode::LoopOff)
                .device_id("tour"),
        )
        .await?;
    println!(
        "session {} playing {}",
        session.id(),
        describe(session.current())
    );
    let report = session
        .report(
            PlaybackEventType::PlaybackStarted,
            Duration::ZERO,
            TakeOver::Auto,
        )
        .await?;
    println!(
        "reported start: {}",
        if report == Report::Recorded {
            "recorded"
        } else {
            "conflict"
        }
    );

    if session.can_skip_next() {
        let next = session.next().await?;
        println!("next: {}", describe(next));
    }
    if let Some(upcoming) = session.play_next("B0BS2S4WXN").await? {
        println!("queued B0BS2S4WXN; now up next: {}", describe(&upcoming));
    }
    session.set_loop(LoopMode::LoopAll).await?;
    println!("loop mode: LOOP_ALL");

    let queue: Vec<PlaybackEntity> = session.queue(4)?.items().try_collect().await?;
    println!(
        "queue from the current entity on ({} entities):",
        queue.len()
    );
    for entity in queue.iter().take(5) {
        println!("  {}", describe(entity));
    }
    println!("active sessions: {}", client.active_sessions().await?.len());
    Ok(())
}

fn describe(entity: &PlaybackEntity) -> String {
    match &entity.track {
        Some(track) => format!(
            "{} ({})",
            track.title.as_deref().unwrap_or("?"),
            track.subtitle.as_deref().unwrap_or_default()
        ),
        None => format!("entity {}", entity.entity_reference_id.as_str()),
    }
}
