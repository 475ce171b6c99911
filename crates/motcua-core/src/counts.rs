//! The counts of the contract (`docs/spec/indicators.md`): [`Counts`], one scope's counts for
//! one month, each dossier added by [`Counts::tally`]; and [`CountId`], the one list of them
//! from which every table of counts derives (the JSON keys, the stored columns of the
//! aggregates and of closed months, the report's headings, the dashboard's lists).
//!
//! Adding a count: a field of [`Counts`], a variant of [`CountId`] (its place in
//! [`CountId::ALL`] and its names; the compiler lists the matches to complete), its rule in
//! [`Counts::tally`], and a migration adding its column to `agg_months` and `closed_counts`.

use std::ops::AddAssign;

use serde::{Deserialize, Serialize};

use crate::dossier::{
    Channel, Dossier, Outcome, PaymentChannel, Rating, SourceSystem, SubmissionLevel,
};
use crate::dossier::{Timeliness, timeliness};
use crate::timestamp::Month;

mod figure;
pub use figure::Figure;

/// The counts of the contract for one scope and one month. Field names are the contract ids.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    pub received: u64,
    pub received_online: u64,
    pub received_online_full: u64,
    pub received_online_partial: u64,
    pub received_direct: u64,
    pub carried_over: u64,
    pub resolved: u64,
    pub resolved_approved: u64,
    pub resolved_rejected: u64,
    pub resolved_early: u64,
    pub resolved_on_time: u64,
    pub resolved_late: u64,
    pub withdrawn: u64,
    pub pending: u64,
    pub pending_within_due: u64,
    pub pending_overdue: u64,
    pub pending_old_system: u64,
    pub received_with_components: u64,
    pub received_fully_digitized: u64,
    pub resolved_approved_result_digitized: u64,
    pub fee_received: u64,
    pub fee_received_paid: u64,
    pub fee_received_paid_online: u64,
    pub fee_received_e_receipt: u64,
    pub online_services_offered: u64,
    pub online_services_used: u64,
    // Ratings (issue 19): the citizens' ratings of the dossiers resolved in the month.
    pub resolved_rated: u64,
    pub resolved_rated_dissatisfied: u64,
    pub resolved_in_time_dissatisfied: u64,
    // Feedback and petitions (PAKN).
    pub petitions_received: u64,
    pub petitions_rejected: u64,
    pub petitions_answered: u64,
    pub petitions_answered_in_time: u64,
    pub petitions_pending: u64,
    pub petitions_pending_within_due: u64,
    pub petitions_received_unsatisfactory: u64,
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Self) {
        for id in CountId::ALL {
            *self.get_mut(id) += o.get(id);
        }
    }
}

impl Counts {
    /// The value of one count.
    pub fn get(&self, id: CountId) -> u64 {
        match id {
            CountId::Received => self.received,
            CountId::ReceivedOnline => self.received_online,
            CountId::ReceivedOnlineFull => self.received_online_full,
            CountId::ReceivedOnlinePartial => self.received_online_partial,
            CountId::ReceivedDirect => self.received_direct,
            CountId::CarriedOver => self.carried_over,
            CountId::Resolved => self.resolved,
            CountId::ResolvedApproved => self.resolved_approved,
            CountId::ResolvedRejected => self.resolved_rejected,
            CountId::ResolvedEarly => self.resolved_early,
            CountId::ResolvedOnTime => self.resolved_on_time,
            CountId::ResolvedLate => self.resolved_late,
            CountId::Withdrawn => self.withdrawn,
            CountId::Pending => self.pending,
            CountId::PendingWithinDue => self.pending_within_due,
            CountId::PendingOverdue => self.pending_overdue,
            CountId::PendingOldSystem => self.pending_old_system,
            CountId::ReceivedWithComponents => self.received_with_components,
            CountId::ReceivedFullyDigitized => self.received_fully_digitized,
            CountId::ResolvedApprovedResultDigitized => self.resolved_approved_result_digitized,
            CountId::FeeReceived => self.fee_received,
            CountId::FeeReceivedPaid => self.fee_received_paid,
            CountId::FeeReceivedPaidOnline => self.fee_received_paid_online,
            CountId::FeeReceivedEReceipt => self.fee_received_e_receipt,
            CountId::OnlineServicesOffered => self.online_services_offered,
            CountId::OnlineServicesUsed => self.online_services_used,
            CountId::ResolvedRated => self.resolved_rated,
            CountId::ResolvedRatedDissatisfied => self.resolved_rated_dissatisfied,
            CountId::ResolvedInTimeDissatisfied => self.resolved_in_time_dissatisfied,
            CountId::PetitionsReceived => self.petitions_received,
            CountId::PetitionsRejected => self.petitions_rejected,
            CountId::PetitionsAnswered => self.petitions_answered,
            CountId::PetitionsAnsweredInTime => self.petitions_answered_in_time,
            CountId::PetitionsPending => self.petitions_pending,
            CountId::PetitionsPendingWithinDue => self.petitions_pending_within_due,
            CountId::PetitionsReceivedUnsatisfactory => self.petitions_received_unsatisfactory,
        }
    }

