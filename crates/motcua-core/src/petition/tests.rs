use motcua_calendar::OfficeHours;

use super::*;
use crate::counts::Counts;
use crate::timestamp::Month;

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn calendar() -> WorkCalendar {
    WorkCalendar::bundled(2024..=2026, OfficeHours::default()).unwrap()
}

fn form() -> PetitionForm {
    PetitionForm {
        unit: "xa-a".to_owned(),
        kind: "phan_anh".to_owned(),
        subject: "thu_tuc".to_owned(),
        content: "Hồ sơ trễ hẹn không được thông báo".to_owned(),
        name: "Nguyễn Văn An".to_owned(),
        contact: "0912 345 678".to_owned(),
        dossier_code: String::new(),
    }
}

fn received(at: &str) -> Petition {
    let code = PetitionCode::parse("PAKN-XA-A-250123-0001").unwrap();
    Petition::receive(code, form().check().unwrap(), ts(at), &calendar()).unwrap()
}

fn step(p: &Petition, s: PetitionStep, at: &str) -> Petition {
    p.apply(&s, ts(at), &calendar()).unwrap()
}

fn answer(text: &str) -> PetitionStep {
    PetitionStep::Answer {
        text: text.to_owned(),
    }
}

#[test]
fn the_deadlines_skip_tet_in_working_days() {
    // Thursday 23/1/2025 at 09:00; Tết Ất Tỵ: 25/1–2/2 off.
    let p = received("2025-01-23T09:00:00+07:00");
    assert_eq!(p.deadlines.decide, ts("2025-02-03T09:00:00+07:00"));
    assert_eq!(p.deadlines.ask, ts("2025-02-06T09:00:00+07:00"));
    assert_eq!(p.deadlines.answer, Some(ts("2025-02-20T09:00:00+07:00")));
    assert_eq!(p.deadlines.publish, None);
}

#[test]
fn the_deadlines_count_the_make_up_saturday_and_skip_30_4() {
    // Friday 25/4/2025; Saturday 26/4 is a make-up working day; 30/4, 1/5, 2/5 are off.
    let p = received("2025-04-25T10:00:00+07:00");
    assert_eq!(p.deadlines.decide, ts("2025-04-28T10:00:00+07:00"));
    assert_eq!(p.deadlines.ask, ts("2025-05-06T10:00:00+07:00"));
    assert_eq!(p.deadlines.answer, Some(ts("2025-05-20T10:00:00+07:00")));
}

#[test]
fn publishing_is_due_two_working_days_after_the_answer_across_2_9() {
    let p = received("2025-08-20T08:00:00+07:00");
    let p = step(&p, PetitionStep::Admit, "2025-08-21T08:00:00+07:00");
    // Friday 29/8/2025 14:00; 1/9 and 2/9 are off.
    let p = step(&p, answer("Đã chấn chỉnh"), "2025-08-29T14:00:00+07:00");
    assert_eq!(p.deadlines.publish, Some(ts("2025-09-04T14:00:00+07:00")));
}

#[test]
fn received_after_hours_the_clock_starts_at_the_next_working_session() {
    // Friday 13/2/2026 at 17:30; Tết Bính Ngọ: 14/2–22/2 off; Monday 23/2 07:00 starts.
    let p = received("2026-02-13T17:30:00+07:00");
    assert_eq!(p.deadlines.decide, ts("2026-02-25T07:00:00+07:00"));
    // 2026: Saturday 10/1 is a make-up day for Friday 2/1.
    let p = received("2026-01-08T15:00:00+07:00");
    assert_eq!(p.deadlines.decide, ts("2026-01-10T15:00:00+07:00"));
}

