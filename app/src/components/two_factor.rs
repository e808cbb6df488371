//! What an authenticator app needs to enrol: the QR code (drawn on the
//! server, no script involved) and the same key as text for typing by hand.

use leptos::prelude::*;

use crate::i18n::*;
use crate::model::TwoFactorEnrolment;

#[component]
pub fn AppKey(enrolment: TwoFactorEnrolment) -> impl IntoView {
    let i18n = use_i18n();
    let TwoFactorEnrolment {
        secret,
        uri,
        qr_svg,
    } = enrolment;
    view! {
        <li>
            <p>{t!(i18n, two_factor.scan)}</p>
            <div class="qr" role="img" aria-label=move || t_string!(i18n, two_factor.qr_label) inner_html=qr_svg></div>
        </li>
        <li>
            <p>{t!(i18n, two_factor.manual)}</p>
            <p><code class="totp-key" data-testid="totp-secret">{secret}</code></p>
            <p class="muted">{t!(i18n, two_factor.manual_details)}</p>
            <p class="muted"><a href=uri>{t!(i18n, two_factor.open_app)}</a></p>
        </li>
    }
}
