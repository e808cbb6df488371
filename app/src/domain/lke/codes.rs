//! Stable, structured identifiers of rubric items.
//!
//! Codes are written like the outline of the LKE sheet:
//! `P.MP.i` (indicator), `P.MP.i.a` (question), `R.PW.iii.a.1` (numeric input row),
//! `H.I.a` (Hasil item). They are parsed into small `Copy` structs so that an invalid
//! code cannot exist in memory; they serialize as their string form.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Largest indicator number per area (roman numerals i..xx).
pub const MAX_INDICATORS: u8 = 20;
/// Largest question number per indicator (letters a..z).
pub const MAX_QUESTIONS: u8 = 26;
/// Largest numeric input number per question.
pub const MAX_INPUTS: u8 = 99;

const ROMANS: [&str; MAX_INDICATORS as usize] = [
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv",
    "xvi", "xvii", "xviii", "xix", "xx",
];

/// Why a code could not be parsed or built.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum CodeError {
    #[error("malformed code `{0}`")]
    Malformed(String),
    #[error("number {0} out of range")]
    OutOfRange(u32),
}

/// Sub-component of Pengungkit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Pemenuhan,
    Reform,
}

impl Part {
    pub const ALL: [Part; 2] = [Part::Pemenuhan, Part::Reform];

    /// Letter used in codes: `P` or `R`.
    pub fn letter(self) -> char {
        match self {
            Part::Pemenuhan => 'P',
            Part::Reform => 'R',
        }
    }

    pub fn from_letter(letter: &str) -> Option<Part> {
        match letter {
            "P" => Some(Part::Pemenuhan),
            "R" => Some(Part::Reform),
            _ => None,
        }
    }
}

/// The six areas (pilar) of Pengungkit, numbered 1–6 as in the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum AreaId {
    ManajemenPerubahan = 1,
    PenataanTatalaksana = 2,
    PenataanSdm = 3,
    PenguatanAkuntabilitas = 4,
    PenguatanPengawasan = 5,
    PelayananPublik = 6,
}

impl AreaId {
    pub const ALL: [AreaId; 6] = [
        AreaId::ManajemenPerubahan,
        AreaId::PenataanTatalaksana,
        AreaId::PenataanSdm,
        AreaId::PenguatanAkuntabilitas,
        AreaId::PenguatanPengawasan,
        AreaId::PelayananPublik,
    ];

    /// Number 1–6 as in the sheet's outline (column D).
    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: u8) -> Option<AreaId> {
        AreaId::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// Abbreviation used in codes: MP, TT, SDM, AK, PW, PP.
    pub fn abbreviation(self) -> &'static str {
        match self {
            AreaId::ManajemenPerubahan => "MP",
            AreaId::PenataanTatalaksana => "TT",
            AreaId::PenataanSdm => "SDM",
            AreaId::PenguatanAkuntabilitas => "AK",
            AreaId::PenguatanPengawasan => "PW",
            AreaId::PelayananPublik => "PP",
        }
    }

    pub fn from_abbreviation(s: &str) -> Option<AreaId> {
        AreaId::ALL.into_iter().find(|a| a.abbreviation() == s)
    }

    /// Zero-based position, handy for arrays indexed by area.
    pub fn index(self) -> usize {
        usize::from(self.number()) - 1
    }
}

impl TryFrom<u8> for AreaId {
    type Error = CodeError;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        AreaId::from_number(n).ok_or(CodeError::OutOfRange(u32::from(n)))
    }
}

impl From<AreaId> for u8 {
    fn from(a: AreaId) -> u8 {
        a.number()
    }
}

/// Roman numeral (lower case) for 1..=20.
pub fn roman(n: u8) -> Option<&'static str> {
    ROMANS.get(usize::from(n).checked_sub(1)?).copied()
}

/// Parses a lower- or upper-case roman numeral 1..=20.
pub fn parse_roman(s: &str) -> Option<u8> {
    let lower = s.to_ascii_lowercase();
    ROMANS
        .iter()
        .position(|r| *r == lower)
        .and_then(|p| u8::try_from(p + 1).ok())
}

/// Question letter for 1..=26.
pub fn letter(n: u8) -> Option<char> {
    (1..=MAX_QUESTIONS)
        .contains(&n)
        .then(|| char::from(b'a' + n - 1))
}

