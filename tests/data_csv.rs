//! The CSV reader: layouts it accepts and every error it reports.
#![cfg(feature = "std")]

use ferroflow::data::{
    Column, CsvOptions, CsvReport, DataErrorKind, Dataset, LabelColumn, Location, Missing,
};

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
        format!(
            "{}: line 3, column \"f\" (field 1): expected a finite number, found \"x\"",
            path.display()
        )
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
    assert!(matches!(error.kind, DataErrorKind::FieldCount { expected: 4, found: 3, .. }));
    assert_eq!(error.location, Location::Line(3));
    assert_eq!(
        error.to_string(),
        "test.csv: line 3: expected 3 features (4 columns: 1 label, 0 ignored), found 2 (3 columns)"
    );
}

#[test]
fn numbers_that_are_not_finite_are_rejected() {
    let error = read::<2, 2>("h,h,h\n1,NaN,0\n", CsvOptions::default()).unwrap_err();
    assert!(matches!(&error.kind, DataErrorKind::NotANumber { found } if found == "NaN"));
    assert_eq!(error.location, Location::column(2, 2, "h"));
    let error = read::<1, 2>("h,h\ninf,0\n", CsvOptions::default()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::NotANumber { .. }));
}

#[test]
fn numeric_labels_below_k_are_their_classes_and_others_are_mapped_by_value() {
    // 0..K: today's meaning, no class names.
    let data = read::<1, 3>("h,h\n0.5,2\n1.5,0.0\n2.5,2\n", CsvOptions::default()).unwrap();
    assert_eq!(data.labels(), [2, 0, 2]);
    assert_eq!(data.class_names(), None);
    // 1-based wine classes: "3" is not a class of 0..3, so the classes are the numbers in
    // increasing order, named by them ("2.0" is "2").
    let text = "alcohol,class\n13.2,3\n12.1,1\n14.0,2.0\n11.9,3\n";
    let data = read::<1, 3>(text, CsvOptions::default()).unwrap();
    assert_eq!(data.labels(), [2, 0, 1, 2]);
    assert_eq!(data.class_names().unwrap(), ["1", "2", "3"]);
    assert_eq!(data.class_name(0), Some("3"));
    // Other numbers too: -1 and 1.
    let data = read::<1, 2>("h,h\n0.5,1\n0.5,-1\n", CsvOptions::default()).unwrap();
    assert_eq!(data.labels(), [1, 0]);
    assert_eq!(data.class_names().unwrap(), ["-1", "1"]);
    // A fraction is a name: the classes are in order of first appearance.
    let data = read::<1, 3>("h,h\n0.5,1.5\n0.5,0\n", CsvOptions::default()).unwrap();
    assert_eq!(data.labels(), [0, 1]);
    assert_eq!(data.class_names().unwrap(), ["1.5", "0"]);
}

#[test]
fn string_labels_become_classes_in_order_of_first_appearance() {
    let text = "species,bill,flipper\nGentoo,46.1,211\nAdelie,39.1,181\n\"Gentoo\",50,230\n\
                Chinstrap,46.5,192\n";
    let options = CsvOptions { label: LabelColumn::First, ..CsvOptions::default() };
    let data = read::<2, 3>(text, options).unwrap();
    assert_eq!(data.labels(), [0, 1, 0, 2]);
    assert_eq!(data.class_names().unwrap(), ["Gentoo", "Adelie", "Chinstrap"]);
    assert_eq!(data.features()[3], [46.5, 192.0]);
    assert_eq!(data.class_counts(), [2, 1, 1]);
}

