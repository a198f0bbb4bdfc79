//! Comma-separated text as people have it: a header, quoted fields, CRLF line breaks, a
//! UTF-8 byte order mark, a label column named or numbered, columns to leave out, labels
//! that are names, and missing values.
//!
//! One row loop serves both kinds of data set: a [`Dataset`]'s label column and a
//! [`RegressionSet`](super::RegressionSet)'s numeric target columns are read by the same
//! code, with the same bounds, ignored columns and missing-value policy.
//!
//! Records are parsed by [`csv_core`], the streaming parser under the `csv` crate, into
//! buffers this module bounds: a record is never held beyond
//! [`CsvOptions::max_line_bytes`], and fields are counted as they are read, so that a
//! record with more fields than a line should have is refused at the first one too many.
//! (The `csv` crate's own `ByteRecord` grows with the record, without any bound: a hostile
//! line of a gigabyte would be held whole before anything could refuse it.) Samples are
//! kept in blocks and joined at the end: the peak memory is at most twice the data set's,
//! plus a constant.

use super::dataset::Dataset;
use super::error::{DataError, DataErrorKind, Location};
use super::grow::Blocks;
use crate::Element;
use csv_core::ReadFieldResult;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// The bytes per column a line may hold unless [`CsvOptions::max_line_bytes`] says
/// otherwise: a line of `c` columns may be `c × 256` bytes long (at least
/// [`MIN_LINE_BYTES`]), room for numbers written with far more digits than any type holds.
pub const DEFAULT_FIELD_BYTES: usize = 256;

/// The least default limit on a line's length, so that a header of long column names
/// fits however few columns there are.
pub const MIN_LINE_BYTES: usize = 4096;

/// The texts that mark a missing value unless [`CsvOptions::missing_values`] says
/// otherwise: an empty field, `NA`, `N/A` and `?` (compared after trimming spaces, case
/// counting). `NaN` is not among them: it is refused as a number that is not finite.
pub const DEFAULT_MISSING_VALUES: [&str; 4] = ["", "NA", "N/A", "?"];

/// Which column of a CSV file holds the label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelColumn {
    /// The first column.
    First,
    /// The last column.
    Last,
    /// The column at this index, counting from 0 (ignored columns included).
    Index(usize),
    /// The column of this name in the header (which [`CsvOptions::header`] must say there
    /// is).
    Name(String),
}

/// A column of a CSV file, by its index or its name in the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    /// The column at this index, counting from 0.
    Index(usize),
    /// The column of this name in the header.
    Name(String),
}

/// What the CSV reader does with a missing value (a field whose text is one of
/// [`CsvOptions::missing_values`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Missing {
    /// Refuse the file: the error [`DataErrorKind::Missing`], naming the line and the column.
    #[default]
    Reject,
    /// Leave the line out; [`CsvReport::dropped`] counts the lines left out.
    Drop,
    /// Replace a missing feature with the mean of its column over the samples read
    /// ([`CsvReport::filled`] counts them). A missing label is still refused: a class
    /// has no mean. So is a missing regression target: a made-up target would be trained
    /// on as if it had been measured.
    ///
    /// The mean is taken over the whole file. For an honest train/test protocol the test
    /// samples must not shape the training data: split first, or read the training and
    /// test files separately and fill the test set's gaps with the training set's means
    /// (read it with [`Missing::Drop`] or [`Missing::Reject`] and fill them yourself).
    FillMean,
}

