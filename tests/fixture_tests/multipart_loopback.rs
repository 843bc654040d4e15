//! Runs inside the crate generated from `tests/fixtures/multipart.yaml`
//! (copied there by `tests/tests/multipart.rs`): the generated client sends
//! multipart bodies to a real listener on 127.0.0.1, and the test asserts
//! the exact bytes it received.

use generated_api::types::{PetsUploadPhotoRequest, PhotoMeta};
use generated_api::{Client, FilePart, Multipart};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request as the server read it.
struct Received {
    head: String,
    body: Vec<u8>,
}

impl Received {
    /// The value of header `name` (case-insensitive).
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then_some(value.trim())
        })
    }

    /// The multipart boundary of the request's content type.
    fn boundary(&self) -> String {
        let content_type = self.header("content-type").expect("a content type");
        content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap_or_else(|| panic!("not a form-data content type: {content_type}"))
            .to_owned()
    }
}

/// Accepts one connection on 127.0.0.1, reads one request (headers, then
/// `content-length` bytes) and answers `status` with the JSON `reply`.
async fn serve_once(status: u16, reply: &'static str) -> (String, tokio::task::JoinHandle<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut data = Vec::new();
        let mut buffer = [0u8; 8192];
        let (head, body_start) = loop {
            let n = socket.read(&mut buffer).await.expect("read");
            assert!(n > 0, "the connection closed before the headers ended");
            data.extend_from_slice(&buffer[..n]);
            if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                break (String::from_utf8_lossy(&data[..end]).into_owned(), end + 4);
            }
        };
        let mut received = Received {
            head,
            body: data[body_start..].to_vec(),
        };
        let length: usize = received
            .header("content-length")
            .expect("a content-length")
            .parse()
            .expect("a number");
        while received.body.len() < length {
            let n = socket.read(&mut buffer).await.expect("read");
            assert!(n > 0, "the connection closed before the body ended");
            received.body.extend_from_slice(&buffer[..n]);
        }
        let answer = format!(
            "HTTP/1.1 {status} OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
            reply.len()
        );
        socket.write_all(answer.as_bytes()).await.expect("write");
        received
    });
    (url, server)
}

fn client(url: &str) -> Client {
    Client::builder().base_url(url).build().expect("a client")
}

#[tokio::test]
async fn a_model_with_files_is_sent_part_by_part() {
    let (url, server) = serve_once(200, r#"{"width":64}"#).await;
    let body = PetsUploadPhotoRequest::builder()
        .photo(FilePart::new("rex.png", vec![0x89, b'P', b'N', b'G']))
        .caption("Rex, \"good\" dog")
        .rating(5)
        .tags(["brown", "small"])
        .meta(PhotoMeta::builder().width(64).labels(["a"]).build())
        .extras([
            FilePart::new("a.txt", &b"first"[..]).content_type("text/plain"),
            FilePart::new("b.bin", vec![0u8, 1]),
        ])
        .build();
    let stored = client(&url)
        .pets()
        .upload_photo(7, &body)
        .await
        .expect("the upload succeeds");
    assert_eq!(stored.width, Some(64));

    let received = server.await.expect("the server ran");
    assert!(received.head.starts_with("POST /pets/7/photos HTTP/1.1"), "{}", received.head);
    let b = received.boundary();
    let mut expected = Vec::new();
    let mut part = |headers: &str, content: &[u8]| {
        expected.extend_from_slice(format!("--{b}\r\n{headers}\r\n\r\n").as_bytes());
        expected.extend_from_slice(content);
        expected.extend_from_slice(b"\r\n");
    };
    // The photo's content type is the first one its `encoding` documents.
    part(
        "Content-Disposition: form-data; name=\"photo\"; filename=\"rex.png\"\r\ncontent-type: image/png",
        &[0x89, b'P', b'N', b'G'],
    );
    part("Content-Disposition: form-data; name=\"caption\"", b"Rex, \"good\" dog");
    part("Content-Disposition: form-data; name=\"rating\"", b"5");
    // A list repeats its part.
    part("Content-Disposition: form-data; name=\"tags\"", b"brown");
    part("Content-Disposition: form-data; name=\"tags\"", b"small");
    // An object is JSON.
    part(
        "Content-Disposition: form-data; name=\"meta\"\r\ncontent-type: application/json",
        br#"{"width":64,"labels":["a"]}"#,
    );
    // A file's own content type wins; without one, octet-stream.
    part(
        "Content-Disposition: form-data; name=\"extras\"; filename=\"a.txt\"\r\ncontent-type: text/plain",
        b"first",
    );
    part(
        "Content-Disposition: form-data; name=\"extras\"; filename=\"b.bin\"\r\ncontent-type: application/octet-stream",
        &[0, 1],
    );
    expected.extend_from_slice(format!("--{b}--\r\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&received.body),
        String::from_utf8_lossy(&expected)
    );
    assert_eq!(received.body, expected);
}

#[tokio::test]
async fn a_model_without_files_is_sent_property_by_property() {
    let (url, server) = serve_once(200, "").await;
    let labels = PhotoMeta::builder().height(3).labels(["x", "y"]).build();
    client(&url)
        .pets()
        .set_labels(1, &labels)
        .await
        .expect("the call succeeds");
    let received = server.await.expect("the server ran");
    let b = received.boundary();
    let expected = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"height\"\r\n\r\n3\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\nx\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\ny\r\n\
         --{b}--\r\n"
    );
    assert_eq!(String::from_utf8_lossy(&received.body), expected);
}

#[test]
fn the_blocking_client_sends_a_form_the_caller_built() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (url, server) = runtime.block_on(serve_once(204, ""));
    let client = generated_api::ClientBuilder::new()
        .base_url(url)
        .build_blocking()
        .expect("a blocking client");
    let form = Multipart::new()
        .text("source", "zoo")
        .file("animals", FilePart::new("animals.csv", &b"id\n1\n"[..]).content_type("text/csv"))
        .json("options", &serde_json::json!({"dryRun": true}))
        .expect("JSON encodes");
    client
        .pets()
        .import_pets(&form)
        .send()
        .expect("the import succeeds");
    let received = runtime.block_on(server).expect("the server ran");
    let b = received.boundary();
    let expected = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\nzoo\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"animals\"; filename=\"animals.csv\"\r\ncontent-type: text/csv\r\n\r\nid\n1\n\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"options\"\r\ncontent-type: application/json\r\n\r\n{{\"dryRun\":true}}\r\n\
         --{b}--\r\n"
    );
    assert_eq!(String::from_utf8_lossy(&received.body), expected);
    assert_eq!(
        received.header("content-length"),
        Some(received.body.len().to_string().as_str())
    );
}
