//! The report's targets ([`Targets`]: the level below which a unit is flagged, per indicator)
//! and how each unit is judged against them ([`judge`]).

use crate::display;
use crate::indicators::IndicatorReport;
use crate::rates::RateId;
use crate::unit::UnitCode;

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

/// The fewest dossiers behind a rate for it to be judged against its target while the month is
/// not finished. Below that (one late dossier of one received on the 2nd), the unit is shown
/// as "chưa đủ dữ liệu" rather than "chưa đạt": the month can still change the figure. Once
/// the month has ended every defined rate is judged, as the monthly report does.
pub const MIN_DOSSIERS_UNFINISHED: u64 = 10;

/// A leaf unit of a report judged against the targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub unit: UnitCode,
    /// `xã Vĩnh Khê`.
    pub name: String,
    /// The indicators under target, as text (`tỷ lệ phát hành biên lai điện tử 45,2% (chỉ
    /// tiêu 90%)`); empty when it meets them or has too few dossiers.
    pub misses: Vec<String>,
    /// The indicators not judged for want of dossiers ([`MIN_DOSSIERS_UNFINISHED`]), by name.
    pub too_few: Vec<String>,
}

impl Judgement {
    /// Below target on at least one indicator.
    pub fn is_below(&self) -> bool {
        !self.misses.is_empty()
    }

    /// Not below target, but some indicator not judged for want of dossiers.
    pub fn lacks_data(&self) -> bool {
        self.misses.is_empty() && !self.too_few.is_empty()
    }
}

/// Judges every unit row of `report` against `targets`; `finished` says whether the month
/// has ended (see [`MIN_DOSSIERS_UNFINISHED`]). Rows in the report's order. The one rule the
/// monthly report, the dashboard and the follow-ups share.
pub fn judge(report: &IndicatorReport, targets: &Targets, finished: bool) -> Vec<Judgement> {
    report
        .units
        .iter()
        .map(|u| {
            let mut misses = Vec::new();
            let mut too_few = Vec::new();
            for (id, min) in &targets.minimums {
                let rate = u.rates.get(*id);
                let Some(h) = display::rate_hundredths(rate) else {
                    continue;
                };
                if h >= i128::from(*min) * 100 {
                    continue;
                }
                if !finished && rate.den < MIN_DOSSIERS_UNFINISHED {
                    too_few.push(lower_first(id.name_vi()));
                } else {
                    misses.push(format!(
                        "{} {} (chỉ tiêu {min}%)",
                        lower_first(id.name_vi()),
                        display::rate_percent(rate)
                    ));
                }
            }
            Judgement {
                unit: u.code.clone(),
                name: unit_name(&u.label, &u.short_name),
                misses,
                too_few,
            }
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
