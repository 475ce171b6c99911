//! The actions an administrator confirms before they are taken on an account, with their
//! words: the button, the question of the confirmation page, what happens, what was done.

/// An action on an account that the administrator confirms first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UserAction {
    Disable,
    Enable,
    Unlock,
    Password,
}

impl UserAction {
    const ALL: [UserAction; 4] = [
        UserAction::Disable,
        UserAction::Enable,
        UserAction::Unlock,
        UserAction::Password,
    ];

    pub(super) fn as_str(self) -> &'static str {
        match self {
            UserAction::Disable => "disable",
            UserAction::Enable => "enable",
            UserAction::Unlock => "unlock",
            UserAction::Password => "password",
        }
    }

    pub(super) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }

    pub(super) fn button(self) -> &'static str {
        match self {
            UserAction::Disable => "Khóa tài khoản",
            UserAction::Enable => "Mở lại tài khoản",
            UserAction::Unlock => "Mở khóa đăng nhập",
            UserAction::Password => "Cấp mật khẩu tạm thời",
        }
    }

    pub(super) fn question(self, name: &str) -> String {
        match self {
            UserAction::Disable => format!("Khóa tài khoản của {name}?"),
            UserAction::Enable => format!("Mở lại tài khoản của {name}?"),
            UserAction::Unlock => format!("Mở khóa đăng nhập cho {name}?"),
            UserAction::Password => format!("Cấp mật khẩu tạm thời cho {name}?"),
        }
    }

    pub(super) fn explanation(self) -> &'static str {
        match self {
            UserAction::Disable => {
                "Người này sẽ bị đăng xuất ngay và không đăng nhập được cho đến khi tài khoản được mở lại. Hồ sơ và nhật ký của họ vẫn giữ nguyên."
            }
            UserAction::Enable => "Người này sẽ đăng nhập lại được bằng mật khẩu hiện có.",
            UserAction::Unlock => {
                "Số lần nhập sai mật khẩu được xóa; người này đăng nhập lại được ngay, không phải chờ hết thời gian tạm khóa."
            }
            UserAction::Password => {
                "Mật khẩu hiện tại hết hiệu lực và mọi phiên đăng nhập của người này kết thúc. Mật khẩu tạm thời chỉ hiện một lần; hãy trao tận tay. Người này phải đổi mật khẩu ngay khi đăng nhập."
            }
        }
    }

    pub(super) fn done_text(self, name: &str) -> String {
        match self {
            UserAction::Disable => format!("Đã khóa tài khoản của {name}."),
            UserAction::Enable => format!("Đã mở lại tài khoản của {name}."),
            UserAction::Unlock => format!("Đã mở khóa đăng nhập cho {name}."),
            UserAction::Password => format!("Đã cấp mật khẩu tạm thời cho {name}."),
        }
    }
}
