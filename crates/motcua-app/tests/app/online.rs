//! Online submission through the application services, on both databases: a citizen's draft,
//! submitted on a Friday at 16:30, accepted by reception on Monday (one dossier, even when
//! accepted twice), a supplement asked by the specialist and answered online, the result
//! approved with its scan and downloaded; reception's inbox by subtree; return and refusal;
//! and a citizen reaching nothing of another's.

use motcua_app::AppError;
use motcua_app::desk;
use motcua_app::online::{self, DraftInput, SuppliedScan};
use motcua_core::Timestamp;
use motcua_core::access::{AuditContext, Role};
use motcua_core::citizen::Citizen;
use motcua_core::details::{Scan, Slot};
use motcua_core::dossier::{Channel, SubmissionLevel};
use motcua_core::freetext::Reason;
use motcua_core::lifecycle::{Status, Step};
use motcua_core::online::{Field, Representation, SubmissionId, SubmissionState, Transition};
use motcua_store::{Files, SqlStore};
use motcua_testkit::{acting as at, officer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n";

/// "Đăng ký khai sinh", toàn trình at every commune of the fixture, two components.
const BIRTH: &str = "1.001193";

fn citizen_ctx(c: &Citizen, when: &str) -> Result<AuditContext, Box<dyn std::error::Error>> {
    Ok(motcua_testkit::ctx(
        &format!("citizen:{}", c.id.0),
        Timestamp::parse(when)?,
    ))
}

/// A person's account, made straight through the store (the sign-up is tested on its own).
async fn citizen(
    store: &SqlStore,
    full_name: &str,
    phone: &str,
) -> Result<Citizen, Box<dyn std::error::Error>> {
    let new = motcua_store::NewCitizen {
        kind: motcua_core::citizen::CitizenKind::Person,
        full_name: full_name.to_owned(),
        phone: Some(phone.to_owned()),
        email: None,
        id_number: None,
        tax_code: None,
        password_hash: None,
    };
    Ok(store
        .create_citizen(
            &new,
            &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
        )
        .await?)
}

async fn setup(
    db: &motcua_testkit::TestDb,
) -> Result<(SqlStore, Citizen, Citizen), Box<dyn std::error::Error>> {
    let store = SqlStore::connect(&db.url).await?;
    motcua_app::import_dir(
        &store,
        &motcua_testkit::vinh_linh(),
        &motcua_testkit::ctx("test", motcua_testkit::after_fixture()),
    )
    .await?;
    let lan = citizen(&store, "Nguyễn Thị Lan", "0912345678").await?;
    let binh = citizen(&store, "Trần Văn Bình", "0987654321").await?;
    Ok((store, lan, binh))
}

/// Every component of the submission scanned (distinct files).
async fn scans(files: &Files, n: usize) -> Result<Vec<(usize, Scan)>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for i in 0..n {
        let bytes = [PDF, format!("% {i}\n").as_bytes()].concat();
        out.push((i, files.put(&format!("giay-{i}.pdf"), &bytes).await?));
    }
    Ok(out)
}

fn input(s: &motcua_core::online::Submission, scans: Vec<(usize, Scan)>) -> DraftInput {
    DraftInput {
        applicant: s.data.applicant.clone(),
        request: String::new(),
        scans,
        ..DraftInput::default()
    }
}

