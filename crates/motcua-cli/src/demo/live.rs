//! The demo's live work: the fixture is of 2024, so on top of it the demo receives a few dozen
//! dossiers at the desks of two communes and a district department over the last weeks,
//! through the app's own desk functions (the calendar sets every appointment) with the clock
//! the demo runs at. They are chosen so that the worklist shows a real mix on the day the demo
//! starts: overdue, due today, due within two working days, due later, waiting for a
//! supplement, and results waiting to be handed back. The hand-off shows a real mix too: some
//! dossiers still at the desk, some assigned to the unit's specialist, some proposed and
//! waiting for the leader's approval, some approved by the leader. The fixture's months are
//! untouched (May 2024 keeps its figures): every live dossier is received in the last six weeks.

use anyhow::{Context, Result};
use motcua_app::desk::{Reception, Urgency};
use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, Credential, Principal, Role};
use motcua_core::details::Applicant;
use motcua_core::dossier::Channel;
use motcua_core::freetext::Reason;
use motcua_core::lifecycle::Step;
use motcua_core::procedure::Procedure;
use motcua_core::unit::{Unit, UnitCode, UnitTree};
use motcua_store::SqlStore;

/// What the worklist should show of a desk's live dossiers, and how many of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Overdue,
    DueToday,
    DueSoon,
    Later,
    /// Assigned, then a supplement asked: the clock stopped.
    Paused,
    /// Assigned, a result proposed: waiting for the leader's approval.
    Proposed,
    /// Proposed and approved by the leader, the result waiting to be handed back.
    ToReturn,
}

const PLAN: [(Want, usize); 7] = [
    (Want::Overdue, 2),
    (Want::DueToday, 2),
    (Want::DueSoon, 3),
    (Want::Later, 4),
    (Want::Paused, 1),
    (Want::Proposed, 2),
    (Want::ToReturn, 2),
];

/// The desks that receive live dossiers: (unit, its reception officer, specialist, leader —
/// the demo's accounts).
const DESKS: [(&str, &str, &str, &str); 3] = [
    (
        "ho-xa",
        "tiep-nhan-ho-xa",
        "chuyen-vien-ho-xa",
        "lanh-dao-ho-xa",
    ),
    ("vinh-khe", "tiep-nhan", "chuyen-vien", "lanh-dao"),
    ("vinh-linh.tckh", "tiep-nhan", "chuyen-vien", "lanh-dao"),
];

/// Applicants of the live dossiers.
const APPLICANTS: [(&str, &str); 8] = [
    ("Nguyễn Thị Hoa", "0912 345 678"),
    ("Trần Văn Minh", "0905 112 233"),
    ("Lê Thị Thu Hà", "0935 667 788"),
    ("Phạm Quang Vinh", "0978 223 344"),
    ("Hoàng Thị Lan", "0944 556 677"),
    ("Võ Đức Thắng", "0967 889 900"),
    ("Đặng Thị Ngọc Ánh", "0916 001 122"),
    ("Bùi Văn Hùng", "0988 334 455"),
];

pub(super) fn principal(username: &str, unit: &str, role: Role) -> Result<Principal> {
    Ok(Principal {
        id: 0,
        name: username.to_owned(),
        unit: UnitCode::parse(unit).map_err(|e| anyhow::anyhow!("{e}"))?,
        credential: Credential::User { role },
    })
}

pub(super) fn ctx(p: &Principal, at: Timestamp) -> AuditContext {
    AuditContext {
        actor: p.actor(),
        remote_addr: None,
        at,
    }
}

/// `minutes` after `t`.
pub(super) fn plus(t: Timestamp, minutes: i64) -> Timestamp {
    Timestamp::from_micros(t.as_micros() + minutes * 60_000_000)
}

/// One dossier to receive: when, which procedure, what to do with it afterwards.
struct Planned<'a> {
    received_at: Timestamp,
    procedure: &'a Procedure,
    want: Want,
}

/// Chooses reception times and procedures for `unit` so that each [`Want`] of [`PLAN`] is
/// met at `now`, trying working days back from today, three times a day.
fn plan<'a>(
    calendars: &motcua_app::calendar::Calendars,
    unit: &Unit,
    procedures: &[&'a Procedure],
    now: Timestamp,
) -> Result<Vec<Planned<'a>>> {
    let mut left: Vec<(Want, usize)> = PLAN.to_vec();
    let mut out = Vec::new();
    let calendar = calendars.for_unit(unit);
    let soon = calendars
        .working_days_after(now, 2, unit)
        .map_err(anyhow::Error::msg)?;
    let today = now.local_date();
    for back in 0..42_i64 {
        let Some(date) = today.checked_sub(time::Duration::days(back)) else {
            break;
        };
        if calendar.is_working_day(date) != Some(true) {
            continue;
        }
        for (slot, minutes) in [(0_usize, 7 * 60 + 40), (1, 9 * 60 + 15), (2, 14 * 60 + 5)] {
            let received_at = plus(Timestamp::local_midnight(date), minutes);
            // Time enough before now for the steps taken after reception.
            if received_at > plus(now, -90) {
                continue;
            }
            let i = (back as usize * 3 + slot) % procedures.len().max(1);
            let Some(&procedure) = procedures.get(i) else {
                continue;
            };
            let due = calendars
                .due_at(received_at, procedure, unit)
                .map_err(anyhow::Error::msg)?;
            let urgency = if due < now {
                Urgency::Overdue
            } else if due.local_date() == today {
                Urgency::DueToday
            } else if due <= soon {
                Urgency::DueSoon
            } else {
                Urgency::OnTrack
            };
            let fits = |w: Want| match w {
                Want::Overdue => urgency == Urgency::Overdue,
                Want::DueToday => urgency == Urgency::DueToday,
                Want::DueSoon => urgency == Urgency::DueSoon,
                Want::Later => urgency == Urgency::OnTrack,
                Want::Paused | Want::Proposed | Want::ToReturn => {
                    urgency == Urgency::OnTrack && back <= 10
                }
            };
            if let Some(slot) = left.iter_mut().find(|(w, n)| *n > 0 && fits(*w)) {
                slot.1 -= 1;
                out.push(Planned {
                    received_at,
                    procedure,
                    want: slot.0,
                });
            }
        }
        if left.iter().all(|(_, n)| *n == 0) {
            break;
        }
    }
    Ok(out)
}

