use ferroflow::prelude::*;

network! {
    pub struct Empty<f32> {
        input: 2,
    }
}

fn main() {}