    /// The value of one count, to change it.
    pub fn get_mut(&mut self, id: CountId) -> &mut u64 {
        match id {
            CountId::Received => &mut self.received,
            CountId::ReceivedOnline => &mut self.received_online,
            CountId::ReceivedOnlineFull => &mut self.received_online_full,
            CountId::ReceivedOnlinePartial => &mut self.received_online_partial,
            CountId::ReceivedDirect => &mut self.received_direct,
            CountId::CarriedOver => &mut self.carried_over,
            CountId::Resolved => &mut self.resolved,
            CountId::ResolvedApproved => &mut self.resolved_approved,
            CountId::ResolvedRejected => &mut self.resolved_rejected,
            CountId::ResolvedEarly => &mut self.resolved_early,
            CountId::ResolvedOnTime => &mut self.resolved_on_time,
            CountId::ResolvedLate => &mut self.resolved_late,
            CountId::Withdrawn => &mut self.withdrawn,
            CountId::Pending => &mut self.pending,
            CountId::PendingWithinDue => &mut self.pending_within_due,
            CountId::PendingOverdue => &mut self.pending_overdue,
            CountId::PendingOldSystem => &mut self.pending_old_system,
            CountId::ReceivedWithComponents => &mut self.received_with_components,
            CountId::ReceivedFullyDigitized => &mut self.received_fully_digitized,
            CountId::ResolvedApprovedResultDigitized => {
                &mut self.resolved_approved_result_digitized
            }
            CountId::FeeReceived => &mut self.fee_received,
            CountId::FeeReceivedPaid => &mut self.fee_received_paid,
            CountId::FeeReceivedPaidOnline => &mut self.fee_received_paid_online,
            CountId::FeeReceivedEReceipt => &mut self.fee_received_e_receipt,
            CountId::OnlineServicesOffered => &mut self.online_services_offered,
            CountId::OnlineServicesUsed => &mut self.online_services_used,
            CountId::ResolvedRated => &mut self.resolved_rated,
            CountId::ResolvedRatedDissatisfied => &mut self.resolved_rated_dissatisfied,
            CountId::ResolvedInTimeDissatisfied => &mut self.resolved_in_time_dissatisfied,
            CountId::PetitionsReceived => &mut self.petitions_received,
            CountId::PetitionsRejected => &mut self.petitions_rejected,
            CountId::PetitionsAnswered => &mut self.petitions_answered,
            CountId::PetitionsAnsweredInTime => &mut self.petitions_answered_in_time,
            CountId::PetitionsPending => &mut self.petitions_pending,
            CountId::PetitionsPendingWithinDue => &mut self.petitions_pending_within_due,
            CountId::PetitionsReceivedUnsatisfactory => &mut self.petitions_received_unsatisfactory,
        }
    }

    /// Dossiers resolved early or on time (`on_time_rate`'s numerator; the dashboard's
    /// "trước hạn và đúng hạn").
    pub fn resolved_in_time(&self) -> u64 {
        self.resolved_early + self.resolved_on_time
    }

