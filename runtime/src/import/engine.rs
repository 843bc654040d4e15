//! Running an import: chunks in flight, the shared back-off, the check of a
//! chunk whose answer was lost, and the account of every record.

use std::collections::{HashMap, HashSet, VecDeque};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use futures_core::Stream;
use futures_util::StreamExt;

use super::item::InputError;
use super::report::{
    ImportReport, InvalidItem, NotImported, NotImportedReason, Progress, Rejected,
};
use super::{BatchEndpoint, BodyOf, ChunkAck, Import, MAX_CHUNK_SIZE, OnProgress, Settings};
use crate::error::Error;
use crate::retry::{Delivery, RetryPolicy, server_requested_wait, status_delivery};

/// Runs `import` to the end.
pub(super) async fn run<E: BatchEndpoint>(
    import: Import<'_, E>,
) -> Result<ImportReport<E::Record, BodyOf<E>>, Error<BodyOf<E>>> {
    let Import {
        client,
        records,
        settings,
        configure,
        progress,
    } = import;
    check_settings(&settings)?;
    let shared: Shared<'_, E> = Shared {
        client,
        settings,
        configure,
        progress,
        started: Instant::now(),
        counters: Counters::default(),
        throttle: Throttle::default(),
        stopped: Mutex::new(None),
        stop_flag: AtomicBool::new(false),
        invalid: Mutex::new(Vec::new()),
    };
    let shared = &shared;

    let chunks = Chunks {
        records,
        size: shared.settings.chunk_size,
        buffer: Vec::new(),
        positions: Vec::new(),
        position: 0,
        stopped: &shared.stop_flag,
        invalid: &shared.invalid,
        counters: &shared.counters,
        done: false,
    };
    let mut outcomes = chunks
        .enumerate()
        .map(|(index, chunk)| process(shared, index as u64, chunk))
        .buffer_unordered(shared.settings.concurrency);

    let mut report = ImportReport::new();
    while let Some(outcome) = outcomes.next().await {
        report.chunks += 1;
        report.read += outcome.records;
        report.accepted += outcome.accepted;
        report.already_imported += outcome.already_imported;
        report.resumed_chunks += u64::from(outcome.resumed);
        report.requests += u64::from(outcome.requests);
        report.checks += u64::from(outcome.checks);
        report.resent_chunks += u64::from(outcome.resent);
        report.throttled += u64::from(outcome.throttled);
        report.rejected.extend(outcome.rejected);
        report.not_imported.extend(outcome.not_imported);
    }
    drop(outcomes);
    // Chunks finish in any order.
    report.rejected.sort_by_key(|rejected| rejected.position);
    report.not_imported.sort_by_key(|record| record.position);
    report.invalid = shared
        .invalid
        .lock()
        .map(|mut invalid| std::mem::take(&mut *invalid))
        .unwrap_or_default();
    report.read += report.invalid.len() as u64;
    report.stopped = shared.stopped();
    report.elapsed = shared.started.elapsed();
    shared.report_progress();
    Ok(report)
}

/// Records of one chunk, with their positions in the input.
struct Chunk<R> {
    records: Vec<R>,
    positions: Vec<u64>,
}

/// The input in chunks of `size` records, filled straight from the input
/// (records are large: every move costs). Errors in the input go to
/// `invalid` and take no place in a chunk, so the chunks of an input are
/// the same however its errors fall. Once the import stops, no further item
/// is taken; the records already taken still come out.
struct Chunks<'s, R, S> {
    records: S,
    size: usize,
    buffer: Vec<R>,
    positions: Vec<u64>,
    /// Position of the next item.
    position: u64,
    stopped: &'s AtomicBool,
    invalid: &'s Mutex<Vec<InvalidItem>>,
    counters: &'s Counters,
    done: bool,
}

