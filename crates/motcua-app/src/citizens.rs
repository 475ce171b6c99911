//! Citizens' and businesses' accounts: sign-up confirmed by a one-time code sent to the phone
//! or e-mail address ([`start_sign_up`], [`confirm_sign_up`], [`resend_code`]), sign-in with
//! a password and the officers' lockout ([`sign_in`]), sessions ([`start_session`],
//! [`citizen_session`], [`sign_out`]: a random secret in the cookie, its SHA-256 stored, 12
//! hours) and the profile ([`update_profile`]). Codes go to the outbox in their own
//! transaction; nothing is sent from here.
//!
//! The [`AuditContext`] these functions take gives the time and the client's address; its
//! actor is replaced by whom the write concerns: `contact:<phone or e-mail>` before an account
//! exists, `citizen:<id>` after.

use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::audit::AuditAction;
use motcua_core::citizen::{
    CODE_MINUTES, CODE_WINDOW_MINUTES, CODES_PER_WINDOW, Citizen, CitizenId, CitizenKind,
    CodePurpose, Contact, MAX_FULL_NAME_CHARS, code_messages, parse_code, parse_id_number,
};
use motcua_core::fees::parse_tax_code;
use motcua_store::{
    CitizenDossier, CitizenProfile, CodeCheck, NewCitizen, NewCode, NewSession, SqlStore,
};
use serde::{Deserialize, Serialize};

use crate::AppError;
use crate::auth::{
    DUMMY_HASH, SESSION_HOURS, hash_password, locked_text, random_secret, secret_hash,
    verify_password,
};

/// What the sign-up form sends, as typed.
#[derive(Clone, Default)]
pub struct SignUp {
    pub kind: Option<CitizenKind>,
    pub full_name: String,
    /// A mobile number or an e-mail address.
    pub contact: String,
    pub password: String,
    /// The password typed again.
    pub confirm: String,
    /// Mã số thuế (a business only).
    pub tax_code: String,
}

/// What the profile form sends, as typed.
#[derive(Debug, Clone, Default)]
pub struct ProfileForm {
    pub full_name: String,
    pub id_number: String,
    pub tax_code: String,
}

/// A form's refusals, each beside its field (`kind`, `full_name`, `contact`, `password`,
/// `tax_code`, `id_number`, `code`), all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(&'static str, String)>);

impl FieldErrors {
    /// The message of `field`, or nothing.
    pub fn of(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }
}

/// Why a citizen's request was refused; every message is a Vietnamese sentence for the page.
#[derive(Debug, thiserror::Error)]
pub enum CitizenError {
    /// Fields to correct.
    #[error("thông tin chưa hợp lệ")]
    Fields(FieldErrors),
    /// Too many codes asked for the same phone or e-mail.
    #[error(
        "Đã gửi {CODES_PER_WINDOW} mã xác nhận tới số điện thoại hoặc email này trong {CODE_WINDOW_MINUTES} phút qua. Vui lòng đợi ít phút rồi thử lại."
    )]
    Throttled,
    /// The code typed back was refused (the message says why and what to do).
    #[error("{0}")]
    Code(String),
    /// The contact has an account already.
    #[error("{0}")]
    Taken(String),
    /// Wrong contact or password: the same answer whether the account exists or not.
    #[error(
        "Số điện thoại, email hoặc mật khẩu không đúng. Hãy kiểm tra lại; nếu chưa có tài khoản, hãy đăng ký."
    )]
    Wrong,
    #[error(
        "Tài khoản đang tạm khóa đến {0} do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau."
    )]
    Locked(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<motcua_store::StoreError> for CitizenError {
    fn from(e: motcua_store::StoreError) -> Self {
        match AppError::from(e) {
            AppError::Refused(m) => CitizenError::Taken(m),
            other => CitizenError::App(other),
        }
    }
}

/// A session just opened: the cookie value for the browser (only its hash is stored) and the
/// session's CSRF token.
pub struct CitizenSignedIn {
    pub citizen: Citizen,
    pub cookie: String,
    pub csrf: String,
}

/// The account waiting for its code (the code's payload). The password is already hashed.
#[derive(Serialize, Deserialize)]
struct PendingSignUp {
    kind: CitizenKind,
    full_name: String,
    contact: Contact,
    password_hash: String,
    tax_code: Option<String>,
}

fn as_actor(ctx: &AuditContext, actor: String) -> AuditContext {
    AuditContext {
        actor,
        ..ctx.clone()
    }
}

fn contact_actor(contact: &Contact) -> String {
    format!("contact:{}", contact.as_str())
}

/// A full name or organisation name: trimmed, one bounded line.
fn check_full_name(text: &str, errors: &mut FieldErrors) -> String {
    let name = text.trim().to_owned();
    if name.is_empty() {
        errors.push("full_name", "Nhập họ và tên, hoặc tên tổ chức");
    } else if let Err(e) = motcua_core::freetext::check_line(&name, MAX_FULL_NAME_CHARS) {
        errors.push("full_name", format!("Họ tên {e}"));
    }
    name
}

/// A six-digit code from the operating system's random source.
fn random_code() -> Result<String, AppError> {
    loop {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes)
            .map_err(|e| AppError::Auth(format!("nguồn ngẫu nhiên: {e}")))?;
        let n = u32::from_le_bytes(bytes);
        // Rejection keeps every code equally likely.
        if n < 4_294_000_000 {
            return Ok(format!("{:06}", n % 1_000_000));
        }
    }
}

