//! Follow-ups of units below target: the unit above asks for a remediation report by a date;
//! the unit submits it; both see where each stands.

use motcua_core::Timestamp;
use motcua_core::access::{Action, AuditContext, Principal};
use motcua_core::followup::{FollowUp, FollowUpState, Submission};
use motcua_core::report::judge;
use motcua_core::timestamp::Month;
use motcua_core::unit::{UnitCode, UnitTree};
use motcua_store::SqlStore;
use time::Date;

use crate::AppError;

/// Asks `unit` for its remediation report on `month` by `due`. The principal must be allowed
/// follow-ups and the unit must lie strictly below the principal's unit; the unit must be
/// below target that month (the follow-up records which indicators).
pub async fn create(
    store: &SqlStore,
    principal: &Principal,
    unit: &str,
    month: Month,
    due: Date,
    ctx: &AuditContext,
) -> Result<FollowUp, AppError> {
    let tree = UnitTree::new(store.units().await?)?;
    let target = tree
        .find(unit)
        .ok_or_else(|| AppError::UnknownUnit(unit.to_owned()))?
        .clone();
    principal.check(&tree, Action::FollowUp, &target.code)?;
    if target.code == principal.unit {
        return Err(AppError::Refused(
            "yêu cầu báo cáo khắc phục do đơn vị cấp trên gửi cho đơn vị cấp dưới".to_owned(),
        ));
    }
    if !motcua_core::followup::month_finished(month, ctx.at.local_date()) {
        return Err(AppError::Refused(format!(
            "Tháng {}/{} chưa kết thúc; chỉ yêu cầu báo cáo khắc phục khi đã có số liệu cả tháng",
            month.number(),
            month.year()
        )));
    }
    if due < ctx.at.local_date() {
        return Err(AppError::Refused(
            "hạn báo cáo khắc phục không được trước hôm nay".to_owned(),
        ));
    }
    let report = crate::indicators(store, unit, month).await?;
    // The month has ended: every defined rate is judged.
    let misses: Vec<String> = judge(&report, &crate::targets(store).await?, true)
        .into_iter()
        .flat_map(|j| j.misses)
        .collect();
    if misses.is_empty() {
        return Err(AppError::Refused(format!(
            "{} {} đạt mọi chỉ tiêu trong tháng {}/{}; không cần báo cáo khắc phục",
            target.label,
            target.short_name,
            month.number(),
            month.year()
        )));
    }
    let f = FollowUp {
        unit: target.code.clone(),
        month,
        due,
        note: misses.join("; "),
        created_at: ctx.at,
        created_by: ctx.actor.clone(),
        submitted: None,
    };
    store.create_follow_up(&f, ctx).await?;
    Ok(f)
}

/// The deadline the request form proposes for `month`'s remediation reports at `now`: the
/// report's usual date, or today + [`motcua_core::followup::WORKING_DAYS_TO_REPORT`] working
/// days of `unit`'s calendar when that date is near or past.
pub async fn proposed_due(
    store: &SqlStore,
    month: Month,
    now: Timestamp,
    unit: &motcua_core::unit::Unit,
) -> Result<Date, AppError> {
    let calendars = crate::calendar::load(store).await?;
    let earliest = calendars
        .working_days_after(now, motcua_core::followup::WORKING_DAYS_TO_REPORT, unit)
        .map_err(AppError::Calendar)?
        .local_date();
    Ok(motcua_core::followup::proposed_due(month, earliest))
}

/// The follow-ups of every month of the units in `unit`'s subtree, newest month first, with
/// their state at `now`.
pub async fn list_all(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    now: Timestamp,
) -> Result<Vec<(FollowUp, FollowUpState)>, AppError> {
    let tree = UnitTree::new(store.units().await?)?;
    principal.check(&tree, Action::ViewIndicators, unit)?;
    Ok(store
        .all_follow_ups()
        .await?
        .into_iter()
        .filter(|f| tree.is_within(&f.unit, unit))
        .map(|f| {
            let state = f.state(now);
            (f, state)
        })
        .collect())
}

/// Records the unit's remediation report: by the unit's own leaders and administrators, or by
/// those of a unit above on its behalf (a report received as an official letter).
pub async fn submit(
    store: &SqlStore,
    principal: &Principal,
    unit: &str,
    month: Month,
    report: &str,
    ctx: &AuditContext,
) -> Result<(), AppError> {
    let tree = UnitTree::new(store.units().await?)?;
    let target = tree
        .find(unit)
        .ok_or_else(|| AppError::UnknownUnit(unit.to_owned()))?;
    principal.check(&tree, Action::FollowUp, &target.code)?;
    FollowUp::check_report(report).map_err(AppError::Refused)?;
    let s = Submission {
        at: ctx.at,
        by: ctx.actor.clone(),
        report: report.trim().to_owned(),
    };
    store.submit_follow_up(&target.code, month, &s, ctx).await?;
    Ok(())
}

/// The follow-ups of a month of the units in `unit`'s subtree (which must lie in the
/// principal's), with their state at `now`.
pub async fn list(
    store: &SqlStore,
    principal: &Principal,
    unit: &UnitCode,
    month: Month,
    now: Timestamp,
) -> Result<Vec<(FollowUp, FollowUpState)>, AppError> {
    let tree = UnitTree::new(store.units().await?)?;
    principal.check(&tree, Action::ViewIndicators, unit)?;
    Ok(store
        .follow_ups(month)
        .await?
        .into_iter()
        .filter(|f| tree.is_within(&f.unit, unit))
        .map(|f| {
            let state = f.state(now);
            (f, state)
        })
        .collect())
}