/// How a CSV file is laid out.
///
/// ```
/// use ferroflow::data::{Column, CsvOptions, LabelColumn, Missing};
/// let options = CsvOptions {
///     label: LabelColumn::Name("species".into()),
///     ignore: vec![Column::Name("island".into()), Column::Index(6)],
///     missing: Missing::Drop,
///     ..CsvOptions::default()
/// };
/// assert_eq!(options.missing_values, ["", "NA", "N/A", "?"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvOptions {
    /// Which column holds the label (default: the last).
    pub label: LabelColumn,
    /// Whether the first line holds column names (default: yes). With a header, its
    /// number of columns is the file's, and errors name a column by its name.
    pub header: bool,
    /// The byte between fields (default: `b','`). Fields may be quoted with `"`, and a
    /// quoted field may hold the delimiter, line breaks and `""` for a quote.
    pub delimiter: u8,
    /// The most bytes a record may hold: its fields (after unquoting) and the delimiters
    /// between them, its line break not counted. A longer record is the error
    /// [`DataErrorKind::LineTooLong`], found without reading the rest of it. Default
    /// (`None`): [`CsvOptions::default_max_line_bytes`] of the `N + 1 + ignore.len()`
    /// columns.
    pub max_line_bytes: Option<usize>,
    /// Columns to leave out (default: none): `N` is the number of columns less the label
    /// (or the targets) and these. Names need a header.
    pub ignore: Vec<Column>,
    /// The classes, in class order: a label is the class of its text in this list, and a
    /// label not in it is the error [`DataErrorKind::UnknownClass`]. Default (`None`): the
    /// classes are found in the file (see [`Dataset::from_csv`]).
    pub classes: Option<Vec<String>>,
    /// The target columns of a regression set, in target order (default: none): see
    /// [`RegressionSet::from_csv`](super::RegressionSet::from_csv). Empty, the one target
    /// is the [`label`](Self::label) column (for `M = 1`); otherwise it lists exactly `M`
    /// distinct columns and `label` is not read. A classification data set has a label, not
    /// targets: [`Dataset::from_csv`] refuses a list here
    /// ([`DataErrorKind::TargetCount`]).
    pub targets: Vec<Column>,
    /// What to do with a missing value (default: [`Missing::Reject`]).
    pub missing: Missing,
    /// The texts of a missing value (default: [`DEFAULT_MISSING_VALUES`]), compared with a
    /// field's text after trimming spaces.
    pub missing_values: Vec<String>,
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
        Self {
            label: LabelColumn::Last,
            header: true,
            delimiter: b',',
            max_line_bytes: None,
            ignore: Vec::new(),
            classes: None,
            targets: Vec::new(),
            missing: Missing::Reject,
            missing_values: DEFAULT_MISSING_VALUES.iter().map(|&s| s.to_owned()).collect(),
        }
    }
}

/// What reading a CSV file did besides returning the samples.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CsvReport {
    /// The samples read (the data set's length).
    pub samples: usize,
    /// The lines left out for a missing value ([`Missing::Drop`]).
    pub dropped: usize,
    /// The missing values filled with their column's mean ([`Missing::FillMean`]).
    pub filled: usize,
}

/// Records parsed by `csv_core` into a buffer of at most `limit + 1` bytes.
struct Records<R> {
    input: R,
    parser: csv_core::Reader,
    /// The fields of the current record, one after the other (its first `len` bytes).
    bytes: Vec<u8>,
    len: usize,
    /// Where each field of the current record ends in `bytes`.
    ends: Vec<usize>,
    limit: usize,
    /// The line of the next byte of input, counting from 1.
    line: u64,
    /// Whether a record has been read (the first may start with a byte order mark that
    /// `csv_core` left, when fewer than its 3 bytes were buffered at first).
    started: bool,
    /// Whether `csv_core` has been given input yet.
    parsed: bool,
}

/// What went wrong reading a record, and on which line.
type RecordError = (u64, DataErrorKind);

impl<R: BufRead> Records<R> {
    fn new(input: R, delimiter: u8, limit: usize) -> Self {
        let parser = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        let bytes = Vec::new();
        Self {
            input,
            parser,
            bytes,
            len: 0,
            ends: Vec::new(),
            limit,
            line: 1,
            started: false,
            parsed: false,
        }
    }

    /// The input's next bytes, retrying on interruption.
    fn fill(input: &mut R, line: u64) -> Result<&[u8], RecordError> {
        loop {
            match input.fill_buf() {
                Ok(_) => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err((line, DataErrorKind::Io(e))),
            }
        }
        input.fill_buf().map_err(|e| (line, DataErrorKind::Io(e)))
    }

