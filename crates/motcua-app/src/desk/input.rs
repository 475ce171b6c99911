//! What the desk and the API's clients send: a reception, a receipt's series. Their text is
//! bounded while the JSON is parsed (`motcua_core::freetext`), as their schemas state.

use motcua_core::details::{Applicant, Component};
use motcua_core::dossier::{Channel, SubmissionLevel};
use serde::{Deserialize, Serialize};

/// What the desk enters to receive a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reception {
    /// The procedure's code in the national database, e.g. `1.001193`.
    #[serde(deserialize_with = "motcua_core::freetext::line::<_, 100>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 100, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub procedure: String,
    /// The receiving unit's code, inside the caller's subtree.
    #[serde(deserialize_with = "motcua_core::freetext::line::<_, 100>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 100, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub unit: String,
    pub channel: Channel,
    /// Required for online dossiers, absent otherwise.
    #[serde(default)]
    pub online_level: Option<SubmissionLevel>,
    /// Ignored when `components` is given.
    #[serde(default)]
    pub components_total: u32,
    /// Components scanned at reception; at most `components_total`.
    #[serde(default)]
    pub components_digitized: u32,
    /// Fee and charges in đồng.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub fee_vnd: i64,
    #[serde(default)]
    pub applicant: Applicant,
    /// Nội dung yêu cầu giải quyết; the procedure's name when empty.
    #[serde(default)]
    #[serde(deserialize_with = "motcua_core::freetext::line::<_, 300>")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 300, pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$")
    )]
    pub request: String,
    /// The component checklist. When given, `components_total` is its length and
    /// `components_digitized` counts the components whose scan is stored (none at first).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub components: Vec<Component>,
}

/// The form symbol and series of a receipt: entered by the officer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptSeries {
    /// Ký hiệu mẫu, e.g. `01BLP0-001`.
    #[serde(deserialize_with = "motcua_core::freetext::line::<_, 20>")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 20,
            pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
        )
    )]
    pub form_symbol: String,
    /// Ký hiệu, e.g. `HX-24E`.
    #[serde(deserialize_with = "motcua_core::freetext::line::<_, 20>")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 20,
            pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
        )
    )]
    pub series: String,
    /// What the receipt collects: `fee` (phí) or `charge` (lệ phí). Omitted: the receipt
    /// says "phí, lệ phí", as receipts did before the kind was recorded.
    #[serde(default)]
    pub fee_kind: Option<motcua_core::fees::FeeKind>,
}
