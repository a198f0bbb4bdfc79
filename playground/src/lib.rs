//! The browser playground's engine: the tutorial's multi-layer perceptron on the red/blue
//! clusters, trained inside the page (issue 19).
//!
//! Built for `wasm32-unknown-unknown` as a `cdylib`; the page (`web/main.js`) calls the
//! plain `extern "C"` functions below, which take and return numbers only. Larger results
//! (the points, the grid of probabilities) are left in buffers inside this crate whose
//! pointer the functions return; the page reads them through the module's
//! `memory.buffer` right after the call, before anything here can move them.
//!
//! # Widths stay compile-time
//! Every network is a `network!` network of fixed shape. The page chooses among twelve of
//! them: three descriptions (one per activation), each generic over its hidden width `H`,
//! made at the widths of [`WIDTHS`]. [`Model`] is the little interface they share, so each
//! exported function is written once.
//!
//! # Training: one step is one pass over the points in mini-batches of [`BATCH`]
//! The batch size is a constant of the type (`Matrix<f32, BATCH, 2>`) while the number of
//! points changes with every click. So a step shuffles the points, cuts them into batches
//! of [`BATCH`], and fills the last, short batch with points drawn at random (with
//! replacement) from all of them: every point is seen at least once per step, a few twice,
//! and every update is a plain gradient-descent step on [`BATCH`] points (the loss is a
//! mean over the batch). The loss and accuracy shown are then measured on all the points.

use ferroflow::clusters::{self, Clusters};
use ferroflow::prelude::*;
use ferroflow::{Network, Rng};
use std::cell::RefCell;

network! {
    /// The tutorial's MLP with a sigmoid hidden layer `H` units wide: 2 → H → 2.
    pub struct SigmoidMlp<f32, const H: usize> {
        input: 2,
        hidden: Perceptron<H, Sigmoid>,
        output: Perceptron<2, Softmax>,
    }
}

network! {
    /// The same MLP with a tanh hidden layer.
    pub struct TanhMlp<f32, const H: usize> {
        input: 2,
        hidden: Perceptron<H, Tanh>,
        output: Perceptron<2, Softmax>,
    }
}

network! {
    /// The same MLP with a ReLU hidden layer.
    pub struct ReluMlp<f32, const H: usize> {
        input: 2,
        hidden: Perceptron<H, Relu>,
        output: Perceptron<2, Softmax>,
    }
}

/// Points per gradient-descent update (see the crate's docs for how a step uses them).
pub const BATCH: usize = 10;
/// The hidden widths the page offers; each is a separate type per activation.
pub const WIDTHS: [u32; 4] = [2, 4, 8, 16];
/// The activations the page offers, by the number it passes: 0, 1, 2.
pub const ACTIVATIONS: [&str; 3] = ["sigmoid", "tanh", "relu"];
/// The seed of the default data and the first network: `examples/mlp.rs`'s, so the page
/// starts from the same 100 points and, at width 16 with sigmoid, the same weights.
pub const SEED: u64 = 2;
/// The learning rate the page starts with. Measured on the default data (2026-11-30): the
/// default network reaches 100% within 50 steps at 1.0 and at 3.0 (`examples/mlp.rs`'s
/// full-batch rate), and ReLU networks diverge at 3.0 on batches of [`BATCH`].
pub const DEFAULT_LEARNING_RATE: f32 = 1.0;
/// The plane shown, `[LOW, HIGH]` on both axes: `examples/mlp.rs`'s, the clusters with a
/// margin.
pub const LOW: f32 = -0.75;
/// See [`LOW`].
pub const HIGH: f32 = 1.75;
/// Cells per side of the grid of probabilities the page paints as the decision regions.
pub const GRID: usize = 64;

/// One point of the training data: where it is, and its class (0 red, 1 blue).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Horizontal coordinate in the plane.
    pub x: f32,
    /// Vertical coordinate in the plane.
    pub y: f32,
    /// 0 for red, 1 for blue.
    pub class: u8,
}

/// What the playground needs of a network, whatever its activation and width.
pub trait Model {
    /// One step: one pass over `points` in shuffled mini-batches of [`BATCH`], the last one
    /// filled with points drawn at random, each batch one gradient-descent update.
    fn train_pass(&mut self, points: &[Point], rng: &mut SeededRng, sgd: &mut GradientDescent<f32>);

    /// The probability of blue (class 1) at each of `at`, written to `out` (same length).
    fn blue_probabilities(&self, at: &[[f32; 2]], out: &mut [f32]);
}

/// A `network!` network behind [`Model`].
struct Trained<N>(N);

