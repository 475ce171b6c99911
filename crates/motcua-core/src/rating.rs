//! A citizen's rating of the service (đánh giá mức độ hài lòng), once their dossier's result
//! exists: the [`Rating`] kept on the dossier (which the counts tally), and what comes with
//! it — the [`RatingChannel`] it was given through and the citizen's [`Comment`], bounded as
//! [`crate::freetext`] bounds what people type — checked once by [`RatingInput::parse`].
//!
//! A dossier is rated once, and only once its result exists: approved or rejected (not
//! withdrawn), whether or not the result has been handed back yet, since a result
//! downloaded online is never handed back at the desk. [`may_rate`] says why not.

use serde::{Deserialize, Serialize};

pub use crate::dossier::Rating;
use crate::dossier::{Dossier, Outcome};
use crate::freetext::check_note;

/// The longest comment a rating may carry (characters).
pub const MAX_COMMENT_CHARS: usize = 1000;

/// Where the citizen rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RatingChannel {
    /// From the link or QR code of the dossier, on the citizen's own device or account.
    Online,
    /// On the tablet at the desk (màn hình đánh giá tại quầy).
    Kiosk,
}

impl RatingChannel {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RatingChannel::Online => "online",
            RatingChannel::Kiosk => "kiosk",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "online" => Some(RatingChannel::Online),
            "kiosk" => Some(RatingChannel::Kiosk),
            _ => None,
        }
    }

    /// How it reads: `trực tuyến`, `tại quầy`.
    pub fn label_vi(self) -> &'static str {
        match self {
            RatingChannel::Online => "trực tuyến",
            RatingChannel::Kiosk => "tại quầy",
        }
    }
}

/// The citizen's comment: a note of at most [`MAX_COMMENT_CHARS`] characters, trimmed (an
/// empty one is no comment).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Comment(String);

impl Comment {
    /// The comment as typed, or why it is refused (in Vietnamese, to show beside the field).
    pub fn parse(text: &str) -> Result<Self, String> {
        check_note(text, MAX_COMMENT_CHARS).map_err(|e| format!("Ý kiến {e}"))?;
        Ok(Self(text.trim().to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A rating as given: the rating, the comment and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingInput {
    pub rating: Rating,
    pub comment: Comment,
    pub channel: RatingChannel,
}

impl RatingInput {
    /// Reads a rating form: the rating's spelling and the comment. The comment is optional
    /// for every rating, "Không hài lòng" included: asking for it would turn away the
    /// citizen in a hurry at the desk, whose rating counts all the same.
    pub fn parse(rating: &str, comment: &str, channel: RatingChannel) -> Result<Self, RatingError> {
        let rating = Rating::parse(rating).ok_or(RatingError::NoRating)?;
        let comment = Comment::parse(comment).map_err(RatingError::Comment)?;
        Ok(Self {
            rating,
            comment,
            channel,
        })
    }
}

/// Why a rating is refused, in words a citizen reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error("Hãy chọn một mức đánh giá: Rất hài lòng, Hài lòng hoặc Không hài lòng")]
    NoRating,
    #[error("{0}")]
    Comment(String),
    #[error("Hồ sơ chưa có kết quả giải quyết; ông/bà có thể đánh giá khi hồ sơ đã có kết quả")]
    NoResultYet,
    #[error("Hồ sơ đã được rút nên không có kết quả để đánh giá")]
    Withdrawn,
    #[error("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ được đánh giá một lần. Cảm ơn ông/bà")]
    AlreadyRated,
}

/// Whether `dossier` may be rated now: its result exists and it has no rating yet.
pub fn may_rate(dossier: &Dossier) -> Result<(), RatingError> {
    match dossier.outcome {
        None => Err(RatingError::NoResultYet),
        Some(Outcome::Withdrawn) => Err(RatingError::Withdrawn),
        Some(Outcome::Approved | Outcome::Rejected) if dossier.rating.is_some() => {
            Err(RatingError::AlreadyRated)
        }
        Some(Outcome::Approved | Outcome::Rejected) => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_read_once() {
        let input =
            RatingInput::parse("dissatisfied", "  Chờ lâu  ", RatingChannel::Kiosk).unwrap();
        assert_eq!(input.rating, Rating::Dissatisfied);
        assert_eq!(input.comment.as_str(), "Chờ lâu");
        assert!(
            RatingInput::parse("satisfied", "", RatingChannel::Online)
                .unwrap()
                .comment
                .is_empty()
        );
        assert_eq!(
            RatingInput::parse("", "", RatingChannel::Online),
            Err(RatingError::NoRating)
        );
        let long = "a".repeat(MAX_COMMENT_CHARS + 1);
        assert!(matches!(
            RatingInput::parse("satisfied", &long, RatingChannel::Online),
            Err(RatingError::Comment(m)) if m.contains("1000")
        ));
        assert!(matches!(
            RatingInput::parse("satisfied", "a\u{1b}b", RatingChannel::Online),
            Err(RatingError::Comment(_))
        ));
        // Line breaks are a note's.
        assert!(RatingInput::parse("satisfied", "dòng 1\r\ndòng 2", RatingChannel::Online).is_ok());
    }

    #[test]
    fn channels_are_spelled() {
        for c in [RatingChannel::Online, RatingChannel::Kiosk] {
            assert_eq!(RatingChannel::parse(c.as_str()), Some(c));
        }
    }
}
