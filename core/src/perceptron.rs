//! The perceptron: a fully connected layer `a = activation(x W + b)`, with its backward
//! pass and initialisers.

use crate::kernels::isa::{Arithmetic, AsBuilt};
use crate::ops::{matmul_transpose_a, matmul_transpose_b, reduce_sum_axis0};
use crate::optim::{Optimizer, ParamName, Parameters, PerParameter};
use crate::{Activation, Element, Matrix, RowVector};
use core::marker::PhantomData;

/// A layer of `O` perceptrons, each reading the same `I` inputs:
/// `a = activation(x W + b)` for a batch `x: Matrix<T, B, I>`.
///
/// ```
/// use ferroflow_core::{Perceptron, Sigmoid, Matrix};
/// // The tutorial's sigmoid perceptron: w = (1, 1), b = 0, on the point (3, 2).
/// let p = Perceptron::<f64, 2, 1, Sigmoid>::from_arrays([[1.0, 1.0]], [0.0]);
/// let a = p.forward(&Matrix::<f64, 1, 2>::new(3.0, 2.0));
/// assert!((a[0] - 0.993307149076).abs() < 1e-12);
/// ```
///
/// With the `alloc` feature a layer is aligned to 64 bytes, a cache line, and its weights
/// come first: each column of a large boxed layer starts on a line whenever its length is
/// a multiple of 16 `f32`.
#[derive(Clone, Copy, Debug, PartialEq)]
// With a heap, the weights start on a 64-byte boundary, a cache line (and an AVX-512
// vector): `Box` gives a large layer the type's alignment, and the allocator's own is 16.
// Off by 16 bytes, every vector load of a column of 16 `f32` straddled two cache lines,
// which slowed one-sample inference through a 784 → 128 layer by a fifth (BENCHMARKS.md,
// "Large layers on a cache line"). Without a heap (microcontrollers) layers keep their
// natural alignment and size.
#[cfg_attr(feature = "alloc", repr(C, align(64)))]
pub struct Perceptron<T: Element, const I: usize, const O: usize, A: Activation> {
    /// The weights `W`: column `o` holds the `I` input weights of unit `o`.
    pub weights: Matrix<T, I, O>,
    /// The bias `b`, one value per unit.
    pub bias: RowVector<T, O>,
    activation: PhantomData<A>,
}

/// The gradients of a [`Perceptron`]'s parameters: the same shapes as the parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PerceptronGradients<T: Element, const I: usize, const O: usize> {
    /// The gradient with respect to the weights.
    pub weights: Matrix<T, I, O>,
    /// The gradient with respect to the bias.
    pub bias: RowVector<T, O>,
}

impl<T: Element, const I: usize, const O: usize> PerceptronGradients<T, I, O> {
    /// Gradients of zero, a starting point for accumulating.
    pub const fn zeros() -> Self {
        Self { weights: crate::matrix::zeros(), bias: crate::matrix::zeros() }
    }

    /// These gradients, where networks keep large layers: on the heap with `alloc`, inline
    /// without.
    pub fn boxed(self) -> Boxed<Self> {
        #[cfg(feature = "alloc")]
        {
            alloc::boxed::Box::new(self)
        }
        #[cfg(not(feature = "alloc"))]
        {
            self
        }
    }

    /// [`zeros`](Self::zeros), made where networks keep large layers ([`Boxed`]): on the
    /// heap with `alloc`, from a compile-time constant, so no chain of constructor frames
    /// holds the zeros on the stack (in a debug build each would).
    pub fn boxed_zeros() -> Boxed<Self> {
        #[cfg(feature = "alloc")]
        {
            alloc::boxed::Box::new(const { Self::zeros() })
        }
        #[cfg(not(feature = "alloc"))]
        {
            Self::zeros()
        }
    }
}

/// The weights' values first (column by column, PyTorch's `[out][in]` order), then the
/// bias's: the order of [`Parameters::for_each_param`].
impl<T: Element, const I: usize, const O: usize> PerParameter<T> for PerceptronGradients<T, I, O> {
    const LEN: usize = I * O + O;

    fn zeros() -> Self {
        Self::zeros()
    }