    /// Adds one dossier's contribution for `month` (everything but the online services).
    pub fn tally(&mut self, d: &Dossier, month: Month) {
        let (start, end) = (month.start(), month.end());
        let received_in = start <= d.received_at && d.received_at < end;
        if received_in {
            self.received += 1;
            match d.channel {
                Channel::Online => {
                    self.received_online += 1;
                    match d.online_level {
                        Some(SubmissionLevel::Full) => self.received_online_full += 1,
                        Some(SubmissionLevel::Partial) => self.received_online_partial += 1,
                        None => {}
                    }
                }
                Channel::Direct | Channel::Postal => self.received_direct += 1,
            }
            if d.components_total > 0 {
                self.received_with_components += 1;
                if d.components_digitized == d.components_total {
                    self.received_fully_digitized += 1;
                }
            }
            if d.fee_vnd > 0 {
                self.fee_received += 1;
                if let Some(channel) = d.payment_channel {
                    self.fee_received_paid += 1;
                    if channel == PaymentChannel::Online {
                        self.fee_received_paid_online += 1;
                    }
                    if d.e_receipt == Some(true) {
                        self.fee_received_e_receipt += 1;
                    }
                }
            }
        } else if d.received_at < start && !d.settled_before(start) {
            self.carried_over += 1;
        }
        if let (Some(resolved_at), Some(outcome)) = (d.resolved_at, d.outcome)
            && start <= resolved_at
            && resolved_at < end
        {
            match outcome {
                Outcome::Withdrawn => self.withdrawn += 1,
                Outcome::Approved | Outcome::Rejected => {
                    self.resolved += 1;
                    if outcome == Outcome::Approved {
                        self.resolved_approved += 1;
                        if d.result_digitized == Some(true) {
                            self.resolved_approved_result_digitized += 1;
                        }
                    } else {
                        self.resolved_rejected += 1;
                    }
                    let timeliness = timeliness(resolved_at, d.due_at);
                    match timeliness {
                        Timeliness::Early => self.resolved_early += 1,
                        Timeliness::OnTime => self.resolved_on_time += 1,
                        Timeliness::Late => self.resolved_late += 1,
                    }
                    if let Some(rating) = d.rating {
                        self.resolved_rated += 1;
                        if rating == Rating::Dissatisfied {
                            self.resolved_rated_dissatisfied += 1;
                            if timeliness != Timeliness::Late {
                                self.resolved_in_time_dissatisfied += 1;
                            }
                        }
                    }
                }
            }
        }
        if d.received_at < end && !d.settled_before(end) {
            self.pending += 1;
            if d.due_at >= end {
                self.pending_within_due += 1;
            } else {
                self.pending_overdue += 1;
            }
            if d.source_system == SourceSystem::Old {
                self.pending_old_system += 1;
            }
        }
    }
}

/// Identifies one count of [`Counts`]: the one list of them, in the contract's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CountId {
    Received,
    ReceivedOnline,
    ReceivedOnlineFull,
    ReceivedOnlinePartial,
    ReceivedDirect,
    CarriedOver,
    Resolved,
    ResolvedApproved,
    ResolvedRejected,
    ResolvedEarly,
    ResolvedOnTime,
    ResolvedLate,
    Withdrawn,
    Pending,
    PendingWithinDue,
    PendingOverdue,
    PendingOldSystem,
    ReceivedWithComponents,
    ReceivedFullyDigitized,
    ResolvedApprovedResultDigitized,
    FeeReceived,
    FeeReceivedPaid,
    FeeReceivedPaidOnline,
    FeeReceivedEReceipt,
    OnlineServicesOffered,
    OnlineServicesUsed,
    ResolvedRated,
    ResolvedRatedDissatisfied,
    ResolvedInTimeDissatisfied,
    // Feedback and petitions (PAKN).
    PetitionsReceived,
    PetitionsRejected,
    PetitionsAnswered,
    PetitionsAnsweredInTime,
    PetitionsPending,
    PetitionsPendingWithinDue,
    PetitionsReceivedUnsatisfactory,
}

