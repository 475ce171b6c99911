//! Mapping between stored rows and domain values.
//!
//! Reading is strict: a stored value the domain does not accept is reported as
//! [`StoreError::Corrupt`] naming the table and the key, never silently repaired.

use motcua_core::Timestamp;
use motcua_core::dossier::{
    Channel, Dossier, DossierCode, Outcome, PaymentChannel, Rating, SourceSystem, SubmissionLevel,
};
use motcua_core::history::{DossierEvent, EventDetail, EventKind};
use motcua_core::procedure::{
    OnlineLevel, Procedure, ProcedureCode, ProcessingDays, parse_offered_by,
};
use motcua_core::unit::{Unit, UnitCode, UnitKind};
use sea_orm::{QueryResult, TryGetable, Value};

use crate::StoreError;

pub(crate) const UNIT_COLUMNS: &str =
    "code, name, short_name, kind, label, parent_code, office_hours, address, phone";
pub(crate) const PROCEDURE_COLUMNS: &str = "code, name, field, offered_by, online_level, \
    processing_millidays, fee_vnd, components, cutoff_15h, component_list, steps, how_to_submit";
pub(crate) const DOSSIER_COLUMNS: &str = "code, procedure_code, unit_code, channel, online_level, \
    received_at, due_at, resolved_at, outcome, returned_at, components_total, \
    components_digitized, result_digitized, fee_vnd, payment_channel, paid_at, e_receipt, \
    source_system, rating";

/// Reads a row's columns by name, naming the table, the key and the column on failure.
pub(crate) struct Reader<'a> {
    row: &'a QueryResult,
    table: &'static str,
    key: String,
}

