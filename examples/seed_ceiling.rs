//! The backend's ceiling for the seed benchmark: one sequential client
//! sending pre-built BatchWriteItem requests (25 items) as fast as DynamoDB
//! (here: moto) accepts them. No reading, parsing or validation.
//!
//!   cargo run --release --example seed_ceiling -- ENDPOINT TABLE COUNT
//!
//! Prints {"items": N, "seconds": S, "itemsPerSec": R}. Items match
//! examples/bench/seed_bench.py's generator.

use std::collections::HashMap;
use std::time::Instant;

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};

fn item(i: usize) -> HashMap<String, AttributeValue> {
    HashMap::from([
        ("id".to_string(), AttributeValue::S(format!("u{i}"))),
        ("name".to_string(), AttributeValue::S(format!("person {i}"))),
        ("age".to_string(), AttributeValue::N((i % 90).to_string())),
        ("score".to_string(), AttributeValue::N((i * 3).to_string())),
        ("active".to_string(), AttributeValue::Bool(i % 2 == 0)),
    ])
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, endpoint, table, count] = &args[..] else {
        eprintln!("usage: seed_ceiling ENDPOINT TABLE COUNT");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("COUNT is a number");
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "test", "test", None, None, "bench",
        ))
        .load()
        .await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    let batches: Vec<Vec<WriteRequest>> = (0..count)
        .collect::<Vec<_>>()
        .chunks(25)
        .map(|chunk| {
            chunk
                .iter()
                .map(|i| {
                    let put = PutRequest::builder()
                        .set_item(Some(item(*i)))
                        .build()
                        .unwrap();
                    WriteRequest::builder().put_request(put).build()
                })
                .collect()
        })
        .collect();
    let started = Instant::now();
    for batch in batches {
        let mut pending = batch;
        while !pending.is_empty() {
            let out = client
                .batch_write_item()
                .request_items(table, pending)
                .send()
                .await
                .expect("BatchWriteItem");
            pending = out
                .unprocessed_items()
                .and_then(|m| m.get(table.as_str()))
                .cloned()
                .unwrap_or_default();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{{\"items\": {count}, \"seconds\": {seconds:.3}, \"itemsPerSec\": {:.0}}}",
        count as f64 / seconds
    );
}
