//! Decision boundaries drawn in the terminal: the class regions of a 2-D classifier as a
//! grid of character cells, with the data points on top.
//!
//! The tutorial draws its decision boundaries with matplotlib; the examples draw them here
//! with Unicode and ANSI colours, so they need no window and show up in CI logs.

use std::fmt::Write as _;

/// Region backgrounds for classes 0 (red), 1 (blue), 2 (green), 3 (yellow), as ANSI
/// 256-colour codes; light, so the points drawn on top stand out.
const REGION_BACKGROUNDS: [u8; 4] = [224, 153, 194, 229];
/// Point colours for the same classes: strong versions of the region colours.
const POINT_FOREGROUNDS: [u8; 4] = [160, 21, 28, 136];
/// The colour of a class past the palette, and of a cell holding points of several
/// classes.
const OTHER_BACKGROUND: u8 = 252;
const OTHER_FOREGROUND: u8 = 16;

/// Plain region characters for classes 0, 1, 2, 3 (others get `?`).
const REGION_GLYPHS: [char; 4] = [' ', '░', '▒', '▓'];
/// Plain point characters for classes 0, 1, 2, 3 (others get `?`).
const POINT_GLYPHS: [char; 4] = ['o', 'x', '+', '*'];
/// A cell holding points of more than one class.
const MIXED_GLYPH: char = '#';
/// A point, in colour.
const POINT_GLYPH_COLOUR: char = '●';

/// Draws the class regions of `classify` over `x_range × y_range` as `rows` lines of
/// `columns` cells, with `points` (`(x, y, class)`) on top, and returns the text (each line
/// ends with `\n`).
///
/// Each cell shows the class `classify` gives its centre, so a decision boundary is where
/// the regions meet; `y` grows upwards (the first line is the top of the plane). A point
/// falls in the cell that contains it; points outside the ranges are left out, as are all
/// points when a range is empty or reversed.
///
/// Class 0 is red and class 1 blue (2 green, 3 yellow). With `colour`, regions are light
/// ANSI background colours and points are `●` in the strong colour of their class, so a
/// point in the other class's region stands out. Without `colour` the text is plain, for
/// logs and tests: regions are `' '` (class 0), `░` (1), `▒` (2), `▓` (3); points are `o`
/// (class 0), `x` (1), `+` (2), `*` (3); a cell holding points of several classes is `#`;
/// any class past 3 is `?`.
///
/// ```
/// // A vertical boundary at x = 0: red (class 0) on the left, blue (class 1) on the right.
/// let classify = |x: f64, _y: f64| usize::from(x >= 0.0);
/// let points = [(-0.9, 0.9, 0), (0.1, 0.1, 0), (0.9, -0.9, 1)];
/// let map = ferroflow::plot::decision_map(classify, &points, (-1.0, 1.0), (-1.0, 1.0), 4, 2, false);
/// assert_eq!(map, "o o░\n  ░x\n");
/// ```
///
/// # Panics
/// If the grid is more than memory can address (far beyond any terminal): `columns × rows`
/// overflows `usize`, or its cells would take more than `isize::MAX` bytes.
pub fn decision_map(
    classify: impl Fn(f64, f64) -> usize,
    points: &[(f64, f64, usize)],
    x_range: (f64, f64),
    y_range: (f64, f64),
    columns: usize,
    rows: usize,
    colour: bool,
) -> String {
    let (width, height) = (x_range.1 - x_range.0, y_range.1 - y_range.0);
    // The classes of the points in each cell, row-major.
    let mut cells: Vec<Cell> = vec![Cell::Empty; columns * rows];
    for &(x, y, class) in points {
        let column = (x - x_range.0) / width * columns as f64;
        let row = (y_range.1 - y) / height * rows as f64;
        // `!(a >= 0.0)` also rejects NaN, from an empty range.
        if !(column >= 0.0 && row >= 0.0) || column >= columns as f64 || row >= rows as f64 {
            continue;
        }
        let cell = &mut cells[row as usize * columns + column as usize];
        *cell = match *cell {
            Cell::Empty => Cell::Point(class),
            Cell::Point(c) if c == class => Cell::Point(class),
            _ => Cell::Mixed,
        };
    }

    let mut out = String::new();
    for row in 0..rows {
        let y = y_range.1 - (row as f64 + 0.5) / rows as f64 * height;
        for column in 0..columns {
            let x = x_range.0 + (column as f64 + 0.5) / columns as f64 * width;
            let region = classify(x, y);
            let cell = cells[row * columns + column];
            if colour {
                let background =
                    REGION_BACKGROUNDS.get(region).copied().unwrap_or(OTHER_BACKGROUND);
                match cell {
                    Cell::Empty => write!(out, "\x1b[48;5;{background}m "),
                    Cell::Point(class) => {
                        let foreground =
                            POINT_FOREGROUNDS.get(class).copied().unwrap_or(OTHER_FOREGROUND);
                        write!(out, "\x1b[48;5;{background};38;5;{foreground}m{POINT_GLYPH_COLOUR}")
                    }
                    Cell::Mixed => {
                        write!(out, "\x1b[48;5;{background};38;5;{OTHER_FOREGROUND}m{MIXED_GLYPH}")
                    }
                }
                .expect("writing to a String cannot fail");
            } else {
                out.push(match cell {
                    Cell::Empty => REGION_GLYPHS.get(region).copied().unwrap_or('?'),
                    Cell::Point(class) => POINT_GLYPHS.get(class).copied().unwrap_or('?'),
                    Cell::Mixed => MIXED_GLYPH,
                });
            }
        }
        if colour {
            out.push_str("\x1b[0m");
        }
        out.push('\n');
    }
    out
}

