//! Pure scoring core of ZI Tracker: the LKE Zona Integritas rubric model
//! (PermenPANRB 90/2021 built in), scoring exactly as the official `LKE ZI` sheet,
//! WBK/WBBM gates as data, what-if plans and the assessment workflow.
//!
//! No IO, no platform specifics: builds for `wasm32-unknown-unknown`. User-facing
//! texts are not produced here (the app's i18n layer formats the structured results);
//! rubric content (question texts, criteria, area names) is data, in Indonesian.

pub mod answer_type;
pub mod answers;
pub mod builtin;
pub mod codes;
pub mod gates;
pub mod number;
pub mod rubric;
pub mod scoring;
pub mod values;
pub mod whatif;
pub mod workflow;

#[cfg(test)]
mod proptests;
#[cfg(test)]
pub(crate) mod testkit;

pub use answer_type::{Answer, AnswerType, PercentFormula};
pub use answers::{AnswerError, Answers, HasilAnswers};
pub use builtin::{builtin_90_2021, builtin_90_2021_ref, builtin_gates_90_2021, KEY_90_2021};
pub use codes::{
    AreaId, CodeError, HasilItemId, IndicatorCode, InputCode, ItemCode, Part, QuestionCode,
};
pub use gates::{
    evaluate, GateResult, GateRule, GateScope, GateSet, GateTarget, Precondition, Predicate,
    PredicateRules, PredicateVerdict, Threshold, Verdicts,
};
pub use number::{format_id, parse_decimal, ParseDecimalError};
pub use rubric::{
    AreaRubric, HasilItem, HasilRubric, Indicator, InputKind, NumericInput, OptionCriterion,
    PartRubric, Question, RubricError, RubricVersion, RubricVersionData, YearRange,
};
pub use scoring::{
    score, AreaScore, Completeness, FormulaError, HasilScore, IndicatorScore, QuestionValue,
    ScoreSheet, Subtotal,
};
pub use values::{InputValue, SurveyIndex, ValueError, Weight};
pub use whatif::{combined_steps, plan_for_gate, plan_improvements, GatePlan, Step, StepValue};
pub use workflow::{
    is_locked_for_unit, transition, AssessmentState, RefusalReason, TransitionError, WorkflowEvent,
};
