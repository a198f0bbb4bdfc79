/// A classifier whose hidden width is a parameter.
///
/// Architecture: FEATURES inputs → H (ReLU `hidden`) → 3 (softmax `output`); trained on cross-entropy.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp<const H: usize> {
    /// Layer `hidden`: FEATURES → H, ReLU.
    pub hidden: ::ferroflow::__private_v0_1::Boxed<
        ::ferroflow::__private_v0_1::Perceptron<
            f32,
            __MLP_INPUT_WIDTH,
            H,
            ::ferroflow::__private_v0_1::Relu,
        >,
    >,
    /// Layer `output`: H → 3, softmax.
    pub output: ::ferroflow::__private_v0_1::Boxed<
        ::ferroflow::__private_v0_1::Perceptron<
            f32,
            H,
            3,
            ::ferroflow::__private_v0_1::Softmax,
        >,
    >,
}
/// The gradients of every parameter of [`Mlp`], one field per layer.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpGradients<const H: usize> {
    /// The gradients of layer `hidden`.
    pub hidden: ::ferroflow::__private_v0_1::Boxed<
        ::ferroflow::__private_v0_1::PerceptronGradients<f32, __MLP_INPUT_WIDTH, H>,
    >,
    /// The gradients of layer `output`.
    pub output: ::ferroflow::__private_v0_1::Boxed<
        ::ferroflow::__private_v0_1::PerceptronGradients<f32, H, 3>,
    >,
}
/// What a training forward pass of [`Mlp`] keeps for the backward pass: every node's output for a batch of `B` samples.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpActivations<const H: usize, const B: usize> {
    /// The output of `hidden`.
    pub hidden: ::ferroflow::__private_v0_1::Matrix<f32, B, H>,
    /// The output of `output`.
    pub output: ::ferroflow::__private_v0_1::Matrix<f32, B, 3>,
}
#[allow(unused_braces)]
const __MLP_INPUT_WIDTH: usize = { FEATURES };
const _: () = ::core::assert!(
    __MLP_INPUT_WIDTH != 0,
    "the input `input` is `FEATURES` wide, which is 0: a sample has at least 1 feature"
);
impl<const H: usize> Mlp<H> {
    /// The number of features per input sample.
    pub const INPUTS: usize = __MLP_INPUT_WIDTH;
    /// The number of outputs per sample.
    pub const OUTPUTS: usize = 3;
    /// The number of trainable parameters.
    pub const PARAM_COUNT: usize = <Self as ::ferroflow::__private_v0_1::Parameters<
        f32,
    >>::PARAM_COUNT;
    /// Evaluated by every constructor: fails to compile for a generic width of 0.
    const WIDTHS_ARE_NOT_ZERO: () = {
        ::core::assert!(
            H != 0,
            "`H`, the width of layer `hidden` of `Mlp`, is 0 here: a width counts units, at least 1"
        );
    };
    /// The network from its layers, in the order written. Not `const`: a layer that is large (or may be, with a generic width) is moved into its heap storage here.
    pub fn new(
        hidden: ::ferroflow::__private_v0_1::Perceptron<
            f32,
            __MLP_INPUT_WIDTH,
            H,
            ::ferroflow::__private_v0_1::Relu,
        >,
        output: ::ferroflow::__private_v0_1::Perceptron<
            f32,
            H,
            3,
            ::ferroflow::__private_v0_1::Softmax,
        >,
    ) -> Self {
        let () = Self::WIDTHS_ARE_NOT_ZERO;
        Self {
            hidden: hidden.boxed(),
            output: output.boxed(),
        }
    }
    /// The network with every weight and bias zero.
    pub fn zeros() -> Self {
        let () = Self::WIDTHS_ARE_NOT_ZERO;
        Self {
            hidden: ::ferroflow::__private_v0_1::Perceptron::boxed_zeros(),
            output: ::ferroflow::__private_v0_1::Perceptron::boxed_zeros(),
        }
    }
    /// The network with weights drawn from `rng` by each layer's initialiser (Glorot
    /// for sigmoid, tanh, identity and softmax, He for ReLU), zero biases, and its
    /// dropouts' seeds drawn from `rng` too, in the order written.
    pub fn random<R: ::ferroflow::__private_v0_1::Rng + ?Sized>(rng: &mut R) -> Self {
        let () = Self::WIDTHS_ARE_NOT_ZERO;
        Self {
            hidden: ::ferroflow::__private_v0_1::Perceptron::boxed_random(rng),
            output: ::ferroflow::__private_v0_1::Perceptron::boxed_random(rng),
        }
    }
    /// Inference on a batch of `B` samples (one per row). Keeps nothing, allocates
    /// nothing.
    pub fn forward<const B: usize, const XN: usize, X>(
        &self,
        x: &X,
    ) -> ::ferroflow::__private_v0_1::Matrix<f32, B, 3>
    where
        X: ::ferroflow::__private_v0_1::AsBatch<B, XN>,
        X::Shape: ::ferroflow::__private_v0_1::Input<
            f32,
            __MLP_INPUT_WIDTH,
            X::Element,
            XN,
        >,
    {
        ::ferroflow::__private_v0_1::Network::forward(
            self,
            ::ferroflow::__private_v0_1::input(x),
        )
    }
    /// The loss of a batch against its labels (one row per sample).
    pub fn loss<const B: usize, const XN: usize, X, const LB: usize, const LN: usize, L>(
        &self,
        x: &X,
        labels: &L,
    ) -> f32
    where
        X: ::ferroflow::__private_v0_1::AsBatch<B, XN>,
        X::Shape: ::ferroflow::__private_v0_1::Input<
            f32,
            __MLP_INPUT_WIDTH,
            X::Element,
            XN,
        >,
        L: ::ferroflow::__private_v0_1::AsBatch<LB, LN>,
        L::Shape: ::ferroflow::__private_v0_1::Labels<f32, B, 3, L::Element, LB, LN>,
    {
        ::ferroflow::__private_v0_1::Network::loss(
            self,
            ::ferroflow::__private_v0_1::input(x),
            ::ferroflow::__private_v0_1::labels(labels),
        )
    }
    /// One step of training on a batch: forward, loss, backward, and an update of
    /// every parameter by `optimizer`. Returns the loss before the update: `NaN` or
    /// infinite when the batch or the weights are not finite (training has diverged);
    /// `all_finite()` tells whether the update left every weight finite.
    pub fn train_step<
        const B: usize,
        const XN: usize,
        X,
        const LB: usize,
        const LN: usize,
        L,
        Opt,
    >(&mut self, x: &X, labels: &L, optimizer: &mut Opt) -> f32
    where
        X: ::ferroflow::__private_v0_1::AsBatch<B, XN>,
        X::Shape: ::ferroflow::__private_v0_1::Input<
            f32,
            __MLP_INPUT_WIDTH,
            X::Element,
            XN,
        >,
        L: ::ferroflow::__private_v0_1::AsBatch<LB, LN>,
        L::Shape: ::ferroflow::__private_v0_1::Labels<f32, B, 3, L::Element, LB, LN>,
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, MlpGradients<H>>,
    {
        ::ferroflow::__private_v0_1::Network::train_step(
            self,
            ::ferroflow::__private_v0_1::input(x),
            ::ferroflow::__private_v0_1::labels(labels),
            optimizer,
        )
    }
    /// The outputs for one sample.
    pub fn predict(&self, sample: &[f32; __MLP_INPUT_WIDTH]) -> [f32; 3] {
        let out = ::ferroflow::__private_v0_1::Network::forward(
            self,
            &::ferroflow::__private_v0_1::matrix::row(*sample),
        );
        ::ferroflow::__private_v0_1::matrix::row_to_array(&out)
    }
    /// The predicted class of one sample: the index of its largest output.
    pub fn classify(&self, sample: &[f32; __MLP_INPUT_WIDTH]) -> usize {
        let out = ::ferroflow::__private_v0_1::Network::forward(
            self,
            &::ferroflow::__private_v0_1::matrix::row(*sample),
        );
        ::ferroflow::__private_v0_1::matrix::argmax_rows(&out)[0]
    }
}
/// The network with every weight and bias zero ([`zeros`](Self::zeros)): what a
/// model is loaded into (`ferroflow::io::LoadWeights`).
impl<const H: usize> ::core::default::Default for Mlp<H> {
    fn default() -> Self {
        Self::zeros()
    }
}
#[automatically_derived]
impl<const H: usize> ::ferroflow::__private_v0_1::Network<f32, __MLP_INPUT_WIDTH, 3>
for Mlp<H> {
    type Activations<const B: usize> = MlpActivations<H, B>;
    fn forward<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, __MLP_INPUT_WIDTH>,
    ) -> ::ferroflow::__private_v0_1::Matrix<f32, B, 3> {
        let () = Self::WIDTHS_ARE_NOT_ZERO;
        if ::ferroflow::__private_v0_1::workspace::on_stack(
            Self::forward_stack_bytes::<B>(),
        ) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __MlpForward < H, B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::ZEROS; let fw = & mut
                held; self.__infer_in:: < __PassArithmetic, B, _ > (x, fw); * & * fw
                .out_output }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                <__MlpForward<
                    H,
                    B,
                    ::ferroflow::__private_v0_1::workspace::Heap,
                >>::zeros,
                |fw| {
                    ::ferroflow::__private_v0_1::widest_pass!(
                        __PassArithmetic => { self.__infer_in:: < __PassArithmetic, B, _
                        > (x, fw); * & * fw.out_output }
                    )
                },
            )
        }
    }
    fn forward_trace<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, __MLP_INPUT_WIDTH>,
    ) -> MlpActivations<H, B> {
        let () = Self::WIDTHS_ARE_NOT_ZERO;
        if ::ferroflow::__private_v0_1::workspace::on_stack(
            Self::forward_stack_bytes::<B>(),
        ) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __MlpForward < H, B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::ZEROS; let fw = & mut
                held; self.__trace_in:: < __PassArithmetic, B, _ > (x, fw);
                MlpActivations { hidden : * fw.out_hidden, output : * fw.out_output } }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                <__MlpForward<
                    H,
                    B,
                    ::ferroflow::__private_v0_1::workspace::Heap,
                >>::zeros,
                |fw| {
                    ::ferroflow::__private_v0_1::widest_pass!(
                        __PassArithmetic => { self.__trace_in:: < __PassArithmetic, B, _
                        > (x, fw); MlpActivations { hidden : * fw.out_hidden, output : *
                        fw.out_output } }
                    )
                },
            )
        }
    }
    fn output<const B: usize>(
        activations: &MlpActivations<H, B>,
    ) -> &::ferroflow::__private_v0_1::Matrix<f32, B, 3> {
        &activations.output
    }
    fn loss<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, __MLP_INPUT_WIDTH>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 3>,
    ) -> f32 {
        <::ferroflow::__private_v0_1::CrossEntropy as ::ferroflow::__private_v0_1::Loss<
            ::ferroflow::__private_v0_1::Softmax,
        >>::loss(&::ferroflow::__private_v0_1::Network::forward(self, x), labels)
    }
    fn backward<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, __MLP_INPUT_WIDTH>,
        activations: &MlpActivations<H, B>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 3>,
    ) -> (f32, MlpGradients<H>) {
        if ::ferroflow::__private_v0_1::workspace::on_stack(
            ::core::mem::size_of::<
                __MlpBackward<H, B, ::ferroflow::__private_v0_1::workspace::Stack>,
            >(),
        ) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __MlpBackward < H, B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::ZEROS; let bw = & mut
                held; self.__gradients_in(x, labels, bw, & activations.hidden, &
                activations.output) }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                <__MlpBackward<
                    H,
                    B,
                    ::ferroflow::__private_v0_1::workspace::Heap,
                >>::zeros,
                |bw| {
                    ::ferroflow::__private_v0_1::widest_pass!(
                        __PassArithmetic => { self.__gradients_in(x, labels, bw, &
                        activations.hidden, & activations.output) }
                    )
                },
            )
        }
    }
    fn gradients<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, __MLP_INPUT_WIDTH>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 3>,
    ) -> (f32, MlpGradients<H>) {
        let () = Self::WIDTHS_ARE_NOT_ZERO;
        if ::ferroflow::__private_v0_1::workspace::on_stack(Self::stack_bytes::<B>()) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __MlpForward < H, B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::STEP_ZEROS; let ws =
                & mut held; let (fw, bw) = ws; self.__trace_in:: < __PassArithmetic, B, _
                > (x, fw); self.__gradients_in(x, labels, bw, & * fw.out_hidden, & * fw
                .out_output) }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                || (
                    <__MlpForward<
                        H,
                        B,
                        ::ferroflow::__private_v0_1::workspace::Heap,
                    >>::zeros(),
                    <__MlpBackward<
                        H,
                        B,
                        ::ferroflow::__private_v0_1::workspace::Heap,
                    >>::zeros(),
                ),
                |ws| {
                    ::ferroflow::__private_v0_1::widest_pass!(
                        __PassArithmetic => { let (fw, bw) = ws; self.__trace_in:: <
                        __PassArithmetic, B, _ > (x, fw); self.__gradients_in(x, labels,
                        bw, & * fw.out_hidden, & * fw.out_output) }
                    )
                },
            )
        }
    }
    fn update_from_trace<
        const B: usize,
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, MlpGradients<H>>,
    >(
        &mut self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, __MLP_INPUT_WIDTH>,
        activations: &Self::Activations<B>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 3>,
        optimizer: &mut Opt,
    ) -> f32 {
        if ::ferroflow::__private_v0_1::workspace::on_stack(
            ::core::mem::size_of::<
                __MlpBackward<H, B, ::ferroflow::__private_v0_1::workspace::Stack>,
            >(),
        ) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __MlpBackward < H, B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::ZEROS; let bw = & mut
                held; self.__update_in(x, labels, optimizer, bw, & activations.hidden, &
                activations.output) }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                <__MlpBackward<
                    H,
                    B,
                    ::ferroflow::__private_v0_1::workspace::Heap,
                >>::zeros,
                |bw| {
                    ::ferroflow::__private_v0_1::widest_pass!(
                        __PassArithmetic => { self.__update_in(x, labels, optimizer, bw,
                        & activations.hidden, & activations.output) }
                    )
                },
            )
        }
    }
    fn train_step<
        const B: usize,
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, MlpGradients<H>>,
    >(
        &mut self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, __MLP_INPUT_WIDTH>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 3>,
        optimizer: &mut Opt,
    ) -> f32 {
        let () = Self::WIDTHS_ARE_NOT_ZERO;
        if ::ferroflow::__private_v0_1::workspace::on_stack(Self::stack_bytes::<B>()) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __MlpForward < H, B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::STEP_ZEROS; let ws =
                & mut held; let (fw, bw) = ws; self.__trace_in:: < __PassArithmetic, B, _
                > (x, fw); self.__update_in(x, labels, optimizer, bw, & * fw.out_hidden,
                & * fw.out_output) }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                || (
                    <__MlpForward<
                        H,
                        B,
                        ::ferroflow::__private_v0_1::workspace::Heap,
                    >>::zeros(),
                    <__MlpBackward<
                        H,
                        B,
                        ::ferroflow::__private_v0_1::workspace::Heap,
                    >>::zeros(),
                ),
                |ws| {
                    ::ferroflow::__private_v0_1::widest_pass!(
                        __PassArithmetic => { let (fw, bw) = ws; self.__trace_in:: <
                        __PassArithmetic, B, _ > (x, fw); self.__update_in(x, labels,
                        optimizer, bw, & * fw.out_hidden, & * fw.out_output) }
                    )
                },
            )
        }
    }
}
/// Where a forward pass of [`Mlp`] writes every node's output.
#[doc(hidden)]
struct __MlpForward<
    const H: usize,
    const B: usize,
    S: ::ferroflow::__private_v0_1::workspace::Store,
