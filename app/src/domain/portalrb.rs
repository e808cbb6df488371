//! PortalRB 2026: how the national portal names the LKE (its master list of
//! soal) and what it pulls from us, in the integration guide's words. The
//! mapping is by item code, which is the outline position, so it holds for
//! every rubric version with the official outline.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use super::lke::{Answers, HasilItemId, ItemCode, Predicate};

/// A question's id in PortalRB's master list (`soal_id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SoalId(u16);

impl SoalId {
    pub fn value(self) -> u16 {
        self.0
    }
}

impl fmt::Display for SoalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Every soal of `master-soal-lkezi-2026.json` in its order, with the item it
/// asks for: the choice questions and `Jumlah` inputs of Pemenuhan and Reform,
/// then Hasil. The computed-% questions have no soal (PortalRB computes them),
/// nor have the two "Jumlah yang harus melaporkan" rows (sums of the rows
/// below them).
const SOAL_2026: [(u16, &str); 127] = [
    (1, "P.MP.i.a"),
    (2, "P.MP.i.b"),
    (3, "P.MP.ii.a"),
    (4, "P.MP.ii.b"),
    (5, "P.MP.ii.c"),
    (6, "P.MP.iii.a"),
    (7, "P.MP.iii.b"),
    (8, "P.MP.iii.c"),
    (9, "P.MP.iv.a"),
    (10, "P.MP.iv.b"),
    (11, "P.MP.iv.c"),
    (12, "P.MP.iv.d"),
    (13, "P.TT.i.a"),
    (14, "P.TT.i.b"),
    (15, "P.TT.i.c"),
    (16, "P.TT.ii.a"),
    (17, "P.TT.ii.b"),
    (18, "P.TT.ii.c"),
    (19, "P.TT.ii.d"),
    (20, "P.TT.iii.a"),
    (21, "P.TT.iii.b"),
    (22, "P.SDM.i.a"),
    (23, "P.SDM.i.b"),
    (24, "P.SDM.i.c"),
    (25, "P.SDM.ii.a"),
    (26, "P.SDM.ii.b"),
    (27, "P.SDM.ii.c"),
    (28, "P.SDM.iii.a"),
    (29, "P.SDM.iii.b"),
    (30, "P.SDM.iii.c"),
    (31, "P.SDM.iii.d"),
    (32, "P.SDM.iii.e"),
    (33, "P.SDM.iii.f"),
    (34, "P.SDM.iv.a"),
    (35, "P.SDM.iv.b"),
    (36, "P.SDM.iv.c"),
    (37, "P.SDM.iv.d"),
    (38, "P.SDM.v.a"),
    (39, "P.SDM.vi.a"),
    (40, "P.AK.i.a"),
    (41, "P.AK.i.b"),
    (42, "P.AK.i.c"),
    (43, "P.AK.ii.a"),
    (44, "P.AK.ii.b"),
    (45, "P.AK.ii.c"),
    (46, "P.AK.ii.d"),
    (47, "P.AK.ii.e"),
    (48, "P.AK.ii.f"),
    (49, "P.AK.ii.g"),
    (50, "P.AK.ii.h"),
    (51, "P.PW.i.a"),
    (52, "P.PW.i.b"),
    (53, "P.PW.ii.a"),
    (54, "P.PW.ii.b"),
    (55, "P.PW.ii.c"),
    (56, "P.PW.ii.d"),
    (57, "P.PW.iii.a"),
    (58, "P.PW.iii.b"),
    (59, "P.PW.iii.c"),
    (60, "P.PW.iii.d"),
    (61, "P.PW.iv.a"),
    (62, "P.PW.iv.b"),
    (63, "P.PW.iv.c"),
    (64, "P.PW.v.a"),
    (65, "P.PW.v.b"),
    (66, "P.PW.v.c"),
    (67, "P.PW.v.d"),
    (68, "P.PW.v.e"),
    (69, "P.PP.i.a"),
    (70, "P.PP.i.b"),
    (71, "P.PP.i.c"),
    (72, "P.PP.i.d"),
    (73, "P.PP.ii.a"),
    (74, "P.PP.ii.b"),
    (75, "P.PP.ii.c"),
    (76, "P.PP.ii.d"),
    (77, "P.PP.ii.e"),
    (78, "P.PP.ii.f"),
    (79, "P.PP.iii.a"),
    (80, "P.PP.iii.b"),
    (81, "P.PP.iii.c"),
    (82, "P.PP.iv.a"),
    (83, "P.PP.iv.b"),
    (84, "P.PP.iv.c"),
    (85, "P.PP.v.a"),
    (86, "P.PP.v.b"),
    (87, "P.PP.v.c"),
    (88, "R.MP.i.a.1"),
    (89, "R.MP.i.a.2"),
    (90, "R.MP.i.b.1"),
    (91, "R.MP.i.b.2"),
    (92, "R.MP.ii.a"),
    (93, "R.MP.iii.a"),
    (94, "R.TT.i.a"),
    (95, "R.TT.ii.a"),
    (96, "R.TT.ii.b"),
    (97, "R.TT.iii.a"),
    (98, "R.TT.iii.b"),
    (99, "R.TT.iii.c"),
    (100, "R.SDM.i.a"),
    (101, "R.SDM.ii.a"),
    (102, "R.SDM.iii.a.1"),
    (103, "R.SDM.iii.a.2"),
    (104, "R.SDM.iii.a.3"),
    (105, "R.AK.i.a.1"),
    (106, "R.AK.i.a.2"),
    (107, "R.AK.ii.a"),
    (108, "R.AK.iii.a"),
    (109, "R.PW.i.a"),
    (110, "R.PW.ii.a.1"),
    (111, "R.PW.ii.a.2"),
    (112, "R.PW.ii.a.3"),
    (113, "R.PW.iii.a.2"),
    (114, "R.PW.iii.a.3"),
    (115, "R.PW.iii.a.4"),
    (116, "R.PW.iii.a.5"),
    (117, "R.PW.iii.b.2"),
    (118, "R.PW.iii.b.3"),
    (119, "R.PW.iii.b.4"),
    (120, "R.PW.iii.b.5"),
    (121, "R.PP.i.a"),
    (122, "R.PP.i.b.1"),
    (123, "R.PP.i.b.2"),
    (124, "R.PP.ii.a"),
    (125, "H.I.a"),
    (126, "H.I.b"),
    (127, "H.II.a"),
];