#[test]
fn a_given_class_list_sets_the_order_and_refuses_other_labels() {
    let text = "x,species\n1,Gentoo\n2,Adelie\n";
    let classes = Some(vec!["Adelie".to_owned(), "Chinstrap".to_owned(), "Gentoo".to_owned()]);
    let options = CsvOptions { classes: classes.clone(), ..CsvOptions::default() };
    let data = read::<1, 3>(text, options.clone()).unwrap();
    assert_eq!(data.labels(), [2, 0]);
    assert_eq!(data.class_names().unwrap(), ["Adelie", "Chinstrap", "Gentoo"]);
    // The names survive subsets, splits and shuffles.
    assert_eq!(data.subset(&[1]).unwrap().class_names(), data.class_names());
    let (first, rest) = data.clone().split_at(1).unwrap();
    assert_eq!((first.class_names(), rest.class_names()), (data.class_names(), data.class_names()));
    let mut shuffled = data.clone();
    shuffled.shuffle(&mut <ferroflow::SeededRng as ferroflow::SeedableRng>::seed_from_u64(1));
    assert_eq!(shuffled.class_names(), data.class_names());

    let error = read::<1, 3>("x,species\n1,Gentoo\n2,Emperor\n", options).unwrap_err();
    assert!(matches!(&error.kind, DataErrorKind::UnknownClass { found, .. } if found == "Emperor"));
    assert_eq!(
        error.to_string(),
        "test.csv: line 3, column \"species\" (field 2): expected one of the classes \"Adelie\", \
         \"Chinstrap\", \"Gentoo\" (CsvOptions::classes), found \"Emperor\""
    );
    // A list longer than K, or with a name twice, is refused before reading.
    let options = CsvOptions { classes: classes.clone(), ..CsvOptions::default() };
    let error = read::<1, 2>(text, options).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::TooManyClasses { classes: 2, .. }), "{error}");
    let twice = Some(vec!["a".to_owned(), "a".to_owned()]);
    let error = read::<1, 2>(text, CsvOptions { classes: twice, ..CsvOptions::default() });
    assert!(matches!(error.unwrap_err().kind, DataErrorKind::DuplicateClass { .. }));
}

#[test]
fn more_distinct_labels_than_k_are_refused_naming_them() {
    let text = "x,y\n1,cat\n2,dog\n3,cat\n4,emu\n";
    let error = read::<1, 2>(text, CsvOptions::default()).unwrap_err();
    assert_eq!(error.location, Location::column(5, 2, "y"));
    assert_eq!(
        error.to_string(),
        "test.csv: line 5, column \"y\" (field 2): expected at most 2 classes, found 3: \"cat\", \
         \"dog\", \"emu\""
    );
    assert_eq!(read::<1, 3>(text, CsvOptions::default()).unwrap().labels(), [0, 1, 0, 2]);
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
    assert_eq!(error.location, Location::column(2, 2, "b"));
    assert!(error.to_string().contains("1e39 (out of the range of f32)"), "{error}");
    // The same value is fine in f64.
    assert_eq!(read::<2, 2>(text, CsvOptions::default()).unwrap().features(), [[1.0, 1e39]]);
}

#[test]
fn a_line_with_too_many_fields_is_refused_at_the_first_field_too_many() {
    let error = read::<2, 2>("a,b,c\n1,2,0\n1,2,0,4,5,6\n", CsvOptions::default()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::TooManyFields { expected: 3, .. }), "{error:?}");
    assert_eq!(error.location, Location::Line(3));
    assert_eq!(
        error.to_string(),
        "test.csv: line 3: expected 2 features (3 columns: 1 label, 0 ignored), found more"
    );
    // The header sets the columns: one of 4 names (a quoted comma is inside a name) is
    // 3 features, not 1.
    let error = read::<1, 2>("a,\"b,c\",d,e\n1,0\n", CsvOptions::default()).unwrap_err();
    assert_eq!(error.location, Location::Line(1));
    assert_eq!(
        error.to_string(),
        "test.csv: line 1: expected 1 features (2 columns: 1 label, 0 ignored), found more"
    );
    let data = read::<1, 2>("\"a,b\",c\n1,0\n", CsvOptions::default()).unwrap();
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
    assert_eq!(error.location, Location::column(3, 2, "b"));
    // Without a header, the field's number alone.
    let options = CsvOptions { header: false, ..CsvOptions::default() };
    let error =
        Dataset::<f32, 1, 2>::from_csv_reader("bytes.csv", &bytes[4..], options).unwrap_err();
    assert_eq!(error.location, Location::Field { line: 2, field: 2 });
}

