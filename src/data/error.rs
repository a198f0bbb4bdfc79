//! The one error type of data loading: which file, where in it, what was expected and what
//! was found.

use std::fmt;
use std::path::{Path, PathBuf};

/// A data file that could not be read, or whose content is not what it should be.
///
/// Its message names the file, the place in it and what was expected and found:
///
/// ```text
/// images.gz: byte 4 of the decompressed data: the header claims 60000 × 28 × 28 items
/// = 47040000 bytes of data, but the file can hold at most 1032000
/// ```
///
/// Its [`source`](std::error::Error::source) is the [`kind`](Self::kind), whose own source
/// is the I/O error when there is one.
#[derive(Debug, thiserror::Error)]
#[error("{}: {}{kind}", .file.display(), at(.location))]
pub struct DataError {
    /// The file (or the name given to in-memory data).
    pub file: PathBuf,
    /// Where in the file the problem is.
    pub location: Location,
    /// What is wrong.
    #[source]
    pub kind: DataErrorKind,
}

/// A place in a data file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole (it could not be opened, or holds nothing).
    File,
    /// A byte offset in the file as stored.
    Byte(u64),
    /// A byte offset in the decompressed content of a gzip file.
    DecompressedByte(u64),
    /// A line (from 1) and a comma-separated field (from 1) of a text file.
    Field {
        /// The line, counting from 1.
        line: u64,
        /// The field within the line, counting from 1.
        field: usize,
    },
    /// A line and a column of a text file whose header names the column (boxed, to keep
    /// [`DataError`] small): see [`Location::column`].
    Column(Box<ColumnAt>),
    /// A line (from 1) of a text file.
    Line(u64),
    /// A sample (from 0) of data held in memory.
    Sample(usize),
    /// A feature (from 0) of a sample (from 0) of data held in memory.
    Feature {
        /// The sample, counting from 0.
        sample: usize,
        /// The feature within the sample, counting from 0.
        feature: usize,
    },
    /// A regression target (from 0) of a sample (from 0) of data held in memory.
    Target {
        /// The sample, counting from 0.
        sample: usize,
        /// The target within the sample, counting from 0.
        target: usize,
    },
}

/// A line and a column of a CSV file with a header: [`Location::Column`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnAt {
    /// The line, counting from 1.
    pub line: u64,
    /// The column within the line, counting from 1.
    pub field: usize,
    /// The column's name in the header.
    pub name: String,
}

impl Location {
    /// [`Location::Column`]: line `line` (from 1), column `field` (from 1), named `name`.
    ///
    /// ```
    /// use ferroflow::data::Location;
    /// assert_eq!(Location::column(3, 2, "b").to_string(), "line 3, column \"b\" (field 2)");
    /// ```
    pub fn column(line: u64, field: usize, name: impl Into<String>) -> Self {
        Location::Column(Box::new(ColumnAt { line, field, name: name.into() }))
    }
}

