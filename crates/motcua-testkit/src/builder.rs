//! [`DossierBuilder`]: a valid [`Dossier`] in one fluent line, in place of an 18-field
//! literal in every test that needs one.

use motcua_core::Timestamp;
use motcua_core::dossier::{
    Channel, Dossier, DossierCode, Outcome, PaymentChannel, SourceSystem, SubmissionLevel,
};
use motcua_core::procedure::ProcedureCode;
use motcua_core::unit::UnitCode;

const DAY_MICROS: i64 = 86_400_000_000;

/// A code given to a builder: its text (parsed; a bad code is a broken test and panics) or
/// the code itself.
pub trait IntoCode<T> {
    fn into_code(self) -> T;
}

macro_rules! into_code {
    ($t:ty, $what:literal, $parse:expr) => {
        impl IntoCode<$t> for &str {
            fn into_code(self) -> $t {
                $parse(self).unwrap_or_else(|| panic!("bad {} in a test: {self:?}", $what))
            }
        }
        impl IntoCode<$t> for &String {
            fn into_code(self) -> $t {
                self.as_str().into_code()
            }
        }
        impl IntoCode<$t> for $t {
            fn into_code(self) -> $t {
                self
            }
        }
        impl IntoCode<$t> for &$t {
            fn into_code(self) -> $t {
                self.clone()
            }
        }
    };
}

into_code!(DossierCode, "dossier code", DossierCode::parse);
into_code!(UnitCode, "unit code", |t: &str| UnitCode::parse(t).ok());
into_code!(ProcedureCode, "procedure code", ProcedureCode::parse);

/// Builds a [`Dossier`] that passes [`Dossier::check`]. Unless told otherwise it was handed in
/// at the desk on 20 May 2024 at 08:00 local time, is due a day after its reception, has one
/// component (digitized), no fee, is still open and lives in the new system.
///
/// ```text
/// let at = Timestamp::parse("2024-05-02T08:00:00+07:00")?;
/// let d = motcua_testkit::DossierBuilder::new("DVC-00001", "ho-xa", "1.001193")
///     .received(at)
///     .online_full()
///     .resolved(at, Outcome::Approved)
///     .build();
/// ```
#[derive(Debug, Clone)]
pub struct DossierBuilder {
    dossier: Dossier,
    /// Whether `due_at` was given; if not, it follows `received_at` (a day later).
    due_given: bool,
}

impl DossierBuilder {
    pub fn new(
        code: impl IntoCode<DossierCode>,
        unit: impl IntoCode<UnitCode>,
        procedure: impl IntoCode<ProcedureCode>,
    ) -> Self {
        // 2024-05-20T08:00:00+07:00.
        let received_at = Timestamp::from_micros(1_716_166_800_000_000);
        Self {
            dossier: Dossier {
                code: code.into_code(),
                procedure_code: procedure.into_code(),
                unit_code: unit.into_code(),
                channel: Channel::Direct,
                online_level: None,
                received_at,
                due_at: Timestamp::from_micros(received_at.as_micros() + DAY_MICROS),
                resolved_at: None,
                outcome: None,
                returned_at: None,
                components_total: 1,
                components_digitized: 1,
                result_digitized: None,
                fee_vnd: 0,
                payment_channel: None,
                paid_at: None,
                e_receipt: None,
                source_system: SourceSystem::New,
                rating: None,
            },
            due_given: false,
        }
    }

    /// Received (complete) at `at`; the appointment follows unless [`Self::due`] set it.
    pub fn received(mut self, at: Timestamp) -> Self {
        self.dossier.received_at = at;
        if !self.due_given {
            self.dossier.due_at = Timestamp::from_micros(at.as_micros() + DAY_MICROS);
        }
        self
    }

    /// The appointment for the result (ngày hẹn trả).
    pub fn due(mut self, at: Timestamp) -> Self {
        self.dossier.due_at = at;
        self.due_given = true;
        self
    }

    /// Reached the desk by `channel`; an online dossier is submitted in full (toàn trình)
    /// unless [`Self::online`] says otherwise.
    pub fn channel(mut self, channel: Channel) -> Self {
        self.dossier.channel = channel;
        self.dossier.online_level = (channel == Channel::Online).then_some(SubmissionLevel::Full);
        self
    }

