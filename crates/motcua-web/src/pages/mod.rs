//! The server-rendered pages, one module per page (or folder, for a page with its own view
//! model), each beside its askama template (`askama.toml` lists this folder). The shared
//! layout (`base.html`, `nav.html`, `error.html`) is in `templates/`; the A4 print layout
//! (`print_base.html`) is the monthly report's, in `motcua-report/templates/`.

pub(crate) mod account;
pub(crate) mod admin;
pub(crate) mod dashboard;
pub(crate) mod desk;
pub(crate) mod dossier;
pub(crate) mod dossier_list;
pub(crate) mod followups;
pub(crate) mod kiosk;
pub(crate) mod list_view;
pub(crate) mod online;
pub(crate) mod petitions;
pub(crate) mod queue;
pub(crate) mod reception;
pub(crate) mod report;
pub(crate) mod search;
pub(crate) mod slips;
pub(crate) mod statements;
