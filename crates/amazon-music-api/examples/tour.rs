//! A walk through the whole API with the generated client: albums, the library (add, page
//! through, remove) and a playback session driven through its queue.
//!
//! With no `AMAZON_MUSIC_BASE_URL` set it starts the project's mock in-process on loopback and
//! says so; with it set (plus `AMAZON_MUSIC_API_KEY` and `AMAZON_MUSIC_TOKEN`) it talks to that
//! server instead.
//!
//! ```text
//! cargo run -p amazon-music-api --example tour
//! ```

use std::num::NonZeroU32;

use amazon_music_api::{Client, Credentials, types};

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let (client, mock) = match std::env::var("AMAZON_MUSIC_BASE_URL") {
        Ok(base_url) => {
            let key = std::env::var("AMAZON_MUSIC_API_KEY")
                .map_err(|_| "AMAZON_MUSIC_API_KEY is not set")?;
            let token =
                std::env::var("AMAZON_MUSIC_TOKEN").map_err(|_| "AMAZON_MUSIC_TOKEN is not set")?;
            println!("talking to {base_url}");
            (
                Client::new(&base_url, Credentials::try_new(&key, &token)?),
                None,
            )
        }
        Err(_) => {
            let config = amazon_music_mock::MockConfig::default();
            let credentials = Credentials::try_new(&config.api_key, "mock-token")?;
            let server = amazon_music_mock::MockServer::start(config).await?;
            println!(
                "AMAZON_MUSIC_BASE_URL is not set: started the embedded mock at {}",
                server.base_url()
            );
            (Client::new(&server.base_url(), credentials), Some(server))
        }
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

fn id(text: &str) -> Result<types::CatalogId, Failure> {
    Ok(text.parse()?)
}

async fn albums(client: &Client) -> Result<(), Failure> {
    println!("\n== albums");
    let album = client
        .get_album()
        .id(id("B0064UPU4G")?)
        .send()
        .await?
        .into_inner()
        .data
        .album;
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
    let ids = vec![id("B0064UPU4G")?, id("B00D3PLC1K")?, id("B000000000")?];
    let found = client
        .get_albums()
        .ids(ids.clone())
        .send()
        .await?
        .into_inner()
        .data
        .albums;
    println!(
        "asked for {} albums in one request, {} found:",
        ids.len(),
        found.len()
    );
    for album in &found {
        println!("  {} {}", *album.id, album.title.as_deref().unwrap_or("?"));
    }
    Ok(())
}

async fn library(client: &Client) -> Result<(), Failure> {
    println!("\n== library");
    let added = ["B091MTJT3P", "B0064UPU4G", "B00D3PLC1K"];
    for album in added {
        let saved = client
            .add_library_album()
            .id(id(album)?)
            .send()
            .await?
            .into_inner();
        println!(
            "saved {album}: {}",
            saved.data.save_album.save_state.as_str()
        );
    }
    let mut cursor: Option<types::PageToken> = None;
    let mut page_number = 0;
    loop {
        let mut request = client
            .get_library_albums()
            .limit(NonZeroU32::new(2).ok_or("limit")?);
        if let Some(token) = cursor.take() {
            request = request.cursor(token);
        }
        let page = request.send().await?.into_inner().data.user.library_albums;
        page_number += 1;
        let ids: Vec<&str> = page
            .edges
            .iter()
            .map(|edge| edge.node.id.as_str())
            .collect();
        println!("page {page_number}: {ids:?}");
        match (page.page_info.has_next_page, page.page_info.token) {
            (true, Some(token)) => cursor = Some(token),
            _ => break,
        }
    }
    for album in added {
        let removed = client
            .remove_library_album()
            .id(id(album)?)
            .send()
            .await?
            .into_inner();
        println!(
            "removed {album}: {}",
            removed.data.remove_album.save_state.as_str()
        );
    }
    Ok(())
}

async fn playback(client: &Client) -> Result<(), Failure> {
    println!("\n== playback");
    let request = types::CreatePlaybackSessionRequest {
        play_params: types::PlayParams {
            id: None,
            container_ids: vec![id("B0064UPU4G")?],
        },
        playback_options: Some(types::PlaybackOptions {
            loop_mode: Some(types::LoopMode::LoopOff),
            shuffle_mode: Some(types::ShuffleMode::ShuffleOff),
            start_as_station: None,
            playback_continuation_mode: None,
        }),
        limit: None,
    };
    let created = client
        .create_playback_session()
        .x_amzn_device_id("tour-device")
        .body(request)
        .send()
        .await?
        .into_inner();
    let first = created
        .data
        .entities
        .first()
        .ok_or("the session has no entity")?;
    let session = first.session_id.clone();
    println!("session {} playing {}", *session, describe(first));

    let next = client
        .get_next_playback_entity()
        .session_id(session.clone())
        .send()
        .await?
        .into_inner();
    if let Some(entity) = next.data.entities.first() {
        let skips = entity
            .actions
            .as_ref()
            .and_then(|a| a.next.as_ref())
            .and_then(|n| n.remaining_skips)
            .map(|n| format!(" ({n} skips left)"))
            .unwrap_or_default();
        println!("next: {}{skips}", describe(entity));
    }

    let insert = types::QueueNextRequest {
        play_params: types::PlayParams {
            id: Some(id("B0BS2S4WXN")?),
            container_ids: vec![],
        },
        entity_reference_id: None,
    };
    client
        .queue_next()
        .session_id(session.clone())
        .body(insert)
        .send()
        .await?;
    println!("queued B0BS2S4WXN to play next");
    client
        .set_loop_mode()
        .session_id(session.clone())
        .body(types::SetLoopModeRequest {
            loop_mode: types::LoopMode::LoopAll,
        })
        .send()
        .await?;
    println!("loop mode: LOOP_ALL");

    let queue = client
        .get_playback_queue()
        .session_id(session.clone())
        .limit(NonZeroU32::new(5).ok_or("limit")?)
        .send()
        .await?
        .into_inner()
        .data
        .queue;
    println!(
        "queue (first {} entities, more: {}):",
        queue.edges.len(),
        queue.page_info.has_next_page
    );
    for edge in &queue.edges {
        println!("  {}", describe(&edge.node));
    }

    let active = client
        .get_active_playback_sessions()
        .send()
        .await?
        .into_inner();
    println!("active sessions: {}", active.data.entities.len());
    Ok(())
}

fn describe(entity: &types::PlaybackEntity) -> String {
    match &entity.track {
        Some(track) => format!(
            "{} ({})",
            track.title.as_deref().unwrap_or("?"),
            track.subtitle.as_deref().unwrap_or_default()
        ),
        None => format!("entity {}", *entity.entity_reference_id),
    }
}
