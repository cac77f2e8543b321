//! The original tutorial dispatcher (seed 002, verbatim in tests/fixtures),
//! wired as the tutorial does: a non-proxy integration. CRUD must work
//! through both transports, and its failures must be decoded.

use crate::common;

use common::{outcome, Stack, VIAS};
use serde_json::json;

fn tutorial_stack() -> Stack {
    let state_dir = common::state_dir("tutorial");
    let fixture = common::repo().join("tests/fixtures/tutorial_dispatcher.py");
    common::start(
        &state_dir,
        &[
            "--table",
            "lambda-apigateway",
            "--dispatcher",
            fixture.to_str().unwrap(),
            "--integration",
            "non-proxy",
        ],
    );
    Stack { state_dir }
}

#[test]
fn crud_works_against_the_tutorial_dispatcher() {
    let stack = tutorial_stack();
    let t = "lambda-apigateway";
    for via in VIAS {
        let id = format!("tut-{via}");
        let item = format!(r#"{{"id":"{id}","number":4}}"#);
        let (code, json, err) = outcome(&mut stack.run(via, &["create", "-t", t, "--item", &item]));
        assert_eq!(code, 0, "{via} create: {err}");
        assert_eq!(json["replaced"], false);

        let key = format!("id={id}");
        let (code, json, err) = outcome(&mut stack.run(via, &["read", "-t", t, "--key", &key]));
        assert_eq!(
            (code, json),
            (0, json!({"id": id, "number": 4})),
            "{via} read: {err}"
        );

        let (code, json, err) = outcome(&mut stack.run(
            via,
            &[
                "update",
                "-t",
                t,
                "--key",
                &key,
                "--set",
                "FirstName=Sarvesh",
                "--add",
                "number=1",
            ],
        ));
        assert_eq!(code, 0, "{via} update: {err}");
        assert_eq!(json, json!({"id": id, "number": 5, "FirstName": "Sarvesh"}));

        let (code, json, err) =
            outcome(&mut stack.run(via, &["list", "-t", t, "--where", &format!("id={id}")]));
        assert_eq!(code, 0, "{via} list: {err}");
        assert_eq!(
            json["items"],
            json!([{"id": id, "number": 5, "FirstName": "Sarvesh"}])
        );
        assert!(json.get("ResponseMetadata").is_none());

        let (code, _, err) = outcome(&mut stack.run(via, &["delete", "-t", t, "--key", &key]));
        assert_eq!(code, 0, "{via} delete: {err}");
        let (code, _, _) = outcome(&mut stack.run(via, &["read", "-t", t, "--key", &key]));
        assert_eq!(code, 3, "{via}: gone");

        // The tutorial code raises on a condition failure: decoded, exit 4.
        let item = format!(r#"{{"id":"{id}-c"}}"#);
        assert_eq!(
            outcome(&mut stack.run(via, &["create", "-t", t, "--item", &item, "--if-absent"])).0,
            0
        );
        let (code, _, err) =
            outcome(&mut stack.run(via, &["create", "-t", t, "--item", &item, "--if-absent"]));
        assert_eq!(code, 4, "{via}: {err}");

        // It cannot store floats (boto3 refuses them): reported, with a hint.
        let (code, _, err) = outcome(&mut stack.run(
            via,
            &["create", "-t", t, "--item", r#"{"id":"f","price":4.5}"#],
        ));
        assert_eq!(code, 5, "{via}: {err}");
        assert!(err.contains("Float types are not supported"), "{err}");

        // Its own error for an unknown operation.
        let mut send = stack.run(via, &["send", "-"]);
        send.write_stdin(r#"{"operation":"nope","tableName":"lambda-apigateway"}"#);
        let (code, _, err) = outcome(&mut send);
        assert_eq!(code, 5, "{via}: {err}");
        assert!(err.contains("Unrecognized operation"), "{err}");
    }
    // The tutorial's own Postman bodies.
    let events = common::repo().join("examples/events");
    for name in [
        "create",
        "read",
        "update-attribute",
        "update-firstname",
        "update-lastname",
        "delete",
    ] {
        let path = events.join(format!("{name}.json"));
        let (code, _, err) = outcome(&mut stack.run("api", &["send", path.to_str().unwrap()]));
        assert_eq!(code, 0, "{name}: {err}");
    }
}
