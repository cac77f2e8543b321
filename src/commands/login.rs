//! `login`: sign a user in to the stack's Cognito user pool (`--auth
//! cognito`) and keep the token for the stack's later commands.

use std::fmt;
use std::io::{BufRead, IsTerminal};

use clap::Args;
use serde::Serialize;

use crate::context::Context;
use crate::error::AppError;
use crate::output::Outcome;
use crate::stack::cognito::Login;

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The user of the stack's user pool to sign in
    #[arg(long, value_name = "NAME")]
    pub user: String,

    /// Make the user first, with the password given as its permanent one
    /// (an admin call: your AWS credentials)
    #[arg(long)]
    pub create: bool,

    /// Also print the ID token on stdout, alone (`JWT=$(… login --print-token)`)
    #[arg(long)]
    pub print_token: bool,
}

/// What `login` did (the token itself only with --print-token).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginReport {
    stack: String,
    user: String,
    created: bool,
    user_pool_id: String,
    /// RFC 3339.
    expires_at: String,
    /// The owner-only file the stack's commands read the token from.
    cached_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    dry_run: Option<bool>,
}

impl fmt::Display for LoginReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dry_run == Some(true) {
            return write!(
                f,
                "would {}sign {} in to user pool {} and cache the token at {}",
                if self.created { "create and " } else { "" },
                self.user,
                self.user_pool_id,
                self.cached_at
            );
        }
        write!(
            f,
            "{} {} to stack {} (user pool {}); token valid until {}, kept at {} for the stack's commands",
            if self.created { "created and signed in" } else { "signed in" },
            self.user,
            self.stack,
            self.user_pool_id,
            self.expires_at,
            self.cached_at
        )
    }
}

pub async fn run(args: LoginArgs, ctx: &Context) -> Result<Outcome, AppError> {
    let stack = ctx.stack_name().to_string();
    let state = ctx.stack_state().await?.ok_or_else(|| {
        AppError::not_found(format!(
            "no stack {stack} here: create it with `serverless-crud --stack {stack} setup --table NAME --auth cognito`"
        ))
    })?;
    let pool = state.user_pool.clone().ok_or_else(|| {
        AppError::usage(format!(
            "stack {stack} has no user pool (its auth is {}): `serverless-crud --stack {stack} setup --auth cognito` makes one",
            state.auth
        ))
    })?;
    let cached_at = Login::path(&stack, &state.region, state.local)?;
    let mut report = LoginReport {
        stack: stack.clone(),
        user: args.user.clone(),
        created: args.create,
        user_pool_id: pool.id.clone(),
        expires_at: String::new(),
        cached_at: cached_at.display().to_string(),
        dry_run: None,
    };
    if ctx.settings.dry_run {
        report.dry_run = Some(true);
        return Ok(Outcome::ok(report));
    }
    let password = read_password(&args.user)?;
    let clients = ctx.clients().await?;
    if args.create {
        clients
            .cognito
            .create_user(&pool, &args.user, &password)
            .await
            .map_err(|e| match &e {
                AppError::Aws { code: Some(c), .. } if c == "UsernameExistsException" => {
                    AppError::usage(format!(
                        "user {} already exists in the pool: drop --create to sign in",
                        args.user
                    ))
                }
                _ => e,
            })?;
    }
    let tokens = clients.cognito.login(&pool, &args.user, &password).await?;
    let login = Login::new(&args.user, tokens);
    login.save(&stack, &state.region, state.local)?;
    report.expires_at = chrono::DateTime::from_timestamp(login.expires_at as i64, 0)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default();
    if args.print_token {
        println!("{}", login.tokens.id_token);
        ctx.printer.info(report.to_string());
        return Ok(Outcome::printed());
    }
    Ok(Outcome::ok(report))
}

/// The password: typed at a prompt (not echoed), or one line of stdin.
fn read_password(user: &str) -> Result<String, AppError> {
    let password = if std::io::stdin().is_terminal() {
        console::Term::stderr()
            .write_str(&format!("Password for {user}: "))
            .and_then(|_| console::Term::stderr().read_secure_line())
            .map_err(|e| AppError::io("read the password from", "the terminal", e))?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| AppError::io("read the password from", "stdin", e))?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    if password.is_empty() {
        return Err(AppError::usage(
            "no password: type it at the prompt, or pipe it on stdin (printf '%s\\n' \"$PASSWORD\" | serverless-crud login …)",
        ));
    }
    Ok(password)
}
