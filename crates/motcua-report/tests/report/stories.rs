//! Dossiers with their history, built step by step through `Lifecycle::apply` as the desk
//! takes them, in a tree with a province, a district, a commune and a department.

use motcua_core::Timestamp;
use motcua_core::audit::{ActorNames, KnownActor};
use motcua_core::details::{Applicant, Component, Details};
use motcua_core::dossier::{Channel, Dossier, DossierCode, PaymentChannel, SourceSystem};
use motcua_core::fees::{FeeKind, Receipt};
use motcua_core::forms::Document;
use motcua_core::forms::slips::Slip;
use motcua_core::freetext::Reason;
use motcua_core::history::{Change, DossierEvent, EventDetail, Received, StatusChange, StepTaken};
use motcua_core::lifecycle::{Lifecycle, Step};
use motcua_core::procedure::{OnlineLevel, Procedure, ProcedureCode, ProcessingDays};
use motcua_core::unit::{Unit, UnitCode, UnitKind, UnitTree};

pub fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn unit(
    code: &str,
    name: &str,
    short: &str,
    kind: UnitKind,
    label: &str,
    parent: Option<&str>,
) -> Unit {
    Unit {
        code: UnitCode::parse(code).unwrap_or_else(|e| panic!("{e}")),
        name: name.to_owned(),
        short_name: short.to_owned(),
        kind,
        label: label.to_owned(),
        parent: parent.map(|p| UnitCode::parse(p).unwrap_or_else(|e| panic!("{e}"))),
        office_hours: None,
        address: None,
        phone: None,
    }
}

