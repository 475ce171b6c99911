//! Ratings (issue 19), on both databases: a dossier is rated once its result exists, once;
//! before the result and for a withdrawn dossier it is refused; a wrong link's token, another
//! citizen and another unit's tablet see nothing (the answer of an unknown code); the rating
//! moves the month's counts, leaves its event, its audit record and its comment, and the
//! aggregates equal the recount.

use motcua_app::AppError;
use motcua_app::ratings::{self, RatingProof};
use motcua_core::Timestamp;
use motcua_core::access::Role;
use motcua_core::dossier::{Dossier, Outcome, Rating};
use motcua_core::history::{EventDetail, EventKind};
use motcua_core::rating::{RatingChannel, RatingInput};
use motcua_core::timestamp::Month;
use motcua_store::SqlStore;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn input(
    rating: &str,
    comment: &str,
    channel: RatingChannel,
) -> Result<RatingInput, Box<dyn std::error::Error>> {
    Ok(RatingInput::parse(rating, comment, channel)?)
}

/// The latest records of the audit trail.
fn audit_filter() -> motcua_core::access::AuditFilter {
    motcua_core::access::AuditFilter {
        limit: 50,
        ..Default::default()
    }
}

/// The fixture's dossiers of Hồ Xá: one approved, one rejected, one pending, one withdrawn.
fn pick(all: &[Dossier], outcome: Option<Outcome>) -> Result<Dossier, Box<dyn std::error::Error>> {
    Ok(all
        .iter()
        .find(|d| d.unit_code.as_str() == "ho-xa" && d.outcome == outcome)
        .cloned()
        .ok_or("no such dossier in the fixture")?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dossier_is_rated_once_after_its_result_by_its_proof() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let loaded = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
        motcua_app::import_dir(&store, &motcua_testkit::vinh_linh(), &loaded).await?;
        let all = store.dossiers().await?;
        let approved = pick(&all, Some(Outcome::Approved))?;
        let pending = pick(&all, None)?;
        let withdrawn = all
            .iter()
            .find(|d| d.outcome == Some(Outcome::Withdrawn))
            .cloned()
            .ok_or("a withdrawn dossier")?;
        let at = motcua_testkit::after_fixture();
        let month = Month::of(approved.resolved_at.ok_or("resolved")?);
        let before = motcua_app::indicators(&store, "ho-xa", month).await?;

        // A wrong token, a token of another dossier, garbage: an unknown dossier.
        let token = ratings::rating_token(&store, &approved.code, at).await?;
        assert_eq!(token.len(), 32);
        let other = ratings::rating_token(&store, &pending.code, at).await?;
        assert_ne!(token, other, "one token per dossier");
        let dissatisfied = input("dissatisfied", "  Phải đi lại hai lần  ", RatingChannel::Online)?;
        for wrong in [other.as_str(), "0123456789abcdef0123456789abcdef", "", "xyz"] {
            let r = ratings::rate_dossier(&store, approved.code.as_str(), RatingProof::Link(wrong), &dissatisfied, None, at).await;
            assert!(matches!(r, Err(AppError::UnknownDossier(_))), "{wrong}: {r:?}");
            assert!(ratings::ratable(&store, approved.code.as_str(), RatingProof::Link(wrong), at).await?.is_none());
        }
        // The same answer for a code no dossier has.
        let r = ratings::rate_dossier(&store, "HO-XA-000000-9999", RatingProof::Link(&token), &dissatisfied, None, at).await;
        assert!(matches!(r, Err(AppError::UnknownDossier(_))), "{r:?}");

        // Before the result, and for a withdrawn dossier: refused, with the reason.
        let pending_token = ratings::rating_token(&store, &pending.code, at).await?;
        let r = ratings::rate_dossier(&store, pending.code.as_str(), RatingProof::Link(&pending_token), &dissatisfied, None, at).await;
        assert!(matches!(&r, Err(AppError::Refused(m)) if m.contains("chưa có kết quả")), "{r:?}");
        let withdrawn_token = ratings::rating_token(&store, &withdrawn.code, at).await?;
        let r = ratings::rate_dossier(&store, withdrawn.code.as_str(), RatingProof::Link(&withdrawn_token), &dissatisfied, None, at).await;
        assert!(matches!(&r, Err(AppError::Refused(m)) if m.contains("rút")), "{r:?}");

        // The link's rating: counted in the month of the resolution, with its event, audit
        // record and comment.
        ratings::rate_dossier(&store, approved.code.as_str(), RatingProof::Link(&token), &dissatisfied, Some("10.0.0.9".to_owned()), at).await?;
        let stored = store.dossier(&approved.code).await?.ok_or("dossier")?;
        assert_eq!(stored.rating, Some(Rating::Dissatisfied));
        let given = store.dossier_rating(&approved.code).await?.ok_or("the rating's row")?;
        assert_eq!(given.comment.as_str(), "Phải đi lại hai lần");
        assert_eq!(given.channel, RatingChannel::Online);
        let events = store.dossier_events(&approved.code).await?;
        let last = events.last().ok_or("an event")?;
        assert_eq!(last.kind(), EventKind::Rated);
        assert!(matches!(&last.detail, EventDetail::Rated(r) if r.text_vi() == "Công dân đánh giá: Không hài lòng"));
        let audit = store.audit(&audit_filter()).await?;
        assert!(audit.iter().any(|a| a.action == "dossier.rate" && a.target == approved.code.as_str()));
        let after = motcua_app::indicators(&store, "ho-xa", month).await?;
        assert_eq!(after.counts.resolved_rated, before.counts.resolved_rated + 1);
        assert_eq!(after.counts.resolved_rated_dissatisfied, before.counts.resolved_rated_dissatisfied + 1);
        let in_time = approved.resolved_at.is_some_and(|r| r <= approved.due_at);
        assert_eq!(
            after.counts.resolved_in_time_dissatisfied,
            before.counts.resolved_in_time_dissatisfied + u64::from(in_time)
        );
        assert_eq!(after.rates.rating_satisfaction_rate.num, after.counts.resolved_rated - after.counts.resolved_rated_dissatisfied);
        assert!(motcua_app::verify(&store).await?.is_empty(), "the aggregates equal the recount");

        // Once: a second rating, by the link or otherwise, is refused and changes nothing.
        let again = input("very_satisfied", "", RatingChannel::Online)?;
        let r = ratings::rate_dossier(&store, approved.code.as_str(), RatingProof::Link(&token), &again, None, at).await;
        assert!(matches!(&r, Err(AppError::Refused(m)) if m.contains("một lần")), "{r:?}");
        assert_eq!(store.dossier(&approved.code).await?.ok_or("dossier")?.rating, Some(Rating::Dissatisfied));
        let found = ratings::ratable(&store, approved.code.as_str(), RatingProof::Link(&token), at).await?.ok_or("ratable")?;
        assert!(found.state.is_err());
        assert_eq!(found.given.map(|g| g.rating), Some(Rating::Dissatisfied));
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizen_and_the_tablet_rate_only_their_own() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let store = SqlStore::connect(&db.url).await?;
        let loaded = motcua_testkit::ctx("test", motcua_testkit::after_fixture());
        motcua_app::import_dir(&store, &motcua_testkit::vinh_linh(), &loaded).await?;
        let all = store.dossiers().await?;
        let resolved: Vec<&Dossier> = all
            .iter()
            .filter(|d| d.unit_code.as_str() == "ho-xa" && d.is_resolved())
            .take(3)
            .collect();
        let khe = all
            .iter()
            .find(|d| d.unit_code.as_str() == "vinh-khe" && d.is_resolved())
            .ok_or("a dossier of Vĩnh Khê")?;
        let at = motcua_testkit::after_fixture();

        // The citizen who submitted a dossier rates it from their account; another
        // citizen's account sees nothing of it.
        let owner = motcua_testkit::citizen_of(
            &db.url,
            resolved[0].code.as_str(),
            "Trần Văn Bình",
            Some("0912345678"),
            None,
        )
        .await?;
        let stranger = motcua_testkit::citizen_of(
            &db.url,
            resolved[1].code.as_str(),
            "Lê Thị Cúc",
            None,
            Some("cuc@example.vn"),
        )
        .await?;
        let satisfied = input("satisfied", "", RatingChannel::Online)?;
        let r = ratings::rate_dossier(
            &store,
            resolved[0].code.as_str(),
            RatingProof::Citizen(motcua_core::citizen::CitizenId(stranger)),
            &satisfied,
            None,
            at,
        )
        .await;
        assert!(matches!(r, Err(AppError::UnknownDossier(_))), "{r:?}");
        ratings::rate_dossier(
            &store,
            resolved[0].code.as_str(),
            RatingProof::Citizen(motcua_core::citizen::CitizenId(owner)),
            &satisfied,
            None,
            at,
        )
        .await?;
        assert_eq!(
            store
                .dossier(&resolved[0].code)
                .await?
                .ok_or("dossier")?
                .rating,
            Some(Rating::Satisfied)
        );

        // The tablet opened by Hồ Xá's reception rates Hồ Xá's dossiers by their code alone,
        // never Vĩnh Khê's; a viewer may not open one; an unknown or expired cookie is none.
        let reception = motcua_testkit::officer("hoxa-reception", "ho-xa", Role::Reception)?;
        let ctx = motcua_testkit::ctx(&reception.actor(), at);
        let hoxa = motcua_core::unit::UnitCode::parse("ho-xa")?;
        let cookie = ratings::open_kiosk(&store, &reception, &hoxa, &ctx).await?;
        assert_eq!(
            ratings::kiosk_unit(&store, &cookie, at).await?,
            Some(hoxa.clone())
        );
        let later =
            Timestamp::from_micros(at.as_micros() + (ratings::KIOSK_HOURS + 1) * 3_600_000_000);
        assert_eq!(
            ratings::kiosk_unit(&store, &cookie, later).await?,
            None,
            "expired"
        );
        assert_eq!(ratings::kiosk_unit(&store, "not-a-cookie", at).await?, None);
        let viewer = motcua_testkit::officer("hoxa-viewer", "ho-xa", Role::Viewer)?;
        assert!(
            ratings::open_kiosk(&store, &viewer, &hoxa, &ctx)
                .await
                .is_err()
        );
        let khe_reception = motcua_testkit::officer("khe-reception", "vinh-khe", Role::Reception)?;
        let r = ratings::open_kiosk(&store, &khe_reception, &hoxa, &ctx).await;
        assert!(
            matches!(r, Err(AppError::UnknownUnit(_))),
            "outside its subtree: {r:?}"
        );

        let very = input("very_satisfied", "Cán bộ nhiệt tình", RatingChannel::Kiosk)?;
        let r = ratings::rate_dossier(
            &store,
            khe.code.as_str(),
            RatingProof::Kiosk(&cookie),
            &very,
            None,
            at,
        )
        .await;
        assert!(
            matches!(r, Err(AppError::UnknownDossier(_))),
            "another unit's: {r:?}"
        );
        let r = ratings::rate_dossier(
            &store,
            resolved[2].code.as_str(),
            RatingProof::Kiosk(&cookie),
            &very,
            None,
            later,
        )
        .await;
        assert!(
            matches!(r, Err(AppError::UnknownDossier(_))),
            "an expired tablet: {r:?}"
        );
        ratings::rate_dossier(
            &store,
            resolved[2].code.as_str(),
            RatingProof::Kiosk(&cookie),
            &very,
            None,
            at,
        )
        .await?;
        let given = store
            .dossier_rating(&resolved[2].code)
            .await?
            .ok_or("rating")?;
        assert_eq!(
            (given.rating, given.channel),
            (Rating::VerySatisfied, RatingChannel::Kiosk)
        );
        let audit = store.audit(&audit_filter()).await?;
        assert!(
            audit
                .iter()
                .any(|a| a.action == "kiosk.open" && a.target == "ho-xa")
        );
        assert!(
            audit
                .iter()
                .any(|a| a.action == "dossier.rate" && a.actor == "kiosk:ho-xa")
        );

        // The interchange carries the ratings: written, read back, the same dossiers.
        let mut csv = Vec::new();
        motcua_core::interchange::write_dossiers(&mut csv, store.dossiers().await?)?;
        let text = String::from_utf8(csv)?;
        assert!(text.lines().next().is_some_and(|h| h.ends_with(",rating")));
        assert!(text.contains(&format!(",{}", Rating::VerySatisfied.as_str())));
        assert!(motcua_app::verify(&store).await?.is_empty());
        Ok(())
    })
    .await
}
