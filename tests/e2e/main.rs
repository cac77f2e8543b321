//! The end-to-end tests: the binary against real local stacks (moto, the
//! Lambda emulator, the local gateway, the real dispatcher), checked with
//! boto3. One test binary, one shared local stack (`common::shared`) for
//! every test that needs no stack of its own; each test uses its own stack
//! and table names. Tests that start, kill or sweep a whole local stack
//! start their own.

mod common;

mod authorizers;
mod browser;
mod conformance;
mod crud_local;
mod dist;
mod doctor;
mod gateway;
mod lifecycle;
mod local_lifecycle;
mod observability;
mod postman;
mod releases;
mod routes;
mod safety;
mod seed;
mod seed_outages;
mod shapes;
mod stack;
mod tutorial_dispatcher;
