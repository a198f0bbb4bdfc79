/// The tutorial's multi-layer perceptron for the red/blue clusters.
///
/// Architecture: 2 inputs → 16 (sigmoid `hidden`) → 2 (softmax `output`); trained on cross-entropy.
#[derive(Clone, Debug, PartialEq)]
pub struct RedBlue {
    /// Layer `hidden`: 2 → 16, sigmoid.
    pub hidden: ::ferroflow::__private_v0_1::Perceptron<
        f32,
        2,
        16,
        ::ferroflow::__private_v0_1::Sigmoid,
    >,
    /// Layer `output`: 16 → 2, softmax.
    pub output: ::ferroflow::__private_v0_1::Perceptron<
        f32,
        16,
        2,
        ::ferroflow::__private_v0_1::Softmax,
    >,
}
/// The gradients of every parameter of [`RedBlue`], one field per layer.
#[derive(Clone, Debug, PartialEq)]
pub struct RedBlueGradients {
    /// The gradients of layer `hidden`.
    pub hidden: ::ferroflow::__private_v0_1::PerceptronGradients<f32, 2, 16>,
    /// The gradients of layer `output`.
    pub output: ::ferroflow::__private_v0_1::PerceptronGradients<f32, 16, 2>,
}
/// What a training forward pass of [`RedBlue`] keeps for the backward pass: every node's output for a batch of `B` samples.
#[derive(Clone, Debug, PartialEq)]
pub struct RedBlueActivations<const B: usize> {
    /// The output of `hidden`.
    pub hidden: ::ferroflow::__private_v0_1::Matrix<f32, B, 16>,
    /// The output of `output`.
    pub output: ::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
}
impl RedBlue {
    /// The number of features per input sample.
    pub const INPUTS: usize = 2;
    /// The number of outputs per sample.
    pub const OUTPUTS: usize = 2;
    /// The number of trainable parameters.
    pub const PARAM_COUNT: usize = <Self as ::ferroflow::__private_v0_1::Parameters<
        f32,
    >>::PARAM_COUNT;
    /// The network from its layers, in the order written; usable in a `const` context, so trained weights can be baked into flash.
    pub const fn new(
        hidden: ::ferroflow::__private_v0_1::Perceptron<
            f32,
            2,
            16,
            ::ferroflow::__private_v0_1::Sigmoid,
        >,
        output: ::ferroflow::__private_v0_1::Perceptron<
            f32,
            16,
            2,
            ::ferroflow::__private_v0_1::Softmax,
        >,
    ) -> Self {
        Self { hidden, output }
    }
    /// The network with every weight and bias zero.
    pub const fn zeros() -> Self {
        Self {
            hidden: ::ferroflow::__private_v0_1::Perceptron::zeros(),
            output: ::ferroflow::__private_v0_1::Perceptron::zeros(),
        }
    }
    /// The network with weights drawn from `rng` by each layer's initialiser (Glorot
    /// for sigmoid, tanh, identity and softmax, He for ReLU), zero biases, and its
    /// dropouts' seeds drawn from `rng` too, in the order written.
    pub fn random<R: ::ferroflow::__private_v0_1::Rng + ?Sized>(rng: &mut R) -> Self {
        Self {
            hidden: ::ferroflow::__private_v0_1::Perceptron::random(rng),
            output: ::ferroflow::__private_v0_1::Perceptron::random(rng),
        }
    }
    /// Inference on a batch of `B` samples (one per row). Keeps nothing, allocates
    /// nothing.
    pub fn forward<const B: usize, const XN: usize, X>(
        &self,
        x: &X,
    ) -> ::ferroflow::__private_v0_1::Matrix<f32, B, 2>
    where
        X: ::ferroflow::__private_v0_1::AsBatch<B, XN>,
        X::Shape: ::ferroflow::__private_v0_1::Input<f32, 2, X::Element, XN>,
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
        X::Shape: ::ferroflow::__private_v0_1::Input<f32, 2, X::Element, XN>,
        L: ::ferroflow::__private_v0_1::AsBatch<LB, LN>,
        L::Shape: ::ferroflow::__private_v0_1::Labels<f32, B, 2, L::Element, LB, LN>,
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
        X::Shape: ::ferroflow::__private_v0_1::Input<f32, 2, X::Element, XN>,
        L: ::ferroflow::__private_v0_1::AsBatch<LB, LN>,
        L::Shape: ::ferroflow::__private_v0_1::Labels<f32, B, 2, L::Element, LB, LN>,
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, RedBlueGradients>,
    {
        ::ferroflow::__private_v0_1::Network::train_step(
            self,
            ::ferroflow::__private_v0_1::input(x),
            ::ferroflow::__private_v0_1::labels(labels),
            optimizer,
        )
    }
    /// The outputs for one sample.
    pub fn predict(&self, sample: &[f32; 2]) -> [f32; 2] {
        let out = ::ferroflow::__private_v0_1::Network::forward(
            self,
            &::ferroflow::__private_v0_1::matrix::row(*sample),
        );
        ::ferroflow::__private_v0_1::matrix::row_to_array(&out)
    }
    /// The predicted class of one sample: the index of its largest output.
    pub fn classify(&self, sample: &[f32; 2]) -> usize {
        let out = ::ferroflow::__private_v0_1::Network::forward(
            self,
            &::ferroflow::__private_v0_1::matrix::row(*sample),
        );
        ::ferroflow::__private_v0_1::matrix::argmax_rows(&out)[0]
    }
}
/// The network with every weight and bias zero ([`zeros`](Self::zeros)): what a
/// model is loaded into (`ferroflow::io::LoadWeights`).
impl ::core::default::Default for RedBlue {
    fn default() -> Self {
        Self::zeros()
    }
}
#[automatically_derived]
impl ::ferroflow::__private_v0_1::Network<f32, 2, 2> for RedBlue {
    type Activations<const B: usize> = RedBlueActivations<B>;
    fn forward<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
    ) -> ::ferroflow::__private_v0_1::Matrix<f32, B, 2> {
        if ::ferroflow::__private_v0_1::workspace::on_stack(
            Self::forward_stack_bytes::<B>(),
        ) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __RedBlueForward < B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::ZEROS; let fw = & mut
                held; self.__infer_in:: < __PassArithmetic, B, _ > (x, fw); * & * fw
                .out_output }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                <__RedBlueForward<
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
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
    ) -> RedBlueActivations<B> {
        if ::ferroflow::__private_v0_1::workspace::on_stack(
            Self::forward_stack_bytes::<B>(),
        ) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __RedBlueForward < B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::ZEROS; let fw = & mut
                held; self.__trace_in:: < __PassArithmetic, B, _ > (x, fw);
                RedBlueActivations { hidden : * fw.out_hidden, output : * fw.out_output }
                }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                <__RedBlueForward<
                    B,
                    ::ferroflow::__private_v0_1::workspace::Heap,
                >>::zeros,
                |fw| {
                    ::ferroflow::__private_v0_1::widest_pass!(
                        __PassArithmetic => { self.__trace_in:: < __PassArithmetic, B, _
                        > (x, fw); RedBlueActivations { hidden : * fw.out_hidden, output
                        : * fw.out_output } }
                    )
                },
            )
        }
    }
    fn output<const B: usize>(
        activations: &RedBlueActivations<B>,
    ) -> &::ferroflow::__private_v0_1::Matrix<f32, B, 2> {
        &activations.output
    }
    fn loss<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
    ) -> f32 {
        <::ferroflow::__private_v0_1::CrossEntropy as ::ferroflow::__private_v0_1::Loss<
            ::ferroflow::__private_v0_1::Softmax,
        >>::loss(&::ferroflow::__private_v0_1::Network::forward(self, x), labels)
    }
    fn backward<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        activations: &RedBlueActivations<B>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
    ) -> (f32, RedBlueGradients) {
        if ::ferroflow::__private_v0_1::workspace::on_stack(
            ::core::mem::size_of::<
                __RedBlueBackward<B, ::ferroflow::__private_v0_1::workspace::Stack>,
            >(),
        ) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __RedBlueBackward < B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::ZEROS; let bw = & mut
                held; self.__gradients_in(x, labels, bw, & activations.hidden, &
                activations.output) }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                <__RedBlueBackward<
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
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
    ) -> (f32, RedBlueGradients) {
        if ::ferroflow::__private_v0_1::workspace::on_stack(Self::stack_bytes::<B>()) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __RedBlueForward < B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::STEP_ZEROS; let ws =
                & mut held; let (fw, bw) = ws; self.__trace_in:: < __PassArithmetic, B, _
                > (x, fw); self.__gradients_in(x, labels, bw, & * fw.out_hidden, & * fw
                .out_output) }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                || (
                    <__RedBlueForward<
                        B,
                        ::ferroflow::__private_v0_1::workspace::Heap,
                    >>::zeros(),
                    <__RedBlueBackward<
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
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, RedBlueGradients>,
    >(
        &mut self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        activations: &Self::Activations<B>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        optimizer: &mut Opt,
    ) -> f32 {
        if ::ferroflow::__private_v0_1::workspace::on_stack(
            ::core::mem::size_of::<
                __RedBlueBackward<B, ::ferroflow::__private_v0_1::workspace::Stack>,
            >(),
        ) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __RedBlueBackward < B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::ZEROS; let bw = & mut
                held; self.__update_in(x, labels, optimizer, bw, & activations.hidden, &
                activations.output) }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                <__RedBlueBackward<
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
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, RedBlueGradients>,
    >(
        &mut self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        optimizer: &mut Opt,
    ) -> f32 {
        if ::ferroflow::__private_v0_1::workspace::on_stack(Self::stack_bytes::<B>()) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __RedBlueForward < B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::STEP_ZEROS; let ws =
                & mut held; let (fw, bw) = ws; self.__trace_in:: < __PassArithmetic, B, _
                > (x, fw); self.__update_in(x, labels, optimizer, bw, & * fw.out_hidden,
                & * fw.out_output) }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                || (
                    <__RedBlueForward<
                        B,
                        ::ferroflow::__private_v0_1::workspace::Heap,
                    >>::zeros(),
                    <__RedBlueBackward<
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
/// Where a forward pass of [`RedBlue`] writes every node's output.
#[doc(hidden)]
struct __RedBlueForward<
    const B: usize,
    S: ::ferroflow::__private_v0_1::workspace::Store,
> {
    out_hidden: S::Slot<f32, B, 16>,
    out_output: S::Slot<f32, B, 2>,
}
impl<
    const B: usize,
    S: ::ferroflow::__private_v0_1::workspace::Store,
> __RedBlueForward<B, S> {
    /// The workspace with every matrix zero, each made where `S` keeps it.
    fn zeros() -> Self {
        Self {
            out_hidden: S::zeros(),
            out_output: S::zeros(),
        }
    }
}
impl<const B: usize> __RedBlueForward<B, ::ferroflow::__private_v0_1::workspace::Stack> {
    /// The workspace on the stack, as a constant: copied into place once.
    const ZEROS: Self = Self {
        out_hidden: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        out_output: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
    };
}
/// Where a backward pass of [`RedBlue`] writes every node's gradient.
#[doc(hidden)]
struct __RedBlueBackward<
    const B: usize,
    S: ::ferroflow::__private_v0_1::workspace::Store,
> {
    grad_hidden: S::Slot<f32, B, 16>,
    grad_output: S::Slot<f32, B, 2>,
}
impl<
    const B: usize,
    S: ::ferroflow::__private_v0_1::workspace::Store,
> __RedBlueBackward<B, S> {
    /// The workspace with every matrix zero, each made where `S` keeps it.
    fn zeros() -> Self {
        Self {
            grad_hidden: S::zeros(),
            grad_output: S::zeros(),
        }
    }
}
impl<
    const B: usize,
> __RedBlueBackward<B, ::ferroflow::__private_v0_1::workspace::Stack> {
    /// The workspace on the stack, as a constant: copied into place once.
    const ZEROS: Self = Self {
        grad_hidden: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        grad_output: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
    };
}
impl<const B: usize> __RedBlueForward<B, ::ferroflow::__private_v0_1::workspace::Stack> {
    /// A training step's two workspaces on the stack, as one constant: a debug
    /// build copies it into place once, with no temporary for each half.
    #[allow(clippy::type_complexity)]
    const STEP_ZEROS: (
        Self,
        __RedBlueBackward<B, ::ferroflow::__private_v0_1::workspace::Stack>,
    ) = (
        Self::ZEROS,
        <__RedBlueBackward<B, ::ferroflow::__private_v0_1::workspace::Stack>>::ZEROS,
    );
}
impl RedBlue {
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
        let layer = ::ferroflow::__private_v0_1::workspace::update_bytes::<f32>(B, 2);
        if layer > update {
            update = layer;
        }
        let layer = ::ferroflow::__private_v0_1::workspace::update_bytes::<f32>(B, 16);
        if layer > update {
            update = layer;
        }
        ::core::mem::size_of::<
            __RedBlueForward<B, ::ferroflow::__private_v0_1::workspace::Stack>,
        >()
            + ::core::mem::size_of::<
                __RedBlueBackward<B, ::ferroflow::__private_v0_1::workspace::Stack>,
            >() + update
    }
    /// The bytes of stack inference (`forward`, `predict`, `classify`) on a batch of
    /// `B` samples needs for its temporaries, as [`stack_bytes`](Self::stack_bytes)
    /// for a training step.
    pub const fn forward_stack_bytes<const B: usize>() -> usize {
        ::core::mem::size_of::<
            __RedBlueForward<B, ::ferroflow::__private_v0_1::workspace::Stack>,
        >()
    }
    /// A training step (see `train_step`) with every temporary on this thread's
    /// stack, as without a heap, however large the batch: it needs
    /// [`stack_bytes`](Self::stack_bytes) of stack and never allocates, not even on
    /// a first step.
    pub fn train_step_on_stack<
        const B: usize,
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, RedBlueGradients>,
    >(
        &mut self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        optimizer: &mut Opt,
    ) -> f32 {
        ::ferroflow::__private_v0_1::widest_pass!(
            own frame; __PassArithmetic => { let mut held = < __RedBlueForward < B,
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
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        fw: &mut __RedBlueForward<B, S>,
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
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        fw: &mut __RedBlueForward<B, S>,
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
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        bw: &mut __RedBlueBackward<B, S>,
        out_hidden: &::ferroflow::__private_v0_1::Matrix<f32, B, 16>,
        out_output: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
    ) -> (f32, RedBlueGradients) {
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
            RedBlueGradients {
                hidden: parameters_hidden,
                output: parameters_output,
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
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, RedBlueGradients>,
    >(
        &mut self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        optimizer: &mut Opt,
        bw: &mut __RedBlueBackward<B, S>,
        out_hidden: &::ferroflow::__private_v0_1::Matrix<f32, B, 16>,
        out_output: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
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
            .train_update(out_hidden, &*bw.grad_output, optimizer, 0 + (2 * 16 + 16));
        self.hidden.pre_activation_gradient_in_place(out_hidden, &mut *bw.grad_hidden);
        self.hidden.train_update(x, &*bw.grad_hidden, optimizer, 0);
        loss
    }
}
#[automatically_derived]
impl ::ferroflow::__private_v0_1::Parameters<f32> for RedBlue {
    type Gradients = RedBlueGradients;
    fn for_each_param(
        &self,
        f: &mut impl FnMut(::ferroflow::__private_v0_1::ParamName<'_>, &[f32]),
    ) {
        ::ferroflow::__private_v0_1::Parameters::for_each_param(
            &self.hidden,
            &mut |name, values| f(name.in_layer("hidden"), values),
        );
        ::ferroflow::__private_v0_1::Parameters::for_each_param(
            &self.output,
            &mut |name, values| f(name.in_layer("output"), values),
        );
    }
    fn for_each_param_mut(
        &mut self,
        f: &mut impl FnMut(::ferroflow::__private_v0_1::ParamName<'_>, &mut [f32]),
    ) {
        ::ferroflow::__private_v0_1::Parameters::for_each_param_mut(
            &mut self.hidden,
            &mut |name, values| f(name.in_layer("hidden"), values),
        );
        ::ferroflow::__private_v0_1::Parameters::for_each_param_mut(
            &mut self.output,
            &mut |name, values| f(name.in_layer("output"), values),
        );
    }
    fn apply_gradients_at<Opt: ::ferroflow::__private_v0_1::Optimizer<f32>>(
        &mut self,
        gradients: &RedBlueGradients,
        optimizer: &mut Opt,
        offset: usize,
    ) {
        let mut offset = offset;
        ::ferroflow::__private_v0_1::Parameters::apply_gradients_at(
            &mut self.hidden,
            &gradients.hidden,
            optimizer,
            offset,
        );
        offset += (2 * 16 + 16);
        ::ferroflow::__private_v0_1::Parameters::apply_gradients_at(
            &mut self.output,
            &gradients.output,
            optimizer,
            offset,
        );
        offset += (16 * 2 + 2);
        let _ = offset;
    }
}
#[automatically_derived]
impl ::ferroflow::__private_v0_1::PerParameter<f32> for RedBlueGradients {
    const LEN: usize = 0
        + <::ferroflow::__private_v0_1::PerceptronGradients<
            f32,
            2,
            16,
        > as ::ferroflow::__private_v0_1::PerParameter<f32>>::LEN
        + <::ferroflow::__private_v0_1::PerceptronGradients<
            f32,
            16,
            2,
        > as ::ferroflow::__private_v0_1::PerParameter<f32>>::LEN;
    fn zeros() -> Self {
        Self {
            hidden: ::ferroflow::__private_v0_1::PerceptronGradients::zeros(),
            output: ::ferroflow::__private_v0_1::PerceptronGradients::zeros(),
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
                <::ferroflow::__private_v0_1::PerceptronGradients<
                    f32,
                    2,
                    16,
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
                <::ferroflow::__private_v0_1::PerceptronGradients<
                    f32,
                    16,
                    2,
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
impl ::ferroflow::__private_v0_1::quant::Quantise<2, 2> for RedBlue {
    type Element = f32;
    type Nodes = (
        ::ferroflow::__private_v0_1::quant::InputMapping,
        ::ferroflow::__private_v0_1::quant::Dense<
            2,
            16,
            ::ferroflow::__private_v0_1::Sigmoid,
        >,
        ::ferroflow::__private_v0_1::quant::Dense<
            16,
            2,
            ::ferroflow::__private_v0_1::Softmax,
        >,
    );
    type Seen = [::ferroflow::__private_v0_1::quant::Observed; 3];
    const UNSEEN: Self::Seen = [::ferroflow::__private_v0_1::quant::Observed::UNSEEN; 3];
    const SOFTMAX: bool = true;
    #[allow(unused_variables, clippy::let_and_return, clippy::redundant_locals)]
    fn observe(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, 1, 2>,
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
    fn quantise_input(nodes: &Self::Nodes, x: &[f32; 2]) -> [i8; 2] {
        let mut q = [0i8; 2];
        nodes.0.quantise_into::<f32, { 0 }, 2, 2>(x, &mut q);
        q
    }
    #[allow(unused_variables, clippy::let_and_return, clippy::redundant_locals)]
    fn forward_int8(nodes: &Self::Nodes, x: &[i8; 2]) -> [i8; 2] {
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
