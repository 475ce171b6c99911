//! The audit trail as people read it: [`AuditAction`] (the one list of what the trail
//! records, each with its Vietnamese label and, for the command line, the command that
//! writes it), [`Actor`] and [`ActorNames`] (who acted, by full name, never a login), and
//! [`changes`] (a record's before/after as rows of Vietnamese field labels and values).

mod changes;

pub use changes::{FieldChange, changes, day_time, field_label, value_text};

use std::collections::{BTreeSet, HashMap};

use crate::access::AuditRecord;
use crate::lifecycle::StepKind;
use crate::unit::{UnitCode, UnitTree};

/// Something the audit trail records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    UserCreate,
    UserUpdate,
    UserDisable,
    UserEnable,
    UserUnlock,
    UserPassword,
    UserPasswordReset,
    LoginSuccess,
    LoginFailure,
    LoginLocked,
    LoginRefusedLocked,
    LoginRefusedDisabled,
    Logout,
    TokenCreate,
    TokenRevoke,
    Import,
    CalendarSet,
    SettingsSet,
    MonthClose,
    FollowupCreate,
    FollowupSubmit,
    DossierReceive,
    DossierStep(StepKind),
    DossierScan,
    DossierPayment,
    /// Reception corrected the record before processing started.
    DossierCorrect,
    ReceiptIssue,
    CitizenCodeSent,
    CitizenCodeWrong,
    CitizenCodeConfirmed,
    CitizenSignUp,
    CitizenSignIn,
    CitizenSignInFailure,
    CitizenLocked,
    CitizenRefusedLocked,
    CitizenSignOut,
    CitizenProfile,
    /// A citizen started a draft online (`motcua_core::online`).
    OnlineCreate,
    OnlineSave,
    OnlineSubmit,
    /// Reception returned an online submission for completion.
    OnlineReturn,
    OnlineRefuse,
    OnlineAccept,
    // Sign-in through the identity provider (OpenID Connect): sent there, an account created
    // at the first sign-in, signed in, refused (the reason, never a secret).
    CitizenOidcBegin,
    CitizenOidcCreate,
    CitizenOidcLogin,
    CitizenOidcFailure,
    // Online payment (`motcua_core::payment`): an attempt sent to the gateway, what the
    // gateway sent or answered (a callback, a query), an attempt settled paid (with its
    // e-receipt) or not, a refund asked.
    PaymentStart,
    PaymentCallback,
    PaymentSettle,
    PaymentUnpaid,
    PaymentRefund,
    // Ratings (issue 19): a citizen rated a dossier; an officer opened the desk's rating
    // screen on a tablet; the key that signs the rating links was created.
    DossierRate,
    KioskOpen,
    RatingKeyCreate,
    /// A PAKN (phản ánh, kiến nghị) sent through the public form.
    PetitionSubmit,
    /// A step of a PAKN (`motcua_core::petition::PetitionStep`, its id in the record).
    PetitionStep,
}

