//! Issue 2's benchmarks: one sigmoid perceptron's forward and backward pass at 2 → 16 and
//! 784 → 128, batches of 1 and 64, in `f32`. Backward is the whole layer backward: the
//! parameter gradients and the input gradient, from the input, the output and the gradient
//! with respect to the output. Run with `cargo bench --bench perceptron`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ferroflow::{Matrix, Perceptron, SeedableRng, SeededRng, Sigmoid};
use std::hint::black_box;

fn random_matrix<const R: usize, const C: usize>(rng: &mut SeededRng) -> Box<Matrix<f32, R, C>> {
    let mut m: Box<Matrix<f32, R, C>> = Box::new(Matrix::zeros());
    for v in m.iter_mut() {
        *v = ferroflow::init::uniform(rng, -1.0, 1.0) as f32;
    }
    m
}

fn layer<const I: usize, const O: usize, const B: usize>(c: &mut Criterion, name: &str) {
    let mut rng = SeededRng::seed_from_u64(7);
    let p: Box<Perceptron<f32, I, O, Sigmoid>> = Box::new(Perceptron::random(&mut rng));
    let x = random_matrix::<B, I>(&mut rng);
    let grad_a = random_matrix::<B, O>(&mut rng);
    let a = Box::new(p.forward(&x));

    let mut group = c.benchmark_group(format!("perceptron {name}"));
    group.throughput(Throughput::Elements(B as u64));
    group.bench_function(BenchmarkId::new("forward", format!("batch {B}")), |bench| {
        bench.iter(|| black_box(p.forward(black_box(&*x))))
    });
    group.bench_function(BenchmarkId::new("backward", format!("batch {B}")), |bench| {
        bench.iter(|| black_box(p.backward(black_box(&*x), &a, black_box(&*grad_a))))
    });
    group.finish();
}

fn perceptron(c: &mut Criterion) {
    layer::<2, 16, 1>(c, "2x16");
    layer::<2, 16, 64>(c, "2x16");
    layer::<784, 128, 1>(c, "784x128");
    layer::<784, 128, 64>(c, "784x128");
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = perceptron
}
criterion_main!(benches);
