//! A walk through the whole API: albums, a batched lookup, a track found by name, the library
//! (save, stream, remove) and a playback session of the found track's album, driven through its
//! queue.
//!
//! With no `AMAZON_MUSIC_BASE_URL` set it starts the project's mock in-process on loopback and
//! says so; with it set (plus `AMAZON_MUSIC_API_KEY` and `AMAZON_MUSIC_TOKEN`) it talks to that
//! server instead. A server may answer less than the tour asks for (one that only serves the
//! docs' examples sends the same album whatever is asked, no `metricId`, the same page again):
//! the tour then says what it skipped and why, in lines starting `skipped`, and carries on.
//!
//! ```text
//! cargo run -p amazon-music --example tour
//! ```

use std::io::Write;
use std::time::Duration;

use amazon_music::playback::{PlayRequest, PlaybackSession, Report, TakeOver};
use amazon_music::types::{LoopMode, PlaybackEntity, PlaybackEventType};
use amazon_music::{Client, Error, ErrorCode};
use futures::TryStreamExt;

/// Whatever stops the tour.
pub type Failure = Box<dyn std::error::Error>;

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

    walk(&client, &mut std::io::stdout()).await?;

    if let Some(server) = mock {
        server.shutdown().await?;
    }
    println!("\ntour complete");
    Ok(())
}

/// The tour's steps against `client`, told on `out`; a test runs them against other servers.
pub async fn walk(client: &Client, out: &mut impl Write) -> Result<(), Failure> {
    albums(client, out).await?;
    let album = search(client, out).await?;
    library(client, out).await?;
    playback(client, out, &album).await?;
    Ok(())
}

/// One line saying what the tour did not do and why.
fn skipped(out: &mut impl Write, what: &str, why: impl std::fmt::Display) -> Result<(), Failure> {
    writeln!(out, "skipped {what}: {why}")?;
    Ok(())
}

/// A listing stopped because the server sent a cursor again (a server that answers every page
/// alike): said, not failed.
fn repeated_cursor(
    out: &mut impl Write,
    listing: &str,
    items: &str,
    cursor: &str,
) -> Result<(), Failure> {
    skipped(
        out,
        &format!("the rest of the {listing}"),
        format!(
            "the server sent the cursor {cursor:?} again, so following it would list the same \
             {items} forever (a server that answers every page alike)"
        ),
    )
}

async fn albums(client: &Client, out: &mut impl Write) -> Result<(), Failure> {
    writeln!(out, "\n== albums")?;
    let asked = "B0064UPU4G";
    let album = client.get_album(asked).await?;
    let artist = album
        .artists
        .first()
        .and_then(|a| a.name.clone())
        .unwrap_or_default();
    writeln!(
        out,
        "{} by {artist}: {} tracks, released {}",
        album.title.as_deref().unwrap_or("?"),
        album.track_count.unwrap_or_default(),
        album
            .release_date
            .map(|d| d.date_naive().to_string())
            .unwrap_or_default()
    )?;
    if album.id.as_str() != asked {
        writeln!(
            out,
            "  (asked for {asked}, the server answered with {}: it does not look albums up)",
            album.id.as_str()
        )?;
    }

    let batch = client
        .get_albums(["B00D3PLC1K", "B0064UPU4G", "B0000NOPE0"])
        .await?;
    writeln!(
        out,
        "batched lookup: {} found, missing {:?}",
        batch.albums.len(),
        batch.missing
    )?;
    for album in &batch.albums {
        writeln!(
            out,
            "  {} {}",
            album.id.as_str(),
            album.title.as_deref().unwrap_or("?")
        )?;
    }
    Ok(())
}

/// The album the playback section plays when the search cannot name one: Discovery.
const FALLBACK_ALBUM: &str = "B0064UPU4G";

/// Finds a track by name and shows it; returns the id of its album, for playback to play.
async fn search(client: &Client, out: &mut impl Write) -> Result<String, Failure> {
    writeln!(out, "\n== search")?;
    let name = "one more time";
    let Some(track) = client.find_track(name).await? else {
        skipped(
            out,
            &format!("playing the album of {name:?}"),
            format!("the search found no track, so playback plays {FALLBACK_ALBUM}"),
        )?;
        return Ok(FALLBACK_ALBUM.to_owned());
    };
    let artists: Vec<&str> = track
        .artists
        .iter()
        .filter_map(|a| a.name.as_deref())
        .collect();
    writeln!(
        out,
        "found {name:?}: {} {} by {}",
        track.id.as_str(),
        track.title.as_deref().unwrap_or("?"),
        artists.join(", ")
    )?;
    if let Some(seconds) = track.duration {
        writeln!(out, "  length {}:{:02}", seconds / 60, seconds % 60)?;
    }
    match &track.album {
        Some(album) => {
            writeln!(
                out,
                "  on {} ({})",
                album.title.as_deref().unwrap_or("?"),
                album.id.as_str()
            )?;
            Ok(album.id.to_string())
        }
        None => {
            skipped(
                out,
                "playing the track's album",
                format!("the track came without its album, so playback plays {FALLBACK_ALBUM}"),
            )?;
            Ok(FALLBACK_ALBUM.to_owned())
        }
    }
}

