//! A lazy stream of items across numbered pages.

use std::future::Future;
use std::pin::Pin;

use futures_util::stream;

use super::error::Error;

/// One page fetched by a pagination callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// Items on this page.
    pub items: Vec<T>,
    /// Total number of items across all pages, when the API reports it.
    pub total: Option<u64>,
}

/// Boxed stream of items across pages; use it with
/// `futures_util::StreamExt` or `futures::TryStreamExt`.
/// `B` is the API's error body.
pub type ItemStream<'a, T, B = serde_json::Value> =
    Pin<Box<dyn futures_core::Stream<Item = Result<T, Error<B>>> + Send + 'a>>;

/// Fetches pages `first_page`, `first_page + 1`, ... only as items are
/// consumed, and yields their items.
///
/// The stream ends after the page on which the running count of items
/// reaches `total`, after an empty page, or, when no total is reported, after
/// a page shorter than the first one. An error is yielded once and then the
/// stream ends. Pages are numbered from 1, so a stream starting at page N counts
/// the N - 1 pages before it (of the first page's length) toward `total`.
///
/// A server that ignores the page number must not make the stream endless
/// or repeat items: a page equal to the one before it, or a page past the
/// number that the first page's length and `total` allow, ends the stream
/// with [`Error::Pagination`].
#[doc(hidden)]
pub fn paginate<'a, T, F, Fut, B>(first_page: u64, fetch: F) -> ItemStream<'a, T, B>
where
    T: Send + Clone + PartialEq + 'a,
    F: FnMut(u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>, Error<B>>> + Send + 'a,
    B: Send + 'a,
{
    let state = State {
        fetch,
        next_page: first_page,
        seen: 0,
        first_page_len: None,
        last_page: None,
        max_page: None,
        items: Vec::new().into_iter(),
        done: false,
    };
    Box::pin(stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.items.next() {
                return Some((Ok(item), state));
            }
            if state.done {
                return None;
            }
            match (state.fetch)(state.next_page).await {
                Err(err) => {
                    state.done = true;
                    return Some((Err(err), state));
                }
                Ok(page) => {
                    if let Err(err) = state.accept(page) {
                        state.done = true;
                        return Some((Err(err), state));
                    }
                }
            }
        }
    }))
}

struct State<F, T> {
    fetch: F,
    next_page: u64,
    seen: u64,
    first_page_len: Option<usize>,
    /// The items of the page before, to recognise a repeat.
    last_page: Option<Vec<T>>,
    /// The last page `total` allows, once known.
    max_page: Option<u64>,
    items: std::vec::IntoIter<T>,
    done: bool,
}