#[tokio::test]
async fn from_a_friday_draft_to_the_downloaded_result() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let (store, lan, _) = setup(db).await?;
        let dir = tempfile::tempdir()?;
        let files = Files::new(dir.path(), 1 << 20);
        let month = "2026-12".parse()?;
        let before = motcua_app::indicators(&store, "ho-xa", month).await?;

        let draft = online::start_draft(
            &store,
            &lan,
            "ho-xa",
            BIRTH,
            &citizen_ctx(&lan, "2026-12-04T16:00:00+07:00")?,
        )
        .await?;
        assert_eq!(draft.state, SubmissionState::Draft);
        assert_eq!(draft.data.applicant.name, "Nguyễn Thị Lan");
        assert_eq!(draft.data.applicant.phone, "0912345678");
        assert_eq!(draft.dossier, None, "a code is given at acceptance only");
        let n = draft.data.components.len();
        assert!(n >= 1);

        // Submitting without the scans: every missing one beside its line, nothing written.
        let e = online::submit(
            &store,
            &files,
            lan.id,
            draft.id,
            &input(&draft, vec![]),
            &citizen_ctx(&lan, "2026-12-04T16:10:00+07:00")?,
        )
        .await
        .err()
        .ok_or("submitted without scans")?;
        let AppError::Incomplete(errors) = e else {
            return Err(format!("{e:?}").into());
        };
        assert_eq!(errors.len(), n);
        assert!(
            errors
                .iter()
                .all(|e| matches!(e.field, Field::Component(_)))
        );
        assert_eq!(
            online::own_submission(&store, lan.id, draft.id)
                .await?
                .state,
            SubmissionState::Draft
        );

        // Saved with its scans, then submitted on Friday at 16:30.
        let saved = online::save_draft(
            &store,
            &files,
            lan.id,
            draft.id,
            &input(&draft, scans(&files, n).await?),
            &citizen_ctx(&lan, "2026-12-04T16:20:00+07:00")?,
        )
        .await?;
        assert!(saved.data.components.iter().all(|c| c.scan.is_some()));
        let sent = online::submit(
            &store,
            &files,
            lan.id,
            draft.id,
            &input(&saved, vec![]),
            &citizen_ctx(&lan, "2026-12-04T16:30:00+07:00")?,
        )
        .await?;
        assert_eq!(sent.state, SubmissionState::Submitted);

        // Reception of the commune and of the district see it; a neighbour's does not.
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let district = officer("tiep-nhan-huyen", "vinh-linh", Role::Reception)?;
        let neighbour = officer("tiep-nhan-khe", "vinh-khe", Role::Reception)?;
        let ids = |list: Vec<motcua_core::online::Submission>| -> Vec<SubmissionId> {
            list.into_iter().map(|s| s.id).collect()
        };
        assert_eq!(
            ids(online::inbox(&store, &desk_officer, &desk_officer.unit).await?),
            [draft.id]
        );
        assert_eq!(
            ids(online::inbox(&store, &district, &district.unit).await?),
            [draft.id]
        );
        assert!(
            online::inbox(&store, &neighbour, &neighbour.unit)
                .await?
                .is_empty()
        );
        assert_eq!(online::inbox_count(&store, &desk_officer).await?, 1);
        assert!(matches!(
            online::received_submission(&store, &neighbour, draft.id).await,
            Err(AppError::UnknownSubmission(_))
        ));
        let specialist = officer("chuyen-vien", "ho-xa", Role::Specialist)?;
        assert!(matches!(
            online::accept(
                &store,
                &specialist,
                draft.id,
                &at(&specialist, "2026-12-07T08:00:00+07:00")?
            )
            .await,
            Err(AppError::Denied(_))
        ));

        // Accepted on Monday morning: received when submitted, due after Friday's half hour
        // and Monday's seven and a half (1 working day).
        let accepted = online::accept(
            &store,
            &desk_officer,
            draft.id,
            &at(&desk_officer, "2026-12-07T08:00:00+07:00")?,
        )
        .await?;
        let d = &accepted.dossier;
        assert_eq!(d.channel, Channel::Online);
        assert_eq!(d.online_level, Some(SubmissionLevel::Full));
        assert_eq!(
            d.received_at,
            Timestamp::parse("2026-12-04T16:30:00+07:00")?
        );
        assert_eq!(d.due_at, Timestamp::parse("2026-12-07T16:30:00+07:00")?);
        assert!(d.code.as_str().starts_with("HO-XA-261207-"), "{}", d.code);
        assert_eq!(d.components_digitized, n as u32);
        let code = d.code.to_string();
        let mine = online::own_submission(&store, lan.id, draft.id).await?;
        assert_eq!(mine.state, SubmissionState::Accepted);
        assert_eq!(
            mine.dossier.as_ref().map(|c| c.to_string()),
            Some(code.clone())
        );
        assert_eq!(online::inbox_count(&store, &desk_officer).await?, 0);

        // Accepting again (a second officer, or the same one twice) makes no second dossier.
        let again = online::accept(
            &store,
            &district,
            draft.id,
            &at(&district, "2026-12-07T08:01:00+07:00")?,
        )
        .await;
        assert!(matches!(again, Err(AppError::Refused(_))), "{again:?}");
        // Even from the submission as it was read before the first acceptance.
        let stale = motcua_core::online::Submission {
            state: SubmissionState::Submitted,
            dossier: None,
            ..mine.clone()
        };
        assert!(
            store
                .accept_submission(
                    &stale,
                    &motcua_core::online::accepted_dossier(
                        &sent,
                        &desk::procedure(&store, &sent.procedure).await?,
                        store
                            .units()
                            .await?
                            .iter()
                            .find(|u| u.code.as_str() == "ho-xa")
                            .ok_or("ho-xa")?,
                        &motcua_app::calendar::load(&store).await?.default_calendar(),
                        motcua_core::dossier::DossierCode::parse("HO-XA-261207").ok_or("prefix")?,
                    )?,
                    |_| Vec::new(),
                    &at(&district, "2026-12-07T08:02:00+07:00")?
                )
                .await
                .is_err()
        );
        let dossiers = motcua_app::citizens::dossiers(&store, lan.id).await?;
        assert_eq!(dossiers.len(), 1, "one dossier");
        assert_eq!(dossiers[0].code.as_str(), code);

        let after = motcua_app::indicators(&store, "ho-xa", month).await?;
        assert_eq!(after.counts.received, before.counts.received + 1);
        assert_eq!(
            after.counts.received_online_full,
            before.counts.received_online_full + 1
        );

        // The specialist asks for a supplement; the citizen answers online.
        for step in [
            Step::StartProcessing,
            Step::RequestSupplement {
                reason: Reason::parse("Thiếu bản sao giấy đăng ký kết hôn của cha mẹ")?,
            },
        ] {
            desk::take_step(
                &store,
                &specialist,
                &code,
                &step,
                &at(&specialist, "2026-12-07T09:00:00+07:00")?,
            )
            .await?;
        }
        let paper = files
            .put("ket-hon.pdf", &[PDF, b"% ket hon\n"].concat())
            .await?;
        let supplied = [SuppliedScan {
            name: "Bản sao giấy chứng nhận kết hôn".to_owned(),
            scan: paper.clone(),
        }];
        // Not by another citizen.
        let binh = citizen(&store, "Lê Văn Cường", "0911111111").await?;
        assert!(matches!(
            online::supplement(
                &store,
                &files,
                binh.id,
                &code,
                &supplied,
                &citizen_ctx(&binh, "2026-12-08T08:00:00+07:00")?
            )
            .await,
            Err(AppError::UnknownDossier(_))
        ));
        let h = online::supplement(
            &store,
            &files,
            lan.id,
            &code,
            &supplied,
            &citizen_ctx(&lan, "2026-12-08T08:00:00+07:00")?,
        )
        .await?;
        assert_eq!(h.lifecycle.status, Status::InProcessing);
        let details = h.details.as_ref().ok_or("details")?;
        assert_eq!(details.components.len(), n + 1);
        assert_eq!(details.components[n].scan.as_ref(), Some(&paper));
        assert_eq!(h.dossier.components_digitized, n as u32 + 1);
        // The clock stopped from Monday 09:00 to Tuesday 08:00: 7 working hours later.
        assert_eq!(
            h.dossier.due_at,
            Timestamp::parse("2026-12-08T15:30:00+07:00")?
        );
        assert!(
            matches!(
                online::supplement(
                    &store,
                    &files,
                    lan.id,
                    &code,
                    &supplied,
                    &citizen_ctx(&lan, "2026-12-08T08:05:00+07:00")?
                )
                .await,
                Err(AppError::Refused(_))
            ),
            "no second supplement without a request"
        );

        // Approved, the result scanned: the citizen downloads it.
        assert!(
            online::download_result(&store, &files, lan.id, &code)
                .await
                .is_err()
        );
        let leader = officer("lanh-dao", "ho-xa", Role::Leader)?;
        desk::take_step(
            &store,
            &leader,
            &code,
            &Step::Approve {
                result_digitized: false,
            },
            &at(&leader, "2026-12-08T10:00:00+07:00")?,
        )
        .await?;
        desk::attach_scan(
            &store,
            &files,
            &specialist,
            &code,
            Slot::Result,
            "trich-luc.pdf",
            &[PDF, b"% ket qua\n"].concat(),
            &at(&specialist, "2026-12-08T10:05:00+07:00")?,
        )
        .await?;
        let (scan, bytes) = online::download_result(&store, &files, lan.id, &code).await?;
        assert_eq!(scan.file_name, "trich-luc.pdf");
        assert_eq!(bytes, [PDF, b"% ket qua\n"].concat());
        assert!(matches!(
            online::download_result(&store, &files, binh.id, &code).await,
            Err(AppError::UnknownDossier(_))
        ));

        // Each change the citizen waits for told them, by SMS, once, in order; the failed
        // first submission and the office's inner steps told nothing.
        let sms: Vec<String> = store
            .messages_to("0912345678")
            .await?
            .into_iter()
            .map(|m| m.body)
            .collect();
        let expected = [
            "Hồ sơ «Đăng ký khai sinh» đã được nộp trực tuyến".to_owned(),
            format!("Hồ sơ {code} đã được tiếp nhận. Ngày hẹn trả kết quả:"),
            format!("Hồ sơ {code} cần bổ sung giấy tờ."),
            format!("Hồ sơ {code} đã nhận đủ giấy tờ bổ sung."),
            format!("Hồ sơ {code} đã có kết quả. Tải kết quả trên Cổng dịch vụ công."),
        ];
        assert_eq!(sms.len(), expected.len(), "{sms:#?}");
        for (body, start) in sms.iter().zip(&expected) {
            assert!(body.starts_with(start.as_str()), "{body} ≠ {start}…");
        }

        // Every write is in the trail.
        let trail: Vec<String> = store
            .audit(&motcua_core::access::AuditFilter {
                limit: 1000,
                ..Default::default()
            })
            .await?
            .into_iter()
            .map(|r| r.action)
            .collect();
        for action in [
            "online.create",
            "online.save",
            "online.submit",
            "online.accept",
            "dossier.receive",
            "dossier.supplemented",
        ] {
            assert!(trail.iter().any(|a| a == action), "{action} in {trail:?}");
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn reception_returns_for_completion_or_refuses() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let (store, lan, _) = setup(db).await?;
        let dir = tempfile::tempdir()?;
        let files = Files::new(dir.path(), 1 << 20);
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let mut ids = Vec::new();
        for minute in ["00", "10"] {
            let d = online::start_draft(
                &store,
                &lan,
                "ho-xa",
                BIRTH,
                &citizen_ctx(&lan, &format!("2026-12-08T09:{minute}:00+07:00"))?,
            )
            .await?;
            let n = d.data.components.len();
            online::submit(
                &store,
                &files,
                lan.id,
                d.id,
                &input(&d, scans(&files, n).await?),
                &citizen_ctx(&lan, &format!("2026-12-08T09:{minute}:30+07:00"))?,
            )
            .await?;
            ids.push(d.id);
        }
        // Oldest first.
        let inbox: Vec<SubmissionId> = online::inbox(&store, &desk_officer, &desk_officer.unit)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(inbox, ids);

        let reason = "Bản quét tờ khai bị mờ, chưa đọc được chữ ký";
        let returned = online::decide(
            &store,
            &desk_officer,
            ids[0],
            Transition::Return,
            reason,
            &at(&desk_officer, "2026-12-08T10:00:00+07:00")?,
        )
        .await?;
        assert_eq!(returned.state, SubmissionState::Returned);
        assert_eq!(returned.reason.as_deref(), Some(reason));
        // The citizen completes it and sends it again: back in the inbox, its time the new one.
        let again = online::submit(
            &store,
            &files,
            lan.id,
            ids[0],
            &input(&returned, vec![]),
            &citizen_ctx(&lan, "2026-12-08T11:00:00+07:00")?,
        )
        .await?;
        assert_eq!(again.state, SubmissionState::Submitted);
        assert_eq!(
            again.submitted_at,
            Some(Timestamp::parse("2026-12-08T11:00:00+07:00")?)
        );
        assert_eq!(again.reason, None);

        assert!(
            matches!(
                online::decide(
                    &store,
                    &desk_officer,
                    ids[1],
                    Transition::Refuse,
                    "  ",
                    &at(&desk_officer, "2026-12-08T11:05:00+07:00")?
                )
                .await,
                Err(AppError::Refused(_))
            ),
            "a refusal says why"
        );
        let refused = online::decide(
            &store,
            &desk_officer,
            ids[1],
            Transition::Refuse,
            "Thủ tục thuộc thẩm quyền của UBND huyện",
            &at(&desk_officer, "2026-12-08T11:06:00+07:00")?,
        )
        .await?;
        assert_eq!(refused.state, SubmissionState::Refused);
        // The citizen was told of the return (what to complete) and of the refusal.
        let bodies: Vec<String> = store
            .messages_to("0912345678")
            .await?
            .into_iter()
            .map(|m| m.body)
            .collect();
        for told in ["cần hoàn thiện trước khi tiếp nhận", "không được tiếp nhận"]
        {
            assert!(
                bodies.iter().any(|b| b.contains(told)),
                "{told} in {bodies:#?}"
            );
        }
        assert!(
            online::accept(
                &store,
                &desk_officer,
                ids[1],
                &at(&desk_officer, "2026-12-08T11:07:00+07:00")?
            )
            .await
            .is_err()
        );
        assert!(
            online::save_draft(
                &store,
                &files,
                lan.id,
                ids[1],
                &input(&refused, vec![]),
                &citizen_ctx(&lan, "2026-12-08T11:08:00+07:00")?
            )
            .await
            .is_err()
        );
        assert!(
            motcua_app::citizens::dossiers(&store, lan.id)
                .await?
                .is_empty()
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_citizen_reaches_nothing_of_another() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let (store, lan, binh) = setup(db).await?;
        let dir = tempfile::tempdir()?;
        let files = Files::new(dir.path(), 1 << 20);
        let d = online::start_draft(
            &store,
            &lan,
            "ho-xa",
            BIRTH,
            &citizen_ctx(&lan, "2026-12-08T09:00:00+07:00")?,
        )
        .await?;
        let ctx = citizen_ctx(&binh, "2026-12-08T09:05:00+07:00")?;
        let unknown = SubmissionId(d.id.0 + 1000);
        for id in [d.id, unknown] {
            assert!(matches!(
                online::own_submission(&store, binh.id, id).await,
                Err(AppError::UnknownSubmission(_))
            ));
            assert!(matches!(
                online::save_draft(&store, &files, binh.id, id, &input(&d, vec![]), &ctx).await,
                Err(AppError::UnknownSubmission(_))
            ));
            assert!(matches!(
                online::submit(&store, &files, binh.id, id, &input(&d, vec![]), &ctx).await,
                Err(AppError::UnknownSubmission(_))
            ));
        }
        assert!(online::my_submissions(&store, binh.id).await?.is_empty());
        assert_eq!(online::my_submissions(&store, lan.id).await?.len(), 1);
        // A draft is not reception's to see.
        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        assert!(matches!(
            online::received_submission(&store, &desk_officer, d.id).await,
            Err(AppError::UnknownSubmission(_))
        ));
        // A procedure not offered online at a unit gives no draft.
        assert!(
            online::start_draft(&store, &lan, "vinh-linh", BIRTH, &ctx)
                .await
                .is_err()
        );
        Ok(())
    })
    .await
}

