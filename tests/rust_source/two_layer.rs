// Weights exported by ferroflow: 23 parameters.

#[rustfmt::skip]
pub const TRAINED_HIDDEN_WEIGHT: [[f32; 4]; 3] = [
    [-1.2133727, -0.31718588, 0.5784925, -0.21813056],
    [1.1510855, -0.032638393, 0.75749063, -0.80928636],
    [0.39850637, -1.1695747, -0.8295027, -0.8215512],
];
#[rustfmt::skip]
pub const TRAINED_HIDDEN_BIAS: [f32; 3] = [0.30311686, -0.4169284, 0.0075847576];

#[rustfmt::skip]
pub const TRAINED_OUTPUT_WEIGHT: [[f32; 3]; 2] = [
    [0.84532773, -1.0066267, 0.10567398],
    [-1.1293291, -0.6516004, -0.35391948],
];
#[rustfmt::skip]
pub const TRAINED_OUTPUT_BIAS: [f32; 2] = [0.24022816, 0.47389233];

pub const TRAINED: TwoLayer = TwoLayer::new(
    ::ferroflow::Perceptron::from_arrays(TRAINED_HIDDEN_WEIGHT, TRAINED_HIDDEN_BIAS),
    ::ferroflow::Perceptron::from_arrays(TRAINED_OUTPUT_WEIGHT, TRAINED_OUTPUT_BIAS),
);
