//! Small numeric newtypes that can only hold valid values.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ValueError {
    #[error("value is not a finite number")]
    NotFinite,
    #[error("value {value} is below the minimum {min}")]
    BelowMinimum { value: f64, min: f64 },
    #[error("value {value} is above the maximum {max}")]
    AboveMaximum { value: f64, max: f64 },
}

fn check(value: f64, min: f64, max: f64) -> Result<f64, ValueError> {
    if !value.is_finite() {
        Err(ValueError::NotFinite)
    } else if value < min {
        Err(ValueError::BelowMinimum { value, min })
    } else if value > max {
        Err(ValueError::AboveMaximum { value, max })
    } else {
        Ok(value)
    }
}

/// Weight (bobot) of an indicator or Hasil item: finite and strictly positive.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Weight(f64);

impl Weight {
    pub fn new(value: f64) -> Result<Self, ValueError> {
        let v = check(value, 0.0, f64::MAX)?;
        if v == 0.0 {
            return Err(ValueError::BelowMinimum {
                value,
                min: f64::MIN_POSITIVE,
            });
        }
        Ok(Weight(v))
    }
    pub fn value(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Weight {
    type Error = ValueError;
    fn try_from(v: f64) -> Result<Self, Self::Error> {
        Weight::new(v)
    }
}

impl From<Weight> for f64 {
    fn from(w: Weight) -> f64 {
        w.0
    }
}

/// A survey index on the 0–4 scale (IPAK, IPKP).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct SurveyIndex(f64);

impl SurveyIndex {
    pub const MIN: f64 = 0.0;
    pub const MAX: f64 = 4.0;

    pub fn new(value: f64) -> Result<Self, ValueError> {
        check(value, Self::MIN, Self::MAX).map(SurveyIndex)
    }
    pub fn value(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for SurveyIndex {
    type Error = ValueError;
    fn try_from(v: f64) -> Result<Self, Self::Error> {
        SurveyIndex::new(v)
    }
}

impl From<SurveyIndex> for f64 {
    fn from(s: SurveyIndex) -> f64 {
        s.0
    }
}

/// A numeric input (`Jumlah`): a finite, non-negative count.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct InputValue(f64);

impl InputValue {
    pub fn new(value: f64) -> Result<Self, ValueError> {
        check(value, 0.0, f64::MAX).map(InputValue)
    }
    pub fn value(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for InputValue {
    type Error = ValueError;
    fn try_from(v: f64) -> Result<Self, Self::Error> {
        InputValue::new(v)
    }
}

impl From<InputValue> for f64 {
    fn from(s: InputValue) -> f64 {
        s.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_must_be_positive_and_finite() {
        assert!(Weight::new(0.25).is_ok());
        assert!(Weight::new(0.0).is_err());
        assert!(Weight::new(-1.0).is_err());
        assert!(Weight::new(f64::NAN).is_err());
        assert!(serde_json::from_str::<Weight>("0").is_err());
        assert_eq!(
            serde_json::from_str::<Weight>("17.5").unwrap().value(),
            17.5
        );
    }

    #[test]
    fn survey_index_is_bounded() {
        assert!(SurveyIndex::new(0.0).is_ok());
        assert!(SurveyIndex::new(4.0).is_ok());
        assert_eq!(
            SurveyIndex::new(4.01),
            Err(ValueError::AboveMaximum {
                value: 4.01,
                max: 4.0
            })
        );
        assert!(SurveyIndex::new(-0.1).is_err());
        assert!(serde_json::from_str::<SurveyIndex>("5").is_err());
    }

    #[test]
    fn input_value_is_non_negative() {
        assert!(InputValue::new(0.0).is_ok());
        assert!(InputValue::new(12.0).is_ok());
        assert!(InputValue::new(-1.0).is_err());
        assert!(InputValue::new(f64::INFINITY).is_err());
    }
}
