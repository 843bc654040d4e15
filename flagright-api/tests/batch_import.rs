//! The bulk importer against a loopback imitation of the batch endpoints
//! that injects faults per chunk. Every test checks the accounting
//! (accepted + rejected + not imported = records read = input) and how many
//! times each record reached the server and was imported.

mod batch_server;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use batch_server::{BatchServer, Fault};
use flagright_api::types::Transaction;
use flagright_api::{Client, ImportReport, NotImportedReason, Progress, RetryPolicy};

const PREFIX: &str = "test";

fn client(server: &BatchServer) -> Client {
    Client::builder()
        .api_key("test-key-not-secret")
        .base_url(&server.url)
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(10))
                .max_delay(Duration::from_millis(40)),
        )
        .build()
        .unwrap()
}

fn id(i: usize) -> String {
    format!("t-{i}")
}

fn transactions(count: usize) -> impl Iterator<Item = Transaction> + Send {
    (0..count).map(|i| {
        Transaction::builder()
            .type_("TRANSFER")
            .transaction_id(id(i))
            .timestamp(1_732_190_400_000 + i as i64)
            .build()
    })
}

fn batch(chunk: usize) -> String {
    format!("{PREFIX}-{chunk}")
}

/// A server answering the first `attempts` sends of chunk `chunk` with
/// `fault`, and everything else normally.
async fn failing(chunk: usize, attempts: u32, fault: Fault) -> BatchServer {
    let failing = batch(chunk);
    BatchServer::start(move |batch_id, attempt| {
        if batch_id == failing && attempt <= attempts {
            fault.clone()
        } else {
            Fault::ok()
        }
    })
    .await
}

/// Imports `count` transactions in chunks of 10, 3 at a time.
async fn import(server: &BatchServer, count: usize) -> ImportReport<Transaction> {
    client(server)
        .batch()
        .import_transactions(transactions(count))
        .chunk_size(10)
        .concurrency(3)
        .batch_id_prefix(PREFIX)
        .check_delay(Duration::from_millis(5))
        .max_attempts(4)
        .await
        .unwrap()
}

/// Accepted + rejected + not imported = read = `count`.
fn assert_accounted(report: &ImportReport<Transaction>, count: usize) {
    assert_eq!(report.read, count as u64, "{report}");
    assert_eq!(report.accounted(), report.read, "{report}");
}

/// Each record reached the server `times(i)` times and was imported at most once.
fn assert_received(server: &BatchServer, count: usize, times: impl Fn(usize) -> u32) {
    for i in 0..count {
        assert_eq!(server.received(&id(i)), times(i), "record {i} received");
        assert!(server.imported(&id(i)) <= 1, "record {i} imported twice");
    }
}

#[tokio::test]
async fn every_record_is_sent_once_and_accepted() {
    let server = BatchServer::start(|_, _| Fault::ok()).await;
    let snapshots: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let seen = snapshots.clone();
    let report = client(&server)
        .batch()
        .import_transactions(transactions(1_005))
        .chunk_size(50)
        .concurrency(4)
        .batch_id_prefix(PREFIX)
        .configure(|request| request.validate_origin_user_id(false))
        .on_progress(move |progress| seen.lock().unwrap().push(*progress))
        .await
        .unwrap();

    assert_accounted(&report, 1_005);
    assert!(report.is_complete(), "{report}");
    assert_eq!(report.accepted, 1_005);
    assert_eq!((report.chunks, report.requests, report.checks), (21, 21, 0));
    assert_received(&server, 1_005, |_| 1);
    for i in 0..1_005 {
        assert_eq!(server.imported(&id(i)), 1);
    }
    // Deterministic batch ids, and the query flag on every chunk.
    let seen = server.seen.lock().unwrap();
    for chunk in 0..21 {
        assert_eq!(seen.attempts.get(&batch(chunk)), Some(&1), "chunk {chunk}");
    }
    assert!(
        seen.posts
            .iter()
            .all(|(_, _, query)| query == "validateOriginUserId=false")
    );
    let snapshots = snapshots.lock().unwrap();
    assert!(snapshots.iter().all(|p| p.chunks_in_flight <= 4));
    let last = snapshots.last().unwrap();
    assert_eq!(
        (last.accepted, last.settled(), last.chunks_done),
        (1_005, 1_005, 21)
    );
}

