//! The one-time code's message in Vietnamese: the SMS, or the e-mail's subject and body, built
//! from the code and its lifetime ([`code_messages`]).

use super::Contact;
use crate::outbox::{Channel, Message};

/// How long a one-time code is valid, in minutes.
pub const CODE_MINUTES: i64 = 10;

/// What a one-time code for signing up says, for the channel of `to`: one SMS, or one e-mail.
pub fn code_messages(to: &Contact, code: &str) -> Vec<Message> {
    let text = format!(
        "Mã xác nhận đăng ký tài khoản Dịch vụ công: {code}. Mã có hiệu lực trong {CODE_MINUTES} phút. Không cung cấp mã này cho bất kỳ ai."
    );
    let message = match to.channel() {
        Channel::Sms => Message {
            channel: Channel::Sms,
            to: to.as_str().to_owned(),
            subject: String::new(),
            body: text,
        },
        Channel::Email => Message {
            channel: Channel::Email,
            to: to.as_str().to_owned(),
            subject: "Mã xác nhận đăng ký tài khoản Dịch vụ công".to_owned(),
            body: format!(
                "Xin chào,\n\n{text}\n\nNếu bạn không đăng ký tài khoản, hãy bỏ qua thư này.\n"
            ),
        },
    };
    vec![message]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_sms_is_the_one_sentence() {
        let to = Contact::Phone("0912345678".to_owned());
        assert_eq!(
            code_messages(&to, "123456"),
            vec![Message {
                channel: Channel::Sms,
                to: "0912345678".to_owned(),
                subject: String::new(),
                body: "Mã xác nhận đăng ký tài khoản Dịch vụ công: 123456. Mã có hiệu lực trong 10 phút. Không cung cấp mã này cho bất kỳ ai.".to_owned(),
            }]
        );
    }

    #[test]
    fn an_email_has_a_subject_and_the_sentence() {
        let to = Contact::Email("an@example.vn".to_owned());
        let m = code_messages(&to, "654321");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].channel, Channel::Email);
        assert_eq!(m[0].to, "an@example.vn");
        assert_eq!(m[0].subject, "Mã xác nhận đăng ký tài khoản Dịch vụ công");
        assert!(m[0].body.contains(
            "Mã xác nhận đăng ký tài khoản Dịch vụ công: 654321. Mã có hiệu lực trong 10 phút. Không cung cấp mã này cho bất kỳ ai."
        ));
    }
}
