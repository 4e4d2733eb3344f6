//! `amazon-music completions SHELL` and `amazon-music man`: generated from the same clap
//! definitions as the parser, so they cannot fall behind it.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::exit::{Failure, Status};
use crate::output::Out;

/// Prints the completion script of `args.shell`.
pub fn completions(args: &CompletionsArgs) -> Result<Status, Failure> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "amazon-music", &mut script);
    Out::stdout().raw(&String::from_utf8_lossy(&script))?;
    Ok(Status::Success)
}

/// Prints the manual page, roff.
pub fn man() -> Result<Status, Failure> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut roff)
        .map_err(|e| Failure::refused(format!("cannot render the manual page: {e}")))?;
    Out::stdout().raw(&String::from_utf8_lossy(&roff))?;
    Ok(Status::Success)
}
