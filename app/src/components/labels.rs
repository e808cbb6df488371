use crate::domain::assessment::Target;
use crate::domain::dashboard::Readiness;
use crate::domain::lke::{AreaId, AssessmentState, GateScope, GateTarget, Part};
use crate::domain::period::Day;
use crate::domain::review::ReviewStatus;
use crate::domain::role::Role;
use crate::domain::unit::UnitKind;
use crate::i18n::*;
use leptos_i18n::I18nContext;

/// Where a label's language comes from: a page's context (reactive), or a
/// fixed locale for documents generated outside a page.
pub trait Lang: Copy {
    fn locale(self) -> Locale;
}

impl Lang for I18nContext<Locale> {
    fn locale(self) -> Locale {
        self.get_locale()
    }
}

impl Lang for Locale {
    fn locale(self) -> Locale {
        self
    }
}

pub fn role_label(i18n: impl Lang, role: Role) -> &'static str {
    match role {
        Role::Admin => td_string!(i18n.locale(), roles.admin),
        Role::UnitMember => td_string!(i18n.locale(), roles.unit_member),
        Role::Evaluator => td_string!(i18n.locale(), roles.evaluator),
        Role::Leadership => td_string!(i18n.locale(), roles.leadership),
    }
}

pub fn kind_label(i18n: impl Lang, kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Instansi => td_string!(i18n.locale(), kinds.instansi),
        UnitKind::EselonI => td_string!(i18n.locale(), kinds.eselon_i),
        UnitKind::EselonII => td_string!(i18n.locale(), kinds.eselon_ii),
        UnitKind::Direktorat => td_string!(i18n.locale(), kinds.direktorat),
        UnitKind::Biro => td_string!(i18n.locale(), kinds.biro),
        UnitKind::KantorWilayah => td_string!(i18n.locale(), kinds.kantor_wilayah),
        UnitKind::Upt => td_string!(i18n.locale(), kinds.upt),
        UnitKind::Other => td_string!(i18n.locale(), kinds.other),
    }
}

pub fn area_label(i18n: impl Lang, area: AreaId) -> &'static str {
    match area {
        AreaId::ManajemenPerubahan => td_string!(i18n.locale(), areas.mp),
        AreaId::PenataanTatalaksana => td_string!(i18n.locale(), areas.tt),
        AreaId::PenataanSdm => td_string!(i18n.locale(), areas.sdm),
        AreaId::PenguatanAkuntabilitas => td_string!(i18n.locale(), areas.ak),
        AreaId::PenguatanPengawasan => td_string!(i18n.locale(), areas.pw),
        AreaId::PelayananPublik => td_string!(i18n.locale(), areas.pp),
    }
}

pub fn part_label(i18n: impl Lang, part: Part) -> &'static str {
    match part {
        Part::Pemenuhan => td_string!(i18n.locale(), gates.pemenuhan),
        Part::Reform => td_string!(i18n.locale(), gates.reform),
    }
}

/// What a WBK/WBBM gate rule looks at, in words.
pub fn gate_scope_label(i18n: impl Lang, scope: GateScope) -> String {
    let with_part = |base: &str, part: Option<Part>| match part {
        Some(part) => format!("{base} ({})", part_label(i18n, part)),
        None => base.to_owned(),
    };
    match scope {
        GateScope::Total => td_string!(i18n.locale(), gates.total).to_owned(),
        GateScope::Pengungkit => td_string!(i18n.locale(), gates.pengungkit).to_owned(),
        GateScope::Part { part } => part_label(i18n, part).to_owned(),
        GateScope::EachArea { part } => with_part(td_string!(i18n.locale(), gates.each_area), part),
        GateScope::Area { part, area } => with_part(area_label(i18n, area), part),
        GateScope::Hasil => td_string!(i18n.locale(), gates.hasil).to_owned(),
        GateScope::HasilBersih => td_string!(i18n.locale(), gates.hasil_bersih).to_owned(),
        GateScope::HasilPrima => td_string!(i18n.locale(), gates.hasil_prima).to_owned(),
        GateScope::Ipak => td_string!(i18n.locale(), gates.ipak).to_owned(),
        GateScope::Capaian => td_string!(i18n.locale(), gates.capaian).to_owned(),
        GateScope::Ipkp => td_string!(i18n.locale(), gates.ipkp).to_owned(),
    }
}