impl<N: Network<f32, 2, 2>> Model for Trained<N> {
    fn train_pass(
        &mut self,
        points: &[Point],
        rng: &mut SeededRng,
        sgd: &mut GradientDescent<f32>,
    ) {
        let n = points.len();
        if n == 0 {
            return;
        }
        let mut order: Vec<usize> = (0..n).collect();
        // Fisher–Yates.
        for i in (1..n).rev() {
            order.swap(i, below(rng, i + 1));
        }
        for chunk in order.chunks(BATCH) {
            let rows: [usize; BATCH] =
                core::array::from_fn(|r| chunk.get(r).copied().unwrap_or_else(|| below(rng, n)));
            let x = Matrix::<f32, BATCH, 2>::from_fn(|r, c| {
                let p = points[rows[r]];
                if c == 0 { p.x } else { p.y }
            });
            let labels = Matrix::<f32, BATCH, 2>::from_fn(|r, c| {
                f32::from(u8::from(usize::from(points[rows[r]].class) == c))
            });
            self.0.train_step(&x, &labels, sgd);
        }
    }

    fn blue_probabilities(&self, at: &[[f32; 2]], out: &mut [f32]) {
        // Batches of a constant size again; the last one is padded with the origin, whose
        // outputs are not kept.
        for (inputs, outputs) in at.chunks(GRID).zip(out.chunks_mut(GRID)) {
            let x = Matrix::<f32, GRID, 2>::from_fn(|r, c| inputs.get(r).map_or(0.0, |p| p[c]));
            let probabilities = self.0.forward(&x);
            for (r, o) in outputs.iter_mut().enumerate() {
                *o = probabilities[(r, 1)];
            }
        }
    }
}

/// A uniform index below `n` (multiply-shift: the bias is under `n / 2^64`, nothing here).
fn below(rng: &mut SeededRng, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// A network of the given activation (an index into [`ACTIVATIONS`]) and hidden width (one
/// of [`WIDTHS`]) with weights drawn from `rng`; `None` for any other choice.
pub fn build(activation: u32, width: u32, rng: &mut SeededRng) -> Option<Box<dyn Model>> {
    fn boxed<N: Network<f32, 2, 2> + 'static>(net: N) -> Option<Box<dyn Model>> {
        Some(Box::new(Trained(net)))
    }
    // One arm per width in `WIDTHS`: each width is a type of its own.
    macro_rules! at_width {
        ($net:ident) => {
            match width {
                2 => boxed($net::<2>::random(rng)),
                4 => boxed($net::<4>::random(rng)),
                8 => boxed($net::<8>::random(rng)),
                16 => boxed($net::<16>::random(rng)),
                _ => None,
            }
        };
    }
    match activation {
        0 => at_width!(SigmoidMlp),
        1 => at_width!(TanhMlp),
        2 => at_width!(ReluMlp),
        _ => None,
    }
}

/// The tutorial's clusters, drawn as `examples/mlp.rs` draws them: 100 points from
/// [`SEED`], with the generator left where the network's weights are drawn next.
pub fn tutorial_points() -> (Vec<Point>, SeededRng) {
    let mut rng = SeededRng::seed_from_u64(SEED);
    let data: Clusters<f32, 100> = clusters::xor(&mut rng);
    let points = (0..100)
        .map(|i| Point {
            x: data.points[(i, 0)],
            y: data.points[(i, 1)],
            class: data.class(i) as u8,
        })
        .collect();
    (points, rng)
}

/// Everything the page has set up: the data, the network and its training so far.
pub struct Playground {
    /// The training data, in the order added.
    pub points: Vec<Point>,
    /// Draws weights, shuffles and fills batches; seeded, so a page load is reproducible.
    rng: SeededRng,
    /// The network being trained.
    model: Box<dyn Model>,
    /// Index into [`ACTIVATIONS`].
    activation: u32,
    /// One of [`WIDTHS`].
    width: u32,
    /// The tutorial's optimizer; its rate is the page's.
    sgd: GradientDescent<f32>,
    /// Steps (passes over the points) since the network was made.
    pub steps: u32,
    /// Mean cross-entropy over all points, after the last step or change of data.
    pub loss: f32,
    /// Fraction of the points classified right, measured with [`Playground::loss`].
    pub accuracy: f32,
    /// The points as `x, y, class` triples of `f32`, for the page to read.
    point_buffer: Vec<f32>,
    /// The probabilities of blue over the grid, row by row from the top, for the page.
    grid: Vec<f32>,
}

impl Default for Playground {
    fn default() -> Self {
        Self::new()
    }
}

