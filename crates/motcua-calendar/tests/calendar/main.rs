//! The calendar's integration tests: one binary, one module per concern.

mod properties;
