//! A small in-process cache of computed views (the dashboard's): an entry
//! lives at most `ttl`, there are at most `capacity` entries, a write to the
//! database (`db::writes`) makes every entry stale, and concurrent requests
//! for the same key wait for one computation (single flight). At most
//! `computing` computations run at once, so memory does not grow with the
//! number of concurrent viewers.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{OnceCell, Semaphore};

struct Entry<K, V> {
    key: K,
    /// `db::writes()` when the entry was made.
    generation: u64,
    born: Instant,
    value: Arc<OnceCell<Arc<V>>>,
}

pub struct ViewCache<K, V> {
    ttl: Duration,
    capacity: usize,
    /// Oldest first.
    entries: Mutex<Vec<Entry<K, V>>>,
    computing: Semaphore,
}

impl<K: PartialEq, V> ViewCache<K, V> {
    pub fn new(ttl: Duration, capacity: usize, computing: usize) -> Self {
        ViewCache {
            ttl,
            capacity: capacity.max(1),
            entries: Mutex::new(Vec::new()),
            computing: Semaphore::new(computing.max(1)),
        }
    }

    /// The value of `key` computed after the `generation`-th write, from
    /// the cache or from `compute` (once for all who ask at the same time).
    /// An error is not kept: the next caller computes again.
    pub async fn get<E, Fut>(
        &self,
        key: K,
        generation: u64,
        compute: impl FnOnce() -> Fut,
    ) -> Result<Arc<V>, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        let cell = self.cell(key, generation);
        cell.get_or_try_init(|| async {
            // The semaphore is never closed: the permit always comes.
            let _permit = self.computing.acquire().await.ok();
            compute().await.map(Arc::new)
        })
        .await
        .cloned()
    }

    fn cell(&self, key: K, generation: u64) -> Arc<OnceCell<Arc<V>>> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        entries.retain(|e| e.generation >= generation && now.duration_since(e.born) < self.ttl);
        if let Some(entry) = entries.iter().find(|e| e.key == key) {
            return Arc::clone(&entry.value);
        }
        if entries.len() >= self.capacity {
            entries.remove(0);
        }
        let value = Arc::new(OnceCell::new());
        entries.push(Entry {
            key,
            generation,
            born: now,
            value: Arc::clone(&value),
        });
        value
    }

    /// How many entries the cache holds now.
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    }

    #[test]
    fn concurrent_viewers_share_one_computation() {
        let cache = Arc::new(ViewCache::<&str, usize>::new(Duration::from_secs(60), 4, 2));
        let runs = Arc::new(AtomicUsize::new(0));
        let values = runtime().block_on(async {
            let tasks: Vec<_> = (0..64)
                .map(|_| {
                    let (cache, runs) = (Arc::clone(&cache), Arc::clone(&runs));
                    tokio::spawn(async move {
                        cache
                            .get("view", 0, || async {
                                runs.fetch_add(1, Ordering::SeqCst);
                                tokio::time::sleep(Duration::from_millis(50)).await;
                                Ok::<_, ()>(7)
                            })
                            .await
                    })
                })
                .collect();
            let mut values = Vec::new();
            for task in tasks {
                values.push(*task.await.expect("task").expect("value"));
            }
            values
        });
        assert_eq!(values, vec![7; 64]);
        assert_eq!(
            runs.load(Ordering::SeqCst),
            1,
            "one computation for 64 viewers"
        );
    }

    #[test]
    fn a_write_an_expiry_or_an_error_computes_again_and_entries_stay_bounded() {
        let cache = ViewCache::<u32, u32>::new(Duration::from_millis(200), 3, 1);
        let rt = runtime();
        let get = |key: u32, generation: u64, value: u32| {
            rt.block_on(cache.get(key, generation, || async { Ok::<_, ()>(value) }))
                .map(|v| *v)
        };
        assert_eq!(get(1, 0, 10), Ok(10));
        assert_eq!(get(1, 0, 11), Ok(10), "cached");
        assert_eq!(get(1, 1, 12), Ok(12), "a write came in between");
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(get(1, 1, 13), Ok(13), "expired");
        let failed = rt.block_on(cache.get(2, 1, || async { Err::<u32, _>("down") }));
        assert_eq!(failed.map(|v| *v), Err("down"));
        assert_eq!(get(2, 1, 20), Ok(20), "an error is not kept");
        for key in 3..10 {
            assert_eq!(get(key, 1, key), Ok(key));
        }
        assert_eq!(cache.len(), 3, "at most the capacity");
        assert_eq!(get(9, 1, 0), Ok(9));
        assert_eq!(get(1, 1, 14), Ok(14), "the oldest went first");
    }
}
