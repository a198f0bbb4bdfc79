//! Text to the host's terminal over semihosting, numbers written by hand: `core::fmt`
//! (and float formatting above all, about 7.5 kB) would cost more flash than the network.

use cortex_m_semihosting::hio::{self, HostStream};

/// The host's standard output, if the debugger (QEMU) provides one.
pub struct Console {
    stream: Option<HostStream>,
}

impl Console {
    /// Opens the host's standard output.
    pub fn open() -> Self {
        Self { stream: hio::hstdout().ok() }
    }

    /// Writes text.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.bytes(text.as_bytes())
    }

    fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        if let Some(stream) = &mut self.stream {
            // Nothing to do if the host stops listening.
            let _ = stream.write_all(bytes);
        }
        self
    }

    /// Writes an unsigned integer in decimal.
    pub fn uint(&mut self, value: u32) -> &mut Self {
        self.digits(value, 1)
    }

    /// Writes `value` in decimal with at least `width` digits (leading zeros).
    fn digits(&mut self, mut value: u32, width: usize) -> &mut Self {
        let mut buffer = [b'0'; 10];
        let mut used = 0;
        // From the last digit back; u32 has at most 10.
        for slot in buffer.iter_mut().rev() {
            if value == 0 && used >= width.max(1) {
                break;
            }
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
            used += 1;
        }
        self.bytes(buffer.get(buffer.len() - used..).unwrap_or(&[]))
    }

    /// Writes `value` with `decimals` digits after the point (at most 9), rounded: a
    /// scaled integer with a point put in. Magnitudes too large for that scale print as
    /// `>4.294967295`-style saturation (`>` then the largest printable value).
    pub fn fixed(&mut self, value: f32, decimals: u32) -> &mut Self {
        if value.is_nan() {
            return self.text("NaN");
        }
        if value.is_sign_negative() && value != 0.0 {
            self.text("-");
        }
        let decimals = decimals.min(9);
        // At least 1, visibly to the compiler: no division-by-zero panic gets linked.
        let scale = 10u32.pow(decimals).max(1);
        let scaled = crate::abs(value) * scale as f32 + 0.5;
        // `as` saturates: past u32::MAX every value prints as the same, marked.
        if scaled >= u32::MAX as f32 {
            self.text(">");
        }
        let scaled = scaled as u32;
        self.digits(scaled / scale, 1);
        if decimals > 0 {
            self.text(".").digits(scaled % scale, decimals as usize);
        }
        self
    }

    /// Writes `part / whole` as a percentage with two decimals (`98.89%`), in integers:
    /// no float code for a core without an FPU.
    pub fn percent(&mut self, part: u32, whole: u32) -> &mut Self {
        let hundredths =
            (u64::from(part) * 10_000 + u64::from(whole) / 2) / u64::from(whole.max(1));
        let hundredths = hundredths.min(u64::from(u32::MAX)) as u32;
        self.digits(hundredths / 100, 1).text(".").digits(hundredths % 100, 2).text("%")
    }
}
