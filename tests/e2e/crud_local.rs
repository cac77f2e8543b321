//! Every CRUD subcommand through both transports against the local stack
//! running our dispatcher, with error paths and exit codes.

use crate::common;

use common::{our_stack, outcome, unique, VIAS};
use serde_json::{json, Value};

#[test]
fn ping_answers_pong_through_both_transports() {
    let stack = our_stack();
    for via in VIAS {
        let (code, json, err) = outcome(&mut stack.run(via, &["ping"]));
        assert_eq!(code, 0, "{via}: {err}");
        assert_eq!(json["reply"], "pong");
        assert_eq!(json["via"], via);
        assert!(json["latencyMs"].as_f64().unwrap() > 0.0);
    }
    let (code, json, _) = outcome(&mut stack.run("api", &["ping", "--count", "3"]));
    assert_eq!(code, 0);
    assert_eq!(json["count"], 3);
    assert!(json["latencyMs"]["max"].as_f64() >= json["latencyMs"]["min"].as_f64());
}

#[test]
fn create_read_update_list_delete_through_both_transports() {
    let stack = our_stack();
    for via in VIAS {
        let id = unique(via);
        let item = format!(r#"{{"id":"{id}","name":"Ana","age":31,"price":4.5}}"#);
        let (code, json, err) =
            outcome(&mut stack.run(via, &["create", "--table", "users", "--item", &item]));
        assert_eq!(code, 0, "{via} create: {err}");
        assert_eq!(json, json!({"table": "users", "replaced": false}));

        let key = format!("id={id}");
        let (code, json, err) =
            outcome(&mut stack.run(via, &["read", "--table", "users", "--key", &key]));
        assert_eq!(code, 0, "{via} read: {err}");
        assert_eq!(
            json,
            json!({"id": id, "name": "Ana", "age": 31, "price": 4.5})
        );

        // `name` is a reserved word: the builder must use placeholders.
        let (code, json, err) = outcome(&mut stack.run(
            via,
            &[
                "update", "--table", "users", "--key", &key, "--set", "name=Bea", "--set",
                "age=32", "--add", "visits=2", "--remove", "price",
            ],
        ));
        assert_eq!(code, 0, "{via} update: {err}");
        assert_eq!(
            json,
            json!({"id": id, "name": "Bea", "age": 32, "visits": 2})
        );

        let filter = format!("id={id}");
        let (code, json, err) =
            outcome(&mut stack.run(via, &["list", "--table", "users", "--where", &filter]));
        assert_eq!(code, 0, "{via} list: {err}");
        assert_eq!(
            json["items"],
            json!([{"id": id, "name": "Bea", "age": 32, "visits": 2}])
        );

        let (code, json, err) =
            outcome(&mut stack.run(via, &["delete", "--table", "users", "--key", &key]));
        assert_eq!(code, 0, "{via} delete: {err}");
        assert_eq!(json["deleted"]["name"], "Bea");

        let (code, _, err) =
            outcome(&mut stack.run(via, &["read", "--table", "users", "--key", &key]));
        assert_eq!(code, 3, "{via}: a deleted item reads as not found");
        assert!(err.contains(&format!("no item with key id={id}")), "{err}");

        let (code, _, err) =
            outcome(&mut stack.run(via, &["delete", "--table", "users", "--key", &key]));
        assert_eq!(code, 3, "{via}: deleting a missing item: {err}");
    }
}

#[test]
fn exact_numbers_round_trip() {
    let stack = our_stack();
    // Through the API: full 38-digit precision, and 0.1.
    // Through direct invoke: 0.1 and 19.99, and (thanks to payloadJson) full precision too.
    for via in VIAS {
        let id = unique("num");
        let item = format!(
            r#"{{"id":"{id}","big":12345678901234567890.123456789,"tenth":0.1,"price":19.99,"huge":-9.9999999999999999999999999999999999999E+125}}"#
        );
        let (code, _, err) =
            outcome(&mut stack.run(via, &["create", "-t", "users", "--item", &item]));
        assert_eq!(code, 0, "{err}");
        for read_via in VIAS {
            let out = stack
                .run(
                    read_via,
                    &["read", "-t", "users", "--key", &format!("id={id}")],
                )
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.contains("\"big\": 12345678901234567890.123456789"),
                "{via}->{read_via}: {text}"
            );
            assert!(text.contains("\"tenth\": 0.1,"), "{text}");
            assert!(text.contains("\"price\": 19.99"), "{text}");
            // Same value; the emulated DynamoDB writes the exponent in lower case.
            assert!(
                text.to_uppercase()
                    .contains("-9.9999999999999999999999999999999999999E+125"),
                "{text}"
            );
        }
    }
    // Numeric keys are typed with :n.
    let (code, _, err) = outcome(&mut stack.run(
        "lambda",
        &[
            "create",
            "-t",
            "numbers",
            "--item",
            r#"{"n": 7, "v": "seven"}"#,
        ],
    ));
    assert_eq!(code, 0, "{err}");
    let (code, json, _) =
        outcome(&mut stack.run("api", &["read", "-t", "numbers", "--key", "n:n=7"]));
    assert_eq!((code, json["v"].clone()), (0, json!("seven")));
}

