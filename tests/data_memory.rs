//! The loaders' memory ceiling, measured with a counting allocator (per thread, so tests
//! running beside each other do not disturb the figures): loading a realistic file peaks
//! at most at twice the data set it returns plus a constant, and hostile inputs (a line
//! of 64 MiB of commas, gzip bombs) are refused within a small constant.
//!
//! Every input is built before measuring; only the loader runs inside `measure`.
//! Run with `cargo test -p ferroflow --test data_memory -- --nocapture` to see the figures.
#![cfg(feature = "std")]

use allocation_counter::measure;
use ferroflow::data::{
    CsvOptions, DEFAULT_DECOMPRESSED_LIMIT, DataErrorKind, Dataset, Idx, IdxData, IdxOptions,
};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

/// What a loader may use beyond twice its data set: chunk and line buffers, the gzip
/// decoder's state, a part-filled block, error messages.
const CONSTANT: u64 = 512 << 10;

/// The bytes a data set holds: `len × (N × size_of::<T>() + size_of::<usize>())`.
fn dataset_bytes<T: ferroflow::Element, const N: usize, const K: usize>(
    data: &Dataset<T, N, K>,
) -> u64 {
    (data.len() * (N * size_of::<T>() + size_of::<usize>())) as u64
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
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

/// `n` MNIST-like images of 28 × 28 bytes (a pattern gzip compresses about 3 : 1, not
/// to nothing) and their labels.
fn mnist_like(n: u32) -> (Vec<u8>, Vec<u8>) {
    let mut images = header(0x08, &[n, 28, 28]);
    let mut state = 0x2545_f491_4f6c_dd1du64;
    images.extend((0..n as usize * 784).map(|i| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if i % 3 == 0 { (state >> 56) as u8 } else { 0 }
    }));
    let mut labels = header(0x08, &[n]);
    labels.extend((0..n).map(|i| (i % 10) as u8));
    (images, labels)
}

/// Prints a measured peak beside what it is compared with (the data set returned, or for
/// a refused input, the input's size).
fn report(what: &str, peak: u64, against: &str, bytes: u64) {
    println!(
        "{what}: peak {peak} bytes, {against} {bytes} bytes, ratio {:.3}",
        peak as f64 / bytes as f64
    );
}

#[test]
fn idx_loaders_peak_below_twice_the_data_set() {
    let (images, labels) = mnist_like(4000);
    let (gz_images, gz_labels) = (gzip(&images), gzip(&labels));
    for (what, images, labels) in [("raw", &images, &labels), ("gzip", &gz_images, &gz_labels)] {
        let mut data = None;
        let peak = measure(|| {
            data = Some(
                Dataset::<f32, 784, 10>::from_idx_bytes(("i", images), ("l", labels)).unwrap(),
            );
        })
        .bytes_max;
        let data = data.unwrap();
        assert_eq!(data.len(), 4000);
        assert_eq!(data.sample(3999).1, 9);
        let size = dataset_bytes(&data);
        report(&format!("Dataset::from_idx_bytes, {what}"), peak, "data set", size);
        assert!(peak <= 2 * size + CONSTANT, "{what}: peak {peak} for a data set of {size}");
        // The Idx of the images alone: its values are the data set.
        let mut idx = None;
        let peak = measure(|| idx = Some(Idx::from_bytes("i", images).unwrap())).bytes_max;
        let idx = idx.unwrap();
        assert!(matches!(&idx.data, IdxData::U8(v) if v.len() == 4000 * 784));
        let size = idx.data.len() as u64;
        report(&format!("Idx::from_bytes, {what}"), peak, "Idx values", size);
        assert!(peak <= 2 * size + CONSTANT, "{what}: peak {peak} for {size} values");
    }
    // From files, through a BufReader.
    let dir = std::env::temp_dir();
    let paths = [
        dir.join(format!("ferroflow-{}-mem-images.gz", std::process::id())),
        dir.join(format!("ferroflow-{}-mem-labels.gz", std::process::id())),
    ];
    std::fs::write(&paths[0], &gz_images).unwrap();
    std::fs::write(&paths[1], &gz_labels).unwrap();
    let mut data = None;
    let peak = measure(|| {
        data = Some(Dataset::<f64, 784, 10>::from_idx(&paths[0], &paths[1]).unwrap());
    })
    .bytes_max;
    paths.iter().for_each(|p| std::fs::remove_file(p).unwrap());
    let size = dataset_bytes(&data.unwrap());
    report("Dataset::<f64, ..>::from_idx, gzip files", peak, "data set", size);
    assert!(peak <= 2 * size + CONSTANT, "peak {peak} for a data set of {size}");
}