/// The stored form of a code: bound to its recipient.
fn code_hash(contact: &Contact, code: &str) -> String {
    secret_hash(&format!("{}:{code}", contact.as_str()))
}

/// Issues a new code carrying `payload` to `contact`, unless it had its share recently.
async fn issue_code(
    store: &SqlStore,
    contact: &Contact,
    payload: String,
    ctx: &AuditContext,
) -> Result<(), CitizenError> {
    let since = Timestamp::from_micros(ctx.at.as_micros() - CODE_WINDOW_MINUTES * 60_000_000);
    if store.citizen_codes_since(contact, since).await? >= CODES_PER_WINDOW {
        return Err(CitizenError::Throttled);
    }
    let code = random_code()?;
    let new = NewCode {
        purpose: CodePurpose::SignUp,
        recipient: contact.clone(),
        code_hash: code_hash(contact, &code),
        payload,
        expires_at: Timestamp::from_micros(ctx.at.as_micros() + CODE_MINUTES * 60_000_000),
    };
    let ctx = as_actor(ctx, contact_actor(contact));
    store
        .issue_citizen_code(&new, &code_messages(contact, &code), &ctx)
        .await?;
    Ok(())
}

/// Checks a sign-up and sends its code to the phone or e-mail address given; returns that
/// contact, normalised (the confirmation page asks for the code sent to it). Nothing is
/// created before the code comes back.
pub async fn start_sign_up(
    store: &SqlStore,
    form: &SignUp,
    ctx: &AuditContext,
) -> Result<Contact, CitizenError> {
    let mut errors = FieldErrors::default();
    let Some(kind) = form.kind else {
        errors.push(
            "kind",
            "Chọn loại tài khoản: công dân, hoặc doanh nghiệp, tổ chức",
        );
        return Err(CitizenError::Fields(fields_of(form, errors)));
    };
    let full_name = check_full_name(&form.full_name, &mut errors);
    let contact = Contact::parse(&form.contact)
        .map_err(|e| errors.push("contact", e))
        .ok();
    // In the form's order: the summary above it lists them so.
    let tax_code = match kind {
        CitizenKind::Person => None,
        CitizenKind::Business if form.tax_code.trim().is_empty() => {
            errors.push("tax_code", "Nhập mã số thuế của doanh nghiệp, tổ chức");
            None
        }
        CitizenKind::Business => parse_tax_code(&form.tax_code)
            .map_err(|e| errors.push("tax_code", capitalise(&e)))
            .ok(),
    };
    check_passwords(form, &mut errors);
    if let Some(c) = &contact
        && store.citizen_by_contact(c).await?.is_some()
    {
        errors.push(
            "contact",
            format!("«{c}» đã có tài khoản; hãy đăng nhập, hoặc dùng số điện thoại, email khác"),
        );
    }
    let Some(contact) = contact.filter(|_| errors.is_empty()) else {
        return Err(CitizenError::Fields(errors));
    };
    let pending = PendingSignUp {
        kind,
        full_name,
        contact: contact.clone(),
        password_hash: hash_password(&form.password).await?,
        tax_code,
    };
    let payload = serde_json::to_string(&pending)
        .map_err(|e| AppError::Auth(format!("không ghi được đăng ký: {e}")))?;
    issue_code(store, &contact, payload, ctx).await?;
    Ok(contact)
}