#[test]
fn asking_for_more_stops_the_answers_clock_until_the_reply() {
    let p = received("2025-03-03T08:00:00+07:00");
    assert_eq!(p.deadlines.answer, Some(ts("2025-03-24T08:00:00+07:00")));
    let p = step(&p, PetitionStep::Admit, "2025-03-04T08:00:00+07:00");
    let p = step(
        &p,
        PetitionStep::AskForMore {
            question: "Xin cho biết ngày nộp hồ sơ".to_owned(),
        },
        "2025-03-05T08:00:00+07:00",
    );
    assert_eq!(p.deadlines.answer, None);
    assert_eq!(p.state, PetitionState::AwaitingPetitioner);
    // Paused, it is not late even long after the first due.
    assert!(!p.late_as_of(ts("2025-04-15T08:00:00+07:00")));
    // The reply on Wednesday 12/3 08:00: five working days paused.
    let p = step(
        &p,
        PetitionStep::Reply {
            text: "Ngày 1/3/2025".to_owned(),
        },
        "2025-03-12T08:00:00+07:00",
    );
    assert_eq!(p.deadlines.answer, Some(ts("2025-03-31T08:00:00+07:00")));
    // Once only.
    let err = p
        .apply(
            &PetitionStep::AskForMore {
                question: "Lần nữa".to_owned(),
            },
            ts("2025-03-12T09:00:00+07:00"),
            &calendar(),
        )
        .unwrap_err();
    assert_eq!(err, PetitionError::AskedOnce);
}

#[test]
fn steps_that_do_not_follow_are_refused() {
    let p = received("2025-03-03T08:00:00+07:00");
    let c = calendar();
    let at = ts("2025-03-03T09:00:00+07:00");
    assert!(matches!(
        p.apply(&PetitionStep::Publish, at, &c),
        Err(PetitionError::NotAllowed { .. })
    ));
    assert!(matches!(
        p.apply(&answer("x"), at, &c),
        Err(PetitionError::NotAllowed { .. })
    ));
    assert!(matches!(
        p.apply(&PetitionStep::Dissatisfied, at, &c),
        Err(PetitionError::NotAllowed { .. })
    ));
    assert_eq!(
        p.apply(&PetitionStep::Admit, ts("2025-03-01T09:00:00+07:00"), &c),
        Err(PetitionError::BeforeLast)
    );
    let refused = p
        .apply(
            &PetitionStep::Refuse {
                reason: "Không thuộc thẩm quyền".to_owned(),
            },
            at,
            &c,
        )
        .unwrap();
    assert!(refused.state.is_final());
    assert!(refused.apply(&PetitionStep::Admit, at, &c).is_err());
    assert!(matches!(
        p.apply(
            &PetitionStep::Refuse {
                reason: " ".to_owned()
            },
            at,
            &c
        ),
        Err(PetitionError::Text(_))
    ));
}

#[test]
fn late_as_of_is_a_stage_done_after_its_due_or_open_past_it() {
    let p = received("2025-03-03T08:00:00+07:00"); // decide by 5/3 08:00
    assert!(!p.late_as_of(ts("2025-03-05T08:00:00+07:00")));
    assert!(p.late_as_of(ts("2025-03-05T08:00:01+07:00")));
    let admitted = step(&p, PetitionStep::Admit, "2025-03-06T08:00:00+07:00");
    // Decided late: late from the due on, and for ever.
    assert!(admitted.late_as_of(ts("2025-03-05T09:00:00+07:00")));
    assert!(admitted.late_as_of(ts("2025-06-05T09:00:00+07:00")));
    let on_time = step(&p, PetitionStep::Admit, "2025-03-04T08:00:00+07:00");
    assert!(!on_time.late_as_of(ts("2025-03-24T08:00:00+07:00")));
    assert!(on_time.late_as_of(ts("2025-03-24T08:01:00+07:00")));
    let answered = step(&on_time, answer("Đã xử lý"), "2025-03-20T08:00:00+07:00");
    // Publishing due 24/3 08:00, still open after it.
    assert_eq!(
        answered.deadlines.publish,
        Some(ts("2025-03-24T08:00:00+07:00"))
    );
    assert!(!answered.late_as_of(ts("2025-03-24T08:00:00+07:00")));
    assert!(answered.late_as_of(ts("2025-03-24T09:00:00+07:00")));
    let published = step(
        &answered,
        PetitionStep::Publish,
        "2025-03-21T08:00:00+07:00",
    );
    assert!(!published.late_as_of(ts("2025-09-24T09:00:00+07:00")));
}

