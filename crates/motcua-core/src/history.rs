//! The append-only history of a dossier: [`DossierEvent`] (who, when) and [`EventDetail`]
//! (what happened and what changed), one variant per [`EventKind`].
//!
//! The database keeps the kind in one column and the detail as JSON in another; each
//! variant's payload serialises to exactly the JSON that the store has written for that kind
//! since the kind was introduced, so events stored by any release read back without a data
//! migration ([`EventDetail::from_stored`], [`EventDetail::to_stored`]). The API shows an
//! event as `{"dossier_code", "at", "actor", "kind", "detail"}`, the same shape.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::details::{Applicant, Component, Details, Slot};
use crate::dossier::{Channel, Dossier, DossierCode, PaymentChannel};
use crate::lifecycle::{Status, Step};
use crate::procedure::ProcedureCode;
use crate::timestamp::Timestamp;
use crate::unit::UnitCode;

/// One thing that happened to a dossier: who, when, what. Events are only ever appended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DossierEvent {
    pub dossier_code: DossierCode,
    pub at: Timestamp,
    /// Who did it: `user:NAME`, `token:NAME`, `cli:NAME`, or `import:<file>` for bulk loads.
    pub actor: String,
    #[serde(flatten)]
    pub detail: EventDetail,
}

impl DossierEvent {
    pub fn kind(&self) -> EventKind {
        self.detail.kind()
    }
}

/// What happened, with what it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum EventDetail {
    /// Created by a bulk import.
    Imported(Imported),
    /// Changed by a bulk import of a row with an existing code.
    ImportUpdated(ImportUpdated),
    /// The appointment was re-planned because the working-day calendar changed.
    DueReplanned(DueReplanned),
    /// An e-receipt was issued for the dossier's fee.
    ReceiptIssued(ReceiptIssued),
    /// Received at the desk or online in motcua.
    Received(Received),
    /// A lifecycle step was taken.
    Step(StepTaken),
    /// A scan of a component or of the result was stored.
    ScanAttached(ScanAttached),
    /// The fee was paid (online or at the desk).
    PaymentRecorded(PaymentRecorded),
    /// Reception corrected what it recorded, before processing started (not a withdrawal).
    Corrected(Box<Corrected>),
    /// The citizen rated the service (issue 19); the comment stays in `dossier_ratings`.
    Rated(Rated),
}

/// A value before and after a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change<T> {
    pub before: T,
    pub after: T,
}

