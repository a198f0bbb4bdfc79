//! The fused weight-gradient-and-update pass of a training step.

use super::dot;
use crate::Element;

/// How many units' weight gradients are summed before they are handed to the optimizer:
/// a buffer of `UNITS × I` values on the stack (25 kB for 784 inputs in `f64`).
const UNITS: usize = 4;

/// Updates `w` (`O` columns of `I` input weights, a perceptron's storage) from the weight
/// gradient `xᵀ g` of a batch, without storing that gradient: `UNITS` columns at a time,
/// `update(at, weights, gradient)` receives contiguous runs of weights, `at` being the
/// position of the run's first value in `w` (column-major, PyTorch's `[out][in]` order).
///
/// `x` is the layer's input (`B × I`, column-major), `g` the gradient with respect to its
/// pre-activation (`B × O`).
#[inline]
pub fn weights_from_outer_product<T: Element, const B: usize, const I: usize, const O: usize>(
    w: &mut [[T; I]; O],
    x: &[[T; B]; I],
    g: &[[T; B]; O],
    update: &mut impl FnMut(usize, &mut [T], &[T]),
) {
    let mut buffer = [[T::ZERO; I]; UNITS];
    let (w_blocks, w_rest) = w.as_chunks_mut::<UNITS>();
    let (g_blocks, g_rest) = g.as_chunks::<UNITS>();
    let mut at = 0;
    for (w_block, g_block) in w_blocks.iter_mut().zip(g_blocks) {
        for (column, g_column) in buffer.iter_mut().zip(g_block) {
            outer_column(column, x, g_column);
        }
        update(at, w_block.as_flattened_mut(), buffer.as_flattened());
        at += UNITS * I;
    }
    for (w_column, g_column) in w_rest.iter_mut().zip(g_rest) {
        let column = &mut buffer[0];
        outer_column(column, x, g_column);
        update(at, w_column, column);
        at += I;
    }
}

/// `out_k = Σ_b x[k][b] g[b]`: one unit's weight gradient. `matmul_transpose_a` uses it
/// too, so a network's fused step and its separate backward pass agree to the bit.
#[inline(always)]
pub fn outer_column<T: Element, const B: usize, const I: usize>(
    out: &mut [T; I],
    x: &[[T; B]; I],
    g: &[T; B],
) {
    if B == 1 {
        // Online learning: a scaled copy of the input, vectorised across inputs.
        for (o, xk) in out.iter_mut().zip(x) {
            *o = xk[0] * g[0];
        }
    } else {
        for (o, xk) in out.iter_mut().zip(x) {
            *o = dot(xk, g);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{rng, uniform};

    fn check<const B: usize, const I: usize, const O: usize>(seed: u64) {
        let mut rng = rng(seed);
        let x = uniform::<B, I>(&mut rng, -1.0, 1.0);
        let g = uniform::<B, O>(&mut rng, -1.0, 1.0);
        let mut w = uniform::<I, O>(&mut rng, -1.0, 1.0);
        let before = w;
        let mut visited = 0;
        weights_from_outer_product(
            &mut w.data.0,
            &x.data.0,
            &g.data.0,
            &mut |at, params: &mut [f64], grads: &[f64]| {
                assert_eq!(at, visited, "runs arrive in storage order");
                visited += params.len();
                for (p, &d) in params.iter_mut().zip(grads) {
                    *p -= d;
                }
            },
        );
        assert_eq!(visited, I * O);
        // Against a plain triple loop.
        for k in 0..I {
            for o in 0..O {
                let mut gradient = 0.0;
                for b in 0..B {
                    gradient += x[(b, k)] * g[(b, o)];
                }
                let expected = before[(k, o)] - gradient;
                assert!((w[(k, o)] - expected).abs() < 1e-12, "({k}, {o}) of {B}x{I}x{O}");
            }
        }
    }

    #[test]
    fn matches_a_triple_loop_on_odd_shapes() {
        check::<1, 2, 16>(1);
        check::<1, 7, 5>(2);
        check::<3, 5, 7>(3);
        check::<17, 33, 9>(4);
        check::<64, 20, 10>(5);
        check::<37, 19, 1>(6);
    }
}
