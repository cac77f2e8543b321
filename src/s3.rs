//! S3 for DynamoDB's own engines (ImportTable reads from it,
//! ExportTableToPointInTime writes to it): listing, moving files, cleaning
//! up, and errors that name the permission to grant.

use std::path::Path;

use aws_sdk_s3::primitives::ByteStream;

use crate::error::{aws, AppError};

/// An S3 failure; AccessDenied names the action and resource to grant.
pub fn error<E>(
    action: &str,
    bucket: &str,
    key: &str,
    err: &aws_sdk_s3::error::SdkError<
        E,
        aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    >,
) -> AppError
where
    E: std::error::Error + aws_sdk_s3::error::ProvideErrorMetadata + 'static,
{
    let denied = err
        .as_service_error()
        .and_then(|s| s.code())
        .is_some_and(|c| c == "AccessDenied" || c == "AllAccessDisabled");
    let e = aws::error("s3", format!("s3:{action} on s3://{bucket}/{key}"), err);
    if denied {
        e.with_suffix(&format!(
            "\ngrant s3:{action} on arn:aws:s3:::{bucket}/{key}* to the caller (and to DynamoDB's import/export)"
        ))
    } else {
        e
    }
}

/// Checks the bucket is there and ours to use, before any work is done.
pub async fn check_bucket(client: &aws_sdk_s3::Client, bucket: &str) -> Result<(), AppError> {
    check_bucket_name(bucket)?;
    match client.head_bucket().bucket(bucket).send().await {
        Ok(_) => Ok(()),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Err(AppError::not_found(format!(
            "bucket {bucket} does not exist: create it first (aws s3 mb s3://{bucket}), in the table's region"
        ))),
        Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 403) => Err(aws::error(
            "s3",
            format!("s3:ListBucket on s3://{bucket}"),
            &e,
        )
        .with_suffix(&format!("\ngrant s3:ListBucket on arn:aws:s3:::{bucket} to the caller"))),
        Err(e) => Err(error("ListBucket", bucket, "", &e)),
    }
}

/// S3's naming rules for general purpose buckets: 3-63 characters of
/// lowercase letters, digits, dots and hyphens, starting and ending with a
/// letter or digit, no `..`, not an IP address. A name that breaks them can
/// never exist: a usage error, not "does not exist".
pub fn check_bucket_name(bucket: &str) -> Result<(), AppError> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-';
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ip = bucket.split('.').count() == 4
        && bucket
            .split('.')
            .all(|p| !p.is_empty() && p.parse::<u8>().is_ok());
    let problem = if !(3..=63).contains(&bucket.len()) {
        Some("must be 3 to 63 characters long")
    } else if !bucket.chars().all(allowed) {
        Some("may hold only lowercase letters, digits, dots and hyphens")
    } else if !edge(bucket.chars().next()) || !edge(bucket.chars().last()) {
        Some("must start and end with a letter or digit")
    } else if bucket.contains("..") {
        Some("may not hold two dots in a row")
    } else if ip {
        Some("may not be an IP address")
    } else {
        None
    };
    match problem {
        Some(why) => Err(AppError::usage(format!(
            "`{bucket}` is not a valid S3 bucket name: it {why} (S3's bucket naming rules)"
        ))),
        None => Ok(()),
    }
}

/// The keys under `prefix`, every page.
pub async fn list(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    prefix: &str,
) -> Result<Vec<(String, u64)>, AppError> {
    let mut keys = Vec::new();
    let mut token = None;
    loop {
        let out = client
            .list_objects_v2()
            .bucket(bucket)
            .prefix(prefix)
            .set_continuation_token(token)
            .send()
            .await
            .map_err(|e| error("ListBucket", bucket, prefix, &e))?;
        keys.extend(
            out.contents()
                .iter()
                .filter_map(|o| Some((o.key()?.to_string(), o.size().unwrap_or(0).max(0) as u64))),
        );
        token = out.next_continuation_token().map(str::to_string);
        if token.is_none() {
            return Ok(keys);
        }
    }
}

pub async fn upload(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    file: &Path,
) -> Result<(), AppError> {
    let body = ByteStream::from_path(file)
        .await
        .map_err(|e| AppError::io("read", file, std::io::Error::other(e)))?;
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(body)
        .send()
        .await
        .map_err(|e| error("PutObject", bucket, key, &e))?;
    Ok(())
}

/// Streams an object into `file`.
pub async fn download(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    file: &Path,
) -> Result<u64, AppError> {
    use tokio::io::AsyncWriteExt;
    let out = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| error("GetObject", bucket, key, &e))?;
    let mut body = out.body;
    let mut target = tokio::fs::File::create(file)
        .await
        .map_err(|e| AppError::io("create", file, e))?;
    let mut bytes = 0u64;
    while let Some(chunk) = body.try_next().await.map_err(|e| {
        AppError::io(
            "download",
            format!("s3://{bucket}/{key}"),
            std::io::Error::other(e),
        )
    })? {
        bytes += chunk.len() as u64;
        target
            .write_all(&chunk)
            .await
            .map_err(|e| AppError::io("write", file, e))?;
    }
    target
        .flush()
        .await
        .map_err(|e| AppError::io("write", file, e))?;
    Ok(bytes)
}

/// Deletes `keys` (what this tool wrote); a failure is returned for the
/// caller to report, never to stop on.
pub async fn delete(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    keys: &[String],
) -> Result<(), AppError> {
    for key in keys {
        client
            .delete_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| error("DeleteObject", bucket, key, &e))?;
    }
    Ok(())
}

/// `s3://bucket/prefix`.
pub fn url(bucket: &str, prefix: &str) -> String {
    format!("s3://{bucket}/{prefix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names_follow_s3s_rules() {
        for good in ["abc", "my-bucket.data", "scrud-lifecycle", "a1b"] {
            assert!(check_bucket_name(good).is_ok(), "{good}");
        }
        for bad in [
            "Bad_Bucket",
            "../x",
            "ab",
            "-abc",
            "abc-",
            "a..b",
            "192.168.1.1",
            &"a".repeat(64),
        ] {
            let err = check_bucket_name(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(
                err.to_string().contains("not a valid S3 bucket name"),
                "{err}"
            );
        }
    }
}