impl<R, S> Chunks<'_, R, S> {
    fn take(&mut self) -> Option<Chunk<R>> {
        let records = std::mem::take(&mut self.buffer);
        let positions = std::mem::take(&mut self.positions);
        (!records.is_empty()).then_some(Chunk { records, positions })
    }
}

// Nothing in a `Chunks` is ever pinned but the input, which is `Unpin`.
impl<R, S: Unpin> Unpin for Chunks<'_, R, S> {}

impl<R, S> Stream for Chunks<'_, R, S>
where
    S: Stream<Item = Result<R, InputError>> + Unpin,
{
    type Item = Chunk<R>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done || this.stopped.load(Ordering::Relaxed) {
                this.done = true;
                return Poll::Ready(this.take());
            }
            if this.buffer.capacity() == 0 {
                this.buffer.reserve_exact(this.size);
                this.positions.reserve_exact(this.size);
            }
            match this.records.poll_next_unpin(cx) {
                Poll::Ready(Some(item)) => {
                    let position = this.position;
                    this.position += 1;
                    match item {
                        Ok(record) => {
                            this.buffer.push(record);
                            this.positions.push(position);
                            if this.buffer.len() >= this.size {
                                return Poll::Ready(this.take());
                            }
                        }
                        Err(error) => {
                            if let Ok(mut invalid) = this.invalid.lock() {
                                invalid.push(InvalidItem {
                                    position,
                                    error: error.0,
                                });
                            }
                            Counters::add(&this.counters.read, 1);
                            Counters::add(&this.counters.invalid, 1);
                        }
                    }
                }
                Poll::Ready(None) => this.done = true,
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

fn check_settings<B>(settings: &Settings) -> Result<(), Error<B>> {
    if !(1..=MAX_CHUNK_SIZE).contains(&settings.chunk_size) {
        return Err(Error::invalid_input(format!(
            "the import's chunk size must be 1 to {MAX_CHUNK_SIZE} records, not {}",
            settings.chunk_size
        )));
    }
    if settings.concurrency == 0 {
        return Err(Error::invalid_input(
            "the import's concurrency must be at least 1",
        ));
    }
    if settings.max_attempts == 0 {
        return Err(Error::invalid_input(
            "the import's max_attempts must be at least 1",
        ));
    }
    if settings.prefix.is_empty() {
        return Err(Error::invalid_input(
            "the import's batch id prefix must not be empty",
        ));
    }
    Ok(())
}

/// What every chunk shares.
struct Shared<'a, E: BatchEndpoint> {
    client: &'a E::Client,
    settings: Settings,
    configure: Option<Box<E::Configure>>,
    progress: Option<Box<OnProgress<'a>>>,
    started: Instant,
    counters: Counters,
    throttle: Throttle,
    stopped: Mutex<Option<Arc<Error<BodyOf<E>>>>>,
    /// Set with `stopped`, read for every chunk.
    stop_flag: AtomicBool,
    /// Errors of the input, in input order.
    invalid: Mutex<Vec<InvalidItem>>,
}

impl<E: BatchEndpoint> Shared<'_, E> {
    fn stopped(&self) -> Option<Arc<Error<BodyOf<E>>>> {
        self.stopped
            .lock()
            .map_or(None, |stopped| stopped.as_ref().map(Arc::clone))
    }

    fn stop(&self, error: &Arc<Error<BodyOf<E>>>) {
        if let Ok(mut stopped) = self.stopped.lock() {
            stopped.get_or_insert_with(|| Arc::clone(error));
        }
        self.stop_flag.store(true, Ordering::Relaxed);
    }

    fn report_progress(&self) {
        if let Some(callback) = &self.progress {
            let progress = self
                .counters
                .snapshot(self.started.elapsed(), self.settings.expected_total);
            callback(&progress);
        }
    }

    fn retry_policy(&self) -> &RetryPolicy {
        &self.client.inner.retry
    }
}