    #[inline]
    fn run_mut(&mut self, offset: usize, len: usize) -> Option<&mut [T]> {
        match offset.checked_sub(I * O) {
            None => self.weights.run_mut(offset, len),
            Some(offset) => self.bias.run_mut(offset, len),
        }
    }

    fn for_each_tensor(&self, f: &mut impl FnMut(&[T])) {
        f(self.weights.as_slice());
        f(self.bias.as_slice());
    }

    fn for_each_tensor_mut(&mut self, f: &mut impl FnMut(&mut [T])) {
        f(self.weights.as_mut_slice());
        f(self.bias.as_mut_slice());
    }
}

impl<T: Element, const I: usize, const O: usize, A: Activation> Perceptron<T, I, O, A> {
    /// The number of inputs each unit reads.
    pub const INPUTS: usize = I;
    /// The number of units (outputs).
    pub const OUTPUTS: usize = O;

    const WEIGHT_NAME: ParamName<'static> =
        ParamName { layer: "", tensor: "weight", shape: &[O, I] };
    const BIAS_NAME: ParamName<'static> = ParamName { layer: "", tensor: "bias", shape: &[O] };

    /// A perceptron with the given weights and bias.
    pub const fn new(weights: Matrix<T, I, O>, bias: RowVector<T, O>) -> Self {
        Self { weights, bias, activation: PhantomData }
    }

    /// A perceptron from plain arrays, in a `const` context if need be (so trained weights
    /// can live in flash). `weights[o]` holds the `I` input weights of unit `o`: PyTorch's
    /// `nn.Linear` layout, `[out][in]`.
    pub const fn from_arrays(weights: [[T; I]; O], bias: [T; O]) -> Self {
        Self::new(crate::matrix::from_columns(weights), crate::matrix::row(bias))
    }

    /// A perceptron whose weights and bias are all zero.
    pub const fn zeros() -> Self {
        Self::new(crate::matrix::zeros(), crate::matrix::zeros())
    }

    /// A perceptron with weights drawn by the initialiser that suits its activation
    /// ([`Activation::INIT`]) and zero bias.
    #[cfg(feature = "rand")]
    pub fn random<R: rand::Rng + ?Sized>(rng: &mut R) -> Self {
        Self::new(A::INIT.weights(rng), crate::matrix::zeros())
    }

    /// The pre-activation `z = x W + b` of a batch.
    #[inline]
    pub fn pre_activation<const B: usize>(&self, x: &Matrix<T, B, I>) -> Matrix<T, B, O> {
        // One pass: the product's accumulators start from (or end with) the bias.
        let mut z = crate::matrix::zeros::<T, B, O>();
        crate::kernels::matmul::affine(
            &x.data.0,
            &self.weights.data.0,
            &self.bias.data.0,
            &mut z.data.0,
        );
        z
    }

    /// The output `a = activation(x W + b)` of a batch.
    #[inline]
    pub fn forward<const B: usize>(&self, x: &Matrix<T, B, I>) -> Matrix<T, B, O> {
        A::forward(&self.pre_activation(x))
    }

    /// [`forward`](Self::forward) written into `out`: what a network's passes call, so no
    /// batch-sized matrix is returned on the stack.
    #[inline]
    pub fn forward_into<const B: usize>(&self, x: &Matrix<T, B, I>, out: &mut Matrix<T, B, O>) {
        self.__forward_into_as::<AsBuilt, B>(x, out);
    }

    /// [`forward_into`](Self::forward_into) in a network's pass of arithmetic `M`
    /// (`kernels::isa::Arithmetic`): a small layer's loops take the pass's. For the code
    /// `network!` generates, which inlines it into the pass (so it is `inline(always)`:
    /// compiled on its own, for the build's target, a fused multiply-add is a library call).
    #[doc(hidden)]
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn __forward_into_as<M: Arithmetic, const B: usize>(
        &self,
        x: &Matrix<T, B, I>,
        out: &mut Matrix<T, B, O>,
    ) {
        crate::kernels::matmul::affine_as::<M, T, B, I, O>(
            &x.data.0,
            &self.weights.data.0,
            &self.bias.data.0,
            &mut out.data.0,
        );
        A::__forward_in_place_as::<M, T, B, O>(out);
    }

