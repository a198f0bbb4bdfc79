//! The IDX format of the MNIST distribution, gzip-compressed or not.
//!
//! An IDX file is a big-endian header (two zero bytes, a type code, the number of
//! dimensions `d`, then `d` sizes as `u32`) followed by the values, row-major. A gzip file
//! is recognised by its magic bytes `1f 8b` and decompressed while it is read.
//!
//! Nothing is allocated on the word of the header alone: a raw file's header is checked
//! against the file's length, a gzip file's against the most that deflate can expand it
//! to (1032 : 1) and against a limit on the decompressed size
//! ([`IdxOptions::decompressed_limit`], by default [`DEFAULT_DECOMPRESSED_LIMIT`]); the
//! values of a gzip file are then kept only as they are decompressed. The data is read in
//! chunks of 64 KiB and converted as it comes: the peak memory of a loader is at most twice
//! what it returns, plus a constant.
//!
//! Float files (type codes 0x0d and 0x0e) holding NaN or an infinity are refused, naming
//! the byte of the value, as the CSV reader refuses them.

use super::error::{DataError, DataErrorKind, Location};
use super::grow::Blocks;
use flate2::read::MultiGzDecoder;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The most bytes of decompressed data (after the header) that a gzip IDX file may claim
/// unless [`IdxOptions::decompressed_limit`] says otherwise: 1 GiB, twenty times full
/// MNIST's training images. A header claiming more is refused before anything is
/// decompressed, with an error naming the file, the size claimed and the limit.
pub const DEFAULT_DECOMPRESSED_LIMIT: u64 = 1 << 30;

/// The bytes read and converted at a time.
const CHUNK: usize = 1 << 16;

/// How IDX files are read.
///
/// ```
/// use ferroflow::data::{DataErrorKind, Idx, IdxOptions};
/// # use std::io::Write;
/// // A gzip file whose header claims 1000 × 1000 bytes, read with a limit of 1 kB.
/// let mut bytes = vec![0, 0, 0x08, 2, 0, 0, 0x03, 0xe8, 0, 0, 0x03, 0xe8];
/// bytes.resize(12 + 1_000_000, 0);
/// let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
/// gzip.write_all(&bytes)?;
/// let small = IdxOptions { decompressed_limit: 1000 };
/// let error = Idx::from_bytes_with("big.idx.gz", &gzip.finish()?, small).unwrap_err();
/// assert!(matches!(error.kind, DataErrorKind::DecompressedLimit { limit: 1000, .. }));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdxOptions {
    /// The most bytes of data (after the header) a gzip file's header may claim; more is
    /// an error before anything is decompressed. Raw files need no limit: their header is
    /// checked against their length. Default: [`DEFAULT_DECOMPRESSED_LIMIT`].
    pub decompressed_limit: u64,
}

impl Default for IdxOptions {
    fn default() -> Self {
        Self { decompressed_limit: DEFAULT_DECOMPRESSED_LIMIT }
    }
}

/// The largest factor by which deflate expands data (a stream of maximal back-references):
/// a bound on a gzip file's decompressed length that needs no decompression.
const DEFLATE_MAX_RATIO: u64 = 1032;

/// The values of an IDX file, in the file's own type.
#[derive(Clone, Debug, PartialEq)]
pub enum IdxData {
    /// Type code 0x08.
    U8(Vec<u8>),
    /// Type code 0x09.
    I8(Vec<i8>),
    /// Type code 0x0b.
    I16(Vec<i16>),
    /// Type code 0x0c.
    I32(Vec<i32>),
    /// Type code 0x0d.
    F32(Vec<f32>),
    /// Type code 0x0e.
    F64(Vec<f64>),
}