impl Playground {
    /// The page's start: the tutorial's clusters and the tutorial's 2 → 16 → 2 sigmoid
    /// network with `examples/mlp.rs`'s initial weights.
    pub fn new() -> Self {
        let (points, mut rng) = tutorial_points();
        let model = build(0, 16, &mut rng).expect("sigmoid at width 16 is on offer");
        let mut playground = Self {
            points,
            rng,
            model,
            activation: 0,
            width: 16,
            sgd: GradientDescent::new(DEFAULT_LEARNING_RATE),
            steps: 0,
            loss: f32::NAN,
            accuracy: 0.0,
            point_buffer: Vec::new(),
            grid: vec![0.0; GRID * GRID],
        };
        playground.evaluate();
        playground
    }

    /// Switches to the network of this activation and width, with fresh weights; returns
    /// whether the choice is on offer (if not, nothing changes).
    pub fn set_network(&mut self, activation: u32, width: u32) -> bool {
        let Some(model) = build(activation, width, &mut self.rng) else { return false };
        (self.model, self.activation, self.width) = (model, activation, width);
        self.steps = 0;
        self.evaluate();
        true
    }

    /// Fresh weights for the current network; the data stays.
    pub fn reset_network(&mut self) {
        self.set_network(self.activation, self.width);
    }

    /// Sets the learning rate of the steps to come.
    pub fn set_learning_rate(&mut self, rate: f32) {
        self.sgd.learning_rate = rate;
    }

    /// Adds a point (class 0 red, anything else blue).
    pub fn add_point(&mut self, x: f32, y: f32, class: u32) {
        self.points.push(Point { x, y, class: u8::from(class != 0) });
        self.evaluate();
    }

    /// Replaces the data with the tutorial's clusters (`true`) or nothing.
    pub fn reset_points(&mut self, tutorial: bool) {
        self.points = if tutorial { tutorial_points().0 } else { Vec::new() };
        self.evaluate();
    }

    /// Trains `steps` steps (see the crate's docs), then measures loss and accuracy.
    pub fn train(&mut self, steps: u32) {
        for _ in 0..steps {
            self.model.train_pass(&self.points, &mut self.rng, &mut self.sgd);
        }
        self.steps += steps;
        self.evaluate();
    }

    /// Measures the mean cross-entropy and the accuracy over all points (`NaN` and 0
    /// without points).
    fn evaluate(&mut self) {
        let at: Vec<[f32; 2]> = self.points.iter().map(|p| [p.x, p.y]).collect();
        let mut blue = vec![0.0; at.len()];
        self.model.blue_probabilities(&at, &mut blue);
        let (mut loss, mut correct) = (0.0, 0usize);
        for (p, &b) in self.points.iter().zip(&blue) {
            let right = if p.class == 1 { b } else { 1.0 - b };
            // Clamped as the loss is in training, so a saturated softmax gives a large,
            // finite loss rather than infinity.
            loss -= right.max(1e-7).ln();
            correct += usize::from(right > 0.5);
        }
        let n = self.points.len() as f32;
        self.loss = loss / n;
        self.accuracy = if self.points.is_empty() { 0.0 } else { correct as f32 / n };
    }

    /// The points as `x, y, class` triples, for the page.
    pub fn point_buffer(&mut self) -> &[f32] {
        self.point_buffer.clear();
        self.point_buffer.extend(self.points.iter().flat_map(|p| [p.x, p.y, f32::from(p.class)]));
        &self.point_buffer
    }

    /// The probability of blue at the centres of a [`GRID`] × [`GRID`] grid over the plane,
    /// row by row from the top (as the canvas counts rows).
    pub fn grid(&mut self) -> &[f32] {
        let cell = (HIGH - LOW) / GRID as f32;
        let centres: Vec<[f32; 2]> = (0..GRID * GRID)
            .map(|i| {
                let (row, column) = (i / GRID, i % GRID);
                [LOW + (column as f32 + 0.5) * cell, HIGH - (row as f32 + 0.5) * cell]
            })
            .collect();
        self.model.blue_probabilities(&centres, &mut self.grid);
        &self.grid
    }
}

thread_local! {
    /// The page's one playground. A `thread_local` rather than a `static mut`: the page
    /// runs the module on one thread, and this needs no `unsafe`.
    static PLAYGROUND: RefCell<Playground> = RefCell::new(Playground::new());
}

/// Runs `f` on the playground.
fn with<R>(f: impl FnOnce(&mut Playground) -> R) -> R {
    PLAYGROUND.with(|p| f(&mut p.borrow_mut()))
}

// The exports. Pointers returned stay valid until the next call into the module.

