//! The digits network in int8 on a microcontroller: 64 → 32 (sigmoid) → 10, trained and
//! quantised on the host by `build.rs`, in flash as `const` `i8` data with the whole
//! held-out test set (in the network's input mapping). The device classifies every test
//! digit with integer arithmetic only, prints its accuracy, and exits 0 only if every
//! logit is the host's, bit for bit, and so its accuracy is the host's integer result.
#![no_std]
#![no_main]

use core::hint::black_box;
use cortex_m_rt::entry;
use ferroflow::quant::Int8;
use ferroflow_firmware::digits::{Digits, argmax};
use ferroflow_firmware::digits_host::{
    DIGITS_INT8, HOST_F32_CORRECT, HOST_INT8, HOST_INT8_CORRECT, TEST_INT8, TEST_LABELS,
};
use ferroflow_firmware::{BOARD, Console, exit, stack};

/// The quantised network: an immutable static, so it stays in flash.
static NET: Int8<Digits, 64, 10> = DIGITS_INT8;

#[entry]
fn main() -> ! {
    stack::paint();
    let mut out = Console::open();
    let samples = TEST_INT8.len() as u32;
    out.text("ferroflow int8 digits on ").text(BOARD);
    out.text(": 64 -> 32 (sigmoid) -> 10, quantised on the host, integer inference over the ");
    out.uint(samples).text(" held-out test digits\n");
    let (mut identical, mut correct) = (0u32, 0u32);
    for ((x, &label), host) in TEST_INT8.iter().zip(&TEST_LABELS).zip(&HOST_INT8) {
        // black_box: the network and the samples are constants, and the compiler must not
        // get to work out the answers at build time.
        let y = black_box(&NET).forward(black_box(x));
        identical += u32::from(y == *host);
        correct += u32::from(argmax(&y) == usize::from(label));
    }
    out.text("logits bit-identical to the host's: ").uint(identical).text(" of ").uint(samples);
    out.text("\naccuracy: ").uint(correct).text(" of ").uint(samples).text(", ");
    out.percent(correct, samples).text(" (host int8: ").uint(HOST_INT8_CORRECT as u32);
    out.text(", host f32: ").uint(HOST_F32_CORRECT as u32).text(")\npeak stack: ");
    out.uint(stack::peak() as u32).text(" bytes\n");

    #[cfg(feature = "measure")]
    ferroflow_firmware::measure::per_call(
        &mut out,
        "inference",
        1000,
        |i| {
            black_box(black_box(&NET).forward(black_box(&TEST_INT8[i % TEST_INT8.len()])));
        },
        |i| {
            black_box(black_box(&TEST_INT8[i % TEST_INT8.len()]));
        },
    );

    exit(&mut out, identical == samples && correct == HOST_INT8_CORRECT as u32)
}