#[test]
fn the_form_reports_every_error_beside_its_field() {
    let f = PetitionForm::default();
    let errors = f.check().unwrap_err();
    let fields: Vec<FormField> = errors.iter().map(|(f, _)| *f).collect();
    for field in [
        FormField::Unit,
        FormField::Kind,
        FormField::Subject,
        FormField::Content,
        FormField::Name,
        FormField::Contact,
    ] {
        assert!(fields.contains(&field), "{field:?}");
    }
    let mut f = form();
    f.dossier_code = "HS 01".to_owned();
    f.contact = "an@example".to_owned();
    let fields: Vec<FormField> = f.check().unwrap_err().iter().map(|(f, _)| *f).collect();
    assert_eq!(fields, vec![FormField::Contact, FormField::DossierCode]);
    let ok = form().check().unwrap();
    assert_eq!(ok.contact, Contact::Phone("0912345678".to_owned()));
}

#[test]
fn the_code_prefix_is_the_unit_and_the_day() {
    let unit = UnitCode::parse("xa-a").unwrap();
    assert_eq!(
        PetitionCode::prefix(&unit, ts("2025-01-23T23:30:00+07:00")),
        "PAKN-XA-A-250123"
    );
}

fn tally(p: &Petition, m: &str) -> Counts {
    let (y, mo) = m.split_once('-').unwrap();
    let mut c = Counts::default();
    c.tally_petition(
        p,
        Month::new(y.parse().unwrap(), mo.parse().unwrap()).unwrap(),
    );
    c
}

#[test]
fn a_petition_answered_in_time_counts_once_each_month() {
    let p = received("2025-03-28T08:00:00+07:00");
    let p = step(&p, PetitionStep::Admit, "2025-03-31T08:00:00+07:00");
    let p = step(&p, answer("Đã xử lý"), "2025-04-10T08:00:00+07:00");
    let p = step(&p, PetitionStep::Publish, "2025-04-11T08:00:00+07:00");
    let march = tally(&p, "2025-03");
    assert_eq!(march.petitions_received, 1);
    assert_eq!(march.petitions_pending, 1);
    assert_eq!(march.petitions_pending_within_due, 1);
    assert_eq!(march.petitions_received_unsatisfactory, 0);
    assert_eq!(march.petitions_answered, 0);
    let april = tally(&p, "2025-04");
    assert_eq!(april.petitions_received, 0);
    assert_eq!(april.petitions_answered, 1);
    assert_eq!(april.petitions_answered_in_time, 1);
    assert_eq!(april.petitions_pending, 0);
    assert_eq!(tally(&p, "2025-05"), Counts::default());
    // Dissatisfied: the month of receipt counts it unsatisfactory.
    let d = step(&p, PetitionStep::Dissatisfied, "2025-04-12T08:00:00+07:00");
    assert_eq!(tally(&d, "2025-03").petitions_received_unsatisfactory, 1);
}

#[test]
fn late_and_refused_petitions_count_where_they_fall() {
    // Received 28/3/2025, decided late (due 1/4 08:00), refused in April.
    let p = received("2025-03-28T08:00:00+07:00");
    let r = step(
        &p,
        PetitionStep::Refuse {
            reason: "Không thuộc thẩm quyền".to_owned(),
        },
        "2025-04-02T08:00:00+07:00",
    );
    let march = tally(&r, "2025-03");
    assert_eq!(march.petitions_pending_within_due, 1);
    // Not late by the end of March, and refused after it: satisfactory for March.
    assert_eq!(march.petitions_received_unsatisfactory, 0);
    let april = tally(&r, "2025-04");
    assert_eq!(april.petitions_rejected, 1);
    assert_eq!(april.petitions_pending, 0);
    // An open PAKN past its due is pending overdue.
    let open = received("2025-03-03T08:00:00+07:00");
    let april = tally(&open, "2025-04");
    assert_eq!(april.petitions_pending, 1);
    assert_eq!(april.petitions_pending_within_due, 0);
    assert_eq!(tally(&open, "2025-03").petitions_received_unsatisfactory, 1);
    // A repeat is unsatisfactory.
    let rep = step(
        &received("2025-03-28T08:00:00+07:00"),
        PetitionStep::MarkRepeat {
            of: PetitionCode::parse("PAKN-XA-A-250101-0001").unwrap(),
        },
        "2025-03-28T09:00:00+07:00",
    );
    assert_eq!(tally(&rep, "2025-03").petitions_received_unsatisfactory, 1);
}