/// Switches network (activation 0 sigmoid, 1 tanh, 2 relu; width 2, 4, 8 or 16), fresh
/// weights; returns 1, or 0 if that choice is not on offer.
#[unsafe(no_mangle)]
pub extern "C" fn set_network(activation: u32, width: u32) -> u32 {
    with(|p| u32::from(p.set_network(activation, width)))
}

/// Fresh weights for the current network, steps back to 0.
#[unsafe(no_mangle)]
pub extern "C" fn reset_network() {
    with(Playground::reset_network);
}

/// Sets the learning rate.
#[unsafe(no_mangle)]
pub extern "C" fn set_learning_rate(rate: f32) {
    with(|p| p.set_learning_rate(rate));
}

/// Adds a point (class 0 red, 1 blue); returns the number of points.
#[unsafe(no_mangle)]
pub extern "C" fn add_point(x: f32, y: f32, class: u32) -> u32 {
    with(|p| {
        p.add_point(x, y, class);
        p.points.len() as u32
    })
}

/// The tutorial's clusters (1) or no points (0); returns the number of points.
#[unsafe(no_mangle)]
pub extern "C" fn reset_points(tutorial: u32) -> u32 {
    with(|p| {
        p.reset_points(tutorial != 0);
        p.points.len() as u32
    })
}

/// Trains `steps` steps; returns the loss over all points afterwards.
#[unsafe(no_mangle)]
pub extern "C" fn train(steps: u32) -> f32 {
    with(|p| {
        p.train(steps);
        p.loss
    })
}

/// Steps trained since the network was made.
#[unsafe(no_mangle)]
pub extern "C" fn steps() -> u32 {
    with(|p| p.steps)
}

/// Mean cross-entropy over all points.
#[unsafe(no_mangle)]
pub extern "C" fn loss() -> f32 {
    with(|p| p.loss)
}

/// Fraction of the points classified right, 0 to 1.
#[unsafe(no_mangle)]
pub extern "C" fn accuracy() -> f32 {
    with(|p| p.accuracy)
}

/// The number of points.
#[unsafe(no_mangle)]
pub extern "C" fn point_count() -> u32 {
    with(|p| p.points.len() as u32)
}

/// The points as `x, y, class` triples of `f32` (`3 × point_count()` values).
#[unsafe(no_mangle)]
pub extern "C" fn points() -> *const f32 {
    with(|p| p.point_buffer().as_ptr())
}

/// The probability of blue over the grid (`grid_size()²` values, rows from the top).
#[unsafe(no_mangle)]
pub extern "C" fn grid() -> *const f32 {
    with(|p| p.grid().as_ptr())
}

/// Cells per side of [`grid`].
#[unsafe(no_mangle)]
pub extern "C" fn grid_size() -> u32 {
    GRID as u32
}

/// The plane's lower bound on both axes.
#[unsafe(no_mangle)]
pub extern "C" fn plane_low() -> f32 {
    LOW
}

/// The plane's upper bound on both axes.
#[unsafe(no_mangle)]
pub extern "C" fn plane_high() -> f32 {
    HIGH
}

/// Points per update.
#[unsafe(no_mangle)]
pub extern "C" fn batch_size() -> u32 {
    BATCH as u32
}

/// The learning rate the page starts with.
#[unsafe(no_mangle)]
pub extern "C" fn default_learning_rate() -> f32 {
    DEFAULT_LEARNING_RATE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_network_learns_the_tutorial_clusters() {
        let mut p = Playground::new();
        p.train(200);
        assert_eq!(p.accuracy, 1.0, "loss {}", p.loss);
        assert!(p.loss < 0.05, "loss {}", p.loss);
    }

    #[test]
    fn every_network_on_offer_is_built_and_trains() {
        for activation in 0..3 {
            for width in WIDTHS {
                let mut p = Playground::new();
                assert!(p.set_network(activation, width));
                let before = p.loss;
                p.train(20);
                assert!(
                    p.loss < before,
                    "{} at {width}: {before} → {}",
                    ACTIVATIONS[activation as usize],
                    p.loss
                );
            }
        }
        assert!(!Playground::new().set_network(3, 16));
        assert!(!Playground::new().set_network(0, 3));
    }

    #[test]
    fn points_are_added_and_the_grid_covers_the_plane() {
        let mut p = Playground::new();
        p.add_point(0.5, 0.5, 1);
        assert_eq!(p.point_buffer().len(), 3 * 101);
        assert_eq!(&p.point_buffer()[300..], &[0.5, 0.5, 1.0]);
        assert!(p.grid().iter().all(|b| (0.0..=1.0).contains(b)));
        p.reset_points(false);
        p.train(3);
        assert_eq!((p.steps, p.accuracy), (3, 0.0));
    }
}