/// The other fields' errors too, when the kind is missing (all errors at once).
fn fields_of(form: &SignUp, mut errors: FieldErrors) -> FieldErrors {
    check_full_name(&form.full_name, &mut errors);
    if let Err(e) = Contact::parse(&form.contact) {
        errors.push("contact", e);
    }
    check_passwords(form, &mut errors);
    errors
}

/// The password's rule, and the second typing equal to the first.
fn check_passwords(form: &SignUp, errors: &mut FieldErrors) {
    if let Err(e) = motcua_core::access::check_password_rule(&form.password) {
        errors.push("password", capitalise(&e));
    } else if form.password != form.confirm {
        errors.push(
            "confirm",
            "Hai lần nhập mật khẩu không giống nhau; hãy nhập lại",
        );
    }
}

fn capitalise(text: &str) -> String {
    motcua_core::display::capitalise(text)
}

/// Sends a new code for the sign-up waiting on `contact` (the same throttle applies).
pub async fn resend_code(
    store: &SqlStore,
    contact: &str,
    ctx: &AuditContext,
) -> Result<Contact, CitizenError> {
    let contact = Contact::parse(contact).map_err(|e| one("contact", e))?;
    let Some(payload) = store
        .pending_citizen_code(CodePurpose::SignUp, &contact)
        .await?
    else {
        return Err(CitizenError::Code(NO_CODE.to_owned()));
    };
    issue_code(store, &contact, payload, ctx).await?;
    Ok(contact)
}

fn one(field: &'static str, message: String) -> CitizenError {
    CitizenError::Fields(FieldErrors(vec![(field, message)]))
}

const NO_CODE: &str = "Không có mã xác nhận nào đang chờ cho số điện thoại hoặc email này (mã đã được dùng, hoặc chưa đăng ký). Hãy đăng ký hoặc đăng nhập.";

/// Checks the code typed back; when right, creates the account and opens its session.
pub async fn confirm_sign_up(
    store: &SqlStore,
    contact: &str,
    code: &str,
    ctx: &AuditContext,
) -> Result<CitizenSignedIn, CitizenError> {
    let contact = Contact::parse(contact).map_err(|e| one("contact", e))?;
    let Some(code) = parse_code(code) else {
        return Err(one(
            "code",
            "Nhập mã xác nhận gồm 6 chữ số đã gửi tới bạn".to_owned(),
        ));
    };
    let code_ctx = as_actor(ctx, contact_actor(&contact));
    let checked = store
        .check_citizen_code(
            CodePurpose::SignUp,
            &contact,
            &code_hash(&contact, &code),
            &code_ctx,
        )
        .await?;
    let payload = match checked {
        CodeCheck::Confirmed(payload) => payload,
        CodeCheck::Wrong { attempts_left } => {
            return Err(one(
                "code",
                format!("Mã xác nhận không đúng. Bạn còn {attempts_left} lần nhập."),
            ));
        }
        CodeCheck::Dead => {
            return Err(CitizenError::Code(
                "Mã xác nhận đã hết hiệu lực hoặc đã bị nhập sai quá 5 lần. Hãy bấm «Gửi lại mã» để nhận mã mới.".to_owned(),
            ));
        }
        CodeCheck::NoCode => return Err(CitizenError::Code(NO_CODE.to_owned())),
    };
    let pending: PendingSignUp = serde_json::from_str(&payload)
        .map_err(|e| AppError::Auth(format!("đăng ký đã lưu không đọc được: {e}")))?;
    let (phone, email) = match &pending.contact {
        Contact::Phone(p) => (Some(p.clone()), None),
        Contact::Email(e) => (None, Some(e.clone())),
    };
    let new = NewCitizen {
        kind: pending.kind,
        full_name: pending.full_name,
        phone,
        email,
        id_number: None,
        tax_code: pending.tax_code,
        password_hash: Some(pending.password_hash),
    };
    let citizen = store.create_citizen(&new, &code_ctx).await?;
    Ok(start_session(store, &citizen, ctx).await?)
}

/// Opens a session of `citizen` (after a sign-up, a password, or OpenID Connect).
pub async fn start_session(
    store: &SqlStore,
    citizen: &Citizen,
    ctx: &AuditContext,
) -> Result<CitizenSignedIn, AppError> {
    let cookie = random_secret()?;
    let csrf = random_secret()?;
    let session = NewSession {
        token_hash: secret_hash(&cookie),
        csrf: csrf.clone(),
        expires_at: Timestamp::from_micros(ctx.at.as_micros() + SESSION_HOURS * 3_600_000_000),
    };
    let ctx = as_actor(ctx, citizen.id.actor());
    store
        .start_citizen_session(citizen.id, &session, &ctx)
        .await?;
    Ok(CitizenSignedIn {
        citizen: citizen.clone(),
        cookie,
        csrf,
    })
}