    /// [`pre_activation_gradient`](Self::pre_activation_gradient) in place: `grad`, the
    /// gradient with respect to the output `a`, becomes the one with respect to `z`.
    #[inline]
    pub fn pre_activation_gradient_in_place<const B: usize>(
        &self,
        a: &Matrix<T, B, O>,
        grad: &mut Matrix<T, B, O>,
    ) {
        A::backward_in_place(a, grad);
    }

    /// [`input_gradient`](Self::input_gradient) added into `out`: the gradient of the
    /// layer's input, to which every reader of that input adds its share.
    #[inline]
    pub fn add_input_gradient<const B: usize>(
        &self,
        grad_z: &Matrix<T, B, O>,
        out: &mut Matrix<T, B, I>,
    ) {
        crate::ops::matmul::add_matmul_transpose_b(grad_z, &self.weights, out);
    }

    /// The gradient with respect to the pre-activation `z`, given this layer's output `a`
    /// and the gradient with respect to `a`.
    #[inline]
    pub fn pre_activation_gradient<const B: usize>(
        &self,
        a: &Matrix<T, B, O>,
        grad_a: &Matrix<T, B, O>,
    ) -> Matrix<T, B, O> {
        A::backward(a, grad_a)
    }

    /// The parameter gradients, given the layer's input `x` and the gradient with respect to
    /// its pre-activation: `∂W = xᵀ ∂z`, `∂b = Σ_batch ∂z`.
    #[inline]
    pub fn parameter_gradients<const B: usize>(
        &self,
        x: &Matrix<T, B, I>,
        grad_z: &Matrix<T, B, O>,
    ) -> PerceptronGradients<T, I, O> {
        PerceptronGradients {
            weights: matmul_transpose_a(x, grad_z),
            bias: reduce_sum_axis0(grad_z),
        }
    }

    /// The gradient with respect to the layer's input, `∂x = ∂z Wᵀ`: what the layer below
    /// receives. The first layer of a network skips it.
    #[inline]
    pub fn input_gradient<const B: usize>(&self, grad_z: &Matrix<T, B, O>) -> Matrix<T, B, I> {
        matmul_transpose_b(grad_z, &self.weights)
    }

    /// The whole backward pass: from the input `x`, the output `a = forward(x)` and the
    /// gradient with respect to `a`, the parameter gradients and the input gradient.
    pub fn backward<const B: usize>(
        &self,
        x: &Matrix<T, B, I>,
        a: &Matrix<T, B, O>,
        grad_a: &Matrix<T, B, O>,
    ) -> (PerceptronGradients<T, I, O>, Matrix<T, B, I>) {
        let grad_z = self.pre_activation_gradient(a, grad_a);
        (self.parameter_gradients(x, &grad_z), self.input_gradient(&grad_z))
    }

    /// One optimizer update of this layer's parameters from a batch, without storing the
    /// gradients: `∂W = xᵀ ∂z` is summed a few units at a time and handed to `optimizer`
    /// straight away, then `∂b = Σ_batch ∂z`. Parameters sit at `offset..offset +
    /// PARAM_COUNT` of the model, as [`Parameters::apply_gradients_at`] places them, so the
    /// result is the same as `apply_gradients_at(&parameter_gradients(x, grad_z), ..)` for
    /// any optimizer that updates each scalar from its own gradient (all of ferroflow's).
    /// The caller calls [`Optimizer::begin_step`] once per step, and takes the input
    /// gradient for the layer below from the weights *before* this update.
    ///
    /// This is what a network's `train_step` does per layer: a 784 → 128 layer's gradient
    /// would otherwise be another 400 kB value on the stack.
    ///
    /// With the `parallel` feature, a large layer (see `kernels::parallel`) updates half of
    /// its units on the other core, if the optimizer can be split
    /// ([`Optimizer::split_at`]).
    #[inline]
    pub fn train_update<const B: usize, Opt: Optimizer<T>>(
        &mut self,
        x: &Matrix<T, B, I>,
        grad_z: &Matrix<T, B, O>,
        optimizer: &mut Opt,
        offset: usize,
    ) {
        #[cfg(feature = "parallel")]
        crate::kernels::isa::with_isa!(S => {
            if let Some(middle) = crate::kernels::parallel::cut::<S>(B * I * O, O)
                && self.train_update_split::<S, B, Opt>(x, grad_z, optimizer, offset, middle)
            {
                return;
            }
        });
        crate::kernels::update::weights_from_outer_product(
            &mut self.weights.data.0,
            &x.data.0,
            &grad_z.data.0,
            &mut |at, params, grads| optimizer.update(offset + at, params, grads),
        );
        let bias_gradient = reduce_sum_axis0(grad_z);
        optimizer.update(offset + I * O, self.bias.as_mut_slice(), bias_gradient.as_slice());
    }

