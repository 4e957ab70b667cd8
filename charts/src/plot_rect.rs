//! The plotting area of a drawn chart in device pixels: where the data went, so a
//! pointer position can be turned back into data.

/// The plotting area, device pixels from the canvas's top left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotRect {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
}

impl PlotRect {
    /// Whether `(x, y)` lies inside (edges included).
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.left && x <= self.right && y >= self.top && y <= self.bottom
    }

    /// Width in device pixels.
    pub fn width(&self) -> f64 {
        self.right - self.left
    }

    /// Height in device pixels.
    pub fn height(&self) -> f64 {
        self.bottom - self.top
    }

    /// The nearest point inside.
    pub fn clamp(&self, x: f64, y: f64) -> (f64, f64) {
        (
            x.clamp(self.left, self.right.max(self.left)),
            y.clamp(self.top, self.bottom.max(self.top)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_and_clamps() {
        let r = PlotRect {
            left: 10.0,
            top: 5.0,
            right: 110.0,
            bottom: 55.0,
        };
        assert!(r.contains(10.0, 55.0));
        assert!(!r.contains(9.9, 20.0));
        assert_eq!((r.width(), r.height()), (100.0, 50.0));
        assert_eq!(r.clamp(0.0, 100.0), (10.0, 55.0));
    }
}
