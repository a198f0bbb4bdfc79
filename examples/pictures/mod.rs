//! The pictures of the book (`book/`), drawn by the tutorial's examples themselves under
//! `--plot DIR`: a classifier's decision regions with the data on top, and a loss curve.
//! Without the flag the examples draw nothing and print what they always printed.
//!
//! No text is drawn: plotters' bitmap backend has no fonts without its `ttf` feature, so
//! the book's prose names the axes. The messages about written files go to stderr, so
//! that what an example prints on stdout (which the book shows) is the same with the flag
//! as without it.
//!
//! This is a folder with a `mod.rs`, not a file beside the examples, so that cargo does
//! not take it for an example of its own.

use plotters::prelude::*;
use std::error::Error;
use std::path::{Path, PathBuf};

/// The side of a decision-boundary picture, in pixels.
const MAP_SIZE: u32 = 400;
/// The width and height of a loss-curve picture, in pixels.
const CURVE_SIZE: (u32, u32) = (480, 300);
/// The blank border round a loss curve's axes, in pixels.
const CURVE_MARGIN: i32 = 16;
/// Light region colours for classes 0 (red) and 1 (blue), so the points stand out.
const REGIONS: [RGBColor; 2] = [RGBColor(250, 200, 200), RGBColor(200, 210, 250)];
/// Strong point colours for classes 0 (red) and 1 (blue).
const POINTS: [RGBColor; 2] = [RGBColor(200, 30, 30), RGBColor(30, 60, 200)];

/// What the command line asked for: `[--seed N] [--plot DIR]`, in any order.
pub struct Arguments {
    /// The `N` of `--seed N`, if given.
    pub seed: Option<u64>,
    /// The folder of `--plot DIR`, if given: where the pictures go.
    pub plot: Option<PathBuf>,
}

/// Reads `[--seed N] [--plot DIR]` (`[--plot DIR]` alone unless `takes_seed`).
///
/// # Errors
/// A usage message for anything else, or a seed that is not a number.
pub fn arguments(takes_seed: bool) -> Result<Arguments, String> {
    let usage = if takes_seed { "usage: [--seed N] [--plot DIR]" } else { "usage: [--plot DIR]" };
    let mut parsed = Arguments { seed: None, plot: None };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--seed", Some(n)) if takes_seed => {
                parsed.seed =
                    Some(n.parse().map_err(|_| format!("--seed needs a number, not {n:?}"))?);
            }
            ("--plot", Some(dir)) => parsed.plot = Some(PathBuf::from(dir)),
            _ => return Err(usage.into()),
        }
    }
    Ok(parsed)
}

/// Writes `dir/name` as a square picture of the class `classify` gives each pixel's
/// centre over `x_range × y_range` (class 0 light red, any other light blue), with
/// `points` (`(x, y, class)`) on top as dots of their class's strong colour, ringed in
/// black; `y` grows upwards.
///
/// # Errors
/// If the folder cannot be made or the file written.
pub fn decision_boundary(
    dir: &Path,
    name: &str,
    classify: impl Fn(f64, f64) -> usize,
    points: &[(f64, f64, usize)],
    x_range: (f64, f64),
    y_range: (f64, f64),
) -> Result<(), Box<dyn Error>> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(name);
    let root = BitMapBackend::new(&path, (MAP_SIZE, MAP_SIZE)).into_drawing_area();
    let size = f64::from(MAP_SIZE);
    let (width, height) = (x_range.1 - x_range.0, y_range.1 - y_range.0);
    for py in 0..MAP_SIZE {
        for px in 0..MAP_SIZE {
            let x = x_range.0 + (f64::from(px) + 0.5) / size * width;
            let y = y_range.1 - (f64::from(py) + 0.5) / size * height;
            root.draw_pixel((px as i32, py as i32), &REGIONS[classify(x, y).min(1)])?;
        }
    }
    for &(x, y, class) in points {
        let centre =
            (((x - x_range.0) / width * size) as i32, ((y_range.1 - y) / height * size) as i32);
        root.draw(&Circle::new(centre, 5, POINTS[class.min(1)].filled()))?;
        root.draw(&Circle::new(centre, 5, BLACK.stroke_width(1)))?;
    }
    root.present()?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// Writes `dir/name` as the curve of `losses` (one per step, the first at the left edge,
/// the last at the right) over a logarithmic vertical axis, from the power of ten at or
/// below the smallest loss at the bottom to the one at or above the largest at the top,
/// with a light line at each power of ten between.
///
/// Logarithmic, because the tutorial's losses fall by a factor of a hundred or more in the
/// first steps: on a linear axis everything after them would be a flat line. The losses
/// must be positive (cross-entropies are).
///
/// # Errors
/// If the folder cannot be made or the file written.
pub fn loss_curve(dir: &Path, name: &str, losses: &[f64]) -> Result<(), Box<dyn Error>> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(name);
    let root = BitMapBackend::new(&path, CURVE_SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, top) = (CURVE_MARGIN, CURVE_MARGIN);
    let (right, bottom) = (CURVE_SIZE.0 as i32 - CURVE_MARGIN, CURVE_SIZE.1 as i32 - CURVE_MARGIN);
    let exponent = |loss: f64| loss.max(f64::MIN_POSITIVE).log10();
    let lowest = losses.iter().map(|&loss| exponent(loss)).fold(f64::INFINITY, f64::min).floor();
    let highest =
        losses.iter().map(|&loss| exponent(loss)).fold(f64::NEG_INFINITY, f64::max).ceil();
    // At least one decade, so that a flat curve is drawn too.
    let highest = highest.max(lowest + 1.0);
    let to_pixel = |step: usize, loss: f64| {
        let along = step as f64 / (losses.len().max(2) - 1) as f64;
        let up = (exponent(loss) - lowest) / (highest - lowest);
        (
            left + (along * f64::from(right - left)) as i32,
            bottom - (up * f64::from(bottom - top)) as i32,
        )
    };
    let decades = (highest - lowest) as i32;
    for decade in 1..decades {
        let y = bottom - (bottom - top) * decade / decades;
        root.draw(&PathElement::new(vec![(left, y), (right, y)], RGBColor(220, 220, 220)))?;
    }
    root.draw(&PathElement::new(vec![(left, top), (left, bottom), (right, bottom)], BLACK))?;
    let curve: Vec<_> =
        losses.iter().enumerate().map(|(step, &loss)| to_pixel(step, loss)).collect();
    root.draw(&PathElement::new(curve, POINTS[1].stroke_width(2)))?;
    root.present()?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