/// The actions that are not a dossier's step, in the order the filter lists them.
const FIXED: [AuditAction; 56] = [
    AuditAction::DossierReceive,
    AuditAction::DossierScan,
    AuditAction::DossierPayment,
    AuditAction::DossierCorrect,
    AuditAction::ReceiptIssue,
    AuditAction::UserCreate,
    AuditAction::UserUpdate,
    AuditAction::UserDisable,
    AuditAction::UserEnable,
    AuditAction::UserUnlock,
    AuditAction::UserPassword,
    AuditAction::UserPasswordReset,
    AuditAction::LoginSuccess,
    AuditAction::LoginFailure,
    AuditAction::LoginLocked,
    AuditAction::LoginRefusedLocked,
    AuditAction::LoginRefusedDisabled,
    AuditAction::Logout,
    AuditAction::TokenCreate,
    AuditAction::TokenRevoke,
    AuditAction::Import,
    AuditAction::CalendarSet,
    AuditAction::SettingsSet,
    AuditAction::MonthClose,
    AuditAction::FollowupCreate,
    AuditAction::FollowupSubmit,
    AuditAction::CitizenCodeSent,
    AuditAction::CitizenCodeWrong,
    AuditAction::CitizenCodeConfirmed,
    AuditAction::CitizenSignUp,
    AuditAction::CitizenSignIn,
    AuditAction::CitizenSignInFailure,
    AuditAction::CitizenLocked,
    AuditAction::CitizenRefusedLocked,
    AuditAction::CitizenSignOut,
    AuditAction::CitizenProfile,
    AuditAction::OnlineCreate,
    AuditAction::OnlineSave,
    AuditAction::OnlineSubmit,
    AuditAction::OnlineReturn,
    AuditAction::OnlineRefuse,
    AuditAction::OnlineAccept,
    AuditAction::CitizenOidcBegin,
    AuditAction::CitizenOidcCreate,
    AuditAction::CitizenOidcLogin,
    AuditAction::CitizenOidcFailure,
    AuditAction::PaymentStart,
    AuditAction::PaymentCallback,
    AuditAction::PaymentSettle,
    AuditAction::PaymentUnpaid,
    AuditAction::PaymentRefund,
    AuditAction::DossierRate,
    AuditAction::KioskOpen,
    AuditAction::RatingKeyCreate,
    AuditAction::PetitionSubmit,
    AuditAction::PetitionStep,
];

impl AuditAction {
    /// Every action: the dossier's reception, its steps, then the others.
    pub fn all() -> Vec<AuditAction> {
        let mut out = vec![AuditAction::DossierReceive];
        out.extend(StepKind::ALL.into_iter().map(AuditAction::DossierStep));
        out.extend(FIXED.into_iter().skip(1));
        out
    }

    /// The stored spelling (`dossier.return_result`, `user.create`).
    pub fn as_str(self) -> String {
        let fixed = match self {
            AuditAction::UserCreate => "user.create",
            AuditAction::UserUpdate => "user.update",
            AuditAction::UserDisable => "user.disable",
            AuditAction::UserEnable => "user.enable",
            AuditAction::UserUnlock => "user.unlock",
            AuditAction::UserPassword => "user.password",
            AuditAction::UserPasswordReset => "user.password_reset",
            AuditAction::LoginSuccess => "login.success",
            AuditAction::LoginFailure => "login.failure",
            AuditAction::LoginLocked => "login.locked",
            AuditAction::LoginRefusedLocked => "login.refused_locked",
            AuditAction::LoginRefusedDisabled => "login.refused_disabled",
            AuditAction::Logout => "logout",
            AuditAction::TokenCreate => "token.create",
            AuditAction::TokenRevoke => "token.revoke",
            AuditAction::Import => "import",
            AuditAction::CalendarSet => "calendar.set",
            AuditAction::SettingsSet => "settings.set",
            AuditAction::MonthClose => "month.close",
            AuditAction::FollowupCreate => "followup.create",
            AuditAction::FollowupSubmit => "followup.submit",
            AuditAction::DossierReceive => "dossier.receive",
            AuditAction::DossierStep(kind) => return format!("dossier.{}", kind.as_str()),
            AuditAction::DossierScan => "dossier.scan",
            AuditAction::DossierPayment => "dossier.payment",
            AuditAction::DossierCorrect => "dossier.correct",
            AuditAction::ReceiptIssue => "receipt.issue",
            AuditAction::CitizenCodeSent => "citizen.code_sent",
            AuditAction::CitizenCodeWrong => "citizen.code_wrong",
            AuditAction::CitizenCodeConfirmed => "citizen.code_confirmed",
            AuditAction::CitizenSignUp => "citizen.sign_up",
            AuditAction::CitizenSignIn => "citizen.sign_in",
            AuditAction::CitizenSignInFailure => "citizen.sign_in_failure",
            AuditAction::CitizenLocked => "citizen.locked",
            AuditAction::CitizenRefusedLocked => "citizen.refused_locked",
            AuditAction::CitizenSignOut => "citizen.sign_out",
            AuditAction::CitizenProfile => "citizen.profile",
            AuditAction::OnlineCreate => "online.create",
            AuditAction::OnlineSave => "online.save",
            AuditAction::OnlineSubmit => "online.submit",
            AuditAction::OnlineReturn => "online.return",
            AuditAction::OnlineRefuse => "online.refuse",
            AuditAction::OnlineAccept => "online.accept",
            AuditAction::CitizenOidcBegin => "citizen.oidc_begin",
            AuditAction::CitizenOidcCreate => "citizen.oidc_create",
            AuditAction::CitizenOidcLogin => "citizen.oidc_login",
            AuditAction::CitizenOidcFailure => "citizen.oidc_failure",
            AuditAction::PaymentStart => "payment.start",
            AuditAction::PaymentCallback => "payment.callback",
            AuditAction::PaymentSettle => "payment.settle",
            AuditAction::PaymentUnpaid => "payment.unpaid",
            AuditAction::PaymentRefund => "payment.refund",
            AuditAction::DossierRate => "dossier.rate",
            AuditAction::KioskOpen => "kiosk.open",
            AuditAction::RatingKeyCreate => "rating.key_create",
            AuditAction::PetitionSubmit => "petition.submit",
            AuditAction::PetitionStep => "petition.step",
        };
        fixed.to_owned()
    }