pub fn tree() -> UnitTree {
    UnitTree::new(vec![
        unit(
            "quang-tri",
            "UBND tỉnh Quảng Trị",
            "Quảng Trị",
            UnitKind::Province,
            "tỉnh",
            None,
        ),
        unit(
            "vinh-linh",
            "UBND huyện Vĩnh Linh",
            "Vĩnh Linh",
            UnitKind::District,
            "huyện",
            Some("quang-tri"),
        ),
        unit(
            "vinh-khe",
            "UBND xã Vĩnh Khê",
            "Vĩnh Khê",
            UnitKind::Commune,
            "xã",
            Some("vinh-linh"),
        ),
        unit(
            "vinh-linh.tu-phap",
            "Phòng Tư pháp",
            "Tư pháp",
            UnitKind::Department,
            "phòng",
            Some("vinh-linh"),
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"))
}

pub fn names(tree: &UnitTree) -> ActorNames {
    let known = |login: &str, name: &str, unit: &str| KnownActor {
        actor: format!("user:{login}"),
        name: name.to_owned(),
        unit: Some(UnitCode::parse(unit).unwrap_or_else(|e| panic!("{e}"))),
    };
    ActorNames::new(
        vec![
            known("lan", "Nguyễn Thị Lan", "vinh-khe"),
            known("binh", "Phạm Văn Bình", "vinh-linh"),
            known("hoa", "Lê Thị Hòa", "quang-tri"),
        ],
        tree,
    )
}

pub fn procedure() -> Procedure {
    Procedure {
        code: ProcedureCode::parse("1.001193").unwrap_or_else(|| panic!("code")),
        name: "Đăng ký khai sinh".to_owned(),
        field: "Hộ tịch".to_owned(),
        offered_by: Vec::new(),
        online_level: OnlineLevel::Full,
        processing_days: ProcessingDays::days(3),
        fee_vnd: 8_000,
        components: 2,
        component_list: Vec::new(),
        cutoff_15h: false,
        steps: Vec::new(),
        how_to_submit: None,
    }
}

/// A dossier and what happened to it.
pub struct Story {
    pub dossier: Dossier,
    pub lifecycle: Lifecycle,
    pub details: Option<Details>,
    pub events: Vec<DossierEvent>,
}

impl Story {
    /// Received at the desk of `unit` by `actor` (`None`: imported from another system).
    pub fn received(
        unit: &str,
        code: &str,
        received: &str,
        due: &str,
        actor: Option<&str>,
    ) -> Self {
        let unit = UnitCode::parse(unit).unwrap_or_else(|e| panic!("{e}"));
        let dossier = Dossier {
            code: DossierCode::parse(code).unwrap_or_else(|| panic!("code")),
            procedure_code: procedure().code,
            unit_code: unit.clone(),
            channel: Channel::Direct,
            online_level: None,
            received_at: at(received),
            due_at: at(due),
            resolved_at: None,
            outcome: None,
            returned_at: None,
            components_total: 2,
            components_digitized: 0,
            result_digitized: None,
            fee_vnd: 8_000,
            payment_channel: None,
            paid_at: None,
            e_receipt: None,
            source_system: SourceSystem::New,
            rating: None,
        };
        let mut events = Vec::new();
        let (lifecycle, details) = match actor {
            Some(actor) => {
                events.push(DossierEvent {
                    dossier_code: dossier.code.clone(),
                    at: dossier.received_at,
                    actor: format!("user:{actor}"),
                    detail: EventDetail::Received(Received {
                        procedure: dossier.procedure_code.clone(),
                        unit: unit.clone(),
                        channel: Channel::Direct,
                        due_at: dossier.due_at,
                    }),
                });
                (
                    Lifecycle::received(unit, dossier.received_at),
                    Some(details()),
                )
            }
            None => {
                events.push(DossierEvent {
                    dossier_code: dossier.code.clone(),
                    at: at("2026-12-01T09:00:00+07:00"),
                    actor: "import:dossiers.csv".to_owned(),
                    detail: EventDetail::Imported(motcua_core::history::Imported { line: 2 }),
                });
                (Lifecycle::of_imported(&dossier), None)
            }
        };
        Self {
            dossier,
            lifecycle,
            details,
            events,
        }
    }

    /// Takes a step as the desk does, recording its event.
    pub fn step(mut self, step: Step, when: &str, actor: &str) -> Self {
        let t = at(when);
        let before = self.lifecycle.status;
        let next = self
            .lifecycle
            .apply(&step, t)
            .unwrap_or_else(|e| panic!("{step:?}: {e}"));
        self.dossier.resolved_at = next.resolved_at;
        self.dossier.outcome = next.outcome;
        self.dossier.returned_at = next.returned_at;
        self.events.push(DossierEvent {
            dossier_code: self.dossier.code.clone(),
            at: t,
            actor: format!("user:{actor}"),
            detail: EventDetail::Step(StepTaken {
                step,
                status: StatusChange {
                    before: Some(before),
                    after: next.status,
                },
                due_at: Change {
                    before: self.dossier.due_at,
                    after: self.dossier.due_at,
                },
                handling_unit: next.handling_unit.clone(),
            }),
        });
        self.lifecycle = next;
        self
    }

    pub fn slip<'a>(
        &'a self,
        procedure: &'a Procedure,
        tree: &'a UnitTree,
        names: &'a ActorNames,
    ) -> Slip<'a> {
        Slip {
            dossier: &self.dossier,
            lifecycle: &self.lifecycle,
            details: self.details.as_ref(),
            procedure: Some(procedure),
            events: &self.events,
            tree,
            names,
            show_id: true,
            tracking: None,
        }
    }

    pub fn receipt(&self, issued: &str, fee_kind: Option<FeeKind>) -> Receipt {
        Receipt {
            unit: self.dossier.unit_code.clone(),
            year: at(issued).local_date().year(),
            number: 42,
            form_symbol: "01BLP0-001".to_owned(),
            series: "VK-24E".to_owned(),
            dossier: self.dossier.code.clone(),
            amount_vnd: 8_000,
            payment_channel: PaymentChannel::Offline,
            issued_at: at(issued),
            issued_by: "user:lan".to_owned(),
            fee_kind,
        }
    }
}

pub fn reason(text: &str) -> Reason {
    Reason::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn details() -> Details {
    let component = |name: &str, originals, copies| Component {
        name: name.to_owned(),
        originals,
        copies,
        scan: None,
    };
    Details {
        applicant: Applicant {
            name: "Trần Văn Bình".to_owned(),
            id_number: "045099001234".to_owned(),
            address: "Thôn Tân Trại, xã Vĩnh Khê".to_owned(),
            phone: "0912345678".to_owned(),
            email: String::new(),
        },
        request: String::new(),
        components: vec![
            component("Tờ khai đăng ký khai sinh", 1, 0),
            component("Giấy chứng sinh", 1, 0),
        ],
        result_scan: None,
        representative: None,
    }
}

/// A form as text, for snapshots: the header, the title, every block and the signatures.
pub fn text(doc: &Document) -> String {
    use motcua_core::forms::Block;
    let mut out = Vec::new();
    if let Some(p) = &doc.issuer_parent {
        out.push(format!("[trái] {p}"));
    }
    out.push(format!("[trái, đậm] {}", doc.issuer));
    if let Some(n) = &doc.number {
        out.push(format!("[trái] {n}"));
    }
    out.push(
        "[phải, đậm] CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc".to_owned(),
    );
    out.push(format!("[phải, nghiêng] {}", doc.place_date));
    if let Some(qr) = &doc.qr {
        out.push(format!("[QR] {}", qr.replace('\n', " | ")));
    }
    out.push(format!("# {}", doc.title.to_uppercase()));
    out.push(format!("({})", doc.subtitle));
    for b in &doc.blocks {
        out.push(match b {
            Block::Para(t) => format!("¶ {t}"),
            Block::Line(t) => t.clone(),
            Block::Reason(t) => format!("¶ {t}"),
            Block::Field { label, value, .. } | Block::Strong { label, value, .. }
                if value.is_empty() =>
            {
                format!("{label}: ……")
            }
            Block::Field { label, value, .. } => format!("{label}: {value}"),
            Block::Strong { label, value, .. } => format!("{label}: **{value}**"),
            Block::Table { head, rows, .. } => {
                let mut t = vec![format!("| {} |", head.join(" | "))];
                t.extend(rows.iter().map(|r| format!("| {} |", r.join(" | "))));
                t.join("\n")
            }
            Block::Note(t) => format!("_{t}_"),
        });
    }
    if !doc.recipients.is_empty() {
        out.push(format!("Nơi nhận: {}", doc.recipients.join(" ")));
    }
    for s in &doc.signatures {
        out.push(format!(
            "[ký] {} {} — {}",
            s.lines.join(" / "),
            s.hint,
            if s.name.is_empty() { "……" } else { &s.name }
        ));
    }
    out.join("\n")
}
