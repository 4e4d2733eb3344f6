//! `amazon-music me` and `me set`: the signed-in user's profile, and changing it.

use amazon_music::Client;
use amazon_music_api::types::{UpdateUserRequest, User, Visibility};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use crate::credentials::ApiArgs;
use crate::exit::{Failure, Status};
use crate::output::{JsonArg, Out};

/// `amazon-music me`.
#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  amazon-music me --json\n  \
                        amazon-music me set --name Tony --visibility public --playback-visibility private")]
pub struct MeArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// Output format.
    #[command(flatten)]
    pub format: JsonArg,
    /// Change the profile instead of showing it.
    #[command(subcommand)]
    pub command: Option<MeCommand>,
}

/// `amazon-music me ...`.
#[derive(Subcommand, Debug)]
pub enum MeCommand {
    /// Change the profile. The API replaces it whole and shows no visibility back, so all
    /// three are given. Prints the profile as it now is.
    #[command(
        after_help = "Example: amazon-music me set --name Tony --visibility public \
                      --playback-visibility private"
    )]
    Set(SetArgs),
}

/// `amazon-music me set`.
#[derive(Args, Debug)]
pub struct SetArgs {
    /// The name others see.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// Who sees the profile.
    #[arg(long, value_name = "WHO")]
    pub visibility: VisibilityArg,
    /// Who sees what the user plays.
    #[arg(long, value_name = "WHO")]
    pub playback_visibility: VisibilityArg,
    /// Output format.
    #[command(flatten)]
    pub format: JsonArg,
}

/// Who sees it.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisibilityArg {
    /// Everyone (PUBLIC).
    Public,
    /// Only the user (PRIVATE).
    Private,
}

impl From<VisibilityArg> for Visibility {
    fn from(arg: VisibilityArg) -> Self {
        match arg {
            VisibilityArg::Public => Visibility::Public,
            VisibilityArg::Private => Visibility::Private,
        }
    }
}

/// The profile as the command line prints it (`--json` field names are part of the
/// interface).
#[derive(Debug, Serialize)]
pub struct UserView {
    /// The user id.
    pub id: String,
    /// The name others see.
    pub name: Option<String>,
    /// The profile's page on Amazon Music.
    pub url: Option<String>,
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.to_string(),
            name: user.name.clone(),
            url: user.url.clone(),
        }
    }
}

fn show(user: &User, format: JsonArg) -> Result<Status, Failure> {
    let view = UserView::from(user);
    let out = Out::stdout();
    if format.json {
        out.json(&view)?;
    } else {
        let mut fields = vec![
            ("id", view.id.clone()),
            ("name", view.name.clone().unwrap_or_default()),
        ];
        if let Some(url) = &view.url {
            fields.push(("url", url.clone()));
        }
        out.fields(&fields)?;
    }
    Ok(Status::Success)
}

/// Runs `me` and `me set`.
pub async fn run(client: &Client, args: MeArgs) -> Result<Status, Failure> {
    match args.command {
        None => show(&client.me().await?, args.format),
        Some(MeCommand::Set(set)) => {
            if set.name.trim().is_empty() {
                return Err(Failure::usage("invalid --name: it is empty"));
            }
            let update = UpdateUserRequest {
                name: set.name,
                visibility: set.visibility.into(),
                playback_visibility: set.playback_visibility.into(),
            };
            let format = JsonArg {
                json: set.format.json || args.format.json,
            };
            show(&client.update_me(&update).await?, format)
        }
    }
}
