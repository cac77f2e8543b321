//! The AWS side: region and credentials (which source won, never the
//! secret), the caller's identity (STS GetCallerIdentity, signed here with
//! aws-sigv4) and the clock's skew against AWS's `Date` (SigV4 fails past
//! 5 minutes).

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::ProvideCredentials;

use super::Check;
use crate::context::Settings;

/// SigV4's tolerance: past it every signed request fails.
const MAX_SKEW_SECS: i64 = 300;

pub async fn checks(settings: &Settings) -> Vec<Check> {
    let mut checks = Vec::new();
    let profile = named_profile(settings);
    if let Some(name) = &profile {
        checks.push(profile_check(name));
    }
    let mut loader =
        aws_config::defaults(BehaviorVersion::latest()).http_client(crate::aws_http::client());
    if let Some(name) = &settings.profile {
        loader = loader.profile_name(name);
    }
    if let Some(region) = &settings.region {
        loader = loader.region(Region::new(region.clone()));
    }
    let sdk = loader.load().await;
    checks.push(region_check(settings, &sdk, profile.as_deref()));
    let credentials = credentials_check(&sdk, profile.as_deref()).await;
    let have_credentials = credentials.ok;
    checks.push(credentials);
    if have_credentials && sdk.region().is_some() {
        checks.extend(identity_and_clock(&sdk).await);
    }
    checks
}

/// The profile asked for by name (--profile, else AWS_PROFILE).
fn named_profile(settings: &Settings) -> Option<String> {
    settings
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
}

/// The AWS config and credentials files (their standard variables, else ~/.aws/).
fn profile_files() -> Vec<(std::path::PathBuf, bool)> {
    let home = std::env::var_os("HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    let file = |var: &str, default: &str| {
        std::env::var_os(var)
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| home.join(".aws").join(default))
    };
    vec![
        (file("AWS_CONFIG_FILE", "config"), true),
        (file("AWS_SHARED_CREDENTIALS_FILE", "credentials"), false),
    ]
}

/// A named profile must exist in one of the files (`[profile NAME]` in the
/// config file, `[NAME]` in either).
fn profile_check(name: &str) -> Check {
    let files = profile_files();
    let found = files.iter().any(|(path, is_config)| {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        text.lines().map(str::trim).any(|line| {
            line == format!("[{name}]") || (*is_config && line == format!("[profile {name}]"))
        })
    });
    let where_ = files
        .iter()
        .map(|(p, _)| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" or ");
    match found {
        true => Check::pass("profile", format!("profile `{name}` found")),
        false => Check::fail(
            "profile",
            format!("profile `{name}` is not in {where_}"),
            format!("create it (`aws configure --profile {name}`), or pass an existing one with --profile / AWS_PROFILE"),
        ),
    }
}

fn region_check(settings: &Settings, sdk: &SdkConfig, profile: Option<&str>) -> Check {
    let Some(region) = sdk.region() else {
        return Check::fail(
            "region",
            "no AWS region: not from --region, AWS_REGION, AWS_DEFAULT_REGION or a profile",
            "pass --region eu-west-1, export AWS_REGION=eu-west-1, or `aws configure set region eu-west-1`",
        );
    };
    let env = |var: &str| std::env::var(var).ok().filter(|v| !v.is_empty());
    let source = if settings.region.is_some() {
        "--region".to_string()
    } else if env("AWS_REGION").is_some() {
        "AWS_REGION".to_string()
    } else if env("AWS_DEFAULT_REGION").is_some() {
        "AWS_DEFAULT_REGION".to_string()
    } else {
        format!("profile `{}`", profile.unwrap_or("default"))
    };
    Check::pass("region", format!("{region} (from {source})"))
}

async fn credentials_check(sdk: &SdkConfig, profile: Option<&str>) -> Check {
    let fix = "configure credentials: `aws configure` (or `aws sso login`), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or --profile NAME";
    let Some(provider) = sdk.credentials_provider() else {
        return Check::fail("credentials", "no credentials provider", fix);
    };
    let resolved =
        tokio::time::timeout(Duration::from_secs(10), provider.provide_credentials()).await;
    match resolved {
        Ok(Ok(creds)) => {
            let key = creds.access_key_id();
            let shown = match key.len() {
                n if n > 8 => format!("{}…{}", &key[..4], &key[n - 4..]),
                _ => "…".to_string(),
            };
            let source = if std::env::var_os("AWS_ACCESS_KEY_ID").is_some() {
                "the environment (AWS_ACCESS_KEY_ID)".to_string()
            } else {
                format!(
                    "profile `{}` (or the instance/container role)",
                    profile.unwrap_or("default")
                )
            };
            Check::pass("credentials", format!("access key {shown} from {source}"))
        }
        Ok(Err(e)) => Check::fail(
            "credentials",
            format!("none resolve: {}", crate::error::chain_text(&e)),
            fix,
        ),
        Err(_) => Check::fail("credentials", "resolving them took over 10 s", fix),
    }
}

