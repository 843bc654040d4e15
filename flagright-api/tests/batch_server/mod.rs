//! A minimal imitation of Flagright's transaction batch endpoints on
//! 127.0.0.1 (hyper, a free port), for the import tests and benchmark.
//!
//! `POST /batch/transactions` answers like the API (201 with counts and
//! `failedRecords`), unless the fault plan says otherwise for that batch and
//! attempt; `GET /batch/transactions/{batchId}` pages through the batch's
//! imported transactions (404 for an unknown batch). The server counts how
//! often each transaction reached it, and how often it was imported; a test
//! can wait for a number of `POST`s to arrive.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// What the server does with one `POST` (attempt 1 is the first time it
/// sees that `batchId`).
#[derive(Debug, Clone)]
pub enum Fault {
    /// Imports everything, rejecting the listed ids with their reason
    /// (`PARTIAL_FAILURE` when any).
    Answer { reject: Vec<(String, String)> },
    /// 429 with `Retry-After` (seconds); nothing processed.
    TooManyRequests { retry_after: u32 },
    /// 503; nothing processed.
    Unavailable,
    /// 500; the batch is imported first when `processed`.
    ServerError { processed: bool },
    /// Reads the request, then closes the connection without answering;
    /// the batch is imported first when `processed`.
    Cut { processed: bool },
    /// Imports the batch, then answers 201 with counts that do not add up.
    WrongCounts,
    /// Imports the batch, then answers 201 with these JSON numbers, as
    /// written, for `successful` and `failed` (the contract allows any
    /// number).
    RawCounts {
        successful: &'static str,
        failed: &'static str,
    },
    /// 401.
    Unauthorized,
    /// Never answers, as if the client's process ended while waiting; the
    /// batch is imported first when `processed`.
    Hang { processed: bool },
}

impl Fault {
    pub fn ok() -> Self {
        Fault::Answer { reject: Vec::new() }
    }
}

type Plan = dyn Fn(&str, u32) -> Fault + Send + Sync;

/// What the server saw.
#[derive(Default)]
pub struct Seen {
    /// Times each transaction id arrived in a `POST`.
    pub received: HashMap<String, u32>,
    /// Times each transaction id was imported.
    pub imported: HashMap<String, u32>,
    /// Imported ids of each batch.
    pub batches: HashMap<String, Vec<String>>,
    /// `POST`s per batch id.
    pub attempts: HashMap<String, u32>,
    /// `(batch id, when, query string)` of every `POST`.
    pub posts: Vec<(String, Instant, String)>,
    /// `GET`s of batches.
    pub gets: u32,
    /// When set, every batch `GET` answers this status.
    pub get_status: Option<u16>,
}

/// The server; stops when dropped.
pub struct BatchServer {
    pub url: String,
    pub seen: Arc<Mutex<Seen>>,
    posts: watch::Receiver<usize>,
    task: JoinHandle<()>,
}

impl BatchServer {
    /// Starts a server following `plan`, remembering everything.
    pub async fn start(plan: impl Fn(&str, u32) -> Fault + Send + Sync + 'static) -> Self {
        Self::start_with(Arc::new(plan), true).await
    }

    /// Starts a server that answers every batch with success and remembers
    /// nothing, so that its memory stays flat (for the benchmark).
    pub async fn start_forgetful() -> Self {
        Self::start_with(Arc::new(|_: &str, _: u32| Fault::ok()), false).await
    }

    async fn start_with(plan: Arc<Plan>, remember: bool) -> Self {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let seen = Arc::new(Mutex::new(Seen::default()));
        let (posted, posts) = watch::channel(0);
        let state = Arc::new(State {
            plan,
            seen: seen.clone(),
            remember,
            posted,
        });
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let state = state.clone();
                        async move { state.handle(request).await }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        BatchServer {
            url,
            seen,
            posts,
            task,
        }
    }

    /// Waits until `count` `POST`s of batches have arrived (read and
    /// counted, answered or not).
    pub async fn wait_for_posts(&self, count: usize) {
        let mut posts = self.posts.clone();
        posts
            .wait_for(|&posts| posts >= count)
            .await
            .expect("server running");
    }

