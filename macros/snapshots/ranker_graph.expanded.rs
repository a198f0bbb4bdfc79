/// A residual block beside a one-hot context.
///
/// A graph: input `features` (6 wide); input `context` (3 wide); 8 (ReLU `stem`) ← `features`; 8 (tanh `block`) ← `stem`; `skip` = sum ← `stem`, `block`; dropout 0.2 `drop` ← `skip`; `joined` = concatenation, 11 wide ← `drop`, `context`; 2 (softmax `output`) ← `joined`; trained on cross-entropy.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranker {
    /// Layer `stem`: 6 → 8, ReLU, reading `features`.
    pub stem: ::ferroflow::__private_v0_1::Perceptron<
        f32,
        6,
        8,
        ::ferroflow::__private_v0_1::Relu,
    >,
    /// Layer `block`: 8 → 8, tanh.
    pub block: ::ferroflow::__private_v0_1::Perceptron<
        f32,
        8,
        8,
        ::ferroflow::__private_v0_1::Tanh,
    >,
    /// Dropout `drop`: drops a share of 0.2 of `skip`'s outputs in training.
    pub drop: ::ferroflow::__private_v0_1::Dropout<f32>,
    /// Layer `output`: 11 → 2, softmax.
    pub output: ::ferroflow::__private_v0_1::Perceptron<
        f32,
        11,
        2,
        ::ferroflow::__private_v0_1::Softmax,
    >,
}
/// The gradients of every parameter of [`Ranker`], one field per layer.
#[derive(Clone, Debug, PartialEq)]
pub struct RankerGradients {
    /// The gradients of layer `stem`.
    pub stem: ::ferroflow::__private_v0_1::PerceptronGradients<f32, 6, 8>,
    /// The gradients of layer `block`.
    pub block: ::ferroflow::__private_v0_1::PerceptronGradients<f32, 8, 8>,
    /// The gradients of layer `output`.
    pub output: ::ferroflow::__private_v0_1::PerceptronGradients<f32, 11, 2>,
}
/// What a training forward pass of [`Ranker`] keeps for the backward pass: every node's output for a batch of `B` samples.
#[derive(Clone, Debug, PartialEq)]
pub struct RankerActivations<const B: usize> {
    /// The output of `stem`.
    pub stem: ::ferroflow::__private_v0_1::Matrix<f32, B, 8>,
    /// The output of `block`.
    pub block: ::ferroflow::__private_v0_1::Matrix<f32, B, 8>,
    /// The output of `skip`.
    pub skip: ::ferroflow::__private_v0_1::Matrix<f32, B, 8>,
    /// The output of `drop`.
    pub drop: ::ferroflow::__private_v0_1::Matrix<f32, B, 8>,
    /// The output of `joined`.
    pub joined: ::ferroflow::__private_v0_1::Matrix<f32, B, 11>,
    /// The output of `output`.
    pub output: ::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
}
impl Ranker {
    /// The number of features per input sample.
    pub const INPUTS: usize = 9;
    /// The number of outputs per sample.
    pub const OUTPUTS: usize = 2;
    /// The number of trainable parameters.
    pub const PARAM_COUNT: usize = <Self as ::ferroflow::__private_v0_1::Parameters<
        f32,
    >>::PARAM_COUNT;
    /// The network from its layers, in the order written; usable in a `const` context, so trained weights can be baked into flash.
    pub const fn new(
        stem: ::ferroflow::__private_v0_1::Perceptron<
            f32,
            6,
            8,
            ::ferroflow::__private_v0_1::Relu,
        >,
        block: ::ferroflow::__private_v0_1::Perceptron<
            f32,
            8,
            8,
            ::ferroflow::__private_v0_1::Tanh,
        >,
        output: ::ferroflow::__private_v0_1::Perceptron<
            f32,
            11,
            2,
            ::ferroflow::__private_v0_1::Softmax,
        >,
    ) -> Self {
        Self {
            stem,
            block,
            output,
            drop: ::ferroflow::__private_v0_1::Dropout::new(0.2, 0u64),
        }
    }
    /// The network with every weight and bias zero.
    pub const fn zeros() -> Self {
        Self {
            stem: ::ferroflow::__private_v0_1::Perceptron::zeros(),
            block: ::ferroflow::__private_v0_1::Perceptron::zeros(),
            output: ::ferroflow::__private_v0_1::Perceptron::zeros(),
            drop: ::ferroflow::__private_v0_1::Dropout::new(0.2, 0u64),
        }
    }
    /// The network with weights drawn from `rng` by each layer's initialiser (Glorot
    /// for sigmoid, tanh, identity and softmax, He for ReLU), zero biases, and its
    /// dropouts' seeds drawn from `rng` too, in the order written.
    pub fn random<R: ::ferroflow::__private_v0_1::Rng + ?Sized>(rng: &mut R) -> Self {
        Self {
            stem: ::ferroflow::__private_v0_1::Perceptron::random(rng),
            block: ::ferroflow::__private_v0_1::Perceptron::random(rng),
            drop: ::ferroflow::__private_v0_1::Dropout::random(0.2, rng),
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
        X::Shape: ::ferroflow::__private_v0_1::Input<f32, 9, X::Element, XN>,
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
        X::Shape: ::ferroflow::__private_v0_1::Input<f32, 9, X::Element, XN>,
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
        X::Shape: ::ferroflow::__private_v0_1::Input<f32, 9, X::Element, XN>,
        L: ::ferroflow::__private_v0_1::AsBatch<LB, LN>,
        L::Shape: ::ferroflow::__private_v0_1::Labels<f32, B, 2, L::Element, LB, LN>,
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, RankerGradients>,
    {
        ::ferroflow::__private_v0_1::Network::train_step(
            self,
            ::ferroflow::__private_v0_1::input(x),
            ::ferroflow::__private_v0_1::labels(labels),
            optimizer,
        )
    }
    /// The outputs for one sample.
    pub fn predict(&self, sample: &[f32; 9]) -> [f32; 2] {
        let out = ::ferroflow::__private_v0_1::Network::forward(
            self,
            &::ferroflow::__private_v0_1::matrix::row(*sample),
        );
        ::ferroflow::__private_v0_1::matrix::row_to_array(&out)
    }
    /// The predicted class of one sample: the index of its largest output.
    pub fn classify(&self, sample: &[f32; 9]) -> usize {
        let out = ::ferroflow::__private_v0_1::Network::forward(
            self,
            &::ferroflow::__private_v0_1::matrix::row(*sample),
        );
        ::ferroflow::__private_v0_1::matrix::argmax_rows(&out)[0]
    }
}
/// The network with every weight and bias zero ([`zeros`](Self::zeros)): what a
/// model is loaded into (`ferroflow::io::LoadWeights`).
impl ::core::default::Default for Ranker {
    fn default() -> Self {
        Self::zeros()
    }
}
#[automatically_derived]
impl ::ferroflow::__private_v0_1::Network<f32, 9, 2> for Ranker {
    type Activations<const B: usize> = RankerActivations<B>;
    fn forward<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
    ) -> ::ferroflow::__private_v0_1::Matrix<f32, B, 2> {
        if ::ferroflow::__private_v0_1::workspace::on_stack(
            Self::forward_stack_bytes::<B>(),
        ) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __RankerForward < B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::ZEROS; let fw = & mut
                held; self.__infer_in:: < __PassArithmetic, B, _ > (x, fw); * & * fw
                .out_output }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                <__RankerForward<
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
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
    ) -> RankerActivations<B> {
        if ::ferroflow::__private_v0_1::workspace::on_stack(
            Self::forward_stack_bytes::<B>(),
        ) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __RankerForward < B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::ZEROS; let fw = & mut
                held; self.__trace_in:: < __PassArithmetic, B, _ > (x, fw);
                RankerActivations { stem : * fw.out_stem, block : * fw.out_block, skip :
                * fw.out_skip, drop : * fw.out_drop, joined : * fw.out_joined, output : *
                fw.out_output } }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                <__RankerForward<
                    B,
                    ::ferroflow::__private_v0_1::workspace::Heap,
                >>::zeros,
                |fw| {
                    ::ferroflow::__private_v0_1::widest_pass!(
                        __PassArithmetic => { self.__trace_in:: < __PassArithmetic, B, _
                        > (x, fw); RankerActivations { stem : * fw.out_stem, block : * fw
                        .out_block, skip : * fw.out_skip, drop : * fw.out_drop, joined :
                        * fw.out_joined, output : * fw.out_output } }
                    )
                },
            )
        }
    }
    fn output<const B: usize>(
        activations: &RankerActivations<B>,
    ) -> &::ferroflow::__private_v0_1::Matrix<f32, B, 2> {
        &activations.output
    }
    fn loss<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
    ) -> f32 {
        <::ferroflow::__private_v0_1::CrossEntropy as ::ferroflow::__private_v0_1::Loss<
            ::ferroflow::__private_v0_1::Softmax,
        >>::loss(&::ferroflow::__private_v0_1::Network::forward(self, x), labels)
    }
    fn backward<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
        activations: &RankerActivations<B>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
    ) -> (f32, RankerGradients) {
        if ::ferroflow::__private_v0_1::workspace::on_stack(
            ::core::mem::size_of::<
                __RankerBackward<B, ::ferroflow::__private_v0_1::workspace::Stack>,
            >(),
        ) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __RankerBackward < B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::ZEROS; let bw = & mut
                held; self.__gradients_in(x, labels, bw, & activations.stem, &
                activations.block, & activations.skip, & activations.drop, & activations
                .joined, & activations.output) }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                <__RankerBackward<
                    B,
                    ::ferroflow::__private_v0_1::workspace::Heap,
                >>::zeros,
                |bw| {
                    ::ferroflow::__private_v0_1::widest_pass!(
                        __PassArithmetic => { self.__gradients_in(x, labels, bw, &
                        activations.stem, & activations.block, & activations.skip, &
                        activations.drop, & activations.joined, & activations.output) }
                    )
                },
            )
        }
    }
    fn gradients<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
    ) -> (f32, RankerGradients) {
        if ::ferroflow::__private_v0_1::workspace::on_stack(Self::stack_bytes::<B>()) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __RankerForward < B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::STEP_ZEROS; let ws =
                & mut held; let (fw, bw) = ws; self.__trace_in:: < __PassArithmetic, B, _
                > (x, fw); self.__gradients_in(x, labels, bw, & * fw.out_stem, & * fw
                .out_block, & * fw.out_skip, & * fw.out_drop, & * fw.out_joined, & * fw
                .out_output) }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                || (
                    <__RankerForward<
                        B,
                        ::ferroflow::__private_v0_1::workspace::Heap,
                    >>::zeros(),
                    <__RankerBackward<
                        B,
                        ::ferroflow::__private_v0_1::workspace::Heap,
                    >>::zeros(),
                ),
                |ws| {
                    ::ferroflow::__private_v0_1::widest_pass!(
                        __PassArithmetic => { let (fw, bw) = ws; self.__trace_in:: <
                        __PassArithmetic, B, _ > (x, fw); self.__gradients_in(x, labels,
                        bw, & * fw.out_stem, & * fw.out_block, & * fw.out_skip, & * fw
                        .out_drop, & * fw.out_joined, & * fw.out_output) }
                    )
                },
            )
        }
    }
    fn update_from_trace<
        const B: usize,
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, RankerGradients>,
    >(
        &mut self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
        activations: &Self::Activations<B>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        optimizer: &mut Opt,
    ) -> f32 {
        if ::ferroflow::__private_v0_1::workspace::on_stack(
            ::core::mem::size_of::<
                __RankerBackward<B, ::ferroflow::__private_v0_1::workspace::Stack>,
            >(),
        ) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __RankerBackward < B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::ZEROS; let bw = & mut
                held; self.__update_in(x, labels, optimizer, bw, & activations.stem, &
                activations.block, & activations.skip, & activations.drop, & activations
                .joined, & activations.output) }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                <__RankerBackward<
                    B,
                    ::ferroflow::__private_v0_1::workspace::Heap,
                >>::zeros,
                |bw| {
                    ::ferroflow::__private_v0_1::widest_pass!(
                        __PassArithmetic => { self.__update_in(x, labels, optimizer, bw,
                        & activations.stem, & activations.block, & activations.skip, &
                        activations.drop, & activations.joined, & activations.output) }
                    )
                },
            )
        }
    }
    fn train_step<
        const B: usize,
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, RankerGradients>,
    >(
        &mut self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        optimizer: &mut Opt,
    ) -> f32 {
        if ::ferroflow::__private_v0_1::workspace::on_stack(Self::stack_bytes::<B>()) {
            ::ferroflow::__private_v0_1::widest_pass!(
                own frame; __PassArithmetic => { let mut held = < __RankerForward < B,
                ::ferroflow::__private_v0_1::workspace::Stack > > ::STEP_ZEROS; let ws =
                & mut held; let (fw, bw) = ws; self.__trace_in:: < __PassArithmetic, B, _
                > (x, fw); self.__update_in(x, labels, optimizer, bw, & * fw.out_stem, &
                * fw.out_block, & * fw.out_skip, & * fw.out_drop, & * fw.out_joined, & *
                fw.out_output) }
            )
        } else {
            ::ferroflow::__private_v0_1::workspace::cached(
                || (
                    <__RankerForward<
                        B,
                        ::ferroflow::__private_v0_1::workspace::Heap,
                    >>::zeros(),
                    <__RankerBackward<
                        B,
                        ::ferroflow::__private_v0_1::workspace::Heap,
                    >>::zeros(),
                ),
                |ws| {
                    ::ferroflow::__private_v0_1::widest_pass!(
                        __PassArithmetic => { let (fw, bw) = ws; self.__trace_in:: <
                        __PassArithmetic, B, _ > (x, fw); self.__update_in(x, labels,
                        optimizer, bw, & * fw.out_stem, & * fw.out_block, & * fw
                        .out_skip, & * fw.out_drop, & * fw.out_joined, & * fw.out_output)
                        }
                    )
                },
            )
        }
    }
}
/// Where a forward pass of [`Ranker`] writes every node's output.
#[doc(hidden)]
struct __RankerForward<
    const B: usize,
    S: ::ferroflow::__private_v0_1::workspace::Store,
