//! Backpropagation through the typed graph against central finite differences in f64:
//! random compositions of every operation, a skip connection, a node with several
//! consumers, and a consumer outside the loss's subgraph.
//!
//! The random compositions have a fixed structure (a type) whose operations are drawn at
//! run time: `Unary` and `Binary` below are graph nodes that wrap one of several of
//! ferroflow's nodes and pass every call on to it.

use ferroflow::graph::feed::{MergeReads, ReadsNothing};
use ferroflow::graph::*;
use ferroflow::matrix::from_rows;
use ferroflow::{Matrix, Relu, SeedableRng, SeededRng, Sigmoid, Softmax, Tanh};
use rand::RngExt;

/// How many random compositions are checked.
const COMPOSITIONS: u64 = 300;

/// Asserts that the gradient `compute_gradients` leaves in `variable` matches central
/// finite differences of the loss, element by element (relative error below 1e-6, with a
/// floor of 1e-2 on the denominator so that gradients near zero compare absolutely).
fn assert_gradient<L, const R: usize, const C: usize>(
    what: &str,
    loss: &L,
    variable: &Variable<f64, R, C>,
) where
    // A graph without placeholders, run on the empty feed.
    L: Evaluate<(), f64, 1, 1> + Node<f64, 1, 1, Placeholders = ReadsNothing>,
{
    compute_gradients(loss, &());
    let analytic = variable.gradient();
    let start = variable.value();
    let h = 1e-6;
    for i in 0..R * C {
        let mut plus = start;
        let mut minus = start;
        plus.as_mut_slice()[i] += h;
        minus.as_mut_slice()[i] -= h;
        variable.set(plus);
        let up = Session.run(loss, &())[0];
        variable.set(minus);
        let down = Session.run(loss, &())[0];
        let numeric = (up - down) / (2.0 * h);
        let exact = analytic.as_slice()[i];
        let error = (numeric - exact).abs() / numeric.abs().max(exact.abs()).max(1e-2);
        assert!(
            error < 1e-6,
            "{what}: element {i}: backpropagation gives {exact}, finite differences {numeric}"
        );
    }
    variable.set(start);
}

fn uniform<const R: usize, const C: usize>(
    rng: &mut SeededRng,
    lo: f64,
    hi: f64,
) -> Matrix<f64, R, C> {
    Matrix::from_fn(|_, _| rng.random_range(lo..hi))
}

/// One of six operations on an `R × C` node, chosen at run time.
enum Unary<A, const R: usize, const C: usize> {
    Sigmoid(Activate<Sigmoid, A, f64, R, C>),
    Tanh(Activate<Tanh, A, f64, R, C>),
    Relu(Activate<Relu, A, f64, R, C>),
    Softmax(Activate<Softmax, A, f64, R, C>),
    Negative(Negative<A, f64, R, C>),
    // The logarithm needs positive inputs: log(σ(a)) is defined everywhere.
    LogSigmoid(Log<Activate<Sigmoid, A, f64, R, C>, f64, R, C>),
}

impl<A: Node<f64, R, C>, const R: usize, const C: usize> Unary<A, R, C> {
    fn pick(rng: &mut SeededRng, a: A, names: &mut Vec<&'static str>) -> Self {
        let (node, name) = match rng.random_range(0..6) {
            0 => (Unary::Sigmoid(sigmoid(a)), "sigmoid"),
            1 => (Unary::Tanh(tanh(a)), "tanh"),
            2 => (Unary::Relu(relu(a)), "relu"),
            3 => (Unary::Softmax(softmax(a)), "softmax"),
            4 => (Unary::Negative(negative(a)), "negative"),
            _ => (Unary::LogSigmoid(log(sigmoid(a))), "log∘sigmoid"),
        };
        names.push(name);
        node
    }
}

impl<A: Node<f64, R, C>, const R: usize, const C: usize> Node<f64, R, C> for Unary<A, R, C> {
    // Every variant reads `a` alone.
    type Variables = A::Variables;
    type Placeholders = A::Placeholders;

    fn backward(&self, grad: &Matrix<f64, R, C>, pass: Pass) {
        match self {
            Unary::Sigmoid(n) => n.backward(grad, pass),
            Unary::Tanh(n) => n.backward(grad, pass),
            Unary::Relu(n) => n.backward(grad, pass),
            Unary::Softmax(n) => n.backward(grad, pass),
            Unary::Negative(n) => n.backward(grad, pass),
            Unary::LogSigmoid(n) => n.backward(grad, pass),
        }
    }

    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<f64>, pass: Pass) {
        match self {
            Unary::Sigmoid(n) => n.visit_variables(visitor, pass),
            Unary::Tanh(n) => n.visit_variables(visitor, pass),
            Unary::Relu(n) => n.visit_variables(visitor, pass),
            Unary::Softmax(n) => n.visit_variables(visitor, pass),
            Unary::Negative(n) => n.visit_variables(visitor, pass),
            Unary::LogSigmoid(n) => n.visit_variables(visitor, pass),
        }
    }
}

