//! Rates of the contract (`docs/spec/indicators.md`): [`Rate`] (kept as `num/den`, compared
//! exactly), [`Rates`] derived from [`Counts`], [`RateId`] the one list of them with their
//! Vietnamese names, and [`IndicatorSet`] (counts with their rates).

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::counts::Counts;

/// A rate: `value = num / den × 100`, unrounded; `None` when `den = 0`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rate {
    pub num: u64,
    pub den: u64,
    pub value: Option<f64>,
}

impl Rate {
    pub fn new(num: u64, den: u64) -> Self {
        let value = (den > 0).then(|| num as f64 / den as f64 * 100.0);
        Self { num, den, value }
    }

    /// Exact comparison of two rates (undefined rates sort lowest).
    pub fn cmp_exact(&self, other: &Rate) -> Ordering {
        match (self.den, other.den) {
            (0, 0) => Ordering::Equal,
            (0, _) => Ordering::Less,
            (_, 0) => Ordering::Greater,
            _ => (u128::from(self.num) * u128::from(other.den))
                .cmp(&(u128::from(other.num) * u128::from(self.den))),
        }
    }

    /// Whether the rate is at least `percent` %, exactly.
    pub fn at_least(&self, percent: u64) -> bool {
        self.den > 0 && u128::from(self.num) * 100 >= u128::from(percent) * u128::from(self.den)
    }
}

/// The rates of the contract. Field names are the contract ids.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rates {
    pub online_full_rate: Rate,
    pub online_rate: Rate,
    pub online_service_usage_rate: Rate,
    pub input_digitization_rate: Rate,
    pub result_digitization_rate: Rate,
    pub on_time_rate: Rate,
    pub online_payment_rate: Rate,
    pub e_receipt_rate: Rate,
    // Ratings (issue 19).
    pub dossier_satisfaction_rate: Rate,
    pub rating_satisfaction_rate: Rate,
    // Feedback and petitions (PAKN).
    pub petition_on_time_rate: Rate,
    pub petition_satisfaction_rate: Rate,
}

/// Identifies one rate, with its Vietnamese name as reports print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateId {
    OnlineFull,
    Online,
    OnlineServiceUsage,
    InputDigitization,
    ResultDigitization,
    OnTime,
    OnlinePayment,
    EReceipt,
    DossierSatisfaction,
    RatingSatisfaction,
    // Feedback and petitions (PAKN).
    PetitionOnTime,
    PetitionSatisfaction,
}

impl RateId {
    pub const ALL: [RateId; 12] = [
        RateId::OnlineFull,
        RateId::Online,
        RateId::OnlineServiceUsage,
        RateId::InputDigitization,
        RateId::ResultDigitization,
        RateId::OnTime,
        RateId::OnlinePayment,
        RateId::EReceipt,
        RateId::DossierSatisfaction,
        RateId::RatingSatisfaction,
        RateId::PetitionOnTime,
        RateId::PetitionSatisfaction,
    ];

    /// The contract id.
    pub fn id(self) -> &'static str {
        match self {
            RateId::OnlineFull => "online_full_rate",
            RateId::Online => "online_rate",
            RateId::OnlineServiceUsage => "online_service_usage_rate",
            RateId::InputDigitization => "input_digitization_rate",
            RateId::ResultDigitization => "result_digitization_rate",
            RateId::OnTime => "on_time_rate",
            RateId::OnlinePayment => "online_payment_rate",
            RateId::EReceipt => "e_receipt_rate",
            RateId::DossierSatisfaction => "dossier_satisfaction_rate",
            RateId::RatingSatisfaction => "rating_satisfaction_rate",
            RateId::PetitionOnTime => "petition_on_time_rate",
            RateId::PetitionSatisfaction => "petition_satisfaction_rate",
        }
    }

    /// The rate of a contract id (`online_full_rate`).
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The Vietnamese name, as in reports.
    pub fn name_vi(self) -> &'static str {
        match self {
            RateId::OnlineFull => "Tỷ lệ hồ sơ trực tuyến toàn trình",
            RateId::Online => "Tỷ lệ hồ sơ trực tuyến một phần và toàn trình",
            RateId::OnlineServiceUsage => {
                "Tỷ lệ dịch vụ công toàn trình và một phần phát sinh hồ sơ trực tuyến"
            }
            RateId::InputDigitization => "Tỷ lệ số hóa đầy đủ thành phần hồ sơ đầu vào",
            RateId::ResultDigitization => "Tỷ lệ số hóa kết quả giải quyết TTHC",
            RateId::OnTime => "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn",
            RateId::OnlinePayment => "Tỷ lệ hồ sơ phát sinh thanh toán trực tuyến",
            RateId::EReceipt => "Tỷ lệ phát hành biên lai điện tử",
            RateId::DossierSatisfaction => "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
            RateId::RatingSatisfaction => "Tỷ lệ đánh giá hài lòng",
            RateId::PetitionOnTime => "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn",
            RateId::PetitionSatisfaction => "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị",
        }
    }
}