> {
    in_features: S::Slot<f32, B, 6>,
    in_context: S::Slot<f32, B, 3>,
    out_stem: S::Slot<f32, B, 8>,
    out_block: S::Slot<f32, B, 8>,
    out_skip: S::Slot<f32, B, 8>,
    out_drop: S::Slot<f32, B, 8>,
    out_joined: S::Slot<f32, B, 11>,
    out_output: S::Slot<f32, B, 2>,
}
impl<
    const B: usize,
    S: ::ferroflow::__private_v0_1::workspace::Store,
> __RankerForward<B, S> {
    /// The workspace with every matrix zero, each made where `S` keeps it.
    fn zeros() -> Self {
        Self {
            in_features: S::zeros(),
            in_context: S::zeros(),
            out_stem: S::zeros(),
            out_block: S::zeros(),
            out_skip: S::zeros(),
            out_drop: S::zeros(),
            out_joined: S::zeros(),
            out_output: S::zeros(),
        }
    }
}
impl<const B: usize> __RankerForward<B, ::ferroflow::__private_v0_1::workspace::Stack> {
    /// The workspace on the stack, as a constant: copied into place once.
    const ZEROS: Self = Self {
        in_features: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        in_context: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        out_stem: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        out_block: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        out_skip: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        out_drop: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        out_joined: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        out_output: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
    };
}
/// Where a backward pass of [`Ranker`] writes every node's gradient.
#[doc(hidden)]
struct __RankerBackward<
    const B: usize,
    S: ::ferroflow::__private_v0_1::workspace::Store,
