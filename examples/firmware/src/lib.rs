//! What the firmware images share: the red/blue network and its training ([`red_blue`]),
//! the residual digits network ([`residual_digits`]), the sine model ([`sine`]) and the
//! digits network ([`digits`]) in `f32` and int8 and its training ([`digits_training`]), the host's results they must reproduce
//! ([`host`], [`residual_host`], [`sine_host`], [`digits_host`]), output over semihosting without
//! `core::fmt` ([`Console`]), the comparison with the host ([`Check`]), the stack gauge
//! ([`stack`]) and, with the `measure` feature, an instruction counter ([`measure`]).
//!
//! Nothing here allocates: the firmware links no global allocator.
#![no_std]
#![warn(missing_docs)]

pub mod digits;
pub mod digits_training;
#[cfg(feature = "measure")]
pub mod measure;
pub mod red_blue;
pub mod residual_digits;
pub mod sine;
pub mod stack;

mod console;
pub use console::Console;

/// The host's results, computed by `build.rs` with the same code and seeds.
pub mod host {
    #![allow(missing_docs)]
    use crate::red_blue::RedBlue;
    include!(concat!(env!("OUT_DIR"), "/host_results.rs"));
}

/// The residual digits network trained on the host by `build.rs`, with test samples and
/// the host's probabilities for them.
pub mod residual_host {
    #![allow(missing_docs)]
    use crate::residual_digits::ResidualDigits;
    include!(concat!(env!("OUT_DIR"), "/residual_results.rs"));
}

/// The sine model trained and quantised on the host by `build.rs`, the test grid's true
/// values and the host's outputs there.
pub mod sine_host {
    #![allow(missing_docs)]
    use crate::sine::Sine;
    include!(concat!(env!("OUT_DIR"), "/sine_results.rs"));
}

/// The digits network trained and quantised on the host by `build.rs`, the whole test set
/// and the host's outputs for it.
pub mod digits_host {
    #![allow(missing_docs)]
    use crate::digits::Digits;
    include!(concat!(env!("OUT_DIR"), "/digits_results.rs"));
}

use cortex_m_semihosting::debug::{self, EXIT_FAILURE, EXIT_SUCCESS};
use red_blue::TOLERANCE;

/// The name of the board the image was linked for.
pub const BOARD: &str = env!("FERROFLOW_FIRMWARE_BOARD");

/// A tally of device values compared with the host's.
#[derive(Clone, Copy, Debug, Default)]
pub struct Check {
    /// Values compared.
    pub compared: u32,
    /// Values with exactly the host's bits.
    pub identical: u32,
    /// Values further than [`TOLERANCE`] from the host's, or not a number.
    pub failed: u32,
    /// The largest difference seen.
    pub worst: f32,
}

impl Check {
    /// Compares one device value with the host's; returns whether it is within tolerance.
    pub fn value(&mut self, device: f32, host: f32) -> bool {
        let difference = abs(device - host);
        self.compared += 1;
        self.identical += u32::from(device.to_bits() == host.to_bits());
        // Written so that a NaN on either side fails.
        let close = difference <= TOLERANCE;
        self.failed += u32::from(!close);
        if difference > self.worst || difference.is_nan() {
            self.worst = difference;
        }
        close
    }

    /// Compares every value of two equally long lists.
    pub fn values<'a>(
        &mut self,
        device: impl IntoIterator<Item = &'a f32>,
        host: impl IntoIterator<Item = &'a f32>,
    ) {
        for (&d, &h) in device.into_iter().zip(host) {
            self.value(d, h);
        }
    }

    /// Whether every value was within tolerance.
    pub fn passed(&self) -> bool {
        self.failed == 0
    }

    /// Prints the tally: `what: 82 of 82 within 1e-5 of the host (82 bit-identical), largest
    /// difference 0.000000000`.
    pub fn print(&self, out: &mut Console, what: &str) {
        out.text(what).text(": ").uint(self.compared - self.failed).text(" of ");
        out.uint(self.compared).text(" within 1e-5 of the host (").uint(self.identical);
        out.text(" bit-identical), largest difference ").fixed(self.worst, 9).text("\n");
    }
}

/// `|x|`, without pulling in anything beyond a bit mask.
pub fn abs(x: f32) -> f32 {
    f32::from_bits(x.to_bits() & 0x7fff_ffff)
}

/// Ends the QEMU run: exit status 0 if `passed`, 1 otherwise.
pub fn exit(out: &mut Console, passed: bool) -> ! {
    out.text(if passed { "PASS\n" } else { "FAIL\n" });
    debug::exit(if passed { EXIT_SUCCESS } else { EXIT_FAILURE });
    // QEMU has stopped; a debugger or real board without a host lands here.
    #[allow(clippy::empty_loop)]
    loop {}
}

/// A panic prints where it happened and fails the run. No message: formatting it would
/// link `core::fmt` into every image.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let mut out = Console::open();
    out.text("panic");
    if let Some(location) = info.location() {
        out.text(" at ").text(location.file()).text(":").uint(location.line());
    }
    out.text("\n");
    exit(&mut out, false)
}

/// A hard fault (a bad address, or FPU code on a core without FPU) fails the run instead
/// of spinning until the timeout.
#[cortex_m_rt::exception]
unsafe fn HardFault(_frame: &cortex_m_rt::ExceptionFrame) -> ! {
    let mut out = Console::open();
    out.text("hard fault\n");
    exit(&mut out, false)
}
