//! The pure core's integration tests (no database): one binary, one module per concern.

mod components;
mod fixture;
mod vietqr_python;
mod vnpay_python;