    /// [`train_update`](Self::train_update) with the units from `middle` on (where the split
    /// rule, `kernels::parallel::cut`, cut them) on the other core, if the optimizer can be
    /// split; returns whether it could.
    #[cfg(feature = "parallel")]
    #[inline(always)]
    fn train_update_split<S: crate::kernels::isa::Isa, const B: usize, Opt: Optimizer<T>>(
        &mut self,
        x: &Matrix<T, B, I>,
        grad_z: &Matrix<T, B, O>,
        optimizer: &mut Opt,
        offset: usize,
        middle: usize,
    ) -> bool {
        {
            use crate::kernels::update::columns_from_outer_product;
            let second_offset = offset + middle * I;
            let (w_first, w_second) = self.weights.data.0.split_at_mut(middle);
            let (g_first, g_second) = grad_z.data.0.split_at(middle);
            let x = &x.data.0;
            let (mut w_first, mut w_second) = (Some(w_first), Some(w_second));
            let split = optimizer.split_at(offset, I * O, second_offset, &mut |first, second| {
                // `split_at` calls this once: the weights' halves move into the two jobs.
                let (Some(w_first), Some(w_second)) = (w_first.take(), w_second.take()) else {
                    return;
                };
                crate::kernels::parallel::join(
                    || {
                        columns_from_outer_product::<S, T, B, I>(
                            w_first,
                            x,
                            g_first,
                            &mut |at, p, g| first.update(offset + at, p, g),
                        )
                    },
                    || {
                        columns_from_outer_product::<S, T, B, I>(
                            w_second,
                            x,
                            g_second,
                            &mut |at, p, g| second.update(second_offset + at, p, g),
                        )
                    },
                );
            });
            if split {
                let bias_gradient = reduce_sum_axis0(grad_z);
                optimizer.update(
                    offset + I * O,
                    self.bias.as_mut_slice(),
                    bias_gradient.as_slice(),
                );
            }
            split
        }
    }

    /// This layer, where networks keep large layers: on the heap with `alloc`, inline
    /// without.
    pub fn boxed(self) -> Boxed<Self> {
        #[cfg(feature = "alloc")]
        {
            alloc::boxed::Box::new(self)
        }
        #[cfg(not(feature = "alloc"))]
        {
            self
        }
    }

    /// [`zeros`](Self::zeros), made where networks keep large layers ([`Boxed`]). With
    /// `alloc` the zeros are a compile-time constant copied once, so no chain of
    /// constructor frames holds the layer on the stack (in a debug build each would).
    pub fn boxed_zeros() -> Boxed<Self> {
        #[cfg(feature = "alloc")]
        {
            alloc::boxed::Box::new(const { Self::zeros() })
        }
        #[cfg(not(feature = "alloc"))]
        {
            Self::zeros()
        }
    }

    /// [`random`](Self::random), made where networks keep large layers ([`Boxed`]): the
    /// same weights from the same RNG state, drawn in place.
    #[cfg(feature = "rand")]
    pub fn boxed_random<R: rand::Rng + ?Sized>(rng: &mut R) -> Boxed<Self> {
        let mut layer = Self::boxed_zeros();
        let limit = A::INIT.limit(I, O);
        // The order of `Init::weights`: column by column.
        for v in layer.weights.as_mut_slice() {
            *v = T::from_f64(crate::init::uniform(rng, -limit, limit));
        }
        layer
    }
}

