//! The pure core's integration tests (no database): one binary, one module per concern.

mod components;
mod fixture;
mod vnpay_python;
