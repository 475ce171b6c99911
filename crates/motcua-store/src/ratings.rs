//! Ratings (issue 19): what comes with a citizen's rating of a dossier (`dossier_ratings`:
//! the comment, where, when and who; the rating itself is the dossier's `rating` column,
//! written by [`SqlStore::apply_change`] with [`crate::Change::Rating`] in the same
//! transaction as this row), the key that signs the rating links, and the desk's tablets
//! (`rating_kiosks`, by the SHA-256 of their token).

use motcua_core::Timestamp;
use motcua_core::access::AuditContext;
use motcua_core::audit::AuditAction;
use motcua_core::dossier::DossierCode;
use motcua_core::rating::{Comment, Rating, RatingChannel, RatingError, RatingInput};
use motcua_core::unit::UnitCode;
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::StoreError;
use crate::access::audit;
use crate::sql::{SqlStore, stmt};

/// The setting holding the key of the rating links (hex).
const LINK_KEY_SETTING: &str = "rating_link_key";

/// A rating as stored: what the citizen chose and wrote, where and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRating {
    pub rating: Rating,
    pub comment: Comment,
    pub channel: RatingChannel,
    pub rated_at: Timestamp,
}

impl SqlStore {
    /// The rating of a dossier with its comment; `None` when it has none.
    pub async fn dossier_rating(
        &self,
        code: &DossierCode,
    ) -> Result<Option<StoredRating>, StoreError> {
        let db = &self.db;
        let row = db
            .query_one_raw(stmt(
                db,
                "SELECT dossier_code, rating, comment, channel, rated_at FROM dossier_ratings \
                 WHERE dossier_code = $1",
                vec![code.as_str().into()],
            ))
            .await?;
        let Some(row) = row else { return Ok(None) };
        let r = crate::rows::reader(&row, "dossier_ratings", "dossier_code");
        Ok(Some(StoredRating {
            rating: r.parse("rating", Rating::parse)?,
            comment: r.parse("comment", |t| Comment::parse(t).ok())?,
            channel: r.parse("channel", RatingChannel::parse)?,
            rated_at: r.timestamp("rated_at")?,
        }))
    }

    /// The key that signs the rating links: the stored one, or `candidate` stored now when
    /// there is none yet (two nodes racing keep the first). Its creation is audited without
    /// its value.
    pub async fn rating_link_key(
        &self,
        candidate: &str,
        ctx: &AuditContext,
    ) -> Result<String, StoreError> {
        if let Some(key) = self.setting(LINK_KEY_SETTING).await? {
            return Ok(key);
        }
        let db = &self.db;
        let txn = db.begin().await?;
        let done = txn
            .execute_raw(stmt(
                &txn,
                "INSERT INTO settings (name, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (name) DO NOTHING",
                vec![
                    LINK_KEY_SETTING.into(),
                    candidate.into(),
                    ctx.at.as_micros().into(),
                    ctx.actor.clone().into(),
                ],
            ))
            .await?;
        if done.rows_affected() == 1 {
            audit(
                &txn,
                ctx,
                &AuditAction::RatingKeyCreate.as_str(),
                LINK_KEY_SETTING,
                &serde_json::Value::Null,
                &serde_json::Value::Null,
            )
            .await?;
        }
        txn.commit().await?;
        self.setting(LINK_KEY_SETTING)
            .await?
            .ok_or_else(|| StoreError::Refused("không tạo được khóa đường dẫn đánh giá".to_owned()))
    }

    /// Records a tablet of the desk opened for ratings by an officer of `unit` (audited): the
    /// SHA-256 of the device's token, until `expires_at`.
    pub async fn open_kiosk(
        &self,
        token_sha256: &str,
        unit: &UnitCode,
        expires_at: Timestamp,
        ctx: &AuditContext,
    ) -> Result<(), StoreError> {
        let db = &self.db;
        let txn = db.begin().await?;
        txn.execute_raw(stmt(
            &txn,
            "INSERT INTO rating_kiosks (token_sha256, unit_code, opened_by, opened_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
            vec![
                token_sha256.into(),
                unit.as_str().into(),
                ctx.actor.clone().into(),
                ctx.at.as_micros().into(),
                expires_at.as_micros().into(),
            ],
        ))
        .await?;
        audit(
            &txn,
            ctx,
            &AuditAction::KioskOpen.as_str(),
            unit.as_str(),
            &serde_json::Value::Null,
            &serde_json::json!({ "expires_at": expires_at }),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The unit of the tablet whose token hashes to `token_sha256`, if it is still open at
    /// `now`.
    pub async fn kiosk_unit(
        &self,
        token_sha256: &str,
        now: Timestamp,
    ) -> Result<Option<UnitCode>, StoreError> {
        let db = &self.db;
        let row = db
            .query_one_raw(stmt(
                db,
                "SELECT token_sha256, unit_code FROM rating_kiosks \
                 WHERE token_sha256 = $1 AND expires_at > $2",
                vec![token_sha256.into(), now.as_micros().into()],
            ))
            .await?;
        let Some(row) = row else { return Ok(None) };
        let r = crate::rows::reader(&row, "rating_kiosks", "token_sha256");
        Ok(Some(r.parse("unit_code", |t| UnitCode::parse(t).ok())?))
    }
}

/// Inserts the row of a rating inside the change's transaction; a dossier rated already
/// (by a rating committed meanwhile) is refused.
pub(crate) async fn insert<C: ConnectionTrait>(
    txn: &C,
    code: &DossierCode,
    input: &RatingInput,
    ctx: &AuditContext,
) -> Result<(), StoreError> {
    let done = txn
        .execute_raw(stmt(
            txn,
            "INSERT INTO dossier_ratings (dossier_code, rating, comment, channel, rated_at, actor)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dossier_code) DO NOTHING",
            vec![
                code.as_str().into(),
                input.rating.as_str().into(),
                input.comment.as_str().into(),
                input.channel.as_str().into(),
                ctx.at.as_micros().into(),
                ctx.actor.clone().into(),
            ],
        ))
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Refused(RatingError::AlreadyRated.to_string()));
    }
    Ok(())
}
