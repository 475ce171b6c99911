//! VietQR: the bank-transfer QR code of NAPAS 247 (EMVCo merchant-presented mode) a citizen
//! scans at the desk to pay a dossier's fee into the unit's account, and the bank statement
//! that later tells which transfers arrived (docs/research/payments.md §2).
//!
//! - [`BankAccount`]: the unit's receiving account (bank BIN, account number, holder),
//!   checked as typed, every refusal in Vietnamese; [`banks::BANKS`] the common banks by BIN;
//! - [`payload`]: the EMVCo payload of a transfer (tags 00, 01, 38, 53, 54, 58, 62.08, 63 with
//!   its CRC-16/CCITT-FALSE) and [`decode`], its reader, CRC checked;
//! - [`transfer_text`]: the transfer message (mã hồ sơ + "LE PHI", ASCII, at most 25
//!   characters) and [`statement`]: a bank statement's CSV and the dossier codes its
//!   descriptions name.

mod account;
pub mod banks;
mod emv;
mod payload;
pub mod statement;

pub use account::{AccountError, BankAccount};
pub use emv::crc16;
pub use payload::{DecodeError, Decoded, MAX_TEXT_CHARS, decode, payload, transfer_text};
