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
#[derive(Debug)]
pub struct DataError {
    /// The file (or the name given to in-memory data).
    pub file: PathBuf,
    /// Where in the file the problem is.
    pub location: Location,
    /// What is wrong.
    pub kind: DataErrorKind,
}

/// A place in a data file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

/// What is wrong with a data file.
#[derive(Debug)]
#[non_exhaustive]
pub enum DataErrorKind {
    /// Reading failed (the file is missing, unreadable, or its gzip stream is corrupt).
    Io(std::io::Error),
    /// The first four bytes are not an IDX magic number.
    Magic {
        /// The four bytes found.
        found: [u8; 4],
    },
    /// The header ends early.
    HeaderTruncated {
        /// The header's length in bytes, as far as it could be read.
        expected: u64,
        /// The bytes found.
        found: u64,
    },
    /// The IDX type code is not one the format defines.
    ElementType {
        /// The code found.
        found: u8,
    },
    /// The header promises more data than the file can possibly hold.
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
    DecompressedLimit {
        /// The dimensions the header claims.
        dims: Vec<u64>,
        /// The bytes of data they need.
        claimed: u128,
        /// The most bytes of decompressed data allowed.
        limit: u64,
    },
    /// The data ends before the header's promise is kept.
    Truncated {
        /// The bytes of data the header promises.
        expected: u64,
        /// The bytes of data found.
        found: u64,
    },
    /// Bytes follow the data the header describes.
    TrailingData,
    /// A shape is not the one the data set needs.
    Shape {
        /// What has the wrong shape ("images", "labels").
        what: &'static str,
        /// The shape expected.
        expected: String,
        /// The shape found.
        found: String,
    },
    /// A label is not a class of the data set.
    LabelOutOfRange {
        /// The label as found.
        found: String,
        /// The number of classes: labels run from 0 to `classes − 1`.
        classes: usize,
    },
    /// A field of a text file is not a number.
    NotANumber {
        /// The text found.
        found: String,
    },
    /// A line of a text file has the wrong number of fields.
    FieldCount {
        /// The fields expected.
        expected: usize,
        /// The fields found.
        found: usize,
    },
    /// A line of a text file has more fields than a sample has; reading stopped at the
    /// first field too many, without looking at the rest of the line.
    TooManyFields {
        /// The fields expected.
        expected: usize,
    },
    /// A line of a text file is longer than the limit
    /// ([`CsvOptions::max_line_bytes`](super::CsvOptions::max_line_bytes)); reading stopped
    /// there.
    LineTooLong {
        /// The most bytes a line may hold, its `\n` not counted.
        limit: usize,
    },
    /// The label column asked for is past the last column.
    LabelColumn {
        /// The column asked for, counting from 0.
        index: usize,
        /// The number of columns a line has (`N + 1`).
        columns: usize,
    },
    /// The file (or the data given) holds no samples.
    Empty,
    /// A test fraction is not a number strictly between 0 and 1.
    Fraction {
        /// The fraction given.
        found: f64,
    },
    /// A split would leave one of its two parts without samples.
    EmptySplit {
        /// The samples split.
        samples: usize,
        /// The samples the first part would get (the rest go to the second).
        first: usize,
    },
}

impl DataError {
    /// An error in `file` at `location`.
    pub fn new(file: impl AsRef<Path>, location: Location, kind: DataErrorKind) -> Self {
        Self { file: file.as_ref().to_path_buf(), location, kind }
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
            Location::Line(line) => write!(f, "line {line}"),
            Location::Sample(i) => write!(f, "sample {i}"),
            Location::Feature { sample, feature } => {
                write!(f, "sample {sample}, feature {feature}")
            }
        }
    }
}

impl fmt::Display for DataErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataErrorKind::Io(error) => write!(f, "could not read: {error}"),
            DataErrorKind::Magic { found } => write!(
                f,
                "expected an IDX magic number (00 00, a type code, the number of dimensions), \
                 found {:02x} {:02x} {:02x} {:02x}",
                found[0], found[1], found[2], found[3]
            ),
            DataErrorKind::HeaderTruncated { expected, found } => {
                write!(f, "truncated header: expected {expected} bytes, found {found}")
            }
            DataErrorKind::ElementType { found } => write!(
                f,
                "expected an IDX type code (0x08 u8, 0x09 i8, 0x0b i16, 0x0c i32, 0x0d f32, \
                 0x0e f64), found 0x{found:02x}"
            ),
            DataErrorKind::TooLarge { dims, claimed, available } => {
                let dims: Vec<String> = dims.iter().map(u64::to_string).collect();
                write!(
                    f,
                    "the header claims {} items = {claimed} bytes of data, but the file can \
                     hold at most {available}",
                    dims.join(" × ")
                )
            }
            DataErrorKind::DecompressedLimit { dims, claimed, limit } => {
                let dims: Vec<String> = dims.iter().map(u64::to_string).collect();
                write!(
                    f,
                    "the header claims {} items = {claimed} bytes of decompressed data, over \
                     the limit of {limit} bytes (raise IdxOptions::decompressed_limit to read it)",
                    dims.join(" × ")
                )
            }
            DataErrorKind::Truncated { expected, found } => write!(
                f,
                "truncated: expected {expected} bytes of data after the header, found {found}"
            ),
            DataErrorKind::TrailingData => {
                write!(f, "expected the end of the file after the data, found more bytes")
            }
            DataErrorKind::Shape { what, expected, found } => {
                write!(f, "expected {what} of shape {expected}, found {found}")
            }
            DataErrorKind::LabelOutOfRange { found, classes } => write!(
                f,
                "expected a label from 0 to {} ({classes} classes), found {found}",
                classes.saturating_sub(1)
            ),
            DataErrorKind::NotANumber { found } => {
                write!(f, "expected a finite number, found {found:?}")
            }
            DataErrorKind::FieldCount { expected, found } => {
                write!(f, "expected {expected} fields, found {found}")
            }
            DataErrorKind::TooManyFields { expected } => {
                write!(f, "expected {expected} fields, found more")
            }
            DataErrorKind::LineTooLong { limit } => write!(
                f,
                "expected a line of at most {limit} bytes (CsvOptions::max_line_bytes), found a \
                 longer one"
            ),
            DataErrorKind::LabelColumn { index, columns } => write!(
                f,
                "expected a label column from 0 to {} ({columns} columns), found {index}",
                columns - 1
            ),
            DataErrorKind::Empty => write!(f, "expected at least one sample, found none"),
            DataErrorKind::Fraction { found } => {
                write!(f, "expected a test fraction strictly between 0 and 1, found {found}")
            }
            DataErrorKind::EmptySplit { samples, first } => write!(
                f,
                "expected a split leaving samples on both sides, found {first} and {} of \
                 {samples} samples",
                samples.saturating_sub(*first)
            ),
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file.display())?;
        if self.location != Location::File {
            write!(f, "{}: ", self.location)?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for DataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            DataErrorKind::Io(error) => Some(error),
            _ => None,
        }
    }
}