/// Receives the live dossiers at `now`; returns how many.
pub async fn add(store: &SqlStore, now: Timestamp) -> Result<usize> {
    let tree = UnitTree::new(store.units().await?).context("cây đơn vị mẫu không hợp lệ")?;
    let calendars = motcua_app::calendar::load(store).await?;
    let procedures = store.procedures().await?;
    let mut count = 0;
    for (unit_code, reception, specialist, leader) in DESKS {
        let Some(unit) = tree.find(unit_code) else {
            continue;
        };
        let offered: Vec<&Procedure> = procedures
            .iter()
            .filter(|p| p.offered_by_unit(unit))
            .collect();
        if offered.is_empty() {
            continue;
        }
        // The officers act within their own unit: the commune's, or the district's for its
        // departments.
        let home = if unit_code.contains('.') {
            "vinh-linh"
        } else {
            unit_code
        };
        let desk = principal(reception, home, Role::Reception)?;
        let handler = principal(specialist, home, Role::Specialist)?;
        let approver = principal(leader, home, Role::Leader)?;
        let planned = plan(&calendars, unit, &offered, now)?;
        let n = planned.len();
        // The proposals alternate: issue the result, refuse it.
        let mut proposals = 0;
        for (i, p) in planned.into_iter().enumerate() {
            let (name, phone) = APPLICANTS[(count + i) % APPLICANTS.len()];
            let r = Reception {
                procedure: p.procedure.code.to_string(),
                unit: unit_code.to_owned(),
                channel: Channel::Direct,
                online_level: None,
                components_total: p.procedure.components.max(1),
                components_digitized: 0,
                fee_vnd: p.procedure.fee_vnd,
                applicant: Applicant {
                    name: name.to_owned(),
                    phone: phone.replace(' ', ""),
                    address: format!("{} {}", unit.label, unit.short_name),
                    ..Applicant::default()
                },
                request: String::new(),
                components: Vec::new(),
            };
            let h = motcua_app::desk::receive(store, &desk, &r, &ctx(&desk, p.received_at))
                .await
                .with_context(|| {
                    format!("không tiếp nhận được hồ sơ mẫu «{}»", p.procedure.name)
                })?;
            let code = h.dossier.code.to_string();
            // The desk hands the dossier to the unit's specialist half an hour after reception.
            let assign = (
                &desk,
                Step::Assign {
                    to: specialist.to_owned(),
                },
                plus(p.received_at, 30),
            );
            let proposed = plus(now, -55);
            let mut steps: Vec<(&Principal, Step, Timestamp)> = Vec::new();
            match p.want {
                Want::Paused => {
                    steps.push(assign);
                    let reason = Reason::parse("Thiếu bản sao giấy tờ tùy thân của người yêu cầu")
                        .map_err(anyhow::Error::msg)?;
                    steps.push((&handler, Step::RequestSupplement { reason }, plus(now, -45)));
                }
                Want::Proposed => {
                    steps.push(assign);
                    proposals += 1;
                    let step = if proposals % 2 == 1 {
                        Step::ProposeApproval {
                            result_digitized: false,
                        }
                    } else {
                        Step::ProposeRejection {
                            reason: Reason::parse(
                                "Người yêu cầu không thuộc diện được giải quyết theo quy định",
                            )
                            .map_err(anyhow::Error::msg)?,
                        }
                    };
                    steps.push((&handler, step, proposed));
                }
                Want::ToReturn => {
                    steps.push(assign);
                    let step = Step::ProposeApproval {
                        result_digitized: true,
                    };
                    steps.push((&handler, step, proposed));
                    let step = Step::Approve {
                        result_digitized: true,
                    };
                    steps.push((&approver, step, plus(now, -45)));
                }
                // Half of the open work is with the specialist, the rest still at the desk.
                Want::Overdue | Want::DueToday | Want::DueSoon | Want::Later if i % 2 == 0 => {
                    steps.push(assign);
                }
                _ => {}
            }
            for (who, step, at) in steps {
                motcua_app::desk::take_step(store, who, &code, &step, &ctx(who, at))
                    .await
                    .with_context(|| format!("không xử lý được hồ sơ mẫu {code}"))?;
            }
        }
        count += n;
    }
    Ok(count)
}