    /// Reads the next record that is not an empty line, stopping with an error as soon as
    /// it holds more than `max_fields` fields or more than `limit` bytes. Returns its
    /// first line, or `None` at the end of the input.
    fn next(&mut self, max_fields: usize) -> Result<Option<u64>, RecordError> {
        if self.len > 0 || !self.ends.is_empty() {
            self.started = true;
        }
        self.len = 0;
        self.ends.clear();
        // Line breaks between records are skipped here, so that the record's first line is
        // known; those inside a record are counted as they are consumed.
        loop {
            let input = Self::fill(&mut self.input, self.line)?;
            let skip = input.iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
            let done = skip < input.len() || input.is_empty();
            self.line += input[..skip].iter().filter(|&&b| b == b'\n').count() as u64;
            self.input.consume(skip);
            if done {
                break;
            }
        }
        let line = self.line;
        // Room for one byte past the limit, so that a field of exactly `limit` bytes ends
        // without asking for more room.
        let room = self.limit.saturating_add(1);
        loop {
            if self.len == self.bytes.len() {
                // Doubling, but straight to the whole room once four times what is held
                // reaches it, and never past it: the old and new buffers together stay
                // within 1.5 times the room.
                let held = self.bytes.len();
                let grown = if held.saturating_mul(4) >= room { room } else { (2 * held).max(64) };
                if grown <= held {
                    return Err((line, DataErrorKind::LineTooLong { limit: self.limit }));
                }
                self.bytes.reserve_exact(grown - held);
                self.bytes.resize(grown, 0);
            }
            let input = Self::fill(&mut self.input, self.line)?;
            if !self.parsed && input == b"\xef\xbb\xbf" {
                // csv_core strips a byte order mark it sees whole, but given one alone it
                // is left with no input, which it takes for the end of the file.
                self.input.consume(3);
                continue;
            }
            self.parsed = true;
            let (result, read, written) =
                self.parser.read_field(input, &mut self.bytes[self.len..]);
            self.line += input[..read].iter().filter(|&&b| b == b'\n').count() as u64;
            self.input.consume(read);
            self.len += written;
            // The delimiters before the current field count too.
            if self.len + self.ends.len() > self.limit {
                return Err((line, DataErrorKind::LineTooLong { limit: self.limit }));
            }
            match result {
                ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
                ReadFieldResult::Field { record_end } => {
                    self.ends.push(self.len);
                    if self.ends.len() > max_fields {
                        let kind = DataErrorKind::TooManyFields {
                            expected: max_fields,
                            features: 0,
                            label: Box::default(),
                            ignored: 0,
                        };
                        return Err((line, kind));
                    }
                    if record_end {
                        return Ok(Some(line));
                    }
                }
                ReadFieldResult::End => return Ok(None),
            }
        }
    }

    /// The number of fields of the current record.
    fn fields(&self) -> usize {
        self.ends.len()
    }

    /// Field `i`'s bytes (without a byte order mark at the start of the input).
    fn bytes(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        let field = &self.bytes[start..self.ends[i]];
        match (i, self.started) {
            (0, false) => field.strip_prefix(b"\xef\xbb\xbf").unwrap_or(field),
            _ => field,
        }
    }

    /// Field `i`'s text, spaces trimmed.
    fn text(&self, i: usize) -> Result<&str, std::str::Utf8Error> {
        std::str::from_utf8(self.bytes(i)).map(str::trim)
    }
}

/// What a column of the file is to the data set.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Feature `j` of a sample.
    Feature(usize),
    /// Output `k`: the label, or target `k`.
    Output(usize),
    Ignored,
}

/// What the columns that are not features nor ignored hold, for the reader's checks and
/// messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Outputs {
    /// One classification label.
    Label,
    /// Regression targets.
    Targets,
}

impl Outputs {
    /// `count` of them in words: "1 label", "1 target", "3 targets".
    fn text(self, count: usize) -> Box<str> {
        let noun = match self {
            Outputs::Label => "label",
            Outputs::Targets => "target",
        };
        let text = if count == 1 { format!("1 {noun}") } else { format!("{count} {noun}s") };
        text.into_boxed_str()
    }
}

/// The samples of a CSV file as [`read_rows`] gives them: the features (missing ones
/// filled in when asked), what the output columns were made into, one per sample, and
/// what was done about missing values.
pub(super) struct Rows<T, const N: usize, O> {
    pub(super) features: Vec<[T; N]>,
    pub(super) outputs: Vec<O>,
    pub(super) report: CsvReport,
}

