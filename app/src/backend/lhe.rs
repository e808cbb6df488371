//! The evaluation report (LHE, Laporan Hasil Evaluasi) the TPI team writes
//! today by hand, drafted from the scores of both lanes, the gate verdict, the
//! notes per area and the biggest gaps. It is an official document in Bahasa
//! Indonesia, whatever the language of the page; the team edits and signs it.

use crate::components::labels::{
    area_label, date_label, gate_target_label, part_label, review_status_label, state_label,
    target_label,
};
use crate::domain::lke::{
    evaluate, format_id, score, Answers, HasilItemId, ItemCode, RubricVersion, ScoreSheet,
};
use crate::domain::period::Day;
use crate::domain::review::disagreements;
use crate::i18n::*;
use crate::model::{AssessmentData, Block, ReportDoc, ReviewView};

/// How many disagreements the report lists.
const GAPS_LISTED: usize = 10;
const L: Locale = Locale::id;

fn num(value: f64) -> String {
    format_id(value, 2)
}

fn table(header: &[&str], rows: Vec<Vec<String>>, numeric: &[bool]) -> Block {
    Block::Table {
        header: header.iter().map(|h| (*h).to_owned()).collect(),
        rows,
        numeric: numeric.to_vec(),
    }
}

fn heading(text: impl ToString) -> Block {
    Block::Heading {
        text: text.to_string(),
    }
}

fn paragraph(text: impl ToString) -> Block {
    Block::Paragraph {
        text: text.to_string(),
    }
}

/// Drafts the report of an assessment as the caller sees it.
pub fn build(data: &AssessmentData, today: Day) -> ReportDoc {
    let rubric = data.rubric();
    let review = data.review.clone().unwrap_or_default();
    let tpi_answers = data.evaluator_answers(&rubric);
    let unit_sheet = score(&rubric, &data.answers);
    let tpi_sheet = score(&rubric, &tpi_answers);
    let summary = &data.header.summary;
    let target = target_label(summary.target);
    let mut blocks = vec![
        heading(td_string!(L, lhe.intro_title)),
        paragraph(td_string!(
            L,
            lhe.intro,
            unit = summary.unit_name.clone(),
            code = summary.unit_code.clone(),
            target = target,
            year = summary.year.value(),
            basis = rubric.legal_basis().to_owned(),
            state = state_label(L, summary.state)
        )),
        heading(td_string!(L, lhe.team_title)),
        team_table(&review),
        heading(td_string!(L, lhe.scores_title)),
        scores_table(&rubric, &unit_sheet, &tpi_sheet),
        heading(td_string!(L, lhe.verdict_title, target = target)),
    ];
    blocks.extend(verdict_blocks(data, &tpi_sheet));
    blocks.push(heading(td_string!(L, lhe.notes_title)));
    blocks.extend(notes_blocks(&rubric, &review));
    blocks.push(heading(td_string!(L, lhe.gaps_title)));
    blocks.push(gaps_block(
        &rubric,
        data,
        &unit_sheet,
        &tpi_sheet,
        &tpi_answers,
    ));
    if !review.return_summary.is_empty() {
        blocks.push(heading(td_string!(L, lhe.return_title)));
        blocks.push(paragraph(&review.return_summary));
    }
    let lead = review
        .team
        .iter()
        .find(|m| m.lead)
        .or_else(|| review.team.first())
        .map_or_else(
            || "(.................................)".to_owned(),
            |m| m.full_name.clone(),
        );
    blocks.push(Block::Signature {
        place_date: td_string!(L, lhe.place_date, date = date_label(L, today)).to_string(),
        role: td_string!(L, lhe.signer).to_string(),
        name: lead,
    });
    ReportDoc {
        title: td_string!(L, lhe.title).to_string(),
        subtitle: format!(
            "{} ({}) · {} {} · {}",
            summary.unit_name,
            summary.unit_code,
            td_string!(L, lhe.year),
            summary.year.value(),
            target
        ),
        blocks,
    }
}

fn team_table(review: &ReviewView) -> Block {
    let rows = review
        .team
        .iter()
        .enumerate()
        .map(|(n, m)| {
            let role = if m.lead {
                td_string!(L, lhe.lead)
            } else {
                td_string!(L, lhe.member)
            };
            vec![(n + 1).to_string(), m.full_name.clone(), role.to_owned()]
        })
        .collect();
    table(
        &[
            td_string!(L, lhe.no),
            td_string!(L, lhe.name),
            td_string!(L, lhe.role),
        ],
        rows,
        &[true, false, false],
    )
}

fn scores_table(rubric: &RubricVersion, unit: &ScoreSheet, tpi: &ScoreSheet) -> Block {
    let row = |label: String, weight: f64, u: f64, t: f64| vec![label, num(weight), num(u), num(t)];
    let mut rows: Vec<Vec<String>> = rubric
        .parts()
        .into_iter()
        .flat_map(|(part, p)| p.areas.iter().map(move |a| (part, a.area)))
        .filter_map(|(part, area)| {
            let (u, t) = (unit.area(part, area)?, tpi.area(part, area)?);
            Some(row(
                format!("{} ({})", area_label(L, area), part_label(L, part)),
                u.weight,
                u.score,
                t.score,
            ))
        })
        .collect();
    rows.push(row(
        td_string!(L, gates.pengungkit).to_owned(),
        unit.pengungkit.weight,
        unit.pengungkit.score,
        tpi.pengungkit.score,
    ));
    for (id, label) in [
        (HasilItemId::Ipak, td_string!(L, gates.ipak)),
        (HasilItemId::Capaian, td_string!(L, gates.capaian)),
        (HasilItemId::Ipkp, td_string!(L, gates.ipkp)),
    ] {
        let (u, t) = (unit.hasil.item(id), tpi.hasil.item(id));
        rows.push(row(label.to_owned(), u.weight, u.score, t.score));
    }
    rows.push(row(
        td_string!(L, gates.total).to_owned(),
        unit.total.weight,
        unit.total.score,
        tpi.total.score,
    ));
    table(
        &[
            td_string!(L, lhe.component),
            td_string!(L, lhe.weight),
            td_string!(L, lhe.unit_score),
            td_string!(L, lhe.tpi_score),
        ],
        rows,
        &[false, true, true, true],
    )
}

