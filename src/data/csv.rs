//! Comma-separated text: one sample per line, `N` feature columns and one label column.
//!
//! Lines are read with a bound: a line is never held beyond
//! [`CsvOptions::max_line_bytes`] (by default [`DEFAULT_FIELD_BYTES`] per column), and
//! fields are counted as it is read, so that a line with more fields than a sample has
//! is refused at the first one too many. Samples are kept in blocks and joined at the
//! end: the peak memory is at most twice the data set's, plus a constant.

use super::dataset::Dataset;
use super::error::{DataError, DataErrorKind, Location};
use super::grow::Blocks;
use crate::Element;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// The bytes per column a line may hold unless [`CsvOptions::max_line_bytes`] says
/// otherwise: a line of `N + 1` columns may be `(N + 1) × 256` bytes long (at least
/// [`MIN_LINE_BYTES`]), room for numbers written with far more digits than any type holds.
pub const DEFAULT_FIELD_BYTES: usize = 256;

/// The least default limit on a line's length, so that a header of long column names
/// fits however few columns there are.
pub const MIN_LINE_BYTES: usize = 4096;

/// Which column of a CSV file holds the label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelColumn {
    /// The first column.
    First,
    /// The last column.
    Last,
    /// The column at this index, counting from 0.
    Index(usize),
}

/// How a CSV file is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvOptions {
    /// Which column holds the label (default: the last).
    pub label: LabelColumn,
    /// Whether the first line holds column names, to be skipped (default: yes).
    pub header: bool,
    /// The byte between fields (default: `b','`).
    pub delimiter: u8,
    /// The most bytes a line may hold, its `\n` not counted (a `\r` before it is); a longer
    /// line is the error [`DataErrorKind::LineTooLong`], found without reading the rest
    /// of it. Default (`None`): [`CsvOptions::default_max_line_bytes`] of the `N + 1`
    /// columns.
    pub max_line_bytes: Option<usize>,
}

impl CsvOptions {
    /// The limit on a line's length when [`max_line_bytes`](Self::max_line_bytes) is
    /// `None`: [`DEFAULT_FIELD_BYTES`] per column, and at least [`MIN_LINE_BYTES`].
    ///
    /// ```
    /// use ferroflow::data::CsvOptions;
    /// assert_eq!(CsvOptions::default_max_line_bytes(785), 200_960);
    /// assert_eq!(CsvOptions::default_max_line_bytes(3), 4096);
    /// ```
    pub const fn default_max_line_bytes(columns: usize) -> usize {
        let bytes = columns.saturating_mul(DEFAULT_FIELD_BYTES);
        if bytes > MIN_LINE_BYTES { bytes } else { MIN_LINE_BYTES }
    }
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self { label: LabelColumn::Last, header: true, delimiter: b',', max_line_bytes: None }
    }
}

/// How reading one line ended.
enum Line {
    /// The end of the input, with nothing read.
    End,
    /// A line, in the buffer without its line break.
    Read,
}

/// Reads one line into `buf` (cleared first), stopping with an error kind as soon as it
/// is longer than `limit` bytes or holds more than `max_fields` fields.
fn read_line(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
    delimiter: u8,
    max_fields: usize,
) -> Result<Line, DataErrorKind> {
    buf.clear();
    let mut fields = 1;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(DataErrorKind::Io(e)),
        };
        if available.is_empty() {
            return Ok(if any { Line::Read } else { Line::End });
        }
        any = true;
        let (content, used, end) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], i + 1, true),
            None => (available, available.len(), false),
        };
        fields += content.iter().filter(|&&b| b == delimiter).count();
        if fields > max_fields {
            return Err(DataErrorKind::TooManyFields { expected: max_fields });
        }
        if buf.len() + content.len() > limit {
            return Err(DataErrorKind::LineTooLong { limit });
        }
        buf.extend_from_slice(content);
        reader.consume(used);
        if end {
            return Ok(Line::Read);
        }
    }
}

