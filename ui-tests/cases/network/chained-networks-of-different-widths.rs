use ferroflow::prelude::*;

network! {
    /// Encodes 4 features into 3.
    pub struct Encoder<f32> {
        input: 4,
        code: Perceptron<3, Tanh>,
    }
}

network! {
    /// Classifies 2-feature samples.
    pub struct Classifier<f32> {
        input: 2,
        output: Perceptron<2, Softmax>,
    }
}

fn main() {
    let encoder = Encoder::zeros();
    let classifier = Classifier::zeros();
    let x: Matrix<f32, 1, 4> = Matrix::zeros();
    let _ = classifier.forward(&encoder.forward(&x));
}
