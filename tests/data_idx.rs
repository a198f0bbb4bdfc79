//! The IDX reader: valid files of every type, raw and gzip, and every way a file can be
//! wrong, each with files written here byte by byte.
#![cfg(feature = "std")]

use ferroflow::data::{DataErrorKind, Dataset, Idx, IdxData, IdxOptions, Location};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::PathBuf;

/// A file in the temporary folder, unique to this test process, removed when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

impl std::ops::Deref for TempFile {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl AsRef<std::path::Path> for TempFile {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

/// A temporary file holding `bytes`.
fn file(name: &str, bytes: &[u8]) -> TempFile {
    let path = std::env::temp_dir().join(format!("ferroflow-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    TempFile(path)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// An IDX header: type code, then the sizes.
fn header(code: u8, dims: &[u32]) -> Vec<u8> {
    let mut bytes = vec![0, 0, code, dims.len() as u8];
    for d in dims {
        bytes.extend_from_slice(&d.to_be_bytes());
    }
    bytes
}

fn with_data(mut header: Vec<u8>, data: &[u8]) -> Vec<u8> {
    header.extend_from_slice(data);
    header
}

#[test]
fn reads_raw_and_gzip_files_alike() {
    let bytes = with_data(header(0x08, &[2, 2, 3]), &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255]);
    let raw = Idx::read(file("raw.idx", &bytes)).unwrap();
    assert_eq!(raw.dims, [2, 2, 3]);
    assert_eq!(raw.data, IdxData::U8(vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255]));
    let compressed = Idx::read(file("raw.idx.gz", &gzip(&bytes))).unwrap();
    assert_eq!((compressed.dims, compressed.data), (raw.dims, raw.data));
}

#[test]
fn reads_every_element_type_big_endian() {
    let i16s = with_data(header(0x0b, &[2]), &[0xff, 0xfe, 0x01, 0x00]);
    assert_eq!(Idx::from_bytes("a", &i16s).unwrap().data, IdxData::I16(vec![-2, 256]));
    let i8s = with_data(header(0x09, &[2]), &[0xff, 0x7f]);
    assert_eq!(Idx::from_bytes("b", &i8s).unwrap().data, IdxData::I8(vec![-1, 127]));
    let i32s = with_data(header(0x0c, &[1]), &(-70000i32).to_be_bytes());
    assert_eq!(Idx::from_bytes("c", &i32s).unwrap().data, IdxData::I32(vec![-70000]));
    let f32s = with_data(header(0x0d, &[1]), &1.5f32.to_be_bytes());
    assert_eq!(Idx::from_bytes("d", &f32s).unwrap().data.get(0), 1.5);
    let f64s = with_data(header(0x0e, &[1, 1]), &(-0.25f64).to_be_bytes());
    let idx = Idx::from_bytes("e", &f64s).unwrap();
    assert_eq!((idx.dims, idx.data), (vec![1, 1], IdxData::F64(vec![-0.25])));
}

#[test]
fn a_wrong_magic_number_is_reported_at_byte_0() {
    let path = file("magic.idx", &with_data(vec![1, 0, 8, 1, 0, 0, 0, 1], &[7]));
    let error = Idx::read(&path).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Magic { found: [1, 0, 8, 1] }), "{error:?}");
    assert_eq!(error.location, Location::Byte(0));
    let message = error.to_string();
    assert!(message.starts_with(&path.display().to_string()), "{message}");
    assert!(message.contains("byte 0: expected an IDX magic number"), "{message}");
    assert!(message.contains("found 01 00 08 01"), "{message}");
    // Inside a gzip file, the place is in the decompressed data.
    let error = Idx::from_bytes("magic.gz", &gzip(&[0, 1, 8, 1, 0])).unwrap_err();
    assert_eq!(error.location, Location::DecompressedByte(0));
}

#[test]
fn an_unknown_type_code_is_reported() {
    let error = Idx::from_bytes("type.idx", &with_data(header(0x07, &[1]), &[0])).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::ElementType { found: 0x07 }));
    assert_eq!(error.location, Location::Byte(2));
    assert!(error.to_string().contains("found 0x07"), "{error}");
}

#[test]
fn zero_dimensions_are_reported() {
    let error = Idx::from_bytes("scalar.idx", &[0, 0, 8, 0, 42]).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Shape { .. }));
    assert_eq!(error.location, Location::Byte(3));
}

#[test]
fn a_truncated_header_is_reported() {
    let error = Idx::from_bytes("short.idx", &[0, 0]).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::HeaderTruncated { expected: 4, found: 2 }));
    // Three dimensions need 16 header bytes; the file has 9.
    let error = Idx::from_bytes("short.idx", &[0, 0, 8, 3, 0, 0, 0, 9, 0]).unwrap_err();
    assert!(
        matches!(error.kind, DataErrorKind::HeaderTruncated { expected: 16, found: 9 }),
        "{error:?}"
    );
    assert_eq!(error.location, Location::Byte(9));
}