/// The soal in PortalRB's order.
pub fn soal_2026() -> impl Iterator<Item = (SoalId, ItemCode)> {
    SOAL_2026
        .iter()
        .filter_map(|(id, code)| Some((SoalId(*id), code.parse().ok()?)))
}

/// The item whose evidence backs a soal: an input's files sit on its question.
pub fn evidence_item(item: ItemCode) -> ItemCode {
    match item {
        ItemCode::Input(code) => ItemCode::Question(code.question()),
        other => other,
    }
}

/// One lane of an assessment as PortalRB reads it: answers and notes by item.
pub struct Lane<'a> {
    pub answers: &'a Answers,
    pub notes: &'a BTreeMap<ItemCode, String>,
}

/// One entry of `answers[]` in `GET /lke/jawaban-unit/{unit_id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SoalAnswer {
    pub soal_id: u16,
    pub jawaban_unit: Option<String>,
    pub jawaban_tpi: Option<String>,
    pub catatan_unit: Option<String>,
    pub bukti_dukung_unit: Option<String>,
    pub catatan_tpi: Option<String>,
}

/// One entry for every soal of the master, null where nothing is given: the
/// unit's lane, the evaluators' lane (when the unit was reviewed) and the
/// link to each item's evidence.
pub fn soal_answers(
    unit: &Lane<'_>,
    evaluators: Option<&Lane<'_>>,
    evidence_link: impl Fn(ItemCode) -> Option<String>,
) -> Vec<SoalAnswer> {
    soal_2026()
        .map(|(soal, item)| SoalAnswer {
            soal_id: soal.value(),
            jawaban_unit: value_text(unit.answers, item),
            jawaban_tpi: evaluators.and_then(|lane| value_text(lane.answers, item)),
            catatan_unit: note(unit, item),
            bukti_dukung_unit: evidence_link(evidence_item(item)),
            catatan_tpi: evaluators.and_then(|lane| note(lane, item)),
        })
        .collect()
}

