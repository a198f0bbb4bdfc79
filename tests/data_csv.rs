//! The CSV reader: layouts it accepts and every error it reports.
#![cfg(feature = "std")]

use ferroflow::data::{CsvOptions, DataErrorKind, Dataset, LabelColumn, Location};

fn read<const N: usize, const K: usize>(
    text: &str,
    options: CsvOptions,
) -> Result<Dataset<f64, N, K>, ferroflow::data::DataError> {
    Dataset::from_csv_reader("test.csv", text.as_bytes(), options)
}

#[test]
fn reads_features_and_the_label_from_any_column() {
    let last =
        read::<2, 3>("a,b,label\n1.5,-2,2\n\n 3 , 4e1 ,0\r\n", CsvOptions::default()).unwrap();
    assert_eq!(last.features(), [[1.5, -2.0], [3.0, 40.0]]);
    assert_eq!(last.labels(), [2, 0]);

    let options = CsvOptions {
        label: LabelColumn::First,
        header: false,
        delimiter: b';',
        ..CsvOptions::default()
    };
    let first = read::<2, 3>("1;0.5;\"0.25\"\n2;1;1\n", options).unwrap();
    assert_eq!(first.features(), [[0.5, 0.25], [1.0, 1.0]]);
    assert_eq!(first.labels(), [1, 2]);

    let options = CsvOptions { label: LabelColumn::Index(1), ..CsvOptions::default() };
    let middle = read::<2, 2>("x,y,z\n7,1,8\n", options).unwrap();
    assert_eq!((middle.features(), middle.labels()), (&[[7.0, 8.0]][..], &[1][..]));
}

#[test]
fn from_csv_reads_a_file_and_names_it_in_errors() {
    let path = std::env::temp_dir().join(format!("ferroflow-{}-bad.csv", std::process::id()));
    std::fs::write(&path, "f,label\n1,0\nx,1\n").unwrap();
    let error = Dataset::<f32, 1, 2>::from_csv(&path, CsvOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("{}: line 3, field 1: expected a finite number, found \"x\"", path.display())
    );
    std::fs::write(&path, "f,label\n1,0\n2,1\n").unwrap();
    let data = Dataset::<f32, 1, 2>::from_csv(&path, CsvOptions::default()).unwrap();
    assert_eq!(data.labels(), [0, 1]);
    std::fs::remove_file(&path).unwrap();
    let error = Dataset::<f32, 1, 2>::from_csv(&path, CsvOptions::default()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Io(_)));
}

#[test]
fn a_line_with_the_wrong_number_of_fields_is_reported() {
    let error = read::<3, 2>("a,b,c,d\n1,2,3,0\n1,2,0\n", CsvOptions::default()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::FieldCount { expected: 4, found: 3 }));
    assert_eq!(error.location, Location::Line(3));
    assert_eq!(error.to_string(), "test.csv: line 3: expected 4 fields, found 3");
}

#[test]
fn numbers_that_are_not_finite_are_rejected() {
    let error = read::<2, 2>("h,h,h\n1,NaN,0\n", CsvOptions::default()).unwrap_err();
    assert!(matches!(&error.kind, DataErrorKind::NotANumber { found } if found == "NaN"));
    assert_eq!(error.location, Location::Field { line: 2, field: 2 });
    let error = read::<1, 2>("h,h\ninf,0\n", CsvOptions::default()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::NotANumber { .. }));
}

#[test]
fn labels_must_be_whole_classes_below_k() {
    let error = read::<1, 3>("h,h\n0.5,3\n", CsvOptions::default()).unwrap_err();
    assert!(
        matches!(&error.kind, DataErrorKind::LabelOutOfRange { found, classes: 3 } if found == "3")
    );
    assert_eq!(
        error.to_string(),
        "test.csv: line 2, field 2: expected a label from 0 to 2 (3 classes), found 3"
    );
    for bad in ["-1", "1.5"] {
        let error = read::<1, 3>(&format!("h,h\n0.5,{bad}\n"), CsvOptions::default()).unwrap_err();
        assert!(matches!(error.kind, DataErrorKind::LabelOutOfRange { .. }), "{bad}");
    }
    let error = read::<1, 3>("h,h\n0.5,cat\n", CsvOptions::default()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::NotANumber { .. }));
}

