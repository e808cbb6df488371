//! Who may call what: every role against every server function and every
//! HTTP route, with valid arguments, in one table. The endpoints come from the
//! app itself (the server functions it registers and its route list), so a new
//! endpoint without its row fails this test.

use crate::db_test;
use crate::helpers::*;
use reqwest::StatusCode;
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Actor {
    Anonymous,
    Admin,
    /// `unit`: member of DIT-IZIN, whose assessment is a draft.
    UnitMember,
    /// `medan`: member of BDK-MDN, whose assessment is submitted.
    MedanMember,
    /// `tpi`: evaluator, lead of the BDK-MDN team and on no other.
    Evaluator,
    /// `pimpinan`, over the whole instansi.
    Leadership,
    /// Signed in, but holds no role at all.
    NoRole,
}

use Actor::*;

const ANYONE: &[Actor] = &[
    Anonymous,
    Admin,
    UnitMember,
    MedanMember,
    Evaluator,
    Leadership,
    NoRole,
];
const SIGNED_IN: &[Actor] = &[
    Admin,
    UnitMember,
    MedanMember,
    Evaluator,
    Leadership,
    NoRole,
];
const ADMIN: &[Actor] = &[Admin];
/// Who may read the draft of DIT-IZIN: its member, the administrator, leadership above it.
const READ_IZIN: &[Actor] = &[Admin, UnitMember, Leadership];
/// Who may read the submitted assessment of BDK-MDN: also its evaluator team.
const READ_MEDAN: &[Actor] = &[Admin, MedanMember, Evaluator, Leadership];
/// Who sees the evaluators' lane of a submitted assessment (the unit not yet).
const REVIEW_MEDAN: &[Actor] = &[Admin, Evaluator, Leadership];
const WORK_IZIN: &[Actor] = &[UnitMember];
const LEAD_MEDAN: &[Actor] = &[Evaluator];
const DASHBOARD: &[Actor] = &[Admin, Leadership];

const NO_ROLE_PASSWORD: &str = "no-role-password";

