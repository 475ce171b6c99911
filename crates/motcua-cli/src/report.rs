//! `motcua report …` (the monthly report as text, HTML, DOCX or XLSX, dated as chosen) and
//! `motcua report-settings show|set` (what a unit's reports print of it: issuing body,
//! number symbol, place, signature, recipients).

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use motcua_core::letterhead::{Authority, ReportSettings};
use motcua_core::timestamp::Month;
use motcua_store::SqlStore;

/// The formats of the monthly report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Html,
    Docx,
    Xlsx,
}

/// A date as people type it (`05/06/2024`, `2024-06-05`).
pub fn parse_date(text: &str) -> Result<time::Date, String> {
    motcua_core::display::parse_date(text).ok_or_else(|| {
        format!("«{text}» không phải ngày: nhập dạng NGÀY/THÁNG/NĂM, ví dụ 05/06/2024")
    })
}

/// `motcua report`: the report of `unit` for `month`, dated `date` (default: the day after
/// the month, or today while it runs).
pub async fn report(
    store: &SqlStore,
    unit: &str,
    month: Month,
    date: Option<time::Date>,
    format: ReportFormat,
    output: Option<PathBuf>,
) -> Result<()> {
    let date = motcua_app::report_date(month, date, crate::now()?)?;
    let r = motcua_app::monthly_report(store, unit, month, date).await?;
    let bytes = match format {
        ReportFormat::Text => r.narrative.to_text().into_bytes(),
        ReportFormat::Html => motcua_report::html(&r.narrative, &r.letterhead)?.into_bytes(),
        ReportFormat::Docx | ReportFormat::Xlsx => {
            motcua_app::report_file(store, &r, format == ReportFormat::Xlsx).await?
        }
    };
    match output {
        Some(path) => std::fs::write(&path, &bytes)
            .with_context(|| format!("không ghi được «{}»", path.display())),
        None if matches!(format, ReportFormat::Text | ReportFormat::Html) => {
            crate::say(&String::from_utf8_lossy(&bytes))
        }
        None => anyhow::bail!("báo cáo DOCX, XLSX cần tên tệp: thêm --output TỆP"),
    }
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// What the unit's reports print (stored, or the defaults of its kind).
    Show {
        /// Unit code, e.g. vinh-linh.
        #[arg(long)]
        unit: String,
    },
    /// Changes what is given, keeping the rest.
    Set(Box<SetArgs>),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// Unit code, e.g. vinh-linh.
    #[arg(long)]
    unit: String,
    /// The signer's full name, e.g. "Nguyễn Văn An".
    #[arg(long)]
    signer: Option<String>,
    /// How the signer signs: head (CHỦ TỊCH), deputy (KT.), acting (Q.), by_order (TL.).
    #[arg(long, value_parser = parse_authority)]
    authority: Option<Authority>,
    /// The signer's own title when not the head, e.g. "PHÓ CHỦ TỊCH" ("" removes it).
    #[arg(long)]
    signer_title: Option<String>,
    /// The head's title, e.g. "CHỦ TỊCH", "TRƯỞNG PHÒNG".
    #[arg(long)]
    head_title: Option<String>,
    /// The collegial body signed for (TM.), e.g. "ỦY BAN NHÂN DÂN" ("" for none).
    #[arg(long)]
    on_behalf_of: Option<String>,
    /// The parent body printed above the issuer, e.g. "UBND HUYỆN VĨNH LINH" ("" for none).
    #[arg(long)]
    parent_body: Option<String>,
    /// The issuing body, one line per option, e.g. --issuer "ỦY BAN NHÂN DÂN" --issuer "XÃ VĨNH KHÊ".
    #[arg(long)]
    issuer: Vec<String>,
    /// The number symbol, e.g. BC-UBND.
    #[arg(long)]
    symbol: Option<String>,
    /// The place of the date line, e.g. "Vĩnh Linh".
    #[arg(long)]
    place: Option<String>,
    /// "Kính gửi", one addressee per option (replaces the list; --no-addressees empties it).
    #[arg(long)]
    addressee: Vec<String>,
    /// The report is addressed to no one ("Nơi nhận" then lists everyone).
    #[arg(long, conflicts_with = "addressee")]
    no_addressees: bool,
    /// "Nơi nhận", one recipient per option (replaces the list; --no-recipients empties it).
    #[arg(long)]
    recipient: Vec<String>,
    /// No recipient besides the addressees and the file copy.
    #[arg(long, conflicts_with = "recipient")]
    no_recipients: bool,
    /// The file copy, e.g. "VT, VP" (printed "- Lưu: VT, VP.").
    #[arg(long)]
    archive: Option<String>,
}