impl<F, A: Evaluate<F, f64, R, C>, const R: usize, const C: usize> Evaluate<F, f64, R, C>
    for Unary<A, R, C>
{
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<f64, R, C> {
        match self {
            Unary::Sigmoid(n) => n.forward(feed, pass),
            Unary::Tanh(n) => n.forward(feed, pass),
            Unary::Relu(n) => n.forward(feed, pass),
            Unary::Softmax(n) => n.forward(feed, pass),
            Unary::Negative(n) => n.forward(feed, pass),
            Unary::LogSigmoid(n) => n.forward(feed, pass),
        }
    }
}

/// `a + b` or `a ⊙ b`, chosen at run time.
enum Binary<A, B, const R: usize, const C: usize> {
    Add(Add<A, B, f64, R, C>),
    Multiply(Multiply<A, B, f64, R, C>),
}

impl<A: Node<f64, R, C>, B: Node<f64, R, C>, const R: usize, const C: usize> Binary<A, B, R, C> {
    fn pick(rng: &mut SeededRng, a: A, b: B, names: &mut Vec<&'static str>) -> Self {
        if rng.random_range(0..2) == 0 {
            names.push("add");
            Binary::Add(add(a, b))
        } else {
            names.push("multiply");
            Binary::Multiply(multiply(a, b))
        }
    }
}

impl<A: Node<f64, R, C>, B: Node<f64, R, C>, const R: usize, const C: usize> Node<f64, R, C>
    for Binary<A, B, R, C>
where
    A::Placeholders: MergeReads<B::Placeholders, Output: Reads>,
{
    type Variables = (A::Variables, B::Variables);
    type Placeholders = <A::Placeholders as MergeReads<B::Placeholders>>::Output;

    fn backward(&self, grad: &Matrix<f64, R, C>, pass: Pass) {
        match self {
            Binary::Add(n) => n.backward(grad, pass),
            Binary::Multiply(n) => n.backward(grad, pass),
        }
    }

    fn visit_variables(&self, visitor: &mut dyn VariableVisitor<f64>, pass: Pass) {
        match self {
            Binary::Add(n) => n.visit_variables(visitor, pass),
            Binary::Multiply(n) => n.visit_variables(visitor, pass),
        }
    }
}

impl<F, A, B, const R: usize, const C: usize> Evaluate<F, f64, R, C> for Binary<A, B, R, C>
where
    A: Evaluate<F, f64, R, C>,
    B: Evaluate<F, f64, R, C>,
    A::Placeholders: MergeReads<B::Placeholders, Output: Reads>,
{
    fn forward(&self, feed: &F, pass: Pass) -> Matrix<f64, R, C> {
        match self {
            Binary::Add(n) => n.forward(feed, pass),
            Binary::Multiply(n) => n.forward(feed, pass),
        }
    }
}

/// A node shared by two consumers is borrowed by both: `&Unary` is a node too.
macro_rules! shared {
    ($([$($generics:tt)*] $node:ty;)*) => {$(
        impl<'a, $($generics)*> Node<f64, R, C> for &'a $node
        where
            $node: Node<f64, R, C>,
        {
            type Variables = <$node as Node<f64, R, C>>::Variables;
            type Placeholders = <$node as Node<f64, R, C>>::Placeholders;
            fn backward(&self, grad: &Matrix<f64, R, C>, pass: Pass) {
                (**self).backward(grad, pass)
            }
            fn visit_variables(&self, visitor: &mut dyn VariableVisitor<f64>, pass: Pass) {
                (**self).visit_variables(visitor, pass)
            }
        }

        impl<'a, F, $($generics)*> Evaluate<F, f64, R, C> for &'a $node
        where
            $node: Evaluate<F, f64, R, C>,
        {
            fn forward(&self, feed: &F, pass: Pass) -> Matrix<f64, R, C> {
                (**self).forward(feed, pass)
            }
        }
    )*};
}

shared! {
    [A, const R: usize, const C: usize] Unary<A, R, C>;
    [A, B, const R: usize, const C: usize] Binary<A, B, R, C>;
}

