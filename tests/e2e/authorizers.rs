//! Lambda authorizers through the local gateway, set up by the real CLI
//! (`setup --auth lambda`): AWS's outcomes for each answer of the
//! authorizer (bodies and error types as recorded on AWS), the result
//! cache and its TTL, the REQUEST event, the CLI's `--token`, and
//! teardown leaving nothing (boto3).

use serde_json::{json, Value};

use crate::common::{self, aws, inventory, raw_request, RawReply};
use crate::gateway::{cli, setup, stack, url_of};

fn rules() -> String {
    common::repo()
        .join("tests/fixtures/rules_authorizer.py")
        .display()
        .to_string()
}

fn probe() -> String {
    common::repo()
        .join("tests/fixtures/probe_dispatcher.py")
        .display()
        .to_string()
}

/// POST `body` to `url` with `Authorization: Bearer TOKEN` (none for "").
fn call(url: &str, method: &str, token: &str, body: &str) -> RawReply {
    let headers: Vec<(String, String)> = match token {
        "" => Vec::new(),
        t => vec![("Authorization".into(), format!("Bearer {t}"))],
    };
    raw_request(url, method, &headers, body.as_bytes())
}

/// `requestContext.authorizer` of the event the probe dispatcher echoed.
fn authorizer_seen(reply: &RawReply) -> Value {
    assert_eq!(reply.status, 200, "{}", reply.text());
    let event: Value = serde_json::from_slice(&reply.body).unwrap();
    event["requestContext"]["authorizer"].clone()
}

fn refused(reply: &RawReply) -> (u16, String, String) {
    (
        reply.status,
        reply.text(),
        reply
            .header("x-amzn-ErrorType")
            .unwrap_or_default()
            .to_string(),
    )
}

const EXPLICIT: &str =
    r#"{"Message":"User is not authorized to access this resource with an explicit deny"}"#;