#[test]
fn the_csv_loader_peaks_below_twice_the_data_set() {
    let mut text = (0..16).map(|j| format!("f{j},")).collect::<String>() + "label\n";
    for i in 0..20_000 {
        for j in 0..16 {
            text += &format!("{:.4},", (i * 16 + j) as f64 / 7.0);
        }
        text += &format!("{}\n", i % 3);
    }
    let mut data = None;
    let peak = measure(|| {
        data = Some(
            Dataset::<f32, 16, 3>::from_csv_reader(
                "big.csv",
                text.as_bytes(),
                CsvOptions::default(),
            )
            .unwrap(),
        );
    })
    .bytes_max;
    let data = data.unwrap();
    assert_eq!(data.len(), 20_000);
    // Sample 1's features are (16 + j) / 7 as written, to 4 decimals.
    let written = |j: usize| format!("{:.4}", (16 + j) as f64 / 7.0);
    let expected: [f32; 16] = std::array::from_fn(|j| written(j).parse::<f64>().unwrap() as f32);
    assert_eq!(data.sample(1), (&expected, 1));
    assert_eq!(expected[0], 2.2857);
    let size = dataset_bytes(&data);
    report(
        &format!("Dataset::from_csv_reader ({} bytes of text)", text.len()),
        peak,
        "data set",
        size,
    );
    assert!(peak <= 2 * size + CONSTANT, "peak {peak} for a data set of {size}");
}

#[test]
fn a_huge_line_is_refused_within_a_constant() {
    // 64 MiB of commas: the fifth field is one too many for N = 3.
    let commas = vec![b','; 64 << 20];
    let mut result = None;
    let info = measure(|| {
        result = Some(Dataset::<f32, 3, 2>::from_csv_reader(
            "commas.csv",
            &commas[..],
            CsvOptions { header: false, ..CsvOptions::default() },
        ));
    });
    let error = result.unwrap().unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::TooManyFields { expected: 4, .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "commas.csv: line 1: expected 3 features (4 columns: 1 label, 0 ignored), found more"
    );
    report("64 MiB line of commas", info.bytes_max, "input", 64 << 20);
    assert!(info.bytes_max < 16 << 10, "peak {}", info.bytes_max);
    // 64 MiB of digits and no delimiter: refused at the line's limit, 4096 bytes here.
    let digits = vec![b'7'; 64 << 20];
    let mut result = None;
    let info = measure(|| {
        result = Some(Dataset::<f32, 3, 2>::from_csv_reader(
            "digits.csv",
            &digits[..],
            CsvOptions::default(),
        ));
    });
    let error = result.unwrap().unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::LineTooLong { limit: 4096 }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "digits.csv: line 1: expected a line of at most 4096 bytes (CsvOptions::max_line_bytes), \
         found a longer one"
    );
    report("64 MiB line of digits", info.bytes_max, "input", 64 << 20);
    assert!(info.bytes_max < 16 << 10, "peak {}", info.bytes_max);
    // Read through an 8 KiB buffer, as from_csv reads a file, with a limit of 1 MiB: the
    // line is held up to the limit, no further.
    for (what, input) in [("commas", &commas), ("digits", &digits)] {
        let mut result = None;
        let info = measure(|| {
            let options = CsvOptions {
                header: false,
                max_line_bytes: Some(1 << 20),
                ..CsvOptions::default()
            };
            let reader = std::io::BufReader::new(&input[..]);
            result = Some(Dataset::<f32, 3, 2>::from_csv_reader(what, reader, options));
        });
        let error = result.unwrap().unwrap_err();
        assert!(
            matches!(
                error.kind,
                DataErrorKind::TooManyFields { .. } | DataErrorKind::LineTooLong { limit: 1048576 }
            ),
            "{error:?}"
        );
        report(
            &format!("64 MiB line of {what}, buffered, 1 MiB limit"),
            info.bytes_max,
            "input",
            64 << 20,
        );
        assert!(info.bytes_max < (1 << 20) * 2 + (16 << 10), "peak {}", info.bytes_max);
    }
}

/// A gzip file whose decompressed content is `header` followed by `mib` MiB of zeros:
/// one gzip member per MiB (gzip members concatenate), so it is built in milliseconds
/// and is about a thousandth of its decompressed size.
fn bomb(header: &[u8], mib: usize) -> Vec<u8> {
    let mut file = gzip(header);
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&vec![0; 1 << 20]).unwrap();
    let member = encoder.finish().unwrap();
    for _ in 0..mib {
        file.extend_from_slice(&member);
    }
    file
}