impl<T: PartialEq> Change<T> {
    /// Whether the value changed.
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Imported {
    /// The line of `dossiers.csv` it came from.
    pub line: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportUpdated {
    /// The line of `dossiers.csv` it came from.
    pub line: u64,
    /// The fields of the dossier that changed (their interchange names), each with its value
    /// before and after as the dossier's JSON has them.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub changed: BTreeMap<String, Change<serde_json::Value>>,
}

impl ImportUpdated {
    /// The update of a dossier by the row at `line`: the fields of `after` whose value differs
    /// from `before`'s.
    pub fn between(line: u64, before: &Dossier, after: &Dossier) -> Self {
        let fields = |d: &Dossier| match serde_json::to_value(d) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        let old = fields(before);
        let changed = fields(after)
            .into_iter()
            .filter_map(|(name, new)| {
                let was = old.get(&name).cloned().unwrap_or(serde_json::Value::Null);
                (was != new).then_some((
                    name,
                    Change {
                        before: was,
                        after: new,
                    },
                ))
            })
            .collect();
        Self { line, changed }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueReplanned {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub before: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub after: Timestamp,
    /// Why, in Vietnamese (`lịch nghỉ năm 2026 thay đổi`).
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiptIssued {
    pub form_symbol: String,
    pub series: String,
    /// The number as printed (`0000042`).
    pub number: String,
    pub amount_vnd: i64,
    pub payment_channel: PaymentChannel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Received {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub procedure: ProcedureCode,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unit: UnitCode,
    pub channel: Channel,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub due_at: Timestamp,
}

/// A status before and after a step (none before for a dossier imported without steps).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub before: Option<Status>,
    pub after: Status,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepTaken {
    pub step: Step,
    pub status: StatusChange,
    /// The appointment before and after (it moves when the clock resumes after a pause).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub due_at: Change<Timestamp>,
    /// The unit handling the dossier after the step.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub handling_unit: UnitCode,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanAttached {
    pub slot: Slot,
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    pub file_name: String,
    /// The components digitized after it.
    pub components_digitized: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRecorded {
    pub payment_channel: PaymentChannel,
    pub amount_vnd: i64,
    /// Paid by bank transfer (chuyển khoản, VietQR) into the unit's account: confirmed by
    /// the officer, or found in the account's statement. Absent for cash and older events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_transfer: Option<BankTransfer>,
}

/// A payment by bank transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankTransfer {
    /// The bank's transaction reference, when the statement import found it; `None` when an
    /// officer confirmed the transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
}

/// A citizen's rating of the dossier's service, and where it was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rated {
    pub rating: crate::dossier::Rating,
    pub channel: crate::rating::RatingChannel,
}

impl Rated {
    /// The history's line: `Công dân đánh giá: Hài lòng`.
    pub fn text_vi(&self) -> String {
        format!("Công dân đánh giá: {}", self.rating.label_vi())
    }
}

/// A correction of the desk's record before processing started: each part that changed,
/// with its value before and after.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Corrected {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub applicant: Option<Change<Applicant>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub request: Option<Change<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub components: Option<Change<Vec<Component>>>,
}

impl Corrected {
    /// The parts of `after` that differ from `before`.
    pub fn between(before: &Details, after: &Details) -> Self {
        fn change<T: Clone + PartialEq>(a: &T, b: &T) -> Option<Change<T>> {
            (a != b).then(|| Change {
                before: a.clone(),
                after: b.clone(),
            })
        }
        Self {
            applicant: change(&before.applicant, &after.applicant),
            request: change(&before.request, &after.request),
            components: change(&before.components, &after.components),
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.applicant.is_none() && self.request.is_none() && self.components.is_none()
    }

    /// What changed, one Vietnamese phrase per field: `họ tên: Nguyễn Van A → Nguyễn Văn A`.
    pub fn lines_vi(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut field = |what: &str, a: &str, b: &str| {
            if a != b {
                let shown = |t: &str| {
                    if t.is_empty() {
                        "(trống)".to_owned()
                    } else {
                        t.to_owned()
                    }
                };
                out.push(format!("{what}: {} → {}", shown(a), shown(b)));
            }
        };
        if let Some(c) = &self.applicant {
            let (a, b) = (&c.before, &c.after);
            field("họ tên", &a.name, &b.name);
            field("số định danh", &a.id_number, &b.id_number);
            field("địa chỉ", &a.address, &b.address);
            field("số điện thoại", &a.phone, &b.phone);
            field("thư điện tử", &a.email, &b.email);
        }
        if let Some(c) = &self.request {
            field("nội dung yêu cầu", &c.before, &c.after);
        }
        if let Some(c) = &self.components {
            let list = |v: &[Component]| {
                v.iter()
                    .map(|c| {
                        format!(
                            "{} ({} bản chính, {} bản sao)",
                            c.name, c.originals, c.copies
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            field("thành phần hồ sơ", &list(&c.before), &list(&c.after));
        }
        out
    }
}

/// What kind of thing happened: the `kind` column of the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Imported,
    ImportUpdated,
    DueReplanned,
    ReceiptIssued,
    Received,
    Step,
    ScanAttached,
    PaymentRecorded,
    Corrected,
    Rated,
}

impl EventKind {
    pub const ALL: [EventKind; 10] = [
        EventKind::Imported,
        EventKind::ImportUpdated,
        EventKind::DueReplanned,
        EventKind::ReceiptIssued,
        EventKind::Received,
        EventKind::Step,
        EventKind::ScanAttached,
        EventKind::PaymentRecorded,
        EventKind::Corrected,
        EventKind::Rated,
    ];

    /// The stored spelling (`payment_recorded`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Imported => "imported",
            EventKind::ImportUpdated => "import_updated",
            EventKind::DueReplanned => "due_replanned",
            EventKind::ReceiptIssued => "receipt_issued",
            EventKind::Received => "received",
            EventKind::Step => "step",
            EventKind::ScanAttached => "scan_attached",
            EventKind::PaymentRecorded => "payment_recorded",
            EventKind::Corrected => "corrected",
            EventKind::Rated => "rated",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl EventDetail {
    pub fn kind(&self) -> EventKind {
        match self {
            EventDetail::Imported(_) => EventKind::Imported,
            EventDetail::ImportUpdated(_) => EventKind::ImportUpdated,
            EventDetail::DueReplanned(_) => EventKind::DueReplanned,
            EventDetail::ReceiptIssued(_) => EventKind::ReceiptIssued,
            EventDetail::Received(_) => EventKind::Received,
            EventDetail::Step(_) => EventKind::Step,
            EventDetail::ScanAttached(_) => EventKind::ScanAttached,
            EventDetail::PaymentRecorded(_) => EventKind::PaymentRecorded,
            EventDetail::Corrected(_) => EventKind::Corrected,
            EventDetail::Rated(_) => EventKind::Rated,
        }
    }

    /// The stored form: the kind, and the JSON of the detail.
    pub fn to_stored(&self) -> Result<(EventKind, String), serde_json::Error> {
        Ok((self.kind(), self.payload()?.to_string()))
    }

    /// The detail alone as JSON (what the history stores, and the audit trail shows).
    pub fn payload(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            EventDetail::Imported(x) => serde_json::to_value(x),
            EventDetail::ImportUpdated(x) => serde_json::to_value(x),
            EventDetail::DueReplanned(x) => serde_json::to_value(x),
            EventDetail::ReceiptIssued(x) => serde_json::to_value(x),
            EventDetail::Received(x) => serde_json::to_value(x),
            EventDetail::Step(x) => serde_json::to_value(x),
            EventDetail::ScanAttached(x) => serde_json::to_value(x),
            EventDetail::PaymentRecorded(x) => serde_json::to_value(x),
            EventDetail::Corrected(x) => serde_json::to_value(x),
            EventDetail::Rated(x) => serde_json::to_value(x),
        }
    }

    /// Reads a stored event's detail; an error names what does not fit.
    pub fn from_stored(kind: EventKind, json: &str) -> Result<Self, serde_json::Error> {
        Ok(match kind {
            EventKind::Imported => EventDetail::Imported(serde_json::from_str(json)?),
            EventKind::ImportUpdated => EventDetail::ImportUpdated(serde_json::from_str(json)?),
            EventKind::DueReplanned => EventDetail::DueReplanned(serde_json::from_str(json)?),
            EventKind::ReceiptIssued => EventDetail::ReceiptIssued(serde_json::from_str(json)?),
            EventKind::Received => EventDetail::Received(serde_json::from_str(json)?),
            EventKind::Step => EventDetail::Step(serde_json::from_str(json)?),
            EventKind::ScanAttached => EventDetail::ScanAttached(serde_json::from_str(json)?),
            EventKind::PaymentRecorded => EventDetail::PaymentRecorded(serde_json::from_str(json)?),
            EventKind::Corrected => EventDetail::Corrected(serde_json::from_str(json)?),
            EventKind::Rated => EventDetail::Rated(serde_json::from_str(json)?),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Details exactly as releases up to 0.1 wrote them (`serde_json::json!` in the store):
    /// each reads into its variant and writes back the same JSON.
    const STORED: [(&str, &str); 10] = [
        ("imported", r#"{"line":12}"#),
        (
            "import_updated",
            r#"{"changed":{"resolved_at":{"after":"2024-05-20T09:00:00+07:00","before":null}},"line":3}"#,
        ),
        (
            "due_replanned",
            r#"{"after":"2026-01-05T08:00:00+07:00","before":"2026-01-02T08:00:00+07:00","reason":"lịch nghỉ năm 2026 thay đổi"}"#,
        ),
        (
            "receipt_issued",
            r#"{"amount_vnd":8000,"form_symbol":"01BLP0-001","number":"0000001","payment_channel":"offline","series":"AB-24E"}"#,
        ),
        (
            "received",
            r#"{"channel":"direct","due_at":"2024-05-20T16:00:00+07:00","procedure":"1.001193","unit":"ho-xa"}"#,
        ),
        (
            "step",
            r#"{"due_at":{"after":"2024-05-22T16:00:00+07:00","before":"2024-05-20T16:00:00+07:00"},"handling_unit":"ho-xa","status":{"after":"in_processing","before":"awaiting_supplement"},"step":{"step":"supplemented"}}"#,
        ),
        (
            "scan_attached",
            r#"{"components_digitized":1,"file_name":"cccd.pdf","media_type":"application/pdf","sha256":"ab","size":1234,"slot":{"index":0,"slot":"component"}}"#,
        ),
        (
            "payment_recorded",
            r#"{"amount_vnd":8000,"payment_channel":"online"}"#,
        ),
        (
            "corrected",
            r#"{"request":{"after":"Đăng ký khai sinh","before":"Dang ky khai sinh"}}"#,
        ),
        ("rated", r#"{"channel":"kiosk","rating":"dissatisfied"}"#),
    ];

    #[test]
    fn every_stored_shape_reads_back_typed_and_unchanged() {
        for (kind, json) in STORED {
            let kind = EventKind::parse(kind).unwrap();
            let detail = EventDetail::from_stored(kind, json).unwrap();
            assert_eq!(detail.kind(), kind);
            let (k, back) = detail.to_stored().unwrap();
            assert_eq!(k, kind);
            let a: serde_json::Value = serde_json::from_str(json).unwrap();
            let b: serde_json::Value = serde_json::from_str(&back).unwrap();
            assert_eq!(a, b, "{kind}");
        }
        assert_eq!(
            STORED.map(|(k, _)| k).to_vec(),
            EventKind::ALL.map(EventKind::as_str).to_vec()
        );
    }

    #[test]
    fn a_step_before_any_status_reads() {
        let d = EventDetail::from_stored(
            EventKind::Step,
            r#"{"due_at":{"after":"2024-05-22T16:00:00+07:00","before":"2024-05-22T16:00:00+07:00"},"handling_unit":"ho-xa","status":{"after":"in_processing","before":null},"step":{"step":"start_processing"}}"#,
        )
        .unwrap();
        let EventDetail::Step(s) = d else {
            panic!("a step")
        };
        assert_eq!(s.status.before, None);
        assert!(!s.due_at.changed());
    }

    #[test]
    fn the_api_shape_is_kind_and_detail() {
        let e = DossierEvent {
            dossier_code: DossierCode::parse("HO-XA-240520-0001").unwrap(),
            at: Timestamp::parse("2024-05-20T08:00:00+07:00").unwrap(),
            actor: "user:a".to_owned(),
            detail: EventDetail::Imported(Imported { line: 2 }),
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "imported");
        assert_eq!(v["detail"]["line"], 2);
        let back: DossierEvent = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn a_correction_keeps_the_old_values() {
        let before = Details {
            applicant: Applicant {
                name: "Nguyễn Van An".to_owned(),
                ..Applicant::default()
            },
            ..Details::default()
        };
        let mut after = before.clone();
        after.applicant.name = "Nguyễn Văn An".to_owned();
        let c = Corrected::between(&before, &after);
        assert!(c.request.is_none() && c.components.is_none());
        assert_eq!(c.lines_vi(), vec!["họ tên: Nguyễn Van An → Nguyễn Văn An"]);
        assert!(Corrected::between(&before, &before).is_empty());
        let (kind, json) = EventDetail::Corrected(Box::new(c.clone()))
            .to_stored()
            .unwrap();
        assert_eq!(
            EventDetail::from_stored(kind, &json).unwrap(),
            EventDetail::Corrected(Box::new(c))
        );
    }
}
