//! The content of each desk form of a dossier ([`Slip::document`]): what it says, for the
//! dossier's circular ([`Circular::of_reception`]), from the dossier, its lifecycle, its
//! desk record (absent for a dossier imported from another system: the form then says what
//! the data does not hold and leaves those lines to be written by hand) and its history.
//! Whether a form exists for the dossier is [`Slip::check`]: the apology letter is refused
//! when the apology was given while the clock was stopped (the dossier could not be late).
//! An apology is given at the latest one working day before the appointment (Decree
//! 107/2021, checked by the desk), so the 2018 letter says the result cannot be returned on
//! time, and only a letter given after the appointment says it was not.

use crate::audit::ActorNames;
use crate::details::{Applicant, Details};
use crate::dossier::{Channel, Dossier, Outcome};
use crate::history::{DossierEvent, EventDetail, StepTaken};
use crate::lifecycle::{Lifecycle, PauseKind, StepKind};
use crate::procedure::{Procedure, processing_days_text};
use crate::timestamp::Timestamp;
use crate::unit::{Unit, UnitTree};

use super::control::{hand_overs, overall, signer};
use super::{
    Block, Circular, Document, Form, Signature, desk_name, form_time, head_signature, issuer,
    number_line, place_date, place_of,
};

/// Why a form cannot be printed for a dossier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// The dossier has nothing this form records (no refusal, no supplement request…).
    #[error("hồ sơ không có {0}")]
    Absent(String),
    /// The form does not exist under the circular the dossier follows.
    #[error("{form} không có trong {circular}, áp dụng cho hồ sơ này theo ngày tiếp nhận")]
    NotInCircular {
        form: &'static str,
        circular: &'static str,
    },
    /// The form would state something untrue.
    #[error("{0}")]
    Refused(String),
    #[error("không tìm thấy đơn vị «{0}»")]
    UnknownUnit(String),
}

/// What a dossier's forms are made from.
#[derive(Debug, Clone, Copy)]
pub struct Slip<'a> {
    pub dossier: &'a Dossier,
    pub lifecycle: &'a Lifecycle,
    /// The desk's record; `None` for a dossier imported from another system.
    pub details: Option<&'a Details>,
    /// The procedure, when the catalogue has it.
    pub procedure: Option<&'a Procedure>,
    pub events: &'a [DossierEvent],
    pub tree: &'a UnitTree,
    pub names: &'a ActorNames,
    /// Whether the reader may see the applicant's ID number (printed and in the QR code).
    pub show_id: bool,
    /// The public tracking page of this dossier (`https://HOST/track?code=CODE`), when the
    /// server knows its address: the QR code is then that address, so that the applicant's
    /// phone opens the tracking page, with the other identifiers as further parameters.
    pub tracking: Option<&'a str>,
}

/// Where a numbered form takes its number: the unit whose series it is and the instant of
/// what it records (its year chooses the series; with the dossier it identifies the form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberKey {
    pub unit: crate::unit::UnitCode,
    pub at: Timestamp,
}

impl<'a> Slip<'a> {
    pub fn circular(&self) -> Circular {
        Circular::of_reception(self.dossier.received_at)
    }

