//! The bar ferroflow is measured against: a careful hand-written two-layer perceptron in
//! plain Rust, with fixed-size arrays, straight-line loops over constant bounds, no
//! allocation, register tiles for the large products, a polynomial `exp` that vectorises,
//! and the weight gradients fused into the update.
//!
//! Sigmoid hidden layer, softmax output, cross-entropy averaged over the batch, plain SGD:
//! the same maths as a `network!` with those layers. Layouts are chosen for speed, not for
//! an API: weights are `[input][unit]` so a hidden row is one contiguous run, batches are
//! row-major `[sample][feature]`.

/// `a · b + c`, fused where the target has FMA (as a careful hand-written kernel would be
/// built), plain otherwise: without the `fma` target feature `mul_add` is a library call.
#[inline(always)]
fn fmadd(a: f32, b: f32, c: f32) -> f32 {
    if cfg!(target_feature = "fma") { a.mul_add(b, c) } else { a * b + c }
}

/// `e^x` for `x ≤ 0` (all the sigmoid and the max-shifted softmax need), written so the
/// compiler can vectorise it: `2^n · p(r)` with `r = x − n ln 2`, `|r| ≤ ln 2 / 2`, and a
/// degree-5 Taylor polynomial (relative error below 4e-6 there). Inputs below −87 give 0.
#[inline(always)]
fn exp_neg(x: f32) -> f32 {
    let x = x.max(-87.0);
    // Round to nearest by the 1.5·2^23 trick: adding it pushes the fraction out.
    let shifter = 12_582_912.0f32;
    let t = fmadd(x, core::f32::consts::LOG2_E, shifter);
    let n = t - shifter;
    let r = fmadd(n, -0.693_145_75, x);
    let r = fmadd(n, -1.428_606_8e-6, r);
    let mut p = 1.0 / 120.0;
    p = fmadd(p, r, 1.0 / 24.0);
    p = fmadd(p, r, 1.0 / 6.0);
    p = fmadd(p, r, 0.5);
    p = fmadd(p, r, 1.0);
    p = fmadd(p, r, 1.0);
    // n + 127 is in 0..=127 here, so it is a valid biased exponent (0 flushes to 0).
    let scale = f32::from_bits(((n as i32 + 127).max(0) as u32) << 23);
    p * scale
}

/// `σ(z)`, stable for either sign: `e^−|z|` is at most 1.
#[inline(always)]
fn sigmoid(z: f32) -> f32 {
    let e = exp_neg(-z.abs());
    let s = 1.0 / (1.0 + e);
    if z >= 0.0 { s } else { 1.0 - s }
}

/// The width of a register tile along the contiguous dimension, from what divides `n`.
macro_rules! by_tile_width {
    ($n:expr, $f:ident :: <$($g:tt),*>($($arg:expr),*)) => {
        if $n % 64 == 0 {
            $f::<$($g,)* 64>($($arg),*)
        } else if $n % 16 == 0 {
            $f::<$($g,)* 16>($($arg),*)
        } else if $n % 8 == 0 {
            $f::<$($g,)* 8>($($arg),*)
        } else {
            $f::<$($g,)* 1>($($arg),*)
        }
    };
}

/// `out[b][j] = bias[j] + Σ_k x[b][k] w[k][j]` in tiles of 4 rows × `W` columns, so every
/// weight loaded feeds 4 FMAs and the tile stays in registers over the whole `k` loop.
#[inline(always)]
fn affine<const B: usize, const K: usize, const N: usize, const W: usize>(
    x: &[[f32; K]; B],
    w: &[[f32; N]; K],
    bias: &[f32; N],
    out: &mut [[f32; N]; B],
) {
    let mut b = 0;
    while b + 4 <= B {
        for j0 in (0..N).step_by(W) {
            let mut acc = [[0.0f32; W]; 4];
            for row in acc.iter_mut() {
                row.copy_from_slice(&bias[j0..j0 + W]);
            }
            for k in 0..K {
                let wk: &[f32; W] = w[k][j0..j0 + W].try_into().unwrap();
                for r in 0..4 {
                    let xv = x[b + r][k];
                    for j in 0..W {
                        acc[r][j] = fmadd(xv, wk[j], acc[r][j]);
                    }
                }
            }
            for r in 0..4 {
                out[b + r][j0..j0 + W].copy_from_slice(&acc[r]);
            }
        }
        b += 4;
    }
    while b < B {
        let mut acc = *bias;
        for k in 0..K {
            let xv = x[b][k];
            for j in 0..N {
                acc[j] = fmadd(xv, w[k][j], acc[j]);
            }
        }
        out[b] = acc;
        b += 1;
    }
}

