//! One round of the comparison for dfdx 0.13, timed like ../src/main.rs, on the batches
//! ../src/main.rs writes (`compare --write-data DIR`): sigmoid hidden layer, softmax with
//! cross-entropy (`cross_entropy_with_logits_loss`), SGD at 0.05. A training step is
//! forward (traced), loss, backward, update and zeroing the gradients. Prints
//! `<workload> dfdx <steps per second>`. Usage: dfdx DATA_DIR

use dfdx::optim::{Optimizer, Sgd, SgdConfig};
use dfdx::prelude::*;
use std::hint::black_box;

const BATCHES: usize = 8;
#[path = "../../timing.rs"]
mod timing;
use timing::rate;

/// One batch: inputs `B × I` and one-hot targets `B × O`.
type Batch<const B: usize, const I: usize, const O: usize> =
    (Tensor<Rank2<B, I>, f32, Cpu>, Tensor<Rank2<B, O>, f32, Cpu>);

/// The `BATCHES` batches of a workload.
fn load<const B: usize, const I: usize, const O: usize>(
    dev: &Cpu,
    dir: &str,
    name: &str,
) -> Vec<Batch<B, I, O>> {
    let bytes = std::fs::read(format!("{dir}/{name}.f32")).expect("data written by compare");
    let values: Vec<f32> =
        bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    assert_eq!(values.len(), BATCHES * B * (I + O), "{name}: size");
    values
        .chunks_exact(B * (I + O))
        .map(|batch| {
            let (x, y) = batch.split_at(B * I);
            (
                dev.tensor_from_vec(x.to_vec(), (Const::<B>, Const::<I>)),
                dev.tensor_from_vec(y.to_vec(), (Const::<B>, Const::<O>)),
            )
        })
        .collect()
}

type Mlp<const I: usize, const H: usize, const O: usize> = ((Linear<I, H>, Sigmoid), Linear<H, O>);

fn training<const B: usize, const I: usize, const H: usize, const O: usize>(dir: &str, name: &str) {
    let dev: Cpu = Default::default();
    let batches = load::<B, I, O>(&dev, dir, name);
    let mut model = dev.build_module::<Mlp<I, H, O>, f32>();
    let mut grads = model.alloc_grads();
    let mut sgd = Sgd::new(&model, SgdConfig { lr: 0.05, momentum: None, weight_decay: None });
    let r = rate(|i| {
        let (x, y) = &batches[i % BATCHES];
        let logits = model.forward_mut(x.clone().traced(grads.clone()));
        let loss = cross_entropy_with_logits_loss(logits, y.clone());
        black_box(loss.array());
        grads = loss.backward();
        sgd.update(&mut model, &grads).expect("update");
        model.zero_grads(&mut grads);
    });
    println!("{name} dfdx {r:.1}");
}

fn inference<const I: usize, const H: usize, const O: usize>(dir: &str, name: &str) {
    let dev: Cpu = Default::default();
    let batches = load::<1, I, O>(&dev, dir, name);
    let model = dev.build_module::<Mlp<I, H, O>, f32>();
    let r = rate(|i| {
        let (x, _) = &batches[i % BATCHES];
        black_box(model.forward(x.clone()).softmax::<Axis<1>>().array());
    });
    println!("{name} dfdx {r:.1}");
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: dfdx DATA_DIR");
    training::<1, 2, 16, 2>(&dir, "W1");
    training::<32, 64, 32, 10>(&dir, "W2");
    training::<64, 784, 128, 10>(&dir, "W3");
    inference::<2, 16, 2>(&dir, "I1");
    inference::<784, 128, 10>(&dir, "I3");
}
