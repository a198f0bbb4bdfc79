//! Every operation of the tutorial, one file each, with its forward and backward pass.
//!
//! A backward pass takes the gradient of a scalar loss with respect to the operation's
//! output (`grad`) and returns the gradients with respect to its inputs: the
//! vector–Jacobian product. Shapes are const generics, so a call with mismatched shapes
//! does not compile.

pub mod activation;
pub mod add;
pub mod concat;
pub mod identity;
pub mod log;
pub mod matmul;
pub mod multiply;
pub mod negative;
pub mod reduce_sum;
pub mod relu;
pub mod sigmoid;
pub mod softmax;
pub mod tanh;

pub use activation::Activation;
pub use add::{add, add_backward, add_bias, add_bias_backward, add_into};
pub use identity::Identity;
pub use log::{log, log_backward};
pub use matmul::{matmul, matmul_backward, matmul_transpose_a, matmul_transpose_b};
pub use multiply::{multiply, multiply_backward};
pub use negative::{negative, negative_backward};
pub use reduce_sum::{
    reduce_sum, reduce_sum_axis0, reduce_sum_axis0_backward, reduce_sum_axis1,
    reduce_sum_axis1_backward, reduce_sum_backward,
};
pub use relu::{Relu, relu, relu_backward};
pub use sigmoid::{Sigmoid, sigmoid, sigmoid_backward};
pub use softmax::{Softmax, softmax, softmax_backward};
pub use tanh::{Tanh, tanh, tanh_backward};
