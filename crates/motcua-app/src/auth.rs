//! Accounts and sign-in: argon2id password hashes (computed off the async executor), sessions
//! and API tokens (random 256-bit secrets of which only the SHA-256 is stored), lockout after
//! repeated wrong passwords. Every write goes through the store with an [`AuditContext`], so it
//! lands in the audit trail.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, Principal, Role, User, Username, check_password_rule};
use motcua_core::audit::AuditAction;
use motcua_core::unit::UnitCode;
use motcua_store::{NewSession, NewToken, NewUser, SqlStore};
use sha2::{Digest, Sha256};

use crate::AppError;

/// How long a sign-in lasts.
pub const SESSION_HOURS: i64 = 12;

/// The longest full name (họ tên) of an account, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 300;

/// A random secret: 32 bytes as 64 hexadecimal digits.
pub fn random_secret() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Auth(format!("nguồn ngẫu nhiên: {e}")))?;
    Ok(hex(&bytes))
}

/// A random password easy to read out and type: three groups of four letters and digits
/// without look-alikes (no 0/o, 1/l/i), e.g. `k7mp-3xqa-9fze`; about 59 bits.
pub fn random_password() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Auth(format!("nguồn ngẫu nhiên: {e}")))?;
    let mut out = String::with_capacity(14);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        // 256 is not a multiple of 31, so the first nine symbols are a hair likelier; the
        // loss is a small fraction of a bit.
        out.push(char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]));
    }
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The stored form of a session cookie or an API token.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// An argon2id hash (PHC string) of a password, computed on a blocking thread (~40 ms).
pub async fn hash_password(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Auth(format!("không băm được mật khẩu: {e}")))
    })
    .await
    .map_err(|e| AppError::Auth(e.to_string()))?
}

pub(crate) async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// Creates an account after checking the user name, unit and password rule.
pub async fn create_user(
    store: &SqlStore,
    username: &str,
    display_name: &str,
    unit: &str,
    role: Role,
    password: &str,
    ctx: &AuditContext,
) -> Result<User, AppError> {
    let username = Username::parse(username).map_err(AppError::Auth)?;
    check_password_rule(password).map_err(AppError::Auth)?;
    let display_name = display_name.trim();
    motcua_core::freetext::check_line(display_name, MAX_DISPLAY_NAME_CHARS)
        .map_err(|e| AppError::Auth(format!("họ tên {e}")))?;
    let unit_code = UnitCode::parse(unit).map_err(|e| AppError::Auth(e.to_string()))?;
    if !store.units().await?.iter().any(|u| u.code == unit_code) {
        return Err(AppError::UnknownUnit(unit.to_owned()));
    }
    if store.user_by_name(&username).await?.is_some() {
        return Err(AppError::Auth(format!("tên đăng nhập «{username}» đã có")));
    }
    let new = NewUser {
        display_name: if display_name.is_empty() {
            username.to_string()
        } else {
            display_name.to_owned()
        },
        username,
        unit: unit_code,
        role,
        password_hash: hash_password(password).await?,
    };
    Ok(store.create_user(&new, ctx).await?)
}

/// A successful sign-in: the cookie value to hand to the browser (only its hash is stored)
/// and the session's CSRF token.
pub struct SignedIn {
    pub user: User,
    pub cookie: String,
    pub csrf: String,
}

/// Why a sign-in was refused. Unknown user and wrong password read the same, so that the
/// page does not reveal which accounts exist.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("tên đăng nhập hoặc mật khẩu không đúng")]
    Wrong,
    #[error(
        "tài khoản đang tạm khóa đến {0} do nhập sai mật khẩu nhiều lần; hãy thử lại sau hoặc liên hệ quản trị"
    )]
    Locked(String),
    #[error("tài khoản đã bị khóa; hãy liên hệ quản trị hệ thống")]
    Disabled,
    #[error(transparent)]
    App(#[from] AppError),
}

pub(crate) fn locked_text(t: Timestamp) -> String {
    let l = t.to_local();
    format!(
        "{:02}:{:02} ngày {:02}/{:02}/{}",
        l.hour(),
        l.minute(),
        l.day(),
        l.month() as u8,
        l.year()
    )
}