/// Parses a single question letter a..z (either case).
pub fn parse_letter(s: &str) -> Option<u8> {
    let mut chars = s.chars();
    let c = chars.next()?.to_ascii_lowercase();
    if chars.next().is_some() || !c.is_ascii_lowercase() {
        return None;
    }
    u8::try_from(u32::from(c) - u32::from('a') + 1).ok()
}

fn check_range(n: u8, max: u8) -> Result<u8, CodeError> {
    if (1..=max).contains(&n) {
        Ok(n)
    } else {
        Err(CodeError::OutOfRange(u32::from(n)))
    }
}

macro_rules! string_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// Identifies an indicator: part, area and 1-based indicator number (`P.MP.i`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndicatorCode {
    part: Part,
    area: AreaId,
    number: u8,
}

impl IndicatorCode {
    pub fn new(part: Part, area: AreaId, number: u8) -> Result<Self, CodeError> {
        Ok(IndicatorCode {
            part,
            area,
            number: check_range(number, MAX_INDICATORS)?,
        })
    }
    pub fn part(self) -> Part {
        self.part
    }
    pub fn area(self) -> AreaId {
        self.area
    }
    /// 1-based indicator number (i = 1).
    pub fn number(self) -> u8 {
        self.number
    }
}

impl fmt::Display for IndicatorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}",
            self.part.letter(),
            self.area.abbreviation(),
            roman(self.number).unwrap_or("?")
        )
    }
}

impl FromStr for IndicatorCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CodeError::Malformed(s.to_owned());
        let mut it = s.split('.');
        let (Some(p), Some(a), Some(i), None) = (it.next(), it.next(), it.next(), it.next()) else {
            return Err(bad());
        };
        let part = Part::from_letter(p).ok_or_else(bad)?;
        let area = AreaId::from_abbreviation(a).ok_or_else(bad)?;
        let number = parse_roman(i)
            .filter(|_| i == i.to_ascii_lowercase())
            .ok_or_else(bad)?;
        IndicatorCode::new(part, area, number)
    }
}

string_serde!(IndicatorCode);

/// Identifies a scored question of Pengungkit (`P.MP.i.a`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QuestionCode {
    indicator: IndicatorCode,
    number: u8,
}

impl QuestionCode {
    pub fn new(indicator: IndicatorCode, number: u8) -> Result<Self, CodeError> {
        Ok(QuestionCode {
            indicator,
            number: check_range(number, MAX_QUESTIONS)?,
        })
    }
    pub fn indicator(self) -> IndicatorCode {
        self.indicator
    }
    /// 1-based question number (a = 1).
    pub fn number(self) -> u8 {
        self.number
    }
}

impl fmt::Display for QuestionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}",
            self.indicator,
            letter(self.number).unwrap_or('?')
        )
    }
}

impl FromStr for QuestionCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CodeError::Malformed(s.to_owned());
        let (head, tail) = s.rsplit_once('.').ok_or_else(bad)?;
        let indicator: IndicatorCode = head.parse().map_err(|_| bad())?;
        let number = parse_letter(tail)
            .filter(|_| tail == tail.to_ascii_lowercase())
            .ok_or_else(bad)?;
        QuestionCode::new(indicator, number)
    }
}

string_serde!(QuestionCode);

/// Identifies a numeric input row (`Jumlah`) feeding a computed-% question (`R.PW.iii.a.1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InputCode {
    question: QuestionCode,
    number: u8,
}

impl InputCode {
    pub fn new(question: QuestionCode, number: u8) -> Result<Self, CodeError> {
        Ok(InputCode {
            question,
            number: check_range(number, MAX_INPUTS)?,
        })
    }
    pub fn question(self) -> QuestionCode {
        self.question
    }
    /// 1-based position among the question's input rows.
    pub fn number(self) -> u8 {
        self.number
    }
}

impl fmt::Display for InputCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.question, self.number)
    }
}

impl FromStr for InputCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CodeError::Malformed(s.to_owned());
        let (head, tail) = s.rsplit_once('.').ok_or_else(bad)?;
        let question: QuestionCode = head.parse().map_err(|_| bad())?;
        if tail.is_empty() || tail.starts_with('0') || !tail.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let number: u8 = tail.parse().map_err(|_| bad())?;
        InputCode::new(question, number)
    }
}

string_serde!(InputCode);