    pub fn parse(text: &str) -> Option<Self> {
        if let Some(step) = text.strip_prefix("dossier.").and_then(StepKind::parse) {
            return Some(AuditAction::DossierStep(step));
        }
        FIXED.into_iter().find(|a| a.as_str() == text)
    }

    /// What it reads as in the trail: `Hồ sơ: trả kết quả`, `Tạo tài khoản`.
    pub fn label_vi(self) -> String {
        let fixed = match self {
            AuditAction::UserCreate => "Tạo tài khoản",
            AuditAction::UserUpdate => "Sửa thông tin tài khoản",
            AuditAction::UserDisable => "Khóa tài khoản",
            AuditAction::UserEnable => "Mở lại tài khoản",
            AuditAction::UserUnlock => "Mở khóa đăng nhập sai",
            AuditAction::UserPassword => "Đổi mật khẩu",
            AuditAction::UserPasswordReset => "Cấp lại mật khẩu",
            AuditAction::LoginSuccess => "Đăng nhập",
            AuditAction::LoginFailure => "Đăng nhập sai mật khẩu",
            AuditAction::LoginLocked => "Tạm khóa do đăng nhập sai nhiều lần",
            AuditAction::LoginRefusedLocked => "Từ chối đăng nhập: đang tạm khóa",
            AuditAction::LoginRefusedDisabled => "Từ chối đăng nhập: tài khoản đã khóa",
            AuditAction::Logout => "Đăng xuất",
            AuditAction::TokenCreate => "Tạo mã truy cập",
            AuditAction::TokenRevoke => "Thu hồi mã truy cập",
            AuditAction::Import => "Nhập dữ liệu từ tệp",
            AuditAction::CalendarSet => "Cập nhật lịch nghỉ",
            AuditAction::SettingsSet => "Thay đổi cấu hình",
            AuditAction::MonthClose => "Chốt số liệu tháng",
            AuditAction::FollowupCreate => "Yêu cầu báo cáo khắc phục",
            AuditAction::FollowupSubmit => "Gửi báo cáo khắc phục",
            AuditAction::DossierReceive => "Hồ sơ: tiếp nhận",
            AuditAction::DossierStep(kind) => return format!("Hồ sơ: {}", kind.name_vi()),
            AuditAction::DossierScan => "Hồ sơ: số hóa giấy tờ",
            AuditAction::DossierPayment => "Hồ sơ: ghi nhận nộp phí, lệ phí",
            AuditAction::DossierCorrect => "Hồ sơ: sửa thông tin",
            AuditAction::ReceiptIssue => "Cấp biên lai điện tử",
            AuditAction::CitizenCodeSent => "Công dân: gửi mã xác nhận",
            AuditAction::CitizenCodeWrong => "Công dân: nhập sai mã xác nhận",
            AuditAction::CitizenCodeConfirmed => "Công dân: xác nhận mã",
            AuditAction::CitizenSignUp => "Công dân: đăng ký tài khoản",
            AuditAction::CitizenSignIn => "Công dân: đăng nhập",
            AuditAction::CitizenSignInFailure => "Công dân: đăng nhập sai mật khẩu",
            AuditAction::CitizenLocked => "Công dân: tạm khóa do đăng nhập sai nhiều lần",
            AuditAction::CitizenRefusedLocked => "Công dân: từ chối đăng nhập, đang tạm khóa",
            AuditAction::CitizenSignOut => "Công dân: đăng xuất",
            AuditAction::CitizenProfile => "Công dân: sửa thông tin tài khoản",
            AuditAction::OnlineCreate => "Hồ sơ trực tuyến: tạo nháp",
            AuditAction::OnlineSave => "Hồ sơ trực tuyến: lưu nháp",
            AuditAction::OnlineSubmit => "Hồ sơ trực tuyến: nộp hồ sơ",
            AuditAction::OnlineReturn => "Hồ sơ trực tuyến: yêu cầu bổ sung, hoàn thiện",
            AuditAction::OnlineRefuse => "Hồ sơ trực tuyến: từ chối tiếp nhận",
            AuditAction::OnlineAccept => "Hồ sơ trực tuyến: tiếp nhận",
            AuditAction::CitizenOidcBegin => "Công dân: chuyển sang đăng nhập định danh điện tử",
            AuditAction::CitizenOidcCreate => "Công dân: tạo tài khoản từ định danh điện tử",
            AuditAction::CitizenOidcLogin => "Công dân: đăng nhập bằng định danh điện tử",
            AuditAction::CitizenOidcFailure => "Công dân: đăng nhập định danh điện tử thất bại",
            AuditAction::PaymentStart => "Thanh toán trực tuyến: tạo giao dịch",
            AuditAction::PaymentCallback => "Thanh toán trực tuyến: thông tin từ cổng thanh toán",
            AuditAction::PaymentSettle => "Thanh toán trực tuyến: xác nhận đã thanh toán",
            AuditAction::PaymentUnpaid => "Thanh toán trực tuyến: giao dịch không thành công",
            AuditAction::PaymentRefund => "Thanh toán trực tuyến: hoàn tiền",
            AuditAction::DossierRate => "Hồ sơ: công dân đánh giá mức độ hài lòng",
            AuditAction::KioskOpen => "Mở màn hình đánh giá tại quầy",
            AuditAction::RatingKeyCreate => "Tạo khóa ký đường dẫn đánh giá",
            AuditAction::PetitionSubmit => "Phản ánh, kiến nghị: gửi",
            AuditAction::PetitionStep => "Phản ánh, kiến nghị: xử lý",
        };
        fixed.to_owned()
    }

