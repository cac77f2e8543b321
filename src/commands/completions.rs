//! Shell completion scripts (the committed copies live in completions/).

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::Cli;
use crate::output::{Outcome, Text};

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

pub fn run(args: CompletionsArgs) -> anyhow::Result<Outcome> {
    print!("{}", script(args.shell));
    Ok(Outcome {
        json: serde_json::Value::Null,
        text: Text::Nothing,
    })
}
