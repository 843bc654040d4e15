//! `flagright import KIND FILE`: a backfill through the SDK's bulk importer.
//!
//! The file is NDJSON (one record per line) or one JSON array, told apart
//! by its first byte that is not white space; `-` reads standard input.
//! Records are parsed as they are read and streamed to the importer; a
//! line that does not parse is counted as invalid with its line number.
//! Ctrl-C ends the input: the importer sends no further chunk, waits for
//! the chunks in flight, and the accounting so far is printed.

use std::io::{IsTerminal, Write};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use clap::{Arg, ArgAction, ArgMatches, Command};
use flagright_api::{BatchEndpoint, Client, Import, ImportReport, MAX_CHUNK_SIZE};
use futures_util::{Stream, StreamExt};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};

use crate::error::{CliError, code_of, exit};

/// The batch kinds: command name, what it imports, and the SDK method.
const KINDS: &[(&str, &str)] = &[
    (
        "transactions",
        "Import transactions (POST /batch/transactions)",
    ),
    (
        "consumer-users",
        "Import consumer users (POST /batch/consumer/users)",
    ),
    (
        "business-users",
        "Import business users (POST /batch/business/users)",
    ),
    (
        "transaction-events",
        "Import transaction events (POST /batch/events/transaction)",
    ),
    (
        "consumer-user-events",
        "Import consumer user events (POST /batch/events/consumer/user)",
    ),
    (
        "business-user-events",
        "Import business user events (POST /batch/events/business/user)",
    ),
];

/// The `import` command, one subcommand per batch kind.
pub(crate) fn command() -> Command {
    let mut command = Command::new("import")
        .about("Backfill records from an NDJSON or JSON-array file through the batch endpoints")
        .long_about(
            "Backfill records from an NDJSON or JSON-array file through the batch endpoints, \
             in chunks sent concurrently, with an account of every record.\n\n\
             The final accounting is one line on standard output. Exit code 0 when every \
             record was imported, 7 when some were not (rejected, not imported, invalid, \
             or the import was interrupted with Ctrl-C, which stops sending and waits for \
             the chunks in flight).",
        )
        .subcommand_required(true)
        .arg_required_else_help(true);
    for (name, about) in KINDS {
        command = command.subcommand(kind_args(Command::new(*name).about(*about)));
    }
    command
}

/// The arguments every kind takes.
fn kind_args(command: Command) -> Command {
    command
        .arg(
            Arg::new("input")
                .value_name("FILE")
                .required(true)
                .help("NDJSON or a JSON array of records; `-` for standard input"),
        )
        .arg(
            Arg::new("chunk_size")
                .long("chunk-size")
                .value_name("N")
                .value_parser(clap::value_parser!(u64).range(1..=MAX_CHUNK_SIZE as u64))
                .help(format!(
                    "Records per request (1 to {MAX_CHUNK_SIZE}; default {})",
                    flagright_api::DEFAULT_CHUNK_SIZE
                )),
        )
        .arg(
            Arg::new("concurrency")
                .long("concurrency")
                .value_name("N")
                .value_parser(clap::value_parser!(u64).range(1..=1024))
                .help(format!(
                    "Requests in flight at once (default {})",
                    flagright_api::DEFAULT_CONCURRENCY
                )),
        )
        .arg(
            Arg::new("batch_id_prefix")
                .long("batch-id-prefix")
                .value_name("PREFIX")
                .help("Prefix of the chunks' batch ids (`PREFIX-0`, `PREFIX-1`, ...); set one to be able to resume"),
        )
        .arg(
            Arg::new("resume")
                .long("resume")
                .action(ArgAction::SetTrue)
                .requires("batch_id_prefix")
                .help("Resume an earlier run with the same prefix, chunk size and file: chunks the API already has are not sent again"),
        )
        .arg(
            Arg::new("rejected_out")
                .long("rejected-out")
                .value_name("FILE")
                .help("Write the records the API rejected, with their reason, as NDJSON"),
        )
        .arg(
            Arg::new("not_imported_out")
                .long("not-imported-out")
                .value_name("FILE")
                .help("Write the records not imported (with the reason) and the invalid lines (with line number and error) as NDJSON"),
        )
}

