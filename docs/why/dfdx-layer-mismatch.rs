use dfdx::prelude::*;

// The tutorial's MLP with a layer-width mistake: the hidden layer has 16 units, the
// output layer reads 8.
type Mlp = (Linear<2, 16>, ReLU, Linear<8, 2>);

fn main() {
    let dev: Cpu = Default::default();
    let model = dev.build_module::<Mlp, f32>();
    let x: Tensor<Rank1<2>, f32, _> = dev.sample_normal();
    let _y = model.forward(x);
}