fn note(lane: &Lane<'_>, item: ItemCode) -> Option<String> {
    lane.notes
        .get(&item)
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
}

/// An answer as the master's `skema_penilaian` keys spell it (`Ya`, `Tidak`,
/// `A`…`E`), a count or an index as a plain decimal number.
fn value_text(answers: &Answers, item: ItemCode) -> Option<String> {
    match item {
        ItemCode::Question(code) => answers.choice(code).map(|a| a.as_str().to_owned()),
        ItemCode::Input(code) => answers.input(code).map(|v| number(v.value())),
        ItemCode::Hasil(HasilItemId::Capaian) => {
            answers.hasil().capaian.map(|a| a.as_str().to_owned())
        }
        ItemCode::Hasil(HasilItemId::Ipak) => answers.hasil().ipak.map(|v| number(v.value())),
        ItemCode::Hasil(HasilItemId::Ipkp) => answers.hasil().ipkp.map(|v| number(v.value())),
    }
}

/// `12`, `3.5`, `3.52`: no trailing zeros, a decimal point as JSON expects.
fn number(value: f64) -> String {
    let text = format!("{value:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// `kategori` of a proposed unit.
pub fn kategori(predicate: Predicate, afirmasi: bool) -> &'static str {
    match (predicate, afirmasi) {
        (Predicate::Wbk, false) => "WBK",
        (Predicate::Wbk, true) => "WBK-AFIRMASI",
        (Predicate::Wbbm, _) => "WBBM",
    }
}

/// What an API token may be used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// PortalRB pulls proposals and answers (`/portalrb/…`).
    Portalrb,
}

impl TokenScope {
    pub const ALL: [TokenScope; 1] = [TokenScope::Portalrb];

    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Portalrb => "portalrb",
        }
    }

    pub fn parse(text: &str) -> Option<TokenScope> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }
}

/// A token's name, as an administrator tells tokens apart: 1–80 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenName(String);

impl TokenName {
    pub const MAX_CHARS: usize = 80;

