//! Command-line definitions (clap). Each subcommand's arguments live beside
//! its code in `commands/`.

use clap::{ArgAction, Args, Parser, Subcommand};

use crate::auth::Auth;
use crate::commands::{
    completions, cors, doctor, export, items, local, login, logs, metrics, release, seed, send,
    setup, status, teardown,
};
use crate::output::OutputFormat;
use crate::transport::Via;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  internal error (a bug: please report it)
  2  usage error or bad input (malformed JSON, bad key syntax, unknown flag)
  3  item not found (read/delete of a missing key)
  4  condition failed (--if-absent, --if-exists, --condition)
  5  dispatcher, DynamoDB or AWS error (table not allowed, unknown operation, ...)
  6  transport or auth error (unreachable endpoint, 403, throttled, timeout);
     also a seed stopped because its endpoint is gone or refuses (checkpoint written)
  7  seed finished with rejected records
  8  interrupted, or stopped by a failure that is not the data's (checkpoint written)
  9  teardown left resources behind; status found the stack unhealthy
 10  a file or the environment failed (cannot read or write a file, no Python, busy port);
     doctor found a check failing";

/// `--version`: the version, then the commit, build date and target.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("SCRUD_COMMIT"),
    ", built ",
    env!("SCRUD_BUILD_DATE"),
    ", ",
    env!("SCRUD_TARGET"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "serverless-crud",
    version,
    long_version = LONG_VERSION,
    about = "Operate the CRUD-dispatcher pattern (API Gateway + Lambda + DynamoDB): send events, run a local AWS",
    after_help = EXIT_CODES,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Put an item (PutItem)
    Create(items::CreateArgs),
    /// Get an item by key (GetItem)
    Read(items::ReadArgs),
    /// Update an item (UpdateItem) with --set/--remove/--add or an --expression
    Update(items::UpdateArgs),
    /// Delete an item by key (DeleteItem)
    Delete(items::DeleteArgs),
    /// Scan a table (Scan), one page or --all
    List(items::ListArgs),
    /// Send a payload and get it back (checks the event path end to end)
    Echo(send::EchoArgs),
    /// Ping the dispatcher and show the round-trip time
    Ping(send::PingArgs),
    /// Send a raw event file (or - for stdin), e.g. the tutorial's Postman bodies
    Send(send::SendArgs),
    /// Create the whole pattern: tables, role, function, REST API, stage (idempotent)
    Setup(setup::SetupArgs),
    /// Publish a new version and move alias `live` to it (or weight it)
    Deploy(release::DeployArgs),
    /// Give the weighted new version all of alias `live`
    Promote(release::PromoteArgs),
    /// Move alias `live` back: off the weighted version, or to the previous
    Rollback(release::RollbackArgs),
    /// Show a stack's resources, drift and live latency through each transport
    Status(status::StatusArgs),
    /// Remove everything setup made (from the state file or by discovery)
    Teardown(teardown::TeardownArgs),
    /// Bulk-load JSON, JSONL or CSV: streamed, concurrent, resumable, lossless
    Seed(seed::SeedArgs),
    /// Export a table to JSON lines, JSON, CSV or DynamoDB JSON: parallel, resumable, exact
    Export(export::ExportArgs),
    /// Sign a user in to the stack's Cognito user pool (--auth cognito); its token is sent
    Login(login::LoginArgs),
    /// A stack's log lines, function and API, joined by request id (--follow to tail)
    Logs(logs::LogsArgs),
    /// A stack's invocations, errors, latency and API status classes, per operation too
    Metrics(metrics::MetricsArgs),
    /// Run an offline AWS: moto + the Lambda emulator + the dispatcher
    #[command(subcommand)]
    Local(local::LocalCommand),
    /// A browser's view of the stack's API: the CORS preflight and the call, explained
    #[command(subcommand)]
    Cors(cors::CorsCommand),
    /// Check credentials, region, clock, Python, ports and the local stack, with fixes
    Doctor(doctor::DoctorArgs),
    /// Print a shell completion script
    Completions(completions::CompletionsArgs),
    /// Write the man pages (generated from these definitions) into a directory
    #[command(hide = true)]
    ManPages(completions::ManPagesArgs),
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Use the local stack (see `local up`) for every AWS call
    #[arg(long, global = true, env = "SERVERLESS_CRUD_LOCAL", action = ArgAction::SetTrue)]
    pub local: bool,

    /// API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)
    #[arg(
        long,
        global = true,
        env = "SERVERLESS_CRUD_ENDPOINT",
        value_name = "URL"
    )]
    pub endpoint: Option<String>,

    /// Lambda function to invoke directly (name or ARN)
    #[arg(
        long,
        global = true,
        env = "SERVERLESS_CRUD_FUNCTION",
        value_name = "NAME"
    )]
    pub function: Option<String>,

    /// Stack made by `setup` whose endpoint and function to use [default: default]
    #[arg(
        long,
        global = true,
        env = "SERVERLESS_CRUD_STACK",
        value_name = "NAME",
        value_parser = crate::names::stack_name
    )]
    pub stack: Option<String>,

    /// Transport when both an endpoint and a function are known [default: api]
    #[arg(long, global = true, value_enum)]
    pub via: Option<Via>,

    /// How the API transport authenticates [default: api-key if a key is given, else iam]
    #[arg(long, global = true, value_enum, env = "SERVERLESS_CRUD_AUTH")]
    pub auth: Option<Auth>,

    /// API key for --auth api-key (never printed)
    #[arg(
        long,
        global = true,
        env = "SERVERLESS_CRUD_API_KEY",
        hide_env_values = true
    )]
    pub api_key: Option<String>,

    /// Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)
    #[arg(
        long,
        global = true,
        env = "SERVERLESS_CRUD_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,

    /// AWS profile (default: AWS_PROFILE, then the default profile)
    #[arg(long, global = true)]
    pub profile: Option<String>,

    /// AWS region (default: AWS_REGION, then the profile's region)
    #[arg(long, global = true, value_parser = crate::names::region)]
    pub region: Option<String>,

    /// Seconds to wait for one request
    #[arg(long, global = true, default_value_t = 30, value_name = "SECS")]
    pub timeout: u64,

    /// Output format [default: text on a terminal, json otherwise]
    #[arg(
        long,
        short = 'o',
        global = true,
        value_enum,
        env = "SERVERLESS_CRUD_OUTPUT"
    )]
    pub output: Option<OutputFormat>,

    /// Print only results (no progress or notes on stderr)
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,

    /// More detail on stderr (-v: requests and timings, -vv: wire events)
    #[arg(long, short = 'v', global = true, action = ArgAction::Count)]
    pub verbose: u8,

    /// Change nothing: print the event that would be sent, or the plan
    #[arg(long, global = true)]
    pub dry_run: bool,

    /// --auth was given on the command line (not from SERVERLESS_CRUD_AUTH,
    /// which configures the client only and must not change a stack).
    #[arg(skip)]
    pub auth_on_command_line: bool,
}

