//! serverless-crud: parse, run, print the outcome, map the error to an exit code.

use serverless_crud::{cli, commands, context, dry_run, error};

fn main() {
    let cli = cli::Cli::parse_with_sources();
    if cli.global.dry_run {
        dry_run::activate();
    }
    let ctx = context::Context::new(cli.global.settings());
    let runtime = commands::runtime_for(&cli.command);
    let result = runtime.block_on(commands::run(cli.command, &ctx));
    drop(runtime);
    let failure = match result {
        Ok(outcome) => {
            if let Some(report) = &outcome.report {
                ctx.printer.emit(report.as_ref());
            }
            outcome.failure
        }
        Err(err) => Some(err),
    };
    let code = match failure {
        Some(err) => {
            ctx.printer.error(&err);
            err.exit_code()
        }
        None => error::exit::OK,
    };
    std::process::exit(code);
}