/// A composition of every operation, drawn at random, in which the variables `x` and `w`
/// and the interior node `h1` each have two consumers:
///
/// ```text
/// u0   = U(x)                                   3×4
/// h1   = U(matmul(u0, w) + b)                   3×2   (b broadcast over the rows)
/// h2   = B(h1, U(matmul(x, v)))                 3×2
/// h3   = B(U(h1), h2)                           3×2
/// loss = Σ U(Σ_axis1 h3) ⊙ c1 + Σ (Σ_axis0 h2) ⊙ c2 + Σ w ⊙ w
/// ```
#[test]
fn random_compositions_match_finite_differences() {
    for seed in 0..COMPOSITIONS {
        let mut rng = SeededRng::seed_from_u64(seed);
        let x = Variable::new(uniform::<3, 4>(&mut rng, -2.0, 2.0));
        let w = Variable::new(uniform::<4, 2>(&mut rng, -1.0, 1.0));
        let v = Variable::new(uniform::<4, 2>(&mut rng, -1.0, 1.0));
        let b = Bias::new(uniform::<1, 2>(&mut rng, -1.0, 1.0));
        let c1 = Constant::new(uniform::<3, 1>(&mut rng, -1.0, 1.0));
        let c2 = Constant::new(uniform::<1, 2>(&mut rng, -1.0, 1.0));

        let mut ops = Vec::new();
        let u0 = Unary::pick(&mut rng, &x, &mut ops);
        let h1 = Unary::pick(&mut rng, matmul(&u0, &w) + &b, &mut ops);
        let right = Unary::pick(&mut rng, matmul(&x, &v), &mut ops);
        let h2 = Binary::pick(&mut rng, &h1, right, &mut ops);
        let left = Unary::pick(&mut rng, &h1, &mut ops);
        let h3 = Binary::pick(&mut rng, left, &h2, &mut ops);
        let rows = Unary::pick(&mut rng, reduce_sum_axis(&h3, Axis::<1>), &mut ops);
        let loss = reduce_sum(multiply(rows, c1))
            + reduce_sum(multiply(reduce_sum_axis(&h2, Axis::<0>), c2))
            + reduce_sum(multiply(&w, &w));

        let what = format!("seed {seed}, operations {ops:?}");
        assert_gradient(&format!("{what}: x"), &loss, &x);
        assert_gradient(&format!("{what}: w"), &loss, &w);
        assert_gradient(&format!("{what}: v"), &loss, &v);
        assert_gradient(&format!("{what}: b"), &loss, b.as_variable());
    }
}

#[test]
fn skip_connection_sums_both_paths() {
    // reduce_sum(x + sigmoid(x)): x reaches the sum directly and through the sigmoid, so
    // ∂/∂x = 1 + σ(x)(1 − σ(x)). The tutorial's breadth-first backpropagation fails here.
    let x = Variable::new(from_rows([[-2.0, -0.5, 0.0], [0.3, 1.0, 4.0]]));
    let loss = reduce_sum(&x + sigmoid(&x));
    compute_gradients(&loss, &());
    let expected = x.value().map(|v: f64| {
        let s = 1.0 / (1.0 + (-v).exp());
        1.0 + s * (1.0 - s)
    });
    assert!((x.gradient() - expected).abs().max() < 1e-15, "{} vs {expected}", x.gradient());
    assert_gradient("skip connection", &loss, &x);
}

#[test]
fn interior_node_with_several_consumers_gets_their_sum() {
    // h = tanh(x w) feeds three consumers: both factors of h ⊙ h and a sigmoid. The loss
    // Σ (h ⊙ h + σ(h)) has ∂/∂h = 2h + σ'(h), which reaches x and w through tanh and matmul.
    let x = Variable::new(from_rows([[0.5, -1.0, 2.0], [1.5, 0.2, -0.7]]));
    let w = Variable::new(from_rows([[0.3, -0.2], [0.1, 0.4], [-0.5, 0.25]]));
    let h = tanh(matmul(&x, &w));
    let loss = reduce_sum(multiply(&h, &h) + sigmoid(&h));
    compute_gradients(&loss, &());

    // The same chain rule written out with nalgebra.
    let (xv, wv) = (x.value(), w.value());
    let hv = (xv * wv).map(f64::tanh);
    let grad_h = hv.map(|h| {
        let s = 1.0 / (1.0 + (-h).exp());
        2.0 * h + s * (1.0 - s)
    });
    let grad_z = grad_h.zip_map(&hv, |g, h| g * (1.0 - h * h));
    assert!((x.gradient() - grad_z * wv.transpose()).abs().max() < 1e-14);
    assert!((w.gradient() - xv.transpose() * grad_z).abs().max() < 1e-14);
    assert_gradient("shared h, x", &loss, &x);
    assert_gradient("shared h, w", &loss, &w);
}

#[test]
fn consumers_outside_the_loss_change_nothing() {
    // w also feeds `other`, which the loss does not use. The tutorial's backpropagation
    // walks every consumer of a node and fails on such a one; here it is never visited.
    let x = Placeholder::<f64, 2, 2, 0>::new();
    let w = Variable::new(from_rows([[1.0, -1.0], [0.5, 2.0]]));
    let u = Variable::new(from_rows([[3.0, 3.0], [3.0, 3.0]]));
    let other = reduce_sum(multiply(sigmoid(&w), &u));
    let loss = reduce_sum(sigmoid(matmul(x, &w)));
    let feed = from_rows([[1.0, 2.0], [-1.0, 0.5]]);

    let alone = Variable::new(w.value());
    let loss_alone = reduce_sum(sigmoid(matmul(x, &alone)));
    compute_gradients(&loss_alone, &feed);

    assert!(Session.run(&other, &()).iter().all(|v| v.is_finite()));
    compute_gradients(&other, &());
    let other_gradient = u.gradient();
    compute_gradients(&loss, &feed);
    assert_eq!(w.gradient(), alone.gradient());
    // The loss's backward pass did not touch u, which only `other` uses.
    assert_eq!(u.gradient(), other_gradient);

    let mut minimization = ferroflow::GradientDescent::new(0.1).minimize(&loss);
    minimization.step(&feed);
    assert_eq!(u.value(), from_rows([[3.0, 3.0], [3.0, 3.0]]));
    assert_ne!(w.value(), alone.value());
}
