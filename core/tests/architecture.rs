//! The house's rule, checked: imports go down, never up (docs/architecture.md).
//!
//! Each file of `core/src` belongs to a part (its folder, or the ground floor for `error`,
//! `clock`, `pdf`, `values` and `files`). The parts stand in the order of [`FLOORS`]; a file may
//! name (`crate::…`) its own part and the parts below it, never one above. The test reads every
//! non-test line of every file and fails on an upward one, naming the file, the line and the
//! line's text. The few upward imports the house still has are listed in [`KNOWN`] with the
//! reason; the list may only shrink (an entry that is no longer needed fails the test too).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The floors, from the ground up. A part may import its own floor and those below.
const FLOORS: &[&[&str]] = &[
    // Values, errors, the clock, PDF drawing, files: no domain part.
    &["ground"],
    // The encrypted store, its migrations, the audit trail, preferences, the demo flag.
    &["store"],
    // The tariff: the dated price list and the yearly cap.
    &["prices"],
    // The calendar, the deadline rules, a case's deadlines from its facts and their stored copy
    // (the case, its list and page show them; the facts are read in SQL, no part imported).
    &["deadlines"],
    // The case: intake, the personal code, places, status, search.
    &["cases"],
    // Casework on one case: assessment, documents, the timeline's own entries.
    &["casework"],
    // Network meetings; the coordinator's own work (tasks, proposals).
    &["meetings"],
    &["work"],
    // Decisions: the annex, the check, the letter, approval.
    &["decisions"],
    // Money: what a referral grants, budgets, confirmations, invoices.
    &["money"],
    // Providers: directory, matching, referrals, partners, the provider report.
    &["providers"],
    // Statistics, then the families' feedback (which shows its figures with statistics' code).
    &["stats"],
    &["feedback"],
    // What the coordinator sees across the parts: the dashboard, the case page.
    &["overview"],
    // Across the parts: signing and delivery, data protection and backups, the demo, team sync.
    &["signing", "trust", "demo", "sync"],
    // The one way in.
    &["desk"],
    // The app around the desk: the session, the benchmark.
    &["app"],
];

/// Upward imports the house still has: (file, the part it names, why). Each is a debt; remove
/// the entry when the import goes.
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "signing/desk.rs",
        "desk",
        "the Desk's signing and delivery methods (`impl Desk`) live beside the signing code; their place is desk/signing.rs",
    ),
    (
        "sync/admin.rs",
        "desk",
        "the Desk's team-lead methods (`impl Desk`) live beside the sync code; their place is desk/team.rs",
    ),
    (
        "sync/background.rs",
        "desk",
        "the stepped sync takes the Desk from its holder between network calls",
    ),
    (
        "sync/desk.rs",
        "desk",
        "the Desk's team methods (`impl Desk`) live beside the sync code; their place is desk/team.rs",
    ),
    (
        "sync/open_case.rs",
        "desk",
        "the Desk's method for opening a colleague's case lives beside the sync code; its place is desk/team.rs",
    ),
    (
        "sync/rejoin.rs",
        "desk",
        "the Desk's restored-desk check lives beside the sync code; its place is desk/team.rs",
    ),
    (
        "sync/steps.rs",
        "desk",
        "the trait the Desk's holders implement, so a sync takes the Desk one local step at a time",
    ),
    (
        "sync/synclog.rs",
        "desk",
        "Desk::team_sync (logged) lives beside the sync code; its place is desk/team.rs",
    ),
];

/// The part a file of `core/src` belongs to, by its path below `core/src`.
fn part_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    Some(match name {
        "lib" | "bin" => return None,
        "error" | "clock" | "pdf" | "values" | "files" => "ground".into(),
        "bench" | "launch" | "logging" => "app".into(),
        other => other.to_string(),
    })
}

/// The part a `crate::NAME` path names.
fn named_part(name: &str) -> String {
    match name {
        "error" | "clock" | "pdf" | "values" | "files" => "ground".into(),
        "Error" | "ErrorPayload" | "FieldError" | "HeldField" | "Localized" | "Result" => {
            "ground".into()
        }
        "KdfParams" | "KeySourceKind" | "KeyStore" | "KeyringStore" | "MemoryKeyStore"
        | "IntegrityReport" | "NewKey" | "Store" => "store".into(),
        "Desk" | "CheckReport" | "CaseFeedback" | "MemoExport" | "ProviderDetail"
        | "StatsOptions" | "StatsView" | "WorkCancel" | "WorkProgress" => "desk".into(),
        "bench" | "launch" | "logging" => "app".into(),
        other => other.to_string(),
    }
}

