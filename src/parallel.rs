//! Work spread over the machine's cores: an order-keeping parallel map on scoped threads,
//! used where wxmod's work is many independent pieces (coverage of grid-cell pieces, the
//! maps of a run). Workers claim small blocks of items from a shared counter, so uneven items
//! (a city map beside a county map) still keep every core busy.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Maps `f` over `items` on up to 8 cores and returns the results in the order of `items`.
/// With one core, or fewer than `min_items` items, it runs on the calling thread.
///
/// # Examples
/// ```
/// let squares = wxmod::parallel::map_in_order(&[1, 2, 3, 4], 1, |x| x * x);
/// assert_eq!(squares, vec![1, 4, 9, 16]);
/// ```
pub fn map_in_order<T: Sync, R: Send>(
    items: &[T],
    min_items: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(items.len());
    if threads < 2 || items.len() < min_items {
        return items.iter().map(&f).collect();
    }
    let block = (items.len() / (threads * 16)).max(1);
    let next = AtomicUsize::new(0);
    let mut parts: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let start = next.fetch_add(block, Ordering::Relaxed);
                        if start >= items.len() {
                            return done;
                        }
                        let end = (start + block).min(items.len());
                        done.push((start, items[start..end].iter().map(&f).collect()));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    parts.sort_unstable_by_key(|(start, _)| *start);
    parts.into_iter().flat_map(|(_, part)| part).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The parallel map equals the sequential one, for every length and threshold.
        #[test]
        fn keeps_the_order_of_a_sequential_map(
            items in proptest::collection::vec(any::<i64>(), 0..500),
            min_items in 0usize..100,
        ) {
            let expected: Vec<i64> = items.iter().map(|x| x.wrapping_mul(3) ^ 5).collect();
            prop_assert_eq!(map_in_order(&items, min_items, |x| x.wrapping_mul(3) ^ 5), expected);
        }
    }
}
