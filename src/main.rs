//! serverless-crud: parse, run, map the error to an exit code.

mod cli;
mod commands;
mod context;
mod dispatcher;
mod dry_run;
mod error;
mod event;
mod limits;
mod local;
mod names;
mod output;
mod paths;
mod reply;
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
    let code = match runtime.block_on(commands::run(cli.command, &ctx)) {
        Ok(outcome) => {
            ctx.printer.emit(&outcome);
            error::exit::OK
        }
        Err(err) => {
            ctx.printer.error(&err);
            error::exit_code_for(&err)
        }
    };
    drop(runtime);
    std::process::exit(code);
}