    pub fn parse(text: &str) -> Option<TokenName> {
        let name: String = text.trim().chars().filter(|c| !c.is_control()).collect();
        let chars = name.chars().count();
        (1..=Self::MAX_CHARS)
            .contains(&chars)
            .then_some(TokenName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The secret part of a token as a caller presents it: `zi_` and 64 hex digits.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSecret(String);

impl TokenSecret {
    const PREFIX: &'static str = "zi_";

    /// A secret from 32 random bytes.
    pub fn from_random(bytes: [u8; 32]) -> TokenSecret {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        TokenSecret(format!("{}{hex}", Self::PREFIX))
    }

    /// The token of an `Authorization: Bearer …` header.
    pub fn from_authorization(header: &str) -> Option<TokenSecret> {
        let (scheme, token) = header.trim().split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        Self::parse(token.trim())
    }

    pub fn parse(text: &str) -> Option<TokenSecret> {
        let hex = text.strip_prefix(Self::PREFIX)?;
        (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| TokenSecret(text.to_ascii_lowercase()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenSecret(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lke::{builtin_90_2021_ref, Answer, ItemCode};

    #[test]
    fn every_soal_names_an_item_of_the_builtin_rubric_once() {
        let rubric = builtin_90_2021_ref();
        let soal: Vec<_> = soal_2026().collect();
        assert_eq!(soal.len(), 127);
        let ids: Vec<u16> = soal.iter().map(|(id, _)| id.value()).collect();
        assert_eq!(ids, (1..=127).collect::<Vec<_>>());
        let mut seen = std::collections::BTreeSet::new();
        for (id, item) in soal {
            assert!(seen.insert(item), "soal {id}: {item} twice");
            match item {
                ItemCode::Question(code) => {
                    let q = rubric.question(code).expect("a question of the rubric");
                    assert!(q.answer_type.is_choice(), "soal {id}: {item} is computed");
                }
                ItemCode::Input(code) => assert!(rubric.input(code).is_some(), "{item}"),
                ItemCode::Hasil(_) => {}
            }
        }
    }

    #[test]
    fn answers_are_spelled_as_the_master_keys_and_numbers_as_json_expects() {
        let rubric = builtin_90_2021_ref();
        let mut answers = Answers::new();
        let ya = "P.MP.i.a".parse().expect("code");
        let abc = "P.MP.i.b".parse().expect("code");
        answers
            .set_choice(rubric, ya, Some(Answer::Ya))
            .expect("Ya");
        answers.set_choice(rubric, abc, Some(Answer::B)).expect("B");
        let count = "R.MP.i.a.1".parse().expect("code");
        let value = crate::domain::lke::InputValue::new(12.0).expect("count");
        answers
            .set_input(rubric, count, Some(value))
            .expect("input");
        answers.set_ipak(crate::domain::lke::SurveyIndex::new(3.52).ok());
        let notes = BTreeMap::from([(ItemCode::Question(abc), "  Sebagian unsur  ".to_owned())]);
        let unit = Lane {
            answers: &answers,
            notes: &notes,
        };
        let rows = soal_answers(&unit, None, |item| {
            (item == ItemCode::Question(ya)).then(|| "https://x/bukti".to_owned())
        });
        assert_eq!(rows.len(), 127);
        assert_eq!(rows[0].jawaban_unit.as_deref(), Some("Ya"));
        assert_eq!(
            rows[0].bukti_dukung_unit.as_deref(),
            Some("https://x/bukti")
        );
        assert_eq!(rows[1].jawaban_unit.as_deref(), Some("B"));
        assert_eq!(rows[1].catatan_unit.as_deref(), Some("Sebagian unsur"));
        assert_eq!(rows[1].jawaban_tpi, None);
        let input = rows
            .iter()
            .zip(soal_2026())
            .find(|(_, (_, item))| *item == ItemCode::Input(count))
            .map(|(row, _)| row)
            .expect("the input's soal");
        assert_eq!(input.jawaban_unit.as_deref(), Some("12"));
        assert_eq!(rows[124].jawaban_unit.as_deref(), Some("3.52"));
        assert!(rows[126].jawaban_unit.is_none());
    }

    #[test]
    fn tokens_are_read_only_from_a_bearer_header_of_the_right_shape() {
        let secret = TokenSecret::from_random([0xab; 32]);
        let header = format!("Bearer {}", secret.expose());
        assert_eq!(
            TokenSecret::from_authorization(&header),
            Some(secret.clone())
        );
        assert_eq!(
            TokenSecret::from_authorization(&header.replace("Bearer", "bearer")),
            Some(secret.clone())
        );
        for bad in [
            "",
            "Bearer",
            "Basic YWRtaW46YWRtaW4=",
            "Bearer zi_abc",
            "Bearer zx_abababababababababababababababababababababababababababababababab",
        ] {
            assert_eq!(TokenSecret::from_authorization(bad), None, "{bad}");
        }
        assert!(!format!("{secret:?}").contains("abab"));
    }

    #[test]
    fn token_names_and_scopes_parse() {
        assert_eq!(
            TokenName::parse("  PortalRB 2026 "),
            TokenName::parse("PortalRB 2026")
        );
        assert!(TokenName::parse("   ").is_none());
        assert!(TokenName::parse(&"x".repeat(81)).is_none());
        assert_eq!(TokenName::parse("a\u{7}b").map(|n| n.0), Some("ab".into()));
        assert_eq!(TokenScope::parse("portalrb"), Some(TokenScope::Portalrb));
        assert_eq!(TokenScope::parse("admin"), None);
        assert_eq!(kategori(Predicate::Wbk, true), "WBK-AFIRMASI");
        assert_eq!(number(17.0), "17");
        assert_eq!(number(0.5), "0.5");
    }
}
