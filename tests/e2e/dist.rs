//! `scripts/dist`: the archive holds the binary, completions, man pages,
//! README and LICENSE, its SHA-256 file checks, and the binary runs
//! `--version` and `doctor --local` from a directory with no repository.

use crate::common;

#[test]
fn the_release_archive_runs_on_its_own() {
    let out = common::state_dir("dist");
    let built = std::process::Command::new(common::repo().join("scripts/dist"))
        .args(["--binary", env!("CARGO_BIN_EXE_serverless-crud")])
        .env("DIST_DIR", &out)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let archive = std::path::PathBuf::from(String::from_utf8_lossy(&built.stdout).trim());
    let name = archive.file_name().unwrap().to_str().unwrap().to_string();
    assert!(
        name.starts_with(&format!("serverless-crud-{}-", env!("CARGO_PKG_VERSION"))),
        "{name}"
    );
    let check = std::process::Command::new("sha256sum")
        .args(["-c", &format!("{name}.sha256")])
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    let room = common::state_dir("dist-room");
    let untar = std::process::Command::new("tar")
        .args([
            "-xzf",
            archive.to_str().unwrap(),
            "-C",
            room.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(untar.success());
    let dir = room.join(name.trim_end_matches(".tar.gz"));
    for file in [
        "serverless-crud",
        "README.md",
        "LICENSE",
        "man/serverless-crud-seed.1",
        "completions/serverless-crud.bash",
    ] {
        assert!(dir.join(file).exists(), "{file} in the archive");
    }
    let run = |args: &[&str]| {
        std::process::Command::new(dir.join("serverless-crud"))
            .args(args)
            .current_dir(&room)
            .env("SERVERLESS_CRUD_STATE_DIR", room.join("state"))
            .output()
            .unwrap()
    };
    let version = run(&["--version"]);
    let text = String::from_utf8_lossy(&version.stdout);
    assert!(version.status.success());
    assert!(
        text.contains(env!("CARGO_PKG_VERSION"))
            && text.contains("commit ")
            && text.contains("built "),
        "{text}"
    );
    let doctor = run(&["doctor", "--local", "-o", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&doctor.stdout).unwrap();
    assert!(matches!(doctor.status.code(), Some(0 | 10)), "{report}");
    assert!(report["checks"]["python"].is_object(), "{report}");
}
