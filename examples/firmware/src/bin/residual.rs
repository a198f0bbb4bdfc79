//! A graph network on a microcontroller: the residual digits network (two blocks that each
//! add their input back), trained on the host by `build.rs` as
//! `examples/residual_digits.rs` trains it, sits in flash as `const` data with 100 test
//! samples; the device classifies them and exits 0 only if every probability matches the
//! host's to within 1e-5 and it gets as many right as the host did.
#![no_std]
#![no_main]

use core::hint::black_box;
use cortex_m_rt::entry;
use ferroflow_firmware::digits::argmax;
use ferroflow_firmware::residual_digits::{DEVICE_SAMPLES, ResidualDigits};
use ferroflow_firmware::residual_host::{
    HOST_PROBABILITIES, HOST_TEST_CORRECT, HOST_TEST_SAMPLES, RESIDUAL_TRAINED, TEST_LABELS,
    TEST_SAMPLES,
};
use ferroflow_firmware::{BOARD, Check, Console, exit, stack};

/// The host-trained network: an immutable static, so it stays in flash.
static NET: ResidualDigits = RESIDUAL_TRAINED;

#[entry]
fn main() -> ! {
    stack::paint();
    let mut out = Console::open();
    out.text("ferroflow residual network on ").text(BOARD);
    out.text(": 64 -> 32 (ReLU) -> 2 x [32 (tanh) + skip] -> 10 (softmax), trained on the host (");
    out.uint(HOST_TEST_CORRECT as u32).text(" of ").uint(HOST_TEST_SAMPLES as u32);
    out.text(" test digits right there)\n");

    let mut check = Check::default();
    let (mut correct, mut host_correct) = (0u32, 0u32);
    for ((sample, &label), host) in TEST_SAMPLES.iter().zip(&TEST_LABELS).zip(&HOST_PROBABILITIES) {
        // black_box: the network and samples are constants, and the compiler must not get
        // to work out the answers at build time.
        let p = black_box(&NET).predict(black_box(sample));
        check.values(&p, host);
        correct += u32::from(argmax(&p) == usize::from(label));
        host_correct += u32::from(argmax(host) == usize::from(label));
    }
    check.print(&mut out, "probabilities");
    out.text("digits right: ").uint(correct).text(" of ").uint(DEVICE_SAMPLES as u32);
    out.text(" (host: ").uint(host_correct).text(")\n");
    out.text("peak stack: ").uint(stack::peak() as u32).text(" bytes\n");
    exit(&mut out, check.passed() && correct == host_correct)
}
