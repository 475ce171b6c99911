//! The benchmark generator's integration tests: one binary, one module per concern.

mod generate;
