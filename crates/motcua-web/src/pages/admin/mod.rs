//! Administration pages: the accounts of a unit's subtree ([`users`]), a unit's fee settings
//! ([`unit`]: bank account, tax code), and the audit trail of the whole tree ([`audit`], root
//! unit only).

pub(crate) mod actions;
pub(crate) mod audit;
pub(crate) mod unit;
pub(crate) mod user_action;
pub(crate) mod users;
