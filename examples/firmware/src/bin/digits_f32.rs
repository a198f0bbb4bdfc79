//! The digits network in `f32` on a microcontroller, beside `digits_int8`: the same
//! trained network, float weights and the whole held-out test set in flash. The device
//! classifies every test digit and exits 0 only if every probability is within 1e-5 of
//! the host's and its accuracy is the host's.
#![no_std]
#![no_main]

use core::hint::black_box;
use cortex_m_rt::entry;
use ferroflow_firmware::digits::{Digits, argmax};
use ferroflow_firmware::digits_host::{
    DIGITS_F32, HOST_F32, HOST_F32_CORRECT, TEST_F32, TEST_LABELS,
};
use ferroflow_firmware::{BOARD, Check, Console, exit, stack};

/// The host-trained network: an immutable static, so it stays in flash.
static NET: Digits = DIGITS_F32;

#[entry]
fn main() -> ! {
    stack::paint();
    let mut out = Console::open();
    let samples = TEST_F32.len() as u32;
    out.text("ferroflow f32 digits on ").text(BOARD);
    out.text(": 64 -> 32 (sigmoid) -> 10 (softmax), trained on the host, over the ");
    out.uint(samples).text(" held-out test digits\n");
    let mut check = Check::default();
    let mut correct = 0u32;
    for ((x, &label), host) in TEST_F32.iter().zip(&TEST_LABELS).zip(&HOST_F32) {
        let p = black_box(&NET).predict(black_box(x));
        check.values(&p, host);
        correct += u32::from(argmax(&p) == usize::from(label));
    }
    check.print(&mut out, "probabilities");
    out.text("accuracy: ").uint(correct).text(" of ").uint(samples).text(", ");
    out.percent(correct, samples).text(" (host: ").uint(HOST_F32_CORRECT as u32);
    out.text(")\npeak stack: ").uint(stack::peak() as u32).text(" bytes\n");

    #[cfg(feature = "measure")]
    ferroflow_firmware::measure::per_call(
        &mut out,
        "inference",
        1000,
        |i| {
            black_box(black_box(&NET).predict(black_box(&TEST_F32[i % TEST_F32.len()])));
        },
        |i| {
            black_box(black_box(&TEST_F32[i % TEST_F32.len()]));
        },
    );

    exit(&mut out, check.passed() && correct == HOST_F32_CORRECT as u32)
}