async fn library(client: &Client, out: &mut impl Write) -> Result<(), Failure> {
    writeln!(out, "\n== library")?;
    let albums = ["B091MTJT3P", "B0064UPU4G", "B00D3PLC1K"];
    for id in albums {
        let saved = client.save_album(id).await?;
        writeln!(out, "saved {id}: {}", saved.save_state.as_str())?;
        answered_for(out, id, saved.album.id.as_str())?;
    }
    let mut listed = Vec::new();
    let mut pages = std::pin::pin!(client.library_albums(2)?.pages());
    loop {
        match pages.try_next().await {
            Ok(Some(page)) => {
                let ids: Vec<String> = page
                    .items
                    .iter()
                    .map(|edge| edge.node.id.to_string())
                    .collect();
                writeln!(out, "page {ids:?}, next cursor {:?}", page.next_cursor)?;
                listed.extend(ids);
            }
            Ok(None) => break,
            Err(Error::RepeatedCursor { cursor, .. }) => {
                repeated_cursor(out, "library", "page", &cursor)?;
                break;
            }
            Err(error) => return Err(error.into()),
        }
    }
    let unlisted: Vec<&str> = albums
        .iter()
        .copied()
        .filter(|id| !listed.iter().any(|listed| listed == id))
        .collect();
    if !unlisted.is_empty() {
        writeln!(
            out,
            "  (the listing does not show {unlisted:?}, saved above: the server keeps no library)"
        )?;
    }
    for id in albums {
        let removed = client.remove_album(id).await?;
        writeln!(out, "removed {id}: {}", removed.save_state.as_str())?;
        answered_for(out, id, removed.album.id.as_str())?;
    }
    Ok(())
}

/// Says so when the server's answer is about another album than the one asked for.
fn answered_for(out: &mut impl Write, asked: &str, answered: &str) -> Result<(), Failure> {
    if asked != answered {
        writeln!(
            out,
            "  (the answer is about {answered}, not {asked}: the server does not act on the album asked)"
        )?;
    }
    Ok(())
}

async fn playback(client: &Client, out: &mut impl Write, album: &str) -> Result<(), Failure> {
    writeln!(out, "\n== playback")?;
    let mut session = client
        .start_playback(
            PlayRequest::album(album)
                .loop_mode(LoopMode::LoopOff)
                .device_id("tour"),
        )
        .await?;
    writeln!(
        out,
        "session {} playing album {album}: {}",
        session.id(),
        describe(session.current())
    )?;
    let report = session
        .report(
            PlaybackEventType::PlaybackStarted,
            Duration::ZERO,
            TakeOver::Auto,
        )
        .await;
    match report {
        Ok(Report::Recorded) => writeln!(out, "reported start: recorded")?,
        Ok(Report::Conflict(error)) => writeln!(
            out,
            "reported start: another stream is playing ({})",
            error.message
        )?,
        Err(error @ Error::MissingMetricId { .. }) => {
            skipped(out, "reporting the start of playback", error)?
        }
        Err(error) => return Err(error.into()),
    }

    next(&mut session, out).await?;
    let queued = "B0BS2S4WXN";
    match session.play_next(queued).await? {
        Some(upcoming) => writeln!(out, "queued {queued}; now up next: {}", describe(&upcoming))?,
        None => writeln!(
            out,
            "queued {queued}; the queue as the server lists it has nothing after the current entity"
        )?,
    }
    session.set_loop(LoopMode::LoopAll).await?;
    writeln!(out, "loop mode: LOOP_ALL")?;

    let mut queue: Vec<PlaybackEntity> = Vec::new();
    let mut items = std::pin::pin!(session.queue(4)?.items());
    loop {
        match items.try_next().await {
            Ok(Some(entity)) => queue.push(entity),
            Ok(None) => break,
            Err(Error::RepeatedCursor { cursor, .. }) => {
                repeated_cursor(out, "queue", "entities", &cursor)?;
                break;
            }
            Err(error) => return Err(error.into()),
        }
    }
    writeln!(
        out,
        "queue from the current entity on ({} entities):",
        queue.len()
    )?;
    for entity in queue.iter().take(5) {
        writeln!(out, "  {}", describe(entity))?;
    }
    writeln!(
        out,
        "active sessions: {}",
        client.active_sessions().await?.len()
    )?;
    Ok(())
}

/// Skips to the next entity when the service allows it, and says why not otherwise.
async fn next(session: &mut PlaybackSession, out: &mut impl Write) -> Result<(), Failure> {
    if !session.can_skip_next() {
        let action = session.actions().and_then(|a| a.next.as_ref());
        let why = action
            .and_then(|a| a.disable_type.as_deref())
            .unwrap_or("no reason given");
        let left = match session.remaining_skips() {
            Some(left) => format!(", {left} skips left"),
            None => String::new(),
        };
        return skipped(
            out,
            "the next entity",
            format!("the service does not allow skipping now ({why}{left})"),
        );
    }
    match session.next().await {
        Ok(next) => writeln!(out, "next: {}", describe(next))?,
        Err(Error::Api(error)) if error.code == ErrorCode::NoMoreNextEntity => {
            skipped(out, "the next entity", error)?
        }
        Err(error) => return Err(error.into()),
    }
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