/// Running totals behind [`Progress`].
#[derive(Default)]
struct Counters {
    read: AtomicU64,
    sent: AtomicU64,
    accepted: AtomicU64,
    rejected: AtomicU64,
    not_imported: AtomicU64,
    invalid: AtomicU64,
    already_imported: AtomicU64,
    in_flight: AtomicU64,
    done: AtomicU64,
    requests: AtomicU64,
    throttled: AtomicU64,
}

impl Counters {
    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    fn snapshot(&self, elapsed: Duration, total: Option<u64>) -> Progress {
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        Progress {
            read: get(&self.read),
            sent: get(&self.sent),
            accepted: get(&self.accepted),
            rejected: get(&self.rejected),
            not_imported: get(&self.not_imported),
            invalid: get(&self.invalid),
            already_imported: get(&self.already_imported),
            chunks_in_flight: get(&self.in_flight),
            chunks_done: get(&self.done),
            requests: get(&self.requests),
            throttled: get(&self.throttled),
            total,
            elapsed,
        }
    }
}

/// The back-off every chunk honours: after a 429, 503, 408 or refused
/// connection no chunk is sent until `until`.
#[derive(Default)]
struct Throttle {
    state: Mutex<ThrottleState>,
}

#[derive(Default)]
struct ThrottleState {
    until: Option<Instant>,
    /// Refusals since the last answered request.
    streak: u32,
}

impl Throttle {
    async fn wait(&self) {
        loop {
            let until = self.state.lock().ok().and_then(|state| state.until);
            match until {
                Some(until) if until > Instant::now() => {
                    tokio::time::sleep_until(until.into()).await;
                }
                _ => return,
            }
        }
    }

    /// Pauses everyone for what the server asked, or else for a backoff
    /// growing with the refusals in a row.
    fn pause<B>(&self, error: &Error<B>, policy: &RetryPolicy) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        state.streak = state.streak.saturating_add(1);
        let asked = error
            .api_error()
            .and_then(|api| server_requested_wait(&api.headers, SystemTime::now()));
        let wait = match asked {
            Some(wait) => wait.min(policy.max_retry_after),
            // Half fixed, half jitter: chunks that all met the refusal do
            // not come back at once, and none comes back at once either.
            None => {
                let ceiling = policy.backoff_ceiling(state.streak);
                ceiling / 2 + policy.backoff(state.streak) / 2
            }
        };
        let until = Instant::now() + wait;
        state.until = Some(state.until.map_or(until, |current| current.max(until)));
    }

    fn answered(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.streak = 0;
        }
    }
}

/// How a failed `POST` classifies for the importer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Refused before processing: send again after the shared back-off.
    Refused,
    /// May have been processed: check with the batch `GET`.
    Ambiguous,
    /// Will fail the same way if sent again.
    Final,
}

fn classify<B>(error: &Error<B>) -> Class {
    if error.may_have_been_processed() {
        return Class::Ambiguous;
    }
    match error {
        Error::Api(api) if status_delivery(api.status) == Delivery::NotProcessed => Class::Refused,
        // A `POST` that failed in transport without being marked as possibly
        // processed never got a connection.
        Error::Transport {
            unconfirmed: None, ..
        } => Class::Refused,
        _ => Class::Final,
    }
}

/// Whether every further chunk would fail the same way.
fn stops_import<B>(error: &Error<B>) -> bool {
    match error {
        Error::Api(api) => matches!(api.status.as_u16(), 401 | 403 | 404),
        Error::Redirect { .. } | Error::Config { .. } => true,
        _ => false,
    }
}

/// How one chunk ended.
enum Settled<E: BatchEndpoint> {
    Answered(ChunkAck),
    /// The batch `GET` found the batch, listing these ids.
    Found(HashSet<String>, Arc<Error<BodyOf<E>>>),
    /// With resume, the batch `GET` found an earlier run's batch, listing
    /// these ids; the chunk was not sent.
    Resumed(HashSet<String>),
    NotImported(NotImportedReason<BodyOf<E>>),
}