/// Where a network keeps a layer too large for the stack: `Box<P>` when the `alloc`
/// feature is on, `P` itself without it (a microcontroller has no heap, and its layers are
/// small). `network!` stores a layer this way when it has at least [`LARGE_LAYER`]
/// weights, or a generic width (it may be that large); a layer whose widths are named
/// constants stays inline, since the macro cannot measure it. Field access and method
/// calls look the same either way, and the network's gradients (so an optimizer's state)
/// are stored as its layers are.
#[cfg(feature = "alloc")]
pub type Boxed<P> = alloc::boxed::Box<P>;
/// Where a network keeps a layer too large for the stack: `Box<P>` when the `alloc`
/// feature is on, `P` itself without it (a microcontroller has no heap, and its layers are
/// small). `network!` stores a layer this way when it has at least [`LARGE_LAYER`]
/// weights, or a generic width (it may be that large); a layer whose widths are named
/// constants stays inline, since the macro cannot measure it. Field access and method
/// calls look the same either way, and the network's gradients (so an optimizer's state)
/// are stored as its layers are.
#[cfg(not(feature = "alloc"))]
pub type Boxed<P> = P;

/// The value in [`Boxed`] storage, with or without `alloc`: code generated for either must
/// not write `*` (a `P` without `alloc` cannot be dereferenced) and names this instead.
#[doc(hidden)]
#[inline(always)]
pub fn unbox<P>(stored: &Boxed<P>) -> &P {
    stored
}

/// [`unbox`], mutably.
#[doc(hidden)]
#[inline(always)]
pub fn unbox_mut<P>(stored: &mut Boxed<P>) -> &mut P {
    stored
}

/// The number of weights from which `network!` keeps a layer in [`Boxed`] storage: 16 Ki
/// (64 kB in `f32`). Below it, layers stay inline and the network's constructors stay
/// `const`.
pub const LARGE_LAYER: usize = 16 * 1024;

