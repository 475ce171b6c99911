//! [`Store`] for [`SqlStore`]: each method forwards to the inherent method of the same name
//! and signature (in the module of its concern).

use std::collections::HashMap;

use motcua_calendar::Schedule;
use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, AuditFilter, AuditRecord, Principal, User, Username};
use motcua_core::dossier::{Dossier, DossierCode, DueMove};
use motcua_core::history::DossierEvent;
use motcua_core::interchange::ImportPlan;
use motcua_core::procedure::Procedure;
use motcua_core::timestamp::Month;
use motcua_core::unit::{Unit, UnitCode};

use crate::access::{NewSession, NewToken, NewUser};
use crate::{
    Change, HeldDossier, IdempotencyRecord, ImportBatch, ImportSummary, Prior, SqlStore, Store,
    StoreError,
};

impl Store for SqlStore {
    async fn ping(&self) -> Result<(), StoreError> {
        SqlStore::ping(self).await
    }

    async fn units(&self) -> Result<Vec<Unit>, StoreError> {
        SqlStore::units(self).await
    }

    async fn procedures(&self) -> Result<Vec<Procedure>, StoreError> {
        SqlStore::procedures(self).await
    }

    async fn dossiers(&self) -> Result<Vec<Dossier>, StoreError> {
        SqlStore::dossiers(self).await
    }

    async fn dossiers_for_indicators(
        &self,
        units: &[UnitCode],
        month: Month,
    ) -> Result<Vec<Dossier>, StoreError> {
        SqlStore::dossiers_for_indicators(self, units, month).await
    }

    async fn catalogue(
        &self,
    ) -> Result<std::sync::Arc<motcua_core::catalogue::Catalogue>, StoreError> {
        SqlStore::catalogue(self).await
    }

    async fn unit_counts(
        &self,
        units: Option<&[UnitCode]>,
        months: &[Month],
    ) -> Result<HashMap<UnitCode, Vec<motcua_core::counts::Counts>>, StoreError> {
        SqlStore::unit_counts(self, units, months).await
    }

    async fn close_month(
        &self,
        month: Month,
        ctx: &AuditContext,
    ) -> Result<motcua_core::close::MonthClose, StoreError> {
        SqlStore::close_month(self, month, ctx).await
    }

    async fn month_closes(&self) -> Result<Vec<motcua_core::close::MonthClose>, StoreError> {
        SqlStore::month_closes(self).await
    }

    async fn closed_counts(
        &self,
        units: Option<&[UnitCode]>,
        months: &[Month],
    ) -> Result<HashMap<Month, HashMap<UnitCode, motcua_core::counts::Counts>>, StoreError> {
        SqlStore::closed_counts(self, units, months).await
    }

    async fn check_aggregates(
        &self,
    ) -> Result<Vec<motcua_core::aggregate::Difference>, StoreError> {
        SqlStore::check_aggregates(self).await
    }

    async fn apply_import(
        &self,
        plan: &ImportPlan,
        ctx: &AuditContext,
    ) -> Result<ImportSummary, StoreError> {
        SqlStore::apply_import(self, plan, ctx).await
    }

    async fn import(
        &self,
        batch: ImportBatch<'_>,
        ctx: &AuditContext,
    ) -> Result<ImportSummary, StoreError> {
        SqlStore::import(self, batch, ctx).await
    }

    async fn last_received_at(&self) -> Result<Option<Timestamp>, StoreError> {
        SqlStore::last_received_at(self).await
    }

    async fn open_dossiers(&self) -> Result<Vec<Dossier>, StoreError> {
        SqlStore::open_dossiers(self).await
    }

    async fn dossier(&self, code: &DossierCode) -> Result<Option<Dossier>, StoreError> {
        SqlStore::dossier(self, code).await
    }

    async fn schedules(&self) -> Result<Vec<Schedule>, StoreError> {
        SqlStore::schedules(self).await
    }

    async fn replace_schedule(
        &self,
        schedule: &Schedule,
        moves: &[DueMove],
        ctx: &AuditContext,
    ) -> Result<Vec<DueMove>, StoreError> {
        SqlStore::replace_schedule(self, schedule, moves, ctx).await
    }

    async fn create_user(&self, new: &NewUser, ctx: &AuditContext) -> Result<User, StoreError> {
        SqlStore::create_user(self, new, ctx).await
    }

    async fn user_by_name(&self, name: &Username) -> Result<Option<(User, String)>, StoreError> {
        SqlStore::user_by_name(self, name).await
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        SqlStore::users(self).await
    }

    async fn set_password(
        &self,
        user_id: i64,
        hash: &str,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        SqlStore::set_password(self, user_id, hash, ctx).await
    }