    pub fn received(&self, id: &str) -> u32 {
        self.seen
            .lock()
            .unwrap()
            .received
            .get(id)
            .copied()
            .unwrap_or(0)
    }

    pub fn imported(&self, id: &str) -> u32 {
        self.seen
            .lock()
            .unwrap()
            .imported
            .get(id)
            .copied()
            .unwrap_or(0)
    }

    pub fn attempts(&self, batch_id: &str) -> u32 {
        self.seen
            .lock()
            .unwrap()
            .attempts
            .get(batch_id)
            .copied()
            .unwrap_or(0)
    }

    pub fn gets(&self) -> u32 {
        self.seen.lock().unwrap().gets
    }
}

impl Drop for BatchServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct State {
    plan: Arc<Plan>,
    seen: Arc<Mutex<Seen>>,
    remember: bool,
    posted: watch::Sender<usize>,
}

#[derive(Deserialize)]
struct BatchBody {
    #[serde(rename = "batchId")]
    batch_id: String,
    data: Vec<Record>,
}

#[derive(Deserialize)]
struct Record {
    #[serde(rename = "transactionId")]
    transaction_id: String,
}

/// The connection is closed without an answer.
#[derive(Debug)]
struct CutConnection;

impl std::fmt::Display for CutConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cut")
    }
}

impl std::error::Error for CutConnection {}

type Answer = Result<Response<Full<Bytes>>, CutConnection>;

/// An answer, or none ever.
enum Reply {
    Now(Answer),
    Never,
}

impl State {
    async fn handle(&self, request: Request<Incoming>) -> Answer {
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let query = request.uri().query().unwrap_or("").to_owned();
        let body = match request.into_body().collect().await {
            Ok(body) => body.to_bytes(),
            Err(_) => return Err(CutConnection),
        };
        match (method.as_str(), path.strip_prefix("/batch/transactions")) {
            ("POST", Some("")) => match self.post(&body, query) {
                Reply::Now(answer) => answer,
                Reply::Never => std::future::pending().await,
            },
            ("GET", Some(rest)) if rest.starts_with('/') => Ok(self.get(&rest[1..], &query)),
            _ => Ok(json(
                StatusCode::NOT_FOUND,
                r#"{"message":"no route"}"#.into(),
            )),
        }
    }

    fn post(&self, body: &[u8], query: String) -> Reply {
        let Ok(batch) = serde_json::from_slice::<BatchBody>(body) else {
            return Reply::Now(Ok(json(
                StatusCode::BAD_REQUEST,
                r#"{"message":"bad body"}"#.into(),
            )));
        };
        let count = batch.data.len();
        if !self.remember {
            return Reply::Now(Ok(success(&batch.batch_id, count, &[])));
        }
        let attempt = {
            let mut seen = self.seen.lock().unwrap();
            for record in &batch.data {
                *seen
                    .received
                    .entry(record.transaction_id.clone())
                    .or_default() += 1;
            }
            seen.posts
                .push((batch.batch_id.clone(), Instant::now(), query));
            let attempts = seen.attempts.entry(batch.batch_id.clone()).or_default();
            *attempts += 1;
            *attempts
        };
        let fault = (self.plan)(&batch.batch_id, attempt);
        let reply = self.answer(&batch, fault);
        // Counted once the batch is imported or not, as the fault says.
        self.posted.send_modify(|posts| *posts += 1);
        reply
    }