impl IdxData {
    /// The number of values.
    pub fn len(&self) -> usize {
        match self {
            IdxData::U8(v) => v.len(),
            IdxData::I8(v) => v.len(),
            IdxData::I16(v) => v.len(),
            IdxData::I32(v) => v.len(),
            IdxData::F32(v) => v.len(),
            IdxData::F64(v) => v.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i`, converted exactly to `f64`.
    pub fn get(&self, i: usize) -> f64 {
        match self {
            IdxData::U8(v) => f64::from(v[i]),
            IdxData::I8(v) => f64::from(v[i]),
            IdxData::I16(v) => f64::from(v[i]),
            IdxData::I32(v) => f64::from(v[i]),
            IdxData::F32(v) => f64::from(v[i]),
            IdxData::F64(v) => v[i],
        }
    }

    /// The size of one value in bytes.
    pub fn value_size(&self) -> u64 {
        match self {
            IdxData::U8(_) | IdxData::I8(_) => 1,
            IdxData::I16(_) => 2,
            IdxData::I32(_) | IdxData::F32(_) => 4,
            IdxData::F64(_) => 8,
        }
    }
}

/// The contents of an IDX file: its dimensions and its values.
///
/// ```
/// use ferroflow::data::Idx;
/// // Two samples of 1 × 2 bytes.
/// let bytes = [0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 10, 20, 30, 40];
/// let idx = Idx::from_bytes("example.idx", &bytes)?;
/// assert_eq!(idx.dims, [2, 1, 2]);
/// assert_eq!(idx.data.get(3), 40.0);
/// # Ok::<(), ferroflow::data::DataError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Idx {
    /// The size of each dimension, outermost (the number of samples) first.
    pub dims: Vec<usize>,
    /// The values, row-major.
    pub data: IdxData,
    header_len: u64,
    compressed: bool,
}

impl Idx {
    /// Reads an IDX file, decompressing it if it is gzip, with the default [`IdxOptions`].
    ///
    /// # Errors
    /// A [`DataError`] naming the file and, where it can, the byte (of the decompressed data,
    /// for a gzip file):
    /// - [`DataErrorKind::Io`] if the file cannot be opened or read, or its gzip stream is
    ///   corrupt.
    /// - [`DataErrorKind::HeaderTruncated`] if the header ends early, [`DataErrorKind::Magic`]
    ///   if it does not start with two zero bytes, [`DataErrorKind::ElementType`] for a type
    ///   code the format does not define, and [`DataErrorKind::Shape`] for no dimensions.
    /// - [`DataErrorKind::Truncated`] if the data is shorter than the header says, and
    ///   [`DataErrorKind::TrailingData`] if bytes follow it.
    /// - [`DataErrorKind::TooLarge`] if a gzip file's header claims more than the file could
    ///   decompress to, or any header more values than memory can address, and
    ///   [`DataErrorKind::DecompressedLimit`] if a gzip file's header claims more than
    ///   [`IdxOptions::decompressed_limit`]; all before any data is read.
    /// - [`DataErrorKind::NotANumber`] for a value of a float file that is NaN or infinite.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, DataError> {
        Self::read_with(path, IdxOptions::default())
    }

    /// [`read`](Self::read) with `options` (a higher or lower decompressed limit).
    ///
    /// # Errors
    /// As [`read`](Self::read), with the limit of `options`.
    pub fn read_with(path: impl AsRef<Path>, options: IdxOptions) -> Result<Self, DataError> {
        Stream::open(path.as_ref(), options)?.into_idx()
    }

    /// Reads IDX data held in memory (gzip or not); `name` names it in errors.
    ///
    /// # Errors
    /// As [`read`](Self::read), naming the data `name`; [`DataErrorKind::Io`] only for a gzip
    /// stream that is corrupt.
    pub fn from_bytes(name: impl AsRef<Path>, bytes: &[u8]) -> Result<Self, DataError> {
        Self::from_bytes_with(name, bytes, IdxOptions::default())
    }

    /// [`from_bytes`](Self::from_bytes) with `options`.
    ///
    /// # Errors
    /// As [`from_bytes`](Self::from_bytes), with the limit of `options`.
    pub fn from_bytes_with(
        name: impl AsRef<Path>,
        bytes: &[u8],
        options: IdxOptions,
    ) -> Result<Self, DataError> {
        Stream::new(name.as_ref(), bytes, bytes.len() as u64, options)?.into_idx()
    }

    /// Where value `i` sits, for messages about it.
    pub fn location_of(&self, i: usize) -> Location {
        let offset = self.header_len + i as u64 * self.data.value_size();
        if self.compressed { Location::DecompressedByte(offset) } else { Location::Byte(offset) }
    }
}

/// An IDX file whose header has been read and checked, its values still to come.
pub(super) struct Stream<'a> {
    path: &'a Path,
    reader: Box<dyn Read + 'a>,
    /// Bytes read from the (decompressed) content so far.
    position: u64,
    compressed: bool,
    code: u8,
    value_size: usize,
    header_len: u64,
    /// The dimensions, outermost first.
    pub(super) dims: Vec<usize>,
    /// The number of values the header claims (which fit in the file).
    count: usize,
}

impl<'a> Stream<'a> {
    /// Opens the file at `path` and reads its header.
    pub(super) fn open(path: &'a Path, options: IdxOptions) -> Result<Self, DataError> {
        let io = |error| DataError::new(path, Location::File, DataErrorKind::Io(error));
        let file = std::fs::File::open(path).map_err(io)?;
        let stored = file.metadata().map_err(io)?.len();
        Self::new(path, BufReader::new(file), stored, options)
    }

