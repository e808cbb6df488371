//! Demo data for a first look: an instansi with a small unit tree, one user
//! per role, a period for the current year, and draft WBK assessments for the
//! Direktorat Jenderal Pelayanan Publik and its directorates, and a Balai
//! Diklat whose self-assessment is already submitted to the TPI team.

use app::backend::assessments::{self, Changes};
use app::backend::blobs::BlobStore;
use app::backend::db::bulk::{self, Cell};
use app::backend::db::evidence::Blob;
use app::backend::db::{self, Db};
use app::backend::eligibility;
use app::backend::evidence::{record_upload, UploadTarget};
use app::backend::permit::Permit;
use app::backend::review::{Decision, ReviewChange};
use app::backend::units::{self, NewUnit};
use app::backend::users::{self, NewAccount};
use app::backend::{periods, review};
use app::domain::account::{FullName, NewPassword, UserId, Username};
use app::domain::assessment::Target;
use app::domain::assessment::{answers_from_stored, coverage, scored_items};
use app::domain::dashboard::StoredScore;
use app::domain::eligibility::{FactsInput, InstansiFacts};
use app::domain::lke::{
    builtin_90_2021_ref, AssessmentState, HasilItemId, InputKind, ItemCode, RubricVersion,
    KEY_90_2021,
};
use app::domain::period::{Day, PeriodDates, Year};
use app::domain::review::FinalizeConfirmation;
use app::domain::role::{Grant, Role};
use app::domain::unit::{UnitCode, UnitId, UnitKind, UnitName};
use app::error::AppError;
use app::model::SessionUser;
use std::collections::{BTreeMap, BTreeSet};

pub const DEMO_PASSWORD: &str = "zi-demo-2026";

/// (code, name, kind, parent code)
const UNITS: &[(&str, &str, UnitKind, Option<&str>)] = &[
    ("KEMEN", "Kementerian Contoh", UnitKind::Instansi, None),
    (
        "SETJEN",
        "Sekretariat Jenderal",
        UnitKind::EselonI,
        Some("KEMEN"),
    ),
    (
        "ITJEN",
        "Inspektorat Jenderal",
        UnitKind::EselonI,
        Some("KEMEN"),
    ),
    (
        "DJPP",
        "Direktorat Jenderal Pelayanan Publik",
        UnitKind::EselonI,
        Some("KEMEN"),
    ),
    (
        "DIT-IZIN",
        "Direktorat Pelayanan Perizinan",
        UnitKind::Direktorat,
        Some("DJPP"),
    ),
    (
        "DIT-ADUAN",
        "Direktorat Pengaduan Masyarakat",
        UnitKind::Direktorat,
        Some("DJPP"),
    ),
    (
        "BPSDM",
        "Badan Pengembangan Sumber Daya Manusia",
        UnitKind::EselonI,
        Some("KEMEN"),
    ),
    (
        "BDK-MDN",
        "Balai Diklat Medan",
        UnitKind::Upt,
        Some("BPSDM"),
    ),
    (
        "BDK-SBY",
        "Balai Diklat Surabaya",
        UnitKind::Upt,
        Some("BPSDM"),
    ),
    (
        "BDK-MKS",
        "Balai Diklat Makassar",
        UnitKind::Upt,
        Some("BPSDM"),
    ),
];

/// (username, full name, role, unit code)
pub const USERS: &[(&str, &str, Role, Option<&str>)] = &[
    ("admin", "Administrator Instansi", Role::Admin, None),
    (
        "unit",
        "Rina Anggota Unit",
        Role::UnitMember,
        Some("DIT-IZIN"),
    ),
    (
        "aduan",
        "Dedi Anggota Pengaduan",
        Role::UnitMember,
        Some("DIT-ADUAN"),
    ),
    (
        "medan",
        "Maya Anggota Balai Medan",
        Role::UnitMember,
        Some("BDK-MDN"),
    ),
    (
        "surabaya",
        "Sari Anggota Balai Surabaya",
        Role::UnitMember,
        Some("BDK-SBY"),
    ),
    ("tpi", "Budi Penilai TPI", Role::Evaluator, None),
    ("pimpinan", "Sri Pimpinan", Role::Leadership, None),
];

pub enum Seeded {
    Created,
    AlreadyHadData,
}

