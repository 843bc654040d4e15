//! The `flagright` binary, run as a user runs it, against local servers on
//! 127.0.0.1: operations, listings, imports, errors, webhooks, help.

#[path = "../examples/support/batch_mock.rs"]
mod batch_mock;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use flagright_tests::json::assert_json_eq;
use flagright_tests::mock::{API_KEY, EndpointCase, RAW_ID, operation};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What a run of the binary gave.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `flagright args...` with the test key in the environment (unless
/// `key` is `None`) and `stdin` as standard input, off the async runtime.
async fn flagright(args: &[&str], key: Option<&str>, stdin: &[u8]) -> Run {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let key = key.map(str::to_owned);
    let stdin = stdin.to_vec();
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_flagright"));
        command
            .args(&args)
            .env_remove("FLAGRIGHT_API_KEY")
            .env_remove("FLAGRIGHT_BASE_URL")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(key) = key {
            command.env("FLAGRIGHT_API_KEY", key);
        }
        let mut child = command.spawn().expect("the binary starts");
        let mut input = child.stdin.take().expect("stdin is piped");
        input.write_all(&stdin).expect("stdin is written");
        drop(input);
        let output = child.wait_with_output().expect("the binary ends");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    })
    .await
    .expect("the runner thread ends")
}

/// A fresh file under the target directory's temp folder.
fn temp_file(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("flagright-cli-tests");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(format!("{}-{name}", std::process::id()))
}