fn verdict_blocks(data: &AssessmentData, tpi: &ScoreSheet) -> Vec<Block> {
    let verdicts = evaluate(tpi, &data.gates, data.holds_wbk());
    let verdict = match data.header.summary.target.predicate() {
        crate::domain::lke::Predicate::Wbk => verdicts.wbk,
        crate::domain::lke::Predicate::Wbbm => verdicts.wbbm,
    };
    let rows = verdict
        .gates
        .iter()
        .map(|g| {
            vec![
                gate_target_label(L, g.target),
                num(g.value),
                num(g.threshold),
                num(g.margin),
                if g.pass {
                    td_string!(L, lhe.pass)
                } else {
                    td_string!(L, lhe.fail)
                }
                .to_owned(),
            ]
        })
        .collect();
    let conclusion = if verdict.pass {
        td_string!(
            L,
            lhe.passes,
            target = target_label(data.header.summary.target),
            total = num(tpi.total.score)
        )
        .to_string()
    } else {
        td_string!(
            L,
            lhe.fails,
            target = target_label(data.header.summary.target),
            total = num(tpi.total.score)
        )
        .to_string()
    };
    vec![
        table(
            &[
                td_string!(L, lhe.gate),
                td_string!(L, lhe.value),
                td_string!(L, lhe.threshold),
                td_string!(L, lhe.margin),
                td_string!(L, lhe.result),
            ],
            rows,
            &[false, true, true, true, false],
        ),
        paragraph(conclusion),
    ]
}

fn notes_blocks(rubric: &RubricVersion, review: &ReviewView) -> Vec<Block> {
    // Item, status and note of an item the evaluators wrote something on.
    let note_row = |item: ItemCode| {
        let entry = review
            .entries
            .get(&item)
            .filter(|e| e.status.is_some() || !e.note.is_empty())?;
        let status = entry.status.map(|s| review_status_label(L, s).to_owned());
        Some(vec![
            item.to_string(),
            status.unwrap_or_default(),
            entry.note.clone(),
        ])
    };
    let mut out = Vec::new();
    for (part, p) in rubric.parts() {
        for area in &p.areas {
            let rows: Vec<Vec<String>> = area
                .indicators
                .iter()
                .flat_map(|i| i.questions.iter())
                .filter_map(|q| note_row(ItemCode::Question(q.code)))
                .collect();
            if !rows.is_empty() {
                out.push(paragraph(format!(
                    "{} ({})",
                    area_label(L, area.area),
                    part_label(L, part)
                )));
                out.push(notes_table(rows));
            }
        }
    }
    let hasil: Vec<Vec<String>> = HasilItemId::ALL
        .into_iter()
        .filter_map(|id| note_row(ItemCode::Hasil(id)))
        .collect();
    if !hasil.is_empty() {
        out.push(paragraph(td_string!(L, gates.hasil)));
        out.push(notes_table(hasil));
    }
    if out.is_empty() {
        out.push(paragraph(td_string!(L, lhe.no_notes)));
    }
    out
}

fn notes_table(rows: Vec<Vec<String>>) -> Block {
    table(
        &[
            td_string!(L, lhe.item),
            td_string!(L, lhe.status),
            td_string!(L, lhe.note),
        ],
        rows,
        &[false, false, false],
    )
}

fn gaps_block(
    rubric: &RubricVersion,
    data: &AssessmentData,
    unit: &ScoreSheet,
    tpi: &ScoreSheet,
    tpi_answers: &Answers,
) -> Block {
    let shown = |item: ItemCode, answers: &Answers, value: Option<f64>| {
        match item {
            ItemCode::Question(code) => answers
                .choice(code)
                .map(|a| a.as_str().to_owned())
                .or_else(|| value.map(|v| format!("{} %", format_id(v * 100.0, 0)))),
            ItemCode::Hasil(HasilItemId::Capaian) => {
                answers.hasil().capaian.map(|a| a.as_str().to_owned())
            }
            _ => value.map(num),
        }
        .unwrap_or_else(|| "—".to_owned())
    };
    let rows: Vec<Vec<String>> = disagreements(rubric, unit, tpi)
        .into_iter()
        .take(GAPS_LISTED)
        .map(|gap| {
            vec![
                gap.item.to_string(),
                shown(gap.item, &data.answers, gap.unit),
                shown(gap.item, tpi_answers, gap.evaluator),
                num(gap.points),
            ]
        })
        .collect();
    if rows.is_empty() {
        return paragraph(td_string!(L, lhe.no_gaps));
    }
    table(
        &[
            td_string!(L, lhe.item),
            td_string!(L, lhe.unit_score),
            td_string!(L, lhe.tpi_score),
            td_string!(L, lhe.points),
        ],
        rows,
        &[false, true, true, true],
    )
}