/// Every answer of a TOKEN authorizer, as API Gateway answers it; the
/// result cache (a cached policy reused on another path refuses it); TTL 0.
#[test]
fn token_authorizer_answers_cache_and_ttl_as_on_aws() {
    let rules = rules();
    let probe = probe();
    let summary = setup(
        "azt-token",
        "azt_token_t",
        &[
            "--auth",
            "lambda",
            "--authorizer",
            &rules,
            "--routes",
            "rest",
            "--dispatcher",
            &probe,
        ],
    );
    assert_eq!(summary["auth"], "lambda");
    let url = url_of(&summary);
    let items = url.replace("/_user_request_/crud", "/_user_request_/items/azt_token_t");

    // Allowed: the dispatcher sees principalId and the context as strings.
    let first = authorizer_seen(&call(&url, "POST", "allow", r#"{"x":1}"#));
    assert_eq!(first["principalId"], "user-allow");
    assert_eq!((&first["n"], &first["ok"]), (&json!("1"), &json!("true")));
    assert!(first["integrationLatency"].is_u64(), "{first}");
    // Inside the TTL (300 s by default): the cached answer, no invocation.
    let second = authorizer_seen(&call(&url, "POST", "allow", r#"{"x":2}"#));
    assert_eq!(
        second["calls"], first["calls"],
        "one invocation for two calls"
    );
    assert_eq!(
        second["integrationLatency"], 0,
        "a cache hit, as AWS reports it"
    );

    // Denied, and an Allow with a Deny on the same ARN: the explicit deny.
    for token in ["deny", "both"] {
        let (status, body, kind) = refused(&call(&url, "POST", token, "{}"));
        assert_eq!(
            (status, body.as_str(), kind.as_str()),
            (403, EXPLICIT, "AccessDeniedException"),
            "{token}"
        );
    }
    // No token, an unknown one: 401 (the first without invoking it).
    for token in ["", "stranger"] {
        let (status, body, kind) = refused(&call(&url, "POST", token, "{}"));
        assert_eq!(
            (status, body.as_str(), kind.as_str()),
            (
                401,
                r#"{"message":"Unauthorized"}"#,
                "UnauthorizedException"
            ),
            "{token:?}"
        );
    }
    // An authorizer that raises, and a context holding an object: 500.
    for token in ["raise", "nested"] {
        let (status, body, kind) = refused(&call(&url, "POST", token, "{}"));
        assert_eq!(
            (status, body.as_str(), kind.as_str()),
            (
                500,
                r#"{"message": null}"#,
                "AuthorizerConfigurationException"
            ),
            "{token}"
        );
    }
    // A policy naming exactly POST /crud, cached: the next path is refused
    // without asking the authorizer again (the classic cached-policy 403).
    authorizer_seen(&call(&url, "POST", "narrow", "{}"));
    let (status, body, kind) = refused(&call(&items, "GET", "narrow", ""));
    assert_eq!(
        (status, body.as_str(), kind.as_str()),
        (
            403,
            r#"{"Message":"User is not authorized to access this resource"}"#,
            "AccessDeniedException"
        )
    );

    // The CLI sends --token as a bearer token; without one it says what to do.
    let (code, out, err) = cli(&["--stack", "azt-token", "--token", "allow", "ping"]);
    assert_eq!((code, &out["reply"]), (0, &json!("pong")), "{err}");
    let (code, _, err) = cli(&["--stack", "azt-token", "ping"]);
    assert_eq!(code, 6, "{err}");
    assert!(err.contains("401") && err.contains("--token"), "{err}");
    assert!(!err.contains("Bearer"), "the token is never printed: {err}");

    // TTL 0: every call invokes the authorizer; a call without a token never does.
    let summary = setup(
        "azt-token",
        "azt_token_t",
        &["--auth", "lambda", "--authorizer-ttl", "0"],
    );
    let url = url_of(&summary);
    let calls = |reply: &RawReply| {
        authorizer_seen(reply)["calls"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    let before = calls(&call(&url, "POST", "allow", "{}"));
    assert_eq!(call(&url, "POST", "", "{}").status, 401);
    let after = calls(&call(&url, "POST", "allow", "{}"));
    assert_eq!(
        after,
        before + 1,
        "TTL 0: one invocation per call, none for the 401"
    );
    let authorizers = aws(
        &stack().state_dir,
        "apigateway",
        "get_authorizers",
        json!({"restApiId": summary["restApiId"]}),
    );
    let stored = &authorizers["items"][0];
    assert_eq!(
        (
            &stored["type"],
            &stored["identitySource"],
            &stored["authorizerResultTtlInSeconds"]
        ),
        (
            &json!("TOKEN"),
            &json!("method.request.header.Authorization"),
            &json!(0)
        )
    );
}

/// A REQUEST authorizer (examples/authorizers/request.py) reads a header
/// and a query parameter; either missing is 401 without invoking it. Then
/// teardown leaves no authorizer, function, role or log group (boto3).
#[test]
fn request_authorizer_and_teardown_leaving_nothing() {
    let example = common::repo().join("examples/authorizers/request.py");
    let probe = probe();
    let summary = setup(
        "azt-request",
        "azt_request_t",
        &[
            "--auth",
            "lambda",
            "--authorizer",
            example.to_str().unwrap(),
            "--authorizer-type",
            "request",
            "--identity-source",
            "header:X-Tenant,query:user",
            "--dispatcher",
            &probe,
        ],
    );
    let url = url_of(&summary);
    let send = |tenant: Option<&str>, query: &str| {
        let headers: Vec<(String, String)> = tenant
            .iter()
            .map(|t| ("X-Tenant".to_string(), t.to_string()))
            .collect();
        raw_request(&format!("{url}{query}"), "POST", &headers, b"{}")
    };
    let seen = authorizer_seen(&send(Some("acme"), "?user=ana"));
    assert_eq!(
        (&seen["principalId"], &seen["tenant"], &seen["user"]),
        (&json!("ana"), &json!("acme"), &json!("ana"))
    );
    assert_eq!(
        send(Some("acme"), "").status,
        401,
        "the query source is missing"
    );
    assert_eq!(
        send(None, "?user=ana").status,
        401,
        "the header source is missing"
    );
    let (status, body, _) = refused(&send(Some("other"), "?user=ana"));
    assert_eq!((status, body.as_str()), (403, EXPLICIT));

    // The permission on the authorizer function is scoped to this authorizer.
    let dir = &stack().state_dir;
    let policy = aws(
        dir,
        "lambda",
        "get_policy",
        json!({"FunctionName": "scrud-azt-request-authorizer"}),
    );
    let policy: Value = serde_json::from_str(policy["Policy"].as_str().unwrap()).unwrap();
    let statement = &policy["Statement"][0];
    let source = statement["Condition"]["ArnLike"]["AWS:SourceArn"]
        .as_str()
        .unwrap();
    let api = summary["restApiId"].as_str().unwrap();
    assert!(
        source.contains(&format!(":{api}/authorizers/")) && !source.ends_with('*'),
        "{source}"
    );
    // Its role may write its own log group only.
    let role = aws(
        dir,
        "iam",
        "get_role_policy",
        json!({"RoleName": "scrud-azt-request-authorizer-us-east-1", "PolicyName": "authorizer-logs"}),
    );
    let document = role["PolicyDocument"].to_string();
    assert!(
        document.contains("log-group:/aws/lambda/scrud-azt-request-authorizer:*")
            && !document.contains("dynamodb"),
        "{document}"
    );

    // The permission removed behind setup's back: status says so, and the
    // gateway answers 500 as AWS does (it may not invoke the authorizer).
    aws(
        dir,
        "lambda",
        "remove_permission",
        json!({"FunctionName": "scrud-azt-request-authorizer", "StatementId": "serverless-crud-apigateway-authorizer"}),
    );
    let (code, status, _) = cli(&["--stack", "azt-request", "status"]);
    assert_ne!(code, 0, "drift is a failure: {status}");
    let drifted = status.to_string();
    assert!(
        drifted.contains("authorizer permission")
            && drifted.contains("may not invoke the authorizer"),
        "{status}"
    );
    std::thread::sleep(std::time::Duration::from_millis(1200)); // the gateway's 1 s control-plane cache
    let (status, body, kind) = refused(&send(Some("other-tenant"), "?user=bob"));
    assert_eq!(
        (status, body.as_str(), kind.as_str()),
        (
            500,
            r#"{"message": null}"#,
            "AuthorizerConfigurationException"
        )
    );
    let (code, report, err) = cli(&["--stack", "azt-request", "teardown", "--yes"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        report["remaining"].as_array().unwrap().is_empty(),
        "{report}"
    );
    let left = inventory(dir);
    let text = left.to_string();
    assert!(!text.contains("scrud-azt-request"), "left behind: {left}");
    let authorizers = aws(dir, "apigateway", "get_rest_apis", json!({}));
    assert!(
        !authorizers.to_string().contains(api),
        "the API and its authorizer are gone"
    );
}

/// A token from the local issuer (`local token -o json`).
fn local_token(args: &[&str]) -> String {
    let mut all = vec!["local", "token"];
    all.extend(args);
    let (code, out, err) = cli(&all);
    assert_eq!(code, 0, "{err}");
    out["token"].as_str().unwrap().to_string()
}

fn b64(value: &Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

/// `www-authenticate`'s error_description of a 401.
fn described(reply: &RawReply) -> String {
    assert_eq!(
        (reply.status, reply.text().as_str()),
        (401, r#"{"message":"Unauthorized"}"#),
        "{:?}",
        reply.headers
    );
    let header = reply.header("www-authenticate").unwrap_or_default();
    header
        .split("error_description=\"")
        .nth(1)
        .map(|d| d.trim_end_matches('"').to_string())
        .unwrap_or_else(|| header.to_string())
}

/// An HTTP API with a JWT authorizer on the local issuer: each rule of
/// the verification alone, with AWS's `www-authenticate`; claims reach the
/// function; an unreachable JWKS refuses (never lets through).
#[test]
fn jwt_authorizer_verifies_each_rule_and_fails_closed() {
    let probe = probe();
    let summary = setup(
        "azj-web",
        "azj_web_t",
        &[
            "--api",
            "http",
            "--auth",
            "jwt",
            "--scope",
            "items/write",
            "--dispatcher",
            &probe,
        ],
    );
    let url = url_of(&summary);
    let post = |token: &str| call(&url, "POST", token, r#"{"x":1}"#);

    let good = local_token(&["--subject", "alice", "--scope", "items/write"]);
    let reply = post(&good);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let event: Value = serde_json::from_slice(&reply.body).unwrap();
    let jwt = &event["requestContext"]["authorizer"]["jwt"];
    assert_eq!(jwt["claims"]["sub"], "alice", "{event}");
    assert_eq!(jwt["scopes"], json!(["items/write"]));

    let no_scope = local_token(&["--subject", "alice"]);
    let forbidden = post(&no_scope);
    assert_eq!(
        (forbidden.status, forbidden.text().as_str()),
        (403, r#"{"message":"Forbidden"}"#)
    );

    let scoped = |extra: &[&str]| {
        let mut args = vec!["--scope", "items/write"];
        args.extend(extra);
        local_token(&args)
    };
    for (args, why) in [
        (&["--expires-in", "-1m"][..], "the token has expired"),
        (&["--not-before", "10m"][..], "the token is not valid yet"),
        (
            &["--audience", "someone-else"][..],
            "the token does not have a valid audience",
        ),
        (
            &[
                "--audience",
                "someone-else",
                "--client-id",
                "serverless-crud",
            ][..],
            "the token does not have a valid audience",
        ),
        (
            &["--claim", "exp=null"][..],
            "the token has no expiration time",
        ),
        (
            &["--claim", "iss=https://elsewhere.example"][..],
            "the token does not have a valid issuer",
        ),
    ] {
        assert_eq!(described(&post(&scoped(args))), why, "{args:?}");
    }
    // A token with only client_id (a Cognito access token's shape) passes.
    let client_only = scoped(&["--client-id", "serverless-crud"]);
    assert_eq!(post(&client_only).status, 200);

    // The issuer's kid, and a token under it signed by another key.
    let issuer = summary_issuer(&url);
    let (_, jwks) = common::http(&format!("{issuer}/.well-known/jwks.json"), "GET", &[], "");
    let jwks: Value = serde_json::from_str(&jwks).unwrap();
    let kid = jwks["keys"][0]["kid"].as_str().unwrap().to_string();
    let claims = json!({"iss": issuer, "aud": "serverless-crud", "sub": "mallory",
                        "scope": "items/write", "exp": chrono::Utc::now().timestamp() + 600});
    let other = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    let der = rsa::pkcs1::EncodeRsaPrivateKey::to_pkcs1_der(&other).unwrap();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(kid.clone());
    let forged = jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_rsa_der(der.as_bytes()),
    )
    .unwrap();
    assert_eq!(
        described(&post(&forged)),
        "the token has an invalid signature"
    );
    // alg none, and HS256 keyed with the public key (algorithm confusion).
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "kid": kid})),
        b64(&claims)
    );
    assert_eq!(
        described(&post(&none)),
        "the token is not signed with an RSA algorithm"
    );
    let mut hs = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    hs.kid = Some(kid);
    let secret = jwks["keys"][0]["n"].as_str().unwrap().as_bytes().to_vec();
    let confused = jsonwebtoken::encode(
        &hs,
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(&secret),
    )
    .unwrap();
    assert_eq!(
        described(&post(&confused)),
        "the token is not signed with an RSA algorithm"
    );
    assert_eq!(
        described(&post("not-a-jwt")),
        "token contains an invalid number of segments"
    );
    let missing = post("");
    assert_eq!(missing.header("www-authenticate"), Some("Bearer"));

    // The CLI sends --token; the token is never printed.
    let (code, out, err) = cli(&["--stack", "azj-web", "--token", &good, "ping"]);
    assert_eq!((code, &out["reply"]), (0, &json!("pong")), "{err}");

    // An issuer whose keys cannot be fetched: refused, never allowed.
    let dead = setup(
        "azj-dead",
        "azj_dead_t",
        &[
            "--api",
            "http",
            "--auth",
            "jwt",
            "--jwt-issuer",
            "http://127.0.0.1:9/nowhere",
            "--jwt-audience",
            "serverless-crud",
        ],
    );
    let reply = call(&url_of(&dead), "POST", &good, "{}");
    assert_eq!(
        (reply.status, reply.text().as_str()),
        (500, r#"{"message":"Internal Server Error"}"#)
    );
    for stack in ["azj-web", "azj-dead"] {
        let (code, report, err) = cli(&["--stack", stack, "teardown", "--yes"]);
        assert_eq!(code, 0, "{err}");
        assert!(
            report["remaining"].as_array().unwrap().is_empty(),
            "{report}"
        );
    }
}

/// The local issuer of the gateway serving `url`.
fn summary_issuer(url: &str) -> String {
    let gateway = url.split("/httpapis/").next().unwrap();
    let (status, discovery) = common::http(
        &format!("{gateway}/_issuer/.well-known/openid-configuration"),
        "GET",
        &[],
        "",
    );
    assert_eq!(status, 200, "{discovery}");
    let discovery: Value = serde_json::from_str(&discovery).unwrap();
    discovery["issuer"].as_str().unwrap().to_string()
}

/// The course's products API (§7): every method behind the Lambda
/// authorizer, DELETE also behind an API key (`--method-auth
/// DELETE=lambda+api-key`), with the real dispatcher.
#[test]
fn products_api_post_needs_the_authorizer_delete_also_an_api_key() {
    let example = common::repo().join("examples/authorizers/token.py");
    let summary = setup(
        "azp-products",
        "azp_products_t",
        &[
            "--routes",
            "rest",
            "--auth",
            "lambda",
            "--authorizer",
            example.to_str().unwrap(),
            "--method-auth",
            "DELETE=lambda+api-key",
        ],
    );
    assert_eq!(summary["methodAuth"], json!(["DELETE=lambda+api-key"]));
    let (_, status, _) = cli(&["--stack", "azp-products", "status", "--show-api-key"]);
    let key = status["apiKey"]
        .as_str()
        .expect("the stack has a key")
        .to_string();
    let base = url_of(&summary).replace(
        "/_user_request_/crud",
        "/_user_request_/items/azp_products_t",
    );
    let token = "workshop-allow";
    let send = |method: &str, path: &str, token: Option<&str>, key: Option<&str>, body: &str| {
        let mut headers: Vec<(String, String)> = Vec::new();
        if let Some(t) = token {
            headers.push(("Authorization".into(), format!("Bearer {t}")));
        }
        if let Some(k) = key {
            headers.push(("x-api-key".into(), k.to_string()));
        }
        raw_request(&format!("{base}{path}"), method, &headers, body.as_bytes())
    };
    let item = r#"{"id":"p1","name":"lamp"}"#;
    assert_eq!(
        send("POST", "", None, None, item).status,
        401,
        "POST without a token"
    );
    let created = send("POST", "", Some(token), None, item);
    assert!(
        created.status < 300,
        "POST with the token: {}",
        created.text()
    );
    let denied = send("POST", "", Some("workshop-deny"), None, item);
    assert_eq!((denied.status, denied.text().as_str()), (403, EXPLICIT));
    let no_key = send("DELETE", "/p1", Some(token), None, "");
    assert_eq!(
        (no_key.status, no_key.text().as_str()),
        (403, r#"{"message": "Forbidden"}"#),
        "DELETE without the key"
    );
    assert_eq!(
        send("DELETE", "/p1", None, Some(&key), "").status,
        401,
        "DELETE without the token"
    );
    let deleted = send("DELETE", "/p1", Some(token), Some(&key), "");
    assert!(deleted.status < 300, "DELETE with both: {}", deleted.text());
    // The control plane says the same (boto3).
    let api = summary["restApiId"].as_str().unwrap();
    let resources = aws(
        &stack().state_dir,
        "apigateway",
        "get_resources",
        json!({"restApiId": api}),
    );
    let item_resource = resources["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "/items/{table}/{id}")
        .unwrap();
    let method = |verb: &str| {
        aws(
            &stack().state_dir,
            "apigateway",
            "get_method",
            json!({"restApiId": api, "resourceId": item_resource["id"], "httpMethod": verb}),
        )
    };
    let (delete, get) = (method("DELETE"), method("GET"));
    assert_eq!(
        (&delete["authorizationType"], &delete["apiKeyRequired"]),
        (&json!("CUSTOM"), &json!(true))
    );
    assert_eq!(
        (&get["authorizationType"], &get["apiKeyRequired"]),
        (&json!("CUSTOM"), &json!(false))
    );
    let (code, _, err) = cli(&["--stack", "azp-products", "teardown", "--yes"]);
    assert_eq!(code, 0, "{err}");
}

/// `login` with `password` on stdin (`--create`: the user is made first).
fn login(stack: &str, user: &str, password: &str, extra: &[&str]) -> (i32, String, String) {
    let mut cmd = common::bin(&crate::gateway::stack().state_dir);
    cmd.args(["--local", "--stack", stack, "login", "--user", user])
        .args(extra)
        .write_stdin(format!("{password}\n"));
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// A user pool of another application, made with boto3, and an ID token
/// of one of its users: (pool id, token).
fn foreign_pool_token(name: &str) -> (String, String) {
    let dir = &stack().state_dir;
    let pool = aws(
        dir,
        "cognito-idp",
        "create_user_pool",
        json!({"PoolName": name}),
    );
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    let client = aws(
        dir,
        "cognito-idp",
        "create_user_pool_client",
        json!({"UserPoolId": pool_id, "ClientName": name, "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}),
    );
    let client_id = client["UserPoolClient"]["ClientId"].as_str().unwrap();
    aws(
        dir,
        "cognito-idp",
        "admin_create_user",
        json!({"UserPoolId": pool_id, "Username": "mallory", "MessageAction": "SUPPRESS"}),
    );
    aws(
        dir,
        "cognito-idp",
        "admin_set_user_password",
        json!({"UserPoolId": pool_id, "Username": "mallory", "Password": "Secret-123x", "Permanent": true}),
    );
    let auth = aws(
        dir,
        "cognito-idp",
        "initiate_auth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
               "AuthParameters": {"USERNAME": "mallory", "PASSWORD": "Secret-123x"}}),
    );
    let token = auth["AuthenticationResult"]["IdToken"].as_str().unwrap();
    (pool_id, token.to_string())
}

fn user_pools() -> Vec<String> {
    let pools = aws(
        &stack().state_dir,
        "cognito-idp",
        "list_user_pools",
        json!({"MaxResults": 60}),
    );
    pools["UserPools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Name"].as_str().unwrap().to_string())
        .collect()
}

/// `--auth cognito` on a REST API: a pool and app client made by setup,
/// `login --create` (password on stdin), CRUD by the CLI with the cached
/// token; no token, another pool's token and an access token are 401s;
/// teardown leaves no pool, client, authorizer or cached token.
#[test]
fn cognito_rest_login_crud_and_foreign_tokens_refused() {
    let summary = setup("azc-rest", "azc_rest_t", &["--auth", "cognito"]);
    assert_eq!(summary["auth"], "cognito");
    let url = url_of(&summary);
    let dir = &stack().state_dir;
    assert!(user_pools().contains(&"scrud-azc-rest".to_string()));
    let api = summary["restApiId"].as_str().unwrap();
    let authorizers = aws(
        dir,
        "apigateway",
        "get_authorizers",
        json!({"restApiId": api}),
    );
    let authorizer = &authorizers["items"][0];
    assert_eq!(authorizer["type"], "COGNITO_USER_POOLS", "{authorizers}");
    assert!(
        authorizer["providerARNs"][0]
            .as_str()
            .unwrap()
            .contains(":userpool/"),
        "{authorizers}"
    );

    // Before login: the API refuses the CLI, which says how to sign in.
    let (code, _, err) = cli(&["--stack", "azc-rest", "ping"]);
    assert_ne!(code, 0, "{err}");
    assert_eq!(call(&url, "POST", "", "{}").status, 401);

    // A wrong password is refused and caches nothing; the right one signs in.
    let (code, _, err) = login("azc-rest", "alice", "Wonder1and", &["--create"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = login("azc-rest", "alice", "wrong-Passw0rd", &[]);
    assert_ne!(code, 0);
    assert!(err.contains("Incorrect username or password"), "{err}");
    let (code, token, err) = login("azc-rest", "alice", "Wonder1and", &["--print-token"]);
    assert_eq!(code, 0, "{err}");
    let token = token.trim().to_string();
    assert!(!err.contains(&token), "the token is printed on stdout only");
    let cached = dir.join("logins/local/us-east-1/azc-rest.json");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&cached).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "the cached token is owner-only");

    // CRUD by the CLI with the cached token.
    let (code, _, err) = cli(&[
        "--stack",
        "azc-rest",
        "create",
        "--table",
        "azc_rest_t",
        "--item",
        r#"{"id":"1","name":"Ana"}"#,
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, item, err) = cli(&[
        "--stack",
        "azc-rest",
        "read",
        "-t",
        "azc_rest_t",
        "-k",
        "id=1",
    ]);
    assert_eq!((code, item["name"].as_str()), (0, Some("Ana")), "{err}");

    // status sees the pool and pings through the API with the cached token.
    let (code, status, err) = cli(&["--stack", "azc-rest", "status"]);
    assert_eq!(code, 0, "{status} {err}");
    assert!(
        status.to_string().contains("user pool + app client"),
        "{status}"
    );

    // Raw: the bare token and `Bearer` both pass; another pool's ID token and
    // this pool's access token do not.
    let ping = r#"{"operation":"ping"}"#;
    let bare = vec![("Authorization".to_string(), token.clone())];
    assert_eq!(
        raw_request(&url, "POST", &bare, ping.as_bytes()).status,
        200
    );
    assert_eq!(call(&url, "POST", &token, ping).status, 200);
    let (foreign, foreign_token) = foreign_pool_token("azc-foreign");
    let (status, body, kind) = refused(&call(&url, "POST", &foreign_token, ping));
    assert_eq!(
        (status, body.as_str(), kind.as_str()),
        (
            401,
            r#"{"message":"Unauthorized"}"#,
            "UnauthorizedException"
        )
    );
    let mut forged = token.clone();
    forged.pop();
    assert_eq!(
        call(&url, "POST", &forged, ping).status,
        401,
        "a broken signature"
    );
    aws(
        dir,
        "cognito-idp",
        "delete_user_pool",
        json!({"UserPoolId": foreign}),
    );

    let (code, report, err) = cli(&["--stack", "azc-rest", "teardown", "--yes"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        report["remaining"].as_array().unwrap().is_empty(),
        "{report}"
    );
    assert!(
        report.to_string().contains("user pool"),
        "teardown lists the pool: {report}"
    );
    assert!(
        !user_pools().iter().any(|p| p.contains("azc-rest")),
        "pool left"
    );
    assert!(!cached.exists(), "the cached token is forgotten");
    let left = inventory(dir).to_string();
    assert!(!left.contains("scrud-azc-rest"), "left behind: {left}");
}

/// `--api http --auth cognito`: a JWT authorizer at the pool (audience: its
/// app client); the function sees the claims; another pool's token is 401
/// with AWS's `www-authenticate`.
#[test]
fn cognito_http_api_jwt_at_the_pool() {
    let probe = probe();
    let summary = setup(
        "azc-http",
        "azc_http_t",
        &["--api", "http", "--auth", "cognito", "--dispatcher", &probe],
    );
    let url = url_of(&summary);
    let (code, token, err) = login(
        "azc-http",
        "bob",
        "Builder12",
        &["--create", "--print-token"],
    );
    assert_eq!(code, 0, "{err}");
    let reply = call(&url, "POST", token.trim(), "{}");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let event: Value = serde_json::from_slice(&reply.body).unwrap();
    let claims = &event["requestContext"]["authorizer"]["jwt"]["claims"];
    assert_eq!(claims["cognito:username"], "bob", "{event}");
    assert_eq!(claims["token_use"], "id", "{event}");

    let (foreign, foreign_token) = foreign_pool_token("azc-foreign-http");
    let reply = call(&url, "POST", &foreign_token, "{}");
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.header("www-authenticate").unwrap_or_default(),
        r#"Bearer scope="" error="invalid_token" error_description="the token does not have a valid issuer""#
    );
    aws(
        &stack().state_dir,
        "cognito-idp",
        "delete_user_pool",
        json!({"UserPoolId": foreign}),
    );
    let (code, _, err) = cli(&["--stack", "azc-http", "teardown", "--yes"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !user_pools().iter().any(|p| p.contains("azc-http")),
        "pool left"
    );
}

/// HTTP API Lambda authorizers: the 2.0 event with a simple response
/// (the example), and the 1.0 event with an IAM policy (the rules
/// fixture): HTTP APIs' own refusals (401, 403 `Forbidden`, 500), the
/// context the function sees, the result cache; teardown leaves nothing.
#[test]
fn http_api_lambda_authorizers_simple_and_policy_replies() {
    let example = common::repo().join("examples/authorizers/http_simple.py");
    let probe = probe();
    let summary = setup(
        "azh-simple",
        "azh_simple_t",
        &[
            "--api",
            "http",
            "--auth",
            "lambda",
            "--authorizer",
            example.to_str().unwrap(),
            "--simple-responses",
            "--dispatcher",
            &probe,
        ],
    );
    let url = url_of(&summary);
    let dir = &stack().state_dir;
    let api = summary["httpApiId"].as_str().unwrap().to_string();
    let (status, body, _) = refused(&call(&url, "POST", "", "{}"));
    assert_eq!(
        (status, body.as_str()),
        (401, r#"{"message":"Unauthorized"}"#)
    );
    let reply = call(&url, "POST", "workshop-allow", "{}");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let event: Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(
        event["requestContext"]["authorizer"]["lambda"],
        json!({"user": "workshop", "route": "POST /crud"}),
        "{event}"
    );
    let (status, body, _) = refused(&call(&url, "POST", "someone-else", "{}"));
    assert_eq!((status, body.as_str()), (403, r#"{"message":"Forbidden"}"#));
    let authorizer = aws(
        dir,
        "apigatewayv2",
        "get_authorizer",
        json!({"ApiId": api, "AuthorizerId": summary["authorizerId"].as_str().unwrap_or("x")}),
    );
    assert_eq!(
        (
            &authorizer["AuthorizerType"],
            &authorizer["AuthorizerPayloadFormatVersion"],
            &authorizer["EnableSimpleResponses"],
        ),
        (&json!("REQUEST"), &json!("2.0"), &json!(true)),
        "{authorizer}"
    );

    // 1.0 with an IAM policy: the rules fixture reads `authorizationToken`.
    let rules = rules();
    let summary = setup(
        "azh-policy",
        "azh_policy_t",
        &[
            "--api",
            "http",
            "--auth",
            "lambda",
            "--authorizer",
            &rules,
            "--authorizer-payload",
            "1.0",
            "--dispatcher",
            &probe,
        ],
    );
    let url = url_of(&summary);
    let seen = |token: &str| {
        let reply = call(&url, "POST", token, "{}");
        assert_eq!(reply.status, 200, "{token}: {}", reply.text());
        let event: Value = serde_json::from_slice(&reply.body).unwrap();
        event["requestContext"]["authorizer"]["lambda"].clone()
    };
    let first = seen("allow");
    assert_eq!(
        first["n"], "1",
        "IAM-format context values are strings: {first}"
    );
    assert_eq!(
        seen("allow")["calls"],
        first["calls"],
        "the second is a cache hit"
    );
    for (token, status, body) in [
        ("deny", 403, r#"{"message":"Forbidden"}"#),
        ("both", 403, r#"{"message":"Forbidden"}"#),
        ("raise", 500, r#"{"message":"Internal Server Error"}"#),
        ("nobody", 401, r#"{"message":"Unauthorized"}"#),
    ] {
        let (got, text, _) = refused(&call(&url, "POST", token, "{}"));
        assert_eq!((got, text.as_str()), (status, body), "{token}");
    }
    let (code, status, err) = cli(&["--stack", "azh-policy", "status"]);
    assert!(
        status
            .to_string()
            .contains("REQUEST on $request.header.Authorization"),
        "{code} {status} {err}"
    );
    for name in ["azh-simple", "azh-policy"] {
        let (code, _, err) = cli(&["--stack", name, "teardown", "--yes"]);
        assert_eq!(code, 0, "{err}");
    }
    let left = inventory(dir).to_string();
    assert!(!left.contains("scrud-azh-"), "left behind: {left}");
    let apis = aws(dir, "apigatewayv2", "get_apis", json!({}));
    assert!(!apis.to_string().contains("scrud-azh-"), "{apis}");
}