/// The reading every CSV loader shares: the bounded records, the header, the columns to
/// ignore, `N` numeric features per line, and the missing-value policy.
///
/// `outputs` are the columns that are neither features nor ignored, in order; `kind` says
/// what they are, for the messages. On each line kept, after its features are read, the
/// outputs' texts (trimmed, none of them missing) go to `read_output`, which makes them
/// into the sample's output or refuses them with the index (in `outputs`) of the field
/// at fault. A missing output is never filled: [`Missing::Drop`] drops its line, and the
/// other policies refuse it.
pub(super) fn read_rows<T: Element, const N: usize, O>(
    name: &Path,
    reader: impl BufRead,
    options: &CsvOptions,
    outputs: &[LabelColumn],
    kind: Outputs,
    mut read_output: impl FnMut(&[&str]) -> Result<O, (usize, DataErrorKind)>,
) -> Result<Rows<T, N, O>, DataError> {
    let error = |location, kind| DataError::new(name, location, kind);
    let file_error = |kind| DataError::new(name, Location::File, kind);
    let n_outputs = outputs.len();
    let label_text = kind.text(n_outputs);
    let most_columns = N.saturating_add(n_outputs).saturating_add(options.ignore.len());
    let limit = options.max_line_bytes.unwrap_or(CsvOptions::default_max_line_bytes(most_columns));
    let mut records = Records::new(reader, options.delimiter, limit);
    let utf8 = |e| DataErrorKind::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e));

    // The header, and from it (or from N) the columns and what each is.
    let mut header_line = None;
    let header = if options.header {
        let line = match records.next(most_columns) {
            Ok(Some(line)) => line,
            Ok(None) => return Err(file_error(DataErrorKind::Empty)),
            Err((line, DataErrorKind::TooManyFields { expected, .. })) => {
                let ignored = options.ignore.len();
                let label = label_text.clone();
                let kind = DataErrorKind::TooManyFields { expected, features: N, label, ignored };
                return Err(error(Location::Line(line), kind));
            }
            Err((line, kind)) => return Err(error(Location::Line(line), kind)),
        };
        header_line = Some(line);
        let mut names = Vec::with_capacity(records.fields());
        for i in 0..records.fields() {
            let at = Location::Field { line, field: i + 1 };
            names.push(records.text(i).map_err(|e| error(at, utf8(e)))?.to_owned());
        }
        Some(names)
    } else {
        None
    };
    let find = |name: &str| match &header {
        Some(names) => names.iter().position(|n| n == name).ok_or_else(|| {
            let kind =
                DataErrorKind::UnknownColumn { name: name.to_owned(), header: Some(names.clone()) };
            file_error(kind)
        }),
        None => {
            let kind = DataErrorKind::UnknownColumn { name: name.to_owned(), header: None };
            Err(file_error(kind))
        }
    };
    let mut ignored: Vec<usize> = Vec::with_capacity(options.ignore.len());
    let mut ignored_indices = 0;
    for column in &options.ignore {
        let index = match column {
            Column::Index(index) => *index,
            Column::Name(name) => find(name)?,
        };
        if !ignored.contains(&index) {
            ignored.push(index);
            ignored_indices += usize::from(matches!(column, Column::Index(_)));
        }
    }
    let columns = match &header {
        Some(names) => names.len(),
        None => N + n_outputs + ignored_indices,
    };
    if let Some(&index) = ignored.iter().find(|&&index| index >= columns) {
        return Err(file_error(DataErrorKind::IgnoredColumn { index, columns }));
    }
    let mut output_columns = Vec::with_capacity(n_outputs);
    for output in outputs {
        let column = match output {
            LabelColumn::First => 0,
            LabelColumn::Last => columns.saturating_sub(1),
            LabelColumn::Index(i) if *i < columns => *i,
            &LabelColumn::Index(index) => {
                return Err(file_error(match kind {
                    Outputs::Label => DataErrorKind::LabelColumn { index, columns },
                    Outputs::Targets => DataErrorKind::TargetColumn { index, columns },
                }));
            }
            LabelColumn::Name(name) => find(name)?,
        };
        if ignored.contains(&column) {
            return Err(file_error(match kind {
                Outputs::Label => DataErrorKind::LabelIgnored { column },
                Outputs::Targets => DataErrorKind::TargetIgnored { column },
            }));
        }
        if output_columns.contains(&column) {
            return Err(file_error(DataErrorKind::DuplicateTarget { column }));
        }
        output_columns.push(column);
    }
    let mut roles = Vec::with_capacity(columns);
    for c in 0..columns {
        roles.push(if let Some(k) = output_columns.iter().position(|&o| o == c) {
            Role::Output(k)
        } else if ignored.contains(&c) {
            Role::Ignored
        } else {
            Role::Feature(roles.iter().filter(|r| matches!(r, Role::Feature(_))).count())
        });
    }
    let n_ignored = ignored.len();
    let count_error = |line: Option<u64>, found: usize| {
        let found_features = found.saturating_sub(n_outputs + n_ignored);
        let kind = DataErrorKind::FieldCount {
            expected: N + n_outputs + n_ignored,
            found,
            features: N,
            label: label_text.clone(),
            ignored: n_ignored,
            found_features,
        };
        error(line.map_or(Location::File, Location::Line), kind)
    };
    if columns != N + n_outputs + n_ignored {
        // Only a header can disagree with N.
        return Err(count_error(header_line, columns));
    }
    // Where field `c` of line `line` is: by name when there is a header.
    let at = |line: u64, c: usize| match &header {
        Some(names) => Location::column(line, c + 1, names[c].as_str()),
        None => Location::Field { line, field: c + 1 },
    };
    let is_missing = |text: &str| options.missing_values.iter().any(|m| m == text);

    let (mut features, mut kept) = (Blocks::new(), Blocks::new());
    let mut report = CsvReport::default();
    // For Missing::FillMean: each feature's sum and count over the values present.
    let (mut sums, mut counts) = (vec![0.0f64; N], vec![0usize; N]);
    loop {
        let line = match records.next(columns) {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err((line, DataErrorKind::TooManyFields { expected, .. })) => {
                let label = label_text.clone();
                let kind = DataErrorKind::TooManyFields {
                    expected,
                    features: N,
                    label,
                    ignored: n_ignored,
                };
                return Err(error(Location::Line(line), kind));
            }
            Err((line, kind)) => return Err(error(Location::Line(line), kind)),
        };
        let fields = records.fields();
        if fields == 1 && records.bytes(0).trim_ascii().is_empty() && columns > 1 {
            continue;
        }
        if fields != columns {
            return Err(count_error(Some(line), fields));
        }
        let mut sample = [T::ZERO; N];
        let mut drop = false;
        for (c, role) in roles.iter().enumerate() {
            let Role::Feature(j) = *role else { continue };
            let text = records.text(c).map_err(|e| error(at(line, c), utf8(e)))?;
            if is_missing(text) {
                match options.missing {
                    Missing::Reject => {
                        let kind = DataErrorKind::Missing { found: text.to_owned() };
                        return Err(error(at(line, c), kind));
                    }
                    Missing::Drop => {
                        drop = true;
                        break;
                    }
                    // Values read are finite: NaN marks the gap until the mean is known.
                    Missing::FillMean => {
                        sample[j] = T::from_f64(f64::NAN);
                        continue;
                    }
                }
            }
            sample[j] = number(text).map_err(|kind| error(at(line, c), kind))?;
        }
        let mut texts = Vec::with_capacity(n_outputs);
        for &c in &output_columns {
            let text = records.text(c).map_err(|e| error(at(line, c), utf8(e)))?;
            if !drop && is_missing(text) {
                if options.missing == Missing::Drop {
                    drop = true;
                } else {
                    let kind = DataErrorKind::Missing { found: text.to_owned() };
                    return Err(error(at(line, c), kind));
                }
            }
            texts.push(text);
        }
        if drop {
            report.dropped += 1;
            continue;
        }
        let output =
            read_output(&texts).map_err(|(k, kind)| error(at(line, output_columns[k]), kind))?;
        for (j, value) in sample.iter().enumerate() {
            if !value.to_f64().is_nan() {
                sums[j] += value.to_f64();
                counts[j] += 1;
            }
        }
        features.push(sample);
        kept.push(output);
    }
    let (mut features, outputs) = (features.into_vec(), kept.into_vec());
    if outputs.is_empty() {
        return Err(file_error(DataErrorKind::Empty));
    }
    report.samples = outputs.len();

    // Missing::FillMean: each gap gets its column's mean.
    if options.missing == Missing::FillMean && counts.iter().any(|&c| c < outputs.len()) {
        for j in 0..N {
            if counts[j] == outputs.len() {
                continue;
            }
            let Some(c) = roles.iter().position(|&r| r == Role::Feature(j)) else { continue };
            if counts[j] == 0 {
                let column = match &header {
                    Some(names) => format!("{:?}", names[c]),
                    None => format!("{}", c + 1),
                };
                return Err(file_error(DataErrorKind::NothingToAverage { column }));
            }
            let mean = T::from_f64(sums[j] / counts[j] as f64);
            for sample in &mut features {
                if sample[j].to_f64().is_nan() {
                    sample[j] = mean;
                    report.filled += 1;
                }
            }
        }
    }
    Ok(Rows { features, outputs, report })
}