#[test]
fn truncated_data_says_how_much_was_expected_and_found() {
    // 2 × 2 × 2 bytes promised, 5 present.
    let raw = with_data(header(0x08, &[2, 2, 2]), &[1, 2, 3, 4, 5]);
    let error = Idx::read(file("truncated.idx", &raw)).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Truncated { expected: 8, found: 5 }), "{error:?}");
    assert!(error.to_string().contains("expected 8 bytes of data after the header, found 5"));
    // The same inside a valid gzip stream: found at the end of the decompressed data.
    let error = Idx::read(file("truncated.idx.gz", &gzip(&raw))).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Truncated { expected: 8, found: 5 }), "{error:?}");
    assert_eq!(error.location, Location::DecompressedByte(21));
}

#[test]
fn a_cut_gzip_stream_is_an_error_not_a_panic() {
    let bytes = with_data(header(0x08, &[100, 10]), &[7; 1000]);
    let compressed = gzip(&bytes);
    let cut = &compressed[..compressed.len() / 2];
    let error = Idx::read(file("cut.idx.gz", cut)).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Io(_)), "{error:?}");
    assert!(matches!(error.location, Location::DecompressedByte(_)));
}

#[test]
fn a_hostile_header_allocates_nothing_it_cannot_fill() {
    // 2³² − 1 images of 65535 × 65535 bytes, in a file of a few bytes: reading must fail at
    // once from the lengths, not try to reserve 18 exabytes.
    let hostile = with_data(header(0x08, &[u32::MAX, 65535, 65535]), &[0; 16]);
    let error = Idx::read(file("hostile.idx", &hostile)).unwrap_err();
    match error.kind {
        DataErrorKind::Truncated { expected, found } => {
            assert_eq!(expected, u64::from(u32::MAX) * 65535 * 65535);
            assert_eq!(found, 16);
        }
        other => panic!("expected Truncated, found {other:?}"),
    }
    // gzip hides the length; deflate expands at most 1032-fold, which bounds it.
    let compressed = gzip(&hostile);
    let error = Idx::read(file("hostile.idx.gz", &compressed)).unwrap_err();
    match &error.kind {
        DataErrorKind::TooLarge { dims, claimed, available } => {
            assert_eq!(dims, &[u64::from(u32::MAX), 65535, 65535]);
            assert_eq!(*claimed, u128::from(u32::MAX) * 65535 * 65535);
            assert_eq!(*available, compressed.len() as u64 * 1032 - 16);
        }
        other => panic!("expected TooLarge, found {other:?}"),
    }
    assert!(error.to_string().contains("the header claims 4294967295 × 65535 × 65535 items"));
    // 255 dimensions of 2³² − 1: the product overflows every integer type.
    let mut absurd = vec![0, 0, 0x0e, 255];
    absurd.extend(std::iter::repeat_n(0xff, 4 * 255));
    let error = Idx::from_bytes("absurd.idx", &absurd).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Truncated { expected: u64::MAX, found: 0 }));
}

#[test]
fn trailing_bytes_are_reported() {
    let bytes = with_data(header(0x08, &[2]), &[1, 2, 3]);
    let error = Idx::from_bytes("long.idx", &bytes).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::TrailingData));
    assert_eq!(error.location, Location::Byte(10));
}

#[test]
fn a_missing_file_names_itself() {
    let path = std::env::temp_dir().join("ferroflow-no-such-file.idx");
    let error = Idx::read(&path).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Io(_)));
    assert!(error.to_string().starts_with(&path.display().to_string()), "{error}");
}

#[test]
fn a_label_out_of_range_is_reported_at_its_byte() {
    let images = file("lr-images.idx", &with_data(header(0x08, &[3, 2]), &[0; 6]));
    let labels = file("lr-labels.idx.gz", &gzip(&with_data(header(0x08, &[3]), &[1, 9, 12])));
    let error = Dataset::<f32, 2, 10>::from_idx(&images, &labels).unwrap_err();
    assert!(
        matches!(&error.kind, DataErrorKind::LabelOutOfRange { found, classes: 10 } if found == "12"),
        "{error:?}"
    );
    assert_eq!(error.location, Location::DecompressedByte(8 + 2));
    assert_eq!(error.file, *labels);
    assert!(error.to_string().contains("expected a label from 0 to 9 (10 classes), found 12"));
}

