//! serverless-crud: parse, run, print the outcome, map the error to an exit code.

mod cli;
mod commands;
mod context;
mod ddb_json;
mod dispatcher;
mod dry_run;
mod error;
mod event;
mod export;
mod formats;
mod gateway;
mod interrupt;
mod limits;
mod local;
mod names;
mod observe;
mod output;
mod paths;
mod reply;
mod retry;
mod s3;
mod seed;
mod stack;
mod transport;

fn main() {
    let cli = cli::Cli::parse_with_sources();
    if cli.global.dry_run {
        dry_run::activate();
    }
    let ctx = context::Context::new(cli.global.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
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