pub async fn seed(db: &Db, year: i64) -> Result<Seeded, AppError> {
    if db::units::count(db).await? > 0 || db::users::count(db).await? > 0 {
        return Ok(Seeded::AlreadyHadData);
    }
    let mut ids: Vec<(&str, UnitId)> = Vec::new();
    let mut logins: Vec<(&str, UserId)> = Vec::new();
    for (code, name, kind, parent) in UNITS {
        let parent =
            parent.and_then(|p| ids.iter().find(|(c, _)| *c == p).map(|(_, id)| id.clone()));
        let unit = NewUnit {
            code: UnitCode::parse(code).map_err(|_| AppError::Internal)?,
            name: UnitName::parse(name).map_err(|_| AppError::Internal)?,
            kind: *kind,
            parent,
        };
        ids.push((code, units::create(db, &Permit::operator(), unit).await?));
    }
    for (username, full_name, role, unit) in USERS {
        let unit = unit.and_then(|u| ids.iter().find(|(c, _)| *c == u).map(|(_, id)| id.clone()));
        let account = NewAccount {
            username: Username::parse(username).map_err(|_| AppError::Internal)?,
            email: None,
            full_name: FullName::parse(full_name).map_err(|_| AppError::Internal)?,
            password: NewPassword::parse(DEMO_PASSWORD, DEMO_PASSWORD)
                .map_err(|_| AppError::Internal)?,
            grants: vec![Grant::new(*role, unit).map_err(|_| AppError::Internal)?],
        };
        let id: UserId = users::create(db, &Permit::operator(), account).await?;
        logins.push((*username, id));
    }
    let year = Year::new(year).map_err(|_| AppError::Internal)?;
    let period = periods::create(
        db,
        &Permit::operator(),
        year,
        KEY_90_2021,
        demo_calendar(year)?,
    )
    .await?;
    demo_eligibility(db, year).await?;
    if let Some((_, djpp)) = ids.iter().find(|(code, _)| *code == "DJPP") {
        periods::create_assessments(db, &Permit::operator(), &period, djpp, Target::Wbk, true)
            .await?;
    }
    let login = |name: &str| {
        logins
            .iter()
            .find(|(username, _)| *username == name)
            .map(|(_, id)| id.clone())
            .ok_or(AppError::Internal)
    };
    if let Some((_, medan)) = ids.iter().find(|(code, _)| *code == "BDK-MDN") {
        periods::create_assessments(db, &Permit::operator(), &period, medan, Target::Wbk, false)
            .await?;
        let (member, admin, evaluator) = (login("medan")?, login("admin")?, login("tpi")?);
        let people = People {
            member: &member,
            admin: &admin,
            evaluator: &evaluator,
        };
        submitted_for_review(db, medan, people, None).await?;
    }
    Ok(Seeded::Created)
}

/// The instansi's facts for this year and last (WTP both years, SAKIP BB,
/// RB index B, SPIP level 3, 85 % of findings followed up, survey reports
/// present), so the demo's proposals meet the default WBK and WBBM checklists.
async fn demo_eligibility(db: &Db, year: Year) -> Result<(), AppError> {
    let facts = InstansiFacts::parse(FactsInput {
        bpk: "WTP",
        sakip: "BB",
        rb_index: "B",
        spip: "3",
        follow_up: "85",
        surveys: "yes",
        note: "Contoh: LHP BPK atas LK tahun sebelumnya; LHE SAKIP dan RB KemenPANRB.",
    })
    .map_err(|_| AppError::Internal)?;
    let last_year = Year::new(i64::from(year.value()) - 1).map_err(|_| AppError::Internal)?;
    for y in [last_year, year] {
        eligibility::save_facts(db, &Permit::operator(), y, &facts).await?;
    }
    Ok(())
}

async fn session_user(db: &Db, id: &UserId) -> Result<SessionUser, AppError> {
    db::users::session_user(db, id)
        .await?
        .ok_or(AppError::Internal)
}

/// A complete self-assessment, submitted, with the TPI user as team lead: a
/// first look at the evaluators' side needs nothing typed first.
async fn submitted_for_review(
    db: &Db,
    unit: &UnitId,
    people: People<'_>,
    evidence: Option<&dyn BlobStore>,
) -> Result<String, AppError> {
    let People {
        member,
        admin,
        evaluator,
    } = people;
    let assessment = db::assessments::list_for_units(db, std::slice::from_ref(unit))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::Internal)?
        .summary;
    let member = session_user(db, member).await?;
    assessments::save(
        db,
        &member,
        &assessment.id,
        Changes {
            values: demo_answers(builtin_90_2021_ref()),
            notes: BTreeMap::new(),
            // Demo data into an empty assessment: nothing to check against.
            versions: BTreeMap::new(),
        },
    )
    .await?;
    if let Some(store) = evidence {
        with_evidence(db, store, &assessment.id, &member).await?;
    }
    assessments::submit(db, &member, &assessment.id, true).await?;
    let admin = session_user(db, admin).await?;
    review::set_assignment(db, &admin, &assessment.id, evaluator.as_str(), Some(true)).await?;
    Ok(assessment.id)
}

