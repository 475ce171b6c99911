//! `motcua user …` and `motcua token …`: accounts and API tokens from the command line (the
//! first administrator is made here; later ones on the web page too).

use std::fmt::Write as _;
use std::io::BufRead;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use motcua_app::auth;
use motcua_core::access::Role;
use motcua_core::unit::UnitTree;
use motcua_store::SqlStore;

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!(
            "vai trò không hợp lệ «{text}»; chọn một trong: {}",
            names.join(", ")
        )
    })
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. Without --password-stdin a password is generated and printed once.
    Add {
        /// User name: 3–64 lower-case letters, digits, '.', '_' or '-'.
        #[arg(long)]
        username: String,
        /// Full name shown in the pages.
        #[arg(long, default_value = "")]
        name: String,
        /// The unit the account belongs to (it acts in that unit and everything below it).
        #[arg(long)]
        unit: String,
        /// reception, specialist, leader, admin or viewer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (and unlock the account). Without --password-stdin one is generated.
    Password {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts.
    List,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for an integration; the secret is printed once and never stored.
    Add {
        /// A name for the integration, unique.
        #[arg(long)]
        name: String,
        /// The unit whose data the token may read (and write, with --write).
        #[arg(long)]
        unit: String,
        /// Allow changes (receiving and processing dossiers, imports), not only reading.
        #[arg(long)]
        write: bool,
    },
    /// Revoke a token by name.
    Revoke { name: String },
}

/// The password to set: from standard input, or generated (and then shown).
fn password(from_stdin: bool) -> Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("không đọc được mật khẩu từ đầu vào chuẩn")?;
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        if line.is_empty() {
            bail!("đầu vào chuẩn không có mật khẩu (dòng đầu trống)");
        }
        Ok((line, false))
    } else {
        Ok((auth::random_password()?, true))
    }
}

pub async fn user(store: &SqlStore, command: UserCommand) -> Result<()> {
    let ctx = crate::cli_ctx()?;
    match command {
        UserCommand::Add {
            username,
            name,
            unit,
            role,
            password_stdin,
        } => {
            let (password, generated) = password(password_stdin)?;
            let user =
                auth::create_user(store, &username, &name, &unit, role, &password, &ctx).await?;
            let mut out = format!(
                "Đã tạo tài khoản «{}» ({}, đơn vị {}).\n",
                user.username,
                role.name_vi(),
                user.unit
            );
            if generated {
                let _ = writeln!(
                    out,
                    "Mật khẩu: {password}\n(chỉ hiện một lần; người dùng nên đổi mật khẩu sau lần đăng nhập đầu)"
                );
            }
            crate::say(&out)
        }
        UserCommand::Password {
            username,
            password_stdin,
        } => {
            let (password, generated) = password(password_stdin)?;
            auth::reset_password(store, &username, &password, &ctx).await?;
            let mut out = format!(
                "Đã đặt mật khẩu mới cho «{username}»; các phiên đăng nhập cũ đã kết thúc.\n"
            );
            if generated {
                let _ = writeln!(out, "Mật khẩu: {password}");
            }
            crate::say(&out)
        }
        UserCommand::List => {
            let tree = UnitTree::new(store.units().await?)?;
            let users = store.users().await?;
            if users.is_empty() {
                return crate::say(
                    "Chưa có tài khoản nào. Tạo quản trị đầu tiên: motcua user add --username quan-tri --unit MÃ_ĐƠN_VỊ --role admin\n",
                );
            }
            let mut out = String::new();
            for u in users {
                let unit = tree
                    .get(&u.unit)
                    .map_or_else(|| u.unit.to_string(), |x| x.name.clone());
                let _ = writeln!(
                    out,
                    "{:<24} {:<18} {:<24} {}",
                    u.username.as_str(),
                    u.role.name_vi(),
                    u.display_name,
                    unit
                );
            }
            crate::say(&out)
        }
    }
}

pub async fn token(store: &SqlStore, command: TokenCommand) -> Result<()> {
    let ctx = crate::cli_ctx()?;
    match command {
        TokenCommand::Add { name, unit, write } => {
            let secret = auth::create_token(store, &name, &unit, write, &ctx).await?;
            crate::say(&format!(
                "Đã tạo mã truy cập «{name}» cho đơn vị {unit} ({}).\n\
                 Mã (chỉ hiện một lần, gửi kèm tiêu đề «Authorization: Bearer MÃ»):\n{secret}\n",
                if write {
                    "đọc và ghi"
                } else {
                    "chỉ đọc"
                }
            ))
        }
        TokenCommand::Revoke { name } => {
            if store.revoke_token(&name, &ctx).await? {
                crate::say(&format!("Đã thu hồi mã truy cập «{name}».\n"))
            } else {
                bail!("không có mã truy cập «{name}» nào đang hiệu lực")
            }
        }
    }
}
