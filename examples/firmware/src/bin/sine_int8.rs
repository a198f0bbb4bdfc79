//! The sine model in int8 on a microcontroller: TFLM's hello-world architecture (1 → 16 →
//! 16 → 1, ReLU), trained and quantised on the host by `build.rs`, in flash as `const`
//! `i8` data. The device quantises each point of the test grid, runs the network with
//! integer arithmetic only, and exits 0 only if every output is the host's, bit for bit,
//! and its mean squared error on the grid is the host's.
#![no_std]
#![no_main]

use core::hint::black_box;
use cortex_m_rt::entry;
use ferroflow::quant::Int8;
use ferroflow_firmware::sine::{GRID, Sine, grid_point};
use ferroflow_firmware::sine_host::{HOST_INT8, HOST_INT8_MSE, SINE_INT8, TRUTH};
use ferroflow_firmware::{BOARD, Console, exit, stack};

/// The quantised network: an immutable static, so it stays in flash.
static NET: Int8<Sine, 1, 1> = SINE_INT8;

#[entry]
fn main() -> ! {
    stack::paint();
    let mut out = Console::open();
    out.text("ferroflow int8 sine model on ").text(BOARD);
    out.text(": 1 -> 16 (ReLU) -> 16 (ReLU) -> 1, quantised on the host, integer inference\n");
    let (mut identical, mut squared) = (0u32, 0.0f32);
    for (i, (&truth, &host)) in TRUTH.iter().zip(&HOST_INT8).enumerate() {
        // black_box: the network and the grid are constants, and the compiler must not
        // get to work out the answers at build time.
        let net = black_box(&NET);
        let [y] = net.forward(&net.quantise_input(&[grid_point(black_box(i))]));
        identical += u32::from(y == host);
        let error = net.output.dequantise(y) - truth;
        squared += error * error;
    }
    let mse = squared / GRID as f32;
    out.text("outputs bit-identical to the host's: ").uint(identical).text(" of ");
    out.uint(GRID as u32).text("\nMSE on the grid: ").fixed(mse, 6).text(" (host ");
    out.fixed(HOST_INT8_MSE, 6).text(")\npeak stack: ").uint(stack::peak() as u32);
    out.text(" bytes\n");

    #[cfg(feature = "measure")]
    ferroflow_firmware::measure::per_call(
        &mut out,
        "inference",
        1000,
        |i| {
            let net = black_box(&NET);
            black_box(net.forward(&net.quantise_input(&[grid_point(black_box(i % GRID))])));
        },
        |i| {
            black_box(grid_point(black_box(i % GRID)));
        },
    );

    exit(&mut out, identical == GRID as u32 && mse.to_bits() == HOST_INT8_MSE.to_bits())
}