/// The settings of one run, from the command line.
struct Settings {
    input: String,
    chunk_size: Option<u64>,
    concurrency: Option<u64>,
    prefix: Option<String>,
    resume: bool,
    rejected_out: Option<String>,
    not_imported_out: Option<String>,
}

impl Settings {
    fn read(m: &ArgMatches) -> Result<Self, CliError> {
        let text = |id: &str| m.get_one::<String>(id).cloned();
        Ok(Settings {
            input: crate::args::required(text("input"), "FILE")?,
            chunk_size: m.get_one::<u64>("chunk_size").copied(),
            concurrency: m.get_one::<u64>("concurrency").copied(),
            prefix: text("batch_id_prefix"),
            resume: m.get_flag("resume"),
            rejected_out: text("rejected_out"),
            not_imported_out: text("not_imported_out"),
        })
    }
}

/// Runs `import KIND FILE`; returns the exit code.
pub(crate) async fn run(client: &Client, matches: &ArgMatches) -> Result<u8, CliError> {
    let Some((kind, m)) = matches.subcommand() else {
        return Err(crate::args::unknown_command(""));
    };
    let settings = Settings::read(m)?;
    let source = Source::open(&settings.input).await?;
    let batch = client.batch();
    macro_rules! import {
        ($method:ident) => {{
            let (records, lines, stop) = source.records();
            execute(batch.$method(records), &settings, lines, stop).await
        }};
    }
    match kind {
        "transactions" => import!(import_transactions_stream),
        "consumer-users" => import!(import_consumer_users_stream),
        "business-users" => import!(import_business_users_stream),
        "transaction-events" => import!(import_transaction_events_stream),
        "consumer-user-events" => import!(import_consumer_user_events_stream),
        "business-user-events" => import!(import_business_user_events_stream),
        other => Err(crate::args::unknown_command(other)),
    }
}

/// Sets up, runs and reports one import.
async fn execute<E>(
    import: Import<'_, E>,
    settings: &Settings,
    lines: Arc<Mutex<Lines>>,
    stop: Arc<AtomicBool>,
) -> Result<u8, CliError>
where
    E: BatchEndpoint<Api = flagright_api::ApiDefinition>,
    E::Record: Serialize,
{
    let mut import = import.resume(settings.resume);
    let expected_total = lock(&lines).expected_total;
    if let Some(total) = expected_total {
        import = import.expected_total(total);
    }
    if let Some(size) = settings.chunk_size {
        import = import.chunk_size(usize::try_from(size).unwrap_or(MAX_CHUNK_SIZE));
    }
    if let Some(chunks) = settings.concurrency {
        import = import.concurrency(usize::try_from(chunks).unwrap_or(1));
    }
    if let Some(prefix) = &settings.prefix {
        import = import.batch_id_prefix(prefix.as_str());
    }
    let bar = progress_bar(expected_total);
    let shown = bar.clone();
    let import = import.on_progress(move |p| {
        if let Some(total) = p.total {
            shown.set_length(total);
        }
        shown.set_position(p.settled());
    });
    let watcher = tokio::spawn(watch_interrupt(stop.clone(), bar.clone()));
    let result = import.run().await;
    watcher.abort();
    bar.finish_and_clear();
    let report = result?;
    let lines = lock(&lines);
    write_out_files(&report, settings, &lines)?;
    crate::output::write_line(accounting(&report).as_bytes())?;
    let interrupted = stop.load(Ordering::SeqCst);
    if let Some(error) = &report.stopped {
        eprintln!("error: the import stopped: {error}");
        return Ok(code_of(error));
    }
    if interrupted {
        eprintln!("interrupted: the records after the last one read were not sent");
    }
    hint_out_files(&report, settings);
    Ok(if report.is_complete() && !interrupted {
        exit::OK
    } else {
        exit::IMPORT_INCOMPLETE
    })
}

