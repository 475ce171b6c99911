//! Online submissions for the tests: a citizen's draft of "Đăng ký khai sinh" (toàn trình at
//! every commune of the fixture) with every component scanned, submitted.

use motcua_app::online::{self, DraftInput};
use motcua_core::Timestamp;
use motcua_core::citizen::Citizen;
use motcua_core::online::Submission;
use motcua_store::{Files, SqlStore};

use super::Error;

/// A PDF the scan store accepts; `n` makes each one a file of its own.
pub fn pdf(n: usize) -> Vec<u8> {
    format!("%PDF-1.7\n% {n}\n%%EOF\n").into_bytes()
}

/// A draft of `citizen` at `unit`, saved at `at` (RFC 3339).
pub async fn draft(
    store: &SqlStore,
    citizen: &Citizen,
    unit: &str,
    at: &str,
) -> Result<Submission, Error> {
    let ctx = motcua_testkit::ctx(&format!("citizen:{}", citizen.id.0), Timestamp::parse(at)?);
    Ok(online::start_draft(store, citizen, unit, "1.001193", &ctx).await?)
}

/// A submission of `citizen` at `unit`, every component scanned, submitted at `at`.
pub async fn submitted(
    store: &SqlStore,
    files: &Files,
    citizen: &Citizen,
    unit: &str,
    at: &str,
) -> Result<Submission, Error> {
    let d = draft(store, citizen, unit, at).await?;
    let mut scans = Vec::new();
    for i in 0..d.data.components.len() {
        scans.push((i, files.put(&format!("giay-to-{i}.pdf"), &pdf(i)).await?));
    }
    let input = DraftInput {
        applicant: d.data.applicant.clone(),
        request: String::new(),
        scans,
        ..DraftInput::default()
    };
    let ctx = motcua_testkit::ctx(&format!("citizen:{}", citizen.id.0), Timestamp::parse(at)?);
    Ok(online::submit(store, files, citizen.id, d.id, &input, &ctx).await?)
}

/// The dossiers of `citizen` the probes need, both accepted by reception at `unit`: one whose
/// handling unit asked for a supplement, and one approved with its result scanned.
pub async fn dossiers(
    store: &SqlStore,
    files: &Files,
    citizen: &Citizen,
    unit: &str,
) -> Result<(String, String), Error> {
    use motcua_core::access::{Credential, Principal, Role};
    use motcua_core::lifecycle::Step;
    let officer = |role| -> Result<Principal, Error> {
        Ok(Principal {
            id: 0,
            name: "probe".to_owned(),
            unit: motcua_core::unit::UnitCode::parse(unit)?,
            credential: Credential::User { role },
        })
    };
    let (desk, specialist, leader) = (
        officer(Role::Reception)?,
        officer(Role::Specialist)?,
        officer(Role::Leader)?,
    );
    let at = |p: &Principal, t: &str| -> Result<motcua_core::access::AuditContext, Error> {
        Ok(motcua_testkit::ctx(&p.actor(), Timestamp::parse(t)?))
    };
    let mut codes = Vec::new();
    for minute in ["00", "05"] {
        let s = submitted(
            store,
            files,
            citizen,
            unit,
            &format!("2026-11-23T08:{minute}:00+07:00"),
        )
        .await?;
        let held =
            online::accept(store, &desk, s.id, &at(&desk, "2026-11-23T09:00:00+07:00")?).await?;
        codes.push(held.dossier.code.to_string());
    }
    let reason = motcua_core::freetext::Reason::parse("Thiếu bản sao giấy chứng nhận kết hôn")?;
    for (who, step) in [
        (&specialist, Step::StartProcessing),
        (&specialist, Step::RequestSupplement { reason }),
    ] {
        motcua_app::desk::take_step(
            store,
            who,
            &codes[0],
            &step,
            &at(who, "2026-11-23T10:00:00+07:00")?,
        )
        .await?;
    }
    for (who, step) in [
        (&specialist, Step::StartProcessing),
        (
            &leader,
            Step::Approve {
                result_digitized: false,
            },
        ),
    ] {
        motcua_app::desk::take_step(
            store,
            who,
            &codes[1],
            &step,
            &at(who, "2026-11-23T10:00:00+07:00")?,
        )
        .await?;
    }
    motcua_app::desk::attach_scan(
        store,
        files,
        &specialist,
        &codes[1],
        motcua_core::details::Slot::Result,
        "ket-qua.pdf",
        &pdf(99),
        &at(&specialist, "2026-11-23T10:05:00+07:00")?,
    )
    .await?;
    Ok((codes[0].clone(), codes[1].clone()))
}