/// Checks a user name and password; opens a session on success. Failures are counted and
/// audited; the account locks after [`motcua_core::access::LOCKOUT_THRESHOLD`] in a row. A
/// name no account has is counted and locked the same way (`SqlStore::record_unknown_login`), so
/// neither the answer nor its time tells whether an account exists.
pub async fn login(
    store: &SqlStore,
    username: &str,
    password: &str,
    ctx: &AuditContext,
) -> Result<SignedIn, LoginError> {
    let name = Username::parse(username).ok();
    let found = match &name {
        Some(n) => store.user_by_name(n).await.map_err(AppError::from)?,
        None => None,
    };
    let Some((user, hash)) = found else {
        // A name no account has is answered as an account would be: the time a real check
        // takes, the failure counted, and the same lock after the same number of tries.
        let _ = verify_password(password, DUMMY_HASH).await;
        let locked = store
            .record_unknown_login(username, ctx)
            .await
            .map_err(AppError::from)?;
        return Err(match locked {
            Some(until) => LoginError::Locked(locked_text(until)),
            None => LoginError::Wrong,
        });
    };
    if let Some(until) = user.locked_until
        && until > ctx.at
    {
        // The time a check takes, as for a name no account has (the answer is the lock).
        let _ = verify_password(password, &hash).await;
        store
            .record_audit(ctx, "login.refused_locked", user.username.as_str())
            .await
            .map_err(AppError::from)?;
        return Err(LoginError::Locked(locked_text(until)));
    }
    if !verify_password(password, &hash).await {
        let now = store
            .record_login_failure(user.id, ctx)
            .await
            .map_err(AppError::from)?;
        return Err(match now.locked_until {
            Some(until) if until > ctx.at => LoginError::Locked(locked_text(until)),
            _ => LoginError::Wrong,
        });
    }
    if user.disabled {
        // Told only to whoever knows the password: the answer reveals nothing to others.
        store
            .record_audit(
                ctx,
                &AuditAction::LoginRefusedDisabled.as_str(),
                user.username.as_str(),
            )
            .await
            .map_err(AppError::from)?;
        return Err(LoginError::Disabled);
    }
    let cookie = random_secret()?;
    let csrf = random_secret()?;
    let session = NewSession {
        token_hash: secret_hash(&cookie),
        csrf: csrf.clone(),
        expires_at: Timestamp::from_micros(ctx.at.as_micros() + SESSION_HOURS * 3_600_000_000),
    };
    store
        .start_session(user.id, &session, ctx)
        .await
        .map_err(AppError::from)?;
    Ok(SignedIn { user, cookie, csrf })
}

/// A PHC string of the default parameters, verified against when the user does not exist.
pub(crate) const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5fo8I6nWl0Xo6q6H0d4wEJ4O+5MY2wk9dQ5B2c4l8Ho";

/// The account and CSRF token of a session cookie, if it is live.
pub async fn session(
    store: &SqlStore,
    cookie: &str,
    now: Timestamp,
) -> Result<Option<(User, String)>, AppError> {
    Ok(store.session(&secret_hash(cookie), now).await?)
}

/// Ends the session of a cookie.
pub async fn logout(store: &SqlStore, cookie: &str, ctx: &AuditContext) -> Result<(), AppError> {
    Ok(store.end_session(&secret_hash(cookie), ctx).await?)
}

/// Changes a password after checking the current one.
pub async fn change_password(
    store: &SqlStore,
    user: &User,
    current: &str,
    new: &str,
    ctx: &AuditContext,
) -> Result<(), AppError> {
    let (_, hash) = store
        .user_by_name(&user.username)
        .await?
        .ok_or_else(|| AppError::Auth("tài khoản không còn tồn tại".to_owned()))?;
    if !verify_password(current, &hash).await {
        return Err(AppError::Auth("mật khẩu hiện tại không đúng".to_owned()));
    }
    check_password_rule(new).map_err(AppError::Auth)?;
    let hash = hash_password(new).await?;
    Ok(store.set_password(user.id, &hash, ctx).await?)
}

