//! What an import reports: the fate of every record, and progress on the way.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::Error;

/// The outcome of a bulk import: every item read from the input is in
/// exactly one of `accepted` or `already_imported` (counted), `rejected`,
/// `not_imported` or `invalid`.
///
/// `accepted + already_imported + rejected.len() + not_imported.len() +
/// invalid.len() == read` always holds (see [`accounted`](Self::accounted)). When the import
/// stopped early (`stopped` is set), the items after the first `read` were
/// not taken from the input: resume by skipping `read` items.
///
/// Accepted records are only counted, so an import of millions of records
/// keeps memory flat; rejected and unimported records are kept whole, so
/// they can be fixed and sent again. Each carries its `position` in the
/// input (from 0; errors count too), so for an input of one record per line
/// a record's line is `position + 1`.
#[derive(Debug)]
#[non_exhaustive]
pub struct ImportReport<R, B = serde_json::Value> {
    /// Items taken from the input: records, and errors given in their place
    /// (see [`invalid`](Self::invalid)).
    pub read: u64,
    /// Records the API accepted: the chunk's answer did not list them in
    /// `failedRecords`, or, for a chunk whose answer was lost, the batch's
    /// results (`GET` of its `batchId`) list them.
    pub accepted: u64,
    /// Records an earlier run imported: with
    /// [`resume`](super::Import::resume), the batch `GET` of their chunk
    /// found the earlier run's batch and listed them, so the chunk was not
    /// sent again.
    pub already_imported: u64,
    /// Records the API rejected, with its reason, in input order.
    pub rejected: Vec<Rejected<R>>,
    /// Records the API did not (or may not have) imported because of an
    /// error, in input order. See [`NotImported::may_have_been_processed`]
    /// before sending one again.
    pub not_imported: Vec<NotImported<R, B>>,
    /// Items of the input that were errors instead of records (an `Err`
    /// from an input of `Result`s, such as a line of a file that did not
    /// parse), in input order. They were never sent.
    pub invalid: Vec<InvalidItem>,
    /// Chunks made from the input.
    pub chunks: u64,
    /// `POST` requests sent, resends included.
    pub requests: u64,
    /// Chunks that were sent again after their batch `GET` showed that the
    /// API had not received them.
    pub resent_chunks: u64,
    /// Chunks not sent because, with [`resume`](super::Import::resume), the
    /// batch `GET` found an earlier run's batch of the same `batchId`.
    pub resumed_chunks: u64,
    /// Batch `GET` checks: one per chunk with
    /// [`resume`](super::Import::resume), and one after each ambiguous
    /// failure.
    pub checks: u64,
    /// Answers that slowed the whole importer down (429, 503, 408 or a
    /// refused connection).
    pub throttled: u64,
    /// Set when an error that every further chunk would meet as well (a
    /// 401, 403 or 404, a redirect) stopped the import; items after `read`
    /// were not taken from the input.
    pub stopped: Option<Arc<Error<B>>>,
    /// Time from start to finish.
    pub elapsed: Duration,
}

impl<R, B> ImportReport<R, B> {
    pub(crate) fn new() -> Self {
        ImportReport {
            read: 0,
            accepted: 0,
            already_imported: 0,
            rejected: Vec::new(),
            not_imported: Vec::new(),
            invalid: Vec::new(),
            chunks: 0,
            requests: 0,
            resent_chunks: 0,
            resumed_chunks: 0,
            checks: 0,
            throttled: 0,
            stopped: None,
            elapsed: Duration::ZERO,
        }
    }

    /// Items accounted for: accepted, already imported, rejected, not
    /// imported and invalid. Always equal to [`read`](Self::read).
    pub fn accounted(&self) -> u64 {
        self.accepted
            + self.already_imported
            + self.rejected.len() as u64
            + self.not_imported.len() as u64
            + self.invalid.len() as u64
    }

    /// Whether every item of the input was read, was a record, and was
    /// accepted (by this run, or by an earlier one that it resumed).
    pub fn is_complete(&self) -> bool {
        self.stopped.is_none()
            && self.rejected.is_empty()
            && self.not_imported.is_empty()
            && self.invalid.is_empty()
    }