impl<F, T: Clone + PartialEq> State<F, T> {
    /// Takes in a fetched page and decides whether another one follows.
    fn accept<B>(&mut self, page: Page<T>) -> Result<(), Error<B>> {
        let number = self.next_page;
        let len = page.items.len();
        if len > 0 && self.last_page.as_ref() == Some(&page.items) {
            return Err(Error::Pagination {
                page: number,
                reason: format!(
                    "the server sent the same {len} items as for page {}; it may be ignoring \
                     the page number",
                    number.saturating_sub(1)
                ),
            });
        }
        if let Some(max_page) = self.max_page
            && number > max_page
            && len > 0
        {
            return Err(Error::Pagination {
                page: number,
                reason: format!(
                    "the server's total count allows {max_page} pages of {} items, but it sent \
                     page {number} with {len} more",
                    self.first_page_len.unwrap_or(0)
                ),
            });
        }
        if self.first_page_len.is_none() {
            // Pages are numbered from 1 and all have the first page's length, so a stream
            // that starts at page N has skipped (N - 1) pages' worth of the total.
            let skipped_pages = number.saturating_sub(1);
            self.seen = skipped_pages.saturating_mul(len as u64);
            if let Some(total) = page.total
                && len > 0
            {
                self.max_page = Some(total.div_ceil(len as u64).max(1));
            }
        }
        self.next_page = number.saturating_add(1);
        self.seen = self.seen.saturating_add(len as u64);
        let first_len = *self.first_page_len.get_or_insert(len);
        self.done = match page.total {
            _ if len == 0 => true,
            Some(total) => self.seen >= total,
            None => len < first_len,
        };
        if !self.done {
            self.last_page = Some(page.items.clone());
        }
        self.items = page.items.into_iter();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Serves `count` numbered items in pages of `size`, counting fetches.
    fn source(
        count: u64,
        size: u64,
        with_total: bool,
        fetches: Arc<AtomicU64>,
    ) -> impl FnMut(u64) -> std::future::Ready<Result<Page<u64>, Error>> + Send {
        move |page| {
            fetches.fetch_add(1, Ordering::SeqCst);
            let start = (page - 1) * size;
            let items = (start..count.min(start + size)).collect();
            let total = with_total.then_some(count);
            std::future::ready(Ok(Page { items, total }))
        }
    }

    #[tokio::test]
    async fn yields_every_item_once_and_stops_at_total() {
        let fetches = Arc::new(AtomicU64::new(0));
        let items: Vec<u64> = paginate(1, source(250, 100, true, fetches.clone()))
            .map(|item| item.unwrap())
            .collect()
            .await;
        assert_eq!(items, (0..250).collect::<Vec<_>>());
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn without_total_stops_on_short_or_empty_page() {
        let fetches = Arc::new(AtomicU64::new(0));
        let items: Vec<u64> = paginate(1, source(250, 100, false, fetches.clone()))
            .map(|item| item.unwrap())
            .collect()
            .await;
        assert_eq!(items.len(), 250);
        assert_eq!(fetches.load(Ordering::SeqCst), 3);

        // An exact multiple of the page size needs one empty page to stop.
        let fetches = Arc::new(AtomicU64::new(0));
        let count = paginate(1, source(200, 100, false, fetches.clone()))
            .count()
            .await;
        assert_eq!(count, 200);
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn starting_past_page_one_stops_at_the_last_page() {
        let fetches = Arc::new(AtomicU64::new(0));
        let items: Vec<u64> = paginate(2, source(250, 100, true, fetches.clone()))
            .map(|item| item.unwrap())
            .collect()
            .await;
        assert_eq!(items, (100..250).collect::<Vec<_>>());
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn is_lazy() {
        let fetches = Arc::new(AtomicU64::new(0));
        let mut stream = paginate(1, source(250, 100, true, fetches.clone()));
        assert_eq!(fetches.load(Ordering::SeqCst), 0);
        let first: Vec<_> = stream.by_ref().take(100).collect().await;
        assert_eq!(first.len(), 100);
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_server_ignoring_the_page_number_ends_the_stream_with_an_error() {
        for with_total in [true, false] {
            let fetches = Arc::new(AtomicU64::new(0));
            let counter = fetches.clone();
            let stream = paginate(1, move |_page| {
                counter.fetch_add(1, Ordering::SeqCst);
                std::future::ready(Ok(Page {
                    items: (0..100u64).collect(),
                    total: with_total.then_some(250),
                }))
            });
            let results: Vec<Result<u64, Error>> = stream.collect().await;
            assert_eq!(results.len(), 101, "with_total={with_total}");
            let err = results[100].as_ref().unwrap_err();
            assert!(matches!(err, Error::Pagination { page: 2, .. }), "{err:?}");
            assert!(err.to_string().contains("same 100 items"), "{err}");
            assert_eq!(fetches.load(Ordering::SeqCst), 2);
        }
    }

    #[tokio::test]
    async fn more_pages_than_the_total_allows_is_an_error() {
        // Total 250 in pages of 100 allows 3 pages; the server's later pages
        // are short, so the count never reaches the total.
        let stream = paginate(1, |page| {
            let items: Vec<u64> = if page == 1 {
                (0..100).collect()
            } else {
                (page * 1000..page * 1000 + 10).collect()
            };
            std::future::ready(Ok(Page {
                items,
                total: Some(250),
            }))
        });
        let results: Vec<Result<u64, Error>> = stream.collect().await;
        assert_eq!(results.len(), 121);
        let err = results[120].as_ref().unwrap_err();
        assert!(matches!(err, Error::Pagination { page: 4, .. }), "{err:?}");
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let mut calls = 0;
        let stream = paginate(0, move |page| {
            calls += 1;
            assert!(calls <= 2, "fetched after an error");
            std::future::ready(if page == 0 {
                Ok(Page {
                    items: vec![1, 2],
                    total: Some(10),
                })
            } else {
                Err(Error::config("boom"))
            })
        });
        let results: Vec<Result<u8, Error>> = stream.collect().await;
        assert_eq!(results.len(), 3);
        assert!(results[2].is_err());
    }
}
