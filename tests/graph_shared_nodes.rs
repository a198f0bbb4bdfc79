//! A node read by several consumers is computed once per run and once per gradient pass.
//!
//! The graph is a stack of 30 residual blocks `h + sigmoid(h W + b)`: each block reads its
//! input twice, so evaluating every read anew would cost 2³⁰ evaluations of the first
//! block. A `Probe` around each block's output counts the calls that reach it, forward and
//! backward; with each node computed once, a block's output is asked for by its two
//! consumers once each, and sent a gradient by each once. Each block's output is read
//! through a `share` handle, without which the stack's type would double with each block.

use ferroflow::graph::*;
use ferroflow::{GradientDescent, Matrix};
use std::cell::Cell;

/// The stack's depth.
const DEPTH: usize = 30;
/// The width of every block; the batch has 2 rows.
const W: usize = 3;

/// Passes every call on to the node it wraps, counting the forward and backward calls.
struct Probe<N> {
    node: N,
    forward: Cell<usize>,
    backward: Cell<usize>,
}

impl<N> Probe<N> {
    fn new(node: N) -> Self {
        Self { node, forward: Cell::new(0), backward: Cell::new(0) }
    }
}

/// A probe of any node: the forward and backward calls it received since last asked.
trait Counts {
    fn counts(&self) -> (usize, usize);
}

impl<N> Counts for Probe<N> {
    fn counts(&self) -> (usize, usize) {
        (self.forward.replace(0), self.backward.replace(0))
    }
}

impl<N: Node<f64, 2, W>> Node<f64, 2, W> for Probe<N> {
    type Variables = N::Variables;
    type Placeholders = N::Placeholders;

    fn backward(&self, grad: &Matrix<f64, 2, W>, pass: Pass) {
        self.backward.set(self.backward.get() + 1);
        self.node.backward(grad, pass)
    }

    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<f64>, pass: Pass) {
        self.node.visit_variables(visitor, pass)
    }
}

impl<F, N: Evaluate<F, f64, 2, W>> Evaluate<F, f64, 2, W> for Probe<N> {
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<f64, 2, W> {
        self.forward.set(self.forward.get() + 1);
        self.node.forward(feed, pass)
    }
}

impl<N: Node<f64, 2, W>> Node<f64, 2, W> for &Probe<N> {
    type Variables = N::Variables;
    type Placeholders = N::Placeholders;

    fn backward(&self, grad: &Matrix<f64, 2, W>, pass: Pass) {
        (**self).backward(grad, pass)
    }

    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<f64>, pass: Pass) {
        (**self).visit_variables(visitor, pass)
    }
}

impl<F, N: Evaluate<F, f64, 2, W>> Evaluate<F, f64, 2, W> for &Probe<N> {
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<f64, 2, W> {
        (**self).forward(feed, pass)
    }
}

/// Block `k`'s weights: small and distinct, so that every block changes its input.
fn weights(k: usize) -> (Variable<f64, W, W>, Bias<f64, W>) {
    let w = Matrix::from_fn(|i, j| 0.1 * ((i * W + j + k) % 5) as f64 - 0.2);
    let b = Matrix::from_fn(|_, j| 0.05 * (j + k % 3) as f64);
    (Variable::new(w), Bias::new(b))
}

/// Builds the stack on `$h`, binds the blocks' weights and probes to the names given, and
/// runs `$then` with the last probe in scope.
macro_rules! stack {
    ($h:expr; [$($w:ident $b:ident $p:ident $k:expr),*]; $last:ident => $then:block) => {
        stack!(@block $h; [$($w $b $p $k),*]; [] ; $last => $then)
    };
    (@block $h:expr; [$w:ident $b:ident $p:ident $k:expr $(, $rw:ident $rb:ident $rp:ident $rk:expr)*]; [$($probes:ident)*]; $last:ident => $then:block) => {{
        let ($w, $b) = weights($k);
        let h = share(&$h);
        let $p = Probe::new(h + sigmoid(matmul(h, &$w) + &$b));
        stack!(@block $p; [$($rw $rb $rp $rk),*]; [$($probes)* $p]; $last => $then)
    }};
    (@block $h:expr; []; [$($probes:ident)*]; $last:ident => $then:block) => {{
        let $last: [&dyn Counts; DEPTH] = [$(&$probes),*];
        $then
    }};
}

fn main_input() -> Constant<f64, 2, W> {
    Constant::new(Matrix::from_fn(|i, j| (i as f64 - 0.5) * (j as f64 + 1.0)))
}

/// The forward and backward calls each block's output received, first block first.
fn read(probes: &[&dyn Counts]) -> Vec<(usize, usize)> {
    probes.iter().map(|probe| probe.counts()).collect()
}

/// Every block but the last is read by the next block twice; the last by the loss once.
fn once_per_consumer(calls: &[(usize, usize)], backward: bool) {
    assert_eq!(calls.len(), DEPTH);
    for (k, &(forward, back)) in calls.iter().enumerate() {
        let consumers = if k + 1 == DEPTH { 1 } else { 2 };
        assert_eq!(forward, consumers, "block {k} was asked for its value {forward} times");
        let expected = if backward { consumers } else { 0 };
        assert_eq!(back, expected, "block {k} received {back} gradients");
    }
}

#[test]
fn a_stack_of_thirty_residual_blocks_costs_linear_evaluations() {
    let x = main_input();
    stack!(x; [
        w0 b0 p0 0, w1 b1 p1 1, w2 b2 p2 2, w3 b3 p3 3, w4 b4 p4 4, w5 b5 p5 5, w6 b6 p6 6,
        w7 b7 p7 7, w8 b8 p8 8, w9 b9 p9 9, w10 b10 p10 10, w11 b11 p11 11, w12 b12 p12 12,
        w13 b13 p13 13, w14 b14 p14 14, w15 b15 p15 15, w16 b16 p16 16, w17 b17 p17 17,
        w18 b18 p18 18, w19 b19 p19 19, w20 b20 p20 20, w21 b21 p21 21, w22 b22 p22 22,
        w23 b23 p23 23, w24 b24 p24 24, w25 b25 p25 25, w26 b26 p26 26, w27 b27 p27 27,
        w28 b28 p28 28, w29 b29 p29 29
    ]; probes => {
        // The loss reads the last block once: the sum of its outputs.
        let ones = Constant::new(Matrix::from_fn(|_, _| 1.0));
        let loss = reduce_sum(multiply(&p29, ones));

        let value = Session.run(&loss, &())[0];
        once_per_consumer(&read(&probes), false);

        // A second run is a new pass: everything is computed again, once.
        assert_eq!(Session.run(&loss, &())[0], value);
        once_per_consumer(&read(&probes), false);

        let gradient_value = compute_gradients(&loss, &());
        assert_eq!(gradient_value, value);
        once_per_consumer(&read(&probes), true);
        // The first block's weights got a gradient through all 30 blocks.
        assert!(w0.gradient().iter().any(|g| *g != 0.0));

        let mut minimization = GradientDescent::new(0.1).minimize(&loss);
        let before = minimization.step(&());
        once_per_consumer(&read(&probes), true);
        let after = Session.run(&loss, &())[0];
        assert!(after < before, "a step of gradient descent lowers the loss: {before} → {after}");
        read(&probes);
    });
}