impl<T: Element, const N: usize, const K: usize> Dataset<T, N, K> {
    /// Reads a CSV file: after an optional header line, one sample per line with `N`
    /// numeric features and a label column holding a class from 0 to `K − 1`. Blank lines
    /// are skipped; fields may be wrapped in double quotes, which are stripped (a quoted
    /// field cannot hold the delimiter or an escaped `""`).
    ///
    /// Reading is bounded: a line longer than [`CsvOptions::max_line_bytes`] is the error
    /// [`DataErrorKind::LineTooLong`] and a line with a field beyond the `N + 1`th is
    /// [`DataErrorKind::TooManyFields`], each found without reading further into the
    /// line. The peak memory is at most twice the data set returned, plus a constant.
    ///
    /// ```
    /// use ferroflow::data::{CsvOptions, Dataset};
    /// let text = "length,width,class\n5.1,3.5,0\n6.2,2.9,1\n";
    /// let data = Dataset::<f32, 2, 2>::from_csv_reader("flowers.csv", text.as_bytes(), CsvOptions::default())?;
    /// assert_eq!(data.sample(1), (&[6.2, 2.9], 1));
    /// # Ok::<(), ferroflow::data::DataError>(())
    /// ```
    pub fn from_csv(path: impl AsRef<Path>, options: CsvOptions) -> Result<Self, DataError> {
        let path = path.as_ref();
        let file = std::fs::File::open(path)
            .map_err(|e| DataError::new(path, Location::File, DataErrorKind::Io(e)))?;
        Self::from_csv_reader(path, BufReader::new(file), options)
    }

    /// [`from_csv`](Self::from_csv) from any reader; `name` names it in errors.
    pub fn from_csv_reader(
        name: impl AsRef<Path>,
        mut reader: impl BufRead,
        options: CsvOptions,
    ) -> Result<Self, DataError> {
        let name = name.as_ref();
        let error = |location, kind| DataError::new(name, location, kind);
        let label_column = match options.label {
            LabelColumn::First => 0,
            LabelColumn::Last => N,
            LabelColumn::Index(i) if i <= N => i,
            LabelColumn::Index(index) => {
                let kind = DataErrorKind::LabelColumn { index, columns: N + 1 };
                return Err(error(Location::File, kind));
            }
        };
        let limit = options.max_line_bytes.unwrap_or(CsvOptions::default_max_line_bytes(N + 1));
        let (mut features, mut labels) = (Blocks::new(), Blocks::new());
        let mut bytes = Vec::new();
        // Where each field of a line starts and ends.
        let mut spans = Vec::with_capacity(N + 1);
        let mut line_number = 0u64;
        loop {
            line_number += 1;
            let header = line_number == 1 && options.header;
            // A header's fields are not counted: its names may hold the delimiter.
            let max_fields = if header { usize::MAX } else { N + 1 };
            let read = read_line(&mut reader, &mut bytes, limit, options.delimiter, max_fields)
                .map_err(|kind| error(Location::Line(line_number), kind))?;
            if matches!(read, Line::End) {
                break;
            }
            if header {
                continue;
            }
            let line = bytes.strip_suffix(b"\r").unwrap_or(&bytes);
            if line.trim_ascii().is_empty() {
                continue;
            }
            // At most N + 1 fields (read_line counted them), split at the delimiter byte.
            spans.clear();
            let mut start = 0;
            for (i, _) in line.iter().enumerate().filter(|&(_, &b)| b == options.delimiter) {
                spans.push((start, i));
                start = i + 1;
            }
            spans.push((start, line.len()));
            if spans.len() != N + 1 {
                let kind = DataErrorKind::FieldCount { expected: N + 1, found: spans.len() };
                return Err(error(Location::Line(line_number), kind));
            }
            let at = |field: usize| Location::Field { line: line_number, field: field + 1 };
            let text = |field: usize| {
                let (start, end) = spans[field];
                match std::str::from_utf8(&line[start..end]) {
                    Ok(text) => Ok(text.trim().trim_matches('"').trim()),
                    Err(e) => {
                        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, e);
                        Err(error(at(field), DataErrorKind::Io(io)))
                    }
                }
            };
            let number = |field: usize| {
                let text = text(field)?;
                match text.parse::<f64>() {
                    Ok(value) if value.is_finite() => Ok(value),
                    _ => Err(error(at(field), DataErrorKind::NotANumber { found: text.into() })),
                }
            };
            let label = number(label_column)?;
            if !(label >= 0.0 && label < K as f64 && label.fract() == 0.0) {
                let kind = DataErrorKind::LabelOutOfRange {
                    found: text(label_column)?.into(),
                    classes: K,
                };
                return Err(error(at(label_column), kind));
            }
            let mut sample = [T::ZERO; N];
            let columns = (0..=N).filter(|&c| c != label_column);
            for (value, column) in sample.iter_mut().zip(columns) {
                *value = T::from_f64(number(column)?);
                // 1e39 is finite in f64 but not in f32.
                if !value.to_f64().is_finite() {
                    let found = format!("{} (out of the range of {})", text(column)?, T::NAME);
                    return Err(error(at(column), DataErrorKind::NotANumber { found }));
                }
            }
            features.push(sample);
            labels.push(label as usize);
        }
        let (features, labels) = (features.into_vec(), labels.into_vec());
        if labels.is_empty() {
            return Err(error(Location::File, DataErrorKind::Empty));
        }
        Ok(Self::from_checked(features, labels))
    }
}
