// Weights exported by ferroflow: 26 parameters.

#[rustfmt::skip]
pub const SCALED_PREPROCESS_OFFSET: [f64; 3] = [1.5, -2.0, 0.0];

#[rustfmt::skip]
pub const SCALED_PREPROCESS_SCALE: [f64; 3] = [0.5, 4.0, 1.0];

#[rustfmt::skip]
pub const SCALED_HIDDEN_WEIGHT: [[f64; 3]; 4] = [
    [-0.3850988116416263, 0.20634569892617916, -0.7444273957077117],
    [-0.8172932415558889, 0.050098767629258356, 0.37626394675542296],
    [-0.07459141829773996, -0.7999253095509551, 0.7091033612971454],
    [0.6543394126911668, 0.7528220947097395, 0.7189335956036134],
];
#[rustfmt::skip]
pub const SCALED_HIDDEN_BIAS: [f64; 4] = [0.0, 0.0, 0.0, 0.0];

#[rustfmt::skip]
pub const SCALED_OUTPUT_WEIGHT: [[f64; 4]; 2] = [
    [0.8659119812399882, -0.12245433103147585, 0.19944848680344562, 0.962906954575685],
    [0.4709956047187054, 0.32491042722788555, -0.829518307505098, 0.08454489831809409],
];
#[rustfmt::skip]
pub const SCALED_OUTPUT_BIAS: [f64; 2] = [0.0, 0.0];

pub const SCALED: ::ferroflow::Preprocessed<f64, Generated, 3> = ::ferroflow::Preprocessed::new(
    ::ferroflow::InputScaling::new(SCALED_PREPROCESS_OFFSET, SCALED_PREPROCESS_SCALE),
    Generated::new(
        ::ferroflow::Perceptron::from_arrays(SCALED_HIDDEN_WEIGHT, SCALED_HIDDEN_BIAS),
        ::ferroflow::Perceptron::from_arrays(SCALED_OUTPUT_WEIGHT, SCALED_OUTPUT_BIAS),
    ),
);
