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
    /// every parameter by `optimizer`. Returns the loss before the update.
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
#[automatically_derived]
impl ::ferroflow::__private_v0_1::Network<f32, 9, 2> for Ranker {
    type Activations<const B: usize> = RankerActivations<B>;
    fn forward<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
    ) -> ::ferroflow::__private_v0_1::Matrix<f32, B, 2> {
        let in_features = ::ferroflow::__private_v0_1::ops::concat::columns::<
            { 0 },
            6,
            f32,
            B,
            9,
        >(x);
        let in_context = ::ferroflow::__private_v0_1::ops::concat::columns::<
            { 0 + 6 },
            3,
            f32,
            B,
            9,
        >(x);
        let out_stem = self.stem.forward(&in_features);
        let out_block = self.block.forward(&out_stem);
        let out_skip = ::ferroflow::__private_v0_1::ops::add(&out_stem, &out_block);
        let mut out_joined: ::ferroflow::__private_v0_1::Matrix<f32, B, 11> = ::ferroflow::__private_v0_1::matrix::zeros();
        ::ferroflow::__private_v0_1::ops::concat::place::<
            { 0 },
            f32,
            B,
            8,
            11,
        >(&mut out_joined, &out_skip);
        ::ferroflow::__private_v0_1::ops::concat::place::<
            { 0 + 8 },
            f32,
            B,
            3,
            11,
        >(&mut out_joined, &in_context);
        let out_output = self.output.forward(&out_joined);
        out_output
    }
    fn forward_trace<const B: usize>(
        &self,
        x: &::ferroflow::__private_v0_1::Matrix<f32, B, 9>,
    ) -> RankerActivations<B> {
        let in_features = ::ferroflow::__private_v0_1::ops::concat::columns::<
            { 0 },
            6,
            f32,
            B,
            9,
        >(x);
        let in_context = ::ferroflow::__private_v0_1::ops::concat::columns::<
            { 0 + 6 },
            3,
            f32,
            B,
            9,
        >(x);
        let out_stem = self.stem.forward(&in_features);
        let out_block = self.block.forward(&out_stem);
        let out_skip = ::ferroflow::__private_v0_1::ops::add(&out_stem, &out_block);
        let out_drop = self.drop.forward_train(&out_skip);
        let mut out_joined: ::ferroflow::__private_v0_1::Matrix<f32, B, 11> = ::ferroflow::__private_v0_1::matrix::zeros();
        ::ferroflow::__private_v0_1::ops::concat::place::<
            { 0 },
            f32,
            B,
            8,
            11,
        >(&mut out_joined, &out_drop);
        ::ferroflow::__private_v0_1::ops::concat::place::<
            { 0 + 8 },
            f32,
            B,
            3,
            11,
        >(&mut out_joined, &in_context);
        let out_output = self.output.forward(&out_joined);
        RankerActivations {
            stem: out_stem,
            block: out_block,
            skip: out_skip,
            drop: out_drop,
            joined: out_joined,
            output: out_output,
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
        let (loss, grad_pre_output) = <::ferroflow::__private_v0_1::CrossEntropy as ::ferroflow::__private_v0_1::Loss<
            ::ferroflow::__private_v0_1::Softmax,
        >>::loss_and_gradient(&activations.output, labels);
        let in_features = ::ferroflow::__private_v0_1::ops::concat::columns::<
            { 0 },
            6,
            f32,
            B,
            9,
        >(x);
        let grad_of_joined = self.output.input_gradient(&grad_pre_output);
        let parameters_output = self
            .output
            .parameter_gradients(&activations.joined, &grad_pre_output);
        let grad_of_drop = ::ferroflow::__private_v0_1::ops::concat::columns::<
            { 0 },
            8,
            f32,
            B,
            11,
        >(&grad_of_joined);
        let grad_of_skip = self.drop.backward(&grad_of_drop);
        let mut grad_of_stem = grad_of_skip;
        let grad_of_block = grad_of_skip;
        let grad_pre_block = self
            .block
            .pre_activation_gradient(&activations.block, &grad_of_block);
        grad_of_stem += self.block.input_gradient(&grad_pre_block);
        let parameters_block = self
            .block
            .parameter_gradients(&activations.stem, &grad_pre_block);
        let grad_pre_stem = self
            .stem
            .pre_activation_gradient(&activations.stem, &grad_of_stem);
        let parameters_stem = self
            .stem
            .parameter_gradients(&in_features, &grad_pre_stem);
        (
            loss,
            RankerGradients {
                stem: parameters_stem,
                block: parameters_block,
                output: parameters_output,
            },
        )
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
        ::ferroflow::__private_v0_1::Optimizer::begin_step(optimizer);
        let (loss, grad_pre_output) = <::ferroflow::__private_v0_1::CrossEntropy as ::ferroflow::__private_v0_1::Loss<
            ::ferroflow::__private_v0_1::Softmax,
        >>::loss_and_gradient(&activations.output, labels);
        let in_features = ::ferroflow::__private_v0_1::ops::concat::columns::<
            { 0 },
            6,
            f32,
            B,
            9,
        >(x);
        let grad_of_joined = self.output.input_gradient(&grad_pre_output);
        self.output
            .train_update(
                &activations.joined,
                &grad_pre_output,
                optimizer,
                0 + (6 * 8 + 8) + (8 * 8 + 8),
            );
        let grad_of_drop = ::ferroflow::__private_v0_1::ops::concat::columns::<
            { 0 },
            8,
            f32,
            B,
            11,
        >(&grad_of_joined);
        let grad_of_skip = self.drop.backward(&grad_of_drop);
        let mut grad_of_stem = grad_of_skip;
        let grad_of_block = grad_of_skip;
        let grad_pre_block = self
            .block
            .pre_activation_gradient(&activations.block, &grad_of_block);
        grad_of_stem += self.block.input_gradient(&grad_pre_block);
        self.block
            .train_update(
                &activations.stem,
                &grad_pre_block,
                optimizer,
                0 + (6 * 8 + 8),
            );
        let grad_pre_stem = self
            .stem
            .pre_activation_gradient(&activations.stem, &grad_of_stem);
        self.stem.train_update(&in_features, &grad_pre_stem, optimizer, 0);
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