    async fn record_login_failure(
        &self,
        user_id: i64,
        ctx: &AuditContext,
    ) -> Result<User, StoreError> {
        SqlStore::record_login_failure(self, user_id, ctx).await
    }

    async fn start_session(
        &self,
        user_id: i64,
        session: &NewSession,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        SqlStore::start_session(self, user_id, session, ctx).await
    }

    async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(User, String)>, StoreError> {
        SqlStore::session(self, token_hash, now).await
    }

    async fn end_session(&self, token_hash: &str, ctx: &AuditContext) -> Result<(), StoreError> {
        SqlStore::end_session(self, token_hash, ctx).await
    }

    async fn create_token(&self, new: &NewToken, ctx: &AuditContext) -> Result<(), StoreError> {
        SqlStore::create_token(self, new, ctx).await
    }

    async fn token(&self, token_hash: &str) -> Result<Option<Principal>, StoreError> {
        SqlStore::token(self, token_hash).await
    }

    async fn revoke_token(&self, name: &str, ctx: &AuditContext) -> Result<bool, StoreError> {
        SqlStore::revoke_token(self, name, ctx).await
    }

    async fn record_audit(
        &self,
        ctx: &AuditContext,
        action: &str,
        target: &str,
    ) -> Result<(), StoreError> {
        SqlStore::record_audit(self, ctx, action, target).await
    }

    async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError> {
        SqlStore::audit(self, filter).await
    }

    async fn issue_receipt(
        &self,
        new: &motcua_core::fees::NewReceipt,
        ctx: &AuditContext,
        key: Option<IdempotencyRecord<motcua_core::fees::Receipt>>,
    ) -> Result<motcua_core::fees::Receipt, StoreError> {
        SqlStore::issue_receipt(self, new, ctx, key).await
    }

    async fn receipts(
        &self,
        unit: &UnitCode,
        year: i32,
    ) -> Result<Vec<motcua_core::fees::Receipt>, StoreError> {
        SqlStore::receipts(self, unit, year).await
    }

    async fn receive_dossier(
        &self,
        new: &Dossier,
        state: &motcua_core::lifecycle::Lifecycle,
        details: &motcua_core::details::Details,
        ctx: &AuditContext,
        key: Option<IdempotencyRecord<Dossier>>,
    ) -> Result<Dossier, StoreError> {
        SqlStore::receive_dossier(self, new, state, details, ctx, key).await
    }

    async fn lifecycle(
        &self,
        code: &DossierCode,
    ) -> Result<Option<motcua_core::lifecycle::Lifecycle>, StoreError> {
        SqlStore::lifecycle(self, code).await
    }

    async fn held_dossier(&self, code: &DossierCode) -> Result<Option<HeldDossier>, StoreError> {
        SqlStore::held_dossier(self, code).await
    }

    async fn apply_change(
        &self,
        before: &HeldDossier,
        after: (
            &Dossier,
            &motcua_core::lifecycle::Lifecycle,
            Option<&motcua_core::details::Details>,
        ),
        change: &Change<'_>,
        ctx: &AuditContext,
        key: Option<IdempotencyRecord<()>>,
    ) -> Result<(), StoreError> {
        SqlStore::apply_change(self, before, after, change, ctx, key).await
    }

    async fn details(
        &self,
        code: &DossierCode,
    ) -> Result<Option<motcua_core::details::Details>, StoreError> {
        SqlStore::details(self, code).await
    }

    async fn dossier_receipts(
        &self,
        code: &DossierCode,
    ) -> Result<Vec<motcua_core::fees::Receipt>, StoreError> {
        SqlStore::dossier_receipts(self, code).await
    }

    async fn idempotency_answer(
        &self,
        principal: &str,
        key: &str,
        request: &str,
    ) -> Result<Option<Prior>, StoreError> {
        SqlStore::idempotency_answer(self, principal, key, request).await
    }

    async fn dossier_events(&self, code: &DossierCode) -> Result<Vec<DossierEvent>, StoreError> {
        SqlStore::dossier_events(self, code).await
    }

    async fn create_follow_up(
        &self,
        f: &motcua_core::followup::FollowUp,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        SqlStore::create_follow_up(self, f, ctx).await
    }

    async fn submit_follow_up(
        &self,
        unit: &UnitCode,
        month: Month,
        s: &motcua_core::followup::Submission,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        SqlStore::submit_follow_up(self, unit, month, s, ctx).await
    }

    async fn follow_ups(
        &self,
        month: Month,
    ) -> Result<Vec<motcua_core::followup::FollowUp>, StoreError> {
        SqlStore::follow_ups(self, month).await
    }

    async fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        SqlStore::setting(self, name).await
    }

    async fn set_setting(
        &self,
        name: &str,
        value: &str,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        SqlStore::set_setting(self, name, value, ctx).await
    }
}