/// A field's text as a finite value of `T`: [`DataErrorKind::NotANumber`] otherwise,
/// including for a number beyond `T`'s range (1e39 is finite in `f64` but not in `f32`).
pub(super) fn number<T: Element>(text: &str) -> Result<T, DataErrorKind> {
    let value = match text.parse::<f64>() {
        Ok(value) if value.is_finite() => value,
        _ => return Err(DataErrorKind::NotANumber { found: text.into() }),
    };
    let converted = T::from_f64(value);
    if !converted.to_f64().is_finite() {
        let found = format!("{text} (out of the range of {})", T::NAME);
        return Err(DataErrorKind::NotANumber { found });
    }
    Ok(converted)
}

/// A label read as a whole number ("2", "2.0", "-1"), if it is one that `f64` holds
/// exactly.
fn whole(text: &str) -> Option<i64> {
    let value = text.parse::<f64>().ok()?;
    let exact = value.fract() == 0.0 && value.abs() <= 9_007_199_254_740_992.0;
    exact.then_some(value as i64)
}

impl<T: Element, const N: usize, const K: usize> Dataset<T, N, K> {
    /// Reads a CSV file: after an optional header, one sample per line with `N` numeric
    /// features, a label column, and any columns to ignore (`N` = columns − label −
    /// ignored). Empty lines are skipped; fields may be quoted (`"a,b"`, `""` for a quote);
    /// `\n` and `\r\n` both end a line; a UTF-8 byte order mark is skipped.
    ///
    /// **Classes.** With [`CsvOptions::classes`] given, a label is the class of its text in
    /// that list. Otherwise the classes are the labels found, and at most `K` of them (more
    /// is [`DataErrorKind::TooManyClasses`], naming them):
    /// - if every label is a whole number from 0 to `K − 1`, it is its class, as numeric
    ///   labels have always been read, and the data set has no class names;
    /// - else, if every label is a whole number (1-based classes "1", "2", "3"), the classes
    ///   are those numbers in increasing order, named by them;
    /// - else (names: "Adelie", "Gentoo"), the classes are the labels in the order they
    ///   first appear.
    ///
    /// The names are kept: [`class_names`](Self::class_names).
    ///
    /// **Missing values** ([`CsvOptions::missing_values`]) are refused by default, naming
    /// the line and the column; [`CsvOptions::missing`] can drop their lines or fill them
    /// with their column's mean ([`from_csv_report`](Self::from_csv_report) counts either).
    ///
    /// Reading is bounded: a record longer than [`CsvOptions::max_line_bytes`] is the error
    /// [`DataErrorKind::LineTooLong`] and a line with a field beyond the last column is
    /// [`DataErrorKind::TooManyFields`], each found without reading further into the
    /// line. The peak memory is at most twice the data set returned, plus a constant.
    ///
    /// ```
    /// use ferroflow::data::{Column, CsvOptions, Dataset, LabelColumn};
    /// let text = "species,\"length, mm\",width,site\nsetosa,5.1,3.5,a\nvirginica,6.2,2.9,b\n";
    /// let options = CsvOptions {
    ///     label: LabelColumn::Name("species".into()),
    ///     ignore: vec![Column::Name("site".into())],
    ///     ..CsvOptions::default()
    /// };
    /// let data = Dataset::<f32, 2, 3>::from_csv_reader("flowers.csv", text.as_bytes(), options)?;
    /// assert_eq!(data.sample(1), (&[6.2, 2.9], 1));
    /// assert_eq!(data.class_names(), Some(&["setosa".to_owned(), "virginica".to_owned()][..]));
    /// # Ok::<(), ferroflow::data::DataError>(())
    /// ```
    ///
    /// # Errors
    /// A [`DataError`] naming the file and, where there is one, the line and the column at
    /// fault. Its [`kind`](DataError::kind):
    /// - [`DataErrorKind::Io`] if the file cannot be opened or read, or a field is not UTF-8.
    /// - [`DataErrorKind::Empty`] if the file holds no samples (or every line was dropped).
    /// - [`DataErrorKind::LineTooLong`] for a record longer than
    ///   [`CsvOptions::max_line_bytes`], [`DataErrorKind::TooManyFields`] for a field past
    ///   the last column, and
    ///   [`DataErrorKind::FieldCount`] for a header or a line with another number of columns
    ///   than the `N` features, the label and the ignored columns.
    /// - [`DataErrorKind::UnknownColumn`] for a column named in `options` that the header does
    ///   not have (or with no header), [`DataErrorKind::LabelColumn`] and
    ///   [`DataErrorKind::IgnoredColumn`] for an index past the last column,
    ///   [`DataErrorKind::LabelIgnored`] if the label column is among the ignored, and
    ///   [`DataErrorKind::TargetCount`] if [`CsvOptions::targets`] is not empty.
    /// - [`DataErrorKind::NotANumber`] for a feature that is not a finite number of `T`,
    ///   [`DataErrorKind::Missing`] for a missing value that is neither dropped nor filled (any
    ///   with [`Missing::Reject`], a label with [`Missing::FillMean`]), and
    ///   [`DataErrorKind::NothingToAverage`] for a column to fill that holds no value.
    /// - [`DataErrorKind::TooManyClasses`] for more than `K` classes, given or found,
    ///   [`DataErrorKind::DuplicateClass`] for a name [`CsvOptions::classes`] gives twice, and
    ///   [`DataErrorKind::UnknownClass`] for a label not in that list.
    pub fn from_csv(path: impl AsRef<Path>, options: CsvOptions) -> Result<Self, DataError> {
        Self::from_csv_report(path, options).map(|(data, _)| data)
    }

