//! Counting instructions under QEMU (the `measure` feature).
//!
//! QEMU has no cycle counter (DWT CYCCNT reads 0), but with `-icount shift=0` its virtual
//! clock advances exactly 1 ns per executed instruction, whatever the host does, and the
//! SysTick timer counts that clock. So SysTick ticks are a repeatable count of
//! instructions, in units of however many instructions one tick takes on the board (40 on
//! the MPS2, whose SysTick runs at 25 MHz). [`Counter::calibrate`] finds that ratio by
//! timing a loop of a known number of instructions rather than trusting the clock rate.
//!
//! SysTick is a 24-bit down-counter: its wraps are counted by its interrupt, and a wrap
//! that is pending but not yet handled is added in when reading.

use core::arch::asm;
use core::sync::atomic::{AtomicU32, Ordering};
use cortex_m::peripheral::SCB;
use cortex_m::peripheral::SYST;
use cortex_m::peripheral::syst::SystClkSource;

const RELOAD: u32 = 0x00ff_ffff;
static WRAPS: AtomicU32 = AtomicU32::new(0);

#[cortex_m_rt::exception]
fn SysTick() {
    // The only writer; a load and a store, since a Cortex-M0 has no atomic add.
    WRAPS.store(WRAPS.load(Ordering::Relaxed).wrapping_add(1), Ordering::Relaxed);
}

/// Ticks of the SysTick timer, counted since [`Counter::start`].
pub struct Counter {
    _syst: SYST,
    /// Instructions and the ticks they took, from [`Counter::calibrate`].
    calibration: (u64, u64),
    /// The ticks of an empty measurement: what reading the counter costs.
    overhead: u64,
}

impl Counter {
    /// Starts SysTick on the core clock, counting down from its largest value.
    pub fn start(mut syst: SYST) -> Self {
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(RELOAD);
        syst.clear_current();
        syst.enable_counter();
        // Writing the counter sets it to 0, and on some boards (the LM3S6965, the micro:bit)
        // it reads 0 until the next tick reloads it: start from the reloaded value, or the
        // first reading would be a whole period off.
        for _ in 0..10_000 {
            if SYST::get_current() != 0 {
                break;
            }
        }
        syst.enable_interrupt();
        let mut counter = Self { _syst: syst, calibration: (0, 0), overhead: 0 };
        counter.overhead = counter.ticks(|| {});
        counter
    }

    /// Ticks since the timer started.
    fn now() -> u64 {
        cortex_m::interrupt::free(|_| {
            let mut current = SYST::get_current();
            let mut wraps = WRAPS.load(Ordering::Relaxed);
            if SCB::is_pendst_pending() {
                // A wrap the handler has not counted yet (interrupts are off): read again
                // so that the value is surely from after it.
                current = SYST::get_current();
                wraps += 1;
            }
            u64::from(wraps) * u64::from(RELOAD + 1) + u64::from(RELOAD - current)
        })
    }

    /// The ticks `work` takes, less the cost of reading the counter.
    pub fn ticks(&self, work: impl FnOnce()) -> u64 {
        let start = Self::now();
        work();
        let end = Self::now();
        (end - start).saturating_sub(self.overhead)
    }

    /// Times `2 × iterations` instructions (a two-instruction loop in assembly) and keeps
    /// the ratio of instructions to ticks. Returns the ticks taken, 0 if SysTick does not
    /// run on this board.
    pub fn calibrate(&mut self, iterations: u32) -> u64 {
        let ticks = self.ticks(|| {
            // SAFETY: a register-only countdown loop: subs sets Z at 0, bne loops.
            unsafe {
                asm!(
                    "2:",
                    "subs {n}, #1",
                    "bne 2b",
                    n = inout(reg) iterations => _,
                    options(nomem, nostack),
                );
            }
        });
        self.calibration = (2 * u64::from(iterations), ticks);
        ticks
    }

    /// Instructions per 1000 ticks: 40 000 on the MPS2 under `-icount shift=0`.
    pub fn instructions_per_kilotick(&self) -> u64 {
        let (instructions, ticks) = self.calibration;
        instructions * 1000 / ticks.max(1)
    }

    /// `ticks` converted to instructions and divided by `per`, in tenths (one decimal).
    pub fn tenths_of_instructions(&self, ticks: u64, per: u64) -> u64 {
        let (instructions, calibration_ticks) = self.calibration;
        ticks * instructions * 10 / (calibration_ticks * per).max(1)
    }
}

/// Starts the counter and prints its calibration; `None` if the SysTick peripheral was
/// already taken.
pub fn start_calibrated(out: &mut crate::Console) -> Option<Counter> {
    let peripherals = cortex_m::Peripherals::take()?;
    let mut counter = Counter::start(peripherals.SYST);
    let calibration = counter.calibrate(1_000_000);
    out.text("calibration: 2000000 instructions in ").uint(calibration as u32);
    out.text(" SysTick ticks, ").uint(counter.instructions_per_kilotick() as u32);
    out.text(" instructions per 1000 ticks\n");
    Some(counter)
}

/// Prints `instructions per {what}: …`: the instructions of `n` calls of `work(i)` less
/// those of `n` calls of `empty(i)` (the loop and the inputs' loads alone), divided by `n`.
pub fn per_call(
    out: &mut crate::Console,
    what: &str,
    n: usize,
    mut work: impl FnMut(usize),
    mut empty: impl FnMut(usize),
) {
    let Some(counter) = start_calibrated(out) else { return };
    let with = counter.ticks(|| (0..n).for_each(&mut work));
    let without = counter.ticks(|| (0..n).for_each(&mut empty));
    let tenths = counter.tenths_of_instructions(with.saturating_sub(without), n as u64);
    out.text("instructions per ").text(what).text(": ").uint((tenths / 10) as u32).text(".");
    out.uint((tenths % 10) as u32).text(" (").uint(n as u32).text(" calls: ");
    out.uint(with as u32).text(" ticks, the empty loop ").uint(without as u32).text(")\n");
}
