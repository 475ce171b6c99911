//! The pure domain of motcua: what a one-stop shop (Bộ phận Một cửa) holds and computes.
//!
//! Nothing here performs IO or reads the clock; callers pass the current time and the data.
//! Main types:
//! - [`Timestamp`] and [`Month`]: instants and reporting periods in the legal time zone (UTC+7);
//! - [`unit::Unit`] and [`unit::UnitTree`]: administrative units and their scopes;
//! - [`procedure::Procedure`]: the procedure catalogue and its online service offerings;
//! - [`dossier::Dossier`]: dossiers; [`history::DossierEvent`] and [`history::EventDetail`]:
//!   their append-only, typed history;
//! - [`details::Details`]: the applicant, the component checklist and the scans;
//! - [`lifecycle::Lifecycle`]: the dossier's state machine (steps, pauses of the clock);
//! - [`counts::Counts`] and [`counts::CountId`], [`rates::Rates`] and [`rates::RateId`]: the
//!   counts and rates of `docs/spec/indicators.md`, each with the one list of its ids;
//! - [`indicators::IndicatorReport`]: the service indicators of a scope and a month;
//!   [`aggregate`]: the per unit and month counts that every dossier write keeps up to date;
//! - [`close`]: month close (chốt số liệu): frozen figures and the changes since;
//!   [`figures`]: which figures a month shows (frozen once closed, live otherwise);
//! - [`report`]: the monthly report's narrative (Vietnamese prose from the indicators);
//!   [`letterhead`]: what it prints of its issuer (Decree 30/2020: body, number, date, signature);
//! - [`display`]: the Vietnamese display rules for counts, rates and changes; [`money`]:
//!   amounts in figures and in words;
//! - [`interchange`]: the CSV interchange format (parse, validate, write); [`code`]: the
//!   alphabet of unit, procedure and dossier codes;
//! - [`access`]: roles, actions, principals and the audit trail's records;
//! - [`freetext`]: the bounds of the free text people type (length, no control characters);
//! - [`citizen`]: citizens' and businesses' accounts; [`outbox`]: the messages sent to them.
//! - [`payment`]: online payment of fees through a gateway (orders, reports, refunds).
//! - [`vietqr`]: the bank-transfer QR code of the unit's account and the bank statement.

#![forbid(unsafe_code)]

pub mod access;
pub mod aggregate;
pub mod audit;
pub mod catalogue;
pub mod citizen;
pub mod close;
pub mod code;
pub mod collation;
pub mod counts;
pub mod details;
pub mod display;
pub mod dossier;
pub mod fees;
pub mod figures;
pub mod followup;
pub mod forms;
pub mod freetext;
pub mod history;
pub mod indicators;
pub mod interchange;
pub mod letterhead;
pub mod lifecycle;
pub mod lists;
pub mod money;
pub mod notice;
pub mod online;
pub mod outbox;
pub mod payment;
pub mod petition;
pub mod procedure;
pub mod rates;
pub mod rating;
pub mod report;
pub mod search;
pub mod timestamp;
pub mod tracking;
pub mod unit;
pub mod vietqr;

pub use timestamp::{Month, Timestamp};
