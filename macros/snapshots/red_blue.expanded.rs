/// The tutorial's multi-layer perceptron for the red/blue clusters.
///
/// Architecture: 2 inputs → 16 (sigmoid `hidden`) → 2 (softmax `output`); trained on cross-entropy.
#[derive(Clone, Debug, PartialEq)]
pub struct RedBlue {
    /// Layer `hidden`: 2 → 16, sigmoid.
    pub hidden: ::ferroflow::__private::Perceptron<
        f32,
        2,
        16,
        ::ferroflow::__private::Sigmoid,
    >,
    /// Layer `output`: 16 → 2, softmax.
    pub output: ::ferroflow::__private::Perceptron<
        f32,
        16,
        2,
        ::ferroflow::__private::Softmax,
    >,
}
/// The gradients of every parameter of [`RedBlue`], one field per layer.
#[derive(Clone, Debug, PartialEq)]
pub struct RedBlueGradients {
    /// The gradients of layer `hidden`.
    pub hidden: ::ferroflow::__private::PerceptronGradients<f32, 2, 16>,
    /// The gradients of layer `output`.
    pub output: ::ferroflow::__private::PerceptronGradients<f32, 16, 2>,
}
/// What a training forward pass of [`RedBlue`] keeps for the backward pass: every layer's output for a batch of `B` samples.
#[derive(Clone, Debug, PartialEq)]
pub struct RedBlueActivations<const B: usize> {
    /// The output of layer `hidden`.
    pub hidden: ::ferroflow::__private::Matrix<f32, B, 16>,
    /// The output of layer `output`.
    pub output: ::ferroflow::__private::Matrix<f32, B, 2>,
}
impl RedBlue {
    /// The number of features per input sample.
    pub const INPUTS: usize = 2;
    /// The number of outputs per sample.
    pub const OUTPUTS: usize = 2;
    /// The number of trainable parameters.
    pub const PARAM_COUNT: usize = <Self as ::ferroflow::__private::Parameters<
        f32,
    >>::PARAM_COUNT;
    /// The network from its layers, in order; usable in a `const` context, so trained weights can be baked into flash.
    pub const fn new(
        hidden: ::ferroflow::__private::Perceptron<
            f32,
            2,
            16,
            ::ferroflow::__private::Sigmoid,
        >,
        output: ::ferroflow::__private::Perceptron<
            f32,
            16,
            2,
            ::ferroflow::__private::Softmax,
        >,
    ) -> Self {
        Self { hidden, output }
    }
    /// The network with every weight and bias zero.
    pub const fn zeros() -> Self {
        Self {
            hidden: ::ferroflow::__private::Perceptron::zeros(),
            output: ::ferroflow::__private::Perceptron::zeros(),
        }
    }
    /// The network with weights drawn from `rng` by each layer's initialiser (Glorot
    /// for sigmoid, tanh, identity and softmax, He for ReLU) and zero biases.
    pub fn random<R: ::ferroflow::__private::Rng + ?Sized>(rng: &mut R) -> Self {
        Self {
            hidden: ::ferroflow::__private::Perceptron::random(rng),
            output: ::ferroflow::__private::Perceptron::random(rng),
        }
    }
    /// Inference on a batch of `B` samples (one per row). Keeps nothing, allocates
    /// nothing.
    pub fn forward<const B: usize, const XN: usize, X>(
        &self,
        x: &X,
    ) -> ::ferroflow::__private::Matrix<f32, B, 2>
    where
        X: ::ferroflow::__private::AsBatch<B, XN>,
        X::Shape: ::ferroflow::__private::Input<f32, 2, X::Element, XN>,
    {
        ::ferroflow::__private::Network::forward(self, ::ferroflow::__private::input(x))
    }
    /// The loss of a batch against its labels (one row per sample).
    pub fn loss<const B: usize, const XN: usize, X, const LB: usize, const LN: usize, L>(
        &self,
        x: &X,
        labels: &L,
    ) -> f32
    where
        X: ::ferroflow::__private::AsBatch<B, XN>,
        X::Shape: ::ferroflow::__private::Input<f32, 2, X::Element, XN>,
        L: ::ferroflow::__private::AsBatch<LB, LN>,
        L::Shape: ::ferroflow::__private::Labels<f32, B, 2, L::Element, LB, LN>,
    {
        ::ferroflow::__private::Network::loss(
            self,
            ::ferroflow::__private::input(x),
            ::ferroflow::__private::labels(labels),
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
        X: ::ferroflow::__private::AsBatch<B, XN>,
        X::Shape: ::ferroflow::__private::Input<f32, 2, X::Element, XN>,
        L: ::ferroflow::__private::AsBatch<LB, LN>,
        L::Shape: ::ferroflow::__private::Labels<f32, B, 2, L::Element, LB, LN>,
        Opt: ::ferroflow::__private::OptimizerFor<f32, RedBlueGradients>,
    {
        ::ferroflow::__private::Network::train_step(
            self,
            ::ferroflow::__private::input(x),
            ::ferroflow::__private::labels(labels),
            optimizer,
        )
    }
    /// The outputs for one sample.
    pub fn predict(&self, sample: &[f32; 2]) -> [f32; 2] {
        let out = ::ferroflow::__private::Network::forward(
            self,
            &::ferroflow::__private::matrix::row(*sample),
        );
        ::ferroflow::__private::matrix::row_to_array(&out)
    }
    /// The predicted class of one sample: the index of its largest output.
    pub fn classify(&self, sample: &[f32; 2]) -> usize {
        let out = ::ferroflow::__private::Network::forward(
            self,
            &::ferroflow::__private::matrix::row(*sample),
        );
        ::ferroflow::__private::matrix::argmax_rows(&out)[0]
    }
}
impl ::ferroflow::__private::Network<f32, 2, 2> for RedBlue {
    type Activations<const B: usize> = RedBlueActivations<B>;
    fn forward<const B: usize>(
        &self,
        x: &::ferroflow::__private::Matrix<f32, B, 2>,
    ) -> ::ferroflow::__private::Matrix<f32, B, 2> {
        let out_hidden = self.hidden.forward(x);
        let out_output = self.output.forward(&out_hidden);
        out_output
    }
    fn forward_trace<const B: usize>(
        &self,
        x: &::ferroflow::__private::Matrix<f32, B, 2>,
    ) -> RedBlueActivations<B> {
        let out_hidden = self.hidden.forward(x);
        let out_output = self.output.forward(&out_hidden);
        RedBlueActivations {
            hidden: out_hidden,
            output: out_output,
        }
    }
    fn output<const B: usize>(
        activations: &RedBlueActivations<B>,
    ) -> &::ferroflow::__private::Matrix<f32, B, 2> {
        &activations.output
    }
    fn loss<const B: usize>(
        &self,
        x: &::ferroflow::__private::Matrix<f32, B, 2>,
        labels: &::ferroflow::__private::Matrix<f32, B, 2>,
    ) -> f32 {
        <::ferroflow::__private::CrossEntropy as ::ferroflow::__private::Loss<
            ::ferroflow::__private::Softmax,
        >>::loss(&::ferroflow::__private::Network::forward(self, x), labels)
    }
    fn backward<const B: usize>(
        &self,
        x: &::ferroflow::__private::Matrix<f32, B, 2>,
        activations: &RedBlueActivations<B>,
        labels: &::ferroflow::__private::Matrix<f32, B, 2>,
    ) -> (f32, RedBlueGradients) {
        let (loss, grad_z) = <::ferroflow::__private::CrossEntropy as ::ferroflow::__private::Loss<
            ::ferroflow::__private::Softmax,
        >>::loss_and_gradient(&activations.output, labels);
        let grad_a = self.output.input_gradient(&grad_z);
        let grad_output = self.output.parameter_gradients(&activations.hidden, &grad_z);
        let grad_z = self.hidden.pre_activation_gradient(&activations.hidden, &grad_a);
        let grad_hidden = self.hidden.parameter_gradients(x, &grad_z);
        (
            loss,
            RedBlueGradients {
                hidden: grad_hidden,
                output: grad_output,
            },
        )
    }
    fn update_from_trace<
        const B: usize,
        Opt: ::ferroflow::__private::OptimizerFor<f32, RedBlueGradients>,
    >(
        &mut self,
        x: &::ferroflow::__private::Matrix<f32, B, 2>,
        activations: &Self::Activations<B>,
        labels: &::ferroflow::__private::Matrix<f32, B, 2>,
        optimizer: &mut Opt,
    ) -> f32 {
        ::ferroflow::__private::Optimizer::begin_step(optimizer);
        let (loss, grad_z) = <::ferroflow::__private::CrossEntropy as ::ferroflow::__private::Loss<
            ::ferroflow::__private::Softmax,
        >>::loss_and_gradient(&activations.output, labels);
        let grad_a = self.output.input_gradient(&grad_z);
        self.output
            .train_update(&activations.hidden, &grad_z, optimizer, 0 + (2 * 16 + 16));
        let grad_z = self.hidden.pre_activation_gradient(&activations.hidden, &grad_a);
        self.hidden.train_update(x, &grad_z, optimizer, 0);
        loss
    }
}
impl ::ferroflow::__private::Parameters<f32> for RedBlue {
    type Gradients = RedBlueGradients;
    fn for_each_param(
        &self,
        f: &mut impl FnMut(::ferroflow::__private::ParamName<'_>, &[f32]),
    ) {
        ::ferroflow::__private::Parameters::for_each_param(
            &self.hidden,
            &mut |name, values| f(name.in_layer("hidden"), values),
        );
        ::ferroflow::__private::Parameters::for_each_param(
            &self.output,
            &mut |name, values| f(name.in_layer("output"), values),
        );
    }
    fn for_each_param_mut(
        &mut self,
        f: &mut impl FnMut(::ferroflow::__private::ParamName<'_>, &mut [f32]),
    ) {
        ::ferroflow::__private::Parameters::for_each_param_mut(
            &mut self.hidden,
            &mut |name, values| f(name.in_layer("hidden"), values),
        );
        ::ferroflow::__private::Parameters::for_each_param_mut(
            &mut self.output,
            &mut |name, values| f(name.in_layer("output"), values),
        );
    }
    fn apply_gradients_at<Opt: ::ferroflow::__private::Optimizer<f32>>(
        &mut self,
        gradients: &RedBlueGradients,
        optimizer: &mut Opt,
        offset: usize,
    ) {
        let mut offset = offset;
        ::ferroflow::__private::Parameters::apply_gradients_at(
            &mut self.hidden,
            &gradients.hidden,
            optimizer,
            offset,
        );
        offset += (2 * 16 + 16);
        ::ferroflow::__private::Parameters::apply_gradients_at(
            &mut self.output,
            &gradients.output,
            optimizer,
            offset,
        );
        offset += (16 * 2 + 2);
        let _ = offset;
    }
}
impl ::ferroflow::__private::PerParameter<f32> for RedBlueGradients {
    const LEN: usize = <::ferroflow::__private::PerceptronGradients<
        f32,
        2,
        16,
    > as ::ferroflow::__private::PerParameter<f32>>::LEN
        + <::ferroflow::__private::PerceptronGradients<
            f32,
            16,
            2,
        > as ::ferroflow::__private::PerParameter<f32>>::LEN;
    fn zeros() -> Self {
        Self {
            hidden: ::ferroflow::__private::PerceptronGradients::zeros(),
            output: ::ferroflow::__private::PerceptronGradients::zeros(),
        }
    }
    fn run_mut(
        &mut self,
        offset: usize,
        len: usize,
    ) -> ::core::option::Option<&mut [f32]> {
        let offset = match offset
            .checked_sub(
                <::ferroflow::__private::PerceptronGradients<
                    f32,
                    2,
                    16,
                > as ::ferroflow::__private::PerParameter<f32>>::LEN,
            )
        {
            ::core::option::Option::None => {
                return ::ferroflow::__private::PerParameter::run_mut(
                    &mut self.hidden,
                    offset,
                    len,
                );
            }
            ::core::option::Option::Some(rest) => rest,
        };
        let offset = match offset
            .checked_sub(
                <::ferroflow::__private::PerceptronGradients<
                    f32,
                    16,
                    2,
                > as ::ferroflow::__private::PerParameter<f32>>::LEN,
            )
        {
            ::core::option::Option::None => {
                return ::ferroflow::__private::PerParameter::run_mut(
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
        ::ferroflow::__private::PerParameter::for_each_tensor(&self.hidden, f);
        ::ferroflow::__private::PerParameter::for_each_tensor(&self.output, f);
    }
    fn for_each_tensor_mut(&mut self, f: &mut impl FnMut(&mut [f32])) {
        ::ferroflow::__private::PerParameter::for_each_tensor_mut(&mut self.hidden, f);
        ::ferroflow::__private::PerParameter::for_each_tensor_mut(&mut self.output, f);
    }
}