/// What is wrong with a data file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataErrorKind {
    /// Reading failed (the file is missing, unreadable, or its gzip stream is corrupt).
    #[error("could not read: {0}")]
    Io(#[source] std::io::Error),
    /// The first four bytes are not an IDX magic number.
    #[error(
        "expected an IDX magic number (00 00, a type code, the number of dimensions), \
         found {:02x} {:02x} {:02x} {:02x}",
        .found[0], .found[1], .found[2], .found[3]
    )]
    Magic {
        /// The four bytes found.
        found: [u8; 4],
    },
    /// The header ends early.
    #[error("truncated header: expected {expected} bytes, found {found}")]
    HeaderTruncated {
        /// The header's length in bytes, as far as it could be read.
        expected: u64,
        /// The bytes found.
        found: u64,
    },
    /// The IDX type code is not one the format defines.
    #[error(
        "expected an IDX type code (0x08 u8, 0x09 i8, 0x0b i16, 0x0c i32, 0x0d f32, \
         0x0e f64), found 0x{found:02x}"
    )]
    ElementType {
        /// The code found.
        found: u8,
    },
    /// The header promises more data than the file can possibly hold.
    #[error(
        "the header claims {} items = {claimed} bytes of data, but the file can hold at most \
         {available}",
        product(.dims)
    )]
    TooLarge {
        /// The dimensions the header claims.
        dims: Vec<u64>,
        /// The bytes of data they need.
        claimed: u128,
        /// The most bytes of data the file can hold.
        available: u64,
    },
    /// A gzip file's header claims more decompressed data than the limit allows
    /// ([`IdxOptions::decompressed_limit`](super::IdxOptions::decompressed_limit)).
    #[error(
        "the header claims {} items = {claimed} bytes of decompressed data, over the limit \
         of {limit} bytes (raise IdxOptions::decompressed_limit to read it)",
        product(.dims)
    )]
    DecompressedLimit {
        /// The dimensions the header claims.
        dims: Vec<u64>,
        /// The bytes of data they need.
        claimed: u128,
        /// The most bytes of decompressed data allowed.
        limit: u64,
    },
    /// The data ends before the header's promise is kept.
    #[error("truncated: expected {expected} bytes of data after the header, found {found}")]
    Truncated {
        /// The bytes of data the header promises.
        expected: u64,
        /// The bytes of data found.
        found: u64,
    },
    /// Bytes follow the data the header describes.
    #[error("expected the end of the file after the data, found more bytes")]
    TrailingData,
    /// A shape is not the one the data set needs.
    #[error("expected {what} of shape {expected}, found {found}")]
    Shape {
        /// What has the wrong shape ("images", "labels").
        what: &'static str,
        /// The shape expected.
        expected: String,
        /// The shape found.
        found: String,
    },
    /// A label is not a class of the data set.
    #[error(
        "expected a label from 0 to {} ({classes} classes), found {found}",
        .classes.saturating_sub(1)
    )]
    LabelOutOfRange {
        /// The label as found.
        found: String,
        /// The number of classes: labels run from 0 to `classes − 1`.
        classes: usize,
    },
    /// A field of a text file is not a number.
    #[error("expected a finite number, found {found:?}")]
    NotANumber {
        /// The text found.
        found: String,
    },
    /// A line of a CSV file has the wrong number of columns, so the wrong number of
    /// features.
    #[error(
        "expected {features} features ({expected} columns: {label}, {ignored} ignored), found \
         {found_features} ({found} columns)"
    )]
    FieldCount {
        /// The columns expected: the features, the label or targets, and the ignored.
        expected: usize,
        /// The columns found.
        found: usize,
        /// The features expected (`N`).
        features: usize,
        /// The columns that are neither features nor ignored, in words: `"1 label"` for a
        /// [`Dataset`](super::Dataset), `"1 target"` or `"3 targets"` for a
        /// [`RegressionSet`](super::RegressionSet).
        label: Box<str>,
        /// The columns ignored ([`CsvOptions::ignore`](super::CsvOptions::ignore)).
        ignored: usize,
        /// The features the line holds: its columns that are neither the label (or
        /// targets) nor ignored.
        found_features: usize,
    },
    /// A line of a CSV file has more columns than expected; reading stopped at the first
    /// column too many, without looking at the rest of the line.
    #[error(
        "expected {features} features ({expected} columns: {label}, {ignored} ignored), found \
         more"
    )]
    TooManyFields {
        /// The columns expected: the features, the label or targets, and the ignored.
        expected: usize,
        /// The features expected (`N`).
        features: usize,
        /// The label or targets, in words (see [`DataErrorKind::FieldCount`]).
        label: Box<str>,
        /// The columns ignored.
        ignored: usize,
    },
    /// A record of a CSV file holds more bytes than the limit
    /// ([`CsvOptions::max_line_bytes`](super::CsvOptions::max_line_bytes)); reading stopped
    /// there.
    #[error(
        "expected a line of at most {limit} bytes (CsvOptions::max_line_bytes), found a \
         longer one"
    )]
    LineTooLong {
        /// The most bytes a record may hold: its fields and the delimiters between them.
        limit: usize,
    },
    /// The label column asked for is past the last column.
    #[error(
        "expected a label column from 0 to {} ({columns} columns), found {index}",
        .columns.saturating_sub(1)
    )]
    LabelColumn {
        /// The column asked for, counting from 0.
        index: usize,
        /// The number of columns a line has.
        columns: usize,
    },
    /// A column to ignore ([`CsvOptions::ignore`](super::CsvOptions::ignore)) is past the
    /// last column.
    #[error(
        "expected columns to ignore from 0 to {} ({columns} columns), found {index}",
        .columns.saturating_sub(1)
    )]
    IgnoredColumn {
        /// The column asked for, counting from 0.
        index: usize,
        /// The number of columns a line has.
        columns: usize,
    },
    /// A column named in the options is not in the header (or there is no header).
    #[error("expected a column named {name:?} in the header, found {}", header_text(.header))]
    UnknownColumn {
        /// The name asked for.
        name: String,
        /// The header's names; `None` when the file is read without a header.
        header: Option<Vec<String>>,
    },
    /// The label column is also among the columns to ignore.
    #[error("expected the label column (column {column}) to be read, found it among the ignored")]
    LabelIgnored {
        /// The column, counting from 0.
        column: usize,
    },
    /// A target column asked for ([`CsvOptions::targets`](super::CsvOptions::targets)) is
    /// past the last column.
    #[error(
        "expected target columns from 0 to {} ({columns} columns), found {index}",
        .columns.saturating_sub(1)
    )]
    TargetColumn {
        /// The column asked for, counting from 0.
        index: usize,
        /// The number of columns a line has.
        columns: usize,
    },
    /// A target column is also among the columns to ignore.
    #[error("expected the target column (column {column}) to be read, found it among the ignored")]
    TargetIgnored {
        /// The column, counting from 0.
        column: usize,
    },
    /// A column is given twice as a target.
    #[error("expected distinct target columns, found column {column} twice")]
    DuplicateTarget {
        /// The column, counting from 0.
        column: usize,
    },
    /// [`CsvOptions::targets`](super::CsvOptions::targets) lists a number of columns other
    /// than the data set's targets: `M` for a [`RegressionSet`](super::RegressionSet) (or
    /// none, when `M` is 1 and the target is the label column), none for a
    /// [`Dataset`](super::Dataset), whose one label is
    /// [`CsvOptions::label`](super::CsvOptions::label).
    #[error(
        "expected {expected} target columns in CsvOptions::targets (0 for a classification \
         data set, whose label is CsvOptions::label), found {found}"
    )]
    TargetCount {
        /// The columns the data set needs listed.
        expected: usize,
        /// The columns listed.
        found: usize,
    },
    /// A value is missing (a text of
    /// [`CsvOptions::missing_values`](super::CsvOptions::missing_values)) and
    /// [`CsvOptions::missing`](super::CsvOptions::missing) is
    /// [`Missing::Reject`](super::Missing::Reject).
    #[error(
        "expected a value, found the missing value {found:?} (CsvOptions::missing can drop \
         the row or fill in the column's mean)"
    )]
    Missing {
        /// The text found.
        found: String,
    },
    /// A label is not one of the classes given
    /// ([`CsvOptions::classes`](super::CsvOptions::classes)).
    #[error("expected one of the classes {} (CsvOptions::classes), found {found:?}", quoted(.known))]
    UnknownClass {
        /// The label found.
        found: String,
        /// The classes given.
        known: Vec<String>,
    },
    /// More distinct labels than the data set's `K` classes, or a class list longer than
    /// `K`.
    #[error("expected at most {classes} classes, found {}: {}", .found.len(), quoted(.found))]
    TooManyClasses {
        /// `K`.
        classes: usize,
        /// The distinct labels, in order of first appearance (or the list given).
        found: Vec<String>,
    },
    /// A class list given ([`CsvOptions::classes`](super::CsvOptions::classes)), or names
    /// given to [`Dataset::with_class_names`](super::Dataset::with_class_names), holds a
    /// name twice.
    #[error("expected distinct class names, found {name:?} twice")]
    DuplicateClass {
        /// The name found twice.
        name: String,
    },
    /// A column whose missing values are to be filled with its mean
    /// ([`Missing::FillMean`](super::Missing::FillMean)) holds no value at all.
    #[error(
        "expected at least one value in column {column} to fill its missing values with their \
         mean, found none"
    )]
    NothingToAverage {
        /// The column: its name in the header, or its number counting from 1.
        column: String,
    },
    /// The file (or the data given) holds no samples.
    #[error("expected at least one sample, found none")]
    Empty,
    /// A test fraction is not a number strictly between 0 and 1.
    #[error("expected a test fraction strictly between 0 and 1, found {found}")]
    Fraction {
        /// The fraction given.
        found: f64,
    },
    /// A split would leave one of its two parts without samples.
    #[error(
        "expected a split leaving samples on both sides, found {first} and {} of {samples} \
         samples",
        .samples.saturating_sub(*.first)
    )]
    EmptySplit {
        /// The samples split.
        samples: usize,
        /// The samples the first part would get (the rest go to the second).
        first: usize,
    },
}

