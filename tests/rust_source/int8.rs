// An int8 network exported by ferroflow: 348 bytes.

#[rustfmt::skip]
pub const SMALL_HIDDEN_WEIGHT: [[i8; 2]; 3] = [
    [-127, -94],
    [127, -42],
    [127, -9],
];
#[rustfmt::skip]
pub const SMALL_HIDDEN_BIAS: [i32; 3] = [0, 0, 0];
#[rustfmt::skip]
pub const SMALL_HIDDEN_REQUANTISE: [::ferroflow::quant::Multiplier; 3] = [::ferroflow::quant::Multiplier { multiplier: 1390667711, shift: -7 }, ::ferroflow::quant::Multiplier { multiplier: 1360994874, shift: -8 }, ::ferroflow::quant::Multiplier { multiplier: 1450154973, shift: -7 }];

#[rustfmt::skip]
pub const SMALL_HIDDEN_TABLE: [i8; 256] = [-116, -116, -115, -115, -115, -115, -114, -114, -114, -113, -113, -113, -112, -112, -112, -111, -111, -110, -110, -110, -109, -109, -108, -108, -108, -107, -107, -106, -106, -105, -105, -104, -104, -103, -103, -102, -102, -101, -100, -100, -99, -99, -98, -97, -97, -96, -95, -95, -94, -93, -93, -92, -91, -90, -90, -89, -88, -87, -86, -85, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -61, -60, -59, -58, -57, -55, -54, -53, -52, -50, -49, -48, -46, -45, -44, -42, -41, -40, -38, -37, -36, -34, -33, -31, -30, -28, -27, -25, -24, -23, -21, -20, -18, -17, -15, -14, -12, -11, -9, -8, -6, -5, -3, -2, 0, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 23, 24, 25, 27, 28, 30, 31, 33, 34, 36, 37, 38, 40, 41, 42, 44, 45, 46, 48, 49, 50, 52, 53, 54, 55, 57, 58, 59, 60, 61, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 85, 86, 87, 88, 89, 90, 90, 91, 92, 93, 93, 94, 95, 95, 96, 97, 97, 98, 99, 99, 100, 100, 101, 102, 102, 103, 103, 104, 104, 105, 105, 106, 106, 107, 107, 108, 108, 108, 109, 109, 110, 110, 110, 111, 111, 112, 112, 112, 113, 113, 113, 114, 114, 114, 115, 115, 115, 115, 116, 116, 116];

#[rustfmt::skip]
pub const SMALL_OUTPUT_WEIGHT: [[i8; 3]; 2] = [
    [59, -45, 127],
    [-127, -115, -98],
];
#[rustfmt::skip]
pub const SMALL_OUTPUT_BIAS: [i32; 2] = [18048, -43520];
#[rustfmt::skip]
pub const SMALL_OUTPUT_REQUANTISE: [::ferroflow::quant::Multiplier; 2] = [::ferroflow::quant::Multiplier { multiplier: 1782526080, shift: -8 }, ::ferroflow::quant::Multiplier { multiplier: 1577020641, shift: -8 }];

pub const SMALL: ::ferroflow::quant::Int8<Small, 2, 2> =
    ::ferroflow::quant::Int8::from_parts(
        (
            ::ferroflow::quant::InputMapping::new(::ferroflow::quant::Affine::new(0.01565503, 0)),
            ::ferroflow::quant::Dense::from_parts(SMALL_HIDDEN_WEIGHT, SMALL_HIDDEN_BIAS, SMALL_HIDDEN_REQUANTISE, -1, SMALL_HIDDEN_TABLE),
            ::ferroflow::quant::Dense::from_parts(SMALL_OUTPUT_WEIGHT, SMALL_OUTPUT_BIAS, SMALL_OUTPUT_REQUANTISE, 42, ()),
        ),
        ::ferroflow::quant::Affine::new(0.010024172, 42),
    );
