//! `doctor`: what works on this machine, what does not, and the one-line fix
//! for each. A service: it returns a report and prints nothing.

pub mod aws;
pub mod machine;

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::AppError;

/// One check's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    #[serde(skip)]
    pub name: &'static str,
    pub ok: bool,
    /// What was found (a source, a version, a port's owner; never a secret).
    pub detail: String,
    /// The fix, when it failed.
    pub fix: Option<String>,
}

impl Check {
    pub fn pass(name: &'static str, detail: impl Into<String>) -> Check {
        Check {
            name,
            ok: true,
            detail: detail.into(),
            fix: None,
        }
    }

    pub fn fail(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            name,
            ok: false,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// What `doctor` prints: `{"ok", "local", "checks": {NAME: {"ok", "detail", "fix"}}}`.
#[derive(Debug, Serialize)]
pub struct Report {
    pub ok: bool,
    pub local: bool,
    #[serde(serialize_with = "by_name")]
    pub checks: Vec<Check>,
}

fn by_name<S: serde::Serializer>(checks: &[Check], s: S) -> Result<S::Ok, S::Error> {
    let map: Map<String, Value> = checks
        .iter()
        .map(|c| {
            (
                c.name.to_string(),
                serde_json::to_value(c).expect("a check serialises"),
            )
        })
        .collect();
    map.serialize(s)
}

impl Report {
    pub fn new(local: bool, checks: Vec<Check>) -> Report {
        Report {
            ok: checks.iter().all(|c| c.ok),
            local,
            checks,
        }
    }

    /// The failure deciding the exit code (10: the environment), if any.
    pub fn problem(&self) -> Option<AppError> {
        let failed: Vec<&str> = self
            .checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| c.name)
            .collect();
        (!failed.is_empty()).then(|| {
            AppError::environment(format!(
                "{} check(s) failed: {}; each line above says the fix",
                failed.len(),
                failed.join(", ")
            ))
        })
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for check in &self.checks {
            let mark = if check.ok { "✓" } else { "✗" };
            writeln!(f, "{mark} {:<13} {}", check.name, check.detail)?;
            if let Some(fix) = &check.fix {
                writeln!(f, "  {:<13} fix: {fix}", "")?;
            }
        }
        match self.ok {
            true => write!(f, "all {} checks passed", self.checks.len()),
            false => write!(
                f,
                "{} of {} checks failed",
                self.checks.iter().filter(|c| !c.ok).count(),
                self.checks.len()
            ),
        }
    }
}

/// Runs every check: the local ones always, AWS's unless `local`.
pub async fn run(settings: &crate::context::Settings) -> Report {
    let mut checks = Vec::new();
    if !settings.local {
        checks.extend(aws::checks(settings).await);
    }
    checks.extend(machine::checks().await);
    Report::new(settings.local, checks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_is_keyed_by_check_and_fails_when_one_does() {
        let report = Report::new(
            true,
            vec![
                Check::pass("python", "Python 3.11"),
                Check::fail(
                    "proxy",
                    "HTTP_PROXY captures 127.0.0.1",
                    "export NO_PROXY=127.0.0.1,localhost",
                ),
            ],
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["ok"], false);
        assert_eq!(json["checks"]["python"]["ok"], true);
        assert_eq!(
            json["checks"]["proxy"]["fix"],
            "export NO_PROXY=127.0.0.1,localhost"
        );
        assert_eq!(report.problem().unwrap().exit_code(), 10);
        let text = report.to_string();
        assert!(
            text.contains("✗ proxy") && text.contains("fix: export NO_PROXY"),
            "{text}"
        );
        assert!(Report::new(true, vec![Check::pass("a", "b")])
            .problem()
            .is_none());
    }
}