#[tokio::test]
async fn a_stream_is_read_lazily() {
    let server = BatchServer::start(|_, _| Fault::ok()).await;
    let read = Arc::new(Mutex::new(0usize));
    let counter = read.clone();
    let records = futures_util::stream::iter(transactions(100).inspect(move |_| {
        *counter.lock().unwrap() += 1;
    }));
    let max_ahead = Arc::new(Mutex::new(0u64));
    let ahead = max_ahead.clone();
    let report = client(&server)
        .batch()
        .import_transactions_stream(records)
        .chunk_size(5)
        .concurrency(2)
        .batch_id_prefix(PREFIX)
        .on_progress(move |p| {
            let mut ahead = ahead.lock().unwrap();
            *ahead = (*ahead).max(p.read - p.settled());
        })
        .await
        .unwrap();
    assert_accounted(&report, 100);
    assert_eq!(report.accepted, 100);
    assert_eq!(*read.lock().unwrap(), 100);
    // Never more than `concurrency` chunks read ahead of what settled.
    assert!(*max_ahead.lock().unwrap() <= 10);
    assert_received(&server, 100, |_| 1);
}

/// `count` transactions as NDJSON, with a line that is not JSON at each of
/// the `bad` positions (transaction `i` is on line `i + 1`).
fn ndjson(count: usize, bad: &[usize]) -> String {
    transactions(count)
        .enumerate()
        .map(|(i, transaction)| {
            if bad.contains(&i) {
                String::from("{\"transactionId\": \"cut short")
            } else {
                serde_json::to_string(&transaction).unwrap()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn unparseable_lines_are_counted_with_their_position() {
    // A backfill from an NDJSON file: one line of 20,000 does not parse. It
    // is accounted for (20,000 of 20,000) with its position and error, and
    // the chunks are made of the records around it.
    let server = BatchServer::start(|_, _| Fault::ok()).await;
    let file = ndjson(20_000, &[12_344]);
    let snapshots: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let seen = snapshots.clone();
    let report = client(&server)
        .batch()
        .import_transactions(file.lines().map(serde_json::from_str::<Transaction>))
        .chunk_size(1_000)
        .batch_id_prefix(PREFIX)
        .on_progress(move |progress| seen.lock().unwrap().push(*progress))
        .await
        .unwrap();

    assert_accounted(&report, 20_000);
    assert_eq!(report.accepted, 19_999);
    assert!(!report.is_complete());
    assert_eq!(report.invalid.len(), 1);
    let invalid = &report.invalid[0];
    assert_eq!(invalid.position, 12_344, "line 12,345 of the file");
    assert!(
        invalid.error.to_string().contains("EOF"),
        "{}",
        invalid.error
    );
    assert!(invalid.error.downcast_ref::<serde_json::Error>().is_some());
    assert!(report.to_string().contains("1 invalid"), "{report}");
    assert_eq!(report.chunks, 20, "19,999 records in chunks of 1,000");
    assert_received(&server, 20_000, |i| u32::from(i != 12_344));
    let last = *snapshots.lock().unwrap().last().unwrap();
    assert_eq!(
        (last.read, last.invalid, last.settled()),
        (20_000, 1, 20_000)
    );
}

#[tokio::test]
async fn positions_count_every_item_of_the_input() {
    // Items 3 and 17 are errors (a `String` error here); the record at
    // position 20 is rejected, and reported at position 20, not 18.
    let server = BatchServer::start(|batch_id, _| {
        if batch_id == batch(1) {
            Fault::Answer {
                reject: vec![(id(20), "DUPLICATE".into())],
            }
        } else {
            Fault::ok()
        }
    })
    .await;
    let items = transactions(25).enumerate().map(|(i, transaction)| {
        if i == 3 || i == 17 {
            Err(format!("no record at {i}"))
        } else {
            Ok(transaction)
        }
    });
    let report = client(&server)
        .batch()
        .import_transactions_stream(futures_util::stream::iter(items))
        .chunk_size(10)
        .batch_id_prefix(PREFIX)
        .await
        .unwrap();
    assert_accounted(&report, 25);
    assert_eq!(report.accepted, 22);
    let invalid: Vec<_> = report
        .invalid
        .iter()
        .map(|item| (item.position, item.error.to_string()))
        .collect();
    assert_eq!(
        invalid,
        [(3, "no record at 3".into()), (17, "no record at 17".into())]
    );
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(
        (report.rejected[0].position, report.rejected[0].chunk),
        (20, 1)
    );
    // 23 records: chunks of 10, 10 and 3.
    assert_eq!(report.chunks, 3);
    assert_eq!(server.seen.lock().unwrap().batches[&batch(2)].len(), 3);
}

/// Imports `items` in chunks of 10 and returns every progress snapshot.
async fn progress_of<I>(
    server: &BatchServer,
    items: I,
    expected_total: Option<u64>,
) -> Vec<Progress>
where
    I: IntoIterator<Item = Result<Transaction, serde_json::Error>>,
    I::IntoIter: Send + 'static,
{
    let snapshots: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let seen = snapshots.clone();
    let client = client(server);
    let mut import = client
        .batch()
        .import_transactions(items)
        .chunk_size(10)
        .on_progress(move |progress| seen.lock().unwrap().push(*progress));
    if let Some(total) = expected_total {
        import = import.expected_total(total);
    }
    import.await.unwrap();
    Arc::try_unwrap(snapshots).unwrap().into_inner().unwrap()
}

#[tokio::test]
async fn progress_knows_the_expected_total() {
    let server = BatchServer::start(|_, _| Fault::ok()).await;
    let file = ndjson(35, &[4]);
    // Owned lines, filtered: an input that does not know its length.
    let lines = || {
        file.lines()
            .map(serde_json::from_str::<Transaction>)
            .collect::<Vec<_>>()
            .into_iter()
            .filter(|_| true)
    };

    // Lines of a file do not know their count: the caller says it.
    let snapshots = progress_of(&server, lines(), Some(35)).await;
    assert!(snapshots.iter().all(|p| p.total == Some(35)));
    let last = snapshots.last().unwrap();
    assert_eq!((last.settled(), last.fraction()), (35, Some(1.0)));
    assert_eq!(last.eta(), Some(Duration::ZERO));
    assert!(snapshots.iter().any(|p| p.fraction() < Some(1.0)));

    // Without it, the total is unknown...
    let snapshots = progress_of(&server, lines(), None).await;
    assert!(
        snapshots
            .iter()
            .all(|p| p.total.is_none() && p.fraction().is_none())
    );

    // ...unless the input knows its exact length.
    let items: Vec<_> = lines().collect();
    let snapshots = progress_of(&server, items, None).await;
    assert!(snapshots.iter().all(|p| p.total == Some(35)));
}

#[tokio::test]
async fn partial_failure_reports_each_rejected_record_with_its_reason() {
    let server = BatchServer::start(|batch_id, _| {
        if batch_id == batch(2) {
            Fault::Answer {
                reject: vec![
                    (id(23), "USER_NOT_FOUND".into()),
                    (id(27), "DUPLICATE".into()),
                ],
            }
        } else {
            Fault::ok()
        }
    })
    .await;
    let report = import(&server, 95).await;

    assert_accounted(&report, 95);
    assert_eq!(report.accepted, 93);
    let rejected: Vec<_> = report
        .rejected
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.reason_code.as_deref(),
                r.batch_id.as_str(),
                r.chunk,
            )
        })
        .collect();
    assert_eq!(
        rejected,
        [
            ("t-23", Some("USER_NOT_FOUND"), "test-2", 2),
            ("t-27", Some("DUPLICATE"), "test-2", 2)
        ]
    );
    assert_eq!(report.rejected[0].record.transaction_id, "t-23");
    assert!(report.not_imported.is_empty());
    assert_received(&server, 95, |_| 1);
}

#[tokio::test]
async fn a_429_with_retry_after_pauses_the_whole_importer() {
    let server = failing(1, 1, Fault::TooManyRequests { retry_after: 1 }).await;
    let report = import(&server, 100).await;

    assert_accounted(&report, 100);
    assert_eq!(report.accepted, 100);
    assert_eq!((report.requests, report.throttled), (11, 1));
    assert_eq!(server.attempts(&batch(1)), 2);
    // Refused before processing: chunk 1 reached the server twice, and was
    // imported once.
    assert_received(&server, 100, |i| if i / 10 == 1 { 2 } else { 1 });
    for i in 0..100 {
        assert_eq!(server.imported(&id(i)), 1);
    }
    // No chunk was sent during the pause (requests already on the way when
    // the 429 came back are allowed for a moment).
    let seen = server.seen.lock().unwrap();
    let refused = seen
        .posts
        .iter()
        .position(|(b, _, _)| *b == batch(1))
        .unwrap();
    let at = seen.posts[refused].1;
    let during = seen
        .posts
        .iter()
        .filter(|(_, when, _)| {
            *when > at + Duration::from_millis(200) && *when < at + Duration::from_millis(900)
        })
        .count();
    assert_eq!(during, 0, "requests sent while the importer was paused");
    assert!(report.elapsed >= Duration::from_secs(1));
}

#[tokio::test]
async fn a_503_is_retried_after_a_shared_backoff() {
    let server = failing(0, 2, Fault::Unavailable).await;
    let report = import(&server, 30).await;
    assert_accounted(&report, 30);
    assert_eq!(report.accepted, 30);
    assert_eq!(report.throttled, 2);
    assert_received(&server, 30, |i| if i < 10 { 3 } else { 1 });
}

#[tokio::test]
async fn refusals_on_every_attempt_leave_the_chunk_not_imported_and_safe_to_resend() {
    let server = failing(1, u32::MAX, Fault::Unavailable).await;
    let report = import(&server, 30).await;
    assert_accounted(&report, 30);
    assert_eq!(report.accepted, 20);
    assert_eq!(report.not_imported.len(), 10);
    for record in &report.not_imported {
        assert_eq!((record.chunk, record.batch_id.as_str()), (1, "test-1"));
        assert!(!record.may_have_been_processed());
        assert!(
            matches!(&record.reason, NotImportedReason::Failed(e) if e.status().map(|s| s.as_u16()) == Some(503))
        );
    }
    let ids: Vec<_> = report
        .not_imported
        .iter()
        .map(|r| r.record.transaction_id.clone())
        .collect();
    assert_eq!(ids, (10..20).map(id).collect::<Vec<_>>());
    assert_received(&server, 30, |i| if i / 10 == 1 { 4 } else { 1 });
}

#[tokio::test]
async fn a_500_after_processing_is_found_by_the_batch_get_and_not_resent() {
    let server = failing(3, 1, Fault::ServerError { processed: true }).await;
    let report = import(&server, 50).await;
    assert_accounted(&report, 50);
    assert_eq!(report.accepted, 50);
    assert_eq!((report.checks, report.resent_chunks), (1, 0));
    assert_eq!(server.attempts(&batch(3)), 1);
    assert_eq!(server.gets(), 1);
    assert_received(&server, 50, |_| 1);
}

#[tokio::test]
async fn an_answer_lost_after_processing_is_found_and_not_resent() {
    let server = failing(0, 1, Fault::Cut { processed: true }).await;
    let report = import(&server, 25).await;
    assert_accounted(&report, 25);
    assert_eq!(report.accepted, 25);
    assert_eq!((report.checks, report.resent_chunks), (1, 0));
    assert_eq!(server.attempts(&batch(0)), 1);
    assert_received(&server, 25, |_| 1);
}

#[tokio::test]
async fn a_connection_cut_before_processing_is_resent_after_the_get_finds_nothing() {
    let server = failing(1, 1, Fault::Cut { processed: false }).await;
    let report = import(&server, 30).await;
    assert_accounted(&report, 30);
    assert_eq!(report.accepted, 30);
    assert_eq!((report.checks, report.resent_chunks), (1, 1));
    // The first copy reached the server but was not processed (the GET
    // found no batch), so the chunk went again: imported exactly once.
    assert_received(&server, 30, |i| if i / 10 == 1 { 2 } else { 1 });
    for i in 0..30 {
        assert_eq!(server.imported(&id(i)), 1);
    }
}

#[tokio::test]
async fn records_missing_from_a_found_batch_are_reported_unconfirmed() {
    // The answer is lost and the batch GET finds the batch, listing only
    // one of the chunk's records (the API rejected or is still processing
    // the others): they are not sent again, and reported as maybe imported.
    let server = BatchServer::start(|_, _| Fault::Cut { processed: false }).await;
    server
        .seen
        .lock()
        .unwrap()
        .batches
        .insert(batch(0), vec![id(3)]);
    let report = import(&server, 10).await;
    assert_accounted(&report, 10);
    assert_eq!(report.accepted, 1);
    assert_eq!(report.not_imported.len(), 9);
    assert!(
        report
            .not_imported
            .iter()
            .all(|r| r.may_have_been_processed()
                && matches!(r.reason, NotImportedReason::NotInBatchResults(_)))
    );
    assert_received(&server, 10, |_| 1);
}

#[tokio::test]
async fn counts_that_do_not_add_up_leave_records_unconfirmed() {
    let server = failing(1, u32::MAX, Fault::WrongCounts).await;
    let report = import(&server, 20).await;
    assert_accounted(&report, 20);
    assert_eq!(report.accepted, 10);
    assert_eq!(report.not_imported.len(), 10);
    assert!(
        report
            .not_imported
            .iter()
            .all(|r| r.may_have_been_processed()
                && matches!(
                    r.reason,
                    NotImportedReason::CountsDisagree {
                        successful: Some(9),
                        failed: Some(1)
                    }
                ))
    );
    assert_received(&server, 20, |_| 1);
}

#[tokio::test]
async fn counts_are_read_leniently_and_never_made_up() {
    // The contract types the counts as any number: a whole `10.0` is ten
    // records, while `9.5` and `-1` are no count at all (`None`), not a
    // made-up sentinel.
    let server = BatchServer::start(|batch_id, _| match batch_id {
        "test-0" => Fault::RawCounts {
            successful: "10.0",
            failed: "0.0",
        },
        _ => Fault::RawCounts {
            successful: "9.5",
            failed: "-1",
        },
    })
    .await;
    let report = import(&server, 20).await;
    assert_accounted(&report, 20);
    assert_eq!(report.accepted, 10);
    assert_eq!(report.not_imported.len(), 10);
    for record in &report.not_imported {
        assert!(
            matches!(
                record.reason,
                NotImportedReason::CountsDisagree {
                    successful: None,
                    failed: None
                }
            ),
            "{:?}",
            record.reason
        );
        assert!(record.reason.to_string().contains("an invalid number of"));
    }
}

#[tokio::test]
async fn a_401_stops_the_import_and_says_how_far_it_read() {
    let server = failing(2, u32::MAX, Fault::Unauthorized).await;
    let report = import(&server, 1_000).await;
    assert!(report.stopped.is_some(), "{report}");
    assert!(report.read < 1_000, "{report}");
    assert_eq!(report.accounted(), report.read);
    assert_eq!(report.read % 10, 0);
    let stopped = report
        .not_imported
        .iter()
        .filter(|r| matches!(r.reason, NotImportedReason::Stopped(_)))
        .count() as u64;
    let failed = report.not_imported.len() as u64 - stopped;
    assert_eq!(failed, 10);
    assert_eq!(report.accepted + stopped + failed, report.read);
    // Nothing after what was read reached the server, nothing twice.
    let seen = server.seen.lock().unwrap();
    assert!(seen.received.values().all(|&n| n == 1));
    assert!(seen.received.len() as u64 <= report.read);
}

/// The import of `count` transactions as `import` does it, resuming.
async fn resume(server: &BatchServer, count: usize) -> ImportReport<Transaction> {
    client(server)
        .batch()
        .import_transactions(transactions(count))
        .chunk_size(10)
        .concurrency(3)
        .batch_id_prefix(PREFIX)
        .check_delay(Duration::from_millis(5))
        .max_attempts(4)
        .resume(true)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_run_cut_short_is_resumed_without_sending_a_record_twice() {
    // The first run is cut short: chunks 0-4 are answered, then chunks 5, 6
    // and 7 reach a server that never answers (5 and 7 imported, 6 not),
    // and the import future is dropped, as when a process ends.
    let rerun = Arc::new(AtomicBool::new(false));
    let second = rerun.clone();
    let server = BatchServer::start(move |batch_id, _| {
        let chunk: usize = batch_id.rsplit('-').next().unwrap().parse().unwrap();
        if second.load(Ordering::SeqCst) || chunk < 5 {
            Fault::ok()
        } else {
            Fault::Hang {
                processed: chunk != 6,
            }
        }
    })
    .await;
    {
        let client = client(&server);
        let first = client
            .batch()
            .import_transactions(transactions(100))
            .chunk_size(10)
            .concurrency(3)
            .batch_id_prefix(PREFIX)
            .into_future();
        tokio::select! {
            report = first => panic!("the first run finished: {report:?}"),
            // Five chunks answered, then three in flight: eight POSTs.
            () = server.wait_for_posts(8) => {}
        }
    }
    assert_eq!(server.seen.lock().unwrap().posts.len(), 8);

    // The second run, with the same prefix, chunk size and input.
    rerun.store(true, Ordering::SeqCst);
    let report = resume(&server, 100).await;
    assert_accounted(&report, 100);
    assert!(report.is_complete(), "{report}");
    // Chunks 0-5 and 7 were found; 6 (never processed), 8 and 9 were sent.
    assert_eq!(report.already_imported, 70, "{report}");
    assert_eq!(report.accepted, 30);
    assert_eq!((report.resumed_chunks, report.requests), (7, 3));
    assert_eq!((report.checks, server.gets()), (10, 10));
    assert!(
        report.to_string().contains("70 imported earlier"),
        "{report}"
    );
    for chunk in [6, 8, 9] {
        assert_eq!(
            server.attempts(&batch(chunk)),
            if chunk == 6 { 2 } else { 1 }
        );
    }
    // Every record imported exactly once. No record the first run imported
    // reached the server again; only chunk 6, which the server received but
    // never processed, arrived a second time.
    for i in 0..100 {
        assert_eq!(server.imported(&id(i)), 1, "record {i} imported");
    }
    assert_received(&server, 100, |i| if i / 10 == 6 { 2 } else { 1 });
}

#[tokio::test]
async fn resume_reports_what_an_earlier_batch_does_not_list() {
    // An earlier run's chunk 1 imported only t-12; the others of that chunk
    // were rejected by an answer that was lost. They are not sent again.
    let server = BatchServer::start(|_, _| Fault::ok()).await;
    server
        .seen
        .lock()
        .unwrap()
        .batches
        .insert(batch(1), vec![id(12)]);
    let report = resume(&server, 30).await;
    assert_accounted(&report, 30);
    assert_eq!((report.already_imported, report.accepted), (1, 20));
    assert_eq!(report.not_imported.len(), 9);
    for record in &report.not_imported {
        assert!(matches!(
            record.reason,
            NotImportedReason::NotInEarlierBatch
        ));
        assert!(record.may_have_been_processed());
        assert_eq!(record.chunk, 1);
    }
    assert_eq!(server.attempts(&batch(1)), 0);
    assert_received(&server, 30, |i| u32::from(i / 10 != 1));
}

#[tokio::test]
async fn resume_sends_nothing_it_could_not_check() {
    // The batch GET fails: no chunk is sent, since an earlier run may have
    // imported it.
    let server = BatchServer::start(|_, _| Fault::ok()).await;
    server.seen.lock().unwrap().get_status = Some(500);
    let report = resume(&server, 20).await;
    assert_accounted(&report, 20);
    assert_eq!(report.not_imported.len(), 20);
    assert!(report.not_imported.iter().all(|record| matches!(
        &record.reason,
        NotImportedReason::ResumeUnchecked(error) if error.status().map(|s| s.as_u16()) == Some(500)
    ) && record.may_have_been_processed()));
    assert_eq!(report.requests, 0);
    assert!(server.seen.lock().unwrap().received.is_empty());

    // A 401 on the check stops the import, as on a POST.
    server.seen.lock().unwrap().get_status = Some(401);
    let report = resume(&server, 1_000).await;
    assert!(report.stopped.is_some(), "{report}");
    assert_eq!(report.accounted(), report.read);
    assert!(server.seen.lock().unwrap().received.is_empty());
}

#[tokio::test]
async fn bad_settings_are_refused_before_anything_is_sent() {
    let server = BatchServer::start(|_, _| Fault::ok()).await;
    let client = client(&server);
    for (chunk_size, concurrency) in [(0, 1), (1_001, 1), (10, 0)] {
        let result = client
            .batch()
            .import_transactions(transactions(5))
            .chunk_size(chunk_size)
            .concurrency(concurrency)
            .await;
        assert!(matches!(
            result,
            Err(flagright_api::Error::InvalidInput { .. })
        ));
    }
    assert!(server.seen.lock().unwrap().received.is_empty());
}

#[tokio::test]
async fn the_other_batch_endpoints_have_importers() {
    use flagright_api::types::{
        Business, BusinessUserEvent, ConsumerUserEvent, TransactionEvent, User,
    };
    // Checked at compile time: the six importers and their query flags.
    let server = BatchServer::start(|_, _| Fault::ok()).await;
    let client = client(&server);
    let batch = client.batch();
    let _ = batch
        .import_consumer_users(Vec::<User>::new())
        .configure(|r| r.lock_kyc_risk_level(true));
    let _ = batch
        .import_business_users(Vec::<Business>::new())
        .configure(|r| r.lock_cra_risk_level(true));
    let _ = batch.import_consumer_user_events(Vec::<ConsumerUserEvent>::new());
    let _ = batch.import_business_user_events(Vec::<BusinessUserEvent>::new());
    let _ = batch.import_transaction_events(Vec::<TransactionEvent>::new());
}