> {
    out_hidden: S::Slot<f32, B, H>,
    out_output: S::Slot<f32, B, 3>,
}
impl<
    const H: usize,
    const B: usize,
    S: ::ferroflow::__private_v0_1::workspace::Store,
> __MlpForward<H, B, S> {
    /// The workspace with every matrix zero, each made where `S` keeps it.
    fn zeros() -> Self {
        Self {
            out_hidden: S::zeros(),
            out_output: S::zeros(),
        }
    }
}
impl<
    const H: usize,
    const B: usize,
> __MlpForward<H, B, ::ferroflow::__private_v0_1::workspace::Stack> {
    /// The workspace on the stack, as a constant: copied into place once.
    const ZEROS: Self = Self {
        out_hidden: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        out_output: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
    };
}
/// Where a backward pass of [`Mlp`] writes every node's gradient.
#[doc(hidden)]
struct __MlpBackward<
    const H: usize,
    const B: usize,
    S: ::ferroflow::__private_v0_1::workspace::Store,
> {
    grad_hidden: S::Slot<f32, B, H>,
    grad_output: S::Slot<f32, B, 3>,
}
impl<
    const H: usize,
    const B: usize,
    S: ::ferroflow::__private_v0_1::workspace::Store,
> __MlpBackward<H, B, S> {
    /// The workspace with every matrix zero, each made where `S` keeps it.
    fn zeros() -> Self {
        Self {
            grad_hidden: S::zeros(),
            grad_output: S::zeros(),
        }
    }
}
impl<
    const H: usize,
    const B: usize,
