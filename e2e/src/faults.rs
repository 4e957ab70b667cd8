//! Faults for the journeys: a bulb driver that refuses one colour, so a check that asks
//! for it fails the way a broken bridge would make it fail (the PUT is accepted, the
//! bulb never shows the colour, the check's poll gives up).

use std::future::Future;
use std::pin::Pin;

use bulbwatch::bulb::{BulbDriver, DriverError};
use bulbwatch::colour::{Hsb, parse_colour};

/// A bulb that takes every colour but one.
#[derive(Debug)]
pub struct RefusingBulb {
    refused: Hsb,
    label: String,
}

impl RefusingBulb {
    /// A bulb that refuses the named colour (`"green"`) or `#rrggbb`.
    pub fn refusing(colour: &str) -> Self {
        let parsed = parse_colour(colour).expect("a colour the server knows");
        Self {
            refused: parsed.hsb,
            label: parsed.label,
        }
    }
}

impl BulbDriver for RefusingBulb {
    fn name(&self) -> &'static str {
        "refusing"
    }

    fn apply(
        &self,
        hsb: Hsb,
    ) -> Pin<Box<dyn Future<Output = Result<(), DriverError>> + Send + '_>> {
        let result = if hsb == self.refused {
            Err(DriverError(format!("the bulb refused {}", self.label)))
        } else {
            Ok(())
        };
        Box::pin(std::future::ready(result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_only_its_colour() {
        let bulb = RefusingBulb::refusing("green");
        let green = parse_colour("green").unwrap().hsb;
        let red = parse_colour("red").unwrap().hsb;
        let refused = bulb.apply(green).await.unwrap_err();
        assert_eq!(refused.0, "the bulb refused green");
        assert!(bulb.apply(red).await.is_ok());
    }
}
