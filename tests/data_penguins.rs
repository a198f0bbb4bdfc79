//! The CSV reader on a real file as people have it: the Palmer penguins (`data/penguins.csv`),
//! whose label is a string in the first column, with string columns to leave out and
//! missing values written `NA`.
#![cfg(feature = "std")]

use ferroflow::data::{
    Column, CsvOptions, CsvReport, DataErrorKind, Dataset, LabelColumn, Missing,
};

/// Bill length, bill depth, flipper length, body mass; three species.
type Penguins = Dataset<f32, 4, 3>;

fn path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/penguins.csv")
}

fn options() -> CsvOptions {
    CsvOptions {
        label: LabelColumn::Name("species".into()),
        ignore: ["island", "sex", "year"].map(|name| Column::Name(name.into())).to_vec(),
        missing: Missing::Drop,
        ..CsvOptions::default()
    }
}

#[test]
fn the_penguins_load_with_species_as_label_and_na_lines_dropped() {
    let (data, report) = Penguins::from_csv_report(path(), options()).unwrap();
    // 344 penguins; 2 have no measurements at all. The 9 others with an NA have it only
    // in `sex`, which is ignored, so they are kept.
    assert_eq!(report, CsvReport { samples: 342, dropped: 2, filled: 0 });
    assert_eq!(data.len(), 342);
    assert_eq!(data.class_names().unwrap(), ["Adelie", "Gentoo", "Chinstrap"]);
    assert_eq!(data.class_counts(), [151, 123, 68]);
    // The first line: Adelie,Torgersen,39.1,18.7,181,3750,male,2007.
    assert_eq!(data.sample(0), (&[39.1, 18.7, 181.0, 3750.0], 0));
    assert_eq!(data.class_name(0), Some("Adelie"));
    // The last: Chinstrap,Dream,50.2,18.7,198,3775,female,2009.
    assert_eq!(data.sample(341), (&[50.2, 18.7, 198.0, 3775.0], 2));

    // A class list given sets the order.
    let classes = ["Adelie", "Chinstrap", "Gentoo"].map(String::from).to_vec();
    let options = CsvOptions { classes: Some(classes), ..options() };
    let data = Penguins::from_csv(path(), options).unwrap();
    assert_eq!(data.class_counts(), [151, 68, 123]);
}

#[test]
fn the_penguins_missing_values_are_refused_by_default_and_can_be_filled() {
    let reject = CsvOptions { missing: Missing::Reject, ..options() };
    let error = Penguins::from_csv(path(), reject).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Missing { .. }), "{error}");
    // Line 5 is the first penguin without measurements.
    assert_eq!(
        error.to_string(),
        format!(
            "{}: line 5, column \"bill_length_mm\" (field 3): expected a value, found the \
             missing value \"NA\" (CsvOptions::missing can drop the row or fill in the \
             column's mean)",
            path().display()
        )
    );
    let fill = CsvOptions { missing: Missing::FillMean, ..options() };
    let (data, report) = Penguins::from_csv_report(path(), fill).unwrap();
    assert_eq!(report, CsvReport { samples: 344, dropped: 0, filled: 8 });
    // The filled line holds the means of the 342 measured penguins.
    let measured = Penguins::from_csv(path(), options()).unwrap();
    let mean = |j: usize| {
        measured.features().iter().map(|x| f64::from(x[j])).sum::<f64>() / measured.len() as f64
    };
    let filled = data.features()[3];
    for j in 0..4 {
        assert!((f64::from(filled[j]) - mean(j)).abs() < 1e-3 * mean(j), "feature {j}");
    }
    assert!((filled[3] - 4201.75).abs() < 0.01, "body mass mean {}", filled[3]);
}