    fn answer(&self, batch: &BatchBody, fault: Fault) -> Reply {
        let count = batch.data.len();
        Reply::Now(match fault {
            Fault::Answer { reject } => {
                self.import(batch, &reject);
                Ok(success(&batch.batch_id, count, &reject))
            }
            Fault::TooManyRequests { retry_after } => {
                let mut response = json(
                    StatusCode::TOO_MANY_REQUESTS,
                    r#"{"message":"rate limited"}"#.into(),
                );
                response
                    .headers_mut()
                    .insert("retry-after", retry_after.to_string().parse().unwrap());
                Ok(response)
            }
            Fault::Unavailable => Ok(json(
                StatusCode::SERVICE_UNAVAILABLE,
                r#"{"message":"unavailable"}"#.into(),
            )),
            Fault::ServerError { processed } => {
                if processed {
                    self.import(batch, &[]);
                }
                Ok(json(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    r#"{"message":"internal error"}"#.into(),
                ))
            }
            Fault::Cut { processed } => {
                if processed {
                    self.import(batch, &[]);
                }
                Err(CutConnection)
            }
            Fault::WrongCounts => {
                self.import(batch, &[]);
                Ok(json(
                    StatusCode::CREATED,
                    format!(
                        r#"{{"status":"PARTIAL_FAILURE","batchId":"{}","successful":{},"failed":1}}"#,
                        batch.batch_id,
                        count.saturating_sub(1)
                    ),
                ))
            }
            Fault::RawCounts { successful, failed } => {
                self.import(batch, &[]);
                Ok(json(
                    StatusCode::CREATED,
                    format!(
                        r#"{{"status":"SUCCESS","batchId":"{}","successful":{successful},"failed":{failed}}}"#,
                        batch.batch_id
                    ),
                ))
            }
            Fault::Unauthorized => Ok(json(
                StatusCode::UNAUTHORIZED,
                r#"{"message":"Unauthorized"}"#.into(),
            )),
            Fault::Hang { processed } => {
                if processed {
                    self.import(batch, &[]);
                }
                return Reply::Never;
            }
        })
    }

    fn import(&self, batch: &BatchBody, reject: &[(String, String)]) {
        let mut seen = self.seen.lock().unwrap();
        let mut ids = Vec::new();
        for record in &batch.data {
            if reject.iter().any(|(id, _)| *id == record.transaction_id) {
                continue;
            }
            *seen
                .imported
                .entry(record.transaction_id.clone())
                .or_default() += 1;
            ids.push(record.transaction_id.clone());
        }
        seen.batches
            .entry(batch.batch_id.clone())
            .or_default()
            .extend(ids);
    }

    fn get(&self, batch_id: &str, query: &str) -> Response<Full<Bytes>> {
        let param = |name: &str| {
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(key, _)| *key == name)
                .and_then(|(_, value)| value.parse::<usize>().ok())
        };
        let page = param("page").unwrap_or(1).max(1);
        let size = param("pageSize").unwrap_or(20).clamp(1, 100);
        let mut seen = self.seen.lock().unwrap();
        seen.gets += 1;
        if let Some(status) = seen.get_status {
            return json(
                StatusCode::from_u16(status).unwrap(),
                r#"{"message":"batch GET fault"}"#.into(),
            );
        }
        let Some(ids) = seen.batches.get(batch_id) else {
            return json(
                StatusCode::NOT_FOUND,
                r#"{"message":"Batch not found"}"#.into(),
            );
        };
        let items: Vec<String> = ids
            .iter()
            .skip((page - 1) * size)
            .take(size)
            .map(|id| format!(r#"{{"transactionId":"{id}","status":"ALLOW","hitRules":[]}}"#))
            .collect();
        json(
            StatusCode::OK,
            format!(
                r#"{{"transactions":[{}],"totalCount":{}}}"#,
                items.join(","),
                ids.len()
            ),
        )
    }
}

fn success(batch_id: &str, count: usize, reject: &[(String, String)]) -> Response<Full<Bytes>> {
    let failed: Vec<String> = reject
        .iter()
        .map(|(id, reason)| format!(r#"{{"id":"{id}","reasonCode":"{reason}"}}"#))
        .collect();
    let status = if reject.is_empty() {
        "SUCCESS"
    } else {
        "PARTIAL_FAILURE"
    };
    let failed_records = if reject.is_empty() {
        String::new()
    } else {
        format!(r#","failedRecords":[{}]"#, failed.join(","))
    };
    json(
        StatusCode::CREATED,
        format!(
            r#"{{"status":"{status}","batchId":"{batch_id}","successful":{},"failed":{}{failed_records}}}"#,
            count - reject.len(),
            reject.len()
        ),
    )
}

fn json(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert("content-type", "application/json".parse().unwrap());
    response
}