/// The final accounting, one line.
fn accounting<R>(report: &ImportReport<R>) -> String {
    format!(
        "imported {} of {}: accepted {}, rejected {}, not imported {}, invalid {}, already imported {}",
        report.accepted + report.already_imported,
        report.read,
        report.accepted,
        report.rejected.len(),
        report.not_imported.len(),
        report.invalid.len(),
        report.already_imported,
    )
}

/// Says where records that were not imported can be kept, when no file was named.
fn hint_out_files<R>(report: &ImportReport<R>, settings: &Settings) {
    if !report.rejected.is_empty() && settings.rejected_out.is_none() {
        eprintln!("note: name --rejected-out FILE to keep the rejected records and their reasons");
    }
    let missing = report.not_imported.len() + report.invalid.len();
    if missing > 0 && settings.not_imported_out.is_none() {
        eprintln!(
            "note: name --not-imported-out FILE to keep the records not imported and the invalid lines"
        );
    }
}

/// A progress bar with rate and time left on standard error, when it is a
/// terminal (a counter with the rate when the total is unknown, as on
/// standard input); hidden otherwise.
fn progress_bar(total: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, template) = match total {
        Some(total) => (
            ProgressBar::new(total),
            "{wide_bar} {human_pos}/{human_len} records, {rate}, {elapsed} elapsed, ETA {eta}",
        ),
        None => (
            ProgressBar::new_spinner(),
            "{spinner} {human_pos} records, {rate}, {elapsed} elapsed",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        // Whole records per second: indicatif's `per_sec` shows four decimals.
        bar.set_style(style.with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} records/s", state.per_sec());
            },
        ));
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// On Ctrl-C, ends the input (the importer then sends no new chunk and
/// waits for the ones in flight); a second Ctrl-C quits at once.
async fn watch_interrupt(stop: Arc<AtomicBool>, bar: ProgressBar) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    stop.store(true, Ordering::SeqCst);
    bar.suspend(|| {
        eprintln!("interrupted: sending no more chunks, waiting for the ones in flight (Ctrl-C again to quit now)");
    });
    if tokio::signal::ctrl_c().await.is_ok() {
        std::process::exit(130);
    }
}

/// Writes `--rejected-out` and `--not-imported-out`.
fn write_out_files<R: Serialize>(
    report: &ImportReport<R>,
    settings: &Settings,
    lines: &Lines,
) -> Result<(), CliError> {
    if let Some(path) = &settings.rejected_out {
        let rows = report.rejected.iter().map(|r| {
            let mut row = lines.locate(r.position);
            row.extend([
                ("id".to_owned(), json!(r.id)),
                ("reasonCode".to_owned(), json!(r.reason_code)),
                ("batchId".to_owned(), json!(r.batch_id)),
                ("record".to_owned(), to_value(&r.record)),
            ]);
            (r.position, row)
        });
        write_ndjson(path, rows.collect())?;
    }
    if let Some(path) = &settings.not_imported_out {
        let records = report.not_imported.iter().map(|n| {
            let mut row = lines.locate(n.position);
            row.extend([
                ("reason".to_owned(), json!(n.reason.to_string())),
                (
                    "mayHaveBeenProcessed".to_owned(),
                    json!(n.may_have_been_processed()),
                ),
                ("batchId".to_owned(), json!(n.batch_id)),
                ("record".to_owned(), to_value(&n.record)),
            ]);
            (n.position, row)
        });
        let invalid = report.invalid.iter().map(|i| {
            let mut row = lines.locate(i.position);
            row.insert("error".to_owned(), json!(i.error.to_string()));
            (i.position, row)
        });
        write_ndjson(path, records.chain(invalid).collect())?;
    }
    Ok(())
}

fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| json!({ "unserializable": e.to_string() }))
}

/// Writes `rows` in input order, one JSON object per line.
fn write_ndjson(
    path: &str,
    mut rows: Vec<(u64, serde_json::Map<String, Value>)>,
) -> Result<(), CliError> {
    rows.sort_by_key(|(position, _)| *position);
    let fail = |e: std::io::Error| CliError::usage(format!("cannot write {path}: {e}"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(fail)?);
    for (_, row) in rows {
        serde_json::to_writer(&mut out, &row).map_err(|e| fail(e.into()))?;
        out.write_all(b"\n").map_err(fail)?;
    }
    out.flush().map_err(fail)
}

/// Where each item of the input came from, to name lines in messages.
#[derive(Debug, Default)]
struct Lines {
    /// Lines of white space before the first record.
    lead: u64,
    /// For each blank line skipped among the records: how many items came before it.
    blanks: Vec<u64>,
    /// Whether the input is a JSON array (items are elements, not lines).
    array: bool,
    /// The number of items expected, when known (lines of a file, elements of an array).
    expected_total: Option<u64>,
}

impl Lines {
    /// `{"line": n}` (or `{"element": n}`) for the item at `position`, from 1.
    fn locate(&self, position: u64) -> serde_json::Map<String, Value> {
        let mut row = serde_json::Map::new();
        if self.array {
            row.insert("element".to_owned(), json!(position + 1));
        } else {
            let blanks = self.blanks.partition_point(|&before| before <= position) as u64;
            row.insert("line".to_owned(), json!(self.lead + position + 1 + blanks));
        }
        row
    }
}

fn lock(lines: &Mutex<Lines>) -> std::sync::MutexGuard<'_, Lines> {
    lines.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The input of an import.
enum Source {
    /// One record per line, from the reader's position on.
    Lines(BufReader<Box<dyn AsyncRead + Unpin + Send>>, Lines),
    /// The elements of a JSON array.
    Array(Vec<Value>),
}

/// A record that could not be read.
#[derive(Debug)]
struct InvalidRecord(String);

impl std::fmt::Display for InvalidRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidRecord {}

/// The records of an input, as the importer reads them.
type Records<R> = Pin<Box<dyn Stream<Item = Result<R, InvalidRecord>> + Send>>;

impl Source {
    /// Opens `path` (`-`: standard input) and tells NDJSON from a JSON array.
    async fn open(path: &str) -> Result<Self, CliError> {
        let fail = |e: std::io::Error| CliError::usage(format!("cannot read {path}: {e}"));
        let (reader, expected_total): (Box<dyn AsyncRead + Unpin + Send>, _) = if path == "-" {
            (Box::new(tokio::io::stdin()), None)
        } else {
            let total = count_lines(path).map_err(fail)?;
            (
                Box::new(tokio::fs::File::open(path).await.map_err(fail)?),
                Some(total),
            )
        };
        let mut reader = BufReader::with_capacity(1 << 18, reader);
        let mut lead = 0;
        let first = loop {
            let buffer = reader.fill_buf().await.map_err(fail)?;
            if buffer.is_empty() {
                break None;
            }
            let space = buffer
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            lead += memchr::memchr_iter(b'\n', &buffer[..space]).count() as u64;
            let found = buffer.get(space).copied();
            reader.consume(space);
            if found.is_some() {
                break found;
            }
        };
        if first == Some(b'[') {
            let mut bytes = Vec::new();
            reader.read_to_end(&mut bytes).await.map_err(fail)?;
            let elements: Vec<Value> = serde_json::from_slice(&bytes).map_err(|e| {
                CliError::usage(format!("{path} is not a JSON array of records: {e}"))
            })?;
            return Ok(Source::Array(elements));
        }
        let lines = Lines {
            lead,
            expected_total: expected_total.map(|total: u64| total.saturating_sub(lead)),
            ..Lines::default()
        };
        Ok(Source::Lines(reader, lines))
    }

    /// The records, where their lines are recorded as they are read, and
    /// the flag that ends the input early (Ctrl-C).
    fn records<R>(self) -> (Records<R>, Arc<Mutex<Lines>>, Arc<AtomicBool>)
    where
        R: DeserializeOwned + Send + 'static,
    {
        let stop = Arc::new(AtomicBool::new(false));
        let (stream, lines): (Records<R>, _) = match self {
            Source::Array(elements) => {
                let lines = Lines {
                    array: true,
                    expected_total: Some(elements.len() as u64),
                    ..Lines::default()
                };
                let stream =
                    futures_util::stream::iter(elements)
                        .enumerate()
                        .map(|(i, element)| {
                            serde_json::from_value(element)
                                .map_err(|e| InvalidRecord(format!("element {}: {e}", i + 1)))
                        });
                (Box::pin(stream), Arc::new(Mutex::new(lines)))
            }
            Source::Lines(reader, lines) => {
                let lines = Arc::new(Mutex::new(lines));
                (Box::pin(line_records(reader, lines.clone())), lines)
            }
        };
        let flag = stop.clone();
        let stream = stream.take_while(move |_| std::future::ready(!flag.load(Ordering::SeqCst)));
        (Box::pin(stream), lines, stop)
    }
}

/// Parses each line that is not blank as a record; a line that does not
/// parse (or cannot be read) is an error naming the line.
fn line_records<R>(
    reader: BufReader<Box<dyn AsyncRead + Unpin + Send>>,
    lines: Arc<Mutex<Lines>>,
) -> impl Stream<Item = Result<R, InvalidRecord>> + Send
where
    R: DeserializeOwned + Send + 'static,
{
    let first_line = lock(&lines).lead + 1;
    let state = (reader, Vec::new(), first_line, 0u64, lines, false);
    futures_util::stream::unfold(
        state,
        |(mut reader, mut buffer, mut line, mut items, lines, done)| async move {
            if done {
                return None;
            }
            loop {
                buffer.clear();
                let read = reader.read_until(b'\n', &mut buffer).await;
                let this_line = line;
                line += 1;
                let item = match read {
                    Ok(0) => return None,
                    Err(e) => {
                        let error = InvalidRecord(format!("line {this_line}: cannot read: {e}"));
                        return Some((Err(error), (reader, buffer, line, items, lines, true)));
                    }
                    Ok(_) => {
                        let text = buffer.trim_ascii();
                        if text.is_empty() {
                            lock(&lines).blanks.push(items);
                            continue;
                        }
                        serde_json::from_slice::<R>(text)
                            .map_err(|e| InvalidRecord(format!("line {this_line}: {e}")))
                    }
                };
                items += 1;
                return Some((item, (reader, buffer, line, items, lines, false)));
            }
        },
    )
}

/// The number of lines of a file (a last line without a newline counts).
fn count_lines(path: &str) -> std::io::Result<u64> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut buffer = vec![0u8; 1 << 20];
    let (mut count, mut last) = (0u64, b'\n');
    loop {
        let read = file.read(&mut buffer)?;
        let Some(chunk) = buffer.get(..read).filter(|c| !c.is_empty()) else {
            break;
        };
        count += memchr::memchr_iter(b'\n', chunk).count() as u64;
        last = chunk.last().copied().unwrap_or(last);
    }
    Ok(count + u64::from(last != b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_found_around_blank_lines() {
        // Line 1 blank (lead), 2 item 0, 3 blank, 4 item 1, 5 item 2.
        let lines = Lines {
            lead: 1,
            blanks: vec![1],
            ..Lines::default()
        };
        let line = |p| lines.locate(p)["line"].as_u64();
        assert_eq!(line(0), Some(2));
        assert_eq!(line(1), Some(4));
        assert_eq!(line(2), Some(5));
    }
}