/// One unit proposed for WBK with both lanes filled and evidence, so PortalRB
/// (or a newcomer playing it) can call the API at once. Part of `zi demo`;
/// the test suites add it only where they need it.
pub async fn seed_proposed(db: &Db, store: &dyn BlobStore, year: i64) -> Result<(), AppError> {
    let year = Year::new(year).map_err(|_| AppError::Internal)?;
    let period = db::periods::by_year(&mut *db.acquire().await?, year)
        .await?
        .ok_or(AppError::Internal)?;
    let unit = |code: &str| {
        let code = UnitCode::parse(code).map_err(|_| AppError::Internal);
        async move {
            db::units::find_by_code(db, &code?)
                .await?
                .map(|u| u.id)
                .ok_or(AppError::Internal)
        }
    };
    let users = db::users::list(db).await?;
    let login = |name: &str| {
        users
            .iter()
            .find(|u| u.username == name)
            .map(|u| u.id.clone())
            .ok_or(AppError::Internal)
    };
    let surabaya = unit("BDK-SBY").await?;
    periods::create_assessments(
        db,
        &Permit::operator(),
        &period.id,
        &surabaya,
        Target::Wbk,
        false,
    )
    .await?;
    let (member, admin, evaluator) = (login("surabaya")?, login("admin")?, login("tpi")?);
    let people = People {
        member: &member,
        admin: &admin,
        evaluator: &evaluator,
    };
    let assessment = submitted_for_review(db, &surabaya, people, Some(store)).await?;
    proposed(db, &assessment, people).await
}

/// Who works on a demo assessment.
#[derive(Clone, Copy)]
struct People<'a> {
    member: &'a UserId,
    admin: &'a UserId,
    evaluator: &'a UserId,
}

/// Two evidence files (a decree and a work plan) linked to the first
/// questions of Manajemen Perubahan.
async fn with_evidence(
    db: &Db,
    store: &dyn BlobStore,
    assessment: &str,
    member: &SessionUser,
) -> Result<(), AppError> {
    let files = [
        ("SK Tim Pembangunan ZI.pdf", vec!["P.MP.i.a", "P.MP.i.b"]),
        ("Rencana Kerja ZI 2026.pdf", vec!["P.MP.ii.a", "P.MP.ii.b"]),
    ];
    for (name, items) in files {
        let bytes = demo_pdf(name);
        let mut incoming = store.receive(1 << 20).await.map_err(storage)?;
        incoming
            .write(&bytes)
            .await
            .map_err(|_| AppError::Internal)?;
        let received = incoming.finish().await.map_err(storage)?;
        let sha256 = received.sha256.clone();
        let size = i64::try_from(received.size).unwrap_or(i64::MAX);
        store.keep(received).await.map_err(storage)?;
        let target = UploadTarget {
            assessment: assessment.to_owned(),
            items: items.into_iter().map(str::to_owned).collect(),
            replaces: None,
        };
        let blob = Blob {
            sha256: &sha256,
            size,
            mime: "application/pdf",
        };
        record_upload(db, member, target, blob, name).await?;
    }
    Ok(())
}

fn storage(err: std::io::Error) -> AppError {
    tracing::error!(%err, "demo evidence could not be stored");
    AppError::Internal
}

/// A one-page PDF that names what it stands for.
fn demo_pdf(title: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% Contoh data dukung: {title}\n%%EOF\n")
        .into_bytes()
}

/// The evaluators agree with every answer, finalize, and the administrator
/// proposes the unit: PortalRB finds it at once.
async fn proposed(db: &Db, assessment: &str, people: People<'_>) -> Result<(), AppError> {
    let evaluator = session_user(db, people.evaluator).await?;
    let rubric = builtin_90_2021_ref();
    let values = demo_answers(rubric);
    for (item, parts) in review_items(rubric, &values) {
        review::save(
            db,
            &evaluator,
            assessment,
            ReviewChange {
                item,
                values: parts,
                note: String::new(),
                status: "sesuai".to_owned(),
                version: 0,
            },
        )
        .await?;
    }
    review::decide(
        db,
        &evaluator,
        assessment,
        Decision::Finalize(FinalizeConfirmation::Unreviewed(0)),
    )
    .await?;
    let admin = session_user(db, people.admin).await?;
    let proposal = review::Proposal {
        confirmed: true,
        ..review::Proposal::default()
    };
    review::propose(db, &admin, assessment, proposal).await?;
    Ok(())
}