/// Dimensions written `a × b × c`.
fn product(dims: &[u64]) -> String {
    dims.iter().map(u64::to_string).collect::<Vec<_>>().join(" × ")
}

/// Names, each quoted, separated by commas.
fn quoted(names: &[String]) -> String {
    names.iter().map(|name| format!("{name:?}")).collect::<Vec<_>>().join(", ")
}

/// A header's names for an error, or that there is none.
fn header_text(header: &Option<Vec<String>>) -> String {
    match header {
        Some(names) => format!("only {}", quoted(names)),
        None => "no header (CsvOptions::header is false)".to_owned(),
    }
}

impl DataError {
    /// An error in `file` at `location`.
    pub fn new(file: impl AsRef<Path>, location: Location, kind: DataErrorKind) -> Self {
        Self { file: file.as_ref().to_path_buf(), location, kind }
    }
}

/// The location in a message, followed by `": "`; nothing for the file as a whole.
fn at(location: &Location) -> String {
    match location {
        Location::File => String::new(),
        location => format!("{location}: "),
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::Byte(offset) => write!(f, "byte {offset}"),
            Location::DecompressedByte(offset) => {
                write!(f, "byte {offset} of the decompressed data")
            }
            Location::Field { line, field } => write!(f, "line {line}, field {field}"),
            Location::Column(at) => {
                write!(f, "line {}, column {:?} (field {})", at.line, at.name, at.field)
            }
            Location::Line(line) => write!(f, "line {line}"),
            Location::Sample(i) => write!(f, "sample {i}"),
            Location::Feature { sample, feature } => {
                write!(f, "sample {sample}, feature {feature}")
            }
            Location::Target { sample, target } => write!(f, "sample {sample}, target {target}"),
        }
    }
}

