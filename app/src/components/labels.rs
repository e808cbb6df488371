use crate::domain::assessment::Target;
use crate::domain::lke::{AreaId, AssessmentState, GateScope, GateTarget, Part};
use crate::domain::role::Role;
use crate::domain::unit::UnitKind;
use crate::i18n::*;
use leptos_i18n::I18nContext;

pub fn role_label(i18n: I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Admin => t_string!(i18n, roles.admin),
        Role::UnitMember => t_string!(i18n, roles.unit_member),
        Role::Evaluator => t_string!(i18n, roles.evaluator),
        Role::Leadership => t_string!(i18n, roles.leadership),
    }
}

pub fn kind_label(i18n: I18nContext<Locale>, kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Instansi => t_string!(i18n, kinds.instansi),
        UnitKind::EselonI => t_string!(i18n, kinds.eselon_i),
        UnitKind::EselonII => t_string!(i18n, kinds.eselon_ii),
        UnitKind::Direktorat => t_string!(i18n, kinds.direktorat),
        UnitKind::Biro => t_string!(i18n, kinds.biro),
        UnitKind::KantorWilayah => t_string!(i18n, kinds.kantor_wilayah),
        UnitKind::Upt => t_string!(i18n, kinds.upt),
        UnitKind::Other => t_string!(i18n, kinds.other),
    }
}

pub fn area_label(i18n: I18nContext<Locale>, area: AreaId) -> &'static str {
    match area {
        AreaId::ManajemenPerubahan => t_string!(i18n, areas.mp),
        AreaId::PenataanTatalaksana => t_string!(i18n, areas.tt),
        AreaId::PenataanSdm => t_string!(i18n, areas.sdm),
        AreaId::PenguatanAkuntabilitas => t_string!(i18n, areas.ak),
        AreaId::PenguatanPengawasan => t_string!(i18n, areas.pw),
        AreaId::PelayananPublik => t_string!(i18n, areas.pp),
    }
}

pub fn part_label(i18n: I18nContext<Locale>, part: Part) -> &'static str {
    match part {
        Part::Pemenuhan => t_string!(i18n, gates.pemenuhan),
        Part::Reform => t_string!(i18n, gates.reform),
    }
}

/// What a WBK/WBBM gate rule looks at, in words.
pub fn gate_scope_label(i18n: I18nContext<Locale>, scope: GateScope) -> String {
    let with_part = |base: &str, part: Option<Part>| match part {
        Some(part) => format!("{base} ({})", part_label(i18n, part)),
        None => base.to_owned(),
    };
    match scope {
        GateScope::Total => t_string!(i18n, gates.total).to_owned(),
        GateScope::Pengungkit => t_string!(i18n, gates.pengungkit).to_owned(),
        GateScope::Part { part } => part_label(i18n, part).to_owned(),
        GateScope::EachArea { part } => with_part(t_string!(i18n, gates.each_area), part),
        GateScope::Area { part, area } => with_part(area_label(i18n, area), part),
        GateScope::Hasil => t_string!(i18n, gates.hasil).to_owned(),
        GateScope::HasilBersih => t_string!(i18n, gates.hasil_bersih).to_owned(),
        GateScope::HasilPrima => t_string!(i18n, gates.hasil_prima).to_owned(),
        GateScope::Ipak => t_string!(i18n, gates.ipak).to_owned(),
        GateScope::Capaian => t_string!(i18n, gates.capaian).to_owned(),
        GateScope::Ipkp => t_string!(i18n, gates.ipkp).to_owned(),
    }
}

/// The score a gate looks at, in words ("Penguatan Pengawasan (Pemenuhan)").
pub fn gate_target_label(i18n: I18nContext<Locale>, target: GateTarget) -> String {
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

pub fn state_label(i18n: I18nContext<Locale>, state: AssessmentState) -> &'static str {
    match state {
        AssessmentState::Draft => t_string!(i18n, states.draft),
        AssessmentState::Submitted => t_string!(i18n, states.submitted),
        AssessmentState::Returned => t_string!(i18n, states.returned),
        AssessmentState::Finalized => t_string!(i18n, states.finalized),
        AssessmentState::Proposed => t_string!(i18n, states.proposed),
        AssessmentState::Awarded => t_string!(i18n, states.awarded),
        AssessmentState::NotAwarded => t_string!(i18n, states.not_awarded),
    }
}

pub fn target_label(target: Target) -> &'static str {
    match target {
        Target::Wbk => "WBK",
        Target::Wbbm => "WBBM",
    }
}