impl Serialize for CountId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for CountId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = std::borrow::Cow::<'de, str>::deserialize(d)?;
        CountId::from_id(&id)
            .ok_or_else(|| serde::de::Error::custom(format!("không có chỉ tiêu đếm «{id}»")))
    }
}

impl CountId {
    /// Every count, in the contract's order.
    pub const ALL: [CountId; 36] = [
        CountId::Received,
        CountId::ReceivedOnline,
        CountId::ReceivedOnlineFull,
        CountId::ReceivedOnlinePartial,
        CountId::ReceivedDirect,
        CountId::CarriedOver,
        CountId::Resolved,
        CountId::ResolvedApproved,
        CountId::ResolvedRejected,
        CountId::ResolvedEarly,
        CountId::ResolvedOnTime,
        CountId::ResolvedLate,
        CountId::Withdrawn,
        CountId::Pending,
        CountId::PendingWithinDue,
        CountId::PendingOverdue,
        CountId::PendingOldSystem,
        CountId::ReceivedWithComponents,
        CountId::ReceivedFullyDigitized,
        CountId::ResolvedApprovedResultDigitized,
        CountId::FeeReceived,
        CountId::FeeReceivedPaid,
        CountId::FeeReceivedPaidOnline,
        CountId::FeeReceivedEReceipt,
        CountId::OnlineServicesOffered,
        CountId::OnlineServicesUsed,
        CountId::ResolvedRated,
        CountId::ResolvedRatedDissatisfied,
        CountId::ResolvedInTimeDissatisfied,
        CountId::PetitionsReceived,
        CountId::PetitionsRejected,
        CountId::PetitionsAnswered,
        CountId::PetitionsAnsweredInTime,
        CountId::PetitionsPending,
        CountId::PetitionsPendingWithinDue,
        CountId::PetitionsReceivedUnsatisfactory,
    ];

    /// The counts the aggregates store per unit and month: all but the online services
    /// offered, which depend on the catalogue only.
    pub fn is_stored(self) -> bool {
        self != CountId::OnlineServicesOffered
    }

    /// Whether the count counts dossiers (so that the dossiers behind it can be listed); the
    /// online services count procedures.
    pub fn counts_dossiers(self) -> bool {
        !matches!(
            self,
            CountId::OnlineServicesOffered | CountId::OnlineServicesUsed
        ) && !self.counts_petitions()
    }

    /// Whether the count counts PAKN (phản ánh, kiến nghị), not dossiers.
    pub fn counts_petitions(self) -> bool {
        matches!(
            self,
            CountId::PetitionsReceived
                | CountId::PetitionsRejected
                | CountId::PetitionsAnswered
                | CountId::PetitionsAnsweredInTime
                | CountId::PetitionsPending
                | CountId::PetitionsPendingWithinDue
                | CountId::PetitionsReceivedUnsatisfactory
        )
    }