#[test]
fn quoted_fields_crlf_and_a_byte_order_mark_are_read() {
    // A quoted name holding the delimiter and an escaped quote, CRLF line breaks, a BOM.
    let text = "\u{feff}\"size, \"\"cm\"\"\",\"kind\"\r\n\"1,5\",\"a\"\"b\"\r\n2.5,c\r\n";
    let options = CsvOptions { delimiter: b';', ..CsvOptions::default() };
    // With ';' as delimiter each line is one field: the column count is what proves the
    // comma inside quotes was not split.
    assert!(read::<1, 2>(text, options).is_err());
    let error = read::<1, 2>(text, CsvOptions::default()).unwrap_err();
    // "1,5" is one field (not 1 and 5), so it is refused as a number, named by its
    // header name: the BOM is not part of it, the quotes are unescaped.
    assert_eq!(error.location, Location::column(2, 1, "size, \"cm\""), "{error}");
    assert!(matches!(&error.kind, DataErrorKind::NotANumber { found } if found == "1,5"));
    let text = "\u{feff}label,\"x\"\r\n\"a\"\"b\",\"1.5\"\r\n\r\nc,2.5\r\n";
    let options = CsvOptions { label: LabelColumn::Name("label".into()), ..CsvOptions::default() };
    let data = read::<1, 2>(text, options).unwrap();
    assert_eq!(data.features(), [[1.5], [2.5]]);
    assert_eq!(data.class_names().unwrap(), ["a\"b", "c"]);
    // Line numbers count the line breaks inside a quoted field.
    let text = "note,x,y\n\"two\nlines\",1,0\nok,zz,1\n";
    let options = CsvOptions { ignore: vec![Column::Index(0)], ..CsvOptions::default() };
    let error = read::<1, 2>(text, options).unwrap_err();
    assert_eq!(error.location, Location::column(4, 2, "x"));
}

#[test]
fn columns_are_ignored_by_name_or_index_and_errors_count_features() {
    let text = "id,species,a,b,site,c,d\n7,x,1,2,north,3,4\n8,y,5,6,south,7,8\n";
    let options = CsvOptions {
        label: LabelColumn::Name("species".into()),
        ignore: vec![Column::Name("site".into()), Column::Index(0)],
        ..CsvOptions::default()
    };
    let data = read::<4, 2>(text, options.clone()).unwrap();
    assert_eq!(data.features(), [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]);
    assert_eq!(data.class_names().unwrap(), ["x", "y"]);
    // A line of 8 columns: 5 features.
    let bad = format!("{text}9,z,1,2,east,3,4,5\n");
    let error = read::<4, 3>(&bad, options.clone()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.csv: line 4: expected 4 features (7 columns: 1 label, 2 ignored), found more"
    );
    let short = format!("{text}9,z,1,2,east,3\n");
    let error = read::<4, 3>(&short, options.clone()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.csv: line 4: expected 4 features (7 columns: 1 label, 2 ignored), found 3 (6 columns)"
    );
    // The header has 7 columns: 4 features, not 5.
    let error = read::<5, 2>(text, options.clone()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.csv: line 1: expected 5 features (8 columns: 1 label, 2 ignored), found 4 (7 columns)"
    );
    // Without a header, by index.
    let options = CsvOptions {
        header: false,
        label: LabelColumn::Index(1),
        ignore: vec![Column::Index(0), Column::Index(4)],
        ..CsvOptions::default()
    };
    let data = read::<4, 2>(text.split_once('\n').unwrap().1, options).unwrap();
    assert_eq!(data.features()[1], [5.0, 6.0, 7.0, 8.0]);
    // Names that are not in the header, names without a header, a label also ignored.
    let options =
        CsvOptions { ignore: vec![Column::Name("island".into())], ..CsvOptions::default() };
    let error = read::<1, 2>("a,b\n1,0\n", options.clone()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.csv: expected a column named \"island\" in the header, found only \"a\", \"b\""
    );
    let error = read::<1, 2>("1,0\n", CsvOptions { header: false, ..options }).unwrap_err();
    assert!(error.to_string().ends_with("found no header (CsvOptions::header is false)"));
    let options = CsvOptions { ignore: vec![Column::Index(2)], ..CsvOptions::default() };
    let error = read::<1, 2>("a,b,c\n1,0,0\n", options).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::LabelIgnored { column: 2 }), "{error}");
    let options = CsvOptions { ignore: vec![Column::Index(9)], ..CsvOptions::default() };
    let error = read::<1, 2>("a,b,c\n1,0,0\n", options).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::IgnoredColumn { index: 9, columns: 3 }));
}

