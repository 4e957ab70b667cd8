//! [`QueryError`]: what is wrong with a spec, naming the field at fault.

/// A spec the engine cannot answer: `field` names the part at fault the way the JSON
/// spells it (`calculations[1].column`, `filters[0].value`, `granularity`), `message`
/// says what is wrong and what would do. Displays as `field: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// Path of the field at fault, e.g. `filters[0].value`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl QueryError {
    /// An error about `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for QueryError {}