/// A business account's draft is prefilled with its name and tax code.
#[tokio::test]
async fn a_business_draft_names_the_business_by_its_tax_code() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let (store, _, _) = setup(db).await?;
        let new = motcua_store::NewCitizen {
            kind: motcua_core::citizen::CitizenKind::Business,
            full_name: "Công ty TNHH Hồ Xá Xanh".to_owned(),
            phone: Some("0233123456".to_owned()),
            email: None,
            // The account also holds a personal number (its director's): the business is
            // still named by its tax code.
            id_number: Some("045190000123".to_owned()),
            tax_code: Some("3200123456".to_owned()),
            password_hash: None,
        };
        let business = store
            .create_citizen(
                &new,
                &motcua_testkit::ctx("test", Timestamp::from_micros(0)),
            )
            .await?;
        let draft = online::start_draft(
            &store,
            &business,
            "ho-xa",
            BIRTH,
            &citizen_ctx(&business, "2026-12-07T09:00:00+07:00")?,
        )
        .await?;
        assert_eq!(draft.data.applicant.name, "Công ty TNHH Hồ Xá Xanh");
        assert_eq!(draft.data.applicant.id_number, "3200123456");
        assert_eq!(draft.data.represented, None);
        Ok(())
    })
    .await
}

/// Lan submits for her father under an authorisation paper: refused without the paper (the
/// error beside its field, nothing sent), accepted with it; the dossier's applicant is her
/// father, she its representative and contact, the paper one more digitized component.
#[tokio::test]
async fn a_submission_for_another_person_under_an_authorisation_paper() -> TestResult {
    motcua_testkit::for_each_db(async |db| {
        let (store, lan, _) = setup(db).await?;
        let dir = tempfile::tempdir()?;
        let files = Files::new(dir.path(), 1 << 20);
        let draft = online::start_draft(
            &store,
            &lan,
            "ho-xa",
            BIRTH,
            &citizen_ctx(&lan, "2026-12-07T09:00:00+07:00")?,
        )
        .await?;
        let n = draft.data.components.len();
        let mut answers = input(&draft, scans(&files, n).await?);
        answers.represented = Some(Representation {
            name: "Nguyễn Văn Hùng".to_owned(),
            id_number: "045060001234".to_owned(),
            paper: None,
        });
        let e = online::submit(
            &store,
            &files,
            lan.id,
            draft.id,
            &answers,
            &citizen_ctx(&lan, "2026-12-07T09:05:00+07:00")?,
        )
        .await
        .err()
        .ok_or("submitted without the authorisation paper")?;
        let AppError::Incomplete(errors) = e else {
            return Err(format!("{e:?}").into());
        };
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, Field::AuthorisationPaper);
        assert_eq!(
            errors[0].message,
            "Tải lên bản quét giấy ủy quyền (PDF, JPEG hoặc PNG)"
        );
        let stored = online::own_submission(&store, lan.id, draft.id).await?;
        assert_eq!(stored.state, SubmissionState::Draft);

        // The paper uploaded in a saved draft, then submitted without uploading it again.
        let paper = files
            .put("giay-uy-quyen.pdf", &[PDF, b"% uy quyen\n"].concat())
            .await?;
        answers.paper = Some(paper.clone());
        let saved = online::save_draft(
            &store,
            &files,
            lan.id,
            draft.id,
            &answers,
            &citizen_ctx(&lan, "2026-12-07T09:10:00+07:00")?,
        )
        .await?;
        assert_eq!(
            saved
                .data
                .represented
                .as_ref()
                .and_then(|r| r.paper.clone()),
            Some(paper.clone())
        );
        answers.paper = None;
        answers.scans.clear();
        let sent = online::submit(
            &store,
            &files,
            lan.id,
            draft.id,
            &answers,
            &citizen_ctx(&lan, "2026-12-07T09:15:00+07:00")?,
        )
        .await?;
        assert_eq!(sent.state, SubmissionState::Submitted);

        let desk_officer = officer("tiep-nhan", "ho-xa", Role::Reception)?;
        let held = online::accept(
            &store,
            &desk_officer,
            draft.id,
            &at(&desk_officer, "2026-12-07T10:00:00+07:00")?,
        )
        .await?;
        let stored = store
            .held_dossier(&held.dossier.code)
            .await?
            .ok_or("no dossier")?;
        let details = stored.details.ok_or("no details")?;
        assert_eq!(details.applicant.name, "Nguyễn Văn Hùng");
        assert_eq!(details.applicant.id_number, "045060001234");
        assert_eq!(details.applicant.phone, "0912345678");
        let rep = details.representative.as_ref().ok_or("no representative")?;
        assert_eq!(rep.name, "Nguyễn Thị Lan");
        let last = details.components.last().ok_or("no component")?;
        assert_eq!(last.name, "Giấy ủy quyền");
        assert_eq!(last.scan.as_ref(), Some(&paper));
        assert_eq!(stored.dossier.components_total as usize, n + 1);
        assert_eq!(stored.dossier.components_digitized as usize, n + 1);
        assert_eq!(stored.citizen, Some(lan.id));
        Ok(())
    })
    .await
}
