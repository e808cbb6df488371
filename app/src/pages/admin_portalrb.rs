//! "Integrasi PortalRB": the base URL and tokens an administrator registers in
//! PortalRB, the proposed units with what PortalRB last fetched of each, and
//! its latest calls.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::api::portalrb::{load_portal, CreateApiToken, RevokeApiToken, RevokeEvidenceLinks};
use crate::components::error::PageError;
use crate::components::form::{field_error, FormStatus};
use crate::components::labels::{date_label, moment_label, state_label, target_label};
use crate::error::Field;
use crate::i18n::*;
use crate::model::{ApiTokenView, PortalCall, PortalProposal, PortalView};

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateApiToken>,
    revoke: ServerAction<RevokeApiToken>,
    revoke_links: ServerAction<RevokeEvidenceLinks>,
}

#[component]
pub fn AdminPortalRb() -> impl IntoView {
    let i18n = use_i18n();
    let actions = Actions {
        create: ServerAction::new(),
        revoke: ServerAction::new(),
        revoke_links: ServerAction::new(),
    };
    let view_data = Resource::new(
        move || {
            actions.create.version().get()
                + actions.revoke.version().get()
                + actions.revoke_links.version().get()
        },
        |_| load_portal(),
    );
    view! {
        <Title text=t_string!(i18n, portalrb.title).to_string() />
        <h1>{t!(i18n, portalrb.title)}</h1>
        <p class="muted">{t!(i18n, portalrb.intro)}</p>
        <FormStatus outcome=actions.revoke.value() success=Signal::derive(move || t_string!(i18n, portalrb.token_revoked).to_string()) done=RevokeApiToken::PATH />
        <FormStatus outcome=actions.revoke_links.value() success=Signal::derive(move || t_string!(i18n, portalrb.links_revoked).to_string()) done=RevokeEvidenceLinks::PATH />
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || view_data.get().map(|loaded| match loaded {
                Err(error) => view! { <PageError error /> }.into_any(),
                Ok(data) => view! { <Integration data actions /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Integration(data: PortalView, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let PortalView {
        base_url,
        year,
        tokens,
        proposals,
        calls,
        new_secret,
    } = data;
    view! {
        <section class="card" aria-labelledby="tokens-title">
            <h2 id="tokens-title">{t!(i18n, portalrb.tokens)}</h2>
            <p>{t!(i18n, portalrb.base_url)} ": " <code data-testid="base-url">{base_url}</code></p>
            {new_secret.map(|secret| view! {
                <div class="alert alert-success" role="status">
                    <p>{t!(i18n, portalrb.created)}</p>
                    <p><code data-testid="new-secret">{secret}</code></p>
                </div>
            })}
            <TokenTable tokens actions />
            <ActionForm action=actions.create attr:class="grid-form">
                <div class="field">
                    <label for="token-name">{t!(i18n, portalrb.token_name)}</label>
                    <input id="token-name" name="name" required maxlength="80" aria-describedby="token-name-error" />
                    <p class="field-error" id="token-name-error" aria-live="polite">{move || field_error(actions.create.value(), Field::Name).get()}</p>
                </div>
                <button type="submit" class="button primary">{t!(i18n, portalrb.create)}</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="proposals-title">
            {match year {
                None => view! { <h2 id="proposals-title">{t!(i18n, portalrb.no_period)}</h2> }.into_any(),
                Some(year) => view! {
                    <h2 id="proposals-title">{t!(i18n, portalrb.proposals, year = year.value())}</h2>
                    <ProposalTable proposals actions />
                }.into_any(),
            }}
        </section>
        <section class="card" aria-labelledby="calls-title">
            <h2 id="calls-title">{t!(i18n, portalrb.calls)}</h2>
            <CallTable calls />
        </section>
    }
}

#[component]
fn TokenTable(tokens: Vec<ApiTokenView>, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    if tokens.is_empty() {
        return view! { <p class="muted">{t!(i18n, portalrb.no_tokens)}</p> }.into_any();
    }
    let rows = tokens
        .into_iter()
        .map(|token| {
            let id = token.id.clone();
            let confirm_id = format!("revoke-{}", token.id);
            let last_used = token.last_used_at.map_or_else(
                || t_string!(i18n, portalrb.never).to_string(),
                |at| moment_label(i18n, at),
            );
            let state = if token.revoked_at.is_some() {
                t_string!(i18n, portalrb.revoked)
            } else {
                t_string!(i18n, portalrb.active)
            };
            view! {
                <tr>
                    <td>{token.name.clone()}</td>
                    <td><code>{token.scope.clone()}</code></td>
                    <td>{moment_label(i18n, token.created_at)}</td>
                    <td>{last_used}</td>
                    <td>{state}</td>
                    <td>
                        {token.revoked_at.is_none().then(|| view! {
                            <ActionForm action=actions.revoke attr:class="inline-form">
                                <input type="hidden" name="token" value=id.clone() />
                                <span class="field checkbox">
                                    <input id=confirm_id.clone() type="checkbox" name="confirm" value="yes" required />
                                    <label for=confirm_id.clone()>{t!(i18n, portalrb.revoke_confirm)}</label>
                                </span>
                                <button type="submit" class="link-button danger">{t!(i18n, portalrb.revoke)}</button>
                            </ActionForm>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table>
                <thead><tr>
                    <th>{t!(i18n, portalrb.col_name)}</th>
                    <th>{t!(i18n, portalrb.col_scope)}</th>
                    <th>{t!(i18n, portalrb.col_created)}</th>
                    <th>{t!(i18n, portalrb.col_last_used)}</th>
                    <th>{t!(i18n, portalrb.col_state)}</th>
                    <th></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ProposalTable(proposals: Vec<PortalProposal>, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    if proposals.is_empty() {
        return view! { <p class="muted">{t!(i18n, portalrb.no_proposals)}</p> }.into_any();
    }
    let rows = proposals
        .into_iter()
        .map(|p| {
            let fetched = p.last_fetch.as_ref().map_or_else(
                || t_string!(i18n, portalrb.not_fetched).to_string(),
                |f| moment_label(i18n, f.at),
            );
            let received = p.last_fetch.as_ref().map(|f| {
                t_string!(
                    i18n,
                    portalrb.received,
                    unit = f.answered_unit,
                    tpi = f.answered_tpi,
                    evidence = f.with_evidence
                )
                .to_string()
            });
            let confirm_id = format!("links-{}", p.assessment_id);
            let assessment = p.assessment_id.clone();
            let link = match p.link_valid_until {
                None => view! { {t!(i18n, portalrb.no_link)} }.into_any(),
                Some(day) => view! {
                    {t!(i18n, portalrb.link_until, day = date_label(i18n, day))}
                    <ActionForm action=actions.revoke_links attr:class="inline-form">
                        <input type="hidden" name="assessment" value=assessment />
                        <span class="field checkbox">
                            <input id=confirm_id.clone() type="checkbox" name="confirm" value="yes" required />
                            <label for=confirm_id.clone()>{t!(i18n, portalrb.revoke_links_confirm)}</label>
                        </span>
                        <button type="submit" class="link-button danger">{t!(i18n, portalrb.revoke_links)}</button>
                    </ActionForm>
                }.into_any(),
            };
            view! {
                <tr data-unit=p.unit_code.clone()>
                    <td><a href=format!("/admin/assessments/{}", p.assessment_id)>{p.unit_code.clone()}</a> " " {p.unit_name.clone()}</td>
                    <td>{target_label(p.target)} " · " {state_label(i18n, p.state)}</td>
                    <td>{fetched}</td>
                    <td>{received}</td>
                    <td>{link}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table>
                <thead><tr>
                    <th>{t!(i18n, portalrb.col_unit)}</th>
                    <th>{t!(i18n, portalrb.col_target)}</th>
                    <th>{t!(i18n, portalrb.col_last_fetch)}</th>
                    <th>{t!(i18n, portalrb.col_received)}</th>
                    <th>{t!(i18n, portalrb.col_link)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn CallTable(calls: Vec<PortalCall>) -> impl IntoView {
    let i18n = use_i18n();
    if calls.is_empty() {
        return view! { <p class="muted">{t!(i18n, portalrb.no_calls)}</p> }.into_any();
    }
    let rows = calls
        .into_iter()
        .map(|call| {
            view! {
                <tr>
                    <td>{moment_label(i18n, call.at)}</td>
                    <td>{call.token_name.clone().unwrap_or_else(|| "—".to_owned())}</td>
                    <td><code>{call.endpoint.clone()}</code> " " {call.unit_code.clone()}</td>
                    <td>{call.status}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table>
                <thead><tr>
                    <th>{t!(i18n, portalrb.col_time)}</th>
                    <th>{t!(i18n, portalrb.col_token)}</th>
                    <th>{t!(i18n, portalrb.col_endpoint)}</th>
                    <th>{t!(i18n, portalrb.col_status)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
