//! serverless-crud as a library: the binary (`main.rs`) parses the command
//! line and calls `commands::run`; integration tests and benchmarks may use
//! the services directly. Layers, top to bottom:
//!
//! - `cli`, `commands`: clap definitions and one thin `run` per command;
//! - `context`: settings resolved once, client factories;
//! - services: `stack`, `seed`, `export`, `observe`, `local`, `gateway`;
//! - shared types and plumbing: `auth`, `event`, `reply`, `transport`,
//!   `output`, `error`, `retry`, `paths`, `names`, `limits`, `ddb_json`.

pub mod auth;
pub mod aws_http;
pub mod cli;
pub mod commands;
pub mod context;
pub mod cors_check;
pub mod ddb_json;
pub mod dispatcher;
pub mod doctor;
pub mod dry_run;
pub mod engine;
pub mod error;
pub mod event;
pub mod export;
pub mod formats;
pub mod gateway;
pub mod interrupt;
pub mod limits;
pub mod local;
pub mod names;
pub mod observe;
pub mod output;
pub mod paths;
pub mod reply;
pub mod retry;
pub mod s3;
pub mod seed;
pub mod stack;
pub mod transport;
