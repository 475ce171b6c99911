//! A statement built in order (`Sql`): text and bound values together.

use sea_orm::{DbBackend, Value};

use crate::sql::mark;

/// A statement built in order: text and bound values together, so that SQLite's anonymous
/// parameters (`crate::sql::mark`) are bound in the order they appear.
pub(super) struct Sql {
    backend: DbBackend,
    pub(super) text: String,
    pub(super) values: Vec<Value>,
}

impl Sql {
    pub(super) fn new(backend: DbBackend, text: &str) -> Self {
        Self {
            backend,
            text: text.to_owned(),
            values: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    pub(super) fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        let m = mark(self.backend, self.values.len());
        self.text.push_str(&m);
        self
    }

    pub(super) fn bind_list<'a>(&mut self, items: impl IntoIterator<Item = &'a str>) -> &mut Self {
        self.push("(");
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(item);
        }
        self.push(")")
    }
}