#[test]
fn a_missing_value_is_refused_by_default_naming_line_and_column() {
    let text = "a,b,label\n1,2,x\n3,NA,y\n";
    let error = read::<2, 2>(text, CsvOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.csv: line 3, column \"b\" (field 2): expected a value, found the missing value \
         \"NA\" (CsvOptions::missing can drop the row or fill in the column's mean)"
    );
    for gap in ["", "N/A", "?", " ? "] {
        let error = read::<2, 2>(&format!("a,b,label\n1,{gap},x\n"), CsvOptions::default());
        assert!(matches!(error.unwrap_err().kind, DataErrorKind::Missing { .. }), "{gap:?}");
    }
    // A missing label too; and the list is settable ("-" missing, "NA" a number error).
    let error = read::<2, 2>("a,b,label\n1,2,NA\n", CsvOptions::default()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Missing { .. }));
    assert_eq!(error.location, Location::column(2, 3, "label"));
    let options = CsvOptions { missing_values: vec!["-".into()], ..CsvOptions::default() };
    let error = read::<2, 2>("a,b,label\n1,-,x\n", options.clone()).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Missing { .. }));
    let error = read::<2, 2>(text, options).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::NotANumber { .. }));
}

#[test]
fn missing_values_can_drop_their_lines() {
    let text = "a,b,label\n1,2,x\n3,NA,y\n,4,y\n5,6,NA\n7,8,y\n";
    let options = CsvOptions { missing: Missing::Drop, ..CsvOptions::default() };
    let (data, report) =
        Dataset::<f64, 2, 2>::from_csv_reader_report("t.csv", text.as_bytes(), options.clone())
            .unwrap();
    assert_eq!(data.features(), [[1.0, 2.0], [7.0, 8.0]]);
    assert_eq!(data.class_names().unwrap(), ["x", "y"]);
    assert_eq!(report, CsvReport { samples: 2, dropped: 3, filled: 0 });
    // Every line dropped: no samples.
    let error = read::<2, 2>("a,b,label\n1,NA,x\n", options).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Empty));
}

#[test]
fn missing_features_can_be_filled_with_their_columns_mean() {
    let text = "a,b,label\n1,2,x\n3,NA,y\n?,4,y\n5,9,x\n";
    let options = CsvOptions { missing: Missing::FillMean, ..CsvOptions::default() };
    let (data, report) =
        Dataset::<f64, 2, 2>::from_csv_reader_report("t.csv", text.as_bytes(), options.clone())
            .unwrap();
    // Column a: (1 + 3 + 5) / 3 = 3; column b: (2 + 4 + 9) / 3 = 5.
    assert_eq!(data.features(), [[1.0, 2.0], [3.0, 5.0], [3.0, 4.0], [5.0, 9.0]]);
    assert_eq!(report, CsvReport { samples: 4, dropped: 0, filled: 2 });
    // A column without any value has no mean; a missing label is still refused.
    let error = read::<2, 2>("a,b,label\n1,NA,x\n2,,y\n", options.clone()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.csv: expected at least one value in column \"b\" to fill its missing values with \
         their mean, found none"
    );
    let error = read::<2, 2>("a,b,label\n1,2,?\n", options).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Missing { .. }));
}

#[test]
fn the_input_may_arrive_a_byte_at_a_time() {
    // The same text through buffers of 1, 2, 3 and 7 bytes: fields, quotes, CRLF, line
    // numbers and a byte order mark split across reads all come out the same.
    let text = "\u{feff}name,\"x, mm\",y\r\n\r\n\"a\"\"b\",1.5,2\r\n\"c\nd\",3,4\nc,NA,5\n";
    let options = CsvOptions { label: LabelColumn::First, ..CsvOptions::default() };
    let whole = read::<2, 3>(text, options.clone()).unwrap_err();
    assert_eq!(whole.location, Location::column(6, 2, "x, mm"));
    for capacity in [1, 2, 3, 7] {
        let reader = std::io::BufReader::with_capacity(capacity, text.as_bytes());
        let error =
            Dataset::<f64, 2, 3>::from_csv_reader("test.csv", reader, options.clone()).unwrap_err();
        assert_eq!(error.to_string(), whole.to_string(), "capacity {capacity}");
        let reader = std::io::BufReader::with_capacity(capacity, text.as_bytes());
        let options = CsvOptions { missing: Missing::Drop, ..options.clone() };
        let data = Dataset::<f64, 2, 3>::from_csv_reader("test.csv", reader, options).unwrap();
        assert_eq!(data.features(), [[1.5, 2.0], [3.0, 4.0]], "capacity {capacity}");
        assert_eq!(data.class_names().unwrap(), ["a\"b", "c\nd"], "capacity {capacity}");
    }
}
