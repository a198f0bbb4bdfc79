//! The sine model in `f32` on a microcontroller, beside `sine_int8`: the same trained
//! network, its float weights in flash. The device runs the test grid and exits 0 only if
//! every output is within 1e-5 of the host's and its mean squared error is the host's.
#![no_std]
#![no_main]

use core::hint::black_box;
use cortex_m_rt::entry;
use ferroflow_firmware::sine::{GRID, Sine, grid_point};
use ferroflow_firmware::sine_host::{HOST_F32, HOST_F32_MSE, SINE_F32, TRUTH};
use ferroflow_firmware::{BOARD, Check, Console, exit, stack};

/// The host-trained network: an immutable static, so it stays in flash.
static NET: Sine = SINE_F32;

#[entry]
fn main() -> ! {
    stack::paint();
    let mut out = Console::open();
    out.text("ferroflow f32 sine model on ").text(BOARD);
    out.text(": 1 -> 16 (ReLU) -> 16 (ReLU) -> 1, trained on the host\n");
    let mut check = Check::default();
    let mut squared = 0.0f32;
    for (i, (&truth, &host)) in TRUTH.iter().zip(&HOST_F32).enumerate() {
        let [y] = black_box(&NET).predict(&[grid_point(black_box(i))]);
        check.value(y, host);
        squared += (y - truth) * (y - truth);
    }
    let mse = squared / GRID as f32;
    check.print(&mut out, "outputs");
    out.text("MSE on the grid: ").fixed(mse, 6).text(" (host ").fixed(HOST_F32_MSE, 6);
    out.text(")\npeak stack: ").uint(stack::peak() as u32).text(" bytes\n");

    #[cfg(feature = "measure")]
    ferroflow_firmware::measure::per_call(
        &mut out,
        "inference",
        1000,
        |i| {
            black_box(black_box(&NET).predict(&[grid_point(black_box(i % GRID))]));
        },
        |i| {
            black_box(grid_point(black_box(i % GRID)));
        },
    );

    exit(&mut out, check.passed() && ferroflow_firmware::abs(mse - HOST_F32_MSE) <= 1e-6)
}
