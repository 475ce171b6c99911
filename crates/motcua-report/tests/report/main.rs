//! motcua-report's integration tests, one binary: the desk's forms and the e-receipt for a
//! commune, a district, a department and a province (`slips`: text snapshots of what each
//! says, and the rules of when a form exists), and their rendering to PDF and PNG through
//! Chromium (`render`).

mod render;
mod slips;
mod stories;

type TestResult = Result<(), Box<dyn std::error::Error>>;