impl<T: Element, const I: usize, const O: usize, A: Activation> Parameters<T>
    for Perceptron<T, I, O, A>
{
    type Gradients = PerceptronGradients<T, I, O>;

    fn for_each_param(&self, f: &mut impl FnMut(ParamName<'_>, &[T])) {
        f(Self::WEIGHT_NAME, self.weights.as_slice());
        f(Self::BIAS_NAME, self.bias.as_slice());
    }

    fn for_each_param_mut(&mut self, f: &mut impl FnMut(ParamName<'_>, &mut [T])) {
        f(Self::WEIGHT_NAME, self.weights.as_mut_slice());
        f(Self::BIAS_NAME, self.bias.as_mut_slice());
    }

    fn apply_gradients_at<Opt: Optimizer<T>>(
        &mut self,
        gradients: &Self::Gradients,
        optimizer: &mut Opt,
        offset: usize,
    ) {
        optimizer.update(offset, self.weights.as_mut_slice(), gradients.weights.as_slice());
        optimizer.update(offset + I * O, self.bias.as_mut_slice(), gradients.bias.as_slice());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loss::{CrossEntropy, Loss};
    use crate::matrix::from_rows;
    use crate::optim::GradientDescent;
    use crate::testing::*;
    use crate::{Relu, Sigmoid, Softmax, Tanh};

    /// A large layer's weights start on a cache line wherever the heap puts it (the
    /// allocator alone gives 16 bytes: large blocks come from `mmap` behind a 16-byte
    /// header), so whole-vector loads of its columns never straddle two lines.
    #[cfg(feature = "std")]
    #[test]
    fn boxed_layers_start_on_a_cache_line() {
        let start = |w: &[f32]| w.as_ptr() as usize % 64;
        let layers: Vec<_> =
            (0..4).map(|_| Perceptron::<f32, 784, 128, Sigmoid>::boxed_zeros()).collect();
        for layer in &layers {
            assert_eq!(start(layer.weights.as_slice()), 0);
        }
        let small: Vec<_> =
            (0..4).map(|_| Perceptron::<f32, 3, 5, Sigmoid>::zeros().boxed()).collect();
        for layer in &small {
            assert_eq!(start(layer.weights.as_slice()), 0);
        }
    }

    fn check_backward<A: Activation>(name: &str) {
        for seed in 0..CASES {
            let mut rng = rng(seed);
            let layer = Perceptron::<f64, 3, 4, A>::new(
                uniform(&mut rng, -1.0, 1.0),
                uniform(&mut rng, -1.0, 1.0),
            );
            let x = uniform::<5, 3>(&mut rng, -2.0, 2.0);
            let w = uniform::<5, 4>(&mut rng, -1.0, 1.0);
            let a = layer.forward(&x);
            let (grads, grad_x) = layer.backward(&x, &a, &w);
            assert_gradient(name, &x, &grad_x, |x| weighted_sum(&w, &layer.forward(x)));
            assert_gradient(name, &layer.weights, &grads.weights, |weights| {
                weighted_sum(&w, &Perceptron::<f64, 3, 4, A>::new(*weights, layer.bias).forward(&x))
            });
            assert_gradient(name, &layer.bias, &grads.bias, |bias| {
                weighted_sum(&w, &Perceptron::<f64, 3, 4, A>::new(layer.weights, *bias).forward(&x))
            });
        }
    }

    #[test]
    fn backward_matches_finite_differences_for_every_activation() {
        check_backward::<Sigmoid>("perceptron/sigmoid");
        check_backward::<Tanh>("perceptron/tanh");
        check_backward::<Softmax>("perceptron/softmax");
        check_backward::<crate::Identity>("perceptron/identity");
    }

    #[test]
    fn relu_backward_matches_finite_differences() {
        // Inputs whose pre-activations all sit away from ReLU's kink.
        let layer =
            Perceptron::<f64, 2, 2, Relu>::from_arrays([[1.0, -0.5], [-1.0, 2.0]], [0.1, -0.2]);
        let x: Matrix<f64, 2, 2> = from_rows([[1.0, 0.5], [-1.0, 0.75]]);
        let w: Matrix<f64, 2, 2> = from_rows([[0.3, -0.7], [0.9, 0.2]]);
        let (grads, grad_x) = layer.backward(&x, &layer.forward(&x), &w);
        assert_gradient("perceptron/relu x", &x, &grad_x, |x| weighted_sum(&w, &layer.forward(x)));
        assert_gradient("perceptron/relu W", &layer.weights, &grads.weights, |weights| {
            weighted_sum(&w, &Perceptron::<f64, 2, 2, Relu>::new(*weights, layer.bias).forward(&x))
        });
        assert_gradient("perceptron/relu b", &layer.bias, &grads.bias, |bias| {
            weighted_sum(&w, &Perceptron::<f64, 2, 2, Relu>::new(layer.weights, *bias).forward(&x))
        });
    }

    #[test]
    fn from_arrays_uses_pytorch_layout() {
        // Unit 0 reads (1, 2), unit 1 reads (3, 4).
        let p = Perceptron::<f64, 2, 2, crate::Identity>::from_arrays(
            [[1.0, 2.0], [3.0, 4.0]],
            [0.5, -0.5],
        );
        let y = p.forward(&from_rows([[1.0, 1.0]]));
        assert_eq!(y, from_rows([[3.5, 6.5]]));
        let mut seen = [0.0; 6];
        let mut n = 0;
        p.for_each_param(&mut |_, v| {
            seen[n..n + v.len()].copy_from_slice(v);
            n += v.len();
        });
        assert_eq!(seen, [1.0, 2.0, 3.0, 4.0, 0.5, -0.5]);
        assert_eq!(<Perceptron<f64, 2, 2, crate::Identity> as Parameters<f64>>::PARAM_COUNT, 6);
    }

    #[test]
    fn one_gradient_descent_step_lowers_the_loss_by_the_predicted_amount() {
        let mut rng = rng(3);
        let mut layer = Perceptron::<f64, 2, 2, Softmax>::random(&mut rng);
        let x: Matrix<f64, 4, 2> = from_rows([[-2.0, -1.5], [-1.0, -2.5], [2.0, 1.5], [1.5, 2.5]]);
        let y: Matrix<f64, 4, 2> = from_rows([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]);
        let (before, grad_z) = CrossEntropy::loss_and_gradient(&layer.forward(&x), &y);
        let grads = layer.parameter_gradients(&x, &grad_z);
        let rate = 1e-3;
        let squared_norm = grads.weights.norm_squared() + grads.bias.norm_squared();
        let old = layer;
        layer.apply_gradients(&grads, &mut GradientDescent::new(rate));
        assert_eq!(layer.weights, old.weights - grads.weights * rate);
        assert_eq!(layer.bias, old.bias - grads.bias * rate);
        let after = CrossEntropy::loss(&layer.forward(&x), &y);
        // First order: the loss falls by η‖∇‖².
        let predicted = rate * squared_norm;
        assert!(((before - after) - predicted).abs() < 1e-2 * predicted, "{before} → {after}");
    }
}

/// A layer's update split across the two cores is the same update, to the bit, with every
/// optimizer.
#[cfg(all(test, feature = "parallel"))]
mod split_tests {
    use crate::Matrix;
    use crate::kernels::parallel::cut;
    use crate::kernels::parallel::lock;
    use crate::kernels::parallel::tests::{SERIAL, unsplit_and_split, with_big_stack};

    /// Three training updates of a large layer sitting at `OFFSET` in a bigger model, split
    /// and unsplit: the same weights and the same optimizer state, to the bit.
    fn same_updates<
        Opt: crate::optim::Optimizer<f64> + Clone + PartialEq + core::fmt::Debug,
        const B: usize,
        const I: usize,
        const O: usize,
    >(
        optimizer: Opt,
    ) {
        use crate::{Perceptron, Sigmoid};
        const OFFSET: usize = 10;
        let mut rng = crate::testing::rng(2);
        let start = Perceptron::<f64, I, O, Sigmoid>::new(
            crate::testing::uniform(&mut rng, -1.0, 1.0),
            crate::testing::uniform(&mut rng, -1.0, 1.0),
        );
        let x = crate::testing::uniform::<B, I>(&mut rng, -1.0, 1.0);
        let grad = crate::testing::uniform::<B, O>(&mut rng, -1.0, 1.0);
        crate::kernels::isa::with_isa!(S => assert!(cut::<S>(B * I * O, O).is_some()));
        let (unsplit, split) = unsplit_and_split(|| {
            let (mut layer, mut optimizer) = (start, optimizer.clone());
            for _ in 0..3 {
                optimizer.begin_step();
                layer.train_update(&x, &grad, &mut optimizer, OFFSET);
            }
            (layer, optimizer)
        });
        assert_ne!(unsplit.0, start, "the updates changed the layer");
        let bits = |l: &Perceptron<f64, I, O, Sigmoid>| {
            l.weights.iter().chain(l.bias.iter()).map(|v| v.to_bits()).collect::<Vec<_>>()
        };
        assert_eq!(bits(&unsplit.0), bits(&split.0));
        assert_eq!(unsplit.1, split.1);
    }

    /// The state of a model whose parameters are 10 values, a layer of `I` inputs and `O`
    /// units, then 5 more values: the layer sits at `OFFSET`.
    type Around<const I: usize, const O: usize> =
        (Matrix<f64, 1, 10>, (crate::PerceptronGradients<f64, I, O>, Matrix<f64, 1, 5>));

    #[test]
    #[cfg_attr(miri, ignore)]
    fn a_split_update_is_the_whole_update_with_every_optimizer() {
        use crate::optim::{Adam, GradientDescent, Momentum};
        let _serial = lock(&SERIAL);
        with_big_stack(|| {
            same_updates::<_, 40, 60, 130>(GradientDescent::new(0.1));
            let momentum = Momentum::<f64, Around<60, 130>>::new(0.1, 0.9).with_weight_decay(0.01);
            same_updates::<_, 40, 60, 130>(momentum);
            same_updates::<_, 40, 60, 130>(Adam::<f64, Around<60, 130>>::new(0.01));
            // A layer of fewer than 8 inputs, whose update goes in runs of whole units.
            same_updates::<_, 64, 4, 2050>(Adam::<f64, Around<4, 2050>>::new(0.01));
        });
    }
}
