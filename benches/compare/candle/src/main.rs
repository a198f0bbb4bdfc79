//! One round of the comparison for candle 0.11 on the CPU, timed like ../src/main.rs, on
//! the batches ../src/main.rs writes (`compare --write-data DIR`): `candle_nn::linear`,
//! sigmoid, `candle_nn::linear`, softmax with cross-entropy (`candle_nn::loss::cross_entropy`,
//! which is `log_softmax` then the negative log-likelihood of the class indices), and
//! `candle_nn::SGD` at 0.05. A training step is forward, loss, backward and update; candle
//! has no gradients to zero, as every `backward` returns a new gradient store, which is
//! dropped at the end of the step. Inference is the forward pass with the output softmax,
//! batch 1. Prints `<workload> candle <steps per second>` and, on stderr, the loss of the
//! first training step of each workload. Usage: candle DATA_DIR
//!
//! Run it with `RAYON_NUM_THREADS=1`: candle's matrix products (the gemm crate) and some
//! of its element-wise kernels use as many threads as the machine has cores otherwise.

use candle_core::{DType, Device, Module, Tensor};
use candle_nn::{Linear, Optimizer, SGD, VarBuilder, VarMap};
use std::hint::black_box;

const BATCHES: usize = 8;
#[path = "../../timing.rs"]
mod timing;
use timing::rate;
/// The learning rate of every training workload (`RATE` in benches/support/networks.rs).
const RATE: f64 = 0.05;

type Result<T> = candle_core::Result<T>;

/// The `BATCHES` batches of a workload: inputs `b × i` and the class of each sample (the
/// index of the one in its one-hot target row).
fn load(dir: &str, name: &str, b: usize, i: usize, o: usize) -> Result<Vec<(Tensor, Tensor)>> {
    let bytes = std::fs::read(format!("{dir}/{name}.f32")).expect("data written by compare");
    let values: Vec<f32> =
        bytes.chunks_exact(4).map(|v| f32::from_le_bytes([v[0], v[1], v[2], v[3]])).collect();
    assert_eq!(values.len(), BATCHES * b * (i + o), "{name}: size");
    values
        .chunks_exact(b * (i + o))
        .map(|batch| {
            let (x, y) = batch.split_at(b * i);
            let classes: Vec<u32> = y
                .chunks_exact(o)
                .map(|row| row.iter().position(|&v| v == 1.0).expect("one-hot target") as u32)
                .collect();
            Ok((
                Tensor::from_slice(x, (b, i), &Device::Cpu)?,
                Tensor::from_vec(classes, b, &Device::Cpu)?,
            ))
        })
        .collect()
}

/// `i → h` sigmoid, `h → o` linear (the logits); candle's own random initial weights.
struct Mlp {
    hidden: Linear,
    output: Linear,
}

impl Mlp {
    fn new(vars: &VarMap, i: usize, h: usize, o: usize) -> Result<Mlp> {
        let vb = VarBuilder::from_varmap(vars, DType::F32, &Device::Cpu);
        Ok(Mlp {
            hidden: candle_nn::linear(i, h, vb.pp("hidden"))?,
            output: candle_nn::linear(h, o, vb.pp("output"))?,
        })
    }

    fn logits(&self, x: &Tensor) -> Result<Tensor> {
        let hidden = candle_nn::ops::sigmoid(&self.hidden.forward(x)?)?;
        self.output.forward(&hidden)
    }
}

fn training(dir: &str, name: &str, b: usize, i: usize, h: usize, o: usize) -> Result<()> {
    let batches = load(dir, name, b, i, o)?;
    let vars = VarMap::new();
    let model = Mlp::new(&vars, i, h, o)?;
    let mut sgd = SGD::new(vars.all_vars(), RATE)?;
    let mut step = |i: usize| -> Result<f32> {
        let (x, classes) = &batches[i % BATCHES];
        let loss = candle_nn::loss::cross_entropy(&model.logits(black_box(x))?, classes)?;
        sgd.backward_step(&loss)?;
        loss.to_scalar::<f32>()
    };
    // The first step, on batch 0 from the initial weights, for the sanity check of the
    // loss (about ln o); then the timed steps go on from there.
    let first = step(0)?;
    eprintln!("{name} candle first loss {first:.4} (ln {o} = {:.4})", (o as f32).ln());
    let r = rate(|i| {
        black_box(step(i + 1).expect("training step"));
    });
    println!("{name} candle {r:.1}");
    Ok(())
}

fn inference(dir: &str, name: &str, i: usize, h: usize, o: usize) -> Result<()> {
    let batches = load(dir, name, 1, i, o)?;
    let vars = VarMap::new();
    let model = Mlp::new(&vars, i, h, o)?;
    let predict = |i: usize| -> Result<Tensor> {
        let (x, _) = &batches[i % BATCHES];
        candle_nn::ops::softmax_last_dim(&model.logits(black_box(x))?)
    };
    let r = rate(|i| {
        black_box(predict(i).expect("inference"));
    });
    println!("{name} candle {r:.1}");
    Ok(())
}

fn main() -> Result<()> {
    let dir = std::env::args().nth(1).expect("usage: candle DATA_DIR");
    training(&dir, "W1", 1, 2, 16, 2)?;
    training(&dir, "W2", 32, 64, 32, 10)?;
    training(&dir, "W3", 64, 784, 128, 10)?;
    inference(&dir, "I1", 2, 16, 2)?;
    inference(&dir, "I3", 784, 128, 10)?;
    Ok(())
}
