//! The `motcua` binary's integration tests, run as a child process: one test binary, one
//! module per concern.

mod cli;
mod crash;
mod demo;