/// Each reviewable item with the values its save carries: a choice or an
/// index, or the entered inputs of a % question.
fn review_items(
    rubric: &RubricVersion,
    values: &BTreeMap<String, String>,
) -> Vec<(String, BTreeMap<String, String>)> {
    let of = |codes: Vec<String>| -> BTreeMap<String, String> {
        codes
            .into_iter()
            .filter_map(|code| Some((code.clone(), values.get(&code)?.clone())))
            .collect()
    };
    let mut items: Vec<(String, BTreeMap<String, String>)> = rubric
        .questions()
        .map(|question| {
            let code = question.code.to_string();
            let parts = if question.inputs.is_empty() {
                vec![code.clone()]
            } else {
                question
                    .inputs
                    .iter()
                    .filter(|input| matches!(input.kind, InputKind::Entered))
                    .map(|input| input.code.to_string())
                    .collect()
            };
            (code, of(parts))
        })
        .collect();
    items.extend(
        HasilItemId::ALL
            .into_iter()
            .map(|id| (id.to_string(), of(vec![id.to_string()]))),
    );
    items
}

/// A strong self-assessment: the best option everywhere but every fifth
/// question one step lower, every count 10 of 10, good survey indices.
fn demo_answers(rubric: &RubricVersion) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    for (n, question) in rubric.questions().enumerate() {
        let options = question.answer_type.options();
        if let Some(answer) = options.get(usize::from(n % 5 == 4 && options.len() > 1)) {
            values.insert(question.code.to_string(), answer.as_str().to_owned());
        }
        for input in &question.inputs {
            if matches!(input.kind, InputKind::Entered) {
                values.insert(input.code.to_string(), "10".to_owned());
            }
        }
    }
    for (id, value) in [
        (HasilItemId::Ipak, "3,62"),
        (HasilItemId::Capaian, "B"),
        (HasilItemId::Ipkp, "3,71"),
    ] {
        values.insert(id.to_string(), value.to_owned());
    }
    values
}

/// The whole year open, so a first look can go from answering to submitting
/// whatever the date (real periods use the usual January–May calendar).
fn demo_calendar(year: Year) -> Result<PeriodDates, AppError> {
    let day = |month, day| Day::new(year.value(), month, day).map_err(|_| AppError::Internal);
    PeriodDates::new(
        day(1, 1)?,
        day(12, 31)?,
        day(1, 1)?,
        day(12, 31)?,
        day(12, 31)?,
    )
    .map_err(|_| AppError::Internal)
}

pub fn logins_text() -> String {
    let mut text = String::from("Demo logins (password for all: ");
    text.push_str(DEMO_PASSWORD);
    text.push_str(")\n");
    for (username, full_name, role, unit) in USERS {
        let scope = unit.map(|u| format!(" of {u}")).unwrap_or_default();
        text.push_str(&format!("  {username:<10} {full_name} — {role}{scope}\n"));
    }
    text
}

/// What `zi demo seed` added.
pub struct Loaded {
    pub units: usize,
    pub assessments: usize,
}

