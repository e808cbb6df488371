//! Who may call which server function: every role against every endpoint,
//! with valid arguments, in one table.

use crate::db_test;
use crate::helpers::*;
use reqwest::StatusCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Actor {
    Anonymous,
    Admin,
    /// `unit`: member of DIT-IZIN (unit A).
    UnitMember,
    /// `tpi`
    Evaluator,
    /// `pimpinan`, over the whole instansi
    Leadership,
    /// Signed in, but holds no role at all.
    NoRole,
}

/// Who an endpoint is for.
#[derive(Clone, Copy, Debug)]
enum Access {
    Anyone,
    SignedIn,
    AdminOnly,
}

fn expected(access: Access, actor: Actor) -> StatusCode {
    match (access, actor) {
        (Access::Anyone, _) => StatusCode::OK,
        (Access::SignedIn | Access::AdminOnly, Actor::Anonymous) => StatusCode::UNAUTHORIZED,
        (Access::SignedIn, _) | (Access::AdminOnly, Actor::Admin) => StatusCode::OK,
        (Access::AdminOnly, _) => StatusCode::FORBIDDEN,
    }
}

const NO_ROLE_PASSWORD: &str = "no-role-password";

/// A form as (name, value) pairs.
type Form = Vec<(&'static str, String)>;

/// One row of the table: who calls what, and whom the endpoint is for.
struct Row<'a> {
    actor: Actor,
    /// `None` for an anonymous visitor.
    credentials: Option<(&'a str, &'a str)>,
    endpoint: String,
    /// What sets this row apart from another with the same actor and endpoint.
    note: &'static str,
    access: Access,
    form: Form,
}