/// What one chunk contributes to the report.
struct ChunkOutcome<R, B> {
    records: u64,
    accepted: u64,
    rejected: Vec<Rejected<R>>,
    not_imported: Vec<NotImported<R, B>>,
    /// Records an earlier run imported (with resume).
    already_imported: u64,
    /// Whether the chunk was settled by an earlier run's batch.
    resumed: bool,
    requests: u32,
    checks: u32,
    resent: bool,
    throttled: u32,
}

/// Settles one chunk (with resume, first looking for an earlier run's
/// batch of it) and accounts for its records.
async fn process<E: BatchEndpoint>(
    shared: &Shared<'_, E>,
    chunk: u64,
    Chunk { records, positions }: Chunk<E::Record>,
) -> ChunkOutcome<E::Record, BodyOf<E>> {
    let count = records.len() as u64;
    let batch_id = format!("{}-{chunk}", shared.settings.prefix);
    let counters = &shared.counters;
    Counters::add(&counters.read, count);
    Counters::add(&counters.in_flight, 1);
    let mut outcome = ChunkOutcome {
        records: count,
        accepted: 0,
        rejected: Vec::new(),
        not_imported: Vec::new(),
        already_imported: 0,
        resumed: false,
        requests: 0,
        checks: 0,
        resent: false,
        throttled: 0,
    };
    let resumed = if shared.settings.resume {
        resume_check(shared, &batch_id, &mut outcome).await
    } else {
        None
    };
    let (settled, records) = match resumed {
        Some(settled) => (settled, records),
        None => {
            let body = E::body(records, batch_id.clone());
            let settled = send(shared, &body, &batch_id, &mut outcome).await;
            (settled, E::into_records(body))
        }
    };

    let place = Place { batch_id, chunk };
    match settled {
        Settled::Answered(ack) => account::<E>(records, &positions, ack, &place, &mut outcome),
        Settled::Found(ids, error) => {
            let missing = NotImportedReason::NotInBatchResults(error);
            outcome.accepted +=
                found::<E>(records, &positions, ids, &missing, &place, &mut outcome);
        }
        Settled::Resumed(ids) => {
            let missing = NotImportedReason::NotInEarlierBatch;
            outcome.already_imported +=
                found::<E>(records, &positions, ids, &missing, &place, &mut outcome);
        }
        Settled::NotImported(reason) => {
            for (record, &position) in records.into_iter().zip(&positions) {
                outcome
                    .not_imported
                    .push(place.not_imported(record, position, reason.clone()));
            }
        }
    }
    Counters::add(&counters.accepted, outcome.accepted);
    Counters::add(&counters.already_imported, outcome.already_imported);
    Counters::add(&counters.rejected, outcome.rejected.len() as u64);
    Counters::add(&counters.not_imported, outcome.not_imported.len() as u64);
    counters.in_flight.fetch_sub(1, Ordering::Relaxed);
    Counters::add(&counters.done, 1);
    shared.report_progress();
    outcome
}

/// With resume: whether an earlier run's batch of this chunk's `batchId`
/// settles the chunk without sending it. `None`: the API does not know the
/// batch, so the chunk is to be sent.
async fn resume_check<E: BatchEndpoint>(
    shared: &Shared<'_, E>,
    batch_id: &str,
    outcome: &mut ChunkOutcome<E::Record, BodyOf<E>>,
) -> Option<Settled<E>> {
    shared.throttle.wait().await;
    if let Some(error) = shared.stopped() {
        return Some(Settled::NotImported(NotImportedReason::Stopped(error)));
    }
    outcome.checks += 1;
    match check::<E>(shared, batch_id).await {
        Ok(None) => None,
        Ok(Some(ids)) => {
            outcome.resumed = true;
            Some(Settled::Resumed(ids))
        }
        Err(error) => {
            let error = Arc::new(error);
            if stops_import(&error) {
                shared.stop(&error);
            }
            Some(Settled::NotImported(NotImportedReason::ResumeUnchecked(
                error,
            )))
        }
    }
}

