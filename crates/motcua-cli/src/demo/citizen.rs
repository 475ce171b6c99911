//! The demo's citizen: one person's account, one sign-in away from the two things a visitor
//! most wants to try on the portal. Made through the app's own functions, as a citizen and
//! the desk of Hồ Xá would: a draft, its scans, the submission, reception's acceptance, the
//! specialist's proposal, the leader's approval. The account owns
//! - a dossier accepted with a fee due and unpaid ("Cấp giấy xác nhận tình trạng hôn nhân",
//!   15.000 đồng), so that its page offers "Thanh toán trực tuyến" through the demo's sandbox
//!   gateway;
//! - a dossier whose result was issued and handed back ("Đăng ký khai sinh", toàn trình, its
//!   result scanned), so that its page offers the rating (`/rate/{code}`) and the download.
//!
//! Every step happens on the working days before the demo's day (its clock), so the
//! fixture's months keep their figures. The password is random, printed once in the banner.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use motcua_app::online::DraftInput;
use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, Role};
use motcua_core::citizen::{Citizen, CitizenKind};
use motcua_core::details::Slot;
use motcua_core::lifecycle::Step;
use motcua_core::unit::UnitTree;
use motcua_store::{Files, NewCitizen, SqlStore};

use super::live::{ctx, plus, principal};

/// The account: a person of Hồ Xá, by their full name, their mobile number and ID number.
const NAME: &str = "Trương Thị Mỹ Linh";
const PHONE: &str = "0912680357";
const ID_NUMBER: &str = "045186003721";
const ADDRESS: &str = "Khu phố 3, thị trấn Hồ Xá, huyện Vĩnh Linh, tỉnh Quảng Trị";

/// Where the dossiers are submitted, and the unit's demo accounts that handle them.
const UNIT: &str = "ho-xa";
const RECEPTION: &str = "tiep-nhan-ho-xa";
const SPECIALIST: &str = "chuyen-vien-ho-xa";
const LEADER: &str = "lanh-dao-ho-xa";

/// "Cấp giấy xác nhận tình trạng hôn nhân": offered online at every commune, with a fee
/// (the dossier's fee is the procedure's, `online::accepted_dossier`).
const TO_PAY: &str = "1.004873";
/// "Đăng ký khai sinh": toàn trình at every commune, no fee.
const TO_RATE: &str = "1.001193";

/// The demo citizen as the banner prints it.
pub struct DemoCitizen {
    pub name: &'static str,
    pub phone: &'static str,
    pub password: String,
    /// The dossier whose fee waits to be paid online, and the fee in đồng.
    pub to_pay: String,
    pub fee_vnd: i64,
    /// The dossier whose result is issued, waiting for the citizen's rating.
    pub to_rate: String,
}

impl DemoCitizen {
    /// The banner's lines about the citizen, the PAKN form and the desk's rating tablet;
    /// `base` is the demo's address (`http://host:port`).
    pub fn banner(&self, base: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Tài khoản công dân trình diễn ({}), đăng nhập tại {base}/citizen/sign-in",
            self.name
        );
        let _ = writeln!(
            out,
            "  số điện thoại: {}   mật khẩu: {}",
            self.phone, self.password
        );
        let _ = writeln!(
            out,
            "  hồ sơ {}: chờ thanh toán trực tuyến {} đồng phí, lệ phí ({base}/citizen/dossiers/{})",
            self.to_pay,
            motcua_core::display::count(self.fee_vnd.unsigned_abs()),
            self.to_pay
        );
        let _ = writeln!(
            out,
            "  hồ sơ {}: đã có kết quả, mời đánh giá mức độ hài lòng ({base}/citizen/dossiers/{})",
            self.to_rate, self.to_rate
        );
        let _ = writeln!(out, "Gửi phản ánh, kiến nghị (PAKN): {base}/feedback");
        let _ = write!(
            out,
            "Máy tính bảng đánh giá tại bộ phận một cửa: {base}/desk/kiosk (cán bộ tiếp nhận mở trên máy của quầy)"
        );
        out
    }
}

/// A small PDF the scan store accepts; `n` makes each one a file of its own.
fn pdf(n: usize) -> Vec<u8> {
    format!("%PDF-1.7\n% motcua demo {n}\n%%EOF\n").into_bytes()
}

/// The last `n` working days of Hồ Xá before the day of `now`, the earliest first.
async fn working_days_before(
    store: &SqlStore,
    now: Timestamp,
    n: usize,
) -> Result<Vec<time::Date>> {
    let tree = UnitTree::new(store.units().await?).context("cây đơn vị mẫu không hợp lệ")?;
    let unit = tree
        .find(UNIT)
        .with_context(|| format!("dữ liệu mẫu thiếu đơn vị {UNIT}"))?;
    let calendars = motcua_app::calendar::load(store).await?;
    let calendar = calendars.for_unit(unit);
    let today = now.local_date();
    let mut days = Vec::new();
    for back in 1..60_i64 {
        let Some(date) = today.checked_sub(time::Duration::days(back)) else {
            break;
        };
        if calendar.is_working_day(date) == Some(true) {
            days.push(date);
            if days.len() == n {
                days.reverse();
                return Ok(days);
            }
        }
    }
    anyhow::bail!("không tìm được {n} ngày làm việc trước {today}")
}

/// A write by `actor` (a citizen as `citizen:<id>`, or the demo itself) at `at`.
fn audit(actor: String, at: Timestamp) -> AuditContext {
    AuditContext {
        actor,
        remote_addr: None,
        at,
    }
}

/// `hours:minutes` local time on `date`.
fn at(date: time::Date, hours: i64, minutes: i64) -> Timestamp {
    plus(Timestamp::local_midnight(date), hours * 60 + minutes)
}

