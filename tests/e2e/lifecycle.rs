//! The data lifecycle on the local stack: export round-trips with seed
//! (every DynamoDB type, exact numbers), segments through the dispatcher
//! equal a direct export, an interrupted export resumes to the same bytes,
//! teardown keeps a restorable backup (and keeps the table when it cannot),
//! and DynamoDB's own S3 engines round trip. AWS state is read by boto3.

use crate::common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{bin, outcome, Stack};
use serde_json::{json, Value};

fn stack() -> &'static Stack {
    common::shared()
}

fn dir() -> &'static Path {
    &stack().state_dir
}

fn cli(args: &[&str]) -> (i32, Value, String) {
    let mut cmd = bin(dir());
    cmd.args(["--local", "-o", "json"]).args(args);
    outcome(&mut cmd)
}

fn items(command: &str, table: &str, extra: &[&str]) -> Vec<u8> {
    let script = common::repo().join("tests/fixtures/ddb_items.py");
    let mut args = vec![script.to_str().unwrap(), command, table];
    args.extend(extra);
    common::boto3(dir(), &args)
}

/// Every item of `table`, canonical (boto3's view).
fn dump(table: &str) -> Value {
    serde_json::from_slice(&items("dump", table, &[])).unwrap()
}

fn work_dir(tag: &str) -> PathBuf {
    let path = dir().join(format!("work-{tag}"));
    std::fs::create_dir_all(&path).unwrap();
    path
}