/// Checks a phone or e-mail and a password; opens a session on success. A contact no account
/// has is answered as a wrong password, in the time a real check takes, and counted and
/// locked the same way; an account locks after the officers' threshold of failures.
pub async fn sign_in(
    store: &SqlStore,
    contact: &str,
    password: &str,
    ctx: &AuditContext,
) -> Result<CitizenSignedIn, CitizenError> {
    let parsed = Contact::parse(contact).ok();
    let found = match &parsed {
        Some(c) => store.citizen_by_contact(c).await?,
        None => None,
    };
    let Some(login) = found else {
        let _ = verify_password(password, DUMMY_HASH).await;
        let key = parsed.as_ref().map_or(contact.trim(), Contact::as_str);
        let ctx = as_actor(ctx, format!("contact:{key}"));
        let locked = store
            .record_unknown_login(&format!("citizen:{key}"), &ctx)
            .await?;
        return Err(match locked {
            Some(until) => CitizenError::Locked(locked_text(until)),
            None => CitizenError::Wrong,
        });
    };
    let id = login.citizen.id;
    let ctx = as_actor(ctx, id.actor());
    let hash = login.password_hash.as_deref().unwrap_or(DUMMY_HASH);
    if let Some(until) = login.locked_until
        && until > ctx.at
    {
        let _ = verify_password(password, hash).await;
        let action = AuditAction::CitizenRefusedLocked.as_str();
        store.record_audit(&ctx, &action, &id.actor()).await?;
        return Err(CitizenError::Locked(locked_text(until)));
    }
    // An account made through OpenID Connect has no password: no password opens it.
    let right = verify_password(password, hash).await && login.password_hash.is_some();
    if !right {
        return Err(match store.record_citizen_login_failure(id, &ctx).await? {
            Some(until) => CitizenError::Locked(locked_text(until)),
            None => CitizenError::Wrong,
        });
    }
    Ok(start_session(store, &login.citizen, &ctx).await?)
}

/// The account and CSRF token of a session cookie, if it is live.
pub async fn citizen_session(
    store: &SqlStore,
    cookie: &str,
    now: Timestamp,
) -> Result<Option<(Citizen, String)>, AppError> {
    Ok(store.citizen_session(&secret_hash(cookie), now).await?)
}

/// Ends the session of a cookie (`ctx`: the account's, `CitizenId::actor`).
pub async fn sign_out(store: &SqlStore, cookie: &str, ctx: &AuditContext) -> Result<(), AppError> {
    Ok(store.end_citizen_session(&secret_hash(cookie), ctx).await?)
}

/// Changes what an account may change of itself; every field's error at once.
pub async fn update_profile(
    store: &SqlStore,
    citizen: &Citizen,
    form: &ProfileForm,
    ctx: &AuditContext,
) -> Result<Citizen, CitizenError> {
    let mut errors = FieldErrors::default();
    let full_name = check_full_name(&form.full_name, &mut errors);
    let id_number = match form.id_number.trim() {
        "" => None,
        text => parse_id_number(text)
            .map_err(|e| errors.push("id_number", e))
            .ok(),
    };
    let tax_code = match form.tax_code.trim() {
        "" if citizen.kind == CitizenKind::Business => {
            errors.push("tax_code", "Nhập mã số thuế của doanh nghiệp, tổ chức");
            None
        }
        "" => None,
        text => parse_tax_code(text)
            .map_err(|e| errors.push("tax_code", capitalise(&e)))
            .ok(),
    };
    if !errors.is_empty() {
        return Err(CitizenError::Fields(errors));
    }
    let profile = CitizenProfile {
        full_name,
        id_number,
        tax_code,
    };
    let ctx = as_actor(ctx, citizen.id.actor());
    Ok(store
        .update_citizen_profile(citizen.id, &profile, &ctx)
        .await?)
}

/// The dossiers an account submitted, newest first.
pub async fn dossiers(store: &SqlStore, id: CitizenId) -> Result<Vec<CitizenDossier>, AppError> {
    Ok(store.citizen_dossiers(id).await?)
}