#[test]
fn a_label_column_past_the_last_is_reported() {
    let options = CsvOptions { label: LabelColumn::Index(3), ..CsvOptions::default() };
    let error = read::<2, 2>("a,b,c\n1,2,0\n", options).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::LabelColumn { index: 3, columns: 3 }));
    assert_eq!(
        error.to_string(),
        "test.csv: expected a label column from 0 to 2 (3 columns), found 3"
    );
}

#[test]
fn a_file_without_samples_is_reported() {
    let error = read::<2, 2>("a,b,c\n\n", CsvOptions::default()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Empty));
    assert_eq!(error.to_string(), "test.csv: expected at least one sample, found none");
}

#[test]
fn a_value_beyond_the_element_type_is_reported_not_turned_into_infinity() {
    let text = "a,b,label\n1,1e39,0\n";
    let error =
        Dataset::<f32, 2, 2>::from_csv_reader("test.csv", text.as_bytes(), CsvOptions::default())
            .unwrap_err();
    assert!(matches!(error.location, Location::Field { line: 2, field: 2 }), "{error}");
    assert!(error.to_string().contains("1e39 (out of the range of f32)"), "{error}");
    // The same value is fine in f64.
    assert_eq!(read::<2, 2>(text, CsvOptions::default()).unwrap().features(), [[1.0, 1e39]]);
}

#[test]
fn a_line_with_too_many_fields_is_refused_at_the_first_field_too_many() {
    let error = read::<2, 2>("a,b,c\n1,2,0\n1,2,0,4,5,6\n", CsvOptions::default()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::TooManyFields { expected: 3 }), "{error:?}");
    assert_eq!(error.location, Location::Line(3));
    assert_eq!(error.to_string(), "test.csv: line 3: expected 3 fields, found more");
    // The header is not a sample: its fields are not counted.
    let data = read::<1, 2>("a,b,c,d\n1,0\n", CsvOptions::default()).unwrap();
    assert_eq!(data.features(), [[1.0]]);
}

#[test]
fn the_line_limit_is_settable_and_counts_no_newline() {
    let text = "a,b\n1.25,0\r\n12345.5,1\n";
    // The longest line, "12345.5,1", has 9 bytes ("1.25,0\r" has 7).
    let options = CsvOptions { max_line_bytes: Some(9), ..CsvOptions::default() };
    assert_eq!(read::<1, 2>(text, options).unwrap().features(), [[1.25], [12345.5]]);
    let options = CsvOptions { max_line_bytes: Some(8), ..CsvOptions::default() };
    let error = read::<1, 2>(text, options).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::LineTooLong { limit: 8 }), "{error:?}");
    assert_eq!(error.location, Location::Line(3));
    // The default: 256 bytes per column, at least 4096.
    assert_eq!(CsvOptions::default().max_line_bytes, None);
    assert_eq!(CsvOptions::default_max_line_bytes(100), 25_600);
    let long = format!("h,h\n{}1,0\n", " ".repeat(4093));
    assert_eq!(read::<1, 2>(&long, CsvOptions::default()).unwrap().features(), [[1.0]]);
    let longer = format!("h,h\n{}1,0\n", " ".repeat(4094));
    let error = read::<1, 2>(&longer, CsvOptions::default()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::LineTooLong { limit: 4096 }), "{error:?}");
}

#[test]
fn a_field_that_is_not_utf8_is_reported_at_its_place() {
    let bytes = b"a,b\n1,0\n2,\xff\n";
    let error =
        Dataset::<f32, 1, 2>::from_csv_reader("bytes.csv", &bytes[..], CsvOptions::default())
            .unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Io(_)), "{error:?}");
    assert_eq!(error.location, Location::Field { line: 3, field: 2 });
}
