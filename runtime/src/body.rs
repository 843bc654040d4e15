//! Reading a response body without letting the server choose how much
//! memory the client spends.

use bytes::Bytes;

/// Why a body could not be read whole.
pub(crate) enum BodyError {
    /// The body is, or announced it would be, larger than the limit.
    TooLarge { announced: Option<u64> },
    /// The connection failed while reading.
    Transport(reqwest::Error),
}

/// Reads the whole body of `response`, refusing more than `limit` bytes.
///
/// A `Content-Length` above the limit is refused before reading anything;
/// otherwise the body is read chunk by chunk and reading stops as soon as
/// the total passes the limit, so a lying `Content-Length` or an endless
/// chunked body costs at most `limit` bytes plus one chunk. The buffer never
/// grows past the limit: it doubles as data arrives, capped at the limit.
pub(crate) async fn read_limited(
    response: &mut reqwest::Response,
    limit: u64,
) -> Result<Bytes, BodyError> {
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit) {
        return Err(BodyError::TooLarge { announced });
    }
    let limit_usize = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut first: Option<Bytes> = None;
    let mut buffer: Vec<u8> = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        let held = first.as_ref().map_or(buffer.len(), Bytes::len);
        let total = held.saturating_add(chunk.len());
        if total > limit_usize {
            return Err(BodyError::TooLarge { announced });
        }
        // Most bodies arrive in one chunk: keep it without copying.
        if first.is_none() && buffer.is_empty() {
            first = Some(chunk);
            continue;
        }
        if buffer.capacity() < total {
            let wanted = announced
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0)
                .max(buffer.capacity().saturating_mul(2))
                .max(total)
                .min(limit_usize);
            buffer.reserve_exact(wanted - buffer.len());
        }
        if let Some(previous) = first.take() {
            buffer.extend_from_slice(&previous);
        }
        buffer.extend_from_slice(&chunk);
    }
    Ok(first.unwrap_or_else(|| Bytes::from(buffer)))
}