#[test]
fn conditions_fail_with_exit_4() {
    let stack = our_stack();
    for via in VIAS {
        let id = unique("cond");
        let item = format!(r#"{{"id":"{id}","n":1}}"#);
        let create = ["create", "-t", "users", "--item", &item, "--if-absent"];
        assert_eq!(outcome(&mut stack.run(via, &create)).0, 0);
        let (code, _, err) = outcome(&mut stack.run(via, &create));
        assert_eq!(code, 4, "{via}: second create --if-absent must fail: {err}");
        assert!(err.contains("condition failed"), "{err}");

        let missing = format!("id={id}-missing");
        let (code, _, err) = outcome(&mut stack.run(
            via,
            &[
                "update",
                "-t",
                "users",
                "--key",
                &missing,
                "--set",
                "n=2",
                "--if-exists",
            ],
        ));
        assert_eq!(
            code, 4,
            "{via}: update --if-exists of a missing item: {err}"
        );

        let key = format!("id={id}");
        let guarded = [
            "update",
            "-t",
            "users",
            "--key",
            &key,
            "--set",
            "n=5",
            "--condition",
            "#n = :old",
            "--names",
            r##"{"#n":"n"}"##,
            "--values",
            r#"{":old":1}"#,
        ];
        assert_eq!(
            outcome(&mut stack.run(via, &guarded)).0,
            0,
            "{via}: condition holds"
        );
        assert_eq!(
            outcome(&mut stack.run(via, &guarded)).0,
            4,
            "{via}: condition no longer holds"
        );
    }
}

#[test]
fn dispatcher_errors_are_reported_with_exit_5() {
    let stack = our_stack();
    for via in VIAS {
        let (code, _, err) = outcome(&mut stack.run(
            via,
            &["create", "-t", "not-allowed", "--item", r#"{"id":"1"}"#],
        ));
        assert_eq!(code, 5, "{via}: {err}");
        assert!(
            err.contains("TableNotAllowed") && err.contains("ALLOWED_TABLES"),
            "{err}"
        );

        let mut send = stack.run(via, &["send", "-"]);
        send.write_stdin(r#"{"operation":"explode","tableName":"users"}"#);
        let (code, _, err) = outcome(&mut send);
        assert_eq!(code, 5, "{via}: {err}");
        assert!(
            err.contains("Unrecognized operation") && err.contains("explode"),
            "{err}"
        );

        let (code, _, err) = outcome(&mut stack.run(
            via,
            &[
                "update",
                "-t",
                "users",
                "--key",
                "id=1",
                "--expression",
                "SET oops",
            ],
        ));
        assert_eq!(code, 5, "{via}: invalid expression: {err}");
        assert!(err.contains("ValidationException"), "{err}");
    }
}

#[test]
fn bad_input_is_refused_before_sending_with_exit_2() {
    let stack = our_stack();
    let (code, _, err) = outcome(&mut stack.run(
        "api",
        &["create", "-t", "users", "--item", r#"{"id": "1", }"#],
    ));
    assert_eq!(code, 2);
    assert!(
        err.contains("--item: invalid JSON") && err.contains("line 1 column 13"),
        "{err}"
    );
    let (code, _, err) =
        outcome(&mut stack.run("api", &["create", "-t", "users", "--item", "[1,2]"]));
    assert_eq!(code, 2);
    assert!(err.contains("must be a JSON object"), "{err}");
    let (code, _, err) =
        outcome(&mut stack.run("api", &["read", "-t", "users", "--key", "id:n=abc"]));
    assert_eq!(code, 2);
    assert!(err.contains("`abc` is not a number"), "{err}");
    let (code, _, err) =
        outcome(&mut stack.run("api", &["update", "-t", "users", "--key", "id=1"]));
    assert_eq!(code, 2);
    assert!(err.contains("nothing to update"), "{err}");
    let bad = common::repo().join("tests/fixtures/not-json.txt");
    let (code, _, err) = outcome(&mut stack.run("api", &["send", bad.to_str().unwrap()]));
    assert_eq!(code, 2);
    assert!(err.contains("not-json.txt: invalid JSON"), "{err}");
    let (code, _, _) = outcome(&mut stack.run("api", &["create", "--table", "users"]));
    assert_eq!(code, 2, "clap usage errors exit 2");
}

#[test]
fn unreachable_endpoints_are_transport_errors() {
    let stack = our_stack();
    let mut cmd = common::bin(&stack.state_dir);
    cmd.args([
        "--endpoint",
        "http://127.0.0.1:9/crud",
        "--auth",
        "none",
        "-o",
        "json",
        "ping",
    ]);
    let (code, _, err) = outcome(&mut cmd);
    assert_eq!(code, 6);
    assert!(
        err.contains("cannot connect to http://127.0.0.1:9/crud"),
        "{err}"
    );

    let (code, _, err) =
        outcome(&mut stack.run("lambda", &["--function", "no-such-function", "ping"]));
    assert_eq!(code, 6);
    assert!(err.contains("no-such-function"), "{err}");

    let mut cmd = common::bin(&stack.state_dir);
    cmd.args(["ping"]);
    let (code, _, err) = outcome(&mut cmd);
    assert_eq!(code, 2, "no target at all is a usage error");
    assert!(err.contains("nowhere to send the event"), "{err}");
}

#[test]
fn list_follows_pages_with_all() {
    let stack = our_stack();
    let tag = unique("page");
    for i in 0..7 {
        let item = format!(r#"{{"id":"{tag}-{i}","tag":"{tag}"}}"#);
        assert_eq!(
            outcome(&mut stack.run("lambda", &["create", "-t", "users", "--item", &item])).0,
            0
        );
    }
    let filter = format!("tag={tag}");
    for via in VIAS {
        let (code, json, err) = outcome(&mut stack.run(
            via,
            &[
                "list", "-t", "users", "--where", &filter, "--limit", "2", "--all",
            ],
        ));
        assert_eq!(code, 0, "{err}");
        assert_eq!(json["items"].as_array().unwrap().len(), 7, "{via}: {json}");
        assert_eq!(json["lastEvaluatedKey"], Value::Null);
        let (_, page, _) = outcome(&mut stack.run(via, &["list", "-t", "users", "--limit", "2"]));
        assert!(
            page["lastEvaluatedKey"].is_object(),
            "{via}: one page leaves a key: {page}"
        );
        let start = page["lastEvaluatedKey"].to_string();
        let (code, next, _) = outcome(&mut stack.run(
            via,
            &["list", "-t", "users", "--limit", "2", "--start-key", &start],
        ));
        assert_eq!(code, 0);
        assert_ne!(
            next["items"], page["items"],
            "--start-key moves to the next page"
        );
    }
}

#[test]
fn echo_returns_the_payload_exactly() {
    let stack = our_stack();
    for via in VIAS {
        let out = stack
            .run(
                via,
                &[
                    "echo",
                    "--payload",
                    r#"{"a":[1,2.50,"x"],"n":0.30000000000000000000001}"#,
                ],
            )
            .output()
            .unwrap();
        assert!(out.status.success());
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            v.to_string(),
            r#"{"a":[1,2.50,"x"],"n":0.30000000000000000000001}"#,
            "{via}"
        );
    }
}

#[test]
fn tutorial_events_are_sent_verbatim() {
    let stack = our_stack();
    let events = common::repo().join("examples/events");
    for via in VIAS {
        for name in [
            "create",
            "update-firstname",
            "update-lastname",
            "read",
            "list",
            "ping",
            "echo",
        ] {
            let path = events.join(format!("{name}.json"));
            let (code, _, err) = outcome(&mut stack.run(via, &["send", path.to_str().unwrap()]));
            assert_eq!(code, 0, "{via} {name}: {err}");
        }
        let (code, json, _) = outcome(&mut stack.run(
            via,
            &["read", "-t", "lambda-apigateway", "--key", "id=2377ab"],
        ));
        assert_eq!(
            (code, json),
            (0, json!({"id": "2377ab", "number": 4})),
            "{via}"
        );
    }
}

#[test]
fn dry_run_prints_the_event_and_sends_nothing() {
    let stack = our_stack();
    let id = unique("dry");
    let item = format!(r#"{{"id":"{id}","big":12345678901234567890.123456789}}"#);
    let (code, event, _) = outcome(&mut stack.run(
        "lambda",
        &["--dry-run", "create", "-t", "users", "--item", &item],
    ));
    assert_eq!(code, 0);
    assert_eq!(event["operation"], "create");
    assert_eq!(event["tableName"], "users");
    assert_eq!(event["payload"]["Item"]["id"], json!(id));
    assert!(event["payloadJson"]
        .as_str()
        .unwrap()
        .contains("12345678901234567890.123456789"));
    let (code, event, _) = outcome(&mut stack.run(
        "api",
        &[
            "--dry-run",
            "update",
            "-t",
            "users",
            "--key",
            "id=1",
            "--set",
            "name=Z",
        ],
    ));
    assert_eq!(code, 0);
    assert_eq!(event["payload"]["UpdateExpression"], "SET #_0 = :_0");
    assert_eq!(
        event["payload"]["ExpressionAttributeNames"],
        json!({"#_0": "name"})
    );
    let (code, _, _) = outcome(&mut stack.run(
        "api",
        &["read", "-t", "users", "--key", &format!("id={id}")],
    ));
    assert_eq!(code, 3, "the dry run wrote nothing");
}

#[test]
fn text_output_is_a_table_and_json_is_clean() {
    let stack = our_stack();
    let id = unique("text");
    let item = format!(r#"{{"id":"{id}","name":"Ana"}}"#);
    assert_eq!(
        outcome(&mut stack.run("api", &["create", "-t", "users", "--item", &item])).0,
        0
    );
    let out = common::bin(&stack.state_dir)
        .args([
            "--local",
            "-o",
            "text",
            "read",
            "-t",
            "users",
            "--key",
            &format!("id={id}"),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("attribute") && text.contains("Ana") && text.contains('│'),
        "{text}"
    );
    // -q: nothing on stderr for a successful list.
    let out = common::bin(&stack.state_dir)
        .args([
            "--local", "-q", "-o", "text", "list", "-t", "users", "--limit", "1",
        ])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