impl Reader<'_> {
    pub(crate) fn get<T: TryGetable>(&self, column: &str) -> Result<T, StoreError> {
        self.row
            .try_get("", column)
            .map_err(|e| self.corrupt(format!("cột {column}: {e}")))
    }

    pub(crate) fn corrupt(&self, reason: String) -> StoreError {
        StoreError::Corrupt {
            table: self.table,
            key: self.key.clone(),
            reason,
        }
    }

    pub(crate) fn parse<T>(
        &self,
        column: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, StoreError> {
        let text: String = self.get(column)?;
        parse(&text).ok_or_else(|| self.corrupt(format!("giá trị «{text}» ở cột {column}")))
    }

    pub(crate) fn parse_opt<T>(
        &self,
        column: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, StoreError> {
        let text: Option<String> = self.get(column)?;
        match text {
            None => Ok(None),
            Some(t) => parse(&t)
                .map(Some)
                .ok_or_else(|| self.corrupt(format!("giá trị «{t}» ở cột {column}"))),
        }
    }

    pub(crate) fn timestamp(&self, column: &str) -> Result<Timestamp, StoreError> {
        self.get::<i64>(column).map(Timestamp::from_micros)
    }

    pub(crate) fn timestamp_opt(&self, column: &str) -> Result<Option<Timestamp>, StoreError> {
        Ok(self.get::<Option<i64>>(column)?.map(Timestamp::from_micros))
    }

    /// A JSON column read as `T` (`None` when NULL).
    pub(crate) fn json_opt<T: serde::de::DeserializeOwned>(
        &self,
        column: &str,
    ) -> Result<Option<T>, StoreError> {
        let text: Option<String> = self.get(column)?;
        text.map(|t| serde_json::from_str(&t).map_err(|e| self.corrupt(format!("{column}: {e}"))))
            .transpose()
    }

    pub(crate) fn count(&self, column: &str) -> Result<u32, StoreError> {
        let v: i64 = self.get(column)?;
        u32::try_from(v).map_err(|_| self.corrupt(format!("số {v} ở cột {column}")))
    }
}

/// A reader of `row` of `table`, whose key (for messages) is in column `key`.
pub(crate) fn reader<'a>(row: &'a QueryResult, table: &'static str, key: &str) -> Reader<'a> {
    let key = row.try_get::<String>("", key).unwrap_or_default();
    Reader { row, table, key }
}

pub(crate) fn unit(row: &QueryResult) -> Result<Unit, StoreError> {
    let r = reader(row, "units", "code");
    Ok(Unit {
        code: r.parse("code", |t| UnitCode::parse(t).ok())?,
        name: r.get("name")?,
        short_name: r.get("short_name")?,
        kind: r.parse("kind", UnitKind::parse)?,
        label: r.get("label")?,
        parent: r.parse_opt("parent_code", |t| UnitCode::parse(t).ok())?,
        office_hours: r.parse_opt("office_hours", |t| t.parse().ok())?,
        address: r.get("address")?,
        phone: r.get("phone")?,
    })
}

pub(crate) fn unit_values(u: &Unit) -> Vec<Value> {
    vec![
        u.code.as_str().into(),
        u.name.as_str().into(),
        u.short_name.as_str().into(),
        u.kind.as_str().into(),
        u.label.as_str().into(),
        u.parent.as_ref().map(|p| p.as_str().to_owned()).into(),
        text(u.office_hours.as_ref()),
        u.address.clone().into(),
        u.phone.clone().into(),
    ]
}

pub(crate) fn procedure(row: &QueryResult) -> Result<Procedure, StoreError> {
    let r = reader(row, "procedures", "code");
    let millidays: i64 = r.get("processing_millidays")?;
    Ok(Procedure {
        code: r.parse("code", ProcedureCode::parse)?,
        name: r.get("name")?,
        field: r.get("field")?,
        offered_by: r.parse("offered_by", |t| parse_offered_by(t).ok())?,
        online_level: r.parse("online_level", OnlineLevel::parse)?,
        processing_days: u32::try_from(millidays)
            .map(ProcessingDays::from_thousandths)
            .map_err(|_| r.corrupt(format!("số ngày {millidays}")))?,
        fee_vnd: r.get("fee_vnd")?,
        components: r.count("components")?,
        component_list: r.json_opt("component_list")?.unwrap_or_default(),
        cutoff_15h: r.get("cutoff_15h")?,
        steps: r.json_opt("steps")?.unwrap_or_default(),
        how_to_submit: r.get("how_to_submit")?,
    })
}

pub(crate) fn procedure_values(p: &Procedure) -> Vec<Value> {
    vec![
        p.code.as_str().into(),
        p.name.as_str().into(),
        p.field.as_str().into(),
        p.offered_by_text().into(),
        p.online_level.as_str().into(),
        i64::from(p.processing_days.thousandths()).into(),
        p.fee_vnd.into(),
        i64::from(p.components).into(),
        p.cutoff_15h.into(),
        serde_json::to_string(&p.component_list)
            .unwrap_or_else(|_| "[]".to_owned())
            .into(),
        serde_json::to_string(&p.steps)
            .unwrap_or_else(|_| "[]".to_owned())
            .into(),
        p.how_to_submit.clone().into(),
    ]
}

pub(crate) fn dossier(row: &QueryResult) -> Result<Dossier, StoreError> {
    let r = reader(row, "dossiers", "code");
    Ok(Dossier {
        code: r.parse("code", DossierCode::parse)?,
        procedure_code: r.parse("procedure_code", ProcedureCode::parse)?,
        unit_code: r.parse("unit_code", |t| UnitCode::parse(t).ok())?,
        channel: r.parse("channel", Channel::parse)?,
        online_level: r.parse_opt("online_level", SubmissionLevel::parse)?,
        received_at: r.timestamp("received_at")?,
        due_at: r.timestamp("due_at")?,
        resolved_at: r.timestamp_opt("resolved_at")?,
        outcome: r.parse_opt("outcome", Outcome::parse)?,
        returned_at: r.timestamp_opt("returned_at")?,
        components_total: r.count("components_total")?,
        components_digitized: r.count("components_digitized")?,
        result_digitized: r.get("result_digitized")?,
        fee_vnd: r.get("fee_vnd")?,
        payment_channel: r.parse_opt("payment_channel", PaymentChannel::parse)?,
        paid_at: r.timestamp_opt("paid_at")?,
        e_receipt: r.get("e_receipt")?,
        source_system: r.parse("source_system", SourceSystem::parse)?,
        rating: r.parse_opt("rating", Rating::parse)?,
    })
}

fn micros(t: Option<Timestamp>) -> Value {
    t.map(Timestamp::as_micros).into()
}

fn text<T: ToString>(v: Option<T>) -> Value {
    v.map(|x| x.to_string()).into()
}

pub(crate) fn dossier_values(d: &Dossier) -> Vec<Value> {
    vec![
        d.code.as_str().into(),
        d.procedure_code.as_str().into(),
        d.unit_code.as_str().into(),
        d.channel.as_str().into(),
        text(d.online_level),
        d.received_at.as_micros().into(),
        d.due_at.as_micros().into(),
        micros(d.resolved_at),
        text(d.outcome),
        micros(d.returned_at),
        i64::from(d.components_total).into(),
        i64::from(d.components_digitized).into(),
        d.result_digitized.into(),
        d.fee_vnd.into(),
        text(d.payment_channel),
        micros(d.paid_at),
        d.e_receipt.into(),
        d.source_system.as_str().into(),
        text(d.rating),
    ]
}

pub(crate) fn event(row: &QueryResult) -> Result<DossierEvent, StoreError> {
    let r = reader(row, "dossier_events", "dossier_code");
    let detail: String = r.get("detail")?;
    let kind = r.parse("kind", EventKind::parse)?;
    Ok(DossierEvent {
        dossier_code: r.parse("dossier_code", DossierCode::parse)?,
        at: r.timestamp("at")?,
        actor: r.get("actor")?,
        detail: EventDetail::from_stored(kind, &detail).map_err(|e| r.corrupt(e.to_string()))?,
    })
}

/// The applicant's search keys as stored with a dossier (`applicant_name`, `applicant_phone`,
/// `applicant_id`), NULL when absent or empty.
pub(crate) fn search_values(details: Option<&motcua_core::details::Details>) -> [Value; 3] {
    let key = |k: String| -> Value { (!k.is_empty()).then_some(k).into() };
    match details {
        Some(d) => [
            key(motcua_core::lists::name_key(&d.applicant.name)),
            key(motcua_core::lists::phone_key(&d.applicant.phone)),
            key(motcua_core::lists::id_key(&d.applicant.id_number)),
        ],
        None => [
            Option::<String>::None.into(),
            Option::<String>::None.into(),
            Option::<String>::None.into(),
        ],
    }
}