/// Sets a password without the current one (an administrator's reset, the command line).
pub async fn reset_password(
    store: &SqlStore,
    username: &str,
    new: &str,
    ctx: &AuditContext,
) -> Result<(), AppError> {
    let name = Username::parse(username).map_err(AppError::Auth)?;
    let (user, _) = store
        .user_by_name(&name)
        .await?
        .ok_or_else(|| AppError::Auth(format!("không có tài khoản «{name}»")))?;
    check_password_rule(new).map_err(AppError::Auth)?;
    let hash = hash_password(new).await?;
    Ok(store.set_password(user.id, &hash, ctx).await?)
}

/// Creates an API token for `unit`; returns the secret, shown once and never stored.
pub async fn create_token(
    store: &SqlStore,
    name: &str,
    unit: &str,
    write: bool,
    ctx: &AuditContext,
) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(AppError::Auth(
            "tên mã truy cập phải có từ 1 đến 100 ký tự".to_owned(),
        ));
    }
    let unit_code = UnitCode::parse(unit).map_err(|e| AppError::Auth(e.to_string()))?;
    if !store.units().await?.iter().any(|u| u.code == unit_code) {
        return Err(AppError::UnknownUnit(unit.to_owned()));
    }
    let secret = format!("mc_{}", random_secret()?);
    store
        .create_token(
            &NewToken {
                name: name.to_owned(),
                token_hash: secret_hash(&secret),
                unit: unit_code,
                write,
            },
            ctx,
        )
        .await?;
    Ok(secret)
}

/// The principal of a bearer token, if it is live.
pub async fn token(store: &SqlStore, secret: &str) -> Result<Option<Principal>, AppError> {
    Ok(store.token(&secret_hash(secret)).await?)
}

/// An administrator's reset: a new random password, shown once to the administrator and to
/// be changed by the account at its next sign-in.
pub async fn temporary_password(
    store: &SqlStore,
    user_id: i64,
    ctx: &AuditContext,
) -> Result<String, AppError> {
    let password = random_password()?;
    let hash = hash_password(&password).await?;
    store.reset_password(user_id, &hash, ctx).await?;
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_hashed() -> Result<(), AppError> {
        let (a, b) = (random_secret()?, random_secret()?);
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(secret_hash(&a).len(), 64);
        assert_ne!(secret_hash(&a), a);
        Ok(())
    }

    #[test]
    fn generated_passwords_pass_the_rule() -> Result<(), AppError> {
        let a = random_password()?;
        assert_eq!(a.len(), 14);
        assert_eq!(a.matches('-').count(), 2);
        assert!(check_password_rule(&a).is_ok());
        assert_ne!(a, random_password()?);
        Ok(())
    }

    #[tokio::test]
    async fn hashes_verify_only_their_password() -> Result<(), AppError> {
        let h = hash_password("mật-khẩu-đúng").await?;
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("mật-khẩu-đúng"));
        assert!(verify_password("mật-khẩu-đúng", &h).await);
        assert!(!verify_password("mật-khẩu-sai", &h).await);
        assert!(!verify_password("x", DUMMY_HASH).await);
        Ok(())
    }

    #[tokio::test]
    async fn full_names_are_bounded_lines() -> Result<(), Box<dyn std::error::Error>> {
        let db = motcua_testkit::sqlite_db();
        let store = motcua_store::SqlStore::connect(&db.url).await?;
        let ctx = motcua_testkit::ctx("test", Timestamp::from_micros(0));
        for (name, said) in [
            (
                "Ư".repeat(MAX_DISPLAY_NAME_CHARS + 1),
                "họ tên dài 301 ký tự",
            ),
            (
                "Nguyễn\u{1b}[2J Văn A".to_owned(),
                "họ tên chứa ký tự điều khiển U+001B",
            ),
        ] {
            let e = create_user(
                &store,
                "can-bo",
                &name,
                "vinh-khe",
                Role::Viewer,
                "motcua-2024",
                &ctx,
            )
            .await
            .err()
            .ok_or("accepted")?;
            assert!(e.to_string().contains(said), "{e}");
        }
        store.close().await?;
        Ok(())
    }
}
