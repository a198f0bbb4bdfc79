//! The IDX format of the MNIST distribution, gzip-compressed or not.
//!
//! An IDX file is a big-endian header (two zero bytes, a type code, the number of
//! dimensions `d`, then `d` sizes as `u32`) followed by the values, row-major. A gzip file
//! is recognised by its magic bytes `1f 8b` and decompressed while it is read.
//!
//! Nothing is allocated on the word of the header alone: a raw file's header is checked
//! against the file's length, a gzip file's against the most that deflate can expand it
//! to (1032 : 1), and the data buffer then grows only with bytes actually read.

use super::error::{DataError, DataErrorKind, Location};
use flate2::read::MultiGzDecoder;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

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
    /// Reads an IDX file, decompressing it if it is gzip.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, DataError> {
        let path = path.as_ref();
        let io = |error| DataError::new(path, Location::File, DataErrorKind::Io(error));
        let file = std::fs::File::open(path).map_err(io)?;
        let stored = file.metadata().map_err(io)?.len();
        Self::parse(path, BufReader::new(file), stored)
    }

    /// Reads IDX data held in memory (gzip or not); `name` names it in errors.
    pub fn from_bytes(name: impl AsRef<Path>, bytes: &[u8]) -> Result<Self, DataError> {
        Self::parse(name.as_ref(), bytes, bytes.len() as u64)
    }

    /// Where value `i` sits, for messages about it.
    pub fn location_of(&self, i: usize) -> Location {
        let offset = self.header_len + i as u64 * self.data.value_size();
        if self.compressed { Location::DecompressedByte(offset) } else { Location::Byte(offset) }
    }

    fn parse(path: &Path, mut reader: impl BufRead, stored: u64) -> Result<Self, DataError> {
        let gzip = {
            let start = reader
                .fill_buf()
                .map_err(|e| DataError::new(path, Location::Byte(0), DataErrorKind::Io(e)))?;
            start.starts_with(&[0x1f, 0x8b])
        };
        if gzip {
            let available = stored.saturating_mul(DEFLATE_MAX_RATIO);
            Parser { path, reader: MultiGzDecoder::new(reader), position: 0, compressed: true }
                .parse(available)
        } else {
            Parser { path, reader, position: 0, compressed: false }.parse(stored)
        }
    }
}

struct Parser<'p, R> {
    path: &'p Path,
    reader: R,
    position: u64,
    compressed: bool,
}

impl<R: Read> Parser<'_, R> {
    fn location(&self, offset: u64) -> Location {
        if self.compressed { Location::DecompressedByte(offset) } else { Location::Byte(offset) }
    }

    fn error(&self, offset: u64, kind: DataErrorKind) -> DataError {
        DataError::new(self.path, self.location(offset), kind)
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

    /// `available` bounds the total length of the (decompressed) content.
    fn parse(mut self, available: u64) -> Result<Idx, DataError> {
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
        let mut sizes = vec![0u8; 4 * rank];
        let found = self.read_up_to(&mut sizes)?;
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
        // `claimed` fits in the file, so in u64; the buffer grows with what is read.
        let claimed = claimed as u64;
        let mut data = Vec::new();
        let mut chunk = vec![0u8; 1 << 16];
        while (data.len() as u64) < claimed {
            let want = (claimed - data.len() as u64).min(chunk.len() as u64) as usize;
            let got = self.read_up_to(&mut chunk[..want])?;
            data.extend_from_slice(&chunk[..got]);
            if got < want {
                let kind = DataErrorKind::Truncated { expected: claimed, found: data.len() as u64 };
                return Err(self.error(self.position, kind));
            }
        }
        if self.read_up_to(&mut [0u8; 1])? != 0 {
            return Err(self.error(header_len + claimed, DataErrorKind::TrailingData));
        }
        let data = match magic[2] {
            0x08 => IdxData::U8(data),
            0x09 => IdxData::I8(data.into_iter().map(|b| b as i8).collect()),
            0x0b => IdxData::I16(
                data.chunks_exact(2).map(|b| i16::from_be_bytes([b[0], b[1]])).collect(),
            ),
            0x0c => IdxData::I32(
                data.chunks_exact(4)
                    .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
                    .collect(),
            ),
            0x0d => IdxData::F32(
                data.chunks_exact(4)
                    .map(|b| f32::from_be_bytes([b[0], b[1], b[2], b[3]]))
                    .collect(),
            ),
            _ => IdxData::F64(
                data.chunks_exact(8)
                    .map(|b| f64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
                    .collect(),
            ),
        };
        // Each size is at most u32::MAX and their product fits in the file: all fit in usize.
        let dims = dims.into_iter().map(|d| d as usize).collect();
        Ok(Idx { dims, data, header_len, compressed: self.compressed })
    }
}