> {
    in_features: S::Slot<f32, B, 6>,
    in_context: S::Slot<f32, B, 3>,
    grad_stem: S::Slot<f32, B, 8>,
    grad_block: S::Slot<f32, B, 8>,
    grad_skip: S::Slot<f32, B, 8>,
    grad_drop: S::Slot<f32, B, 8>,
    grad_joined: S::Slot<f32, B, 11>,
    grad_output: S::Slot<f32, B, 2>,
}
impl<
    const B: usize,
    S: ::ferroflow::__private_v0_1::workspace::Store,
> __RankerBackward<B, S> {
    /// The workspace with every matrix zero, each made where `S` keeps it.
    fn zeros() -> Self {
        Self {
            in_features: S::zeros(),
            in_context: S::zeros(),
            grad_stem: S::zeros(),
            grad_block: S::zeros(),
            grad_skip: S::zeros(),
            grad_drop: S::zeros(),
            grad_joined: S::zeros(),
            grad_output: S::zeros(),
        }
    }
}
impl<const B: usize> __RankerBackward<B, ::ferroflow::__private_v0_1::workspace::Stack> {
    /// The workspace on the stack, as a constant: copied into place once.
    const ZEROS: Self = Self {
        in_features: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        in_context: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        grad_stem: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        grad_block: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        grad_skip: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        grad_drop: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        grad_joined: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
        grad_output: ::ferroflow::__private_v0_1::workspace::Inline::ZEROS,
    };
}
impl<const B: usize> __RankerForward<B, ::ferroflow::__private_v0_1::workspace::Stack> {
    /// A training step's two workspaces on the stack, as one constant: a debug
    /// build copies it into place once, with no temporary for each half.
    #[allow(clippy::type_complexity)]
    const STEP_ZEROS: (
        Self,
        __RankerBackward<B, ::ferroflow::__private_v0_1::workspace::Stack>,
    ) = (
        Self::ZEROS,
        <__RankerBackward<B, ::ferroflow::__private_v0_1::workspace::Stack>>::ZEROS,
    );
}
impl Ranker {
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
        let layer = ::ferroflow::__private_v0_1::workspace::update_bytes::<f32>(B, 6);
        if layer > update {
            update = layer;
        }
        let layer = ::ferroflow::__private_v0_1::workspace::update_bytes::<f32>(B, 8);
        if layer > update {
            update = layer;
        }
        let layer = ::ferroflow::__private_v0_1::workspace::update_bytes::<f32>(B, 11);
        if layer > update {
            update = layer;
        }
        ::core::mem::size_of::<
            __RankerForward<B, ::ferroflow::__private_v0_1::workspace::Stack>,
        >()
            + ::core::mem::size_of::<
                __RankerBackward<B, ::ferroflow::__private_v0_1::workspace::Stack>,
            >() + update
    }
    /// The bytes of stack inference (`forward`, `predict`, `classify`) on a batch of
    /// `B` samples needs for its temporaries, as [`stack_bytes`](Self::stack_bytes)
    /// for a training step.
    pub const fn forward_stack_bytes<const B: usize>() -> usize {
        ::core::mem::size_of::<
            __RankerForward<B, ::ferroflow::__private_v0_1::workspace::Stack>,
        >()
    }
    /// A training step (see `train_step`) with every temporary on this thread's
    /// stack, as without a heap, however large the batch: it needs
    /// [`stack_bytes`](Self::stack_bytes) of stack and never allocates, not even on
    /// a first step.
    pub fn train_step_on_stack<
        const B: usize,
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, RankerGradients>,
    >(
        &mut self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        optimizer: &mut Opt,
    ) -> f32 {
        ::ferroflow::__private_v0_1::widest_pass!(
            own frame; __PassArithmetic => { let mut held = < __RankerForward < B,
            ::ferroflow::__private_v0_1::workspace::Stack > > ::STEP_ZEROS; let (fw, bw)
            = & mut held; self.__trace_in:: < __PassArithmetic, B, _ > (x, fw); self
            .__update_in(x, labels, optimizer, bw, & * fw.out_stem, & * fw.out_block, & *
            fw.out_skip, & * fw.out_drop, & * fw.out_joined, & * fw.out_output) }
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
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
        fw: &mut __RankerForward<B, S>,
    ) {
        ::ferroflow::__private_v0_1::ops::concat::columns_into::<
            { 0 },
            6,
            f32,
            B,
            9,
        >(x, &mut *fw.in_features);
        ::ferroflow::__private_v0_1::ops::concat::columns_into::<
            { 0 + 6 },
            3,
            f32,
            B,
            9,
        >(x, &mut *fw.in_context);
        self.stem
            .__forward_into_as::<
                __PassArithmetic,
                B,
            >(&*fw.in_features, &mut *fw.out_stem);
        self.block
            .__forward_into_as::<__PassArithmetic, B>(&*fw.out_stem, &mut *fw.out_block);
        ::ferroflow::__private_v0_1::ops::add::assign_as_width(
            &*fw.out_stem,
            &mut *fw.out_skip,
        );
        ::ferroflow::__private_v0_1::ops::add::add_as_width(
            &*fw.out_block,
            &mut *fw.out_skip,
        );
        ::ferroflow::__private_v0_1::ops::concat::place::<
            { 0 },
            f32,
            B,
            8,
            11,
        >(&mut *fw.out_joined, &*fw.out_skip);
        ::ferroflow::__private_v0_1::ops::concat::place::<
            { 0 + 8 },
            f32,
            B,
            3,
            11,
        >(&mut *fw.out_joined, &*fw.in_context);
        self.output
            .__forward_into_as::<
                __PassArithmetic,
                B,
            >(&*fw.out_joined, &mut *fw.out_output);
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
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
        fw: &mut __RankerForward<B, S>,
    ) {
        ::ferroflow::__private_v0_1::ops::concat::columns_into::<
            { 0 },
            6,
            f32,
            B,
            9,
        >(x, &mut *fw.in_features);
        ::ferroflow::__private_v0_1::ops::concat::columns_into::<
            { 0 + 6 },
            3,
            f32,
            B,
            9,
        >(x, &mut *fw.in_context);
        self.stem
            .__forward_into_as::<
                __PassArithmetic,
                B,
            >(&*fw.in_features, &mut *fw.out_stem);
        self.block
            .__forward_into_as::<__PassArithmetic, B>(&*fw.out_stem, &mut *fw.out_block);
        ::ferroflow::__private_v0_1::ops::add::assign_as_width(
            &*fw.out_stem,
            &mut *fw.out_skip,
        );
        ::ferroflow::__private_v0_1::ops::add::add_as_width(
            &*fw.out_block,
            &mut *fw.out_skip,
        );
        self.drop.forward_train_into(&*fw.out_skip, &mut *fw.out_drop);
        ::ferroflow::__private_v0_1::ops::concat::place::<
            { 0 },
            f32,
            B,
            8,
            11,
        >(&mut *fw.out_joined, &*fw.out_drop);
        ::ferroflow::__private_v0_1::ops::concat::place::<
            { 0 + 8 },
            f32,
            B,
            3,
            11,
        >(&mut *fw.out_joined, &*fw.in_context);
        self.output
            .__forward_into_as::<
                __PassArithmetic,
                B,
            >(&*fw.out_joined, &mut *fw.out_output);
    }
    /// The loss and every parameter's gradients, from the nodes' outputs, with the
    /// gradients of the nodes in `bw`.
    #[allow(unused_variables, clippy::too_many_arguments)]
    #[inline]
    fn __gradients_in<const B: usize, S: ::ferroflow::__private_v0_1::workspace::Store>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        bw: &mut __RankerBackward<B, S>,
        out_stem: &::ferroflow::__private_v0_1::Matrix<f32, B, 8>,
        out_block: &::ferroflow::__private_v0_1::Matrix<f32, B, 8>,
        out_skip: &::ferroflow::__private_v0_1::Matrix<f32, B, 8>,
        out_drop: &::ferroflow::__private_v0_1::Matrix<f32, B, 8>,
        out_joined: &::ferroflow::__private_v0_1::Matrix<f32, B, 11>,
        out_output: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
    ) -> (f32, RankerGradients) {
        bw.grad_stem
            .as_mut_slice()
            .fill(<f32 as ::ferroflow::__private_v0_1::Element>::ZERO);
        bw.grad_block
            .as_mut_slice()
            .fill(<f32 as ::ferroflow::__private_v0_1::Element>::ZERO);
        bw.grad_skip
            .as_mut_slice()
            .fill(<f32 as ::ferroflow::__private_v0_1::Element>::ZERO);
        bw.grad_drop
            .as_mut_slice()
            .fill(<f32 as ::ferroflow::__private_v0_1::Element>::ZERO);
        bw.grad_joined
            .as_mut_slice()
            .fill(<f32 as ::ferroflow::__private_v0_1::Element>::ZERO);
        let loss = <::ferroflow::__private_v0_1::CrossEntropy as ::ferroflow::__private_v0_1::Loss<
            ::ferroflow::__private_v0_1::Softmax,
        >>::loss_and_gradient_into(out_output, labels, &mut *bw.grad_output);
        ::ferroflow::__private_v0_1::ops::concat::columns_into::<
            { 0 },
            6,
            f32,
            B,
            9,
        >(x, &mut *bw.in_features);
        self.output.add_input_gradient(&*bw.grad_output, &mut *bw.grad_joined);
        let parameters_output = self
            .output
            .parameter_gradients(out_joined, &*bw.grad_output);
        ::ferroflow::__private_v0_1::ops::concat::add_columns::<
            { 0 },
            8,
            f32,
            B,
            11,
        >(&*bw.grad_joined, &mut *bw.grad_drop);
        self.drop.add_backward(&*bw.grad_drop, &mut *bw.grad_skip);
        ::ferroflow::__private_v0_1::ops::add::add_as_width(
            &*bw.grad_skip,
            &mut *bw.grad_stem,
        );
        ::ferroflow::__private_v0_1::ops::add::add_as_width(
            &*bw.grad_skip,
            &mut *bw.grad_block,
        );
        self.block.pre_activation_gradient_in_place(out_block, &mut *bw.grad_block);
        self.block.add_input_gradient(&*bw.grad_block, &mut *bw.grad_stem);
        let parameters_block = self.block.parameter_gradients(out_stem, &*bw.grad_block);
        self.stem.pre_activation_gradient_in_place(out_stem, &mut *bw.grad_stem);
        let parameters_stem = self
            .stem
            .parameter_gradients(&*bw.in_features, &*bw.grad_stem);
        (
            loss,
            RankerGradients {
                stem: parameters_stem,
                block: parameters_block,
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
        Opt: ::ferroflow::__private_v0_1::OptimizerFor<f32, RankerGradients>,
    >(
        &mut self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
        labels: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
        optimizer: &mut Opt,
        bw: &mut __RankerBackward<B, S>,
        out_stem: &::ferroflow::__private_v0_1::Matrix<f32, B, 8>,
        out_block: &::ferroflow::__private_v0_1::Matrix<f32, B, 8>,
        out_skip: &::ferroflow::__private_v0_1::Matrix<f32, B, 8>,
        out_drop: &::ferroflow::__private_v0_1::Matrix<f32, B, 8>,
        out_joined: &::ferroflow::__private_v0_1::Matrix<f32, B, 11>,
        out_output: &::ferroflow::__private_v0_1::Matrix<f32, B, 2>,
    ) -> f32 {
        ::ferroflow::__private_v0_1::Optimizer::begin_step(optimizer);
        bw.grad_stem
            .as_mut_slice()
            .fill(<f32 as ::ferroflow::__private_v0_1::Element>::ZERO);
        bw.grad_block
            .as_mut_slice()
            .fill(<f32 as ::ferroflow::__private_v0_1::Element>::ZERO);
        bw.grad_skip
            .as_mut_slice()
            .fill(<f32 as ::ferroflow::__private_v0_1::Element>::ZERO);
        bw.grad_drop
            .as_mut_slice()
            .fill(<f32 as ::ferroflow::__private_v0_1::Element>::ZERO);
        bw.grad_joined
            .as_mut_slice()
            .fill(<f32 as ::ferroflow::__private_v0_1::Element>::ZERO);
        let loss = <::ferroflow::__private_v0_1::CrossEntropy as ::ferroflow::__private_v0_1::Loss<
            ::ferroflow::__private_v0_1::Softmax,
        >>::loss_and_gradient_into(out_output, labels, &mut *bw.grad_output);
        ::ferroflow::__private_v0_1::ops::concat::columns_into::<
            { 0 },
            6,
            f32,
            B,
            9,
        >(x, &mut *bw.in_features);
        self.output.add_input_gradient(&*bw.grad_output, &mut *bw.grad_joined);
        self.output
            .train_update(
                out_joined,
                &*bw.grad_output,
                optimizer,
                0 + (6 * 8 + 8) + (8 * 8 + 8),
            );
        ::ferroflow::__private_v0_1::ops::concat::add_columns::<
            { 0 },
            8,
            f32,
            B,
            11,
        >(&*bw.grad_joined, &mut *bw.grad_drop);
        self.drop.add_backward(&*bw.grad_drop, &mut *bw.grad_skip);
        ::ferroflow::__private_v0_1::ops::add::add_as_width(
            &*bw.grad_skip,
            &mut *bw.grad_stem,
        );
        ::ferroflow::__private_v0_1::ops::add::add_as_width(
            &*bw.grad_skip,
            &mut *bw.grad_block,
        );
        self.block.pre_activation_gradient_in_place(out_block, &mut *bw.grad_block);
        self.block.add_input_gradient(&*bw.grad_block, &mut *bw.grad_stem);
        self.block.train_update(out_stem, &*bw.grad_block, optimizer, 0 + (6 * 8 + 8));
        self.stem.pre_activation_gradient_in_place(out_stem, &mut *bw.grad_stem);
        self.stem.train_update(&*bw.in_features, &*bw.grad_stem, optimizer, 0);
        self.drop.advance();
        loss
    }
}
#[automatically_derived]
impl ::ferroflow::__private_v0_1::Parameters<f32> for Ranker {
    type Gradients = RankerGradients;
    fn for_each_param(
        &self,
        f: &mut impl FnMut(::ferroflow::__private_v0_1::ParamName<'_>, &[f32]),
    ) {
        ::ferroflow::__private_v0_1::Parameters::for_each_param(
            &self.stem,
            &mut |name, values| f(name.in_layer("stem"), values),
        );
        ::ferroflow::__private_v0_1::Parameters::for_each_param(
            &self.block,
            &mut |name, values| f(name.in_layer("block"), values),
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
            &mut self.stem,
            &mut |name, values| f(name.in_layer("stem"), values),
        );
        ::ferroflow::__private_v0_1::Parameters::for_each_param_mut(
            &mut self.block,
            &mut |name, values| f(name.in_layer("block"), values),
        );
        ::ferroflow::__private_v0_1::Parameters::for_each_param_mut(
            &mut self.output,
            &mut |name, values| f(name.in_layer("output"), values),
        );
    }
    fn apply_gradients_at<Opt: ::ferroflow::__private_v0_1::Optimizer<f32>>(
        &mut self,
        gradients: &RankerGradients,
        optimizer: &mut Opt,
        offset: usize,
    ) {
        let mut offset = offset;
        ::ferroflow::__private_v0_1::Parameters::apply_gradients_at(
            &mut self.stem,
            &gradients.stem,
            optimizer,
            offset,
        );
        offset += (6 * 8 + 8);
        ::ferroflow::__private_v0_1::Parameters::apply_gradients_at(
            &mut self.block,
            &gradients.block,
            optimizer,
            offset,
        );
        offset += (8 * 8 + 8);
        ::ferroflow::__private_v0_1::Parameters::apply_gradients_at(
            &mut self.output,
            &gradients.output,
            optimizer,
            offset,
        );
        offset += (11 * 2 + 2);
        let _ = offset;
        self.drop.advance();
    }
}
#[automatically_derived]
impl ::ferroflow::__private_v0_1::PerParameter<f32> for RankerGradients {
    const LEN: usize = 0
        + <::ferroflow::__private_v0_1::PerceptronGradients<
            f32,
            6,
            8,
        > as ::ferroflow::__private_v0_1::PerParameter<f32>>::LEN
        + <::ferroflow::__private_v0_1::PerceptronGradients<
            f32,
            8,
            8,
        > as ::ferroflow::__private_v0_1::PerParameter<f32>>::LEN
        + <::ferroflow::__private_v0_1::PerceptronGradients<
            f32,
            11,
            2,
        > as ::ferroflow::__private_v0_1::PerParameter<f32>>::LEN;
    fn zeros() -> Self {
        Self {
            stem: ::ferroflow::__private_v0_1::PerceptronGradients::zeros(),
            block: ::ferroflow::__private_v0_1::PerceptronGradients::zeros(),
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
                    6,
                    8,
                > as ::ferroflow::__private_v0_1::PerParameter<f32>>::LEN,
            )
        {
            ::core::option::Option::None => {
                return ::ferroflow::__private_v0_1::PerParameter::run_mut(
                    &mut self.stem,
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
                    8,
                    8,
                > as ::ferroflow::__private_v0_1::PerParameter<f32>>::LEN,
            )
        {
            ::core::option::Option::None => {
                return ::ferroflow::__private_v0_1::PerParameter::run_mut(
                    &mut self.block,
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
                    11,
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
        ::ferroflow::__private_v0_1::PerParameter::for_each_tensor(&self.stem, f);
        ::ferroflow::__private_v0_1::PerParameter::for_each_tensor(&self.block, f);
        ::ferroflow::__private_v0_1::PerParameter::for_each_tensor(&self.output, f);
    }
    fn for_each_tensor_mut(&mut self, f: &mut impl FnMut(&mut [f32])) {
        ::ferroflow::__private_v0_1::PerParameter::for_each_tensor_mut(
            &mut self.stem,
            f,
        );
        ::ferroflow::__private_v0_1::PerParameter::for_each_tensor_mut(
            &mut self.block,
            f,
        );
        ::ferroflow::__private_v0_1::PerParameter::for_each_tensor_mut(
            &mut self.output,
            f,
        );
    }
}
#[automatically_derived]
impl ::ferroflow::__private_v0_1::quant::Quantise<9, 2> for Ranker {
    type Element = f32;
    type Nodes = (
        ::ferroflow::__private_v0_1::quant::InputMapping,
        ::ferroflow::__private_v0_1::quant::InputMapping,
        ::ferroflow::__private_v0_1::quant::Dense<
            6,
            8,
            ::ferroflow::__private_v0_1::Relu,
        >,
        ::ferroflow::__private_v0_1::quant::Dense<
            8,
            8,
            ::ferroflow::__private_v0_1::Tanh,
        >,
        ::ferroflow::__private_v0_1::quant::Sum<8, 2>,
        ::ferroflow::__private_v0_1::quant::Pass,
        ::ferroflow::__private_v0_1::quant::Concat<2>,
        ::ferroflow::__private_v0_1::quant::Dense<
            11,
            2,
            ::ferroflow::__private_v0_1::Softmax,
        >,
    );
    type Seen = [::ferroflow::__private_v0_1::quant::Observed; 8];
    const UNSEEN: Self::Seen = [::ferroflow::__private_v0_1::quant::Observed::UNSEEN; 8];
    const SOFTMAX: bool = true;
    #[allow(unused_variables, clippy::let_and_return, clippy::redundant_locals)]
    fn observe(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, 1, 9>,
        seen: &mut Self::Seen,
    ) {
        let f_features = ::ferroflow::__private_v0_1::ops::concat::columns::<
            { 0 },
            6,
            f32,
            1,
            9,
        >(x);
        seen[0].see(f_features.as_slice());
        let f_context = ::ferroflow::__private_v0_1::ops::concat::columns::<
            { 0 + 6 },
            3,
            f32,
            1,
            9,
        >(x);
        seen[1].see(f_context.as_slice());
        let f_stem = self.stem.observe(&f_features, &mut seen[2]);
        let f_block = self.block.observe(&f_stem, &mut seen[3]);
        let mut f_skip = ::ferroflow::__private_v0_1::matrix::zeros::<f32, 1, 8>();
        ::ferroflow::__private_v0_1::ops::add::add_as_width(&f_stem, &mut f_skip);
        ::ferroflow::__private_v0_1::ops::add::add_as_width(&f_block, &mut f_skip);
        seen[4].see(f_skip.as_slice());
        let f_drop = f_skip;
        let mut f_joined = ::ferroflow::__private_v0_1::matrix::zeros::<f32, 1, 11>();
        ::ferroflow::__private_v0_1::ops::concat::place::<
            { 0 },
            f32,
            1,
            8,
            11,
        >(&mut f_joined, &f_drop);
        ::ferroflow::__private_v0_1::ops::concat::place::<
            { 0 + 8 },
            f32,
            1,
            3,
            11,
        >(&mut f_joined, &f_context);
        seen[6].see(f_joined.as_slice());
        let f_output = self.output.observe(&f_joined, &mut seen[7]);
    }
    #[allow(unused_variables, clippy::let_and_return, clippy::redundant_locals)]
    fn quantise_nodes(
        &self,
        seen: &Self::Seen,
    ) -> ::core::result::Result<
        (Self::Nodes, ::ferroflow::__private_v0_1::quant::Affine),
        ::ferroflow::__private_v0_1::quant::QuantiseError,
    > {
        let a_features = seen[0].mappings("features")?.1;
        let n_features = ::ferroflow::__private_v0_1::quant::InputMapping::new(
            a_features,
        );
        let a_context = seen[1].mappings("context")?.1;
        let n_context = ::ferroflow::__private_v0_1::quant::InputMapping::new(a_context);
        let (n_stem, a_stem) = self.stem.quantise_int8("stem", a_features, &seen[2])?;
        let (n_block, a_block) = self.block.quantise_int8("block", a_stem, &seen[3])?;
        let (n_skip, a_skip) = ::ferroflow::__private_v0_1::quant::Sum::quantise(
            "skip",
            [a_stem, a_block],
            &seen[4],
        )?;
        let (n_drop, a_drop) = (::ferroflow::__private_v0_1::quant::Pass, a_skip);
        let (n_joined, a_joined) = ::ferroflow::__private_v0_1::quant::Concat::quantise(
            "joined",
            [a_drop, a_context],
            &seen[6],
        )?;
        let (n_output, a_output) = self
            .output
            .quantise_int8("output", a_joined, &seen[7])?;
        ::core::result::Result::Ok((
            (n_features, n_context, n_stem, n_block, n_skip, n_drop, n_joined, n_output),
            a_output,
        ))
    }
    fn quantise_input(nodes: &Self::Nodes, x: &[f32; 9]) -> [i8; 9] {
        let mut q = [0i8; 9];
        nodes.0.quantise_into::<f32, { 0 }, 6, 9>(x, &mut q);
        nodes.1.quantise_into::<f32, { 0 + 6 }, 3, 9>(x, &mut q);
        q
    }
    #[allow(unused_variables, clippy::let_and_return, clippy::redundant_locals)]
    fn forward_int8(nodes: &Self::Nodes, x: &[i8; 9]) -> [i8; 2] {
        let q_features = ::ferroflow::__private_v0_1::quant::columns::<{ 0 }, 6, 9>(x);
        let q_context = ::ferroflow::__private_v0_1::quant::columns::<
            { 0 + 6 },
            3,
            9,
        >(x);
        let q_stem = nodes.2.forward(&q_features);
        let q_block = nodes.3.forward(&q_stem);
        let q_skip = {
            let mut acc = [0i32; 8];
            nodes.4.add(0, &q_stem, &mut acc);
            nodes.4.add(1, &q_block, &mut acc);
            nodes.4.finish(&acc)
        };
        let q_drop = q_skip;
        let q_joined = {
            let mut out = [0i8; 11];
            nodes.6.place::<{ 0 }, 8, 11>(0, &q_drop, &mut out);
            nodes.6.place::<{ 0 + 8 }, 3, 11>(1, &q_context, &mut out);
            out
        };
        let q_output = nodes.7.forward(&q_joined);
        q_output
    }
    fn for_each_node(
        nodes: &Self::Nodes,
        f: &mut dyn FnMut(
            &'static str,
            &dyn ::ferroflow::__private_v0_1::quant::Int8Node,
        ) -> ::core::fmt::Result,
    ) -> ::core::fmt::Result {
        f("features", &nodes.0)?;
        f("context", &nodes.1)?;
        f("stem", &nodes.2)?;
        f("block", &nodes.3)?;
        f("skip", &nodes.4)?;
        f("drop", &nodes.5)?;
        f("joined", &nodes.6)?;
        f("output", &nodes.7)?;
        ::core::result::Result::Ok(())
    }
}
