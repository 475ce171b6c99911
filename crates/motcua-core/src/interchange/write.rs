//! Writing the interchange files back (export).

use std::borrow::Borrow;
use std::io::Write;

use super::{DOSSIER_COLUMNS, PROCEDURE_COLUMNS, PROCEDURE_COMPONENT_COLUMNS, UNIT_COLUMNS};
use crate::dossier::Dossier;
use crate::procedure::{Procedure, processing_days_text};
use crate::timestamp::Timestamp;
use crate::unit::Unit;

/// Spreadsheet programs need the byte order mark to read UTF-8 Vietnamese text correctly.
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn writer<W: Write>(mut out: W, header: &[&str]) -> std::io::Result<csv::Writer<W>> {
    out.write_all(BOM)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header)?;
    Ok(w)
}

fn ts(t: Option<Timestamp>) -> String {
    t.map(Timestamp::to_rfc3339).unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Writes `units.csv`; give the units parents first so the file re-imports in one pass.
pub fn write_units<'a, W: Write>(
    out: W,
    units: impl IntoIterator<Item = &'a Unit>,
) -> std::io::Result<()> {
    let mut w = writer(out, UNIT_COLUMNS)?;
    for u in units {
        w.write_record([
            u.code.as_str(),
            &u.name,
            &u.short_name,
            u.kind.as_str(),
            &u.label,
            u.parent.as_ref().map_or("", |p| p.as_str()),
            &opt(u.office_hours.as_ref()),
            u.address.as_deref().unwrap_or_default(),
            u.phone.as_deref().unwrap_or_default(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes `procedures.csv`.
pub fn write_procedures<'a, W: Write>(
    out: W,
    procedures: impl IntoIterator<Item = &'a Procedure>,
) -> std::io::Result<()> {
    let mut w = writer(out, PROCEDURE_COLUMNS)?;
    for p in procedures {
        w.write_record([
            p.code.as_str(),
            &p.name,
            &p.field,
            &p.offered_by_text(),
            p.online_level.as_str(),
            &processing_days_text(p.processing_days),
            &p.fee_vnd.to_string(),
            &p.components.to_string(),
            if p.cutoff_15h { "true" } else { "false" },
            &p.steps.join(&format!(" {} ", super::STEP_SEPARATOR)),
            p.how_to_submit.as_deref().unwrap_or_default(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes `procedure_components.csv`: the component list of every procedure that has one.
pub fn write_procedure_components<'a, W: Write>(
    out: W,
    procedures: impl IntoIterator<Item = &'a Procedure>,
) -> std::io::Result<()> {
    let mut w = writer(out, PROCEDURE_COMPONENT_COLUMNS)?;
    for p in procedures {
        for (i, c) in p.component_list.iter().enumerate() {
            w.write_record([
                p.code.as_str(),
                &(i + 1).to_string(),
                &c.name,
                &c.originals.to_string(),
                &c.copies.to_string(),
                c.template_url.as_deref().unwrap_or_default(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Writes `dossiers.csv`, row by row: the dossiers may be borrowed from a slice or produced
/// one at a time by an iterator (a generator of millions of rows never holds them all).
pub fn write_dossiers<W: Write, D: Borrow<Dossier>>(
    out: W,
    dossiers: impl IntoIterator<Item = D>,
) -> std::io::Result<()> {
    let mut w = writer(out, DOSSIER_COLUMNS)?;
    for d in dossiers {
        let d = d.borrow();
        w.write_record([
            d.code.as_str(),
            d.procedure_code.as_str(),
            d.unit_code.as_str(),
            d.channel.as_str(),
            &opt(d.online_level),
            &d.received_at.to_rfc3339(),
            &d.due_at.to_rfc3339(),
            &ts(d.resolved_at),
            &opt(d.outcome),
            &ts(d.returned_at),
            &d.components_total.to_string(),
            &d.components_digitized.to_string(),
            &opt(d.result_digitized),
            &d.fee_vnd.to_string(),
            &opt(d.payment_channel),
            &ts(d.paid_at),
            &opt(d.e_receipt),
            d.source_system.as_str(),
            &opt(d.rating),
        ])?;
    }
    w.flush()?;
    Ok(())
}