    /// Reads the header of the `stored` bytes that `reader` holds (gzip or not).
    pub(super) fn new(
        path: &'a Path,
        mut reader: impl BufRead + 'a,
        stored: u64,
        options: IdxOptions,
    ) -> Result<Self, DataError> {
        let gzip = {
            let start = reader
                .fill_buf()
                .map_err(|e| DataError::new(path, Location::Byte(0), DataErrorKind::Io(e)))?;
            start.starts_with(&[0x1f, 0x8b])
        };
        let mut stream = Stream {
            path,
            reader: if gzip { Box::new(MultiGzDecoder::new(reader)) } else { Box::new(reader) },
            position: 0,
            compressed: gzip,
            code: 0,
            value_size: 0,
            header_len: 0,
            dims: Vec::new(),
            count: 0,
        };
        let (available, limit) = if gzip {
            (stored.saturating_mul(DEFLATE_MAX_RATIO), Some(options.decompressed_limit))
        } else {
            (stored, None)
        };
        stream.read_header(available, limit)?;
        Ok(stream)
    }

    fn location(&self, offset: u64) -> Location {
        if self.compressed { Location::DecompressedByte(offset) } else { Location::Byte(offset) }
    }

    fn error(&self, offset: u64, kind: DataErrorKind) -> DataError {
        DataError::new(self.path, self.location(offset), kind)
    }

    /// Where value `i` sits.
    pub(super) fn location_of(&self, i: usize) -> Location {
        self.location(self.header_len + i as u64 * self.value_size as u64)
    }

