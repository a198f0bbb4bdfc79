//! Preprocessing that travels with the weights: a network that takes raw inputs, and scales
//! them itself by statistics fitted on the training set.
//!
//! A network trained on standardised features gives wrong answers on raw ones, and nothing
//! says so. [`Preprocessed`] keeps the scaling inside the model: `forward`, `predict`,
//! `classify` and every training step scale the raw batch first, and the statistics are
//! listed with the weights ([`Parameters::for_each_param`]), so a safetensors file, the
//! Rust-source export and the trainer's snapshots carry them. They are not trained: the
//! optimizer only ever sees the network's own tensors.
//!
//! ```
//! use ferroflow_core::preprocess::InputScaling;
//! // Raw inputs around 1000 ± 10 and 0.5 ± 0.01, each scaled to about ±1.
//! let scaling = InputScaling::new([1000.0, 0.5], [0.1, 100.0]);
//! assert_eq!(scaling.apply(&[1010.0, 0.49]), [1.0, -1.0000000000000009]);
//! ```
//!
//! A `network!` network wrapped in [`Preprocessed`] is trained, evaluated and saved on raw
//! data as it is; the `ferroflow` crate's `Standardise::scaling` and `MinMax::scaling` make
//! the [`InputScaling`] from a training set.

use crate::optim::{OptimizerFor, ParamName, Parameters};
use crate::workspace::{Heap, Stack, Store, cached, in_own_frame, on_stack};
use crate::{Element, Matrix, Network};

/// Per-feature scaling of raw inputs: `x ↦ (x − offset) · scale`.
///
/// Standardisation is `offset` = the mean and `scale` = 1 / the standard deviation;
/// min-max scaling `offset` = the minimum and `scale` = 1 / the range. A constant feature
/// takes `scale` 1 (only centred) or 0 (mapped to 0), never a reciprocal of round-off.
/// Saved as the tensors `preprocess.offset` and `preprocess.scale`, of shape `[I]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InputScaling<T: Element, const I: usize> {
    /// Subtracted from each feature.
    pub offset: [T; I],
    /// Then multiplied into it.
    pub scale: [T; I],
}

impl<T: Element, const I: usize> InputScaling<T, I> {
    /// The name of the layer the statistics are saved under.
    pub const LAYER: &'static str = "preprocess";

    /// A scaling from its offsets and scales; `const`, so exported models build in a
    /// `const` item.
    pub const fn new(offset: [T; I], scale: [T; I]) -> Self {
        Self { offset, scale }
    }

    /// The scaling that changes nothing: offset 0, scale 1.
    pub fn identity() -> Self {
        Self { offset: [T::ZERO; I], scale: [T::ONE; I] }
    }

    /// One raw sample, scaled.
    #[inline]
    pub fn apply(&self, sample: &[T; I]) -> [T; I] {
        core::array::from_fn(|j| (sample[j] - self.offset[j]) * self.scale[j])
    }

    /// Writes the scaled rows of `x` into `out`, column by column over nalgebra's
    /// column-major storage (one feature's offset and scale per column).
    #[inline]
    fn apply_batch<const B: usize>(&self, x: &Matrix<T, B, I>, out: &mut Matrix<T, B, I>) {
        let columns = out.data.0.iter_mut().zip(&x.data.0);
        for ((out, x), (&offset, &scale)) in columns.zip(self.offset.iter().zip(&self.scale)) {
            for (o, &v) in out.iter_mut().zip(x) {
                *o = (v - offset) * scale;
            }
        }
    }

    /// Runs `run` on the scaled batch, kept where a network keeps its workspace: on the
    /// stack when small, else (with `alloc`) in a per-thread buffer reused from step to
    /// step, so scaling allocates nothing per step.
    #[inline]
    fn with_scaled<const B: usize, R>(
        &self,
        x: &Matrix<T, B, I>,
        run: impl FnOnce(&Matrix<T, B, I>) -> R,
    ) -> R {
        if on_stack(core::mem::size_of::<Matrix<T, B, I>>()) {
            in_own_frame(|| {
                let mut scaled = Stack::zeros::<T, B, I>();
                self.apply_batch(x, &mut scaled);
                run(&scaled)
            })
        } else {
            cached(Heap::zeros::<T, B, I>, |scaled| {
                self.apply_batch(x, scaled);
                run(scaled)
            })
        }
    }
}

/// A network that takes raw inputs: [`InputScaling`] first, then `Net`.
///
/// It is a [`Network`] of the same widths as `Net`, so the trainer, the optimizers,
/// evaluation and safetensors work on it unchanged, on raw data. Its
/// [`Parameters::for_each_param`] lists the scaling's two tensors (layer `preprocess`)
/// before the network's; its gradients and optimizer state are the network's alone.
#[derive(Clone, Debug, PartialEq)]
pub struct Preprocessed<T: Element, Net, const I: usize> {
    /// The scaling of the raw inputs.
    pub scaling: InputScaling<T, I>,
    /// The network that reads the scaled inputs.
    pub net: Net,
}

