//! The layout's rules, checked on the source: `api/` never touches the
//! database, pages never import pages, the domain does no IO, and every
//! server function and HTTP route finds out who asks before it answers.

// Tests and benchmarks stop at the first surprise: unwrapping is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, with its path relative to `src/`.
fn sources(dir: &str) -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&src().join(dir), &mut files);
    files.sort();
    assert!(!files.is_empty(), "no sources under {dir}");
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).expect("a readable source file");
            let name = path
                .strip_prefix(src())
                .expect("under src")
                .display()
                .to_string();
            (name, text)
        })
        .collect()
}

/// The lines of `text` outside comments that contain one of `needles`.
fn offending(text: &str, needles: &[&str]) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| needles.iter().any(|n| line.contains(n)))
        .map(|(n, line)| format!("{}: {}", n + 1, line.trim()))
        .collect()
}

/// [`offending`] over several files, each line named by its file.
fn offending_lines(files: &[(String, String)], needles: &[&str]) -> Vec<String> {
    files
        .iter()
        .flat_map(|(name, text)| {
            offending(text, needles)
                .into_iter()
                .map(move |line| format!("{name}:{line}"))
        })
        .collect()
}

fn assert_clean(rule: &str, found: Vec<String>) {
    assert!(found.is_empty(), "{rule}:\n  {}", found.join("\n  "));
}

#[test]
fn server_functions_never_touch_the_database() {
    let needles = [
        "backend::db",
        "db::",
        "sqlx",
        ".acquire(",
        "begin_write",
        "Permit::operator",
    ];
    let found = offending_lines(&sources("api"), &needles);
    assert_clean(
        "api/ parses, authorizes and calls one backend function; SQL lives in backend/db",
        found,
    );
}

#[test]
fn pages_never_import_pages() {
    let mut found = Vec::new();
    for (name, text) in sources("pages") {
        // `pages/x.rs` or `pages/x/…` is page `x`; it may use its own parts.
        let page = name
            .trim_start_matches("pages/")
            .split(['/', '.'])
            .next()
            .unwrap_or_default()
            .to_owned();
        for (n, line) in text.lines().enumerate() {
            let imports_other = line.match_indices("crate::pages::").any(|(at, _)| {
                let rest = &line[at + "crate::pages::".len()..];
                !rest.starts_with(&format!("{page}::")) && !rest.starts_with(&format!("{page};"))
            });
            if imports_other || line.contains("super::super") {
                found.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert_clean("a piece two pages share belongs in components/", found);
}

#[test]
fn the_domain_does_no_io() {
    let needles = [
        "sqlx",
        "tokio",
        "axum",
        "leptos",
        "reqwest",
        "std::fs",
        "std::net",
        "std::process",
        "std::env",
        "SystemTime",
        "Instant::now",
        "now_utc",
        "crate::backend",
        "crate::api",
        "crate::pages",
        "crate::components",
    ];
    let found = offending_lines(&sources("domain"), &needles);
    assert_clean(
        "domain/ is pure: the caller passes in today, the data and the actor",
        found,
    );
}

/// Server functions anyone may call: they sign in (the password step, and the
/// code step, whose user is the session's pending sign-in), offer single
/// sign-on, sign out, choose the language.
const PUBLIC_SERVER_FUNCTIONS: &[&str] = &[
    "login",
    "login/sso",
    "login/code",
    "login/enrolment",
    "logout",
    "language",
];

/// What finds out who asks: the policy's permit, the signed-in user (whose
/// backend call then asks the policy), or the optional user for `me`.
const IDENTIFIES_CALLER: &[&str] = &[
    "auth::authorize::<",
    "auth::require_user(",
    "auth::current_user(",
];

#[test]
fn every_server_function_asks_who_calls() {
    let mut found = Vec::new();
    let mut count = 0;
    for (name, text) in sources("api") {
        for chunk in text.split("\n#[server(").skip(1) {
            count += 1;
            let endpoint = chunk
                .split("endpoint = \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or("?");
            let body = chunk.split("\n}\n").next().unwrap_or(chunk);
            let identifies = IDENTIFIES_CALLER.iter().any(|n| body.contains(n));
            if !identifies && !PUBLIC_SERVER_FUNCTIONS.contains(&endpoint) {
                found.push(format!("{name}: {endpoint}"));
            }
        }
    }
    assert!(count >= 48, "found only {count} server functions");
    assert_clean("server functions that never ask who calls", found);
}

#[test]
fn every_http_route_takes_the_session() {
    let mut found = Vec::new();
    let mut count = 0;
    let feature_sources: Vec<(String, String)> = sources("backend")
        .into_iter()
        .filter(|(name, _)| {
            ["/evidence/", "/documents/", "/portalrb/", "/oidc/"]
                .iter()
                .any(|dir| name.contains(dir))
        })
        .collect();
    for (name, text) in &feature_sources {
        let Some(block) = text.split("http_routes! {").nth(1) else {
            continue;
        };
        let block = block.split("\n}").next().unwrap_or_default();
        for line in block.lines().filter(|l| l.contains("=>")) {
            count += 1;
            let handler = line
                .split("=>")
                .nth(1)
                .and_then(|h| h.split('(').nth(1))
                .and_then(|h| h.split(')').next())
                .map(|h| h.rsplit("::").next().unwrap_or(h).trim())
                .unwrap_or_default();
            let signature = feature_sources.iter().find_map(|(_, text)| {
                let at = text.find(&format!("async fn {handler}("))?;
                text[at..].split(") ->").next().map(str::to_owned)
            });
            match signature {
                // A session, or for PortalRB a token (`PortalCaller`) or the secret of an evidence link.
                Some(sig)
                    if [
                        "Session",
                        "SignedIn",
                        "PortalCaller",
                        "ShareLink",
                        "ShareFile",
                    ]
                    .iter()
                    .any(|who| sig.contains(who)) => {}
                Some(_) => found.push(format!("{name}: {handler} never sees the session")),
                None => found.push(format!("{name}: handler {handler} not found")),
            }
        }
    }
    assert!(count >= 14, "found only {count} HTTP routes");
    assert_clean("HTTP routes must know who asks", found);
}