/// `w[k][j] −= rate · Σ_b x[b][k] g[b][j]` and `bias[j] −= rate · Σ_b g[b][j]`: the weight
/// gradient is never stored, each 4 × `W` tile of it is applied as soon as it is summed.
#[inline(always)]
fn sgd_outer<const B: usize, const K: usize, const N: usize, const W: usize>(
    x: &[[f32; K]; B],
    g: &[[f32; N]; B],
    rate: f32,
    w: &mut [[f32; N]; K],
    bias: &mut [f32; N],
) {
    let mut k = 0;
    while k + 4 <= K {
        for j0 in (0..N).step_by(W) {
            let mut acc = [[0.0f32; W]; 4];
            for b in 0..B {
                let gb: &[f32; W] = g[b][j0..j0 + W].try_into().unwrap();
                for r in 0..4 {
                    let xv = x[b][k + r];
                    for j in 0..W {
                        acc[r][j] = fmadd(xv, gb[j], acc[r][j]);
                    }
                }
            }
            for r in 0..4 {
                for j in 0..W {
                    w[k + r][j0 + j] = fmadd(-rate, acc[r][j], w[k + r][j0 + j]);
                }
            }
        }
        k += 4;
    }
    while k < K {
        let mut acc = [0.0f32; N];
        for b in 0..B {
            let xv = x[b][k];
            for j in 0..N {
                acc[j] = fmadd(xv, g[b][j], acc[j]);
            }
        }
        for j in 0..N {
            w[k][j] = fmadd(-rate, acc[j], w[k][j]);
        }
        k += 1;
    }
    let mut sum = [0.0f32; N];
    for row in g {
        for j in 0..N {
            sum[j] += row[j];
        }
    }
    for j in 0..N {
        bias[j] = fmadd(-rate, sum[j], bias[j]);
    }
}

/// The parameters of `I → H (sigmoid) → O (softmax)`.
#[derive(Clone)]
pub struct Mlp<const I: usize, const H: usize, const O: usize> {
    w1: [[f32; H]; I],
    b1: [f32; H],
    w2: [[f32; O]; H],
    b2: [f32; O],
}

/// What one step needs besides the parameters, kept between steps so nothing is allocated.
pub struct Scratch<const B: usize, const H: usize, const O: usize> {
    hidden: [[f32; H]; B],
    out: [[f32; O]; B],
    grad_hidden: [[f32; H]; B],
}

impl<const B: usize, const H: usize, const O: usize> Scratch<B, H, O> {
    /// Zeroed scratch space, made on the heap (W3's is 70 kB).
    pub fn boxed() -> Box<Self> {
        Box::new(Self { hidden: [[0.0; H]; B], out: [[0.0; O]; B], grad_hidden: [[0.0; H]; B] })
    }
}

impl<const I: usize, const H: usize, const O: usize> Mlp<I, H, O> {
    /// The network with ferroflow's parameters: `hidden` and `output` given in PyTorch's
    /// `[out][in]` order, as `Parameters::for_each_param` lists them.
    pub fn from_pytorch_layout(w1: &[f32], b1: &[f32], w2: &[f32], b2: &[f32]) -> Box<Self> {
        let mut net =
            Box::new(Self { w1: [[0.0; H]; I], b1: [0.0; H], w2: [[0.0; O]; H], b2: [0.0; O] });
        for h in 0..H {
            for k in 0..I {
                net.w1[k][h] = w1[h * I + k];
            }
        }
        for o in 0..O {
            for h in 0..H {
                net.w2[h][o] = w2[o * H + h];
            }
        }
        net.b1.copy_from_slice(b1);
        net.b2.copy_from_slice(b2);
        net
    }

