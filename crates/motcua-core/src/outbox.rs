//! Messages to citizens (thông báo tới công dân) by e-mail and SMS: what one message is. The
//! store keeps them in a durable outbox written in the same transaction as the change they
//! tell of; a worker of the app sends them with retries. Their Vietnamese wording is built
//! here, from values, so that it can be tested without sending anything.

use serde::{Deserialize, Serialize};

mod notices;

pub use notices::{NoticeFacts, RatingInvite, ReceiptFacts, StatusNotice, sms_segments};

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Email, Channel::Sms];

    /// The stored text of the channel.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    /// The channel whose [`code`](Self::code) is `text`.
    pub fn from_code(text: &str) -> Option<Channel> {
        Self::ALL.into_iter().find(|c| c.code() == text)
    }
}

/// One message to one address: an e-mail (subject and body) or an SMS (body only; the subject
/// is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub channel: Channel,
    /// An e-mail address or a telephone number.
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_channel_reads_back_from_its_code() {
        for c in Channel::ALL {
            assert_eq!(Channel::from_code(c.code()), Some(c));
        }
    }
}