    /// The command of the `motcua` binary that records it from the command line.
    pub fn cli_command(self) -> Option<&'static str> {
        Some(match self {
            AuditAction::UserCreate => "motcua user add",
            AuditAction::UserPassword | AuditAction::UserPasswordReset => "motcua user password",
            AuditAction::TokenCreate => "motcua token add",
            AuditAction::TokenRevoke => "motcua token revoke",
            AuditAction::Import => "motcua import",
            AuditAction::CalendarSet => "motcua calendar set",
            AuditAction::SettingsSet => "motcua targets set",
            AuditAction::MonthClose => "motcua close-month",
            _ => return None,
        })
    }
}

/// The label of a stored action text; an action of a later release reads as itself.
pub fn action_label(text: &str) -> String {
    AuditAction::parse(text).map_or_else(|| format!("Thao tác «{text}»"), AuditAction::label_vi)
}

/// The actor of a visitor not signed in ([`Actor::Visitor`]).
pub const VISITOR: &str = "visitor";

/// Who acted, as the trail and the history store it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor<'a> {
    /// `user:NAME`: an account.
    User(&'a str),
    /// `token:NAME`: an API token.
    Token(&'a str),
    /// `cli:OSUSER`: the command line.
    Cli,
    /// `demo`: the demo's sample data.
    Demo,
    /// `citizen:ID`: a citizen's or business's account.
    Citizen(&'a str),
    /// `contact:PHONE-OR-EMAIL`: someone asking for a one-time code, before any account.
    Contact(&'a str),
    /// `visitor`: someone not signed in (leaving for the identity provider, or refused by it).
    Visitor,
    /// `gateway:NAME`: an online payment gateway's notice, or the sweep asking it.
    Gateway(&'a str),
    /// Anything else (`import:…`, another system's pushes).
    Other(&'a str),
}

impl<'a> Actor<'a> {
    pub fn parse(text: &'a str) -> Self {
        match text.split_once(':') {
            Some(("user", name)) => Actor::User(name),
            Some(("token", name)) => Actor::Token(name),
            Some(("cli", _)) => Actor::Cli,
            Some(("citizen", id)) => Actor::Citizen(id),
            Some(("contact", to)) => Actor::Contact(to),
            Some(("gateway", name)) => Actor::Gateway(name),
            _ if text == "demo" => Actor::Demo,
            _ if text == VISITOR => Actor::Visitor,
            _ => Actor::Other(text),
        }
    }
}

/// An account or a token the store knows, as [`ActorNames`] names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownActor {
    /// The stored actor text: `user:NAME`, `token:NAME` or `citizen:ID`.
    pub actor: String,
    /// The account's full name; the token's name.
    pub name: String,
    /// The unit of an officer's account or a token; `None` for a citizen's account.
    pub unit: Option<UnitCode>,
}

/// The people and tokens behind a page's actors, read once for the page.
#[derive(Debug, Clone, Default)]
pub struct ActorNames {
    names: HashMap<String, String>,
}

impl ActorNames {
    pub fn new(known: Vec<KnownActor>, tree: &UnitTree) -> Self {
        let names = known
            .into_iter()
            .map(|k| {
                let label = match Actor::parse(&k.actor) {
                    Actor::Token(_) => match k.unit.as_ref().and_then(|u| tree.get(u)) {
                        Some(u) => format!("Mã truy cập «{}» của {}", k.name, u.name),
                        None => format!("Mã truy cập «{}»", k.name),
                    },
                    _ => k.name,
                };
                (k.actor, label)
            })
            .collect();
        Self { names }
    }

    /// Who `actor` is, in words; `command` names what the command line ran, when known.
    pub fn label(&self, actor: &str, command: Option<&str>) -> String {
        if let Some(name) = self.names.get(actor) {
            return name.clone();
        }
        match Actor::parse(actor) {
            // A sign-in attempt under a name no account has.
            Actor::User(name) => format!("Tên đăng nhập không tồn tại «{name}»"),
            Actor::Token(name) => format!("Mã truy cập «{name}»"),
            Actor::Cli => format!("Dòng lệnh ({})", command.unwrap_or("motcua")),
            Actor::Demo => "Dữ liệu mẫu (motcua demo)".to_owned(),
            Actor::Citizen(_) => "Tài khoản công dân không còn tồn tại".to_owned(),
            Actor::Contact(to) => format!("Người đăng ký tài khoản «{to}»"),
            Actor::Visitor => "Khách truy cập cổng dịch vụ công (chưa đăng nhập)".to_owned(),
            Actor::Gateway("vnpay") => "Cổng thanh toán VNPay".to_owned(),
            Actor::Gateway(name) => format!("Cổng thanh toán «{name}»"),
            Actor::Other(text) => format!("Hệ thống khác «{text}»"),
        }
    }

    /// The full name of an account the store knows; `None` for anything else (a token, the
    /// command line, a name no account has). What a slip prints above a signature.
    pub fn person(&self, actor: &str) -> Option<&str> {
        match Actor::parse(actor) {
            Actor::User(_) => self.names.get(actor).map(String::as_str),
            _ => None,
        }
    }

    /// The actor of an audit record, with its command when the command line wrote it.
    pub fn of_record(&self, r: &AuditRecord) -> String {
        let command = AuditAction::parse(&r.action).and_then(AuditAction::cli_command);
        self.label(&r.actor, command)
    }
}

/// The distinct actors of a page's rows (what the store is asked to name, once).
pub fn distinct_actors<'a>(actors: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    actors
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::timestamp::Timestamp;

    #[test]
    fn every_action_reads_back_and_has_a_vietnamese_label() {
        for a in AuditAction::all() {
            assert_eq!(AuditAction::parse(&a.as_str()), Some(a), "{a:?}");
            let label = a.label_vi();
            assert!(!label.contains('.') && !label.contains('_'), "{label}");
            assert!(label.chars().next().unwrap().is_uppercase(), "{label}");
        }
        assert_eq!(
            action_label("dossier.return_result"),
            format!("Hồ sơ: {}", StepKind::ReturnResult.name_vi())
        );
    }

    #[test]
    fn actors_never_read_as_codes() {
        let names = ActorNames::new(
            vec![
                KnownActor {
                    actor: "user:tiep-nhan".to_owned(),
                    name: "Nguyễn Thị Lan".to_owned(),
                    unit: Some(UnitCode::parse("x").unwrap()),
                },
                KnownActor {
                    actor: "citizen:7".to_owned(),
                    name: "Trần Văn Bình".to_owned(),
                    unit: None,
                },
            ],
            &UnitTree::new(vec![]).unwrap(),
        );
        assert_eq!(names.label("user:tiep-nhan", None), "Nguyễn Thị Lan");
        assert_eq!(
            names.label("cli:unknown", Some("motcua import")),
            "Dòng lệnh (motcua import)"
        );
        assert_eq!(names.label("token:sync", None), "Mã truy cập «sync»");
        // The payment gateway that confirmed a payment (the e-receipt's collector).
        assert_eq!(names.label("gateway:vnpay", None), "Cổng thanh toán VNPay");
        assert_eq!(names.label("citizen:7", None), "Trần Văn Bình");
        assert_eq!(names.person("citizen:7"), None);
        assert_eq!(
            names.label("contact:0912345678", None),
            "Người đăng ký tài khoản «0912345678»"
        );
    }

    #[test]
    fn a_step_splits_its_changes_into_before_and_after() {
        let r = AuditRecord {
            id: 1,
            at: Timestamp::from_micros(0),
            actor: "user:a".to_owned(),
            remote_addr: None,
            action: "dossier.supplemented".to_owned(),
            target: "X".to_owned(),
            before: serde_json::Value::Null,
            after: serde_json::json!({
                "due_at": {"after": "2024-05-22T16:00:00+07:00", "before": "2024-05-20T16:00:00+07:00"},
                "status": {"after": "in_processing", "before": "awaiting_supplement"},
                "step": {"step": "supplemented"},
            }),
        };
        let rows = changes(&r, &UnitTree::new(vec![]).unwrap());
        let due = rows.iter().find(|c| c.label == "Ngày hẹn trả").unwrap();
        assert_eq!(due.before, "20/05/2024 16:00");
        assert_eq!(due.after, "22/05/2024 16:00");
        let step = rows.iter().find(|c| c.label == "Bước xử lý").unwrap();
        assert_eq!(step.before, "");
        assert!(!step.after.contains("supplemented"), "{}", step.after);
    }
}