    fn softmax_rows<const B: usize>(out: &mut [[f32; O]; B]) {
        for row in out.iter_mut() {
            let max = row.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
            let mut total = 0.0;
            for v in row.iter_mut() {
                *v = exp_neg(*v - max);
                total += *v;
            }
            let inv = 1.0 / total;
            for v in row.iter_mut() {
                *v *= inv;
            }
        }
    }

    fn forward_into<const B: usize>(&self, x: &[[f32; I]; B], s: &mut Scratch<B, H, O>) {
        by_tile_width!(H, affine::<B, I, H>(x, &self.w1, &self.b1, &mut s.hidden));
        for row in s.hidden.iter_mut() {
            for v in row.iter_mut() {
                *v = sigmoid(*v);
            }
        }
        by_tile_width!(O, affine::<B, H, O>(&s.hidden, &self.w2, &self.b2, &mut s.out));
        Self::softmax_rows(&mut s.out);
    }

    /// Inference on a batch: the class probabilities of each sample.
    pub fn predict<const B: usize>(&self, x: &[[f32; I]; B], s: &mut Scratch<B, H, O>) {
        self.forward_into(x, s);
    }

    /// The output of the last `predict` or `train_step`.
    pub fn output<'a, const B: usize>(&self, s: &'a Scratch<B, H, O>) -> &'a [[f32; O]; B] {
        &s.out
    }

    /// One SGD step on the cross-entropy of a batch against its class indices; returns the
    /// loss before the update.
    pub fn train_step<const B: usize>(
        &mut self,
        x: &[[f32; I]; B],
        classes: &[usize; B],
        rate: f32,
        s: &mut Scratch<B, H, O>,
    ) -> f32 {
        self.forward_into(x, s);
        let inv_b = 1.0 / B as f32;
        let mut loss = 0.0;
        // The output's gradient p − y (over the batch), in place of p.
        for (row, &class) in s.out.iter_mut().zip(classes) {
            loss -= row[class].max(f32::MIN_POSITIVE).ln();
            row[class] -= 1.0;
            for v in row.iter_mut() {
                *v *= inv_b;
            }
        }
        // The hidden gradient from the old output weights, before they change.
        for b in 0..B {
            for h in 0..H {
                let mut dot = 0.0;
                for o in 0..O {
                    dot = fmadd(s.out[b][o], self.w2[h][o], dot);
                }
                let a = s.hidden[b][h];
                s.grad_hidden[b][h] = dot * a * (1.0 - a);
            }
        }
        by_tile_width!(
            O,
            sgd_outer::<B, H, O>(&s.hidden, &s.out, rate, &mut self.w2, &mut self.b2)
        );
        by_tile_width!(
            H,
            sgd_outer::<B, I, H>(x, &s.grad_hidden, rate, &mut self.w1, &mut self.b1)
        );
        loss * inv_b
    }
}

/// Checks the fast `exp` and `sigmoid` against the standard library's over their whole
/// range; the benchmarks call it before timing, so a broken baseline cannot be timed.
pub fn check_maths() {
    let mut x = -87.0f32;
    while x <= 0.0 {
        let (fast, exact) = (exp_neg(x), x.exp());
        assert!((fast - exact).abs() <= 4e-6 * exact + 1e-37, "exp({x}): {fast} vs {exact}");
        let z = x / 4.0;
        let s = 1.0 / (1.0 + (-z).exp());
        assert!((sigmoid(z) - s).abs() < 1e-6 && (sigmoid(-z) - (1.0 - s)).abs() < 1e-6);
        x += 0.01;
    }
}
