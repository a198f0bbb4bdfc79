// Weights exported by ferroflow: 8 parameters.

#[rustfmt::skip]
pub const GATE_WEIGHT: [[f32; 3]; 2] = [
    [0.1, -0.0, 3.918315e-39],
    [3.4028235e38, 1e-30, -123456.79],
];
#[rustfmt::skip]
pub const GATE_BIAS: [f32; 2] = [f32::INFINITY, f32::NAN];

pub const GATE: Perceptron<f32, 3, 2, Sigmoid> =
    ::ferroflow::Perceptron::from_arrays(GATE_WEIGHT, GATE_BIAS);
