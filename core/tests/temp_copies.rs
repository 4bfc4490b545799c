//! Decrypted temporary copies (a decision PDF opened in the viewer) never outlive the app
//! (issue 26): a run killed before it could remove its folder has it swept at the next start,
//! and only folders whose process is gone are swept, never a running instance's.

use srt_core::launch::{remove_own_temp_folders, sweep_leftover_temp_folders};
use std::path::Path;

fn folder_with_pdf(root: &Path, name: &str) -> std::path::PathBuf {
    let dir = root.join(name).join("7");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("otsus-K000001.pdf"), b"%PDF-1.4 synthetic").expect("write");
    root.join(name)
}

#[test]
fn a_dead_runs_folder_is_swept_and_a_running_instances_is_kept() {
    let root = tempfile::tempdir().expect("tmp");
    let dead = folder_with_pdf(root.path(), "srt-desk-4000001-0a1b2c3d4e5f");
    let running = folder_with_pdf(root.path(), "srt-desk-4000002-abcdefabcdef");
    let own = folder_with_pdf(
        root.path(),
        &format!("srt-desk-{}-001122334455", std::process::id()),
    );
    // Not ours by name: a backup file, another program's folder, a folder with a short tag.
    std::fs::write(
        root.path().join("srt-desk-abc-20261101-090000.srtbackup"),
        b"x",
    )
    .expect("w");
    let other = folder_with_pdf(root.path(), "srt-desk-4000001-notours");
    let foreign = folder_with_pdf(root.path(), "someone-else-4000001-0a1b2c3d4e5f");

    let removed = sweep_leftover_temp_folders(root.path(), |pid| pid == 4000002);
    assert_eq!(
        removed,
        vec![dead.clone()],
        "only the dead run's folder goes"
    );
    assert!(
        !dead.exists(),
        "the decrypted PDF a killed run left is gone"
    );
    assert!(
        running.join("7/otsus-K000001.pdf").exists(),
        "a running instance keeps its copy"
    );
    assert!(
        own.exists(),
        "this process's own folder is not swept at start"
    );
    assert!(other.exists() && foreign.exists());
    assert!(root
        .path()
        .join("srt-desk-abc-20261101-090000.srtbackup")
        .exists());
}

#[test]
fn on_a_signal_the_app_removes_its_own_folders_and_no_others() {
    let root = tempfile::tempdir().expect("tmp");
    let own = folder_with_pdf(
        root.path(),
        &format!("srt-desk-{}-00aa11bb22cc", std::process::id()),
    );
    let running = folder_with_pdf(root.path(), "srt-desk-4000002-abcdefabcdef");
    assert_eq!(remove_own_temp_folders(root.path()), vec![own.clone()]);
    assert!(!own.exists());
    assert!(running.exists(), "another instance's copy stays");
}