impl Rates {
    pub fn from_counts(c: &Counts) -> Self {
        Self {
            online_full_rate: Rate::new(c.received_online_full, c.received),
            online_rate: Rate::new(c.received_online, c.received),
            online_service_usage_rate: Rate::new(c.online_services_used, c.online_services_offered),
            input_digitization_rate: Rate::new(
                c.received_fully_digitized,
                c.received_with_components,
            ),
            result_digitization_rate: Rate::new(
                c.resolved_approved_result_digitized,
                c.resolved_approved,
            ),
            on_time_rate: Rate::new(c.resolved_in_time(), c.resolved),
            online_payment_rate: Rate::new(c.fee_received_paid_online, c.fee_received),
            e_receipt_rate: Rate::new(c.fee_received_e_receipt, c.fee_received_paid),
            // 100% − (% overdue + % rated "không hài lòng" though in time), over the dossiers
            // resolved in the month and those still pending at its end (regulations.md §2.2).
            dossier_satisfaction_rate: Rate::new(
                (c.resolved_in_time() + c.pending_within_due)
                    .saturating_sub(c.resolved_in_time_dissatisfied),
                c.resolved + c.pending,
            ),
            rating_satisfaction_rate: Rate::new(
                c.resolved_rated
                    .saturating_sub(c.resolved_rated_dissatisfied),
                c.resolved_rated,
            ),
            petition_on_time_rate: Rate::new(
                c.petitions_answered_in_time + c.petitions_pending_within_due,
                c.petitions_answered + c.petitions_pending,
            ),
            petition_satisfaction_rate: Rate::new(
                c.petitions_received
                    .saturating_sub(c.petitions_received_unsatisfactory),
                c.petitions_received,
            ),
        }
    }

    pub fn get(&self, id: RateId) -> &Rate {
        match id {
            RateId::OnlineFull => &self.online_full_rate,
            RateId::Online => &self.online_rate,
            RateId::OnlineServiceUsage => &self.online_service_usage_rate,
            RateId::InputDigitization => &self.input_digitization_rate,
            RateId::ResultDigitization => &self.result_digitization_rate,
            RateId::OnTime => &self.on_time_rate,
            RateId::OnlinePayment => &self.online_payment_rate,
            RateId::EReceipt => &self.e_receipt_rate,
            RateId::DossierSatisfaction => &self.dossier_satisfaction_rate,
            RateId::RatingSatisfaction => &self.rating_satisfaction_rate,
            RateId::PetitionOnTime => &self.petition_on_time_rate,
            RateId::PetitionSatisfaction => &self.petition_satisfaction_rate,
        }
    }
}

/// Counts and the rates derived from them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorSet {
    pub counts: Counts,
    pub rates: Rates,
}

impl IndicatorSet {
    pub fn from_counts(counts: Counts) -> Self {
        Self {
            counts,
            rates: Rates::from_counts(&counts),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn satisfaction_takes_off_the_overdue_and_the_dissatisfied_in_time() {
        // 10 resolved (6 early, 2 on time, 2 late) and 5 pending (4 within due, 1 overdue);
        // 5 rated, 3 of them "không hài lòng": 2 resolved in time and 1 late.
        let c = Counts {
            resolved: 10,
            resolved_early: 6,
            resolved_on_time: 2,
            resolved_late: 2,
            pending: 5,
            pending_within_due: 4,
            pending_overdue: 1,
            resolved_rated: 5,
            resolved_rated_dissatisfied: 3,
            resolved_in_time_dissatisfied: 2,
            ..Counts::default()
        };
        let r = Rates::from_counts(&c);
        // 100% − (3 overdue + 2 dissatisfied in time) / 15: the late one rated badly is
        // counted once, as overdue.
        assert_eq!(r.get(RateId::DossierSatisfaction), &Rate::new(10, 15));
        assert_eq!(r.get(RateId::RatingSatisfaction), &Rate::new(2, 5));
        assert_eq!(
            RateId::from_id("dossier_satisfaction_rate"),
            Some(RateId::DossierSatisfaction)
        );
        // Nothing resolved nor pending, nothing rated: no rate.
        let none = Rates::from_counts(&Counts::default());
        assert_eq!(none.dossier_satisfaction_rate.value, None);
        assert_eq!(none.rating_satisfaction_rate.value, None);
    }
}