/// The three Hasil items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HasilItemId {
    /// Indeks Persepsi Anti Korupsi (survey index 0–4), `H.I.a`.
    Ipak,
    /// Capaian kinerja lebih baik dari sebelumnya (A–E), `H.I.b`.
    Capaian,
    /// Indeks Persepsi Kualitas Pelayanan (survey index 0–4), `H.II.a`.
    Ipkp,
}

impl HasilItemId {
    pub const ALL: [HasilItemId; 3] = [HasilItemId::Ipak, HasilItemId::Capaian, HasilItemId::Ipkp];

    pub fn code(self) -> &'static str {
        match self {
            HasilItemId::Ipak => "H.I.a",
            HasilItemId::Capaian => "H.I.b",
            HasilItemId::Ipkp => "H.II.a",
        }
    }
}

impl fmt::Display for HasilItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for HasilItemId {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HasilItemId::ALL
            .into_iter()
            .find(|h| h.code() == s)
            .ok_or_else(|| CodeError::Malformed(s.to_owned()))
    }
}

string_serde!(HasilItemId);

/// Any answerable item of the rubric: a question, a numeric input or a Hasil item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemCode {
    Question(QuestionCode),
    Input(InputCode),
    Hasil(HasilItemId),
}

impl fmt::Display for ItemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemCode::Question(q) => q.fmt(f),
            ItemCode::Input(i) => i.fmt(f),
            ItemCode::Hasil(h) => h.fmt(f),
        }
    }
}

impl FromStr for ItemCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.starts_with("H.") {
            return s.parse().map(ItemCode::Hasil);
        }
        match s.split('.').count() {
            4 => s.parse().map(ItemCode::Question),
            5 => s.parse().map(ItemCode::Input),
            _ => Err(CodeError::Malformed(s.to_owned())),
        }
    }
}

string_serde!(ItemCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_code_round_trips() {
        for s in [
            "P.MP.i.a",
            "R.PW.iii.b",
            "P.SDM.vi.a",
            "P.AK.ii.h",
            "R.TT.ii.b",
        ] {
            let c: QuestionCode = s.parse().unwrap();
            assert_eq!(c.to_string(), s);
        }
    }

    #[test]
    fn input_and_item_codes_round_trip() {
        let c: InputCode = "R.PW.iii.a.1".parse().unwrap();
        assert_eq!(c.number(), 1);
        assert_eq!(c.question().to_string(), "R.PW.iii.a");
        for s in ["H.I.a", "H.II.a", "P.PP.v.c", "R.MP.i.b.2"] {
            let i: ItemCode = s.parse().unwrap();
            assert_eq!(i.to_string(), s);
        }
    }

    #[test]
    fn rejects_malformed_codes() {
        for s in [
            "",
            "P",
            "X.MP.i.a",
            "P.XX.i.a",
            "P.MP.I.a",
            "P.MP.i.A",
            "P.MP.i.aa",
            "P.MP.i",
            "P.MP.xxi.a",
            "P.MP.i.a.1",
        ] {
            assert!(s.parse::<QuestionCode>().is_err(), "{s}");
        }
        for s in [
            "P.MP.i.a",
            "P.MP.i.a.0",
            "P.MP.i.a.01",
            "P.MP.i.a.x",
            "P.MP.i.a.100",
        ] {
            assert!(s.parse::<InputCode>().is_err(), "{s}");
        }
        assert!("P.MP.i".parse::<IndicatorCode>().is_ok());
        assert!("H.III.a".parse::<ItemCode>().is_err());
    }

    #[test]
    fn serde_uses_string_form() {
        let c: QuestionCode = "P.TT.ii.d".parse().unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, "\"P.TT.ii.d\"");
        let back: QuestionCode = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        assert!(serde_json::from_str::<QuestionCode>("\"P.TT.ii\"").is_err());
        assert_eq!(
            serde_json::to_string(&AreaId::PelayananPublik).unwrap(),
            "6"
        );
        assert!(serde_json::from_str::<AreaId>("7").is_err());
    }

    #[test]
    fn romans_and_letters() {
        assert_eq!(roman(4), Some("iv"));
        assert_eq!(parse_roman("VI"), Some(6));
        assert_eq!(parse_roman("vii"), Some(7));
        assert_eq!(roman(0), None);
        assert_eq!(letter(1), Some('a'));
        assert_eq!(parse_letter("H"), Some(8));
        assert_eq!(parse_letter("ab"), None);
        assert_eq!(parse_letter("1"), None);
    }
}
