//! `doctor`: each check reports what it found, fails with its fix, and
//! decides the exit code (0 all pass, 10 otherwise) — on real machines'
//! faults: no region, a bad profile, a busy port, a Python without venv, a
//! proxy capturing loopback; and a healthy local stack. The STS identity
//! check runs against the local moto.

use crate::common;

use std::path::Path;

use common::{bin, outcome};
use serde_json::Value;

/// `doctor ARGS -o json` with no AWS configuration but what `env` gives
/// (an empty HOME: no profile files).
fn doctor(state_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, Value, String) {
    let home = state_dir.join("doctor-home");
    std::fs::create_dir_all(&home).unwrap();
    let mut cmd = bin(state_dir);
    cmd.env("HOME", &home);
    for var in [
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_ENDPOINT_URL",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "SERVERLESS_CRUD_PYTHON",
    ] {
        cmd.env_remove(var);
    }
    // No instance metadata to wait for.
    cmd.env("AWS_EC2_METADATA_DISABLED", "true");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.args(["doctor", "-o", "json"]).args(args);
    outcome(&mut cmd)
}

fn dir(tag: &str) -> std::path::PathBuf {
    let dir = common::state_dir(tag);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    dir
}

#[test]
fn a_missing_region_and_a_bad_profile_fail_with_their_fix() {
    let d = dir("doc-aws");
    let (code, report, err) = doctor(&d, &[], &[]);
    assert_eq!(code, 10, "{err}");
    assert_eq!(report["ok"], false);
    assert_eq!(report["checks"]["region"]["ok"], false, "{report}");
    assert!(report["checks"]["region"]["fix"]
        .as_str()
        .unwrap()
        .contains("--region"));
    assert_eq!(report["checks"]["credentials"]["ok"], false);
    let (code, report, _) = doctor(&d, &["--profile", "nope"], &[]);
    assert_eq!(code, 10);
    let profile = &report["checks"]["profile"];
    assert_eq!(profile["ok"], false, "{report}");
    assert!(
        profile["detail"].as_str().unwrap().contains("`nope`"),
        "{profile}"
    );
}

#[test]
fn the_identity_and_the_clock_come_from_sts() {
    let shared = common::shared();
    let moto = common::local_status(&shared.state_dir)["moto"]["endpoint"]
        .as_str()
        .unwrap()
        .to_string();
    let d = dir("doc-sts");
    let (_, report, err) = doctor(
        &d,
        &[],
        &[
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY12345"),
            ("AWS_SECRET_ACCESS_KEY", "not-shown-anywhere"),
            ("AWS_ENDPOINT_URL_STS", &moto),
        ],
    );
    let checks = &report["checks"];
    assert_eq!(
        checks["region"]["detail"], "us-east-1 (from AWS_REGION)",
        "{report}"
    );
    let credentials = checks["credentials"]["detail"].as_str().unwrap();
    assert!(
        credentials.contains("AKIA…2345") && credentials.contains("AWS_ACCESS_KEY_ID"),
        "{credentials}"
    );
    assert!(
        !report.to_string().contains("not-shown-anywhere") && !err.contains("not-shown-anywhere")
    );
    assert_eq!(checks["identity"]["ok"], true, "{report}");
    assert!(
        checks["identity"]["detail"]
            .as_str()
            .unwrap()
            .contains("account 123456789012"),
        "{report}"
    );
    assert_eq!(checks["clock"]["ok"], true, "{report}");
}

#[test]
fn a_busy_default_port_fails_and_names_the_flag() {
    let d = dir("doc-port");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let (code, report, _) = doctor(&d, &["--local"], &[("SERVERLESS_CRUD_GATEWAY_PORT", &port)]);
    assert_eq!(code, 10);
    let ports = &report["checks"]["ports"];
    assert_eq!(ports["ok"], false, "{report}");
    assert!(ports["detail"].as_str().unwrap().contains(&port), "{ports}");
    assert!(
        ports["fix"].as_str().unwrap().contains("--gateway-port 0"),
        "{ports}"
    );
    assert!(
        report["checks"].get("region").is_none(),
        "--local makes no AWS check"
    );
}

#[test]
fn a_python_without_venv_is_named_with_the_package_to_install() {
    let d = dir("doc-python");
    // A Python whose `venv` cannot be imported (as Debian's without python3-venv).
    let fake = d.join("python-without-venv");
    std::fs::write(
        &fake,
        "#!/bin/sh\nif [ \"$1\" = -c ]; then exec python3 -c \"import sys; sys.modules['venv'] = None\n$2\"; fi\nexec python3 \"$@\"\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (code, report, _) = doctor(
        &d,
        &["--local"],
        &[("SERVERLESS_CRUD_PYTHON", fake.to_str().unwrap())],
    );
    assert_eq!(code, 10);
    let python = &report["checks"]["python"];
    assert_eq!(python["ok"], false, "{report}");
    assert!(
        python["detail"]
            .as_str()
            .unwrap()
            .contains("no `venv` module"),
        "{python}"
    );
    let fix = python["fix"].as_str().unwrap();
    for system in ["python3-venv", "dnf", "brew"] {
        assert!(fix.contains(system), "{system} in {fix}");
    }
}

#[test]
fn a_proxy_capturing_loopback_fails_until_no_proxy_exempts_it() {
    let d = dir("doc-proxy");
    let (code, report, _) = doctor(&d, &["--local"], &[("HTTP_PROXY", "http://10.0.0.1:3128")]);
    assert_eq!(code, 10);
    assert_eq!(report["checks"]["proxy"]["ok"], false, "{report}");
    assert_eq!(
        report["checks"]["proxy"]["fix"],
        "export NO_PROXY=127.0.0.1,localhost"
    );
    let (_, report, _) = doctor(
        &d,
        &["--local"],
        &[
            ("HTTP_PROXY", "http://10.0.0.1:3128"),
            ("NO_PROXY", "127.0.0.1,localhost"),
        ],
    );
    assert_eq!(report["checks"]["proxy"]["ok"], true, "{report}");
}

#[test]
fn a_healthy_local_stack_passes_every_check() {
    let d = dir("doc-healthy");
    common::start(&d, &[]);
    let status = common::local_status(&d);
    let port = |service: &str| {
        status[service]["endpoint"]
            .as_str()
            .unwrap()
            .rsplit(':')
            .next()
            .unwrap()
            .to_string()
    };
    let (moto, lambda, gateway) = (port("moto"), port("lambda"), port("gateway"));
    let (code, report, err) = doctor(
        &d,
        &["--local"],
        &[
            ("SERVERLESS_CRUD_MOTO_PORT", &moto),
            ("SERVERLESS_CRUD_LAMBDA_PORT", &lambda),
            ("SERVERLESS_CRUD_GATEWAY_PORT", &gateway),
        ],
    );
    assert_eq!(code, 0, "{report} {err}");
    assert_eq!(report["ok"], true);
    assert_eq!(
        report["checks"]["localStack"]["detail"],
        "running and healthy"
    );
    assert!(report["checks"]["ports"]["detail"]
        .as_str()
        .unwrap()
        .contains("the local stack's"));
}