/// The citizen drafts `procedure` at Hồ Xá, scans every component and submits at `when`;
/// reception accepts at `accepted`. Returns the dossier's code.
async fn submitted_and_accepted(
    store: &SqlStore,
    files: &Files,
    citizen: &Citizen,
    procedure: &str,
    when: Timestamp,
    accepted: Timestamp,
) -> Result<String> {
    let as_citizen = audit(format!("citizen:{}", citizen.id.0), when);
    let draft = motcua_app::online::start_draft(store, citizen, UNIT, procedure, &as_citizen)
        .await
        .with_context(|| format!("không tạo được hồ sơ nháp của thủ tục {procedure}"))?;
    let mut scans = Vec::new();
    for (i, c) in draft.data.components.iter().enumerate() {
        let name = format!("giay-to-{}-{}.pdf", procedure.replace('.', "-"), i + 1);
        let scan = files
            .put(&name, &pdf(i))
            .await
            .with_context(|| format!("không lưu được bản quét «{}»", c.name))?;
        scans.push((i, scan));
    }
    let mut applicant = draft.data.applicant.clone();
    applicant.address = ADDRESS.to_owned();
    let input = DraftInput {
        applicant,
        request: String::new(),
        scans,
        ..DraftInput::default()
    };
    let submitted =
        motcua_app::online::submit(store, files, citizen.id, draft.id, &input, &as_citizen)
            .await
            .with_context(|| format!("không nộp được hồ sơ trực tuyến của thủ tục {procedure}"))?;
    let desk = principal(RECEPTION, UNIT, Role::Reception)?;
    let held = motcua_app::online::accept(store, &desk, submitted.id, &ctx(&desk, accepted))
        .await
        .with_context(|| format!("không tiếp nhận được hồ sơ trực tuyến {procedure}"))?;
    Ok(held.dossier.code.to_string())
}

/// Creates the demo citizen with its two dossiers, every step before the day of `now`.
pub async fn add(store: &SqlStore, files: &Files, now: Timestamp) -> Result<DemoCitizen> {
    let password = motcua_app::auth::random_password()?;
    let new = NewCitizen {
        kind: CitizenKind::Person,
        full_name: NAME.to_owned(),
        phone: Some(PHONE.to_owned()),
        email: None,
        id_number: Some(ID_NUMBER.to_owned()),
        tax_code: None,
        password_hash: Some(motcua_app::auth::hash_password(&password).await?),
    };
    let [d1, d2, d3] = <[time::Date; 3]>::try_from(working_days_before(store, now, 3).await?)
        .map_err(|_| anyhow::anyhow!("thiếu ngày làm việc"))?;
    let created = at(d1, 19, 30);
    let citizen = store
        .create_citizen(&new, &audit("demo".to_owned(), created))
        .await
        .context("không tạo được tài khoản công dân trình diễn")?;

    // Submitted in the evening, accepted the next morning and settled the same day, within
    // its one working day: assigned, proposed, approved, its result scanned and handed back.
    let to_rate = submitted_and_accepted(
        store,
        files,
        &citizen,
        TO_RATE,
        at(d1, 20, 15),
        at(d2, 7, 45),
    )
    .await?;
    let desk = principal(RECEPTION, UNIT, Role::Reception)?;
    let specialist = principal(SPECIALIST, UNIT, Role::Specialist)?;
    let leader = principal(LEADER, UNIT, Role::Leader)?;
    let steps = [
        (
            &desk,
            Step::Assign {
                to: SPECIALIST.to_owned(),
            },
            at(d2, 8, 15),
        ),
        (
            &specialist,
            Step::ProposeApproval {
                result_digitized: true,
            },
            at(d2, 10, 0),
        ),
        (
            &leader,
            Step::Approve {
                result_digitized: true,
            },
            at(d2, 14, 0),
        ),
    ];
    for (who, step, when) in steps {
        motcua_app::desk::take_step(store, who, &to_rate, &step, &ctx(who, when))
            .await
            .with_context(|| format!("không xử lý được hồ sơ mẫu {to_rate}"))?;
    }
    motcua_app::desk::attach_scan(
        store,
        files,
        &specialist,
        &to_rate,
        Slot::Result,
        "giay-khai-sinh.pdf",
        &pdf(99),
        &ctx(&specialist, at(d2, 14, 20)),
    )
    .await
    .with_context(|| format!("không lưu được bản quét kết quả của hồ sơ {to_rate}"))?;
    let handed = Step::ReturnResult { collected_by: None };
    motcua_app::desk::take_step(store, &desk, &to_rate, &handed, &ctx(&desk, at(d2, 15, 0)))
        .await
        .with_context(|| format!("không trả được kết quả hồ sơ mẫu {to_rate}"))?;

    // Submitted in the evening, accepted the next morning: its fee waits to be paid.
    let to_pay =
        submitted_and_accepted(store, files, &citizen, TO_PAY, at(d2, 21, 5), at(d3, 7, 50))
            .await?;
    let code = motcua_core::dossier::DossierCode::parse(&to_pay)
        .with_context(|| format!("mã hồ sơ không hợp lệ: {to_pay}"))?;
    let fee_vnd = store
        .dossier(&code)
        .await?
        .with_context(|| format!("không đọc được hồ sơ {to_pay}"))?
        .fee_vnd;
    anyhow::ensure!(
        fee_vnd > 0,
        "hồ sơ {to_pay} không có phí, lệ phí: không trình diễn được thanh toán trực tuyến"
    );
    Ok(DemoCitizen {
        name: NAME,
        phone: PHONE,
        password,
        to_pay,
        fee_vnd,
        to_rate,
    })
}