/// Sends one chunk until it settles: again after a refusal, and checked
/// with the batch `GET` after an ambiguous failure.
async fn send<E: BatchEndpoint>(
    shared: &Shared<'_, E>,
    body: &E::Body,
    batch_id: &str,
    outcome: &mut ChunkOutcome<E::Record, BodyOf<E>>,
) -> Settled<E> {
    let counters = &shared.counters;
    let mut attempts = 0u32;
    loop {
        shared.throttle.wait().await;
        if let Some(error) = shared.stopped() {
            return Settled::NotImported(NotImportedReason::Stopped(error));
        }
        attempts += 1;
        if outcome.requests == 0 {
            Counters::add(&counters.sent, outcome.records);
        }
        outcome.requests += 1;
        Counters::add(&counters.requests, 1);
        shared.report_progress();
        let options = shared.settings.options.clone().max_retries(0);
        let sent = E::send(shared.client, body, options, shared.configure.as_deref()).await;
        let error = match sent {
            Ok(ack) => {
                shared.throttle.answered();
                return Settled::Answered(ack);
            }
            Err(error) => error,
        };
        match classify(&error) {
            Class::Refused => {
                outcome.throttled += 1;
                Counters::add(&counters.throttled, 1);
                shared.throttle.pause(&error, shared.retry_policy());
                if attempts >= shared.settings.max_attempts {
                    return Settled::NotImported(NotImportedReason::Failed(Arc::new(error)));
                }
            }
            Class::Final => {
                let error = Arc::new(error);
                if stops_import(&error) {
                    shared.stop(&error);
                }
                return Settled::NotImported(NotImportedReason::Failed(error));
            }
            Class::Ambiguous => {
                let error = Arc::new(error);
                tokio::time::sleep(shared.settings.check_delay).await;
                outcome.checks += 1;
                match check::<E>(shared, batch_id).await {
                    Ok(Some(ids)) => return Settled::Found(ids, error),
                    // The API never received the chunk: safe to send again.
                    Ok(None) if attempts < shared.settings.max_attempts => outcome.resent = true,
                    Ok(None) => return Settled::NotImported(NotImportedReason::Failed(error)),
                    Err(check) => {
                        return Settled::NotImported(NotImportedReason::Unconfirmed {
                            error,
                            check: Arc::new(check),
                        });
                    }
                }
            }
        }
    }
}

/// The ids of batch `batch_id`'s results, or `None` when the API does not
/// know the batch.
async fn check<E: BatchEndpoint>(
    shared: &Shared<'_, E>,
    batch_id: &str,
) -> Result<Option<HashSet<String>>, Error<BodyOf<E>>> {
    let mut results = E::results(shared.client, batch_id, shared.settings.options.clone());
    let mut ids = HashSet::new();
    let mut first = true;
    while let Some(item) = results.next().await {
        match item {
            Ok(item) => {
                if let Some(id) = E::result_id(&item) {
                    ids.insert(id.to_owned());
                }
            }
            Err(error) if first && error.is_not_found() => return Ok(None),
            Err(error) => return Err(error),
        }
        first = false;
    }
    Ok(Some(ids))
}

/// Where a record travelled.
struct Place {
    batch_id: String,
    chunk: u64,
}

impl Place {
    fn not_imported<R, B>(
        &self,
        record: R,
        position: u64,
        reason: NotImportedReason<B>,
    ) -> NotImported<R, B> {
        NotImported {
            record,
            batch_id: self.batch_id.clone(),
            chunk: self.chunk,
            position,
            reason,
        }
    }

    fn rejected<R>(
        &self,
        record: R,
        position: u64,
        id: String,
        reason_code: Option<String>,
    ) -> Rejected<R> {
        Rejected {
            record,
            id,
            reason_code,
            batch_id: self.batch_id.clone(),
            chunk: self.chunk,
            position,
        }
    }
}

