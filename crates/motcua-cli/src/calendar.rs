//! `motcua calendar …`: show, export and replace a year's schedule; explain a due date.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use motcua_app::calendar;
use motcua_calendar::{ExplanationStep, ProcessingDays, Schedule};
use motcua_core::Timestamp;
use motcua_store::SqlStore;

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Print a year's days off and make-up working days, with the decision they come from.
    Show {
        #[arg(long)]
        year: i32,
    },
    /// Print a year's schedule as JSON (to edit, then load with `calendar set`).
    Export {
        #[arg(long)]
        year: i32,
        /// Write to FILE instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Replace a year's schedule from a JSON file and re-plan the appointments of open dossiers.
    Set {
        /// The schedule (same JSON as `calendar export`).
        file: PathBuf,
    },
    /// Explain a due date step by step: of a stored dossier, or for given terms.
    Explain {
        /// A stored dossier's code.
        #[arg(long, conflicts_with_all = ["received", "days"])]
        dossier: Option<String>,
        /// Reception time, RFC 3339 (e.g. 2024-04-25T09:00:00+07:00).
        #[arg(long, requires = "days")]
        received: Option<String>,
        /// Processing time in working days (e.g. 3 or 0.5).
        #[arg(long, requires = "received")]
        days: Option<String>,
        /// Count in this unit's office hours.
        #[arg(long)]
        unit: Option<String>,
        /// Apply the 15:00 cut-off.
        #[arg(long)]
        cutoff: bool,
    },
}

pub async fn run(store: &SqlStore, command: CalendarCommand) -> Result<()> {
    match command {
        CalendarCommand::Show { year } => {
            let calendars = calendar::load(store).await?;
            crate::say(&show(&calendars.schedule(year)?))
        }
        CalendarCommand::Export { year, output } => {
            let calendars = calendar::load(store).await?;
            let json = calendars.schedule(year)?.to_json()?;
            match output {
                Some(path) => std::fs::write(&path, json + "\n")
                    .with_context(|| format!("không ghi được «{}»", path.display())),
                None => crate::say(&(json + "\n")),
            }
        }
        CalendarCommand::Set { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("không đọc được «{}»", file.display()))?;
            let schedule = Schedule::from_json(&text)
                .with_context(|| format!("lịch nghỉ trong «{}» không hợp lệ", file.display()))?;
            let year = schedule.year;
            let moves = calendar::set_schedule(store, schedule, &crate::cli_ctx()?).await?;
            let mut out = format!(
                "Đã lưu lịch nghỉ năm {year}. {} hồ sơ đang giải quyết được tính lại ngày hẹn trả.\n",
                moves.len()
            );
            for m in &moves {
                let _ = writeln!(out, "  {}: {} → {}", m.code, m.before, m.after);
            }
            crate::say(&out)
        }
        CalendarCommand::Explain {
            dossier,
            received,
            days,
            unit,
            cutoff,
        } => {
            if let Some(code) = dossier {
                let e = calendar::explain_dossier(store, &code).await?;
                let mut out = format!(
                    "Hồ sơ {} – {} – {} {}\n",
                    e.dossier.code, e.procedure.name, e.unit.label, e.unit.short_name
                );
                out.push_str(&steps(&e.steps));
                // The stored appointment against the calendar's, the pauses taken into account
                // (an ordinary supplement moves both alike); an apology's new date is apart.
                if e.computed != e.dossier.due_at {
                    let _ = writeln!(
                        out,
                        "Lưu ý: ngày hẹn trả đã lưu là {}, khác kết quả tính theo lịch hiện hành ({}): ngày hẹn do hệ thống khác ghi hoặc đã được điều chỉnh.",
                        vietnamese_time(e.dossier.due_at),
                        vietnamese_time(e.computed)
                    );
                }
                return crate::say(&out);
            }
            let (Some(received), Some(days)) = (received, days) else {
                bail!("cần --dossier MÃ, hoặc --received THỜI_ĐIỂM --days SỐ_NGÀY");
            };
            let received = Timestamp::parse(&received)
                .with_context(|| format!("--received «{received}» không hợp lệ"))?;
            let days: ProcessingDays = days.parse()?;
            let calendars = calendar::load(store).await?;
            let work = match unit {
                Some(code) => {
                    let units = store.units().await?;
                    let unit = units
                        .iter()
                        .find(|u| u.code.as_str() == code)
                        .with_context(|| format!("không có đơn vị mã «{code}»"))?;
                    calendars.for_unit(unit)
                }
                None => calendars.default_calendar(),
            };
            let explained = calendars
                .explain_terms(received, days, cutoff, &work)
                .map_err(anyhow::Error::msg)?;
            crate::say(&steps(&explained))
        }
    }
}

fn steps(steps: &[ExplanationStep]) -> String {
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{:>3}. {}\n", i + 1, s.text))
        .collect()
}

fn show(s: &Schedule) -> String {
    let mut out = format!(
        "Lịch nghỉ năm {}{}\nCăn cứ: {}\n\nNgày nghỉ:\n",
        s.year,
        if s.provisional {
            " (tạm tính theo Bộ luật Lao động, chưa có thông báo chính thức)"
        } else {
            ""
        },
        s.source
    );
    for d in &s.days_off {
        let _ = writeln!(
            out,
            "  {}  {}",
            motcua_calendar::format::date(d.date),
            d.reason
        );
    }
    if s.make_up_days.is_empty() {
        out.push_str("\nKhông có ngày làm bù.\n");
    } else {
        out.push_str("\nNgày làm bù:\n");
        for d in &s.make_up_days {
            let _ = writeln!(
                out,
                "  {}  {}",
                motcua_calendar::format::date(d.date),
                d.reason
            );
        }
    }
    out
}

/// An instant as people in Vietnam write it: `dd/mm/yyyy HH:MM`, in Vietnam's time.
fn vietnamese_time(t: Timestamp) -> String {
    t.to_local()
        .format(time::macros::format_description!(
            "[day]/[month]/[year] [hour]:[minute]"
        ))
        .unwrap_or_default()
}