    /// The count of a contract id (`resolved_late`).
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.id() == id)
    }

    /// The contract id: the JSON key, the column of the aggregates, `/dossiers?count=`.
    pub fn id(self) -> &'static str {
        match self {
            CountId::Received => "received",
            CountId::ReceivedOnline => "received_online",
            CountId::ReceivedOnlineFull => "received_online_full",
            CountId::ReceivedOnlinePartial => "received_online_partial",
            CountId::ReceivedDirect => "received_direct",
            CountId::CarriedOver => "carried_over",
            CountId::Resolved => "resolved",
            CountId::ResolvedApproved => "resolved_approved",
            CountId::ResolvedRejected => "resolved_rejected",
            CountId::ResolvedEarly => "resolved_early",
            CountId::ResolvedOnTime => "resolved_on_time",
            CountId::ResolvedLate => "resolved_late",
            CountId::Withdrawn => "withdrawn",
            CountId::Pending => "pending",
            CountId::PendingWithinDue => "pending_within_due",
            CountId::PendingOverdue => "pending_overdue",
            CountId::PendingOldSystem => "pending_old_system",
            CountId::ReceivedWithComponents => "received_with_components",
            CountId::ReceivedFullyDigitized => "received_fully_digitized",
            CountId::ResolvedApprovedResultDigitized => "resolved_approved_result_digitized",
            CountId::FeeReceived => "fee_received",
            CountId::FeeReceivedPaid => "fee_received_paid",
            CountId::FeeReceivedPaidOnline => "fee_received_paid_online",
            CountId::FeeReceivedEReceipt => "fee_received_e_receipt",
            CountId::OnlineServicesOffered => "online_services_offered",
            CountId::OnlineServicesUsed => "online_services_used",
            CountId::ResolvedRated => "resolved_rated",
            CountId::ResolvedRatedDissatisfied => "resolved_rated_dissatisfied",
            CountId::ResolvedInTimeDissatisfied => "resolved_in_time_dissatisfied",
            CountId::PetitionsReceived => "petitions_received",
            CountId::PetitionsRejected => "petitions_rejected",
            CountId::PetitionsAnswered => "petitions_answered",
            CountId::PetitionsAnsweredInTime => "petitions_answered_in_time",
            CountId::PetitionsPending => "petitions_pending",
            CountId::PetitionsPendingWithinDue => "petitions_pending_within_due",
            CountId::PetitionsReceivedUnsatisfactory => "petitions_received_unsatisfactory",
        }
    }

    /// How the count reads in a sentence: `số hồ sơ tiếp nhận`.
    pub fn name_vi(self) -> &'static str {
        match self {
            CountId::Received => "số hồ sơ tiếp nhận",
            CountId::ReceivedOnline => "số hồ sơ tiếp nhận trực tuyến",
            CountId::ReceivedOnlineFull => "số hồ sơ trực tuyến toàn trình",
            CountId::ReceivedOnlinePartial => "số hồ sơ trực tuyến một phần",
            CountId::ReceivedDirect => "số hồ sơ tiếp nhận trực tiếp và qua bưu chính",
            CountId::CarriedOver => "số hồ sơ kỳ trước chuyển sang",
            CountId::Resolved => "số hồ sơ đã giải quyết",
            CountId::ResolvedApproved => "số hồ sơ giải quyết chấp thuận",
            CountId::ResolvedRejected => "số hồ sơ giải quyết từ chối",
            CountId::ResolvedEarly => "số hồ sơ giải quyết trước hạn",
            CountId::ResolvedOnTime => "số hồ sơ giải quyết đúng hạn",
            CountId::ResolvedLate => "số hồ sơ giải quyết quá hạn",
            CountId::Withdrawn => "số hồ sơ rút",
            CountId::Pending => "số hồ sơ đang giải quyết",
            CountId::PendingWithinDue => "số hồ sơ đang giải quyết trong hạn",
            CountId::PendingOverdue => "số hồ sơ đang giải quyết quá hạn",
            CountId::PendingOldSystem => "số hồ sơ còn trên hệ thống cũ",
            CountId::ReceivedWithComponents => "số hồ sơ có thành phần",
            CountId::ReceivedFullyDigitized => "số hồ sơ số hóa đầy đủ thành phần",
            CountId::ResolvedApprovedResultDigitized => "số kết quả giải quyết được số hóa",
            CountId::FeeReceived => "số hồ sơ phải nộp phí, lệ phí",
            CountId::FeeReceivedPaid => "số hồ sơ đã nộp phí, lệ phí",
            CountId::FeeReceivedPaidOnline => "số hồ sơ thanh toán trực tuyến",
            CountId::FeeReceivedEReceipt => "số biên lai điện tử",
            CountId::OnlineServicesOffered => "số dịch vụ công trực tuyến cung cấp",
            CountId::OnlineServicesUsed => "số dịch vụ công trực tuyến phát sinh hồ sơ",
            CountId::ResolvedRated => "số hồ sơ đã giải quyết được đánh giá",
            CountId::ResolvedRatedDissatisfied => "số hồ sơ đánh giá không hài lòng",
            CountId::ResolvedInTimeDissatisfied => {
                "số hồ sơ giải quyết đúng hạn nhưng đánh giá không hài lòng"
            }
            CountId::PetitionsReceived => "số phản ánh, kiến nghị tiếp nhận",
            CountId::PetitionsRejected => "số phản ánh, kiến nghị từ chối tiếp nhận",
            CountId::PetitionsAnswered => "số phản ánh, kiến nghị đã công khai kết quả xử lý",
            CountId::PetitionsAnsweredInTime => "số phản ánh, kiến nghị xử lý đúng hạn",
            CountId::PetitionsPending => "số phản ánh, kiến nghị đang xử lý",
            CountId::PetitionsPendingWithinDue => "số phản ánh, kiến nghị đang xử lý trong hạn",
            CountId::PetitionsReceivedUnsatisfactory => {
                "số phản ánh, kiến nghị không hài lòng, trùng lặp hoặc quá hạn"
            }
        }
    }

    /// Its heading in a table's column: `Tiếp nhận mới`.
    pub fn heading_vi(self) -> &'static str {
        match self {
            CountId::Received => "Tiếp nhận mới",
            CountId::ReceivedOnline => "Tiếp nhận trực tuyến",
            CountId::ReceivedOnlineFull => "Trực tuyến toàn trình",
            CountId::ReceivedOnlinePartial => "Trực tuyến một phần",
            CountId::ReceivedDirect => "Trực tiếp, bưu chính",
            CountId::CarriedOver => "Từ kỳ trước",
            CountId::Resolved => "Đã giải quyết",
            CountId::ResolvedApproved => "Giải quyết: chấp thuận",
            CountId::ResolvedRejected => "Giải quyết: từ chối",
            CountId::ResolvedEarly => "Trước hạn",
            CountId::ResolvedOnTime => "Đúng hạn",
            CountId::ResolvedLate => "Quá hạn",
            CountId::Withdrawn => "Rút hồ sơ",
            CountId::Pending => "Đang giải quyết",
            CountId::PendingWithinDue => "Đang giải quyết: trong hạn",
            CountId::PendingOverdue => "Đang giải quyết: quá hạn",
            CountId::PendingOldSystem => "Tồn trên hệ thống cũ",
            CountId::ReceivedWithComponents => "Tiếp nhận có thành phần hồ sơ",
            CountId::ReceivedFullyDigitized => "Số hóa đầy đủ thành phần",
            CountId::ResolvedApprovedResultDigitized => "Kết quả được số hóa",
            CountId::FeeReceived => "Có phí, lệ phí",
            CountId::FeeReceivedPaid => "Đã thanh toán phí",
            CountId::FeeReceivedPaidOnline => "Thanh toán trực tuyến",
            CountId::FeeReceivedEReceipt => "Biên lai điện tử",
            CountId::OnlineServicesOffered => "DVC trực tuyến được cung cấp",
            CountId::OnlineServicesUsed => "DVC trực tuyến phát sinh hồ sơ",
            CountId::ResolvedRated => "Được đánh giá",
            CountId::ResolvedRatedDissatisfied => "Đánh giá không hài lòng",
            CountId::ResolvedInTimeDissatisfied => "Đúng hạn, không hài lòng",
            CountId::PetitionsReceived => "PAKN tiếp nhận",
            CountId::PetitionsRejected => "PAKN từ chối",
            CountId::PetitionsAnswered => "PAKN đã xử lý",
            CountId::PetitionsAnsweredInTime => "PAKN xử lý đúng hạn",
            CountId::PetitionsPending => "PAKN đang xử lý",
            CountId::PetitionsPendingWithinDue => "PAKN đang xử lý: trong hạn",
            CountId::PetitionsReceivedUnsatisfactory => "PAKN không hài lòng, trùng lặp, quá hạn",
        }
    }

    /// The title of the list of what it counts: `Hồ sơ tiếp nhận`.
    pub fn title_vi(self) -> &'static str {
        match self {
            CountId::Received => "Hồ sơ tiếp nhận",
            CountId::ReceivedOnline => "Hồ sơ tiếp nhận trực tuyến",
            CountId::ReceivedOnlineFull => "Hồ sơ tiếp nhận trực tuyến toàn trình",
            CountId::ReceivedOnlinePartial => "Hồ sơ tiếp nhận trực tuyến một phần",
            CountId::ReceivedDirect => "Hồ sơ tiếp nhận trực tiếp và qua bưu chính",
            CountId::CarriedOver => "Hồ sơ kỳ trước chuyển sang",
            CountId::Resolved => "Hồ sơ đã giải quyết",
            CountId::ResolvedApproved => "Hồ sơ giải quyết chấp thuận",
            CountId::ResolvedRejected => "Hồ sơ giải quyết từ chối",
            CountId::ResolvedEarly => "Hồ sơ giải quyết trước hạn",
            CountId::ResolvedOnTime => "Hồ sơ giải quyết đúng hạn",
            CountId::ResolvedLate => "Hồ sơ giải quyết quá hạn",
            CountId::Withdrawn => "Hồ sơ rút",
            CountId::Pending => "Hồ sơ đang giải quyết",
            CountId::PendingWithinDue => "Hồ sơ đang giải quyết trong hạn",
            CountId::PendingOverdue => "Hồ sơ đang giải quyết đã quá hạn",
            CountId::PendingOldSystem => "Hồ sơ đang giải quyết còn trên hệ thống cũ",
            CountId::ReceivedWithComponents => "Hồ sơ tiếp nhận có thành phần hồ sơ",
            CountId::ReceivedFullyDigitized => "Hồ sơ số hóa đầy đủ thành phần",
            CountId::ResolvedApprovedResultDigitized => "Hồ sơ có kết quả giải quyết được số hóa",
            CountId::FeeReceived => "Hồ sơ phải nộp phí, lệ phí",
            CountId::FeeReceivedPaid => "Hồ sơ đã nộp phí, lệ phí",
            CountId::FeeReceivedPaidOnline => "Hồ sơ thanh toán trực tuyến",
            CountId::FeeReceivedEReceipt => "Hồ sơ có biên lai điện tử",
            CountId::OnlineServicesOffered => "Dịch vụ công trực tuyến được cung cấp",
            CountId::OnlineServicesUsed => "Dịch vụ công trực tuyến phát sinh hồ sơ",
            CountId::ResolvedRated => "Hồ sơ đã giải quyết được công dân đánh giá",
            CountId::ResolvedRatedDissatisfied => "Hồ sơ được đánh giá không hài lòng",
            CountId::ResolvedInTimeDissatisfied => {
                "Hồ sơ giải quyết trước hạn, đúng hạn nhưng được đánh giá không hài lòng"
            }
            CountId::PetitionsReceived => "Phản ánh, kiến nghị tiếp nhận",
            CountId::PetitionsRejected => "Phản ánh, kiến nghị từ chối tiếp nhận",
            CountId::PetitionsAnswered => "Phản ánh, kiến nghị đã công khai kết quả xử lý",
            CountId::PetitionsAnsweredInTime => "Phản ánh, kiến nghị xử lý đúng hạn",
            CountId::PetitionsPending => "Phản ánh, kiến nghị đang xử lý",
            CountId::PetitionsPendingWithinDue => "Phản ánh, kiến nghị đang xử lý trong hạn",
            CountId::PetitionsReceivedUnsatisfactory => {
                "Phản ánh, kiến nghị không hài lòng, trùng lặp hoặc quá hạn"
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_list_of_counts_is_the_struct() -> Result<(), serde_json::Error> {
        // Every field of `Counts`, in order, is a `CountId` of the same id, and back: a count
        // added to one and not the other fails here.
        let mut counts = Counts::default();
        for (i, id) in CountId::ALL.into_iter().enumerate() {
            *counts.get_mut(id) = i as u64 + 1;
        }
        let json = serde_json::to_value(counts)?;
        let keys: Vec<&str> = json
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let ids: Vec<&str> = CountId::ALL.iter().map(|c| c.id()).collect();
        let mut sorted_ids = ids.clone();
        sorted_ids.sort_unstable();
        let mut sorted_keys = keys.clone();
        sorted_keys.sort_unstable();
        assert_eq!(sorted_keys, sorted_ids);
        for (i, id) in CountId::ALL.into_iter().enumerate() {
            assert_eq!(
                json[id.id()],
                i as u64 + 1,
                "{} reads its own field",
                id.id()
            );
            assert_eq!(CountId::from_id(id.id()), Some(id));
            assert_ne!(id.name_vi(), id.id());
        }
        Ok(())
    }

    #[test]
    fn figures_are_counts_of_dossiers() {
        assert_eq!(
            Figure::from_key("resolved_late"),
            Some(Figure::Count(CountId::ResolvedLate))
        );
        assert_eq!(
            Figure::from_key("resolved_in_time"),
            Some(Figure::ResolvedInTime)
        );
        assert_eq!(Figure::from_key("online_services_used"), None);
        assert_eq!(Figure::from_key("nothing"), None);
        let c = Counts {
            resolved_early: 2,
            resolved_on_time: 3,
            ..Counts::default()
        };
        assert_eq!(Figure::ResolvedInTime.of(&c), 5);
    }

    #[test]
    fn counts_add_field_by_field() {
        let mut a = Counts::default();
        let mut b = Counts::default();
        for (i, id) in CountId::ALL.into_iter().enumerate() {
            *a.get_mut(id) = i as u64;
            *b.get_mut(id) = 100;
        }
        a += b;
        for (i, id) in CountId::ALL.into_iter().enumerate() {
            assert_eq!(a.get(id), i as u64 + 100);
        }
    }

    fn settled(due: &str, resolved: &str, rating: Option<Rating>) -> Dossier {
        let ts = |s: &str| crate::Timestamp::parse(s).unwrap();
        Dossier {
            code: crate::dossier::DossierCode::parse("H1").unwrap(),
            procedure_code: crate::procedure::ProcedureCode::parse("P1").unwrap(),
            unit_code: crate::unit::UnitCode::parse("u1").unwrap(),
            channel: Channel::Direct,
            online_level: None,
            received_at: ts("2024-05-02T08:00:00+07:00"),
            due_at: ts(due),
            resolved_at: Some(ts(resolved)),
            outcome: Some(Outcome::Rejected),
            returned_at: None,
            components_total: 0,
            components_digitized: 0,
            result_digitized: None,
            fee_vnd: 0,
            payment_channel: None,
            paid_at: None,
            e_receipt: None,
            source_system: SourceSystem::New,
            rating,
        }
    }

    fn ratings_of(d: &Dossier) -> [u64; 3] {
        let mut c = Counts::default();
        c.tally(d, Month::new(2024, 5).unwrap());
        [
            c.resolved_rated,
            c.resolved_rated_dissatisfied,
            c.resolved_in_time_dissatisfied,
        ]
    }

    #[test]
    fn ratings_count_in_the_month_of_the_resolution() {
        let due = "2024-05-10T17:00:00+07:00";
        let in_time = "2024-05-10T09:00:00+07:00";
        let late = "2024-05-13T09:00:00+07:00";
        assert_eq!(ratings_of(&settled(due, in_time, None)), [0, 0, 0]);
        assert_eq!(
            ratings_of(&settled(due, in_time, Some(Rating::VerySatisfied))),
            [1, 0, 0]
        );
        assert_eq!(
            ratings_of(&settled(due, in_time, Some(Rating::Satisfied))),
            [1, 0, 0]
        );
        assert_eq!(
            ratings_of(&settled(due, in_time, Some(Rating::Dissatisfied))),
            [1, 1, 1]
        );
        // Late and rated "không hài lòng": dissatisfied, but not in time.
        assert_eq!(
            ratings_of(&settled(due, late, Some(Rating::Dissatisfied))),
            [1, 1, 0]
        );
        // Resolved in June: nothing in May.
        let june = settled(
            "2024-06-10T17:00:00+07:00",
            "2024-06-03T09:00:00+07:00",
            Some(Rating::Dissatisfied),
        );
        assert_eq!(ratings_of(&june), [0, 0, 0]);
    }
}
