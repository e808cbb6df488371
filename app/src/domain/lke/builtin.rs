//! Built-in data shipped with the crate: the complete PermenPANRB 90/2021 rubric
//! (generated from the reference workbook's `LKE ZI` sheet) and its default gates.

use std::sync::OnceLock;

use super::gates::GateSet;
use super::rubric::RubricVersion;

/// Key of the built-in PermenPANRB 90/2021 version.
pub const KEY_90_2021: &str = "permenpanrb-90-2021";

const RUBRIC_90_2021_JSON: &str = include_str!("permenpanrb_90_2021.json");
const GATES_90_2021_JSON: &str = include_str!("gates_90_2021.json");

/// Parses the embedded rubric JSON (validated like any other version).
pub fn parse_builtin_90_2021() -> Result<RubricVersion, serde_json::Error> {
    serde_json::from_str(RUBRIC_90_2021_JSON)
}

/// Parses the embedded default gates of PermenPANRB 90/2021.
pub fn parse_builtin_gates_90_2021() -> Result<GateSet, serde_json::Error> {
    serde_json::from_str(GATES_90_2021_JSON)
}

/// The built-in PermenPANRB 90/2021 rubric (parsed once, shared).
pub fn builtin_90_2021_ref() -> &'static RubricVersion {
    static CELL: OnceLock<RubricVersion> = OnceLock::new();
    CELL.get_or_init(|| {
        // Embedded, compile-time data: its validity is covered by the tests below.
        #[allow(clippy::expect_used)]
        parse_builtin_90_2021().expect("embedded PermenPANRB 90/2021 rubric is valid")
    })
}

/// An owned copy of the built-in PermenPANRB 90/2021 rubric.
pub fn builtin_90_2021() -> RubricVersion {
    builtin_90_2021_ref().clone()
}

/// The default WBK/WBBM gates for PermenPANRB 90/2021 (lke-rubric.md §4.1). Data an
/// administrator may correct; nothing of it is hard-coded in the evaluation.
pub fn builtin_gates_90_2021() -> GateSet {
    static CELL: OnceLock<GateSet> = OnceLock::new();
    CELL.get_or_init(|| {
        #[allow(clippy::expect_used)]
        parse_builtin_gates_90_2021().expect("embedded PermenPANRB 90/2021 gates are valid")
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::super::answer_type::AnswerType;
    use super::super::codes::{AreaId, Part};
    use super::*;

    #[test]
    fn embedded_rubric_parses() {
        let r = parse_builtin_90_2021().unwrap();
        assert_eq!(r.key(), KEY_90_2021);
    }

    #[test]
    fn weights_sum_to_100_with_expected_split() {
        let r = builtin_90_2021_ref();
        assert!((r.total_weight() - 100.0).abs() < 1e-12);
        assert!((r.part(Part::Pemenuhan).weight() - 30.0).abs() < 1e-12);
        assert!((r.part(Part::Reform).weight() - 30.0).abs() < 1e-12);
        assert!((r.hasil().weight() - 40.0).abs() < 1e-12);
        assert!((r.hasil().bersih_weight() - 22.5).abs() < 1e-12);
        let expected = [4.0, 3.5, 5.0, 5.0, 7.5, 5.0];
        for (part, _) in r.parts() {
            for (area, w) in AreaId::ALL.into_iter().zip(expected) {
                assert!(
                    (r.area(part, area).weight() - w).abs() < 1e-12,
                    "{part:?} {area:?}"
                );
            }
        }
    }

    #[test]
    fn has_113_scored_items_42_indicators_and_unique_codes() {
        let r = builtin_90_2021_ref();
        assert_eq!(r.scored_item_count(), 113);
        assert_eq!(r.indicators().count(), 42);
        let p = r
            .part(Part::Pemenuhan)
            .areas
            .iter()
            .map(|a| a.indicators.len())
            .sum::<usize>();
        assert_eq!(p, 25);
        let codes: BTreeSet<String> = r
            .questions()
            .map(|q| q.code.to_string())
            .chain(
                r.questions()
                    .flat_map(|q| q.inputs.iter().map(|i| i.code.to_string())),
            )
            .chain(r.indicators().map(|i| i.code.to_string()))
            .collect();
        let n_inputs: usize = r.questions().map(|q| q.inputs.len()).sum();
        assert_eq!(codes.len(), 110 + n_inputs + 42);
    }

    #[test]
    fn answer_types_match_the_sheet() {
        let r = builtin_90_2021_ref();
        let count =
            |f: fn(&AnswerType) -> bool| r.questions().filter(|q| f(&q.answer_type)).count();
        assert_eq!(count(|t| matches!(t, AnswerType::Percent(_))), 8);
        assert_eq!(count(|t| *t == AnswerType::YaTidak), 17);
        let q = r.question("P.MP.i.a".parse().unwrap()).unwrap();
        assert_eq!(
            q.answer_type,
            AnswerType::YaTidak,
            "the sheet's `Ya` slip is typed Ya/Tidak"
        );
        for q in r.questions().filter(|q| q.answer_type.is_choice()) {
            assert!(!q.options.is_empty(), "{} has option criteria", q.code);
        }
    }

    #[test]
    fn embedded_gates_parse() {
        let g = parse_builtin_gates_90_2021().unwrap();
        assert_eq!(g.rubric_key, KEY_90_2021);
    }
}