    fn unit(&self, code: &crate::unit::UnitCode) -> Result<&'a Unit, FormError> {
        self.tree
            .get(code)
            .ok_or_else(|| FormError::UnknownUnit(code.to_string()))
    }

    /// The last step of a kind, with its event.
    fn last_step(&self, kind: StepKind) -> Option<(&'a DossierEvent, &'a StepTaken)> {
        self.events.iter().rev().find_map(|e| match &e.detail {
            EventDetail::Step(s) if s.step.kind() == kind => Some((e, s)),
            _ => None,
        })
    }

    /// Whether the form can be printed for the dossier now, and if not, why.
    pub fn check(&self, form: Form) -> Result<(), FormError> {
        let c = self.circular();
        let title = form.title(c);
        if form.number(c).is_none() {
            return Err(FormError::NotInCircular {
                form: title,
                circular: c.citation(),
            });
        }
        let absent = || Err(FormError::Absent(title.to_lowercase()));
        match form {
            Form::Reception | Form::Control => Ok(()),
            Form::Supplement
                if self
                    .lifecycle
                    .pauses
                    .iter()
                    .any(|p| p.kind == PauseKind::Supplement) =>
            {
                Ok(())
            }
            Form::Supplement => absent(),
            Form::Refusal if self.dossier.outcome == Some(Outcome::Rejected) => Ok(()),
            Form::Stop if self.dossier.outcome == Some(Outcome::Withdrawn) => Ok(()),
            Form::Refusal | Form::Stop => absent(),
            Form::Apology => {
                if self.lifecycle.apology.is_none() {
                    return absent();
                }
                let step = self.last_step(StepKind::Apologize);
                if step.is_some_and(|(_, s)| s.status.before.is_some_and(|st| st.is_paused())) {
                    return Err(FormError::Refused(format!(
                        "không lập {}: lời xin lỗi được ghi khi hồ sơ đang tạm dừng (chờ bổ sung hoặc tạm dừng giải quyết), thời hạn giải quyết không chạy",
                        title.to_lowercase()
                    )));
                }
                Ok(())
            }
        }
    }

    /// The unit and instant a numbered form takes its number from; `None` for a form
    /// without a number under the dossier's circular.
    pub fn number_key(&self, form: Form) -> Option<NumberKey> {
        let c = self.circular();
        let d = self.dossier;
        let desk = |at| NumberKey {
            unit: d.unit_code.clone(),
            at,
        };
        match form {
            Form::Reception => Some(desk(d.received_at)),
            _ if form.symbol(c).is_none() => None,
            Form::Supplement => self
                .lifecycle
                .pauses
                .iter()
                .rev()
                .find(|p| p.kind == PauseKind::Supplement)
                .map(|p| desk(p.from)),
            Form::Refusal => Some(desk(d.resolved_at.unwrap_or(d.received_at))),
            Form::Stop => self.last_step(StepKind::Withdraw).map(|(e, _)| desk(e.at)),
            Form::Control => Some(desk(d.received_at)),
            Form::Apology => {
                let (e, s) = self.last_step(StepKind::Apologize)?;
                Some(NumberKey {
                    unit: s.handling_unit.clone(),
                    at: e.at,
                })
            }
        }
    }

    /// The form's content. `number` is the number the store gave it (see
    /// [`Slip::number_key`]); `None` leaves the number to be written by hand.
    pub fn document(&self, form: Form, number: Option<i64>) -> Result<Document, FormError> {
        self.check(form)?;
        let c = self.circular();
        let d = self.dossier;
        let unit = self.unit(&d.unit_code)?;
        let mut doc = Document {
            issuer_parent: Some(unit.name.to_uppercase()),
            issuer: desk_name(unit, c).to_owned(),
            number: number.and_then(|n| number_line(form, c, unit, n)),
            place_date: place_date(place_of(self.tree, unit), d.received_at),
            qr: None,
            title: form.title(c).to_owned(),
            subtitle: format!(
                "Mẫu số {} – {}",
                form.number(c).unwrap_or_default(),
                c.citation()
            ),
            blocks: Vec::new(),
            signatures: Vec::new(),
            recipients: Vec::new(),
        };
        match form {
            Form::Reception => self.reception(&mut doc, unit, number),
            Form::Supplement => self.supplement(&mut doc, unit),
            Form::Refusal => self.refusal(&mut doc, unit)?,
            Form::Apology => self.apology(&mut doc)?,
            Form::Stop => self.stop(&mut doc, unit),
            Form::Control => self.control(&mut doc, unit)?,
        }
        Ok(doc)
    }

    fn applicant(&self) -> Applicant {
        let mut a = self
            .details
            .map(|d| d.applicant.clone())
            .unwrap_or_default();
        if !self.show_id {
            a.id_number = String::new();
        }
        a
    }

    /// Nội dung yêu cầu giải quyết: what the desk wrote, else the procedure's name.
    fn request(&self) -> String {
        let written = self.details.map(|d| d.request.trim()).unwrap_or_default();
        if !written.is_empty() {
            return written.to_owned();
        }
        self.procedure.map(|p| p.name.clone()).unwrap_or_else(|| {
            format!(
                "Thủ tục mã {} (không có trong danh mục)",
                self.dossier.procedure_code
            )
        })
    }

    /// The desk as a sentence names it: `Bộ phận tiếp nhận và trả kết quả UBND xã Vĩnh Khê`.
    fn desk_sentence(&self, unit: &Unit) -> String {
        let desk = desk_name(unit, self.circular()).to_lowercase();
        format!("{} {}", crate::display::capitalise(&desk), unit.name)
    }

    /// The applicant's lines; 2025 adds the identifier and the authorised representative.
    fn applicant_blocks(&self, doc: &mut Document, a: &Applicant) {
        let c = self.circular();
        if c == Circular::Tt03_2025 || !a.id_number.is_empty() {
            doc.blocks
                .push(Block::field("Số định danh cá nhân/tổ chức", &a.id_number));
        }
        doc.blocks.push(Block::field("Địa chỉ", &a.address));
        doc.blocks.push(Block::field("Số điện thoại", &a.phone));
        doc.blocks.push(Block::field("Thư điện tử", &a.email));
        if c == Circular::Tt03_2025 {
            doc.blocks.push(Block::field(
                "Người đại diện theo ủy quyền (họ tên, số định danh, giấy ủy quyền; nếu có)",
                "",
            ));
        }
    }

    /// What an imported dossier's data does not hold, said once.
    fn imported_note(&self, doc: &mut Document) {
        if self.details.is_none() {
            doc.blocks.push(Block::Note(
                "Hồ sơ nhập từ hệ thống khác: dữ liệu không có thông tin người nộp (họ tên, số định danh, địa chỉ, điện thoại, thư điện tử) và danh mục giấy tờ; các dòng đó để trống để ghi tay.".to_owned(),
            ));
        }
    }

    fn reception(&self, doc: &mut Document, unit: &Unit, number: Option<i64>) {
        let d = self.dossier;
        let a = self.applicant();
        doc.qr = Some(super::qr::text(self, Form::Reception, &a));
        let year = d.received_at.local_date().year();
        doc.number = Some(match number {
            Some(n) => format!("Quyển số: {year} – Số thứ tự: {n:02}"),
            None => format!("Quyển số: {year} – Số thứ tự: ……"),
        });
        doc.blocks
            .push(Block::strong("Mã hồ sơ", d.code.as_str()).with_id("code"));
        self.imported_note(doc);
        doc.blocks.push(Block::strong(
            &format!("{} tiếp nhận hồ sơ của", self.desk_sentence(unit)),
            &a.name,
        ));
        self.applicant_blocks(doc, &a);
        doc.blocks
            .push(Block::field("Nội dung yêu cầu giải quyết", self.request()));
        doc.blocks
            .push(Block::Line("1. Thành phần hồ sơ nộp gồm:".to_owned()));
        match self.details {
            Some(details) if !details.components.is_empty() => doc.blocks.push(Block::Table {
                id: "components",
                head: ["STT", "Tên giấy tờ", "Bản chính", "Bản sao"]
                    .map(str::to_owned)
                    .to_vec(),
                rows: details
                    .components
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        vec![
                            (i + 1).to_string(),
                            c.name.clone(),
                            c.originals.to_string(),
                            c.copies.to_string(),
                        ]
                    })
                    .collect(),
            }),
            _ => doc.blocks.push(Block::Note(format!(
                "Hồ sơ có {} thành phần; danh mục giấy tờ không có trong dữ liệu.",
                d.components_total
            ))),
        }
        doc.blocks
            .push(Block::field("2. Số lượng hồ sơ", "01 (bộ)"));
        doc.blocks.push(Block::field(
            "3. Thời gian giải quyết hồ sơ theo quy định",
            self.procedure.map_or(String::new(), |p| {
                format!(
                    "{} ngày làm việc",
                    processing_days_text(p.processing_days).replace('.', ",")
                )
            }),
        ));
        doc.blocks.push(Block::field(
            "4. Thời gian nhận hồ sơ",
            form_time(d.received_at),
        ));
        doc.blocks.push(
            Block::strong(
                "5. Thời gian trả kết quả giải quyết hồ sơ",
                form_time(d.due_at),
            )
            .with_id("due"),
        );
        let place = match d.channel {
            Channel::Online => "Cổng Dịch vụ công (trực tuyến) hoặc ".to_owned(),
            Channel::Direct | Channel::Postal => String::new(),
        };
        doc.blocks.push(Block::field(
            "6. Đăng ký nhận kết quả tại",
            format!("{place}{}", self.desk_sentence(unit)),
        ));
        let receiver = self
            .events
            .iter()
            .find(|e| matches!(e.detail, EventDetail::Received(_)))
            .map(|e| signer(self.names, &e.actor))
            .unwrap_or_default();
        doc.signatures = vec![
            Signature::of("NGƯỜI NỘP HỒ SƠ", &a.name),
            Signature::of("NGƯỜI TIẾP NHẬN HỒ SƠ", &receiver),
        ];
    }

    fn supplement(&self, doc: &mut Document, unit: &Unit) {
        let a = self.applicant();
        let pause = self
            .lifecycle
            .pauses
            .iter()
            .rev()
            .find(|p| p.kind == PauseKind::Supplement);
        let at = pause.map_or(self.dossier.received_at, |p| p.from);
        doc.place_date = place_date(place_of(self.tree, unit), at);
        let guide = self
            .events
            .iter()
            .find(|e| {
                e.at == at
                    && matches!(&e.detail, EventDetail::Step(s) if s.step.kind() == StepKind::RequestSupplement)
            })
            .map(|e| signer(self.names, &e.actor))
            .unwrap_or_default();
        doc.blocks
            .push(Block::strong("Mã hồ sơ", self.dossier.code.as_str()).with_id("code"));
        self.imported_note(doc);
        doc.blocks.push(Block::strong(
            &format!("{} tiếp nhận hồ sơ của", self.desk_sentence(unit)),
            &a.name,
        ));
        doc.blocks
            .push(Block::field("Nội dung yêu cầu giải quyết", self.request()));
        self.applicant_blocks(doc, &a);
        doc.blocks.push(Block::Line(
            "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:".to_owned(),
        ));
        doc.blocks.push(Block::Reason(
            pause.map_or("", |p| p.reason.as_str()).to_owned(),
        ));
        doc.blocks.push(Block::para(format!(
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ {} để được hướng dẫn. Thời gian bổ sung hồ sơ không tính vào thời hạn giải quyết.",
            if guide.is_empty() { "người hướng dẫn ký dưới đây".to_owned() } else { format!("ông/bà {guide}") }
        )));
        doc.signatures = vec![
            Signature::default(),
            Signature::of("NGƯỜI HƯỚNG DẪN", &guide),
        ];
    }

    fn refusal(&self, doc: &mut Document, unit: &Unit) -> Result<(), FormError> {
        let d = self.dossier;
        let a = self.applicant();
        let step = self.last_step(StepKind::Reject);
        let at = step.map_or(d.resolved_at.unwrap_or(d.received_at), |(e, _)| e.at);
        doc.place_date = place_date(place_of(self.tree, unit), at);
        let handling = match step {
            Some((_, s)) => self.unit(&s.handling_unit)?,
            None => unit,
        };
        doc.blocks
            .push(Block::strong("Mã hồ sơ", d.code.as_str()).with_id("code"));
        self.imported_note(doc);
        doc.blocks.push(Block::strong(
            &format!("{} đã tiếp nhận hồ sơ của", self.desk_sentence(unit)),
            &a.name,
        ));
        self.applicant_blocks(doc, &a);
        doc.blocks
            .push(Block::field("Nội dung yêu cầu giải quyết", self.request()));
        doc.blocks.push(Block::para(format!(
            "Qua xem xét, {} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
            handling.name
        )));
        let reason = step.and_then(|(_, s)| s.step.reason()).unwrap_or_default();
        doc.blocks.push(Block::Reason(reason.to_owned()));
        doc.blocks.push(Block::para(
            "Xin thông báo để ông/bà được biết và thực hiện.",
        ));
        let officer = step.map_or(String::new(), |(e, _)| signer(self.names, &e.actor));
        doc.signatures = vec![
            Signature::of("NGƯỜI NỘP HỒ SƠ", &a.name),
            Signature::of("NGƯỜI TIẾP NHẬN HỒ SƠ", &officer),
        ];
        Ok(())
    }

    fn apology(&self, doc: &mut Document) -> Result<(), FormError> {
        let c = self.circular();
        let d = self.dossier;
        let a = self.applicant();
        let Some(apology) = &self.lifecycle.apology else {
            return Err(FormError::Absent(doc.title.to_lowercase()));
        };
        let step = self.last_step(StepKind::Apologize);
        let handling = match step {
            Some((_, s)) => self.unit(&s.handling_unit)?,
            None => self.unit(&self.lifecycle.handling_unit)?,
        };
        let due = step.map_or(d.due_at, |(_, s)| s.due_at.before);
        // Signed by the head of the body that is late, under its own name.
        let (parent, body) = issuer(self.tree, handling);
        doc.issuer_parent = parent;
        doc.issuer = body;
        doc.place_date = place_date(place_of(self.tree, handling), apology.at);
        doc.blocks.push(Block::strong("Kính gửi", &a.name));
        doc.blocks.push(Block::para(format!(
            "Ngày {}, {} tiếp nhận giải quyết hồ sơ của ông/bà: {} (mã hồ sơ {}).",
            form_time(d.received_at)
                .split_once(", ngày ")
                .map_or(String::new(), |(_, day)| day.to_owned()),
            self.desk_sentence(self.unit(&d.unit_code)?),
            self.request(),
            d.code
        )));
        doc.blocks.push(Block::field(
            "Thời gian hẹn trả kết quả giải quyết hồ sơ",
            form_time(due),
        ));
        match c {
            Circular::Tt01_2018 => {
                let late = if apology.at > due {
                    "Tuy nhiên đến nay, {} chưa trả kết quả"
                } else {
                    "Tuy nhiên, {} không thể trả kết quả"
                };
                doc.blocks.push(Block::para(format!(
                    "{} giải quyết hồ sơ của ông/bà đúng thời hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Lý do: {}",
                    late.replace("{}", &handling.name),
                    apology.reason
                )));
                doc.blocks.push(Block::para(format!(
                    "Sự chậm trễ này đã gây phiền hà cho ông/bà. {} xin lỗi ông/bà và hẹn lại ngày trả kết quả vào {}.",
                    handling.name,
                    form_time(apology.new_due)
                )));
            }
            Circular::Tt03_2025 => {
                doc.blocks.push(Block::para(format!(
                    "{} không thể trả kết quả giải quyết hồ sơ của ông/bà đúng thời hạn nêu trên. Lý do: {}",
                    handling.name, apology.reason
                )));
                doc.blocks.push(Block::para(format!(
                    "{} trân trọng xin lỗi ông/bà và đề nghị gia hạn thời gian giải quyết hồ sơ đến {}.",
                    handling.name,
                    form_time(apology.new_due)
                )));
            }
        }
        doc.blocks
            .push(Block::para("Kính mong nhận được sự thông cảm của ông/bà."));
        doc.recipients = vec![
            "- Như trên;".to_owned(),
            format!("- {};", self.desk_sentence(self.unit(&d.unit_code)?)),
            "- Lưu: VT.".to_owned(),
        ];
        doc.signatures = vec![
            Signature::default(),
            Signature {
                lines: head_signature(handling),
                hint: "(Ký, ghi rõ họ tên và đóng dấu)".to_owned(),
                name: String::new(),
            },
        ];
        Ok(())
    }

    fn stop(&self, doc: &mut Document, unit: &Unit) {
        let d = self.dossier;
        let a = self.applicant();
        let step = self.last_step(StepKind::Withdraw);
        let at = step.map_or(d.resolved_at.unwrap_or(d.received_at), |(e, _)| e.at);
        doc.place_date = place_date(place_of(self.tree, unit), at);
        doc.blocks.push(Block::strong("Kính gửi", &a.name));
        self.imported_note(doc);
        self.applicant_blocks(doc, &a);
        doc.blocks.push(Block::para(format!(
            "{} đã tiếp nhận hồ sơ mã {} của ông/bà, nội dung yêu cầu giải quyết: {}, lúc {}.",
            self.desk_sentence(unit),
            d.code,
            self.request(),
            form_time(d.received_at)
        )));
        let reason = step.and_then(|(_, s)| s.step.reason()).unwrap_or_default();
        doc.blocks.push(Block::para(format!(
            "Theo đề nghị của ông/bà (lý do: {reason}), hồ sơ được dừng giải quyết từ {}. Hồ sơ chưa có kết quả giải quyết; ông/bà được nhận lại hồ sơ đã nộp tại {}.",
            form_time(at),
            self.desk_sentence(unit)
        )));
        let officer = step.map_or(String::new(), |(e, _)| signer(self.names, &e.actor));
        doc.signatures = vec![
            Signature::default(),
            Signature::of("NGƯỜI TIẾP NHẬN HỒ SƠ", &officer),
        ];
    }

    fn control(&self, doc: &mut Document, unit: &Unit) -> Result<(), FormError> {
        let d = self.dossier;
        let a = self.applicant();
        let rows = hand_overs(d, self.events, self.tree, self.names);
        let mut partners: Vec<String> = Vec::new();
        for e in self.events {
            if let EventDetail::Step(s) = &e.detail
                && s.handling_unit != d.unit_code
            {
                let name = self.unit(&s.handling_unit)?.name.clone();
                if !partners.contains(&name) {
                    partners.push(name);
                }
            }
        }
        doc.blocks
            .push(Block::strong("Mã hồ sơ", d.code.as_str()).with_id("code"));
        self.imported_note(doc);
        doc.blocks
            .push(Block::strong("Kèm theo hồ sơ của", &a.name));
        doc.blocks.push(Block::field("Số điện thoại", &a.phone));
        doc.blocks
            .push(Block::field("Nội dung yêu cầu giải quyết", self.request()));
        doc.blocks
            .push(Block::field("Ngày nhận", form_time(d.received_at)));
        doc.blocks
            .push(Block::field("Hẹn trả", form_time(d.due_at)));
        doc.blocks
            .push(Block::field("Cơ quan giải quyết hồ sơ", &unit.name));
        doc.blocks.push(Block::field(
            "Cơ quan phối hợp giải quyết",
            if partners.is_empty() {
                "Không có".to_owned()
            } else {
                partners.join("; ")
            },
        ));
        doc.blocks.push(Block::Table {
            id: "control",
            head: [
                "TÊN CƠ QUAN",
                "THỜI GIAN GIAO, NHẬN HỒ SƠ",
                "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (trước hạn/đúng hạn/quá hạn)",
                "GHI CHÚ",
            ]
            .map(str::to_owned)
            .to_vec(),
            rows: rows
                .into_iter()
                .map(|r| vec![r.body, r.exchange, r.result, r.note])
                .collect(),
        });
        doc.blocks
            .push(Block::strong("Kết quả giải quyết hồ sơ", overall(d)).with_id("result"));
        doc.blocks.push(Block::Note(
            "Quá trình giao, nhận hồ sơ được lưu vết tự động trong hệ thống.".to_owned(),
        ));
        Ok(())
    }
}
