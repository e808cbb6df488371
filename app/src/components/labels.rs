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
