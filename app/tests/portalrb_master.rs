//! The built-in rubric's PortalRB mapping against PortalRB's own master list
//! (`master-soal-lkezi-2026.json`): every soal in its order, of the same type,
//! with the same option multipliers and weights.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::domain::lke::{builtin_90_2021_ref, Answer, HasilItemId, ItemCode};
use app::domain::portalrb::soal_2026;
use serde_json::Value;

const MASTER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/master-soal-lkezi-2026.json"
);

/// A soal with the weight of the sub-area it sits under (the area's direct child).
struct Soal {
    body: Value,
    indicator_weight: Option<f64>,
}

fn master() -> Vec<Soal> {
    let text = std::fs::read_to_string(MASTER).expect("the master list");
    let json: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(json["tahun"], 2026);
    let mut soal = Vec::new();
    for node in json["data"].as_array().expect("data") {
        walk(node, None, &mut soal);
    }
    soal.sort_by_key(|s| s.body["excel_baris"].as_u64());
    soal
}

fn walk(node: &Value, indicator_weight: Option<f64>, out: &mut Vec<Soal>) {
    let weight = match (indicator_weight, node["level"].as_str()) {
        (None, Some("sub_area")) => node["bobot_maksimal"].as_f64(),
        (outer, _) => outer,
    };
    for s in node["soals"].as_array().into_iter().flatten() {
        out.push(Soal {
            body: s.clone(),
            indicator_weight: weight,
        });
    }
    for child in node["children"].as_array().into_iter().flatten() {
        walk(child, weight, out);
    }
}

#[test]
fn every_soal_of_the_master_maps_to_the_same_item_of_the_rubric() {
    let rubric = builtin_90_2021_ref();
    let master = master();
    let ours: Vec<_> = soal_2026().collect();
    assert_eq!(master.len(), 127);
    assert_eq!(ours.len(), master.len());
    for (soal, (id, item)) in master.iter().zip(ours) {
        let body = &soal.body;
        let context = format!("soal {id} ({item})");
        assert_eq!(
            body["id"].as_u64(),
            Some(u64::from(id.value())),
            "{context}"
        );
        let kind = body["jenis_jawaban"].as_str().expect("jenis_jawaban");
        let keys: Vec<&str> = body["skema_penilaian"]
            .as_array()
            .expect("skema")
            .iter()
            .map(|k| k["key"].as_str().expect("key"))
            .collect();
        let multipliers: Vec<f64> = body["skema_penilaian"]
            .as_array()
            .expect("skema")
            .iter()
            .map(|k| k["multiplier"].as_f64().expect("multiplier"))
            .collect();
        match item {
            ItemCode::Question(code) => {
                let question = rubric.question(code).expect("question");
                let options: Vec<&str> = question
                    .answer_type
                    .options()
                    .iter()
                    .map(|a| a.as_str())
                    .collect();
                assert_eq!(keys, options, "{context}: {kind}");
                for (key, multiplier) in keys.iter().zip(&multipliers) {
                    let answer = Answer::parse_lenient(key).expect("an answer");
                    let value = question.answer_type.value_of(answer).expect("a value");
                    assert!((value - multiplier).abs() < 1e-9, "{context}: {key}");
                }
                let indicator = rubric.indicator(code.indicator()).expect("indicator");
                let weight = soal.indicator_weight.expect("under a sub-area");
                assert!(
                    (indicator.weight.value() - weight).abs() < 1e-9,
                    "{context}: weight {weight} against {}",
                    indicator.weight.value()
                );
            }
            ItemCode::Input(code) => {
                assert!(kind.eq_ignore_ascii_case("jumlah"), "{context}: {kind}");
                assert!(rubric.input(code).is_some(), "{context}");
            }
            ItemCode::Hasil(hasil) => {
                let (expected_kind, rubric_item) = match hasil {
                    HasilItemId::Ipak => ("0-4", &rubric.hasil().ipak),
                    HasilItemId::Capaian => ("ABCDE", &rubric.hasil().capaian),
                    HasilItemId::Ipkp => ("0-4", &rubric.hasil().ipkp),
                };
                assert_eq!(kind, expected_kind, "{context}");
                let weight = body["bobot_maksimal"].as_f64().expect("bobot");
                assert!(
                    (rubric_item.weight.value() - weight).abs() < 1e-9,
                    "{context}"
                );
            }
        }
    }
}
