//! Meeting notes survive a crash: a writer process saves the notes draft over and over, as the
//! meeting page does while the coordinator types, and is killed with SIGKILL in the middle of it.
//! On reopening, the stored draft is the one of the last save the writer had reported done, or a
//! later one, and it is exactly that save's text: nothing acknowledged is lost, nothing is torn.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use srt_core::meetings::{MeetingDraft, MeetingInput, Participant};
use srt_core::{Desk, MemoryKeyStore};

const CHILD_ENV: &str = "SRT_NOTES_WRITER_DB";
const MEETING_ENV: &str = "SRT_NOTES_WRITER_MEETING";
const ROUNDS: usize = 30;

/// The draft as it is after save number `rev`: every save adds a line (and a paragraph break
/// now and then), as typing does; the private notes and decisions change along.
fn draft_at(rev: i64) -> MeetingDraft {
    let mut notes = String::new();
    // The last 1 000 lines only: the notes stay under the field's limit (200 000 characters)
    // however many saves the rounds add up to; a longer text would be refused, not saved.
    for i in (rev - 999).max(1)..=rev {
        notes.push_str(&format!(
            "- rida {i}: ema räägib hommikutest, õde aitab; ÕÄÖÜ šž\n"
        ));
        if i % 7 == 0 {
            notes.push('\n');
        }
    }
    MeetingDraft {
        agenda: "Tutvustus\nEesmärgid".into(),
        notes,
        notes_shared: rev % 2 == 0,
        private_notes: format!("privaatne {rev}"),
        decisions: format!("Otsus {}", rev / 10),
        participants: vec![Participant {
            source: "other".into(),
            name: format!("Osaleja {}", rev % 3),
            role: "teenuseosutaja".into(),
            presence: "present".into(),
            ..Default::default()
        }],
    }
}

/// In the child process: continue from what is stored, save the next draft, report each save
/// once it has returned.
fn writer(db: &str, meeting_id: i64) {
    let mut desk = Desk::open(
        std::path::Path::new(db),
        &MemoryKeyStore::default(),
        Some(PASS),
        "writer",
    )
    .expect("writer opens")
    .with_clock(clock());
    let stored = desk.meeting(meeting_id).expect("meeting");
    let mut rev = stored.draft_rev;
    loop {
        let saved = desk
            .save_meeting_draft(meeting_id, &draft_at(rev + 1))
            .expect("save");
        assert_eq!(saved.rev, rev + 1, "saves are counted one by one");
        rev = saved.rev;
        println!("SAVED {rev}");
    }
}

#[test]
#[cfg(unix)]
fn killing_the_app_while_notes_are_saved_loses_nothing_acknowledged() {
    if let (Ok(db), Ok(meeting)) = (std::env::var(CHILD_ENV), std::env::var(MEETING_ENV)) {
        writer(&db, meeting.parse().expect("meeting id"));
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let (mut desk, path) = new_desk(dir.path());
    let case = desk
        .register_application(&application(CHILD_CODE))
        .expect("register");
    let meeting = desk
        .create_meeting(
            case.id,
            &MeetingInput {
                kind: "first".into(),
                date: "25.11.2026".into(),
                ..Default::default()
            },
        )
        .expect("meeting");
    drop(desk);
    let me = std::env::current_exe().expect("test binary");
    let mut last_acked: i64 = 0;
    let mut seed: u64 = 0x00c0_ffee;
    for round in 0..ROUNDS {
        let mut child = Command::new(&me)
            .args([
                "--exact",
                "killing_the_app_while_notes_are_saved_loses_nothing_acknowledged",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .env(MEETING_ENV, meeting.id.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("SAVED ").and_then(|n| n.parse::<i64>().ok()))
                .last()
        });
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        // Opening takes a moment; then it saves for a while before it is killed.
        std::thread::sleep(Duration::from_millis(150 + (seed >> 33) % 250));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        if let Some(rev) = reader.join().expect("reader") {
            last_acked = last_acked.max(rev);
        }

        let desk = open_desk(&path);
        let report = desk.check().expect("check");
        assert!(
            report.integrity.sqlite_ok && report.integrity.cipher_ok,
            "round {round}: {report:?}"
        );
        assert!(
            report.audit.first_broken_id.is_none(),
            "round {round}: audit chain broken"
        );
        let stored = desk.meeting(meeting.id).expect("meeting after kill");
        assert!(
            stored.draft_rev >= last_acked,
            "round {round}: save {last_acked} was acknowledged but the file holds save {}",
            stored.draft_rev
        );
        let expect = draft_at(stored.draft_rev);
        assert_eq!(
            stored.notes, expect.notes,
            "round {round}: the notes of save {} are not exactly what was saved",
            stored.draft_rev
        );
        assert_eq!(stored.private_notes, expect.private_notes);
        assert_eq!(stored.decisions, expect.decisions);
        assert_eq!(stored.notes_shared, expect.notes_shared);
        assert_eq!(stored.participants, expect.participants);
        last_acked = stored.draft_rev;
    }
    assert!(
        last_acked > ROUNDS as i64,
        "the writer saved only {last_acked} times in {ROUNDS} rounds"
    );
    println!("notes crash test: {ROUNDS} kills, {last_acked} saves, the last acknowledged one always there");
}