    /// Records answered (accepted or rejected) per second of the whole
    /// import; records an earlier run imported do not count.
    pub fn records_per_second(&self) -> f64 {
        per_second(self.accepted + self.rejected.len() as u64, self.elapsed)
    }
}

impl<R, B> fmt::Display for ImportReport<R, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} read: {} accepted, {} rejected, {} not imported",
            self.read,
            self.accepted,
            self.rejected.len(),
            self.not_imported.len(),
        )?;
        if !self.invalid.is_empty() {
            write!(f, ", {} invalid", self.invalid.len())?;
        }
        if self.already_imported > 0 {
            write!(f, ", {} imported earlier", self.already_imported)?;
        }
        write!(
            f,
            " ({} chunks, {} requests, {:.1} s)",
            self.chunks,
            self.requests,
            self.elapsed.as_secs_f64()
        )?;
        if let Some(error) = &self.stopped {
            write!(f, "; stopped early: {error}")?;
        }
        Ok(())
    }
}

/// A record the API rejected (listed in the chunk's `failedRecords`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Rejected<R> {
    /// The record, as it was sent.
    pub record: R,
    /// The id the API reported it under.
    pub id: String,
    /// The API's reason code, such as `TRANSACTION_NOT_FOUND`, when given.
    pub reason_code: Option<String>,
    /// The `batchId` of the chunk that carried it.
    pub batch_id: String,
    /// Index of that chunk (0 for the first).
    pub chunk: u64,
    /// Its position in the input (0 for the first item).
    pub position: u64,
}

/// A record that was not imported, or may not have been.
#[derive(Debug)]
#[non_exhaustive]
pub struct NotImported<R, B = serde_json::Value> {
    /// The record.
    pub record: R,
    /// The `batchId` of the chunk that carried it.
    pub batch_id: String,
    /// Index of that chunk (0 for the first).
    pub chunk: u64,
    /// Its position in the input (0 for the first item).
    pub position: u64,
    /// Why it is not known to be imported.
    pub reason: NotImportedReason<B>,
}

impl<R, B> NotImported<R, B> {
    /// Whether the API may nevertheless have processed this record, so that
    /// sending it again could import it twice. When `true`, check first
    /// (with the record's own `GET`, or the batch `GET` of
    /// [`batch_id`](Self::batch_id)).
    pub fn may_have_been_processed(&self) -> bool {
        self.reason.may_have_been_processed()
    }
}

/// An item of the input that was an error instead of a record: counted in
/// [`ImportReport::invalid`], never sent. See
/// [`IntoImportItem`](super::IntoImportItem).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct InvalidItem {
    /// Its position in the input (0 for the first item; records and errors
    /// count alike): for an input of one item per line, the line number
    /// minus one.
    pub position: u64,
    /// The error the input gave in place of a record.
    pub error: Arc<dyn StdError + Send + Sync>,
}

impl fmt::Display for InvalidItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "item {} of the input: {}", self.position, self.error)
    }
}