#[test]
fn shapes_that_do_not_fit_the_data_set_are_reported() {
    let images = file("sh-images.idx", &with_data(header(0x08, &[2, 3, 3]), &[0; 18]));
    let labels = file("sh-labels.idx", &with_data(header(0x08, &[2]), &[0, 1]));
    let error = Dataset::<f32, 4, 2>::from_idx(&images, &labels).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{}: byte 4: expected images of shape n × 4 (4 features per sample), found 2 × 3 × 3 \
             (9 features per sample)",
            images.display()
        )
    );
    let three_labels = file("sh-labels3.idx", &with_data(header(0x08, &[3]), &[0, 1, 1]));
    let error = Dataset::<f32, 9, 2>::from_idx(&images, &three_labels).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Shape { what: "labels", .. }));
    assert!(error.to_string().contains("expected labels of shape 2 (one per image"), "{error}");
    let empty = file("empty-images.idx", &header(0x08, &[0, 3, 3]));
    let no_labels = file("empty-labels.idx", &header(0x08, &[0]));
    let error = Dataset::<f32, 9, 2>::from_idx(&empty, &no_labels).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Empty));
}

#[test]
fn a_header_whose_dimensions_overflow_is_a_shape_error_not_a_panic() {
    // Zero images of 2³² − 1 cubed pixels: no data, so the length check passes, and the
    // pixels per image overflow usize.
    let images = file("of-images.idx", &header(0x08, &[0, u32::MAX, u32::MAX, u32::MAX]));
    let labels = file("of-labels.idx", &header(0x08, &[0]));
    let error = Dataset::<f32, 4, 2>::from_idx(&images, &labels).unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::Shape { what: "images", .. }), "{error:?}");
    assert!(error.to_string().contains("more than usize::MAX features per sample"), "{error}");
}

fn data_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data").join(name)
}

#[test]
fn the_shipped_digits_load_from_their_files_and_match_the_built_in_copy() {
    let data = Dataset::<f32, 64, 10>::from_idx(
        data_file("digits-images-idx3-ubyte.gz"),
        data_file("digits-labels-idx1-ubyte.gz"),
    )
    .unwrap();
    assert_eq!(data.len(), 1797);
    assert_eq!(data, ferroflow::data::digits::<f32>());
    // About 180 of each digit; pixel counts from 0 to 16.
    assert!(
        data.class_counts().iter().all(|&n| (170..=190).contains(&n)),
        "{:?}",
        data.class_counts()
    );
    let max = data.features().iter().flatten().fold(0.0f32, |m, &v| m.max(v));
    assert_eq!(max, 16.0);
}

#[test]
fn the_shipped_mnist_subset_loads() {
    let data = Dataset::<f32, 784, 10>::from_idx(
        data_file("mnist5k-images-idx3-ubyte.gz"),
        data_file("mnist5k-labels-idx1-ubyte.gz"),
    )
    .unwrap();
    assert_eq!(data.len(), 5000);
    assert_eq!(data.class_counts(), [500; 10]);
    let max = data.features().iter().flatten().fold(0.0f32, |m, &v| m.max(v));
    assert_eq!(max, 255.0);
}

#[test]
fn nan_and_infinities_in_float_files_are_refused_at_their_byte() {
    // f32 values 1.5, NaN: the NaN is value 1, at byte 8 + 4.
    let mut f32s = header(0x0d, &[2]);
    f32s.extend_from_slice(&1.5f32.to_be_bytes());
    f32s.extend_from_slice(&f32::NAN.to_be_bytes());
    let error = Idx::from_bytes("nan.idx", &f32s).unwrap_err();
    assert!(matches!(&error.kind, DataErrorKind::NotANumber { found } if found == "NaN"));
    assert_eq!(error.location, Location::Byte(12));
    assert_eq!(error.to_string(), "nan.idx: byte 12: expected a finite number, found \"NaN\"");
    // −∞ in an f64 file, inside gzip: the place is in the decompressed data.
    let mut f64s = header(0x0e, &[3]);
    for x in [0.0, 2.0, f64::NEG_INFINITY] {
        f64s.extend_from_slice(&x.to_be_bytes());
    }
    let error = Idx::from_bytes("inf.idx.gz", &gzip(&f64s)).unwrap_err();
    assert!(matches!(&error.kind, DataErrorKind::NotANumber { found } if found == "-inf"));
    assert_eq!(error.location, Location::DecompressedByte(8 + 2 * 8));
    // The data set loader refuses them as well: +∞ as the second feature of sample 1.
    let mut images = header(0x0d, &[2, 2]);
    for x in [0.0, 1.0, 2.0, f32::INFINITY] {
        images.extend_from_slice(&x.to_be_bytes());
    }
    let labels = with_data(header(0x08, &[2]), &[0, 1]);
    let error =
        Dataset::<f32, 2, 2>::from_idx_bytes(("inf.idx", &images), ("l.idx", &labels)).unwrap_err();
    assert!(matches!(&error.kind, DataErrorKind::NotANumber { found } if found == "inf"));
    assert_eq!((error.file.to_str(), error.location), (Some("inf.idx"), Location::Byte(12 + 12)));
}