fn floor(part: &str) -> usize {
    FLOORS
        .iter()
        .position(|f| f.contains(&part))
        .unwrap_or_else(|| panic!("the part {part:?} has no floor in FLOORS: add it"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read core/src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every upward import as (file, named part, "file:line: text").
fn upward_imports(src: &Path) -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for path in files {
        let relative = path.strip_prefix(src).expect("below core/src");
        let Some(part) = part_of(relative) else {
            continue;
        };
        let own = floor(&part);
        let text = std::fs::read_to_string(&path).expect("read");
        let rel = relative.to_string_lossy().replace('\\', "/");
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            // The unit tests at a file's end may reach anywhere.
            if line.starts_with("#[cfg(test)]") {
                break;
            }
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for (i, _) in code.match_indices("crate::") {
                // `srt_core::crate::` cannot occur; a preceding identifier character would be
                // another path (e.g. `my_crate::`).
                if code[..i]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
                {
                    continue;
                }
                let rest = &code[i + "crate::".len()..];
                let names: Vec<String> = if rest.starts_with('{') {
                    // `use crate::{Desk, KeyStore};`, perhaps over several lines.
                    braced_names(rest, &lines[n + 1..])
                } else {
                    vec![rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect()]
                };
                for name in names.into_iter().filter(|n| !n.is_empty()) {
                    let target = named_part(&name);
                    if target != part && floor(&target) > own {
                        found.push((
                            rel.clone(),
                            target,
                            format!("core/src/{rel}:{}: {}", n + 1, line.trim()),
                        ));
                    }
                }
            }
        }
    }
    found
}

/// The first name of each item in a braced import starting at `rest` (`{Desk, b::C}` gives
/// Desk and b), reading on into the following lines until the brace closes.
fn braced_names(rest: &str, following: &[&str]) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut at_item_start = true;
    for c in rest
        .chars()
        .chain(following.iter().flat_map(|l| l.chars().chain(['\n'])))
    {
        match c {
            '{' => {
                depth += 1;
                at_item_start = depth == 1;
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => at_item_start = true,
            c if depth == 1 && at_item_start && (c.is_alphanumeric() || c == '_') => {
                current.push(c)
            }
            _ if depth == 1 && at_item_start && !current.is_empty() => {
                names.push(std::mem::take(&mut current));
                at_item_start = false;
            }
            _ => {}
        }
    }
    if !current.is_empty() {
        names.push(current);
    }
    names
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn imports_go_down_never_up() {
    let found = upward_imports(&src_dir());
    let known: BTreeSet<(&str, &str)> = KNOWN.iter().map(|(f, p, _)| (*f, *p)).collect();
    let new: Vec<&str> = found
        .iter()
        .filter(|(file, target, _)| !known.contains(&(file.as_str(), target.as_str())))
        .map(|(_, _, at)| at.as_str())
        .collect();
    assert!(
        new.is_empty(),
        "imports that go up a floor (see FLOORS in core/tests/architecture.rs and \
         docs/architecture.md; move the code down, or let the part above call the one below):\n{}",
        new.join("\n")
    );
    let gone: Vec<String> = KNOWN
        .iter()
        .filter(|(f, p, _)| {
            !found
                .iter()
                .any(|(file, target, _)| file == f && target == p)
        })
        .map(|(f, p, _)| format!("{f} -> {p}"))
        .collect();
    assert!(
        gone.is_empty(),
        "these known upward imports are gone: remove them from KNOWN: {gone:?}"
    );
}

#[test]
fn every_part_has_a_floor_and_the_ground_floor_names_no_part() {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    for path in &files {
        if let Some(part) = part_of(path.strip_prefix(src_dir()).expect("below")) {
            floor(&part);
        }
    }
    // The ground floor may not even have a known exception.
    assert!(KNOWN
        .iter()
        .all(|(f, _, _)| part_of(Path::new(f)).is_some_and(|p| p != "ground")));
}

/// The checker itself finds an upward import (so a green run means something).
#[test]
fn the_checker_sees_an_upward_import() {
    let dir = tempfile::tempdir().expect("tmp");
    let src = dir.path();
    std::fs::create_dir_all(src.join("cases")).expect("dir");
    std::fs::write(
        src.join("values.rs"),
        "use crate::error::Error;\nfn f() { crate::cases::get(); }\n#[cfg(test)]\nmod tests { use crate::desk::Desk; }\n",
    )
    .expect("write");
    std::fs::write(
        src.join("cases/mod.rs"),
        "use crate::store::audit;\n// crate::desk in a comment\nuse crate::{\n    error::Error,\n    Desk,\n};\n",
    )
    .expect("write");
    let found = upward_imports(src);
    assert_eq!(
        found
            .iter()
            .map(|(f, t, at)| (f.as_str(), t.as_str(), at.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                "cases/mod.rs",
                "desk",
                "core/src/cases/mod.rs:3: use crate::{"
            ),
            (
                "values.rs",
                "cases",
                "core/src/values.rs:2: fn f() { crate::cases::get(); }"
            )
        ]
    );
}
