//! Linear scales: a domain of data (times, values) onto a range of pixels, and back.

/// Maps `[d0, d1]` linearly onto `[r0, r1]` (either may be descending).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearScale {
    /// Domain start.
    pub d0: f64,
    /// Domain end.
    pub d1: f64,
    /// Range start (pixels).
    pub r0: f64,
    /// Range end (pixels).
    pub r1: f64,
}

impl LinearScale {
    /// A scale from `domain` onto `range`.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        LinearScale {
            d0: domain.0,
            d1: domain.1,
            r0: range.0,
            r1: range.1,
        }
    }

    /// The pixel of a domain value (the range's middle when the domain is empty).
    pub fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }

    /// The domain value at a pixel (the domain's start when the range is empty).
    pub fn invert(&self, px: f64) -> f64 {
        let span = self.r1 - self.r0;
        if span == 0.0 {
            return self.d0;
        }
        self.d0 + (px - self.r0) / span * (self.d1 - self.d0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_and_inverts() {
        let s = LinearScale::new((0.0, 100.0), (300.0, 100.0));
        assert_eq!(s.map(0.0), 300.0);
        assert_eq!(s.map(25.0), 250.0);
        assert_eq!(s.invert(250.0), 25.0);
        let flat = LinearScale::new((5.0, 5.0), (0.0, 10.0));
        assert_eq!(flat.map(5.0), 5.0);
    }
}