fn sorted_lines(bytes: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

fn gunzip(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn every_type_survives_export_to_ddb_jsonl_and_seed_back() {
    items("put-every", "types_a", &[]);
    let work = work_dir("types");
    let file = work.join("types.ddb.jsonl");
    let (code, summary, err) = cli(&[
        "export",
        "--table",
        "types_a",
        "--file",
        file.to_str().unwrap(),
        "--segments",
        "3",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["items"], 40, "{summary}");
    assert_eq!(summary["format"], "ddb-jsonl");
    // Through the dispatcher's typed batch (not --direct): the contract path.
    let (code, seeded, err) = cli(&[
        "seed",
        "--table",
        "types_b",
        "--file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(seeded["written"], 40, "{seeded}");
    assert_eq!(seeded["backend"], "dispatcher batch (DynamoDB JSON)");
    let (a, b) = (dump("types_a"), dump("types_b"));
    assert_eq!(a.as_array().unwrap().len(), 40);
    assert_eq!(a, b, "the copy differs from the original");
    // The same file gzipped reads back too (AWS's export files are .gz).
    let gz = work.join("types.ddb.jsonl.gz");
    let (code, _, err) = cli(&[
        "export",
        "--table",
        "types_a",
        "--file",
        gz.to_str().unwrap(),
        "--direct",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        sorted_lines(&gunzip(&gz)),
        sorted_lines(&std::fs::read(&file).unwrap())
    );
    let (code, seeded, err) = cli(&[
        "seed",
        "--table",
        "types_b",
        "--file",
        gz.to_str().unwrap(),
        "--direct",
    ]);
    assert_eq!((code, seeded["written"].as_u64()), (0, Some(40)), "{err}");
    assert_eq!(dump("types_b"), a);
}

#[test]
fn plain_jsonl_export_writes_38_digit_numbers_exactly() {
    items("put-numbers", "nums", &["10000"]);
    let work = work_dir("nums");
    let file = work.join("nums.jsonl");
    let (code, summary, err) = cli(&[
        "export",
        "--table",
        "nums",
        "--file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["items"], 10000, "{summary}");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut seen = BTreeSet::new();
    for line in text.lines() {
        // The number's own text, as written (serde_json keeps it exact).
        let item: Value = serde_json::from_str(line).unwrap();
        let i: u32 = item["id"].as_str().unwrap()[1..].parse().unwrap();
        assert_eq!(
            item["n"].to_string(),
            format!("12345678901234567890123456789012{i:06}"),
            "{line}"
        );
        let small = item["small"].to_string();
        let expected = format!("0.{:037}", i + 1);
        assert!(
            small == expected || same_decimal(&small, &expected),
            "{small} != {expected}"
        );
        seen.insert(i);
    }
    assert_eq!(seen.len(), 10000);

    // Through the dispatcher with several segments = a direct export.
    let direct = work.join("direct.jsonl");
    let (code, _, err) = cli(&[
        "export",
        "--table",
        "nums",
        "--file",
        direct.to_str().unwrap(),
        "--direct",
        "--segments",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    let segmented = work.join("segmented.jsonl");
    let (code, summary, err) = cli(&[
        "export",
        "--table",
        "nums",
        "--file",
        segmented.to_str().unwrap(),
        "--segments",
        "5",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["engine"], "dispatcher list");
    assert_eq!(
        sorted_lines(&std::fs::read(&segmented).unwrap()),
        sorted_lines(&std::fs::read(&direct).unwrap())
    );
}

/// `0.000…1` may come back as `1E-37`: the same decimal, compared exactly.
fn same_decimal(a: &str, b: &str) -> bool {
    fn digits(t: &str) -> (String, i64) {
        let t = t.to_ascii_lowercase();
        let (mantissa, exp) = t.split_once('e').unwrap_or((&t, "0"));
        let exp: i64 = exp.parse().unwrap();
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all = format!("{int}{frac}");
        let lead = all.len() - all.trim_start_matches('0').len();
        let sig = all
            .trim_start_matches('0')
            .trim_end_matches('0')
            .to_string();
        (sig, exp + int.len() as i64 - 1 - lead as i64)
    }
    digits(a) == digits(b)
}

#[test]
fn an_interrupted_export_resumes_to_the_same_file() {
    items("put-numbers", "resume_t", &["3000"]);
    let work = work_dir("resume");
    let whole = work.join("whole.jsonl");
    let (code, _, err) = cli(&[
        "export",
        "--table",
        "resume_t",
        "--file",
        whole.to_str().unwrap(),
        "--direct",
        "--segments",
        "1",
        "--page-size",
        "25",
    ]);
    assert_eq!(code, 0, "{err}");

    let cut = work.join("cut.jsonl");
    let args = [
        "--local",
        "-o",
        "json",
        "export",
        "--table",
        "resume_t",
        "--file",
        cut.to_str().unwrap(),
        "--direct",
        "--segments",
        "1",
        "--page-size",
        "25",
    ];
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_serverless-crud"))
        .args(args)
        .env("SERVERLESS_CRUD_STATE_DIR", dir())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once a few pages are in the part file.
    let part = work.join("cut.jsonl.part");
    let started = Instant::now();
    while std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0) < 20_000 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the export never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert_eq!(
        out.status.code(),
        Some(8),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(summary["complete"], false, "{summary}");
    assert!(summary["checkpoint"].is_string(), "{summary}");
    assert!(!cut.exists(), "an incomplete export must not look finished");
    let written = summary["items"].as_u64().unwrap();
    assert!(written > 0 && written < 3000, "{summary}");

    let (code, resumed, err) = cli(&[
        "export",
        "--table",
        "resume_t",
        "--file",
        cut.to_str().unwrap(),
        "--direct",
        "--segments",
        "1",
        "--page-size",
        "25",
        "--resume",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(resumed["items"], 3000, "{resumed}");
    assert_eq!(std::fs::read(&cut).unwrap(), std::fs::read(&whole).unwrap());
    // A resumed export with other options is refused, not mixed in.
    let (code, _, err) = cli(&[
        "export",
        "--table",
        "resume_t",
        "--file",
        cut.to_str().unwrap(),
        "--resume",
    ]);
    assert_eq!(code, 2, "{err}");
    // An existing file is not replaced without --force.
    let (code, _, err) = cli(&[
        "export",
        "--table",
        "resume_t",
        "--file",
        cut.to_str().unwrap(),
        "--direct",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--force"), "{err}");
}

/// `export ARGS` as a child process (to interrupt it, or race it).
fn spawn_export(args: &[&str]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_serverless-crud"))
        .args(["--local", "-o", "json", "export"])
        .args(args)
        .env("SERVERLESS_CRUD_STATE_DIR", dir())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until `path` holds at least `bytes`.
fn wait_for_bytes(path: &Path, bytes: u64) {
    let started = Instant::now();
    while std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) < bytes {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{} never grew",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn only_regular_files_are_replaced_and_one_export_writes_a_file_at_a_time() {
    items("put-numbers", "dest_t", &["3000"]);
    let work = work_dir("dest");
    let export = |file: &str| {
        cli(&[
            "export", "--table", "dest_t", "--file", file, "--direct", "--force",
        ])
    };
    // A device: refused before anything starts; /dev/null stays a device.
    let (code, _, err) = export("/dev/null");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    // A FIFO, and a directory: the same, at once.
    let fifo = work.join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let (code, _, err) = export(fifo.to_str().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let folder = work.join("folder");
    std::fs::create_dir_all(&folder).unwrap();
    let started = Instant::now();
    let (code, _, err) = export(folder.to_str().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is a directory"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "refused before exporting"
    );
    assert!(!work.join("folder.part").exists());

    // Two exports to one file: the second is refused, naming the first.
    let shared = work.join("shared.jsonl");
    let first = spawn_export(&[
        "--table",
        "dest_t",
        "--file",
        shared.to_str().unwrap(),
        "--direct",
        "--page-size",
        "5",
    ]);
    wait_for_bytes(&work.join("shared.jsonl.part"), 1);
    let (code, _, err) = cli(&[
        "export",
        "--table",
        "resume_t",
        "--file",
        shared.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("another export (process {})", first.id())),
        "{err}"
    );
    let out = first.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&shared).unwrap();
    assert_eq!(
        text.lines().count(),
        3000,
        "the file holds the first export only"
    );
}

#[test]
fn an_export_to_a_closed_pipe_names_standard_output() {
    items("put-numbers", "dest_t", &["3000"]);
    for format in ["jsonl", "csv"] {
        let mut child = spawn_export(&[
            "--table",
            "dest_t",
            "--file",
            "-",
            "--format",
            format,
            "--direct",
            "--page-size",
            "100",
        ]);
        // The reader takes one line and goes, as `| head -1` does.
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{format}: {err}");
        assert!(err.contains("standard output"), "{format}: {err}");
        assert!(
            !err.contains("staging"),
            "{format}: not a staging file: {err}"
        );
    }
}

#[test]
fn a_resumed_export_refuses_a_part_file_edited_in_place() {
    items("put-numbers", "dest_t", &["3000"]);
    let work = work_dir("edited");
    let cut = work.join("cut.jsonl");
    let args = [
        "--table",
        "dest_t",
        "--file",
        cut.to_str().unwrap(),
        "--direct",
        "--page-size",
        "25",
    ];
    let child = spawn_export(&args);
    let part = work.join("cut.jsonl.part");
    wait_for_bytes(&part, 20_000);
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(8),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Same size, other content: one digit changed.
    let mut bytes = std::fs::read(&part).unwrap();
    let at = bytes.iter().position(u8::is_ascii_digit).unwrap();
    bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
    std::fs::write(&part, &bytes).unwrap();
    let mut resume: Vec<&str> = args.to_vec();
    resume.push("--resume");
    let mut cli_args = vec!["export"];
    cli_args.extend(resume);
    let (code, _, err) = cli(&cli_args);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("holds other content"), "{err}");
    assert!(!cut.exists());
}

/// A stack of its own with `table` holding the every-type items.
fn stack_with_data(stack: &str, table: &str) -> Value {
    let (code, _, err) = cli(&["--stack", stack, "setup", "--table", table]);
    assert_eq!(code, 0, "{err}");
    items("put-every", table, &[]);
    dump(table)
}

fn table_exists(table: &str) -> bool {
    let tables = common::aws(dir(), "dynamodb", "list_tables", json!({}));
    tables["TableNames"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == table)
}

#[test]
fn teardown_backs_up_what_it_deletes_and_seed_restores_it() {
    let original = stack_with_data("keep", "keep_t");
    let (code, report, err) = cli(&["--stack", "keep", "teardown", "--yes"]);
    assert_eq!(code, 0, "{err}");
    let backups = report["backups"].as_array().unwrap();
    assert_eq!(backups.len(), 1, "{report}");
    assert_eq!(backups[0]["table"], "keep_t");
    assert_eq!(backups[0]["items"], 40);
    let file = PathBuf::from(backups[0]["file"].as_str().unwrap());
    assert!(
        file.starts_with(dir().join("backups").join("keep")),
        "{}",
        file.display()
    );
    assert!(file.to_str().unwrap().ends_with(".ddb.jsonl.gz"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(!table_exists("keep_t"));
    assert!(report["backups"][0]["restore"]
        .as_str()
        .unwrap()
        .contains("seed"));

    // The restore it printed: the stack again, then seed from the backup.
    let (code, _, err) = cli(&["--stack", "keep", "setup", "--table", "keep_t"]);
    assert_eq!(code, 0, "{err}");
    let (code, seeded, err) = cli(&[
        "--stack",
        "keep",
        "seed",
        "--table",
        "keep_t",
        "--file",
        file.to_str().unwrap(),
    ]);
    assert_eq!((code, seeded["written"].as_u64()), (0, Some(40)), "{err}");
    assert_eq!(dump("keep_t"), original);

    // --no-backup: deleted with no copy.
    let before = std::fs::read_dir(file.parent().unwrap()).unwrap().count();
    let (code, report, err) = cli(&["--stack", "keep", "teardown", "--yes", "--no-backup"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["backups"], json!([]));
    assert!(!table_exists("keep_t"));
    assert_eq!(
        std::fs::read_dir(file.parent().unwrap()).unwrap().count(),
        before
    );
}

#[test]
fn a_failing_backup_keeps_the_table() {
    let original = stack_with_data("fails", "fails_t");
    // The backup directory cannot be created (a file is in the way).
    let blocker = work_dir("fails").join("not-a-dir");
    std::fs::write(&blocker, b"x").unwrap();
    let bad_dir = blocker.join("backups");
    let (code, report, err) = cli(&[
        "--stack",
        "fails",
        "teardown",
        "--yes",
        "--backup-dir",
        bad_dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 9, "{err}");
    let remaining = report["remaining"].as_array().unwrap();
    assert_eq!(remaining.len(), 1, "{report}");
    assert_eq!(remaining[0]["name"], "fails_t");
    assert!(table_exists("fails_t"));
    assert_eq!(dump("fails_t"), original);
    // Larger than --backup-max: kept, saying how to proceed.
    let (code, _, err) = cli(&[
        "--stack",
        "fails",
        "teardown",
        "--yes",
        "--backup-max",
        "100B",
    ]);
    assert_eq!(code, 9, "{err}");
    assert!(
        err.contains("--backup-max") || err.contains("kept"),
        "{err}"
    );
    assert!(
        err.contains("over --backup-max 100 B"),
        "the limit as given: {err}"
    );
    assert_eq!(dump("fails_t"), original);
    // --backup aws: an on-demand backup AWS keeps, then the table goes.
    let (code, report, err) = cli(&["--stack", "fails", "teardown", "--yes", "--backup", "aws"]);
    assert_eq!(code, 0, "{err}");
    let arn = report["backups"][0]["backupArn"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!table_exists("fails_t"));
    let described = common::aws(
        dir(),
        "dynamodb",
        "describe_backup",
        json!({"BackupArn": arn}),
    );
    assert_eq!(
        described["BackupDescription"]["BackupDetails"]["BackupStatus"],
        "AVAILABLE"
    );
}

#[test]
fn a_backup_that_cannot_be_written_keeps_the_table_and_says_what_to_do() {
    stack_with_data("full", "full_t");
    items("put-numbers", "full_t", &["3000"]);
    // Files over 20 KB cannot be written (as on a full disk; state files fit).
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_serverless-crud"));
    cmd.args([
        "--local", "-o", "json", "--stack", "full", "teardown", "--yes",
    ])
    .env("SERVERLESS_CRUD_STATE_DIR", dir());
    use std::os::unix::process::CommandExt;
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 20_000,
                rlim_max: 20_000,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(9), "{err}");
    assert!(table_exists("full_t"));
    assert!(err.contains("the backup of full_t failed"), "{err}");
    assert!(err.contains("run the same teardown again"), "{err}");
    assert!(!err.contains("--resume"), "teardown has no --resume: {err}");
    let (code, _, err) = cli(&["--stack", "full", "teardown", "--yes"]);
    assert_eq!(code, 0, "then it goes: {err}");
}

#[test]
fn s3_import_and_s3_export_round_trip() {
    common::aws(
        dir(),
        "s3",
        "create_bucket",
        json!({"Bucket": "scrud-lifecycle"}),
    );
    let work = work_dir("s3");
    let input = work.join("big.jsonl");
    let mut text = String::new();
    for i in 0..2000 {
        text.push_str(&format!(
            "{{\"id\":\"k{i:05}\",\"n\":123456789012345678901234567890123{i:05},\"tags\":[\"a\",{i}],\"m\":{{\"x\":true}}}}\n"
        ));
    }
    text.push_str("{\"id\": 7}\n"); // a bad key: rejected before upload
    std::fs::write(&input, &text).unwrap();
    let (code, summary, err) = cli(&[
        "seed",
        "--table",
        "s3_t",
        "--file",
        input.to_str().unwrap(),
        "--engine",
        "s3-import",
        "--bucket",
        "scrud-lifecycle",
        "--key-attr",
        "id:S",
    ]);
    assert_eq!(code, 7, "{err}");
    assert_eq!(
        (summary["imported"].as_u64(), summary["rejected"].as_u64()),
        (Some(2000), Some(1)),
        "{summary}"
    );
    let count = common::aws(
        dir(),
        "dynamodb",
        "scan",
        json!({"TableName": "s3_t", "Select": "COUNT"}),
    );
    assert_eq!(count["Count"], 2000);
    // ImportTable only creates tables: a second import is refused.
    let (code, _, err) = cli(&[
        "seed",
        "--table",
        "s3_t",
        "--file",
        input.to_str().unwrap(),
        "--engine",
        "s3-import",
        "--bucket",
        "scrud-lifecycle",
        "--key-attr",
        "id:S",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("ImportTable only creates tables"), "{err}");

    let output = work.join("back.jsonl");
    let (code, summary, err) = cli(&[
        "export",
        "--table",
        "s3_t",
        "--engine",
        "s3-export",
        "--bucket",
        "scrud-lifecycle",
        "--file",
        output.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["items"], 2000, "{summary}");
    let mut expected: Vec<Value> = text
        .lines()
        .take(2000)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut got: Vec<Value> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let key = |v: &Value| v["id"].as_str().unwrap().to_string();
    expected.sort_by_key(key);
    got.sort_by_key(key);
    assert_eq!(got, expected);
    // Nothing of ours is left in the bucket.
    let listed = common::aws(
        dir(),
        "s3",
        "list_objects_v2",
        json!({"Bucket": "scrud-lifecycle"}),
    );
    assert_eq!(listed["KeyCount"], 0, "{listed}");
}