> __MlpBackward<H, B, ::ferroflow::__private_v0_1::workspace::Stack> {
    /// The workspace on the stack, as a constant: copied into place once.
    const ZEROS: Self = Self {
        grad_hidden: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        grad_output: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
    };
}
impl<
    const H: usize,
    const B: usize,
> __MlpForward<H, B, ::ferroflow::__private_v0_1::workspace::Stack> {
    /// A training step's two workspaces on the stack, as one constant: a debug
    /// build copies it into place once, with no temporary for each half.
    #[allow(clippy::type_complexity)]
    const STEP_ZEROS: (
        Self,
        __MlpBackward<H, B, ::ferroflow::__private_v0_1::workspace::Stack>,
    ) = (
        Self::ZEROS,
        <__MlpBackward<H, B, ::ferroflow::__private_v0_1::workspace::Stack>>::ZEROS,
    );
}
impl<const H: usize> Mlp<H> {
    /// The bytes of stack a training step on a batch of `B` samples needs for its
    /// temporaries (every layer's output and gradient, and the update kernel's
    /// block, `ferroflow::workspace::update_bytes`) in an optimized build, beyond
    /// the frames of the calls, which do not grow with the batch: what it takes
    /// where there is no heap (without the `alloc` feature), and with one for a
    /// step whose workspace fits in `ferroflow::workspace::STACK_LIMIT`. A firmware can check it at compile
    /// time: `const _: () = assert!(Net::stack_bytes::<32>() <= 48 * 1024);`.
    /// Larger batches, with a heap, train in a workspace on the heap that each
    /// thread allocates once.
    pub const fn stack_bytes<const B: usize>() -> usize {
        let mut update = 0;
        let layer = ::ferroflow::__private_v0_1::workspace::update_bytes::<
            f32,
        >(B, __MLP_INPUT_WIDTH);
        if layer > update {
            update = layer;
        }
        let layer = ::ferroflow::__private_v0_1::workspace::update_bytes::<f32>(B, H);
        if layer > update {
            update = layer;
        }
        ::core::mem::size_of::<
            __MlpForward<H, B, ::ferroflow::__private_v0_1::workspace::Stack>,
        >()
            + ::core::mem::size_of::<
                __MlpBackward<H, B, ::ferroflow::__private_v0_1::workspace::Stack>,
            >() + update
    }
    /// The bytes of stack inference (`forward`, `predict`, `classify`) on a batch of
    /// `B` samples needs for its temporaries, as [`stack_bytes`](Self::stack_bytes)
    /// for a training step.
    pub const fn forward_stack_bytes<const B: usize>() -> usize {
        ::core::mem::size_of::<
            __MlpForward<H, B, ::ferroflow::__private_v0_1::workspace::Stack>,
        >()
    }
    /// A training step (see `train_step`) with every temporary on this thread's
    /// stack, as without a heap, however large the batch: it needs
    /// [`stack_bytes`](Self::stack_bytes) of stack and never allocates, not even on
    /// a first step.
    pub fn train_step_on_stack<
        const B: usize,
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, MlpGradients<H>>,
    >(
        &mut self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, __MLP_INPUT_WIDTH>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 3>,
        optimizer: &mut Opt,
    ) -> f32 {
        ::ferroflow::__private_v0_1::widest_pass!(
            own frame; __PassArithmetic => { let mut held = < __MlpForward < H, B,
            ::ferroflow::__private_v0_1::workspace::Stack > > ::STEP_ZEROS; let (fw, bw)
            = & mut held; self.__trace_in:: < __PassArithmetic, B, _ > (x, fw); self
            .__update_in(x, labels, optimizer, bw, & * fw.out_hidden, & * fw.out_output)
            }
        )
    }
    /// Inference into `fw`: dropout is the identity.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __infer_in<
        __PassArithmetic: ::ferroflow::__private_v0_1::Arithmetic,
        const B: usize,
        S: ::ferroflow::__private_v0_1::workspace::Store,
    >(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, __MLP_INPUT_WIDTH>,
        fw: &mut __MlpForward<H, B, S>,
    ) {
        self.hidden.__forward_into_as::<__PassArithmetic, B>(x, &mut *fw.out_hidden);
        self.output
            .__forward_into_as::<
                __PassArithmetic,
                B,
            >(&*fw.out_hidden, &mut *fw.out_output);
    }
    /// The training forward pass into `fw`: dropout drops.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __trace_in<
        __PassArithmetic: ::ferroflow::__private_v0_1::Arithmetic,
        const B: usize,
        S: ::ferroflow::__private_v0_1::workspace::Store,
    >(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, __MLP_INPUT_WIDTH>,
        fw: &mut __MlpForward<H, B, S>,
    ) {
        self.hidden.__forward_into_as::<__PassArithmetic, B>(x, &mut *fw.out_hidden);
        self.output
            .__forward_into_as::<
                __PassArithmetic,
                B,
            >(&*fw.out_hidden, &mut *fw.out_output);
    }
    /// The loss and every parameter's gradients, from the nodes' outputs, with the
    /// gradients of the nodes in `bw`.
    #[allow(unused_variables, clippy::too_many_arguments)]
    #[inline]
    fn __gradients_in<const B: usize, S: ::ferroflow::__private_v0_1::workspace::Store>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, __MLP_INPUT_WIDTH>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 3>,
        bw: &mut __MlpBackward<H, B, S>,
        out_hidden: &::ferroflow::__private_v0_1::Matrix<f32, B, H>,
        out_output: &::ferroflow::__private_v0_1::Matrix<f32, B, 3>,
    ) -> (f32, MlpGradients<H>) {
        bw.grad_hidden
            .as_mut_slice()
            .fill(<f32 as ::ferroflow::__private_v0_1::Element>::ZERO);
        let loss = <::ferroflow::__private_v0_1::CrossEntropy as ::ferroflow::__private_v0_1::Loss<
            ::ferroflow::__private_v0_1::Softmax,
        >>::loss_and_gradient_into(out_output, labels, &mut *bw.grad_output);
        self.output.add_input_gradient(&*bw.grad_output, &mut *bw.grad_hidden);
        let parameters_output = self
            .output
            .parameter_gradients(out_hidden, &*bw.grad_output);
        self.hidden.pre_activation_gradient_in_place(out_hidden, &mut *bw.grad_hidden);
        let parameters_hidden = self.hidden.parameter_gradients(x, &*bw.grad_hidden);
        (
            loss,
            MlpGradients {
                hidden: parameters_hidden.boxed(),
                output: parameters_output.boxed(),
            },
        )
    }
    /// The backward pass fused with the update, from the nodes' outputs, with the
    /// gradients of the nodes in `bw`. Returns the loss.
    #[allow(unused_variables, clippy::too_many_arguments)]
    #[inline]
    fn __update_in<
        const B: usize,
        S: ::ferroflow::__private_v0_1::workspace::Store,
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, MlpGradients<H>>,
    >(
        &mut self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, __MLP_INPUT_WIDTH>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 3>,
        optimizer: &mut Opt,
        bw: &mut __MlpBackward<H, B, S>,
        out_hidden: &::ferroflow::__private_v0_1::Matrix<f32, B, H>,
        out_output: &::ferroflow::__private_v0_1::Matrix<f32, B, 3>,
    ) -> f32 {
        ::ferroflow::__private_v0_1::Optimizer::begin_step(optimizer);
        bw.grad_hidden
            .as_mut_slice()
            .fill(<f32 as ::ferroflow::__private_v0_1::Element>::ZERO);
        let loss = <::ferroflow::__private_v0_1::CrossEntropy as ::ferroflow::__private_v0_1::Loss<
            ::ferroflow::__private_v0_1::Softmax,
        >>::loss_and_gradient_into(out_output, labels, &mut *bw.grad_output);
        self.output.add_input_gradient(&*bw.grad_output, &mut *bw.grad_hidden);
        self.output
            .train_update(
                out_hidden,
                &*bw.grad_output,
                optimizer,
                0 + (__MLP_INPUT_WIDTH * H + H),
            );
        self.hidden.pre_activation_gradient_in_place(out_hidden, &mut *bw.grad_hidden);
        self.hidden.train_update(x, &*bw.grad_hidden, optimizer, 0);
        loss
    }
}
#[automatically_derived]
impl<const H: usize> ::ferroflow::__private_v0_1::Parameters<f32> for Mlp<H> {
    type Gradients = MlpGradients<H>;
    const CONST_CONSTRUCTOR: bool = false;
    fn for_each_param(
        &self,
        f: &mut impl FnMut(::ferroflow::__private_v0_1::ParamName<'_>, &[f32]),
    ) {
        ::ferroflow::__private_v0_1::Parameters::for_each_param(
            ::ferroflow::__private_v0_1::unbox(&self.hidden),
            &mut |name, values| f(name.in_layer("hidden"), values),
        );
        ::ferroflow::__private_v0_1::Parameters::for_each_param(
            ::ferroflow::__private_v0_1::unbox(&self.output),
            &mut |name, values| f(name.in_layer("output"), values),
        );
    }
    fn for_each_param_mut(
        &mut self,
        f: &mut impl FnMut(::ferroflow::__private_v0_1::ParamName<'_>, &mut [f32]),
    ) {
        ::ferroflow::__private_v0_1::Parameters::for_each_param_mut(
            ::ferroflow::__private_v0_1::unbox_mut(&mut self.hidden),
            &mut |name, values| f(name.in_layer("hidden"), values),
        );
        ::ferroflow::__private_v0_1::Parameters::for_each_param_mut(
            ::ferroflow::__private_v0_1::unbox_mut(&mut self.output),
            &mut |name, values| f(name.in_layer("output"), values),
        );
    }
    fn apply_gradients_at<Opt: ::ferroflow::__private_v0_1::Optimizer<f32>>(
        &mut self,
        gradients: &MlpGradients<H>,
        optimizer: &mut Opt,
        offset: usize,
    ) {
        let mut offset = offset;
        ::ferroflow::__private_v0_1::Parameters::apply_gradients_at(
            ::ferroflow::__private_v0_1::unbox_mut(&mut self.hidden),
            &gradients.hidden,
            optimizer,
            offset,
        );
        offset += (__MLP_INPUT_WIDTH * H + H);
        ::ferroflow::__private_v0_1::Parameters::apply_gradients_at(
            ::ferroflow::__private_v0_1::unbox_mut(&mut self.output),
            &gradients.output,
            optimizer,
            offset,
        );
        offset += (H * 3 + 3);
        let _ = offset;
    }
}
#[automatically_derived]
impl<const H: usize> ::ferroflow::__private_v0_1::PerParameter<f32> for MlpGradients<H> {
    const LEN: usize = 0
        + <::ferroflow::__private_v0_1::Boxed<
            ::ferroflow::__private_v0_1::PerceptronGradients<f32, __MLP_INPUT_WIDTH, H>,
        > as ::ferroflow::__private_v0_1::PerParameter<f32>>::LEN
        + <::ferroflow::__private_v0_1::Boxed<
            ::ferroflow::__private_v0_1::PerceptronGradients<f32, H, 3>,
        > as ::ferroflow::__private_v0_1::PerParameter<f32>>::LEN;
    fn zeros() -> Self {
        Self {
            hidden: ::ferroflow::__private_v0_1::PerceptronGradients::boxed_zeros(),
            output: ::ferroflow::__private_v0_1::PerceptronGradients::boxed_zeros(),
        }
    }
    #[inline(always)]
    fn run_mut(
        &mut self,
        offset: usize,
        len: usize,
    ) -> ::core::option::Option<&mut [f32]> {
        let offset = match offset
            .checked_sub(
                <::ferroflow::__private_v0_1::Boxed<
                    ::ferroflow::__private_v0_1::PerceptronGradients<
                        f32,
                        __MLP_INPUT_WIDTH,
                        H,
                    >,
                > as ::ferroflow::__private_v0_1::PerParameter<f32>>::LEN,
            )
        {
            ::core::option::Option::None => {
                return ::ferroflow::__private_v0_1::PerParameter::run_mut(
                    &mut self.hidden,
                    offset,
                    len,
                );
            }
            ::core::option::Option::Some(rest) => rest,
        };
        let offset = match offset
            .checked_sub(
                <::ferroflow::__private_v0_1::Boxed<
                    ::ferroflow::__private_v0_1::PerceptronGradients<f32, H, 3>,
                > as ::ferroflow::__private_v0_1::PerParameter<f32>>::LEN,
            )
        {
            ::core::option::Option::None => {
                return ::ferroflow::__private_v0_1::PerParameter::run_mut(
                    &mut self.output,
                    offset,
                    len,
                );
            }
            ::core::option::Option::Some(rest) => rest,
        };
        let _ = (offset, len);
        ::core::option::Option::None
    }
    fn for_each_tensor(&self, f: &mut impl FnMut(&[f32])) {
        ::ferroflow::__private_v0_1::PerParameter::for_each_tensor(&self.hidden, f);
        ::ferroflow::__private_v0_1::PerParameter::for_each_tensor(&self.output, f);
    }
    fn for_each_tensor_mut(&mut self, f: &mut impl FnMut(&mut [f32])) {
        ::ferroflow::__private_v0_1::PerParameter::for_each_tensor_mut(
            &mut self.hidden,
            f,
        );
        ::ferroflow::__private_v0_1::PerParameter::for_each_tensor_mut(
            &mut self.output,
            f,
        );
    }
}
#[automatically_derived]
impl<const H: usize> ::ferroflow::__private_v0_1::quant::Quantise<__MLP_INPUT_WIDTH, 3>
for Mlp<H> {
    type Element = f32;
    type Nodes = (
        ::ferroflow::__private_v0_1::quant::InputMapping,
        ::ferroflow::__private_v0_1::quant::Dense<
            __MLP_INPUT_WIDTH,
            H,
            ::ferroflow::__private_v0_1::Relu,
        >,
        ::ferroflow::__private_v0_1::quant::Dense<
            H,
            3,
            ::ferroflow::__private_v0_1::Softmax,
        >,
    );
    type Seen = [::ferroflow::__private_v0_1::quant::Observed; 3];
    const UNSEEN: Self::Seen = [::ferroflow::__private_v0_1::quant::Observed::UNSEEN; 3];
    const SOFTMAX: bool = true;
    #[allow(unused_variables, clippy::let_and_return, clippy::redundant_locals)]
    fn observe(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, 1, __MLP_INPUT_WIDTH>,
        seen: &mut Self::Seen,
    ) {
        let f_input = *x;
        seen[0].see(f_input.as_slice());
        let f_hidden = self.hidden.observe(&f_input, &mut seen[1]);
        let f_output = self.output.observe(&f_hidden, &mut seen[2]);
    }
    #[allow(unused_variables, clippy::let_and_return, clippy::redundant_locals)]
    fn quantise_nodes(
        &self,
        seen: &Self::Seen,
    ) -> ::core::result::Result<
        (Self::Nodes, ::ferroflow::__private_v0_1::quant::Affine),
        ::ferroflow::__private_v0_1::quant::QuantiseError,
    > {
        let a_input = seen[0].mappings("input")?.1;
        let n_input = ::ferroflow::__private_v0_1::quant::InputMapping::new(a_input);
        let (n_hidden, a_hidden) = self
            .hidden
            .quantise_int8("hidden", a_input, &seen[1])?;
        let (n_output, a_output) = self
            .output
            .quantise_int8("output", a_hidden, &seen[2])?;
        ::core::result::Result::Ok(((n_input, n_hidden, n_output), a_output))
    }
    fn quantise_input(
        nodes: &Self::Nodes,
        x: &[f32; __MLP_INPUT_WIDTH],
    ) -> [i8; __MLP_INPUT_WIDTH] {
        let mut q = [0i8; __MLP_INPUT_WIDTH];
        nodes
            .0
            .quantise_into::<
                f32,
                { 0 },
                __MLP_INPUT_WIDTH,
                __MLP_INPUT_WIDTH,
            >(x, &mut q);
        q
    }
    #[allow(unused_variables, clippy::let_and_return, clippy::redundant_locals)]
    fn forward_int8(nodes: &Self::Nodes, x: &[i8; __MLP_INPUT_WIDTH]) -> [i8; 3] {
        let q_input = *x;
        let q_hidden = nodes.1.forward(&q_input);
        let q_output = nodes.2.forward(&q_hidden);
        q_output
    }
    fn for_each_node(
        nodes: &Self::Nodes,
        f: &mut dyn FnMut(
            &'static str,
            &dyn ::ferroflow::__private_v0_1::quant::Int8Node,
        ) -> ::core::fmt::Result,
    ) -> ::core::fmt::Result {
        f("input", &nodes.0)?;
        f("hidden", &nodes.1)?;
        f("output", &nodes.2)?;
        ::core::result::Result::Ok(())
    }
}
