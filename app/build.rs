// A build script talks to cargo through stdout and stops on bad input.
#![allow(clippy::print_stdout, clippy::expect_used)]

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let config = Config::new("id")
        .and_then(|config| config.add_locale("en"))
        .expect("the locale list is valid")
        // Sentences with numbers in them ("kurang 1,20 poin pada …") are built as strings too.
        .parse_options(ParseOptions::new().interpolate_display(true));
    let translations = TranslationsInfos::parse(config)
        .expect("locales/*.json must parse; see the diagnostics above");
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations
        .generate_i18n_module(PathBuf::from(out_dir).join("i18n"))
        .expect("the i18n module must be writable in OUT_DIR");
}
