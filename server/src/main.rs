// The command line answers on stdout.
#![allow(clippy::print_stdout)]
use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;

use app::backend::lke::rubric_import::RubricMeta;
use app::domain::lke::YearRange;
use zi::config::{
    Cli, Command, DemoArgs, DemoCommand, EvidenceCommand, LkeCommand, TokenCommand, UserCommand,
};
use zi::startup::{open_database, open_store, Application};
use zi::{cli, demo, telemetry};

fn main() -> ExitCode {
    let args = Cli::parse();
    telemetry::init(args.settings.log_format);
    let runtime = match zi::startup::runtime() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let settings = args.settings;
    match args.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(&settings).await?;
            zi::background::spawn(app.state().db.clone());
            tracing::info!(port = app.port(), "ZI Tracker listening");
            println!(
                "ZI Tracker is running at http://{}:{}/",
                settings.bind.ip(),
                app.port()
            );
            app.run_until_stopped().await?;
        }
        Command::Backup { dir } => {
            let db = open_database(&settings).await?;
            let store = open_store(&settings).await?;
            let summary = cli::backup::backup(&db, store.as_ref(), &dir).await?;
            println!(
                "Backed up {} rows and {} evidence files ({} bytes) into {}.",
                summary.rows.values().sum::<u64>(),
                summary.files,
                summary.bytes,
                dir.display()
            );
        }
        Command::Restore { dir } => {
            let db = open_database(&settings).await?;
            let store = open_store(&settings).await?;
            let summary = cli::backup::restore(&db, store.as_ref(), &dir).await?;
            println!(
                "Restored {} rows and {} evidence files from {}.",
                summary.rows.values().sum::<u64>(),
                summary.files,
                dir.display()
            );
        }
        Command::Evidence(EvidenceCommand::Sweep {
            delete,
            min_age_minutes,
        }) => {
            let db = open_database(&settings).await?;
            let store = open_store(&settings).await?;
            let age = std::time::Duration::from_secs(min_age_minutes * 60);
            let orphans = app::backend::evidence::orphans(&db, store.as_ref(), age).await?;
            let bytes: u64 = orphans.iter().map(|file| file.size).sum();
            if delete {
                for file in &orphans {
                    store.remove(&file.sha256).await?;
                }
                let temporaries = store.sweep_temporaries(age).await?;
                println!(
                    "Removed {} files no evidence names ({bytes} bytes) and {temporaries} unfinished uploads.",
                    orphans.len()
                );
            } else {
                for file in &orphans {
                    println!("{} {}", file.sha256, file.size);
                }
                println!(
                    "{} files no evidence names ({bytes} bytes); run with --delete to remove them.",
                    orphans.len()
                );
            }
        }
        Command::Token(TokenCommand::Create { name, scope }) => {
            let db = open_database(&settings).await?;
            let created = cli::create_token(&db, &name, &scope).await?;
            println!(
                "Created token {} ({}) with scope {}. Copy its secret now; it is not shown again: {}",
                created.token.name, created.token.id, created.token.scope, created.secret
            );
        }
        Command::Migrate => {
            open_database(&settings).await?;
            println!("Database is up to date.");
        }
        Command::User(UserCommand::Create(create)) => {
            // At a terminal the password is typed without echo; piped, it is the first line.
            let password = if std::io::stdin().is_terminal() {
                rpassword::prompt_password("Type the password and press Enter: ")?
            } else {
                cli::read_password(std::io::stdin().lock())?
            };
            let db = open_database(&settings).await?;
            let id = cli::create_user(&db, &create, &password).await?;
            println!("Created user {} ({id}).", create.username);
        }
        Command::Demo(DemoArgs {
            action: Some(DemoCommand::Seed { units, complete }),
        }) => {
            let db = open_database(&settings).await?;
            let year = i64::from(time::OffsetDateTime::now_utc().year());
            let loaded = demo::seed_load(&db, year, units, complete).await?;
            println!(
                "Added {} units and {} assessments.",
                loaded.units, loaded.assessments
            );
        }
        Command::Demo(DemoArgs { action: None }) => {
            let db = open_database(&settings).await?;
            let year = i64::from(time::OffsetDateTime::now_utc().year());
            match demo::seed(&db, year).await? {
                demo::Seeded::Created => {
                    demo::seed_proposed(&db, open_store(&settings).await?.as_ref(), year).await?;
                    println!("Demo data created.");
                }
                demo::Seeded::AlreadyHadData => {
                    println!("The database already has data; demo data not added.")
                }
            }
            print!("{}", demo::logins_text());
        }
        Command::Lke(LkeCommand::Score { file, json, lane }) => {
            println!("{}", cli::lke::score(&file, json, lane)?);
        }
        Command::Lke(LkeCommand::Import {
            file,
            key,
            title,
            legal_basis,
            from_year,
        }) => {
            let db = open_database(&settings).await?;
            let meta = RubricMeta {
                key: key.clone(),
                title,
                legal_basis,
                years: YearRange {
                    from: from_year,
                    to: None,
                },
            };
            for problem in cli::lke::import_rubric(&db, &file, meta).await? {
                println!("{problem}");
            }
            println!("Imported rubric version {key}.");
        }
    }
    Ok(())
}
