//! The library's typed errors: each names the document or rule file and the line at fault.

use std::fmt;

/// Where an error is: a document or file name and, when known, a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub source: String,
    pub line: Option<usize>,
}

impl Location {
    pub fn new(source: impl Into<String>, line: Option<usize>) -> Location {
        Location { source: source.into(), line }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.source, line),
            None => f.write_str(&self.source),
        }
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An article could not be read: bad encoding, malformed JSON, a bad date, no text.
    #[error("{at}: {message}")]
    Article { at: Location, message: String },
    /// A rule file has an error.
    #[error("{at}: {message}")]
    Rule { at: Location, message: String },
    /// A saved graph could not be read.
    #[error("{at}: {message}")]
    Graph { at: Location, message: String },
    /// Reading or writing failed.
    #[error("{at}: {source}")]
    Io {
        at: Location,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn article(source: &str, line: Option<usize>, message: impl Into<String>) -> Error {
        Error::Article { at: Location::new(source, line), message: message.into() }
    }

    pub fn rule(source: &str, line: usize, message: impl Into<String>) -> Error {
        Error::Rule { at: Location::new(source, Some(line)), message: message.into() }
    }

    pub fn io(source: &str, err: std::io::Error) -> Error {
        Error::Io { at: Location::new(source, None), source: err }
    }

    /// The document or file and line the error points at.
    pub fn location(&self) -> &Location {
        match self {
            Error::Article { at, .. } | Error::Rule { at, .. } | Error::Graph { at, .. } | Error::Io { at, .. } => at,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