/// The name errors give data that came from memory rather than a file.
pub(super) const MEMORY: &str = "<memory>";

/// The sizes of the (train, test) sides when `test_fraction` of `len` samples (rounded)
/// go to the test side: the rule every split follows. The fraction must lie strictly
/// between 0 and 1 ([`DataErrorKind::Fraction`]) and leave both sides a sample
/// ([`DataErrorKind::EmptySplit`]).
pub(super) fn split_sizes(len: usize, test_fraction: f64) -> Result<(usize, usize), DataError> {
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        let kind = DataErrorKind::Fraction { found: test_fraction };
        return Err(DataError::new(MEMORY, Location::File, kind));
    }
    let test = (len as f64 * test_fraction).round() as usize;
    let train = len - test.min(len);
    if train == 0 || test == 0 {
        return Err(empty_split(len, train));
    }
    Ok((train, test))
}

/// Refuses a cut after `n` of `len` samples that would leave a side empty (`split_at`).
pub(super) fn check_split_at(len: usize, n: usize) -> Result<(), DataError> {
    if n == 0 || n >= len { Err(empty_split(len, n.min(len))) } else { Ok(()) }
}

/// The error of a split that would leave a side empty: `first` of `samples` on the first.
pub(super) fn empty_split(samples: usize, first: usize) -> DataError {
    DataError::new(MEMORY, Location::File, DataErrorKind::EmptySplit { samples, first })
}