/// STS GetCallerIdentity: the account and caller, and the clock's skew
/// against the answer's `Date`.
async fn identity_and_clock(sdk: &SdkConfig) -> Vec<Check> {
    let region = sdk.region().map(|r| r.to_string()).unwrap_or_default();
    let url = std::env::var("AWS_ENDPOINT_URL_STS")
        .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
        .unwrap_or_else(|_| format!("https://sts.{region}.amazonaws.com/"));
    match caller_identity(sdk, &region, &url).await {
        Ok((identity, skew)) => vec![identity, skew],
        Err(why) => vec![
            Check::fail(
                "identity",
                format!("STS GetCallerIdentity at {url} failed: {why}"),
                "check the network (and a proxy: HTTPS_PROXY), or that the credentials are valid and not expired",
            ),
            Check::fail(
                "clock",
                "not checked: AWS did not answer",
                "fix the identity check first",
            ),
        ],
    }
}

async fn caller_identity(
    sdk: &SdkConfig,
    region: &str,
    url: &str,
) -> Result<(Check, Check), String> {
    let body = b"Action=GetCallerIdentity&Version=2011-06-15";
    let content_type = [("content-type", "application/x-www-form-urlencoded")];
    let provider = sdk.credentials_provider().ok_or("no credentials")?;
    let signed = crate::transport::api::Signed {
        method: "POST",
        service: "sts",
        region,
        url,
        headers: &content_type,
        body,
    };
    let headers = crate::transport::api::sigv4_headers(&provider, &signed)
        .await
        .map_err(|e| e.to_string())?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let mut request = client
        .post(url)
        .header(content_type[0].0, content_type[0].1);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = request
        .body(body.to_vec())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let date = response
        .headers()
        .get("date")
        .and_then(|d| d.to_str().ok())
        .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok());
    let text = response.text().await.map_err(|e| e.to_string())?;
    let clock = skew_check(date.map(|d| d.timestamp()));
    if status != 200 {
        let message = xml_field(&text, "Message").unwrap_or(text.chars().take(200).collect());
        return Err(format!("HTTP {status}: {message}"));
    }
    let account = xml_field(&text, "Account").unwrap_or_default();
    let arn = xml_field(&text, "Arn").unwrap_or_default();
    Ok((
        Check::pass("identity", format!("account {account}, caller {arn}")),
        clock,
    ))
}

/// The clock against AWS's `Date` (seconds since the epoch).
fn skew_check(aws_time: Option<i64>) -> Check {
    let Some(aws_time) = aws_time else {
        return Check::fail(
            "clock",
            "AWS's answer had no Date header",
            "nothing to fix here; run doctor again",
        );
    };
    let skew = chrono::Utc::now().timestamp() - aws_time;
    match skew.abs() <= MAX_SKEW_SECS {
        true => Check::pass("clock", format!("{skew:+} s from AWS's clock (SigV4 allows 5 min)")),
        false => Check::fail(
            "clock",
            format!("{skew:+} s from AWS's clock: every signed request fails past 5 minutes"),
            "synchronise the clock (Linux: `sudo timedatectl set-ntp true`; macOS: System Settings > Date & Time)",
        ),
    }
}

fn xml_field(text: &str, name: &str) -> Option<String> {
    let start = text.find(&format!("<{name}>"))? + name.len() + 2;
    let end = text[start..].find(&format!("</{name}>"))? + start;
    Some(text[start..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_passes_within_five_minutes_only() {
        let now = chrono::Utc::now().timestamp();
        assert!(skew_check(Some(now - 10)).ok);
        assert!(!skew_check(Some(now - 400)).ok);
        assert!(!skew_check(Some(now + 400)).ok);
        assert!(!skew_check(None).ok);
    }

    #[test]
    fn sts_answers_are_read_by_field() {
        let xml = "<GetCallerIdentityResult><Arn>arn:aws:iam::1:user/a</Arn><Account>123</Account></GetCallerIdentityResult>";
        assert_eq!(xml_field(xml, "Account").as_deref(), Some("123"));
        assert_eq!(
            xml_field(xml, "Arn").as_deref(),
            Some("arn:aws:iam::1:user/a")
        );
        assert_eq!(xml_field(xml, "UserId"), None);
    }
}
