//! Training on a microcontroller: the red/blue network learns the tutorial's XOR-like
//! clusters from seed `DEVICE_SEED`, data and initial weights drawn on the device. The
//! device prints the loss as it falls and the final accuracy, and exits 0 only if the
//! losses, the trained weights and the accuracy match what `build.rs` computed on the
//! host with the same code and seed, to within 1e-5.
#![no_std]
#![no_main]

use cortex_m_rt::entry;
use ferroflow_firmware::host::{
    EXPECTED_CORRECT, EXPECTED_FINAL_LOSS, EXPECTED_LOSSES, EXPECTED_TRAINED,
};
use ferroflow_firmware::red_blue::{
    BATCH, DEVICE_EPOCHS, DEVICE_SEED, LEARNING_RATE, SAMPLES, batches, correct, loss, start, train,
};
#[cfg(feature = "measure")]
use ferroflow_firmware::red_blue::{BATCHES, Batch};
use ferroflow_firmware::{BOARD, Check, Console, exit, stack};

#[entry]
fn main() -> ! {
    stack::paint();
    let mut out = Console::open();
    out.text("ferroflow training on ").text(BOARD);
    out.text(": 2 -> 16 (sigmoid) -> 2 (softmax) from seed ").uint(DEVICE_SEED as u32);
    out.text(", ").uint(SAMPLES as u32).text(" points in XOR-like clusters, batches of ");
    out.uint(BATCH as u32).text(", gradient descent at ").fixed(LEARNING_RATE, 1).text("\n");

    let (data, mut net) = start(DEVICE_SEED);
    let batches = batches(&data);
    let mut losses = Check::default();
    let mut expected = EXPECTED_LOSSES.iter();
    train(&mut net, &batches, DEVICE_EPOCHS, |epoch, loss| {
        // A report the host did not make compares with NaN, and so fails.
        let host = expected.next().copied().unwrap_or(f32::NAN);
        losses.value(loss, host);
        out.text("epoch ").uint(epoch as u32).text(": loss ").fixed(loss, 6);
        out.text("   host ").fixed(host, 6).text("\n");
    });
    let missing = expected.len();

    let mut weights = Check::default();
    weights.values(net.hidden.weights.as_slice(), EXPECTED_TRAINED.hidden.weights.as_slice());
    weights.values(net.hidden.bias.as_slice(), EXPECTED_TRAINED.hidden.bias.as_slice());
    weights.values(net.output.weights.as_slice(), EXPECTED_TRAINED.output.weights.as_slice());
    weights.values(net.output.bias.as_slice(), EXPECTED_TRAINED.output.bias.as_slice());
    let mut final_loss = Check::default();
    let device_loss = loss(&net, &batches);
    final_loss.value(device_loss, EXPECTED_FINAL_LOSS);
    let correct = correct(&net, &batches);

    out.text("final loss ").fixed(device_loss, 6).text(", training accuracy ");
    out.uint(correct as u32).text(" of ").uint(SAMPLES as u32).text(" (host ");
    out.uint(EXPECTED_CORRECT as u32).text(")\n");
    losses.print(&mut out, "losses");
    weights.print(&mut out, "weights");
    final_loss.print(&mut out, "final loss");
    out.text("peak stack: ").uint(stack::peak() as u32).text(" bytes of ");
    out.uint(stack::capacity() as u32).text("\n");

    #[cfg(feature = "measure")]
    measure(&mut out, &batches);

    let passed = losses.passed()
        && missing == 0
        && weights.passed()
        && final_loss.passed()
        && correct == EXPECTED_CORRECT;
    exit(&mut out, passed)
}

/// Instructions per training step: 10 epochs (100 steps) from a fresh start.
#[cfg(feature = "measure")]
fn measure(out: &mut Console, batches: &[Batch; BATCHES]) {
    use core::hint::black_box;
    const EPOCHS: usize = 10;
    let Some(counter) = ferroflow_firmware::measure::start_calibrated(out) else { return };
    let (_, mut net) = start(DEVICE_SEED);
    let ticks = counter.ticks(|| train(black_box(&mut net), black_box(batches), EPOCHS, |_, _| {}));
    black_box(&net);
    let steps = (EPOCHS * BATCHES) as u64;
    let tenths = counter.tenths_of_instructions(ticks, steps);
    out.text("instructions per training step (batch of ").uint(BATCH as u32).text("): ");
    out.uint((tenths / 10) as u32).text(".").uint((tenths % 10) as u32);
    out.text(" (").uint(steps as u32).text(" steps: ").uint(ticks as u32).text(" ticks)\n");
}