/// What a cell of the map holds besides its region.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Empty,
    Point(usize),
    Mixed,
}

#[cfg(test)]
mod tests {
    use super::decision_map;

    /// Red (class 0) left of x = 0, blue (class 1) right of it.
    fn vertical(x: f64, _y: f64) -> usize {
        usize::from(x >= 0.0)
    }

    #[test]
    fn plain_map_shows_regions_and_points() {
        // A misclassified red point at (0.1, 0.1) sits in the blue region.
        let points = [(-0.9, 0.9, 0), (0.1, 0.1, 0), (0.9, -0.9, 1)];
        let map = decision_map(vertical, &points, (-1.0, 1.0), (-1.0, 1.0), 4, 2, false);
        assert_eq!(map, "o o░\n  ░x\n");
    }

    #[test]
    fn boundary_follows_the_classifier() {
        // The diagonal y = x: class 1 above it. Cell centres on a 4 × 4 grid over
        // [0, 4]² are at 0.5, 1.5, 2.5, 3.5, so the diagonal cells count as above.
        let above = |x: f64, y: f64| usize::from(y >= x);
        let map = decision_map(above, &[], (0.0, 4.0), (0.0, 4.0), 4, 4, false);
        assert_eq!(map, "░░░░\n░░░ \n░░  \n░   \n");
    }

    #[test]
    fn points_outside_the_ranges_are_left_out_and_shared_cells_marked() {
        let points = [(5.0, 0.0, 1), (0.0, -5.0, 1), (-0.5, 0.5, 0), (-0.6, 0.6, 1), (0.5, 0.5, 7)];
        let map = decision_map(vertical, &points, (-1.0, 1.0), (-1.0, 1.0), 2, 2, false);
        assert_eq!(map, "#?\n ░\n");
        // An empty range leaves every point out instead of dividing by zero into a cell.
        let map = decision_map(vertical, &points, (0.0, 0.0), (-1.0, 1.0), 2, 1, false);
        assert_eq!(map.chars().filter(|c| "ox#?".contains(*c)).count(), 0);
        assert_eq!(decision_map(vertical, &points, (-1.0, 1.0), (-1.0, 1.0), 0, 0, false), "");
    }

    #[test]
    fn colour_map_paints_regions_and_points() {
        let points = [(-0.5, 0.0, 0), (0.5, 0.0, 0)];
        let map = decision_map(vertical, &points, (-1.0, 1.0), (-1.0, 1.0), 4, 1, true);
        // Cells: empty red region, red point on red, empty blue region, red point on blue.
        let expected = concat!(
            "\x1b[48;5;224m ",
            "\x1b[48;5;224;38;5;160m●",
            "\x1b[48;5;153m ",
            "\x1b[48;5;153;38;5;160m●",
            "\x1b[0m\n"
        );
        assert_eq!(map, expected);
    }
}