    /// [`from_csv`](Self::from_csv), with what was done about missing values.
    ///
    /// # Errors
    /// As [`from_csv`](Self::from_csv).
    pub fn from_csv_report(
        path: impl AsRef<Path>,
        options: CsvOptions,
    ) -> Result<(Self, CsvReport), DataError> {
        let path = path.as_ref();
        let file = std::fs::File::open(path)
            .map_err(|e| DataError::new(path, Location::File, DataErrorKind::Io(e)))?;
        Self::from_csv_reader_report(path, BufReader::new(file), options)
    }

    /// [`from_csv`](Self::from_csv) from any reader; `name` names it in errors.
    ///
    /// # Errors
    /// As [`from_csv`](Self::from_csv); [`DataErrorKind::Io`] is then an error `reader`
    /// returns, or a field that is not UTF-8.
    pub fn from_csv_reader(
        name: impl AsRef<Path>,
        reader: impl BufRead,
        options: CsvOptions,
    ) -> Result<Self, DataError> {
        Self::from_csv_reader_report(name, reader, options).map(|(data, _)| data)
    }

    /// [`from_csv_reader`](Self::from_csv_reader), with what was done about missing
    /// values.
    ///
    /// ```
    /// use ferroflow::data::{CsvOptions, CsvReport, Dataset, Missing};
    /// let text = "a,b,class\n1,NA,x\n3,4,y\n5,?,x\n";
    /// let options = CsvOptions { missing: Missing::Drop, ..CsvOptions::default() };
    /// let (data, report) = Dataset::<f64, 2, 2>::from_csv_reader_report("t.csv", text.as_bytes(), options)?;
    /// assert_eq!(data.features(), [[3.0, 4.0]]);
    /// assert_eq!(report, CsvReport { samples: 1, dropped: 2, filled: 0 });
    /// # Ok::<(), ferroflow::data::DataError>(())
    /// ```
    ///
    /// # Errors
    /// As [`from_csv_reader`](Self::from_csv_reader).
    pub fn from_csv_reader_report(
        name: impl AsRef<Path>,
        reader: impl BufRead,
        options: CsvOptions,
    ) -> Result<(Self, CsvReport), DataError> {
        let name = name.as_ref();
        let file_error = |kind| DataError::new(name, Location::File, kind);
        if !options.targets.is_empty() {
            let found = options.targets.len();
            return Err(file_error(DataErrorKind::TargetCount { expected: 0, found }));
        }
        // The class list given, by name.
        let given = match &options.classes {
            Some(list) if list.len() > K => {
                return Err(file_error(DataErrorKind::TooManyClasses {
                    classes: K,
                    found: list.clone(),
                }));
            }
            Some(list) => {
                let mut map = HashMap::with_capacity(list.len());
                for (k, class) in list.iter().enumerate() {
                    if map.insert(class.as_str(), k).is_some() {
                        let kind = DataErrorKind::DuplicateClass { name: class.clone() };
                        return Err(file_error(kind));
                    }
                }
                Some(map)
            }
            None => None,
        };
        // The labels found (when no list is given), in order of first appearance.
        let mut found: Vec<String> = Vec::new();
        let mut found_index: HashMap<String, usize> = HashMap::new();
        let mut key = String::new();
        let label = std::slice::from_ref(&options.label);
        let rows = read_rows(name, reader, &options, label, Outputs::Label, |texts| {
            let text = texts[0];
            // A whole number is keyed by its value, so that "2" and "2.0" are one class.
            key.clear();
            match whole(text) {
                Some(value) => write!(key, "{value}").unwrap_or(()),
                None => key.push_str(text),
            }
            match &given {
                Some(map) => match map.get(text).or_else(|| map.get(key.as_str())) {
                    Some(&class) => Ok(class),
                    None => {
                        let kind = DataErrorKind::UnknownClass {
                            found: text.to_owned(),
                            known: options.classes.clone().unwrap_or_default(),
                        };
                        Err((0, kind))
                    }
                },
                None => match found_index.get(key.as_str()) {
                    Some(&class) => Ok(class),
                    None if found.len() == K => {
                        let mut names = found.clone();
                        names.push(key.clone());
                        Err((0, DataErrorKind::TooManyClasses { classes: K, found: names }))
                    }
                    None => {
                        found.push(key.clone());
                        found_index.insert(key.clone(), found.len() - 1);
                        Ok(found.len() - 1)
                    }
                },
            }
        })?;
        let Rows { features, outputs: mut labels, report } = rows;

        // The classes: as given, or from the labels found.
        let class_names = match options.classes {
            Some(list) => Some(list),
            None => {
                let values: Option<Vec<i64>> = found.iter().map(|label| whole(label)).collect();
                match values {
                    Some(values) if values.iter().all(|&v| v >= 0 && (v as u64) < K as u64) => {
                        labels.iter_mut().for_each(|label| *label = values[*label] as usize);
                        None
                    }
                    Some(values) => {
                        let mut order: Vec<usize> = (0..found.len()).collect();
                        order.sort_by_key(|&i| values[i]);
                        let mut class_of = vec![0; found.len()];
                        for (class, &i) in order.iter().enumerate() {
                            class_of[i] = class;
                        }
                        labels.iter_mut().for_each(|label| *label = class_of[*label]);
                        Some(order.iter().map(|&i| std::mem::take(&mut found[i])).collect())
                    }
                    None => Some(found),
                }
            }
        };
        Ok((Self::from_checked(features, labels, class_names), report))
    }
}
