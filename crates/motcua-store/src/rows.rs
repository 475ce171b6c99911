//! Mapping between stored rows and domain values.
//!
//! Reading is strict: a stored value the domain does not accept is reported as
//! [`StoreError::Corrupt`] naming the table and the key, never silently repaired.

use motcua_core::Timestamp;
use motcua_core::dossier::{
    Channel, Dossier, DossierCode, Outcome, PaymentChannel, SourceSystem, SubmissionLevel,
};
use motcua_core::history::{DossierEvent, EventDetail, EventKind};
use motcua_core::procedure::{
    OnlineLevel, Procedure, ProcedureCode, ProcessingDays, parse_offered_by,
};
use motcua_core::unit::{Unit, UnitCode, UnitKind};
use sea_orm::{QueryResult, TryGetable, Value};

use crate::StoreError;

pub(crate) const UNIT_COLUMNS: &str =
    "code, name, short_name, kind, label, parent_code, office_hours";
pub(crate) const PROCEDURE_COLUMNS: &str = "code, name, field, offered_by, online_level, \
    processing_millidays, fee_vnd, components, cutoff_15h";
pub(crate) const DOSSIER_COLUMNS: &str = "code, procedure_code, unit_code, channel, online_level, \
    received_at, due_at, resolved_at, outcome, returned_at, components_total, \
    components_digitized, result_digitized, fee_vnd, payment_channel, paid_at, e_receipt, \
    source_system";
pub(crate) const DOSSIER_COLUMN_COUNT: usize = 18;

/// Reads column `i` of a row, naming the table and key on failure.
struct Reader<'a> {
    row: &'a QueryResult,
    table: &'static str,
    key: String,
}

impl Reader<'_> {
    fn get<T: TryGetable>(&self, i: usize) -> Result<T, StoreError> {
        self.row
            .try_get_by_index(i)
            .map_err(|e| self.corrupt(e.to_string()))
    }

    fn corrupt(&self, reason: String) -> StoreError {
        StoreError::Corrupt {
            table: self.table,
            key: self.key.clone(),
            reason,
        }
    }

    fn parse<T>(&self, i: usize, parse: impl FnOnce(&str) -> Option<T>) -> Result<T, StoreError> {
        let text: String = self.get(i)?;
        parse(&text).ok_or_else(|| self.corrupt(format!("giá trị «{text}» ở cột {i}")))
    }

    fn parse_opt<T>(
        &self,
        i: usize,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, StoreError> {
        let text: Option<String> = self.get(i)?;
        match text {
            None => Ok(None),
            Some(t) => parse(&t)
                .map(Some)
                .ok_or_else(|| self.corrupt(format!("giá trị «{t}» ở cột {i}"))),
        }
    }

    fn timestamp(&self, i: usize) -> Result<Timestamp, StoreError> {
        self.get::<i64>(i).map(Timestamp::from_micros)
    }

    fn timestamp_opt(&self, i: usize) -> Result<Option<Timestamp>, StoreError> {
        Ok(self.get::<Option<i64>>(i)?.map(Timestamp::from_micros))
    }

    fn count(&self, i: usize) -> Result<u32, StoreError> {
        let v: i64 = self.get(i)?;
        u32::try_from(v).map_err(|_| self.corrupt(format!("số {v} ở cột {i}")))
    }
}

fn reader<'a>(row: &'a QueryResult, table: &'static str) -> Reader<'a> {
    let key = row.try_get_by_index::<String>(0).unwrap_or_default();
    Reader { row, table, key }
}

pub(crate) fn unit(row: &QueryResult) -> Result<Unit, StoreError> {
    let r = reader(row, "units");
    Ok(Unit {
        code: r.parse(0, |t| UnitCode::parse(t).ok())?,
        name: r.get(1)?,
        short_name: r.get(2)?,
        kind: r.parse(3, UnitKind::parse)?,
        label: r.get(4)?,
        parent: r.parse_opt(5, |t| UnitCode::parse(t).ok())?,
        office_hours: r.parse_opt(6, |t| t.parse().ok())?,
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
    ]
}

pub(crate) fn procedure(row: &QueryResult) -> Result<Procedure, StoreError> {
    let r = reader(row, "procedures");
    let millidays: i64 = r.get(5)?;
    Ok(Procedure {
        code: r.parse(0, ProcedureCode::parse)?,
        name: r.get(1)?,
        field: r.get(2)?,
        offered_by: r.parse(3, |t| parse_offered_by(t).ok())?,
        online_level: r.parse(4, OnlineLevel::parse)?,
        processing_days: u32::try_from(millidays)
            .map(ProcessingDays::from_thousandths)
            .map_err(|_| r.corrupt(format!("số ngày {millidays}")))?,
        fee_vnd: r.get(6)?,
        components: r.count(7)?,
        cutoff_15h: r.get(8)?,
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
    ]
}

pub(crate) fn dossier(row: &QueryResult) -> Result<Dossier, StoreError> {
    let r = reader(row, "dossiers");
    Ok(Dossier {
        code: r.parse(0, DossierCode::parse)?,
        procedure_code: r.parse(1, ProcedureCode::parse)?,
        unit_code: r.parse(2, |t| UnitCode::parse(t).ok())?,
        channel: r.parse(3, Channel::parse)?,
        online_level: r.parse_opt(4, SubmissionLevel::parse)?,
        received_at: r.timestamp(5)?,
        due_at: r.timestamp(6)?,
        resolved_at: r.timestamp_opt(7)?,
        outcome: r.parse_opt(8, Outcome::parse)?,
        returned_at: r.timestamp_opt(9)?,
        components_total: r.count(10)?,
        components_digitized: r.count(11)?,
        result_digitized: r.get(12)?,
        fee_vnd: r.get(13)?,
        payment_channel: r.parse_opt(14, PaymentChannel::parse)?,
        paid_at: r.timestamp_opt(15)?,
        e_receipt: r.get(16)?,
        source_system: r.parse(17, SourceSystem::parse)?,
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
    ]
}

pub(crate) fn event(row: &QueryResult) -> Result<DossierEvent, StoreError> {
    let r = reader(row, "dossier_events");
    let detail: String = r.get(4)?;
    let kind = r.parse(3, EventKind::parse)?;
    Ok(DossierEvent {
        dossier_code: r.parse(0, DossierCode::parse)?,
        at: r.timestamp(1)?,
        actor: r.get(2)?,
        detail: EventDetail::from_stored(kind, &detail).map_err(|e| r.corrupt(e.to_string()))?,
    })
}