    /// Submitted online at `level`.
    pub fn online(mut self, level: SubmissionLevel) -> Self {
        self.dossier.channel = Channel::Online;
        self.dossier.online_level = Some(level);
        self
    }

    /// Submitted online, in full (toàn trình).
    pub fn online_full(self) -> Self {
        self.online(SubmissionLevel::Full)
    }

    /// Submitted online, in part (một phần).
    pub fn online_partial(self) -> Self {
        self.online(SubmissionLevel::Partial)
    }

    /// Settled at `at` with `outcome`.
    pub fn resolved(mut self, at: Timestamp, outcome: Outcome) -> Self {
        self.dossier.resolved_at = Some(at);
        self.dossier.outcome = Some(outcome);
        if outcome != Outcome::Approved {
            self.dossier.result_digitized = None;
        }
        self
    }

    /// Whether the result (of an approved dossier) was digitized.
    pub fn result_digitized(mut self, digitized: bool) -> Self {
        self.dossier.result_digitized = Some(digitized);
        self
    }

    /// The result handed back at `at`.
    pub fn returned(mut self, at: Timestamp) -> Self {
        self.dossier.returned_at = Some(at);
        self
    }

    /// `total` components, `digitized` of them digitized.
    pub fn components(mut self, total: u32, digitized: u32) -> Self {
        self.dossier.components_total = total;
        self.dossier.components_digitized = digitized;
        self
    }

    /// A fee (phí, lệ phí) of `vnd`, not yet paid.
    pub fn fee(mut self, vnd: i64) -> Self {
        self.dossier.fee_vnd = vnd;
        self
    }

    /// The fee paid through `channel` at `at`.
    pub fn paid(mut self, channel: PaymentChannel, at: Timestamp) -> Self {
        self.dossier.payment_channel = Some(channel);
        self.dossier.paid_at = Some(at);
        self
    }

    /// Whether an electronic receipt was issued.
    pub fn e_receipt(mut self, issued: bool) -> Self {
        self.dossier.e_receipt = Some(issued);
        self
    }

    /// Rated by the citizen (the dossier must be approved or rejected).
    pub fn rated(mut self, rating: motcua_core::dossier::Rating) -> Self {
        self.dossier.rating = Some(rating);
        self
    }

    /// Lives in the old one-stop system (migration).
    pub fn old_system(mut self) -> Self {
        self.dossier.source_system = SourceSystem::Old;
        self
    }

    /// The dossier; panics (a broken test) when it breaks a rule of [`Dossier::check`].
    pub fn build(self) -> Dossier {
        let errors = self.dossier.check();
        assert!(
            errors.is_empty(),
            "DossierBuilder made a dossier that breaks its rules: {errors:?}\n{:?}",
            self.dossier
        );
        self.dossier
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_and_a_settled_online_dossier_pass_the_rules() {
        let d = DossierBuilder::new("DVC-00001", "ho-xa", "1.001193").build();
        assert_eq!(d.channel, Channel::Direct);
        assert_eq!(d.due_at.as_micros() - d.received_at.as_micros(), DAY_MICROS);
        let at = Timestamp::from_micros(1_714_611_600_000_000);
        let d = DossierBuilder::new("DVC-00002", "ho-xa", "1.001193")
            .received(at)
            .online_full()
            .resolved(at, Outcome::Approved)
            .result_digitized(true)
            .returned(at)
            .fee(20_000)
            .paid(PaymentChannel::Online, at)
            .e_receipt(true)
            .old_system()
            .build();
        assert_eq!(d.online_level, Some(SubmissionLevel::Full));
        assert_eq!(d.due_at.as_micros(), at.as_micros() + DAY_MICROS);
        assert!(d.check().is_empty());
    }

    #[test]
    #[should_panic(expected = "breaks its rules")]
    fn a_dossier_that_breaks_a_rule_is_a_broken_test() {
        let _ = DossierBuilder::new("DVC-00003", "ho-xa", "1.001193")
            .components(1, 2)
            .build();
    }
}