#[test]
fn a_value_beyond_the_element_type_is_refused_not_turned_into_infinity() {
    let mut images = header(0x0e, &[1, 2]);
    for x in [1.0f64, -1e39] {
        images.extend_from_slice(&x.to_be_bytes());
    }
    let labels = with_data(header(0x08, &[1]), &[1]);
    let error =
        Dataset::<f32, 2, 2>::from_idx_bytes(("big.idx", &images), ("l.idx", &labels)).unwrap_err();
    let expected = "-1e39 (out of the range of f32)";
    assert!(
        matches!(&error.kind, DataErrorKind::NotANumber { found } if found.as_str() == expected),
        "{error:?}"
    );
    assert_eq!(error.location, Location::Byte(12 + 8));
    // In f64 it is a number like any other.
    let data =
        Dataset::<f64, 2, 2>::from_idx_bytes(("big.idx", &images), ("l.idx", &labels)).unwrap();
    assert_eq!(data.sample(0), (&[1.0, -1e39], 1));
}

#[test]
fn the_decompressed_limit_is_settable_and_named_in_the_error() {
    // 2 × 3 bytes of data: within a limit of 6, over a limit of 5.
    let images = gzip(&with_data(header(0x08, &[2, 3]), &[1, 2, 3, 4, 5, 6]));
    let labels = gzip(&with_data(header(0x08, &[2]), &[0, 1]));
    let (images, labels) = (file("limit-images.idx.gz", &images), file("limit-labels.gz", &labels));
    let exact = IdxOptions { decompressed_limit: 6 };
    assert_eq!(Idx::read_with(&images, exact).unwrap().data, IdxData::U8(vec![1, 2, 3, 4, 5, 6]));
    let data = Dataset::<f32, 3, 2>::from_idx_with(&images, &labels, exact).unwrap();
    assert_eq!(data.sample(1), (&[4.0, 5.0, 6.0], 1));
    let tight = IdxOptions { decompressed_limit: 5 };
    let error = Dataset::<f32, 3, 2>::from_idx_with(&images, &labels, tight).unwrap_err();
    assert!(
        matches!(&error.kind, DataErrorKind::DecompressedLimit { dims, claimed: 6, limit: 5 }
            if dims == &[2, 3]),
        "{error:?}"
    );
    assert_eq!(error.file, *images);
    assert_eq!(error.location, Location::DecompressedByte(4));
    assert!(error.to_string().ends_with(
        "the header claims 2 × 3 items = 6 bytes of decompressed data, over the limit of 5 \
         bytes (raise IdxOptions::decompressed_limit to read it)"
    ));
    // Raw files are bounded by their length, not by the limit.
    let raw = with_data(header(0x08, &[2, 3]), &[1, 2, 3, 4, 5, 6]);
    assert!(Idx::from_bytes_with("raw.idx", &raw, tight).is_ok());
    assert_eq!(
        IdxOptions::default().decompressed_limit,
        ferroflow::data::DEFAULT_DECOMPRESSED_LIMIT
    );
    assert_eq!(ferroflow::data::DEFAULT_DECOMPRESSED_LIMIT, 1 << 30);
}

#[test]
fn rows_that_straddle_chunks_are_assembled_in_order() {
    // 6000 samples of 7 i16 values (84 000 bytes of data, raw and gzip): the reader's
    // first 64 KiB chunk ends 2 bytes into row 4681.
    let (n, width) = (6000u32, 7u32);
    let values: Vec<i16> = (0..n * width).map(|i| (i as i16).wrapping_mul(31)).collect();
    let images = with_data(
        header(0x0b, &[n, width]),
        &values.iter().flat_map(|v| v.to_be_bytes()).collect::<Vec<u8>>(),
    );
    let labels = with_data(header(0x08, &[n]), &(0..n).map(|i| (i % 4) as u8).collect::<Vec<_>>());
    for (images, labels) in [(images.clone(), labels.clone()), (gzip(&images), gzip(&labels))] {
        let data = Dataset::<f64, 7, 4>::from_idx_bytes(("i", &images), ("l", &labels)).unwrap();
        assert_eq!(data.len(), 6000);
        for i in [0, 1, 4680, 4681, 4682, 5999] {
            let expected: [f64; 7] = std::array::from_fn(|j| f64::from(values[i * 7 + j]));
            assert_eq!(data.sample(i), (&expected, i % 4));
        }
    }
}
