//! The CSV interchange format of `docs/spec/interchange.md`: parse, validate, write.
//!
//! Parsing is pure: callers hand in the bytes of `units.csv`, `procedures.csv` (with the
//! optional `procedure_components.csv`) and `dossiers.csv` with their names, and get validated domain values ([`ImportPlan`]) or every
//! problem found ([`Issue`]: file, line, column, reason in Vietnamese). Checks that need the
//! data already stored (does this unit code exist?) take it as a parameter ([`Existing`]).
//! Writing produces the same files back, so that import → export → import is the identity.
//!
//! Every problem is located by physical line (LF, CRLF and a lone CR each end a line; the
//! header is line 1) and column. Every cell is checked before its value is read: UTF-8, at
//! most its column's length ([`SHORT_CELL`] characters, or [`UNIT_LIMITS`] and
//! [`PROCEDURE_LIMITS`] for names), no control or invisible character (see [`crate::code`]);
//! a physical row is at most [`MAX_ROW_BYTES`]. The checks are the same whichever database is
//! behind.

mod catalogue;
mod components;
mod lines;
mod plan;
mod table;
mod values;
mod write;

pub use catalogue::{CataloguePlan, PROCEDURE_LIMITS, UNIT_LIMITS, plan_catalogue};
pub use components::plan_components;
pub use lines::MAX_ROW_BYTES;
pub use plan::{
    DossierReader, DueDateFn, Existing, ImportFiles, ImportOptions, ImportPlan, plan_import,
};
pub use table::{Column, Issue, Located, SHORT_CELL};
pub use write::{write_dossiers, write_procedure_components, write_procedures, write_units};

/// The file names of the interchange folder.
pub const UNITS_FILE: &str = "units.csv";
pub const PROCEDURES_FILE: &str = "procedures.csv";
pub const DOSSIERS_FILE: &str = "dossiers.csv";
/// Optional: the component list of each procedure (an addition to the contract's files).
pub const PROCEDURE_COMPONENTS_FILE: &str = "procedure_components.csv";

/// Column names, in the order files are written.
/// `office_hours`, `address`, `phone` (units), `cutoff_15h`, `steps`, `how_to_submit`
/// (procedures) and `template_url` (components) are additions to the contract's columns:
/// optional on import, always written on export. Columns are only ever added, at the end.
pub const UNIT_COLUMNS: &[&str] = &[
    "code",
    "name",
    "short_name",
    "kind",
    "label",
    "parent_code",
    "office_hours",
    "address",
    "phone",
];
pub const PROCEDURE_COLUMNS: &[&str] = &[
    "code",
    "name",
    "field",
    "offered_by",
    "online_level",
    "processing_days",
    "fee_vnd",
    "components",
    "cutoff_15h",
    "steps",
    "how_to_submit",
];
pub const PROCEDURE_COMPONENT_COLUMNS: &[&str] = &[
    "procedure_code",
    "position",
    "name",
    "originals",
    "copies",
    "template_url",
];
/// What separates the steps of a procedure in the `steps` cell.
pub const STEP_SEPARATOR: char = '|';
pub const DOSSIER_COLUMNS: &[&str] = &[
    "code",
    "procedure_code",
    "unit_code",
    "channel",
    "online_level",
    "received_at",
    "due_at",
    "resolved_at",
    "outcome",
    "returned_at",
    "components_total",
    "components_digitized",
    "result_digitized",
    "fee_vnd",
    "payment_channel",
    "paid_at",
    "e_receipt",
    "source_system",
    // Added by issue 19 (optional: files without it still read).
    "rating",
];
