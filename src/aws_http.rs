//! The one HTTP client every AWS SDK client uses: rustls on ring (as reqwest
//! uses), the system's trusted certificates. The SDK's default clients are
//! off in Cargo.toml: they would bring a second TLS stack and a C build.

use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

pub fn client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// The client for the local stack (plain HTTP on loopback): no trusted
/// certificates. Loading the system's (~140 files, parsed) was the largest
/// cost of a local `--via lambda` command (3–4 ms of 10); an `https://`
/// endpoint fails verification rather than being trusted.
pub fn loopback_client() -> SharedHttpClient {
    let no_roots = tls::TlsContext::builder()
        .with_trust_store(tls::TrustStore::empty().with_native_roots(false))
        .build()
        .expect("a TLS context without certificates");
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .tls_context(no_roots)
        .build_https()
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn sdk_clients_get_an_https_connector() {
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(super::client())
            .region(aws_config::Region::new("eu-west-1"))
            .credentials_provider(aws_credential_types::Credentials::new(
                "a", "b", None, None, "test",
            ))
            .endpoint_url("https://127.0.0.1:9")
            .load()
            .await;
        let client = aws_sdk_dynamodb::Client::new(&sdk);
        let err = client.list_tables().send().await.unwrap_err();
        // A connection attempt that failed, not a client without a connector.
        let text = format!("{:?}", err);
        assert!(text.contains("DispatchFailure"), "{text}");
        assert!(!text.contains("no HTTP client"), "{text}");
    }
}
