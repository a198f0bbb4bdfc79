//! Inference on a microcontroller: the red/blue network, trained on the host by `build.rs`,
//! sits in flash as `const` data; the device classifies a fixed set of points and exits 0
//! only if its outputs match the host's to within 1e-5.
#![no_std]
#![no_main]

use core::hint::black_box;
use cortex_m_rt::entry;
use ferroflow_firmware::host::{HOST_PREDICTIONS, HOST_TRAINED, HOST_TRAINED_CORRECT};
use ferroflow_firmware::red_blue::{INPUTS, RedBlue, SAMPLES};
use ferroflow_firmware::{BOARD, Check, Console, exit, stack};

/// The host-trained network: an immutable static, so it stays in flash.
static NET: RedBlue = HOST_TRAINED;

#[entry]
fn main() -> ! {
    stack::paint();
    let mut out = Console::open();
    out.text("ferroflow inference on ").text(BOARD);
    out.text(
        ": 2 -> 16 (sigmoid) -> 2 (softmax), weights trained on the host and baked into flash (",
    );
    out.uint(HOST_TRAINED_CORRECT as u32).text(" of ").uint(SAMPLES as u32);
    out.text(" training points right there)\n");

    let mut check = Check::default();
    for (input, host) in INPUTS.iter().zip(&HOST_PREDICTIONS) {
        // black_box: the network and inputs are constants, and the compiler must not get
        // to work out the answers at build time.
        let p = black_box(&NET).predict(black_box(input));
        check.values(&p, host);
        out.text("(").fixed(input[0], 2).text(", ").fixed(input[1], 2).text(") -> p(red) ");
        out.fixed(p[0], 6).text(", p(blue) ").fixed(p[1], 6);
        out.text(if p[1] > p[0] { ": blue" } else { ": red " }).text("   host ");
        out.fixed(host[0], 6).text(", ").fixed(host[1], 6).text("\n");
    }
    check.print(&mut out, "predictions");
    out.text("peak stack: ").uint(stack::peak() as u32).text(" bytes\n");

    #[cfg(feature = "measure")]
    measure(&mut out);

    exit(&mut out, check.passed())
}

/// Instructions per inference: 1000 predictions, less the same loop without them.
#[cfg(feature = "measure")]
fn measure(out: &mut Console) {
    let inputs = &INPUTS;
    ferroflow_firmware::measure::per_call(
        out,
        "inference",
        1000,
        |i| {
            black_box(black_box(&NET).predict(black_box(&inputs[i % inputs.len()])));
        },
        |i| {
            black_box(black_box(&inputs[i % inputs.len()]));
        },
    );
}