/// Splits an answered chunk into accepted and rejected records by the
/// answer's `failedRecords`, checking its counts.
fn account<E: BatchEndpoint>(
    records: Vec<E::Record>,
    positions: &[u64],
    ack: ChunkAck,
    place: &Place,
    outcome: &mut ChunkOutcome<E::Record, BodyOf<E>>,
) {
    let total = records.len() as u64;
    let successful = count(ack.successful);
    let failed = count(ack.failed);
    let none_listed = ack.failed_records.as_ref().is_none_or(Vec::is_empty);
    if none_listed && successful == Some(total) {
        // The common case: all accepted. Records are dropped where they are.
        outcome.accepted += total;
        return;
    }
    let mut listed: HashMap<String, VecDeque<Option<String>>> = HashMap::new();
    let mut left_over = 0u64;
    for (id, reason) in ack.failed_records.unwrap_or_default() {
        match id {
            Some(id) => listed.entry(id).or_default().push_back(reason),
            None => left_over += 1,
        }
    }
    let mut unlisted = Vec::with_capacity(records.len());
    for (record, &position) in records.into_iter().zip(positions) {
        let hit = E::record_id(&record).and_then(|id| {
            let reason = listed.get_mut(id)?.pop_front()?;
            Some((id.to_owned(), reason))
        });
        match hit {
            Some((id, reason_code)) => {
                outcome
                    .rejected
                    .push(place.rejected(record, position, id, reason_code));
            }
            None => unlisted.push((record, position)),
        }
    }
    left_over += listed
        .values()
        .map(|reasons| reasons.len() as u64)
        .sum::<u64>();
    if left_over == 0 && successful == Some(unlisted.len() as u64) {
        outcome.accepted += unlisted.len() as u64;
    } else if left_over == 0 && successful == Some(0) && failed == Some(total) {
        // Everything failed, without a list of why.
        for (record, position) in unlisted {
            let id = E::record_id(&record).unwrap_or_default().to_owned();
            outcome
                .rejected
                .push(place.rejected(record, position, id, None));
        }
    } else {
        let reason = NotImportedReason::CountsDisagree { successful, failed };
        for (record, position) in unlisted {
            outcome
                .not_imported
                .push(place.not_imported(record, position, reason.clone()));
        }
    }
}

/// Accounts for a chunk whose batch the batch `GET` found: records among
/// its results are counted (the count is returned), the others are not
/// imported for `missing`.
fn found<E: BatchEndpoint>(
    records: Vec<E::Record>,
    positions: &[u64],
    mut ids: HashSet<String>,
    missing: &NotImportedReason<BodyOf<E>>,
    place: &Place,
    outcome: &mut ChunkOutcome<E::Record, BodyOf<E>>,
) -> u64 {
    let mut listed = 0;
    for (record, &position) in records.into_iter().zip(positions) {
        if E::record_id(&record).is_some_and(|id| ids.remove(id)) {
            listed += 1;
        } else {
            outcome
                .not_imported
                .push(place.not_imported(record, position, missing.clone()));
        }
    }
    listed
}

/// A count from the API's JSON number, if it is a whole non-negative one.
/// The answer types its counts as any number (the API contract says
/// `number`), so `9.5`, `-1` or `1e30` are read, and taken as unknown here.
fn count(value: f64) -> Option<u64> {
    (value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value < u64::MAX as f64)
        .then_some(value as u64)
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn import_counts_are_whole_non_negative_numbers() {
        assert_eq!(count(0.0), Some(0));
        assert_eq!(count(100.0), Some(100));
        for unknown in [1.1, -1.0, -0.5, f64::NAN, f64::INFINITY, 1e30] {
            assert_eq!(count(unknown), None, "{unknown}");
        }
    }
}
