//! The report's targets ([`Targets`]: the level below which a unit is flagged, per indicator)
//! and the units below them ([`below_target`]).

use serde::Serialize;

use crate::display;
use crate::indicators::IndicatorReport;
use crate::rates::RateId;

use super::words::{lower_first, unit_name};

/// The level below which a unit is flagged, per indicator, in hundredths of a percent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    /// `(indicator, minimum percent)`: a unit whose rate is defined and below the minimum is
    /// flagged.
    pub minimums: Vec<(RateId, u64)>,
}

impl Targets {
    /// The targets as text: `online_rate=50 input_digitization_rate=90 …`.
    pub fn to_text(&self) -> String {
        self.minimums
            .iter()
            .map(|(id, min)| format!("{}={min}", id.id()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Reads targets written as `ID=PERCENT` pairs separated by spaces or commas (the ids of
    /// docs/spec/indicators.md); an empty text means no target at all.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut minimums: Vec<(RateId, u64)> = Vec::new();
        for pair in text
            .split([' ', ',', '\n'])
            .filter(|p| !p.trim().is_empty())
        {
            let (id, pct) = pair.split_once('=').ok_or_else(|| {
                format!("«{pair}»: cần dạng MÃ_CHỈ_SỐ=PHẦN_TRĂM, ví dụ e_receipt_rate=90")
            })?;
            let rate = RateId::from_id(id.trim()).ok_or_else(|| {
                format!(
                    "không có chỉ số «{}»; các mã: {}",
                    id.trim(),
                    RateId::ALL
                        .iter()
                        .map(|r| r.id())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            let pct: u64 = pct
                .trim()
                .parse()
                .ok()
                .filter(|p| *p <= 100)
                .ok_or_else(|| format!("«{pair}»: chỉ tiêu phải là số nguyên từ 0 đến 100"))?;
            minimums.retain(|(r, _)| *r != rate);
            minimums.push((rate, pct));
        }
        minimums.sort_by_key(|(r, _)| RateId::ALL.iter().position(|a| a == r));
        Ok(Targets { minimums })
    }
}

impl Default for Targets {
    /// The defaults (docs/REPORT.md): online dossiers at least half of those received, inputs
    /// and results fully digitized at 90%, e-receipts at 90%, online payment at 50%, every
    /// dossier on time.
    fn default() -> Self {
        Targets {
            minimums: vec![
                (RateId::Online, 50),
                (RateId::InputDigitization, 90),
                (RateId::ResultDigitization, 90),
                (RateId::OnTime, 100),
                (RateId::OnlinePayment, 50),
                (RateId::EReceipt, 90),
            ],
        }
    }
}

/// A unit under target: its name (`xã Vĩnh Khê`) and the indicators it missed, as text
/// (`tỷ lệ phát hành biên lai điện tử 45,2% (chỉ tiêu 90%)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BelowTarget {
    pub unit: String,
    pub misses: Vec<String>,
}

/// The units below target, in the order of the report's unit rows.
pub fn below_target(report: &IndicatorReport, targets: &Targets) -> Vec<BelowTarget> {
    report
        .units
        .iter()
        .filter_map(|u| {
            let misses: Vec<String> = targets
                .minimums
                .iter()
                .filter_map(|(id, min)| {
                    let rate = u.rates.get(*id);
                    let h = display::rate_hundredths(rate)?;
                    (h < i128::from(*min) * 100).then(|| {
                        format!(
                            "{} {} (chỉ tiêu {min}%)",
                            lower_first(id.name_vi()),
                            display::rate_percent(rate)
                        )
                    })
                })
                .collect();
            (!misses.is_empty()).then(|| BelowTarget {
                unit: unit_name(&u.label, &u.short_name),
                misses,
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_and_write_as_text() -> Result<(), String> {
        let d = Targets::default();
        assert_eq!(Targets::parse(&d.to_text())?, d);
        let t = Targets::parse("e_receipt_rate=95, online_rate=60 e_receipt_rate=97")?;
        assert_eq!(
            t.minimums,
            vec![(RateId::Online, 60), (RateId::EReceipt, 97)]
        );
        assert!(Targets::parse("")?.minimums.is_empty());
        assert!(
            Targets::parse("e_receipt=90")
                .unwrap_err()
                .contains("không có chỉ số")
        );
        assert!(
            Targets::parse("e_receipt_rate=120")
                .unwrap_err()
                .contains("từ 0 đến 100")
        );
        assert!(
            Targets::parse("e_receipt_rate")
                .unwrap_err()
                .contains("cần dạng")
        );
        Ok(())
    }
}
