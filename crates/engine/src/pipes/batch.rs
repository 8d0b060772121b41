//! Batching: which records go to the enrichment and target together, and when.
//!
//! EventBridge reads a source until the batch is full (`BatchSize`), the batching window
//! (`MaximumBatchingWindowInSeconds`) expires or the payload limit is reached. Here the records'
//! arrival times are known in advance (the workspace gives them), so the batches are cut once:
//! a batch opens when its first record arrives and closes when its last place is filled or its
//! window ends, whichever is first; without a window it takes what has arrived at that moment.
//!
//! ```
//! use statebridge_engine::pipes::batch::cut;
//! // Five records, batches of 2, a 10-second window: [0, 1] full at once, [2] alone (its window
//! // ends before the next one arrives), [3, 4] full when the fifth arrives.
//! let at = [0, 0, 1_000, 20_000, 25_000];
//! let batches = cut(&at, 2, 10_000);
//! let shape: Vec<(i64, Vec<usize>)> = batches.iter().map(|b| (b.close, b.records.clone().collect())).collect();
//! assert_eq!(shape, [(0, vec![0, 1]), (11_000, vec![2]), (25_000, vec![3, 4])]);
//! ```

use crate::asl::time::Millis;
use std::ops::Range;

/// One batch: the records it holds (indices into the arrival list) and when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The records, a run of the arrival list.
    pub records: Range<usize>,
    /// When the batch closes and goes to the enrichment or target.
    pub close: Millis,
}

/// Cuts records arriving at `arrivals` (in order, not decreasing) into batches of at most `size`
/// with a window of `window` milliseconds. Linear in the number of records.
pub fn cut(arrivals: &[Millis], size: usize, window: Millis) -> Vec<Batch> {
    let size = size.max(1);
    let mut out = Vec::new();
    let mut i = 0;
    while i < arrivals.len() {
        let open = arrivals[i];
        let deadline = open.saturating_add(window.max(0));
        let full_at = i + size - 1;
        let (end, close) = match arrivals.get(full_at) {
            Some(&t) if t <= deadline => (full_at + 1, t.max(open)),
            _ => {
                let mut j = i;
                while j < arrivals.len() && j < i + size && arrivals[j] <= deadline {
                    j += 1;
                }
                (j, deadline)
            }
        };
        out.push(Batch {
            records: i..end,
            close,
        });
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_window_a_batch_takes_what_has_arrived() {
        let b = cut(&[0, 0, 0, 5_000], 10, 0);
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].records.clone(), b[0].close), (0..3, 0));
        assert_eq!((b[1].records.clone(), b[1].close), (3..4, 5_000));
    }

    #[test]
    fn ten_thousand_records_in_batches_of_ten() {
        let at = vec![0; 10_000];
        let b = cut(&at, 10, 0);
        assert_eq!(b.len(), 1_000);
        assert!(b.iter().all(|x| x.records.len() == 10));
    }
}