    /// The file's name, for errors.
    pub(super) fn path(&self) -> &'a Path {
        self.path
    }

    /// Whether the values are read from a gzip stream, whose length is only claimed.
    pub(super) fn compressed(&self) -> bool {
        self.compressed
    }

    /// Fills `buf` as far as the data goes; returns how many bytes were read.
    fn read_up_to(&mut self, buf: &mut [u8]) -> Result<usize, DataError> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.reader.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => {
                    filled += n;
                    self.position += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.error(self.position, DataErrorKind::Io(e))),
            }
        }
        Ok(filled)
    }

    /// `available` bounds the total length of the (decompressed) content; `limit`, for a
    /// gzip file, the data's.
    fn read_header(&mut self, available: u64, limit: Option<u64>) -> Result<(), DataError> {
        let mut magic = [0u8; 4];
        let found = self.read_up_to(&mut magic)?;
        if found < 4 {
            let kind = DataErrorKind::HeaderTruncated { expected: 4, found: found as u64 };
            return Err(self.error(found as u64, kind));
        }
        if magic[0] != 0 || magic[1] != 0 {
            return Err(self.error(0, DataErrorKind::Magic { found: magic }));
        }
        let value_size: u64 = match magic[2] {
            0x08 | 0x09 => 1,
            0x0b => 2,
            0x0c | 0x0d => 4,
            0x0e => 8,
            found => return Err(self.error(2, DataErrorKind::ElementType { found })),
        };
        let rank = usize::from(magic[3]);
        if rank == 0 {
            let kind = DataErrorKind::Shape {
                what: "an IDX array",
                expected: "at least one dimension".into(),
                found: "0 dimensions".into(),
            };
            return Err(self.error(3, kind));
        }
        let header_len = 4 + 4 * rank as u64;
        let mut sizes = [0u8; 4 * 255];
        let sizes = &mut sizes[..4 * rank];
        let found = self.read_up_to(sizes)?;
        if found < sizes.len() {
            let kind =
                DataErrorKind::HeaderTruncated { expected: header_len, found: 4 + found as u64 };
            return Err(self.error(4 + found as u64, kind));
        }
        let dims: Vec<u64> = sizes
            .chunks_exact(4)
            .map(|b| u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])))
            .collect();
        let count = dims.iter().fold(1u128, |n, &d| n.saturating_mul(u128::from(d)));
        let claimed = count.saturating_mul(u128::from(value_size));
        let room = available.saturating_sub(header_len);
        if claimed > u128::from(room) {
            let kind = if self.compressed {
                DataErrorKind::TooLarge { dims, claimed, available: room }
            } else {
                DataErrorKind::Truncated {
                    expected: claimed.min(u64::MAX.into()) as u64,
                    found: room,
                }
            };
            return Err(self.error(if self.compressed { 4 } else { header_len }, kind));
        }
        if let Some(limit) = limit.filter(|&limit| claimed > u128::from(limit)) {
            return Err(self.error(4, DataErrorKind::DecompressedLimit { dims, claimed, limit }));
        }
        // `claimed` fits in the file (and in memory, for bytes held there). A count that
        // does not fit in usize (a 32-bit target) is more than memory could hold.
        let Ok(count) = usize::try_from(count) else {
            let kind = DataErrorKind::TooLarge { dims, claimed, available: usize::MAX as u64 };
            return Err(self.error(4, kind));
        };
        self.code = magic[2];
        self.value_size = value_size as usize;
        self.header_len = header_len;
        // Each size is at most u32::MAX and their product fits in usize, unless one is 0:
        // then a product of the others may not, which the caller checks.
        self.dims = dims.into_iter().map(|d| d as usize).collect();
        self.count = count;
        Ok(())
    }

    /// Reads every value, calling `each(i, bytes)` with its index and its big-endian bytes;
    /// then checks that the file ends there. NaN and infinities in a float file are errors
    /// at their byte. An error `each` returns is reported at value `i`'s byte.
    pub(super) fn read_values(
        &mut self,
        mut each: impl FnMut(usize, &[u8]) -> Result<(), DataErrorKind>,
    ) -> Result<(), DataError> {
        let total = self.count as u64 * self.value_size as u64;
        let mut chunk = vec![0u8; CHUNK];
        let (mut done, mut index) = (0u64, 0usize);
        while done < total {
            // CHUNK is a multiple of every value size: chunks hold whole values.
            let want = (total - done).min(CHUNK as u64) as usize;
            let got = self.read_up_to(&mut chunk[..want])?;
            for value in chunk[..got].chunks_exact(self.value_size) {
                let found = match self.code {
                    0x0d | 0x0e => {
                        let x = decode(self.code, value);
                        (!x.is_finite()).then(|| number_text(x))
                    }
                    _ => None,
                };
                if let Some(found) = found {
                    return Err(DataError::new(
                        self.path,
                        self.location_of(index),
                        DataErrorKind::NotANumber { found },
                    ));
                }
                if let Err(kind) = each(index, value) {
                    return Err(DataError::new(self.path, self.location_of(index), kind));
                }
                index += 1;
            }
            done += got as u64;
            if got < want {
                let kind = DataErrorKind::Truncated { expected: total, found: done };
                return Err(self.error(self.position, kind));
            }
        }
        if self.read_up_to(&mut [0u8; 1])? != 0 {
            return Err(self.error(self.header_len + total, DataErrorKind::TrailingData));
        }
        Ok(())
    }

    /// What turns a value's big-endian bytes into the value, exactly as `f64`.
    pub(super) fn decoder(&self) -> impl Fn(&[u8]) -> f64 + use<> {
        let code = self.code;
        move |bytes| decode(code, bytes)
    }

    /// Reads the values into an [`Idx`], in the file's own type.
    fn into_idx(mut self) -> Result<Idx, DataError> {
        fn collect<V>(
            stream: &mut Stream<'_>,
            convert: impl Fn(&[u8]) -> V,
        ) -> Result<Vec<V>, DataError> {
            // A raw file's values exist (its length was checked); a gzip file's only
            // once decompressed.
            let mut values =
                if stream.compressed { Blocks::new() } else { Blocks::with_capacity(stream.count) };
            stream.read_values(|_, bytes| {
                values.push(convert(bytes));
                Ok(())
            })?;
            Ok(values.into_vec())
        }
        let data = match self.code {
            0x08 => IdxData::U8(collect(&mut self, |b| b[0])?),
            0x09 => IdxData::I8(collect(&mut self, |b| b[0] as i8)?),
            0x0b => IdxData::I16(collect(&mut self, |b| i16::from_be_bytes([b[0], b[1]]))?),
            0x0c => {
                IdxData::I32(collect(&mut self, |b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))?)
            }
            0x0d => {
                IdxData::F32(collect(&mut self, |b| f32::from_be_bytes([b[0], b[1], b[2], b[3]]))?)
            }
            _ => IdxData::F64(collect(&mut self, |b| decode(0x0e, b))?),
        };
        let dims = std::mem::take(&mut self.dims);
        Ok(Idx { dims, data, header_len: self.header_len, compressed: self.compressed })
    }
}

/// A number as an error message shows it: whole numbers as integers (a label 12, not
/// 12.0), others in Rust's shortest form that reads back exactly (1e39, not 40 digits).
pub(super) fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e16 { format!("{x}") } else { format!("{x:?}") }
}

/// The value of type `code` whose big-endian bytes are `b`, exactly as `f64`.
fn decode(code: u8, b: &[u8]) -> f64 {
    match code {
        0x08 => f64::from(b[0]),
        0x09 => f64::from(b[0] as i8),
        0x0b => f64::from(i16::from_be_bytes([b[0], b[1]])),
        0x0c => f64::from(i32::from_be_bytes([b[0], b[1], b[2], b[3]])),
        0x0d => f64::from(f32::from_be_bytes([b[0], b[1], b[2], b[3]])),
        _ => f64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
    }
}
