//! The digits network trained on the device: from a seeded random initialisation, on the
//! 1 294 training digits in flash (raw pixels, standardised as they are read), by
//! gradient descent, no heap. After each epoch it prints the
//! mean training loss; at the end, the test accuracy on the 359 held-out digits and the
//! RAM it used. It exits 0 only if every loss and every final weight match the host's run
//! of the same code (within 1e-5; the count of bit-identical values is printed), and the
//! test accuracy is the host's and at least 95%.
#![no_std]
#![no_main]

use core::hint::black_box;
use cortex_m_rt::entry;
use ferroflow::prelude::*;
use ferroflow_firmware::digits_host::{
    DEVICE_LOSSES, DEVICE_TEST_CORRECT, DEVICE_TRAINED, TEST_RAW, TEST_RAW_LABELS, TRAIN_LABELS,
    TRAIN_RAW, TRAIN_SCALING,
};
use ferroflow_firmware::digits_training::{
    BATCH, LEARNING_RATE, SEED, correct, epoch, identity_order, start,
};
use ferroflow_firmware::{BOARD, Check, Console, exit, stack};

#[entry]
fn main() -> ! {
    stack::paint();
    let mut out = Console::open();
    out.text("ferroflow trains the digits network on ").text(BOARD);
    out.text(": 64 -> 32 (sigmoid) -> 10 (softmax) from seed ").uint(SEED as u32);
    out.text(", gradient descent (learning rate ").fixed(LEARNING_RATE, 1);
    out.text("), batches of ");
    out.uint(BATCH as u32).text(", ").uint(TRAIN_RAW.len() as u32).text(" digits in flash\n");

    let (mut net, mut rng) = start();
    let mut sgd = GradientDescent::new(LEARNING_RATE);
    let mut order = identity_order();
    let mut losses = Check::default();
    for (i, &host) in DEVICE_LOSSES.iter().enumerate() {
        // black_box: the data are constants, and the compiler must not get to train at
        // build time.
        let loss = epoch(
            &mut net,
            &mut sgd,
            &mut rng,
            &mut order,
            black_box(&TRAIN_RAW),
            &TRAIN_LABELS,
            &TRAIN_SCALING,
        );
        losses.value(loss, host);
        out.text("epoch ").uint(i as u32 + 1).text(": loss ").fixed(loss, 6);
        out.text(" (host ").fixed(host, 6).text(")\n");
    }
    losses.print(&mut out, "losses");
    let mut weights = Check::default();
    weights.values(net.hidden.weights.as_slice(), DEVICE_TRAINED.hidden.weights.as_slice());
    weights.values(net.hidden.bias.as_slice(), DEVICE_TRAINED.hidden.bias.as_slice());
    weights.values(net.output.weights.as_slice(), DEVICE_TRAINED.output.weights.as_slice());
    weights.values(net.output.bias.as_slice(), DEVICE_TRAINED.output.bias.as_slice());
    weights.print(&mut out, "final weights");

    let samples = TEST_RAW.len() as u32;
    let right = correct(&net, &TEST_RAW, &TEST_RAW_LABELS, &TRAIN_SCALING);
    out.text("test accuracy: ").uint(right).text(" of ").uint(samples).text(", ");
    out.percent(right, samples).text(" (host ").uint(DEVICE_TEST_CORRECT).text(")\n");
    out.text("peak stack: ").uint(stack::peak() as u32).text(" bytes\n");

    #[cfg(feature = "measure")]
    ferroflow_firmware::measure::per_call(
        &mut out,
        "epoch",
        1,
        |_| {
            black_box(epoch(
                &mut net,
                &mut sgd,
                &mut rng,
                &mut order,
                black_box(&TRAIN_RAW),
                &TRAIN_LABELS,
                &TRAIN_SCALING,
            ));
        },
        |_| {},
    );

    let accurate = u64::from(right) * 100 >= 95 * u64::from(samples);
    exit(&mut out, losses.passed() && weights.passed() && right == DEVICE_TEST_CORRECT && accurate)
}