#[test]
fn gzip_bombs_are_refused_within_a_constant() {
    // 1.5 GiB claimed and held, in a file of about 1.5 MB: within what deflate can expand
    // it to, so the limit is what refuses it.
    let dims = [1536, 1024, 1024];
    let claimed = 1536u64 << 20;
    let file = bomb(&header(0x08, &dims), 1536);
    assert!(file.len() as u64 * 1032 > claimed && claimed > DEFAULT_DECOMPRESSED_LIMIT);
    let mut result = None;
    let info = measure(|| result = Some(Idx::from_bytes("bomb.idx.gz", &file)));
    let error = result.unwrap().unwrap_err();
    match &error.kind {
        DataErrorKind::DecompressedLimit { dims, claimed: c, limit } => {
            assert_eq!(dims, &[1536, 1024, 1024]);
            assert_eq!((*c, *limit), (u128::from(claimed), DEFAULT_DECOMPRESSED_LIMIT));
        }
        other => panic!("expected DecompressedLimit, found {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "bomb.idx.gz: byte 4 of the decompressed data: the header claims 1536 × 1024 × 1024 \
         items = 1610612736 bytes of decompressed data, over the limit of 1073741824 bytes \
         (raise IdxOptions::decompressed_limit to read it)"
    );
    report("gzip bomb claiming 1.5 GiB (Idx)", info.bytes_max, "file", file.len() as u64);
    assert!(info.bytes_max < CONSTANT, "peak {}", info.bytes_max);
    // The same through the data set loader: 1.5 Mi images of 32 × 32 bytes.
    let file = bomb(&header(0x08, &[1536 << 10, 32, 32]), 1536);
    let labels = gzip(&header(0x08, &[1536 << 10]));
    let mut result = None;
    let info = measure(|| {
        result = Some(Dataset::<f32, 1024, 10>::from_idx_bytes(
            ("bomb.idx.gz", &file),
            ("labels.gz", &labels),
        ))
    });
    assert!(matches!(result.unwrap().unwrap_err().kind, DataErrorKind::DecompressedLimit { .. }));
    report("gzip bomb claiming 1.5 GiB (Dataset)", info.bytes_max, "file", file.len() as u64);
    assert!(info.bytes_max < CONSTANT, "peak {}", info.bytes_max);

    // A header claiming 1000 bytes, followed by a gigabyte: refused at the first byte
    // past the claim, after decompressing a few kilobytes.
    let trailing = bomb(&header(0x08, &[1000]), 1024);
    let mut result = None;
    let info = measure(|| result = Some(Idx::from_bytes("trailing.idx.gz", &trailing)));
    let error = result.unwrap().unwrap_err();
    assert!(matches!(error.kind, DataErrorKind::TrailingData), "{error:?}");
    report("1000 bytes claimed, 1 GiB held", info.bytes_max, "file", trailing.len() as u64);
    assert!(info.bytes_max < CONSTANT, "peak {}", info.bytes_max);

    // 512 MiB claimed (under the limit, and within deflate's ratio thanks to 600 kB of
    // incompressible padding) but 8 MiB held: memory grows with the bytes actually read.
    let mut file = bomb(&header(0x08, &[512, 1024, 1024]), 8);
    let mut state = 1u32;
    let noise: Vec<u8> = (0..600_000)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        })
        .collect();
    file.extend(gzip(&noise));
    assert!(file.len() as u64 * 1032 > 512 << 20);
    let mut result = None;
    let info = measure(|| result = Some(Idx::from_bytes("short.idx.gz", &file)));
    let error = result.unwrap().unwrap_err();
    assert!(
        matches!(error.kind, DataErrorKind::Truncated { expected, found }
            if expected == 512 << 20 && found == (8 << 20) + 600_000),
        "{error:?}"
    );
    let read = (8 << 20) + 600_000;
    report("512 MiB claimed, 8.6 MB held", info.bytes_max, "bytes read", read);
    assert!(info.bytes_max <= 2 * read + CONSTANT, "peak {}", info.bytes_max);
    // A limit of 1 MiB refuses it before reading.
    let small = IdxOptions { decompressed_limit: 1 << 20 };
    let mut result = None;
    let info = measure(|| result = Some(Idx::from_bytes_with("short.idx.gz", &file, small)));
    assert!(matches!(
        result.unwrap().unwrap_err().kind,
        DataErrorKind::DecompressedLimit { limit: 1048576, .. }
    ));
    assert!(info.bytes_max < CONSTANT, "peak {}", info.bytes_max);
}