fn parse(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {stdout}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn get_prints_the_answer_as_compact_json() {
    let case = EndpointCase::start("getTransaction", &[]).await;
    let uri = case.server.uri();
    let run = flagright(
        &["--base-url", &uri, "transactions", "get", RAW_ID],
        Some(API_KEY),
        b"",
    )
    .await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout.lines().count(),
        1,
        "not a terminal: one compact line"
    );
    assert_json_eq("getTransaction", &case.op.success().1, &parse(&run.stdout));
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_reads_the_body_from_a_file() {
    let case = EndpointCase::start("verifyTransaction", &[]).await;
    let file = temp_file("tx.json");
    std::fs::write(&file, case.op.request_example().to_string()).expect("body written");
    let uri = case.server.uri();
    let file_arg = file.to_string_lossy().into_owned();
    let run = flagright(
        &[
            "--base-url",
            &uri,
            "transactions",
            "verify",
            "--file",
            &file_arg,
        ],
        Some(API_KEY),
        b"",
    )
    .await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_json_eq(
        "verifyTransaction",
        &case.op.success().1,
        &parse(&run.stdout),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_reads_the_body_from_stdin() {
    let case = EndpointCase::start("verifyTransaction", &[]).await;
    let body = case.op.request_example().to_string();
    let uri = case.server.uri();
    let run = flagright(
        &["--base-url", &uri, "transactions", "verify", "--file", "-"],
        Some(API_KEY),
        body.as_bytes(),
    )
    .await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_json_eq(
        "verifyTransaction",
        &case.op.success().1,
        &parse(&run.stdout),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_does_not_fit_is_a_usage_error() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let run = flagright(
        &["--base-url", &uri, "transactions", "verify", "--file", "-"],
        Some(API_KEY),
        br#"{"transactionId": 5}"#,
    )
    .await;
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("transactionId"), "{}", run.stderr);
}

/// Two pages of the batch listing: page 1 with two items, page 2 with one.
async fn paged_listing() -> (MockServer, Vec<Value>) {
    let (_, example) = operation("getTransactionBatch").success();
    let items = example["transactions"].as_array().expect("items").clone();
    assert_eq!(items.len(), 3);
    let server = MockServer::start().await;
    for (page, slice) in [("1", &items[..2]), ("2", &items[2..])] {
        Mock::given(method("GET"))
            .and(path("/batch/transactions/b-1"))
            .and(query_param("page", page))
            .and(query_param("pageSize", "2"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "transactions": slice, "totalCount": 3 })),
            )
            .mount(&server)
            .await;
    }
    (server, items)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paginated_listing_streams_every_item_as_ndjson() {
    let (server, items) = paged_listing().await;
    let uri = server.uri();
    let args = [
        "--base-url",
        &uri,
        "batch",
        "get-transactions",
        "b-1",
        "--page-size",
        "2",
    ];
    let run = flagright(&args, Some(API_KEY), b"").await;
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<Value> = run.stdout.lines().map(parse).collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    for (item, line) in items.iter().zip(&lines) {
        assert_json_eq("batch item", item, line);
    }

    let mut limited = args.to_vec();
    limited.extend(["--max-items", "2"]);
    let run = flagright(&limited, Some(API_KEY), b"").await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_accounts_for_every_line_and_writes_both_files() {
    let mock = batch_mock::start(&["txn-000500"]).await;
    let template = operation("verifyTransaction").request_example();
    let mut lines = batch_mock::transaction_lines(&template, 10_000);
    lines[41] = String::from("{not json");
    lines[7002] = String::from(r#"{"transactionId": 12}"#);
    let input = temp_file("import.ndjson");
    std::fs::write(&input, lines.join("\n") + "\n").expect("input written");
    let rejected = temp_file("rejected.ndjson");
    let not_imported = temp_file("not-imported.ndjson");
    let uri = mock.server.uri();
    let (input, rejected_arg, not_imported_arg) = (
        input.to_string_lossy().into_owned(),
        rejected.to_string_lossy().into_owned(),
        not_imported.to_string_lossy().into_owned(),
    );
    let run = flagright(
        &[
            "--base-url",
            &uri,
            "import",
            "transactions",
            &input,
            "--chunk-size",
            "250",
            "--concurrency",
            "8",
            "--rejected-out",
            &rejected_arg,
            "--not-imported-out",
            &not_imported_arg,
        ],
        Some(API_KEY),
        b"",
    )
    .await;
    assert_eq!(
        run.code, 7,
        "rejected and invalid records: incomplete; {run:?}"
    );
    assert_eq!(
        run.stdout.trim(),
        "imported 9997 of 10000: accepted 9997, rejected 1, not imported 0, invalid 2, already imported 0"
    );
    assert_eq!(
        mock.received.load(std::sync::atomic::Ordering::Relaxed),
        9998
    );

    let rejected: Vec<Value> = std::fs::read_to_string(&rejected)
        .expect("rejected file")
        .lines()
        .map(parse)
        .collect();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["line"], json!(501));
    assert_eq!(rejected[0]["id"], json!("txn-000500"));
    assert_eq!(rejected[0]["reasonCode"], json!("INVALID_RECORD"));
    assert_eq!(rejected[0]["record"]["transactionId"], json!("txn-000500"));

    let invalid: Vec<Value> = std::fs::read_to_string(&not_imported)
        .expect("not-imported file")
        .lines()
        .map(parse)
        .collect();
    assert_eq!(invalid.len(), 2, "{invalid:?}");
    assert_eq!(invalid[0]["line"], json!(42));
    assert_eq!(invalid[1]["line"], json!(7003));
    assert!(
        invalid[1]["error"]
            .as_str()
            .is_some_and(|e| e.contains("line 7003")),
        "{invalid:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_stops_sending_waits_for_chunks_in_flight_and_prints_the_accounting() {
    let mock = batch_mock::start_with_delay(&[], Duration::from_millis(200)).await;
    let template = operation("verifyTransaction").request_example();
    let input = temp_file("interrupted.ndjson");
    std::fs::write(
        &input,
        batch_mock::transaction_lines(&template, 2_000).join("\n"),
    )
    .expect("input");
    let child = Command::new(env!("CARGO_BIN_EXE_flagright"))
        .args(["--base-url", &mock.server.uri(), "import", "transactions"])
        .arg(&input)
        .args(["--chunk-size", "10", "--concurrency", "2"])
        .env("FLAGRIGHT_API_KEY", API_KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // 200 chunks at two every 200 ms would take 20 s. Interrupt once some
    // chunks were answered, so the signal handler is surely in place.
    let waiting = Instant::now();
    while mock.received.load(std::sync::atomic::Ordering::Relaxed) < 60 {
        assert!(
            waiting.elapsed() < Duration::from_secs(30),
            "the import did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let started = Instant::now();
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("waiter")
        .expect("the binary ends");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "it stopped sending"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(7), "{stdout} {stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    // Every record read was sent and answered: none is left unaccounted.
    let words: Vec<&str> = stdout.split_whitespace().collect();
    let (imported, read) = (words[1], words[3].trim_end_matches(':'));
    assert_eq!(imported, read, "{stdout}");
    let read: u64 = read.parse().expect("a count");
    assert!(read > 0 && read < 2_000, "{stdout}");
    assert_eq!(
        mock.received.load(std::sync::atomic::Ordering::Relaxed),
        read
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_reads_a_json_array_from_stdin() {
    let mock = batch_mock::start(&[]).await;
    let template = operation("verifyTransaction").request_example();
    let records: Vec<Value> = batch_mock::transaction_lines(&template, 30)
        .iter()
        .map(|line| parse(line))
        .collect();
    let body = format!("  \n{}", Value::Array(records));
    let uri = mock.server.uri();
    let run = flagright(
        &["--base-url", &uri, "import", "transactions", "-"],
        Some(API_KEY),
        body.as_bytes(),
    )
    .await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout.trim(),
        "imported 30 of 30: accepted 30, rejected 0, not imported 0, invalid 0, already imported 0"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_exits_4_with_one_line_and_no_key() {
    let op = operation("getTransaction");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(op.error_example(401))
                .insert_header("x-request-id", "req-401-abc"),
        )
        .mount(&server)
        .await;
    let uri = server.uri();
    let run = flagright(
        &["--base-url", &uri, "transactions", "get", "t-1"],
        Some(API_KEY),
        b"",
    )
    .await;
    assert_eq!(run.code, 4, "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: ") && run.stderr.contains("401"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(API_KEY));

    let verbose = flagright(
        &["--base-url", &uri, "-v", "transactions", "get", "t-1"],
        Some(API_KEY),
        b"",
    )
    .await;
    assert_eq!(verbose.code, 4);
    assert!(
        verbose.stderr.contains("request id: req-401-abc"),
        "{}",
        verbose.stderr
    );
    assert!(!verbose.stderr.contains(API_KEY));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_connection_exits_5() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    let uri = format!("http://127.0.0.1:{port}");
    let run = flagright(
        &[
            "--base-url",
            &uri,
            "--retries",
            "0",
            "transactions",
            "get",
            "t-1",
        ],
        Some(API_KEY),
        b"",
    )
    .await;
    assert_eq!(run.code, 5, "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("connection refused"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_key_is_a_configuration_error() {
    let run = flagright(
        &[
            "--base-url",
            "http://127.0.0.1:9",
            "transactions",
            "get",
            "t-1",
        ],
        None,
        b"",
    )
    .await;
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.contains("FLAGRIGHT_API_KEY"), "{}", run.stderr);

    let file = temp_file("key.txt");
    std::fs::write(&file, "\n").expect("key file");
    let file_arg = file.to_string_lossy().into_owned();
    let run = flagright(
        &["--api-key-file", &file_arg, "transactions", "get", "t-1"],
        None,
        b"",
    )
    .await;
    assert_eq!(run.code, 3, "{run:?}");
}

const EVENT: &str = r#"{"id":"whk-1","type":"CASE_CLOSED","triggeredBy":"MANUAL","createdTimestamp":1732194000000,"data":{"caseId":"C-1042","status":"CLOSED"}}"#;

/// Runs `flagright webhooks ...` with the secret in `WEBHOOK_SECRET_TEST`.
fn webhooks(args: &[&str], body: &[u8]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_flagright"))
        .arg("webhooks")
        .args(args)
        .env("WEBHOOK_SECRET_TEST", "whsec_test_1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().expect("stdin").write_all(body)?;
            child.wait_with_output()
        })
        .expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn webhook_signatures_verify_and_tampering_is_caught() {
    let signed = webhooks(
        &["sign", "--secret-env", "WEBHOOK_SECRET_TEST"],
        EVENT.as_bytes(),
    );
    assert_eq!(signed.code, 0, "{signed:?}");
    let signature = signed.stdout.trim().to_owned();
    assert_eq!(
        signature,
        flagright_api::webhooks::sign(EVENT.as_bytes(), "whsec_test_1")
    );

    let args = [
        "verify",
        "--secret-env",
        "WEBHOOK_SECRET_TEST",
        "--signature",
        &signature,
    ];
    let valid = webhooks(&args, EVENT.as_bytes());
    assert_eq!(valid.code, 0, "{valid:?}");
    assert_eq!(valid.stdout.trim(), "valid: CASE_CLOSED event whk-1");

    let tampered = EVENT.replace("C-1042", "C-1043");
    let invalid = webhooks(&args, tampered.as_bytes());
    assert_eq!(invalid.code, 8, "{invalid:?}");
    assert!(invalid.stderr.contains("not valid"), "{}", invalid.stderr);
    assert!(!invalid.stderr.contains("whsec_test_1"));

    let unset = webhooks(&["sign", "--secret-env", "WEBHOOK_SECRET_UNSET"], b"{}");
    assert_eq!(unset.code, 3, "{unset:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn help_lists_every_group_with_its_description() {
    let run = flagright(&["--help"], None, b"").await;
    assert_eq!(run.code, 0, "{run:?}");
    for (name, description) in spec_tags() {
        let command = name.replace('_', "-");
        let line = run
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{command} ")))
            .unwrap_or_else(|| panic!("`{command}` is not listed:\n{}", run.stdout));
        let first_words: String = description
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(line.contains(&first_words), "{line} / {description}");
    }
    assert!(run.stdout.contains("Exit codes:"));
    for command in ["import", "webhooks", "completions"] {
        assert!(run.stdout.contains(command));
    }
}

/// The spec's tags (one per group): name and description.
fn spec_tags() -> Vec<(String, String)> {
    flagright_tests::spec::spec()["tags"]
        .as_array()
        .expect("the spec has tags")
        .iter()
        .map(|tag| {
            (
                tag["name"].as_str().expect("tag name").to_owned(),
                tag["description"]
                    .as_str()
                    .expect("tag description")
                    .to_owned(),
            )
        })
        .collect()
}

/// Every operation of the spec has its subcommand, named like the SDK's
/// group and method.
#[tokio::test(flavor = "multi_thread")]
async fn every_operation_has_a_subcommand() {
    let paths = flagright_tests::spec::spec()["paths"]
        .as_object()
        .expect("paths");
    let mut count = 0;
    for item in paths.values() {
        for op in item.as_object().expect("path item").values() {
            let group = op["x-fern-sdk-group-name"]
                .as_str()
                .expect("group")
                .replace('_', "-");
            let verb = op["x-fern-sdk-method-name"]
                .as_str()
                .expect("method")
                .replace('_', "-");
            let run = flagright(&[&group, &verb, "--help"], None, b"").await;
            assert_eq!(run.code, 0, "{group} {verb}: {run:?}");
            let summary = op["summary"].as_str().expect("summary");
            assert!(
                run.stdout.contains(summary),
                "{group} {verb}: {}",
                run.stdout
            );
            count += 1;
        }
    }
    assert!(count >= 20, "{count} operations");
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_and_usage_errors() {
    let run = flagright(&["completions", "bash"], None, b"").await;
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("flagright"));
    let run = flagright(&["transactions", "nope"], None, b"").await;
    assert_eq!(run.code, 2, "{run:?}");
}