/// Why a record is in [`ImportReport::not_imported`].
#[derive(Debug)]
#[non_exhaustive]
pub enum NotImportedReason<B = serde_json::Value> {
    /// The chunk's request failed in a way that shows the API did not
    /// process it: a 400 for the whole chunk, or a 429/503/408 or refused
    /// connection on every attempt. Safe to send again once fixed.
    Failed(Arc<Error<B>>),
    /// The chunk's answer was lost (a 500, a timeout, a cut connection)
    /// and the batch `GET` that should have told whether the API processed
    /// it failed as well (`check`). The chunk was not sent again.
    Unconfirmed {
        /// The error of the chunk's `POST`.
        error: Arc<Error<B>>,
        /// The error of the batch `GET`.
        check: Arc<Error<B>>,
    },
    /// The chunk's answer was lost, and the batch `GET` found the batch but
    /// not this record among its results: the API rejected it, or has not
    /// finished processing it. The chunk was not sent again.
    NotInBatchResults(Arc<Error<B>>),
    /// The API answered, but its counts (`successful`, `failed`) do not
    /// match its `failedRecords` list, so whether it accepted this record is
    /// unknown.
    CountsDisagree {
        /// The `successful` count of the answer; `None` when it was not a
        /// whole number of records (the API's contract types it as any
        /// JSON number, so `9.5` or `-1` can arrive).
        successful: Option<u64>,
        /// The `failed` count of the answer; `None` when it was not a whole
        /// number of records.
        failed: Option<u64>,
    },
    /// The import stopped (see [`ImportReport::stopped`]) before this chunk
    /// was sent.
    Stopped(Arc<Error<B>>),
    /// With [`resume`](super::Import::resume), the batch `GET` found an
    /// earlier run's batch of this chunk's `batchId`, but not this record
    /// among its results: the earlier run's answer (lost with that run)
    /// rejected it, or the API has not finished processing it. The chunk was
    /// not sent again.
    NotInEarlierBatch,
    /// With [`resume`](super::Import::resume), the batch `GET` that should
    /// have told whether an earlier run's chunk reached the API failed, so
    /// the chunk was not sent: an earlier run may have imported it.
    ResumeUnchecked(Arc<Error<B>>),
}

// By hand: a derive would ask for `B: Clone`, but every error is shared.
impl<B> Clone for NotImportedReason<B> {
    fn clone(&self) -> Self {
        match self {
            NotImportedReason::Failed(error) => NotImportedReason::Failed(Arc::clone(error)),
            NotImportedReason::Unconfirmed { error, check } => NotImportedReason::Unconfirmed {
                error: Arc::clone(error),
                check: Arc::clone(check),
            },
            NotImportedReason::NotInBatchResults(error) => {
                NotImportedReason::NotInBatchResults(Arc::clone(error))
            }
            NotImportedReason::CountsDisagree { successful, failed } => {
                NotImportedReason::CountsDisagree {
                    successful: *successful,
                    failed: *failed,
                }
            }
            NotImportedReason::Stopped(error) => NotImportedReason::Stopped(Arc::clone(error)),
            NotImportedReason::NotInEarlierBatch => NotImportedReason::NotInEarlierBatch,
            NotImportedReason::ResumeUnchecked(error) => {
                NotImportedReason::ResumeUnchecked(Arc::clone(error))
            }
        }
    }
}

impl<B> NotImportedReason<B> {
    /// Whether the API may have processed the record; see
    /// [`NotImported::may_have_been_processed`].
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            NotImportedReason::Failed(_) | NotImportedReason::Stopped(_) => false,
            NotImportedReason::Unconfirmed { .. }
            | NotImportedReason::NotInBatchResults(_)
            | NotImportedReason::CountsDisagree { .. }
            | NotImportedReason::NotInEarlierBatch
            | NotImportedReason::ResumeUnchecked(_) => true,
        }
    }
}

impl<B> fmt::Display for NotImportedReason<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotImportedReason::Failed(error) => write!(f, "not imported: {error}"),
            NotImportedReason::Unconfirmed { error, check } => write!(
                f,
                "may have been imported: {error}; checking the batch failed too: {check}"
            ),
            NotImportedReason::NotInBatchResults(error) => write!(
                f,
                "may have been imported: {error}; the batch exists but does not list this record"
            ),
            NotImportedReason::CountsDisagree { successful, failed } => write!(
                f,
                "may have been imported: the API counted {} successful and {} failed records, \
                 which does not match its list of failed records",
                Count(*successful),
                Count(*failed)
            ),
            NotImportedReason::Stopped(error) => {
                write!(f, "not sent: the import stopped after {error}")
            }
            NotImportedReason::NotInEarlierBatch => f.write_str(
                "may have been imported: an earlier run sent this record's chunk, and the batch \
                 does not list this record",
            ),
            NotImportedReason::ResumeUnchecked(error) => write!(
                f,
                "may have been imported by an earlier run: checking its batch failed: {error}"
            ),
        }
    }
}