impl GlobalArgs {
    /// The global options as plain settings for the `Context`.
    pub fn settings(&self) -> crate::context::Settings {
        crate::context::Settings {
            local: self.local,
            endpoint: self.endpoint.clone(),
            function: self.function.clone(),
            stack: self.stack.clone(),
            via: self.via,
            auth: self.auth,
            auth_on_command_line: self.auth_on_command_line,
            api_key: self.api_key.clone(),
            token: self.token.clone(),
            profile: self.profile.clone(),
            region: self.region.clone(),
            timeout_secs: self.timeout,
            output: self.output,
            quiet: self.quiet,
            verbose: self.verbose,
            dry_run: self.dry_run,
        }
    }
}

impl Cli {
    /// Parses the command line (exits with clap's message and code 2 on error).
    pub fn parse_with_sources() -> Cli {
        use clap::{CommandFactory, FromArgMatches};
        let matches = Cli::command().get_matches();
        let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        cli.global.auth_on_command_line = given_on_command_line(&matches, "auth");
        cli
    }
}

/// Whether `id` came from the command line, at any subcommand level.
fn given_on_command_line(matches: &clap::ArgMatches, id: &str) -> bool {
    let here = matches.try_get_raw(id).ok().flatten().is_some()
        && matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
    here || matches
        .subcommand()
        .is_some_and(|(_, sub)| given_on_command_line(sub, id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("serverless-crud").chain(args.iter().copied()))
    }

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = parse(&[
            "read", "--table", "users", "--key", "id=1", "--local", "--via", "lambda", "-o", "json",
        ])
        .unwrap();
        assert!(cli.global.local);
        assert_eq!(cli.global.via, Some(Via::Lambda));
        assert_eq!(cli.global.output, Some(OutputFormat::Json));
    }

    #[test]
    fn required_and_conflicting_flags_are_refused() {
        assert!(
            parse(&["read", "--table", "users"]).is_err(),
            "--key is required"
        );
        assert!(parse(&[
            "update",
            "-t",
            "u",
            "-k",
            "id=1",
            "--set",
            "a=1",
            "--expression",
            "SET a = :a"
        ])
        .is_err());
        assert!(parse(&["ping", "--via", "carrier-pigeon"]).is_err());
        assert!(parse(&["ping", "--count", "0"]).is_err());
        let err = parse(&["local", "up", "--table", "users:id:X"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("key type must be S, N or B"), "{err}");
    }

    #[test]
    fn a_subcommand_help_starts_with_its_own_options() {
        let mut cmd = Cli::command();
        cmd.build(); // propagates the global options into the subcommands
        let help = cmd
            .find_subcommand_mut("seed")
            .unwrap()
            .render_long_help()
            .to_string();
        let own = help.find("--file").unwrap();
        let global = help.find("Global options:").unwrap();
        let local = help.find("--local").unwrap();
        assert!(own < global && global < local, "{help}");
    }

    #[test]
    fn help_lists_exit_codes() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("Exit codes:") && help.contains("3  item not found"));
    }
}