db_test!(
    every_role_gets_exactly_the_server_functions_it_is_meant_to,
    |app| async move {
        // Fixtures: a user with no role, and a user the administrative calls act on.
        let setup = app.signed_in("admin").await;
        let created = setup
            .call(
                "users/create",
                &[
                    ("username", "tanpa.peran"),
                    ("email", ""),
                    ("full_name", "Tanpa Peran"),
                    ("password", NO_ROLE_PASSWORD),
                    ("confirm", NO_ROLE_PASSWORD),
                    ("role", ""),
                    ("unit", ""),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{created}");
        let unit_b = app.unit_id("DIT-ADUAN").await;
        let created = setup
            .call(
                "users/create",
                &[
                    ("username", "sasaran"),
                    ("email", "sasaran@kemen.go.id"),
                    ("full_name", "Pengguna Sasaran"),
                    ("password", "sasaran-password"),
                    ("confirm", "sasaran-password"),
                    ("role", "unit_member"),
                    ("unit", &unit_b),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{created}");
        let target: String = serde_json::from_str(&created.body).expect("the new user's id");
        let target_grant = setup.call("users/get", &[("id", &target)]).await.json()["grants"][0]
            ["id"]
            .as_str()
            .expect("a grant id")
            .to_owned();
        setup.logout().await;

        let unit_a = app.unit_id("DIT-IZIN").await;
        let djpp = app.unit_id("DJPP").await;
        let member_id = app.user_id("unit").await;

        // Valid arguments for each server function; only an administrator's call succeeds
        // where it changes anything, so one row's success cannot disturb another row.
        let s = |v: &str| v.to_owned();
        let endpoints: Vec<(&str, Access, Form)> = vec![
            ("me", Access::Anyone, vec![]),
            ("language", Access::Anyone, vec![("locale", s("id"))]),
            ("units/list", Access::AdminOnly, vec![]),
            ("rubrics/list", Access::AdminOnly, vec![]),
            (
                "rubrics/gates",
                Access::AdminOnly,
                vec![("key", s("permenpanrb-90-2021"))],
            ),
            (
                "units/create",
                Access::AdminOnly,
                vec![
                    ("code", s("MATRIKS")),
                    ("name", s("Unit Matriks")),
                    ("kind", s("direktorat")),
                    ("parent", djpp.clone()),
                ],
            ),
            (
                // the member's own unit: being a member does not make one its administrator
                "units/update",
                Access::AdminOnly,
                vec![
                    ("id", unit_a.clone()),
                    ("name", s("Direktorat Pelayanan Perizinan")),
                    ("kind", s("direktorat")),
                    ("parent", djpp.clone()),
                ],
            ),
            (
                "units/active",
                Access::AdminOnly,
                vec![("id", unit_a.clone()), ("active", s("true"))],
            ),
            ("users/list", Access::AdminOnly, vec![]),
            ("users/get", Access::AdminOnly, vec![("id", target.clone())]),
            (
                "users/create",
                Access::AdminOnly,
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
            (
                "users/password",
                Access::AdminOnly,
                vec![
                    ("id", target.clone()),
                    ("password", s("password-reset-1")),
                    ("confirm", s("password-reset-1")),
                ],
            ),
            (
                "users/active",
                Access::AdminOnly,
                vec![("id", target.clone()), ("active", s("false"))],
            ),
            (
                "users/grant",
                Access::AdminOnly,
                vec![
                    ("id", target.clone()),
                    ("role", s("leadership")),
                    ("unit", djpp.clone()),
                ],
            ),
            (
                "users/revoke",
                Access::AdminOnly,
                vec![("id", target.clone()), ("grant", target_grant.clone())],
            ),
        ];

        let actors = [
            (Actor::Anonymous, None),
            (Actor::Admin, Some(("admin", PASSWORD))),
            (Actor::UnitMember, Some(("unit", PASSWORD))),
            (Actor::Evaluator, Some(("tpi", PASSWORD))),
            (Actor::Leadership, Some(("pimpinan", PASSWORD))),
            (Actor::NoRole, Some(("tanpa.peran", NO_ROLE_PASSWORD))),
        ];

        let mut rows: Vec<Row> = Vec::new();
        for (actor, credentials) in actors {
            let (username, password) = credentials.unwrap_or(("admin", PASSWORD));
            // Signing in again as oneself is a valid login for everyone.
            rows.push(Row {
                actor,
                credentials,
                endpoint: s("login"),
                note: "",
                access: Access::Anyone,
                form: vec![("identifier", s(username)), ("password", s(password))],
            });
            for (endpoint, access, form) in &endpoints {
                rows.push(Row {
                    actor,
                    credentials,
                    endpoint: s(endpoint),
                    note: "",
                    access: *access,
                    form: form.clone(),
                });
            }
            if actor == Actor::UnitMember {
                // A member of unit A acting on unit B, or on their own roles.
                for (endpoint, note, form) in [
                    (
                        "units/update",
                        " of unit B",
                        vec![
                            ("id", unit_b.clone()),
                            ("name", s("Direktorat Pengaduan Masyarakat")),
                            ("kind", s("direktorat")),
                            ("parent", djpp.clone()),
                        ],
                    ),
                    (
                        "units/active",
                        " of unit B",
                        vec![("id", unit_b.clone()), ("active", s("false"))],
                    ),
                    (
                        "users/grant",
                        " of unit B to themself",
                        vec![
                            ("id", member_id.clone()),
                            ("role", s("unit_member")),
                            ("unit", unit_b.clone()),
                        ],
                    ),
                    (
                        "users/grant",
                        " of admin to themself",
                        vec![
                            ("id", member_id.clone()),
                            ("role", s("admin")),
                            ("unit", s("")),
                        ],
                    ),
                ] {
                    rows.push(Row {
                        actor,
                        credentials,
                        endpoint: s(endpoint),
                        note,
                        access: Access::AdminOnly,
                        form,
                    });
                }
            }
            // Keeping one's own password is a valid change; it comes late so the
            // login row above still used the password it knew.
            rows.push(Row {
                actor,
                credentials,
                endpoint: s("account/password"),
                note: "",
                access: Access::SignedIn,
                form: vec![
                    ("current", s(password)),
                    ("password", s(password)),
                    ("confirm", s(password)),
                ],
            });
            rows.push(Row {
                actor,
                credentials,
                endpoint: s("logout"),
                note: "",
                access: Access::Anyone,
                form: vec![],
            });
        }

        let mut failures = Vec::new();
        let mut current: Option<(Actor, Client)> = None;
        for Row {
            actor,
            credentials,
            endpoint,
            note,
            access,
            form,
        } in &rows
        {
            // One session per signed-in actor; a fresh anonymous visitor for every anonymous row.
            let client = match (&current, credentials) {
                (Some((who, client)), Some(_)) if who == actor => client.clone(),
                (_, Some((username, password))) => {
                    let client = app.signed_in_with(username, password).await;
                    current = Some((*actor, client.clone()));
                    client
                }
                (_, None) => app.client(),
            };
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let before = app.table_counts().await;
            let reply = client.call(endpoint, &form).await;
            let want = expected(*access, *actor);
            let row = format!("{actor:?} → {endpoint}{note}");
            if reply.status != want {
                failures.push(format!("{row}: expected {}, got {reply}", want.as_u16()));
                continue;
            }
            if !want.is_success() {
                let tag = if want == StatusCode::UNAUTHORIZED {
                    "unauthenticated"
                } else {
                    "forbidden"
                };
                if reply.error() != tag {
                    failures.push(format!("{row}: expected error {tag}, got {reply}"));
                }
                let after = app.table_counts().await;
                if after != before {
                    failures.push(format!("{row}: refused but wrote: {before:?} → {after:?}"));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{:?}: {} of {} rows differ from the policy:\n  {}",
            app.backend,
            failures.len(),
            rows.len(),
            failures.join("\n  ")
        );

        // The administrator's calls did what they said.
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
            StatusCode::UNAUTHORIZED,
            "the target was deactivated: {login}"
        );
        // Nobody else gained a unit or a role.
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM user_roles WHERE user_id = $1",
                &[&member_id]
            )
            .await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM units WHERE active = 0", &[])
                .await,
            0
        );
    }
);