/// A snapshot of a running import, passed to the
/// [`on_progress`](super::Import::on_progress) callback whenever a chunk is
/// sent or settled.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Progress {
    /// Items taken from the input so far.
    pub read: u64,
    /// Records in chunks sent at least once.
    pub sent: u64,
    /// Records accepted so far.
    pub accepted: u64,
    /// Records rejected so far.
    pub rejected: u64,
    /// Records not imported so far.
    pub not_imported: u64,
    /// Items of the input that were errors, so far.
    pub invalid: u64,
    /// Records an earlier run imported, found so far with
    /// [`resume`](super::Import::resume).
    pub already_imported: u64,
    /// Chunks being sent, checked or waiting to be sent again.
    pub chunks_in_flight: u64,
    /// Chunks settled.
    pub chunks_done: u64,
    /// `POST` requests sent so far.
    pub requests: u64,
    /// Answers that slowed the importer down so far.
    pub throttled: u64,
    /// Items the input is expected to hold: set with
    /// [`expected_total`](super::Import::expected_total), or the input's
    /// own exact length; `None` when unknown.
    pub total: Option<u64>,
    /// Time since the import started.
    pub elapsed: Duration,
}

impl Progress {
    /// Items settled: records accepted, imported earlier, rejected or not
    /// imported, and invalid items.
    pub fn settled(&self) -> u64 {
        self.accepted + self.already_imported + self.rejected + self.not_imported + self.invalid
    }

    /// Items settled per second since the start.
    pub fn records_per_second(&self) -> f64 {
        per_second(self.settled(), self.elapsed)
    }

    /// Share of the [`total`](Self::total) settled, from 0.0 to 1.0 (an
    /// input longer than its expected total stays at 1.0); `None` when the
    /// total is unknown.
    pub fn fraction(&self) -> Option<f64> {
        let total = self.total?;
        if total == 0 {
            return Some(1.0);
        }
        Some((self.settled() as f64 / total as f64).min(1.0))
    }

    /// Time left if items keep settling at the rate so far; `None` when the
    /// total is unknown or nothing has settled yet.
    pub fn eta(&self) -> Option<Duration> {
        let total = self.total?;
        let settled = self.settled();
        if settled == 0 {
            return None;
        }
        let left = total.saturating_sub(settled) as f64;
        Duration::try_from_secs_f64(self.elapsed.as_secs_f64() * left / settled as f64).ok()
    }
}

/// A count from the API, or words saying it was not a usable one.
struct Count(Option<u64>);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(count) => write!(f, "{count}"),
            None => f.write_str("an invalid number of"),
        }
    }
}

fn per_second(count: u64, elapsed: Duration) -> f64 {
    let seconds = elapsed.as_secs_f64();
    if seconds > 0.0 {
        count as f64 / seconds
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Progress;

    fn progress(accepted: u64, invalid: u64, total: Option<u64>) -> Progress {
        Progress {
            read: accepted + invalid,
            sent: accepted,
            accepted,
            rejected: 0,
            not_imported: 0,
            invalid,
            already_imported: 0,
            chunks_in_flight: 0,
            chunks_done: 0,
            requests: 0,
            throttled: 0,
            total,
            elapsed: Duration::from_secs(10),
        }
    }

    #[test]
    fn import_progress_has_a_share_and_an_eta_only_with_a_total() {
        let quarter = progress(240, 10, Some(1_000));
        assert_eq!(quarter.fraction(), Some(0.25));
        // 250 items in 10 s: 750 more take 30 s.
        assert_eq!(quarter.eta(), Some(Duration::from_secs(30)));

        assert_eq!(progress(240, 10, None).fraction(), None);
        assert_eq!(progress(240, 10, None).eta(), None);
        assert_eq!(progress(0, 0, Some(1_000)).eta(), None);
        // More than expected: done, nothing left.
        let over = progress(1_200, 0, Some(1_000));
        assert_eq!(over.fraction(), Some(1.0));
        assert_eq!(over.eta(), Some(Duration::ZERO));
        assert_eq!(progress(0, 0, Some(0)).fraction(), Some(1.0));
    }
}
