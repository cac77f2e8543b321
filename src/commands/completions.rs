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

#[derive(Debug, Args)]
pub struct ManPagesArgs {
    /// Where to write serverless-crud.1, serverless-crud-seed.1, ...
    #[arg(long, value_name = "DIR")]
    pub dir: std::path::PathBuf,
}

/// Every man page: (file name, roff text). One for the program and one per
/// subcommand (`serverless-crud-seed.1`, `serverless-crud-local-up.1`).
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    let mut root = Cli::command();
    root.build();
    let mut pages = Vec::new();
    add_pages(&root, "serverless-crud", &mut pages);
    pages
}

fn add_pages(cmd: &clap::Command, name: &str, pages: &mut Vec<(String, Vec<u8>)>) {
    if cmd.is_hide_set() {
        return;
    }
    // The plain version: the commit and build date would make every page
    // stale at every commit.
    let named = cmd
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "))
        .long_version(None);
    let mut text = Vec::new();
    clap_mangen::Man::new(named)
        .render(&mut text)
        .expect("man pages render into memory");
    pages.push((format!("{name}.1"), text));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        add_pages(sub, &format!("{name}-{}", sub.get_name()), pages);
    }
}

pub fn write_man_pages(args: ManPagesArgs) -> Result<Outcome, AppError> {
    std::fs::create_dir_all(&args.dir).map_err(|e| AppError::io("create", &args.dir, e))?;
    for (file, text) in man_pages() {
        let path = args.dir.join(file);
        std::fs::write(&path, text).map_err(|e| AppError::io("write", &path, e))?;
    }
    Ok(Outcome::printed())
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

    /// Fails when a flag changed and man/ was not regenerated (run
    /// `scripts/update-completions`).
    #[test]
    fn committed_man_pages_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
        let pages = man_pages();
        assert!(pages.iter().any(|(f, _)| f == "serverless-crud-seed.1"));
        assert!(pages.iter().any(|(f, _)| f == "serverless-crud-local-up.1"));
        for (file, text) in &pages {
            let committed = std::fs::read(dir.join(file)).unwrap_or_default();
            assert!(
                committed == *text,
                "man/{file} is stale: run scripts/update-completions"
            );
        }
        let committed = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
        assert_eq!(
            committed,
            pages.len(),
            "man/ holds exactly the current pages"
        );
    }

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