/// The score a gate looks at, in words ("Penguatan Pengawasan (Pemenuhan)").
pub fn gate_target_label(i18n: impl Lang, target: GateTarget) -> String {
    let scope = match target {
        GateTarget::Total => GateScope::Total,
        GateTarget::Pengungkit => GateScope::Pengungkit,
        GateTarget::Part { part } => GateScope::Part { part },
        GateTarget::Area { part, area } => GateScope::Area { part, area },
        GateTarget::Hasil => GateScope::Hasil,
        GateTarget::HasilBersih => GateScope::HasilBersih,
        GateTarget::HasilPrima => GateScope::HasilPrima,
        GateTarget::Ipak => GateScope::Ipak,
        GateTarget::Capaian => GateScope::Capaian,
        GateTarget::Ipkp => GateScope::Ipkp,
    };
    gate_scope_label(i18n, scope)
}

pub fn state_label(i18n: impl Lang, state: AssessmentState) -> &'static str {
    match state {
        AssessmentState::Draft => td_string!(i18n.locale(), states.draft),
        AssessmentState::Submitted => td_string!(i18n.locale(), states.submitted),
        AssessmentState::Returned => td_string!(i18n.locale(), states.returned),
        AssessmentState::Finalized => td_string!(i18n.locale(), states.finalized),
        AssessmentState::Proposed => td_string!(i18n.locale(), states.proposed),
        AssessmentState::Awarded => td_string!(i18n.locale(), states.awarded),
        AssessmentState::NotAwarded => td_string!(i18n.locale(), states.not_awarded),
    }
}

pub fn review_status_label(i18n: impl Lang, status: ReviewStatus) -> &'static str {
    match status {
        ReviewStatus::Sesuai => td_string!(i18n.locale(), review.status_sesuai),
        ReviewStatus::PerluPerbaikan => td_string!(i18n.locale(), review.status_perlu_perbaikan),
        ReviewStatus::TidakSesuai => td_string!(i18n.locale(), review.status_tidak_sesuai),
    }
}

pub fn target_label(target: Target) -> &'static str {
    match target {
        Target::Wbk => "WBK",
        Target::Wbbm => "WBBM",
    }
}

/// A date as people write it: "2 Desember 2026" (or "2 December 2026").
pub fn date_label(i18n: impl Lang, day: Day) -> String {
    let locale = i18n.locale();
    let month = match day.month() {
        1 => td_string!(locale, months.january),
        2 => td_string!(locale, months.february),
        3 => td_string!(locale, months.march),
        4 => td_string!(locale, months.april),
        5 => td_string!(locale, months.may),
        6 => td_string!(locale, months.june),
        7 => td_string!(locale, months.july),
        8 => td_string!(locale, months.august),
        9 => td_string!(locale, months.september),
        10 => td_string!(locale, months.october),
        11 => td_string!(locale, months.november),
        _ => td_string!(locale, months.december),
    };
    format!("{} {month} {}", day.day_of_month(), day.year())
}

/// Readiness as a sentence: "Siap WBK", or "kurang 3,20 poin pada Nilai total".
pub fn readiness_label(i18n: impl Lang, readiness: Readiness) -> String {
    let locale = i18n.locale();
    match readiness {
        Readiness::ReadyWbbm => td_string!(locale, dashboard.ready_wbbm).to_string(),
        Readiness::ReadyWbk => td_string!(locale, dashboard.ready_wbk).to_string(),
        Readiness::NeedsWbkFirst => td_string!(locale, dashboard.needs_wbk).to_string(),
        Readiness::MissingEvidence { scores_meet, items } => td_string!(
            locale,
            dashboard.missing_evidence,
            target = target_label(scores_meet),
            items = items
        )
        .to_string(),
        Readiness::Short { target, points } => td_string!(
            locale,
            score.short_by,
            points = crate::domain::lke::format_id(points, 2),
            target = gate_target_label(locale, target)
        )
        .to_string(),
    }
}

/// A moment as people read it: "2 Desember 2026, pukul 14.05 WIB".
pub fn moment_label(i18n: impl Lang, ms: i64) -> String {
    td_string!(
        i18n.locale(),
        history.at,
        date = date_label(i18n, Day::from_unix_ms(ms)),
        time = wib_clock(ms)
    )
    .to_string()
}

/// The WIB time of day of a Unix time in milliseconds, as `14.05`.
fn wib_clock(ms: i64) -> String {
    let minutes = (ms.div_euclid(60_000) + 7 * 60).rem_euclid(24 * 60);
    format!("{:02}.{:02}", minutes / 60, minutes % 60)
}
