//! Shell completion scripts (the committed copies live in completions/).

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::AppError;
use crate::output::Outcome;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish
    pub shell: Shell,
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "serverless-crud", &mut out);
    String::from_utf8(out).expect("completion scripts are UTF-8")
}

pub fn run(args: CompletionsArgs) -> Result<Outcome, AppError> {
    use std::io::Write;
    // A closed stdout (`| head`) is not worth a panic.
    let _ = std::io::stdout()
        .lock()
        .write_all(script(args.shell).as_bytes());
    Ok(Outcome::printed())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shells with a committed script in completions/, and the file names.
    const COMMITTED: &[(Shell, &str)] = &[
        (Shell::Bash, "serverless-crud.bash"),
        (Shell::Zsh, "_serverless-crud"),
        (Shell::Fish, "serverless-crud.fish"),
        (Shell::PowerShell, "_serverless-crud.ps1"),
    ];

    /// Fails when a flag changed and completions/ was not regenerated
    /// (run `scripts/update-completions`).
    #[test]
    fn committed_completions_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
        for (shell, file) in COMMITTED {
            let committed = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
            assert!(
                committed == script(*shell),
                "completions/{file} is stale: run scripts/update-completions"
            );
        }
    }
}