/// Adds `count` units (Unit Pelaksana Teknis under one Eselon I unit, `MUATAN`)
/// with WBK assessments in the year's period, for measuring: with `complete`,
/// every LKE answered (varied per unit) and the workflow states spread over
/// the cycle. Writes directly, without audit lines; not for real data.
pub async fn seed_load(
    db: &Db,
    year: i64,
    count: usize,
    complete: bool,
) -> Result<Loaded, AppError> {
    let year = Year::new(year).map_err(|_| AppError::Internal)?;
    let period = {
        let mut conn = db.acquire().await?;
        db::periods::by_year(&mut conn, year).await?
    };
    let period = match period {
        Some(p) => p.id,
        None => {
            periods::create(
                db,
                &Permit::operator(),
                year,
                KEY_90_2021,
                demo_calendar(year)?,
            )
            .await?
        }
    };
    let parent = units::create(
        db,
        &Permit::operator(),
        NewUnit {
            code: UnitCode::parse("MUATAN").map_err(|_| AppError::Internal)?,
            name: UnitName::parse("Unit Uji Muatan").map_err(|_| AppError::Internal)?,
            kind: UnitKind::EselonI,
            parent: None,
        },
    )
    .await?;
    // Bulk inserts: 10,000 units take seconds, not minutes.
    let now = db::now_ms();
    let text = |s: &str| Cell::Text(Some(s.to_owned()));
    let mut units = Vec::with_capacity(count);
    let mut assessments = Vec::with_capacity(count + 1);
    for n in 1..=count {
        let unit = db::new_id();
        units.push(vec![
            text(&unit),
            text(&format!("MUATAN-{n:04}")),
            text(&format!("Unit Pelaksana Teknis {n:04}")),
            text(UnitKind::Upt.as_str()),
            text(parent.as_str()),
            Cell::Int(1),
            Cell::Int(now),
        ]);
        assessments.push((db::new_id(), unit));
    }
    // The parent has its assessment too, first (as `create_assessments` over the subtree gives).
    assessments.insert(0, (db::new_id(), parent.as_str().to_owned()));
    let assessments: Vec<(String, String, AssessmentState)> = assessments
        .into_iter()
        .enumerate()
        .map(|(n, (id, unit))| {
            let state = if complete {
                spread_state(n)
            } else {
                AssessmentState::Draft
            };
            (id, unit, state)
        })
        .collect();
    let rubric = builtin_90_2021_ref();
    let (_, gates) = db::rubrics::get(&mut *db.acquire().await?, KEY_90_2021)
        .await?
        .ok_or(AppError::Internal)?;
    let mut answers = Vec::new();
    let mut scores = Vec::with_capacity(count);
    for (n, (id, _, _)) in assessments.iter().enumerate() {
        let values = if complete {
            varied_answers(rubric, n)
        } else {
            Vec::new()
        };
        let unit = answers_from_stored(rubric, values.iter().map(|(i, v)| (*i, v.as_str())));
        let nothing = coverage(scored_items(rubric), &BTreeSet::new());
        let score = StoredScore::of(rubric, &gates, Target::Wbk, &unit, None, nothing, 0);
        scores.push((id.clone(), score));
        for (item, value) in values {
            // Fresh assessments: each row is written once, at version 1.
            answers.push(vec![
                text(id),
                Cell::Text(Some(item.to_string())),
                Cell::Text(Some(value)),
                text(""),
                Cell::Int(now),
                Cell::Text(None),
                Cell::Int(1),
            ]);
        }
    }
    let assessment_rows = assessments
        .iter()
        .map(|(id, unit, state)| {
            vec![
                text(id),
                text(unit),
                text(&period),
                text(Target::Wbk.as_str()),
                text(state.as_str()),
                Cell::Int(now),
                Cell::Int(now),
            ]
        })
        .collect();
    let mut tx = db::begin_write(db).await?;
    bulk::insert(
        &mut tx,
        "units",
        &[
            "id",
            "code",
            "name",
            "kind",
            "parent_id",
            "active",
            "created_at",
        ],
        units,
    )
    .await?;
    bulk::insert(
        &mut tx,
        "assessments",
        &[
            "id",
            "unit_id",
            "period_id",
            "target",
            "state",
            "created_at",
            "updated_at",
        ],
        assessment_rows,
    )
    .await?;
    bulk::insert(
        &mut tx,
        "answers",
        &[
            "assessment_id",
            "item_code",
            "value",
            "note",
            "updated_at",
            "updated_by",
            "version",
        ],
        answers,
    )
    .await?;
    db::scores::insert_many(&mut tx, &scores).await?;
    tx.commit().await?;
    let created = assessments.len();
    Ok(Loaded {
        units: count + 1,
        assessments: created,
    })
}

/// A unit's answers: mostly strong, weaker as `n` grows, never the same twice.
fn varied_answers(rubric: &RubricVersion, n: usize) -> Vec<(ItemCode, String)> {
    let mut seed = (n as u64)
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1);
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    let weakness = n % 4;
    let mut out = Vec::new();
    for question in rubric.questions() {
        let options = question.answer_type.options();
        if !options.is_empty() {
            let step = (next() % (weakness + 2)).min(options.len() - 1);
            out.push((
                ItemCode::Question(question.code),
                options[step].as_str().to_owned(),
            ));
        }
        for input in &question.inputs {
            if matches!(input.kind, InputKind::Entered) {
                out.push((ItemCode::Input(input.code), (5 + next() % 6).to_string()));
            }
        }
    }
    let index = |r: usize| format!("{:.2}", 2.8 + (r % 120) as f64 / 100.0);
    out.push((ItemCode::Hasil(HasilItemId::Ipak), index(next())));
    out.push((ItemCode::Hasil(HasilItemId::Ipkp), index(next())));
    out.push((
        ItemCode::Hasil(HasilItemId::Capaian),
        ["A", "B", "C"][next() % 3].to_owned(),
    ));
    out
}

fn spread_state(n: usize) -> AssessmentState {
    match n % 10 {
        0..=3 => AssessmentState::Draft,
        4..=6 => AssessmentState::Submitted,
        7 => AssessmentState::Returned,
        8 => AssessmentState::Finalized,
        _ => AssessmentState::Proposed,
    }
}
