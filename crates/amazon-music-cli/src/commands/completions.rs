//! `amazon-music completions SHELL` and `amazon-music man`: generated from the same clap
//! definitions as the parser, so they cannot fall behind it.

use clap::Args;

use crate::exit::{Failure, Status};
use crate::output::Out;

/// `amazon-music completions`.
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

/// Prints the completion script of `args.shell` for `command`, the whole command line (handed
/// in rather than imported: the command line includes this command).
pub fn completions(args: &CompletionsArgs, mut command: clap::Command) -> Result<Status, Failure> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "amazon-music", &mut script);
    Out::stdout().raw(&String::from_utf8_lossy(&script))?;
    Ok(Status::Success)
}

/// Prints the manual page of `command`, the whole command line, as roff.
pub fn man(command: clap::Command) -> Result<Status, Failure> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut roff)
        .map_err(|e| Failure::refused(format!("cannot render the manual page: {e}")))?;
    Out::stdout().raw(&String::from_utf8_lossy(&roff))?;
    Ok(Status::Success)
}