fn parse_authority(text: &str) -> Result<Authority, String> {
    Authority::parse(text).ok_or_else(|| {
        let all: Vec<&str> = Authority::ALL.iter().map(|a| a.as_str()).collect();
        format!("«{text}»: chọn một trong {}", all.join(", "))
    })
}

fn optional(text: String) -> Option<String> {
    (!text.trim().is_empty()).then_some(text)
}

impl SetArgs {
    fn apply(self, mut s: ReportSettings) -> ReportSettings {
        if let Some(v) = self.signer {
            s.signer = v;
        }
        if let Some(v) = self.authority {
            s.authority = v;
        }
        if let Some(v) = self.signer_title {
            s.signer_title = optional(v);
        }
        if let Some(v) = self.head_title {
            s.head_title = v;
        }
        if let Some(v) = self.on_behalf_of {
            s.on_behalf_of = optional(v);
        }
        if let Some(v) = self.parent_body {
            s.parent_body = optional(v);
        }
        if !self.issuer.is_empty() {
            s.issuer = self.issuer;
        }
        if let Some(v) = self.symbol {
            s.symbol = v;
        }
        if let Some(v) = self.place {
            s.place = v;
        }
        if self.no_addressees || !self.addressee.is_empty() {
            s.addressees = self.addressee;
        }
        if self.no_recipients || !self.recipient.is_empty() {
            s.recipients = self.recipient;
        }
        if let Some(v) = self.archive {
            s.archive = v;
        }
        s
    }
}

/// The settings as people read them, each line as the report prints it.
fn describe(s: &ReportSettings) -> String {
    let mut out = String::new();
    let l = s.letterhead(time::Date::MIN);
    let _ = writeln!(
        out,
        "Cơ quan chủ quản: {}",
        s.parent_body.as_deref().unwrap_or("(không có)")
    );
    let _ = writeln!(out, "Cơ quan ban hành: {}", s.issuer.join(" / "));
    let _ = writeln!(
        out,
        "Số, ký hiệu: {}",
        l.number.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let _ = writeln!(out, "Địa danh: {}", s.place);
    let _ = writeln!(out, "Ký: {}", l.signature.join(" / "));
    let _ = writeln!(
        out,
        "Người ký: {}",
        if s.signer.is_empty() {
            "(chưa đặt: motcua report-settings set --signer \"Họ và tên\")"
        } else {
            &s.signer
        }
    );
    if l.addressees.is_empty() {
        let _ = writeln!(out, "Kính gửi: (không có)");
    } else {
        let _ = writeln!(out, "Kính gửi: {}", l.addressees.join(" "));
    }
    let _ = writeln!(out, "Nơi nhận:");
    for r in &l.recipients {
        let _ = writeln!(out, "  {r}");
    }
    out
}

/// `motcua report-settings …`.
pub async fn settings(store: &SqlStore, command: SettingsCommand) -> Result<()> {
    match command {
        SettingsCommand::Show { unit } => {
            let s = motcua_app::report_settings(store, &unit).await?;
            crate::say(&describe(&s))
        }
        SettingsCommand::Set(args) => {
            let unit = args.unit.clone();
            let current = motcua_app::report_settings(store, &unit).await?;
            let changed = (*args).apply(current);
            let s =
                motcua_app::set_report_settings(store, &unit, &changed, &crate::cli_ctx()?).await?;
            crate::say(&describe(&s))
        }
    }
}
