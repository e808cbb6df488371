//! A chart drawn on the server: the SVG inline as an image, with links to
//! download it as SVG and as PNG. The page puts the table with the same
//! numbers beside it.

use leptos::prelude::*;

use crate::i18n::*;

/// `src` is the chart's address without its extension and query
/// (`/dashboard/charts/heatmap`); `query` is passed on to both formats.
#[component]
pub fn ChartFigure(
    src: String,
    #[prop(optional, into)] query: String,
    #[prop(into)] alt: Signal<String>,
    #[prop(optional, into)] caption: Option<Signal<String>>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    let svg = format!("{src}.svg{query}");
    let png = format!("{src}.png{query}");
    view! {
        <figure class="chart">
            <img src=svg.clone() alt=move || alt.get() data-testid=testid loading="lazy" />
            {caption.map(|c| view! { <figcaption class="muted">{move || c.get()}</figcaption> })}
        </figure>
        <p class="chart-downloads no-print">
            <a href=svg download>{t!(i18n, dashboard.download_svg)}</a>
            " · "
            <a href=png download>{t!(i18n, dashboard.download_png)}</a>
        </p>
    }
}