/// A form as (name, value) pairs.
type Form = Vec<(&'static str, String)>;

enum Call {
    /// A server function, posted as a form.
    Function(&'static str, Form),
    /// A server function that takes a multipart upload.
    Multipart(&'static str, Form, (&'static str, Vec<u8>)),
    /// `GET` of a route (its template, and the path with real ids).
    Get(&'static str, String),
    /// A multipart `POST` to a route, asking for JSON.
    Post(&'static str, String, Form, (&'static str, Vec<u8>)),
}

impl Call {
    /// The endpoint as the app lists it: `POST /api/…` or `GET /route/{id}`.
    fn endpoint(&self) -> String {
        match self {
            Call::Function(name, _) | Call::Multipart(name, _, _) => format!("POST /api/{name}"),
            Call::Get(route, _) => format!("GET {route}"),
            Call::Post(route, ..) => format!("POST {route}"),
        }
    }

    async fn send(&self, client: &Client) -> (StatusCode, String) {
        let pairs = |form: &Form| -> Vec<(&str, String)> {
            form.iter().map(|(k, v)| (*k, v.clone())).collect()
        };
        match self {
            Call::Function(name, form) => {
                let form = pairs(form);
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let reply = client.call(name, &form).await;
                (reply.status, reply.to_string())
            }
            Call::Multipart(name, form, (file, bytes)) => {
                let form = pairs(form);
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let reply = client
                    .call_multipart(name, &form, (file, bytes.clone()))
                    .await;
                (reply.status, reply.to_string())
            }
            Call::Get(_, path) => {
                let (status, _, body) = client.get_bytes(path).await;
                let text = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
                (status, format!("{} {text}", status.as_u16()))
            }
            Call::Post(_, path, form, (file, bytes)) => {
                let form = pairs(form);
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let reply = client
                    .post_multipart(path, &form, Some((file, bytes.clone())), true)
                    .await;
                (reply.status, reply.to_string())
            }
        }
    }
}

/// One endpoint with valid arguments: who passes the policy, and what they get.
/// A call that would change the demo's workflow for the next rows is made so
/// that it stops after the check (an empty summary, an unconfirmed finalize):
/// the status then shows that the check let the caller through.
struct Row {
    call: Call,
    /// What sets this row apart from another on the same endpoint.
    note: &'static str,
    allowed: &'static [Actor],
    ok: StatusCode,
}

fn row(call: Call, allowed: &'static [Actor], ok: StatusCode) -> Row {
    Row {
        call,
        note: "",
        allowed,
        ok,
    }
}

fn expected(row: &Row, actor: Actor) -> StatusCode {
    if row.allowed.contains(&actor) {
        row.ok
    } else if actor == Anonymous {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::FORBIDDEN
    }
}

/// Every endpoint the running app serves besides its pages.
fn registered_endpoints() -> BTreeSet<String> {
    let functions =
        leptos::server_fn::axum::server_fn_paths().map(|(path, method)| format!("{method} {path}"));
    let routes = app::backend::route_paths().map(|(method, path)| format!("{method} {path}"));
    functions.chain(routes).collect()
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec()
}

db_test!(
    every_endpoint_answers_every_role_as_the_policy_says,
    |app| async move {
        use StatusCode as S;
        // Fixtures: a user with no role, a user the administrative calls act
        // on, and an evidence file of DIT-IZIN for the evidence calls.
        let setup = app.signed_in("admin").await;
        for (username, password, role, unit) in [
            ("tanpa.peran", NO_ROLE_PASSWORD, "", String::new()),
            (
                "sasaran",
                "sasaran-password",
                "unit_member",
                app.unit_id("DIT-ADUAN").await,
            ),
        ] {
            let created = setup
                .call(
                    "users/create",
                    &[
                        ("username", username),
                        ("email", ""),
                        ("full_name", "Pengguna Matriks"),
                        ("password", password),
                        ("confirm", password),
                        ("role", role),
                        ("unit", &unit),
                    ],
                )
                .await;
            assert_eq!(created.status, S::OK, "{created}");
        }
        setup.logout().await;
        let target = app.user_id("sasaran").await;
        let target_grant = app
            .signed_in("admin")
            .await
            .call("users/get", &[("id", &target)])
            .await
            .json()["grants"][0]["id"]
            .as_str()
            .expect("a grant id")
            .to_owned();
        let izin = app.assessment_of("DIT-IZIN").await;
        let medan = app.assessment_of("BDK-MDN").await;
        let uploaded = app
            .signed_in("unit")
            .await
            .post_multipart(
                &format!("/assessments/{izin}/evidence"),
                &[("item", "P.MP.i.b")],
                Some(("sk-tim.pdf", pdf())),
                true,
            )
            .await;
        assert_eq!(uploaded.status, S::CREATED, "{uploaded}");
        let evidence = uploaded.json()["id"]
            .as_str()
            .expect("the file's id")
            .to_owned();
        let period = app
            .signed_in("admin")
            .await
            .call("periods/list", &[])
            .await
            .json()[0]["id"]
            .as_str()
            .expect("the demo period")
            .to_owned();
        let year = current_year();
        let djpp = app.unit_id("DJPP").await;
        let unit_a = app.unit_id("DIT-IZIN").await;
        let member = app.user_id("unit").await;

        let s = |v: &str| v.to_owned();
        let f = Call::Function;
        let get = |route: &'static str, path: String| Call::Get(route, path);
        let rows: Vec<Row> = vec![
            // Anyone
            row(f("me", vec![]), ANYONE, S::OK),
            row(f("language", vec![("locale", s("id"))]), ANYONE, S::OK),
            // Signed in
            row(f("assessments/mine", vec![]), SIGNED_IN, S::OK),
            // The administrator's
            row(f("units/list", vec![]), ADMIN, S::OK),
            row(
                f(
                    "units/create",
                    vec![
                        ("code", s("MATRIKS")),
                        ("name", s("Unit Matriks")),
                        ("kind", s("direktorat")),
                        ("parent", djpp.clone()),
                    ],
                ),
                ADMIN,
                S::OK,
            ),
            // the member's own unit: being a member does not make one its administrator
            row(
                f(
                    "units/update",
                    vec![
                        ("id", unit_a.clone()),
                        ("name", s("Direktorat Pelayanan Perizinan")),
                        ("kind", s("direktorat")),
                        ("parent", djpp.clone()),
                    ],
                ),
                ADMIN,
                S::OK,
            ),
            row(
                f(
                    "units/active",
                    vec![("id", unit_a.clone()), ("active", s("true"))],
                ),
                ADMIN,
                S::OK,
            ),
            row(f("users/list", vec![]), ADMIN, S::OK),
            row(f("users/get", vec![("id", target.clone())]), ADMIN, S::OK),
            row(
                f(
                    "users/create",
                    vec![
                        ("username", s("baru.matriks")),
                        ("email", s("")),
                        ("full_name", s("Pengguna Baru")),
                        ("password", s("password-baru-1")),
                        ("confirm", s("password-baru-1")),
                        ("role", s("evaluator")),
                        ("unit", s("")),
                    ],
                ),
                ADMIN,
                S::OK,
            ),
            row(
                f(
                    "users/password",
                    vec![
                        ("id", target.clone()),
                        ("password", s("password-reset-1")),
                        ("confirm", s("password-reset-1")),
                    ],
                ),
                ADMIN,
                S::OK,
            ),
            row(
                f("users/two-factor/reset", vec![("id", target.clone())]),
                ADMIN,
                S::OK,
            ),
            // One's own second factor: seeing it and starting an enrolment are
            // for everyone signed in; a wrong code or password is refused on
            // its field once the policy let the caller through.
            row(f("account/two-factor", vec![]), SIGNED_IN, S::OK),
            row(f("account/two-factor/start", vec![]), SIGNED_IN, S::OK),
            row(
                f("account/two-factor/confirm", vec![("code", s("000000"))]),
                SIGNED_IN,
                S::UNPROCESSABLE_ENTITY,
            ),
            row(
                f(
                    "account/two-factor/disable",
                    vec![("current", s("not-the-password"))],
                ),
                SIGNED_IN,
                S::UNPROCESSABLE_ENTITY,
            ),
            // The code step of a sign-in needs a pending sign-in (a right
            // password of an account with a second factor); nobody here has one.
            row(
                f("login/code", vec![("code", s("000000"))]),
                ANYONE,
                S::UNAUTHORIZED,
            ),
            // …and its page's enrolment: none without a pending sign-in that must enrol.
            row(f("login/enrolment", vec![]), ANYONE, S::OK),
            // Single sign-on: the login page asks whether to offer it; the
            // matrix's server has no provider, so its routes are not there
            // for anyone (`oidc::*` runs them against a real provider).
            row(f("login/sso", vec![]), ANYONE, S::OK),
            row(get("/login/oidc", s("/login/oidc")), ANYONE, S::NOT_FOUND),
            row(
                get(
                    "/login/oidc/callback",
                    s("/login/oidc/callback?code=matriks&state=matriks"),
                ),
                ANYONE,
                S::NOT_FOUND,
            ),
            row(
                f(
                    "users/active",
                    vec![("id", target.clone()), ("active", s("false"))],
                ),
                ADMIN,
                S::OK,
            ),
            row(
                f(
                    "users/grant",
                    vec![
                        ("id", target.clone()),
                        ("role", s("leadership")),
                        ("unit", djpp.clone()),
                    ],
                ),
                ADMIN,
                S::OK,
            ),
            Row {
                note: " of unit B to the member themself",
                ..row(
                    f(
                        "users/grant",
                        vec![
                            ("id", member.clone()),
                            ("role", s("unit_member")),
                            ("unit", app.unit_id("DIT-ADUAN").await),
                        ],
                    ),
                    ADMIN,
                    S::OK,
                )
            },
            row(
                f(
                    "users/revoke",
                    vec![("id", target.clone()), ("grant", target_grant.clone())],
                ),
                ADMIN,
                S::OK,
            ),
            row(f("periods/list", vec![]), ADMIN, S::OK),
            row(
                f(
                    "periods/create",
                    vec![
                        ("year", (year + 5).to_string()),
                        ("rubric_key", s("permenpanrb-90-2021")),
                        ("self_start", s("")),
                        ("self_end", s("")),
                        ("review_start", s("")),
                        ("review_end", s("")),
                        ("proposal_deadline", s("")),
                    ],
                ),
                ADMIN,
                S::OK,
            ),
            row(
                f(
                    "periods/copy",
                    vec![("from", period.clone()), ("year", (year + 6).to_string())],
                ),
                ADMIN,
                S::OK,
            ),
            row(
                f(
                    "periods/update",
                    vec![
                        ("id", period.clone()),
                        ("self_start", s("")),
                        ("self_end", s("")),
                        ("review_start", s("")),
                        ("review_end", s("")),
                        ("proposal_deadline", s("")),
                    ],
                ),
                ADMIN,
                S::OK,
            ),
            row(
                f("periods/assessments", vec![("period", period.clone())]),
                ADMIN,
                S::OK,
            ),
            // DJPP already has its assessment: the check passes, the duplicate is refused.
            row(
                f(
                    "periods/assessments/create",
                    vec![
                        ("period", period.clone()),
                        ("unit", djpp.clone()),
                        ("target", s("wbk")),
                    ],
                ),
                ADMIN,
                S::CONFLICT,
            ),
            row(
                f(
                    "assessments/extend",
                    vec![
                        ("assessment", izin.clone()),
                        ("until", format!("{year}-12-31")),
                    ],
                ),
                ADMIN,
                S::OK,
            ),
            row(f("rubrics/list", vec![]), ADMIN, S::OK),
            row(
                f("rubrics/gates", vec![("key", s("permenpanrb-90-2021"))]),
                ADMIN,
                S::OK,
            ),
            row(
                f(
                    "rubrics/gates/update",
                    vec![
                        ("key", s("permenpanrb-90-2021")),
                        ("wbk[0]", s("banyak")),
                        ("wbbm[0]", s("80")),
                    ],
                ),
                ADMIN,
                S::UNPROCESSABLE_ENTITY,
            ),
            row(
                Call::Multipart(
                    "rubrics/import",
                    vec![
                        ("key", s("matriks-2030")),
                        ("title", s("LKE Matriks")),
                        ("legal_basis", s("PermenPANRB 90/2021")),
                        ("from_year", s("2030")),
                    ],
                    ("lke.xlsx", b"not a workbook".to_vec()),
                ),
                ADMIN,
                S::UNPROCESSABLE_ENTITY,
            ),
            row(f("review/evaluators", vec![]), ADMIN, S::OK),
            // `unit` holds no evaluator role: the check passes, the choice is refused.
            row(
                f(
                    "review/assign",
                    vec![("assessment", izin.clone()), ("evaluator", member.clone())],
                ),
                ADMIN,
                S::UNPROCESSABLE_ENTITY,
            ),
            row(
                f(
                    "review/unassign",
                    vec![
                        ("assessment", izin.clone()),
                        ("evaluator", app.user_id("tpi").await),
                    ],
                ),
                ADMIN,
                S::NOT_FOUND,
            ),
            // The instansi's eligibility: facts per year, thresholds, a proposal's checklist.
            row(f("eligibility/view", vec![]), ADMIN, S::OK),
            row(
                f(
                    "eligibility/facts/save",
                    vec![
                        ("year", s("2099")),
                        ("bpk", s("WTP")),
                        ("sakip", s("BB")),
                        ("note", s("Matriks")),
                    ],
                ),
                ADMIN,
                S::OK,
            ),
            // A refused value: the check let the caller through, nothing changes.
            row(
                f(
                    "eligibility/thresholds/update",
                    vec![("key", s("permenpanrb-90-2021")), ("wbk[spip]", s("9"))],
                ),
                ADMIN,
                S::UNPROCESSABLE_ENTITY,
            ),
            row(
                f("eligibility/check", vec![("assessment", medan.clone())]),
                ADMIN,
                S::OK,
            ),
            // Not finalized yet: the workflow refuses after the check.
            row(
                f(
                    "review/propose",
                    vec![("assessment", medan.clone()), ("confirm", s("on"))],
                ),
                ADMIN,
                S::CONFLICT,
            ),
            // Not proposed yet: the transition rule refuses after the check.
            row(
                f(
                    "national/record",
                    vec![
                        ("assessment", medan.clone()),
                        ("stage", s("administrative_selection")),
                        ("outcome", s("lulus")),
                        ("day", format!("{year}-08-20")),
                    ],
                ),
                ADMIN,
                S::CONFLICT,
            ),
            row(
                f("national/list", vec![("assessment", medan.clone())]),
                READ_MEDAN,
                S::OK,
            ),
            // Reading an assessment
            row(
                f("assessments/get", vec![("id", izin.clone())]),
                READ_IZIN,
                S::OK,
            ),
            Row {
                note: " of BDK-MDN",
                ..row(
                    f("assessments/get", vec![("id", medan.clone())]),
                    READ_MEDAN,
                    S::OK,
                )
            },
            row(
                f(
                    "assessments/history",
                    vec![("assessment", izin.clone()), ("item", s("P.MP.i.b"))],
                ),
                READ_IZIN,
                S::OK,
            ),
            row(
                f("review/report", vec![("assessment", medan.clone())]),
                REVIEW_MEDAN,
                S::OK,
            ),
            row(
                get(
                    "/assessments/{id}/lke.xlsx",
                    format!("/assessments/{izin}/lke.xlsx"),
                ),
                READ_IZIN,
                S::OK,
            ),
            row(
                get(
                    "/assessments/{id}/lke-2026.xlsx",
                    format!("/assessments/{izin}/lke-2026.xlsx"),
                ),
                READ_IZIN,
                S::OK,
            ),
            row(
                get(
                    "/assessments/{id}/lhe.docx",
                    format!("/assessments/{medan}/lhe.docx"),
                ),
                REVIEW_MEDAN,
                S::OK,
            ),
            row(
                get(
                    "/assessments/{id}/charts/{file}",
                    format!("/assessments/{izin}/charts/areas.svg"),
                ),
                READ_IZIN,
                S::OK,
            ),
            row(
                get(
                    "/assessments/{id}/evidence.zip",
                    format!("/assessments/{izin}/evidence.zip"),
                ),
                READ_IZIN,
                S::OK,
            ),
            row(
                get("/evidence/{id}", format!("/evidence/{evidence}")),
                READ_IZIN,
                S::OK,
            ),
            // The unit's work
            row(
                f(
                    "assessments/answers",
                    vec![("assessment", izin.clone()), ("value[P.MP.i.b]", s("a"))],
                ),
                WORK_IZIN,
                S::OK,
            ),
            row(
                Call::Post(
                    "/assessments/{id}/evidence",
                    format!("/assessments/{izin}/evidence"),
                    vec![("item", s("P.MP.i.a"))],
                    ("notulen.pdf", pdf()),
                ),
                WORK_IZIN,
                S::CREATED,
            ),
            row(
                f(
                    "evidence/link",
                    vec![("id", evidence.clone()), ("item", s("P.MP.i.a"))],
                ),
                WORK_IZIN,
                S::OK,
            ),
            row(
                f(
                    "evidence/unlink",
                    vec![("id", evidence.clone()), ("item", s("P.MP.i.a"))],
                ),
                WORK_IZIN,
                S::OK,
            ),
            row(
                f("evidence/delete", vec![("id", evidence.clone())]),
                WORK_IZIN,
                S::OK,
            ),
            row(
                f("evidence/restore", vec![("id", evidence.clone())]),
                WORK_IZIN,
                S::OK,
            ),
            row(
                Call::Multipart(
                    "assessments/import",
                    vec![("assessment", izin.clone()), ("confirm", s("yes"))],
                    ("lke.xlsx", b"not a workbook".to_vec()),
                ),
                WORK_IZIN,
                S::UNPROCESSABLE_ENTITY,
            ),
            // Most questions are unanswered: submitting needs a confirmation.
            row(
                f("assessments/submit", vec![("assessment", izin.clone())]),
                WORK_IZIN,
                S::CONFLICT,
            ),
            // The evaluators' work
            row(f("review/queue", vec![]), LEAD_MEDAN, S::OK),
            row(
                f(
                    "review/save",
                    vec![
                        ("assessment", medan.clone()),
                        ("item", s("P.MP.i.b")),
                        ("version", s("0")),
                        ("value[P.MP.i.b]", s("b")),
                        ("status", s("sesuai")),
                    ],
                ),
                LEAD_MEDAN,
                S::OK,
            ),
            row(
                f(
                    "review/return",
                    vec![("assessment", medan.clone()), ("summary", s(""))],
                ),
                LEAD_MEDAN,
                S::UNPROCESSABLE_ENTITY,
            ),
            row(
                f("review/finalize", vec![("assessment", medan.clone())]),
                LEAD_MEDAN,
                S::CONFLICT,
            ),
            // PortalRB integration: administrators manage it; its API answers
            // a token, never a session, and an evidence link its secret.
            row(f("portalrb/view", vec![]), ADMIN, S::OK),
            row(
                f("portalrb/tokens/create", vec![("name", s("Matriks"))]),
                ADMIN,
                S::OK,
            ),
            row(
                f(
                    "portalrb/tokens/revoke",
                    vec![("token", s("0190-nope")), ("confirm", s("yes"))],
                ),
                ADMIN,
                S::NOT_FOUND,
            ),
            row(
                f(
                    "portalrb/links/revoke",
                    vec![("assessment", izin.clone()), ("confirm", s("yes"))],
                ),
                ADMIN,
                S::OK,
            ),
            row(
                get(
                    "/portalrb/pengusulan/unit-wbk",
                    s("/portalrb/pengusulan/unit-wbk"),
                ),
                ANYONE,
                S::UNAUTHORIZED,
            ),
            row(
                get(
                    "/portalrb/pengusulan/unit-wbbm",
                    s("/portalrb/pengusulan/unit-wbbm"),
                ),
                ANYONE,
                S::UNAUTHORIZED,
            ),
            row(
                get(
                    "/portalrb/lke/jawaban-unit/{unit_id}",
                    s("/portalrb/lke/jawaban-unit/DIT-IZIN"),
                ),
                ANYONE,
                S::UNAUTHORIZED,
            ),
            row(
                get("/bukti/{secret}/{item}", s("/bukti/zi_forged/P.MP.i.a")),
                ANYONE,
                S::NOT_FOUND,
            ),
            row(
                get(
                    "/bukti/{secret}/{item}/{file}",
                    format!("/bukti/zi_forged/P.MP.i.a/{evidence}"),
                ),
                ANYONE,
                S::NOT_FOUND,
            ),
            // Leadership
            row(f("dashboard/get", vec![]), DASHBOARD, S::OK),
            row(get("/dashboard.csv", s("/dashboard.csv")), DASHBOARD, S::OK),
            row(
                get("/dashboard.xlsx", s("/dashboard.xlsx")),
                DASHBOARD,
                S::OK,
            ),
            row(
                get(
                    "/dashboard/charts/{file}",
                    s("/dashboard/charts/distribution.svg"),
                ),
                DASHBOARD,
                S::OK,
            ),
        ];

        // Every endpoint the app serves has a row, and every row an endpoint.
        let registered = registered_endpoints();
        let mut covered: BTreeSet<String> = rows.iter().map(|r| r.call.endpoint()).collect();
        covered.extend(
            [
                "POST /api/login",
                "POST /api/logout",
                "POST /api/account/password",
            ]
            .map(String::from),
        );
        let missing: Vec<_> = registered.difference(&covered).collect();
        let unknown: Vec<_> = covered.difference(&registered).collect();
        assert!(
            missing.is_empty() && unknown.is_empty(),
            "endpoints without a row: {missing:?}; rows for no endpoint: {unknown:?}"
        );
        assert!(registered.len() >= 73, "{registered:?}");

        let actors = [
            (Anonymous, None),
            (Admin, Some(("admin", PASSWORD))),
            (UnitMember, Some(("unit", PASSWORD))),
            (MedanMember, Some(("medan", PASSWORD))),
            (Evaluator, Some(("tpi", PASSWORD))),
            (Leadership, Some(("pimpinan", PASSWORD))),
            (NoRole, Some(("tanpa.peran", NO_ROLE_PASSWORD))),
        ];
        let mut failures = Vec::new();
        let mut calls = 0;
        for (actor, credentials) in actors {
            let (username, password) = credentials.unwrap_or(("admin", PASSWORD));
            // Signing in again as oneself is a valid login for everyone; keeping
            // one's password a valid change; then signing out.
            let own = [
                row(
                    f(
                        "login",
                        vec![("identifier", s(username)), ("password", s(password))],
                    ),
                    ANYONE,
                    S::OK,
                ),
                row(
                    f(
                        "account/password",
                        vec![
                            ("current", s(password)),
                            ("password", s(password)),
                            ("confirm", s(password)),
                        ],
                    ),
                    SIGNED_IN,
                    S::OK,
                ),
                row(f("logout", vec![]), ANYONE, S::OK),
            ];
            let signed_in = match credentials {
                Some((username, password)) => Some(app.signed_in_with(username, password).await),
                None => None,
            };
            let [login, password_row, logout] = &own;
            for row in std::iter::once(login)
                .chain(&rows)
                .chain([password_row, logout])
            {
                // A fresh anonymous visitor for every anonymous row.
                let client = signed_in.clone().unwrap_or_else(|| app.client());
                let before = app.table_counts().await;
                let (status, reply) = row.call.send(&client).await;
                calls += 1;
                let want = expected(row, actor);
                let name = format!("{actor:?} → {}{}", row.call.endpoint(), row.note);
                if status != want {
                    failures.push(format!("{name}: expected {}, got {reply}", want.as_u16()));
                } else if !want.is_success() && !row.allowed.contains(&actor) {
                    let after = app.table_counts().await;
                    if after != before {
                        failures.push(format!("{name}: refused but wrote: {before:?} → {after:?}"));
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{:?}: {} of {calls} calls differ from the policy:\n  {}",
            app.backend,
            failures.len(),
            failures.join("\n  ")
        );

        // The administrator's calls did what they said, and nobody else's did.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM units WHERE code = 'MATRIKS'", &[])
                .await,
            1
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM users WHERE username = 'baru.matriks'",
                &[]
            )
            .await,
            1
        );
        let login = app.client().login("sasaran", "password-reset-1").await;
        assert_eq!(
            login.status,
            S::UNAUTHORIZED,
            "the target was deactivated: {login}"
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM user_roles WHERE user_id = $1",
                &[&member]
            )
            .await,
            2,
            "the member's own role, and the one the administrator granted"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM units WHERE active = 0", &[])
                .await,
            0
        );
    }
);