impl<T: Element, Net, const I: usize> Preprocessed<T, Net, I> {
    /// `net`, reading its inputs through `scaling`.
    pub const fn new(scaling: InputScaling<T, I>, net: Net) -> Self {
        Self { scaling, net }
    }

    /// The outputs for one raw sample.
    pub fn predict<const O: usize>(&self, sample: &[T; I]) -> [T; O]
    where
        Net: Network<T, I, O>,
    {
        let out = self.net.forward(&crate::matrix::row(self.scaling.apply(sample)));
        crate::matrix::row_to_array(&out)
    }

    /// The predicted class of one raw sample: the index of its largest output.
    pub fn classify<const O: usize>(&self, sample: &[T; I]) -> usize
    where
        Net: Network<T, I, O>,
    {
        let out = self.net.forward(&crate::matrix::row(self.scaling.apply(sample)));
        crate::matrix::argmax_rows(&out)[0]
    }
}

/// The identity scaling around `Net::default()`: what a saved model is loaded into
/// (`Preprocessed::<f32, Net, 4>::load(path)` with the `ferroflow` crate's `LoadWeights`).
impl<T: Element, Net: Default, const I: usize> Default for Preprocessed<T, Net, I> {
    fn default() -> Self {
        Self::new(InputScaling::identity(), Net::default())
    }
}

/// The statistics' tensor names, listed before the network's.
const OFFSET: &str = "offset";
const SCALE: &str = "scale";

impl<T: Element, Net: Parameters<T>, const I: usize> Parameters<T> for Preprocessed<T, Net, I> {
    type Gradients = Net::Gradients;
    const CONST_CONSTRUCTOR: bool = Net::CONST_CONSTRUCTOR;

    fn for_each_param(&self, f: &mut impl FnMut(ParamName<'_>, &[T])) {
        let shape = [I];
        let name = |tensor| ParamName { layer: InputScaling::<T, I>::LAYER, tensor, shape: &shape };
        f(name(OFFSET), &self.scaling.offset);
        f(name(SCALE), &self.scaling.scale);
        self.net.for_each_param(f);
    }

    fn for_each_param_mut(&mut self, f: &mut impl FnMut(ParamName<'_>, &mut [T])) {
        let shape = [I];
        let name = |tensor| ParamName { layer: InputScaling::<T, I>::LAYER, tensor, shape: &shape };
        f(name(OFFSET), &mut self.scaling.offset);
        f(name(SCALE), &mut self.scaling.scale);
        self.net.for_each_param_mut(f);
    }

    fn apply_gradients_at<O: crate::optim::Optimizer<T>>(
        &mut self,
        gradients: &Self::Gradients,
        optimizer: &mut O,
        offset: usize,
    ) {
        self.net.apply_gradients_at(gradients, optimizer, offset);
    }
}

impl<T: Element, Net: Network<T, I, O>, const I: usize, const O: usize> Network<T, I, O>
    for Preprocessed<T, Net, I>
{
    type Activations<const B: usize> = Net::Activations<B>;

    fn forward<const B: usize>(&self, x: &Matrix<T, B, I>) -> Matrix<T, B, O> {
        self.scaling.with_scaled(x, |x| self.net.forward(x))
    }

    fn forward_trace<const B: usize>(&self, x: &Matrix<T, B, I>) -> Self::Activations<B> {
        self.scaling.with_scaled(x, |x| self.net.forward_trace(x))
    }

    fn output<const B: usize>(activations: &Self::Activations<B>) -> &Matrix<T, B, O> {
        Net::output(activations)
    }

    fn backward<const B: usize>(
        &self,
        x: &Matrix<T, B, I>,
        activations: &Self::Activations<B>,
        labels: &Matrix<T, B, O>,
    ) -> (T, Self::Gradients) {
        self.scaling.with_scaled(x, |x| self.net.backward(x, activations, labels))
    }

    fn loss<const B: usize>(&self, x: &Matrix<T, B, I>, labels: &Matrix<T, B, O>) -> T {
        self.scaling.with_scaled(x, |x| self.net.loss(x, labels))
    }

    fn update_from_trace<const B: usize, Opt: OptimizerFor<T, Self::Gradients>>(
        &mut self,
        x: &Matrix<T, B, I>,
        activations: &Self::Activations<B>,
        labels: &Matrix<T, B, O>,
        optimizer: &mut Opt,
    ) -> T {
        let Self { scaling, net } = self;
        scaling.with_scaled(x, |x| net.update_from_trace(x, activations, labels, optimizer))
    }

    fn train_step<const B: usize, Opt: OptimizerFor<T, Self::Gradients>>(
        &mut self,
        x: &Matrix<T, B, I>,
        labels: &Matrix<T, B, O>,
        optimizer: &mut Opt,
    ) -> T {
        let Self { scaling, net } = self;
        scaling.with_scaled(x, |x| net.train_step(x, labels, optimizer))
    }
}
