//! In-app notices (thông báo): what waits for the people of a unit, counted for the header's
//! notice count. [`NoticeKind`] is the one list of kinds; each kind's source adds its
//! [`Notice`] (the app layer reads the store), and the header shows the total and each line
//! with its link. Follow-ups asked of the unit are the first kind; the returned supplements
//! and the dossiers due soon join it from the desk.

use serde::Serialize;

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NoticeKind {
    /// The unit above asked for a remediation report not yet sent (theo dõi khắc phục).
    FollowUpAsked,
    /// Dossiers whose supplement came back and wait to be processed again.
    SupplementReturned,
    /// Open dossiers due within two working days.
    DueSoon,
    /// Online submissions waiting in reception's inbox (`motcua_core::online`).
    OnlineWaiting,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 4] = [
        NoticeKind::FollowUpAsked,
        NoticeKind::SupplementReturned,
        NoticeKind::DueSoon,
        NoticeKind::OnlineWaiting,
    ];

    /// The notice's line for `count` items: `1 yêu cầu báo cáo khắc phục chờ gửi`.
    pub fn text(self, count: u64) -> String {
        let n = crate::display::count(count);
        match self {
            NoticeKind::FollowUpAsked => format!("{n} yêu cầu báo cáo khắc phục chờ gửi"),
            NoticeKind::SupplementReturned => format!("{n} hồ sơ đã nhận bổ sung chờ xử lý"),
            NoticeKind::DueSoon => format!("{n} hồ sơ sắp đến hạn trả"),
            NoticeKind::OnlineWaiting => format!("{n} hồ sơ trực tuyến chờ tiếp nhận"),
        }
    }
}

/// One line of the notices: a kind, how many, and the page that lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub kind: NoticeKind,
    pub count: u64,
    /// A path of the app (`/follow-ups?month=2024-05`).
    pub href: String,
}

impl Notice {
    pub fn text(&self) -> String {
        self.kind.text(self.count)
    }
}

/// The total of the notices' counts, for the header's badge.
pub fn total(notices: &[Notice]) -> u64 {
    notices.iter().map(|n| n.count).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_read_as_counted_lines() {
        let n = [
            Notice {
                kind: NoticeKind::FollowUpAsked,
                count: 1,
                href: "/follow-ups".into(),
            },
            Notice {
                kind: NoticeKind::DueSoon,
                count: 1204,
                href: "/desk".into(),
            },
        ];
        assert_eq!(n[0].text(), "1 yêu cầu báo cáo khắc phục chờ gửi");
        assert_eq!(n[1].text(), "1.204 hồ sơ sắp đến hạn trả");
        assert_eq!(total(&n), 1205);
    }
}
