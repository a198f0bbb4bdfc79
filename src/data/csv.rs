//! Comma-separated text: one sample per line, `N` feature columns and one label column.

use super::dataset::Dataset;
use super::error::{DataError, DataErrorKind, Location};
use crate::Element;
use std::io::{BufRead, BufReader};
use std::path::Path;

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
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self { label: LabelColumn::Last, header: true, delimiter: b',' }
    }
}

impl<T: Element, const N: usize, const K: usize> Dataset<T, N, K> {
    /// Reads a CSV file: after an optional header line, one sample per line with `N`
    /// numeric features and a label column holding a class from 0 to `K − 1`. Blank lines
    /// are skipped; fields may be wrapped in double quotes, which are stripped (a quoted
    /// field cannot hold the delimiter or an escaped `""`).
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
        let delimiter = char::from(options.delimiter);
        let (mut features, mut labels) = (Vec::new(), Vec::new());
        let mut text = String::new();
        let mut line_number = 0u64;
        loop {
            text.clear();
            line_number += 1;
            let read = reader
                .read_line(&mut text)
                .map_err(|e| error(Location::Line(line_number), DataErrorKind::Io(e)))?;
            if read == 0 {
                break;
            }
            let line = text.trim_end_matches(['\n', '\r']);
            if (line_number == 1 && options.header) || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> =
                line.split(delimiter).map(|f| f.trim().trim_matches('"').trim()).collect();
            if fields.len() != N + 1 {
                let kind = DataErrorKind::FieldCount { expected: N + 1, found: fields.len() };
                return Err(error(Location::Line(line_number), kind));
            }
            let at = |field: usize| Location::Field { line: line_number, field: field + 1 };
            let number = |field: usize| match fields[field].parse::<f64>() {
                Ok(value) if value.is_finite() => Ok(value),
                _ => {
                    Err(error(at(field), DataErrorKind::NotANumber { found: fields[field].into() }))
                }
            };
            let label = number(label_column)?;
            if !(label >= 0.0 && label < K as f64 && label.fract() == 0.0) {
                let kind = DataErrorKind::LabelOutOfRange {
                    found: fields[label_column].into(),
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
                    let found = format!("{} (out of the range of {})", fields[column], T::NAME);
                    return Err(error(at(column), DataErrorKind::NotANumber { found }));
                }
            }
            features.push(sample);
            labels.push(label as usize);
        }
        if labels.is_empty() {
            return Err(error(Location::File, DataErrorKind::Empty));
        }
        Ok(Self::from_checked(features, labels))
    }
}
