//! Problem reductions that shrink a covering instance without changing its optimum.
//!
//! Set covering (LSCP), repeated until nothing changes:
//! - forced candidates: a demand point covered by a single live candidate forces that candidate in, and every
//!   demand point it covers is dropped;
//! - dominated demand points: if every candidate covering `h` also covers `i`, covering `h` covers `i`, so `i`
//!   is dropped (of identical points one is kept);
//! - dominated candidates: if candidate `j` covers a subset of what `k` covers, `j` is dropped (unit costs; of
//!   identical candidates the lowest index is kept).
//!
//! Maximal covering (MCLP): demand points of zero weight or with no candidate are dropped, points with identical
//! candidate lists are merged (weights add) and dominated candidates are dropped; an optimum that uses a dropped
//! candidate can swap it for its dominator, so an optimum survives as long as at least p candidates remain
//! (the caller pads with unused candidates otherwise).
//!
//! Cost per pass: for each row (column) the supersets are sought only among the rows of its rarest column (the
//! columns of its rarest row), so a pass costs about O(pairs · d) where d is the typical list length.

use std::collections::HashMap;

use super::incidence::Incidence;

/// A reduced problem and the way back to the original candidates.
#[derive(Debug, Clone)]
pub(crate) struct Reduced {
    /// The reduced coverage matrix (rows: kept or merged demand points, columns: kept candidates).
    pub inc: Incidence,
    /// Weight of each reduced row (sum over merged demand points).
    pub weight: Vec<f64>,
    /// Original candidate index of each reduced column.
    pub col_orig: Vec<u32>,
    /// Original candidates forced into every optimal cover (LSCP only).
    pub forced: Vec<u32>,
}

/// Live rows and columns of the original matrix while reducing.
struct Live<'a> {
    inc: &'a Incidence,
    row: Vec<bool>,
    col: Vec<bool>,
    weight: Vec<f64>,
}

impl Live<'_> {
    fn live_cols(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.inc
            .cols(i)
            .iter()
            .map(|&j| j as usize)
            .filter(|&j| self.col[j])
    }

    fn live_rows(&self, j: usize) -> impl Iterator<Item = usize> + '_ {
        self.inc
            .rows(j)
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| self.row[i])
    }

    /// Forces the columns of rows with a single live column. Returns whether anything changed.
    fn force(&mut self, forced: &mut Vec<u32>) -> bool {
        let mut changed = false;
        for i in 0..self.inc.n_rows() {
            if !self.row[i] {
                continue;
            }
            let single = {
                let mut cols = self.live_cols(i);
                match (cols.next(), cols.next()) {
                    (Some(j), None) => Some(j),
                    _ => None,
                }
            };
            let Some(j) = single else { continue };
            forced.push(j as u32);
            self.col[j] = false;
            for &r in self.inc.rows(j) {
                self.row[r as usize] = false;
            }
            changed = true;
        }
        changed
    }

    /// Drops columns whose live rows are a subset of another live column's. Returns whether anything changed.
    fn drop_dominated_cols(&mut self) -> bool {
        let n_rows = self.inc.n_rows();
        let n_cols = self.inc.n_cols();
        let row_len: Vec<usize> = (0..n_rows).map(|i| self.live_cols(i).count()).collect();
        let col_len: Vec<usize> = (0..n_cols).map(|j| self.live_rows(j).count()).collect();
        let mut stamp = vec![u32::MAX; n_rows];
        let mut changed = false;
        for j in 0..n_cols {
            if !self.col[j] {
                continue;
            }
            if col_len[j] == 0 {
                self.col[j] = false;
                changed = true;
                continue;
            }
            let mut rarest = usize::MAX;
            for i in self
                .inc
                .rows(j)
                .iter()
                .map(|&i| i as usize)
                .filter(|&i| self.row[i])
            {
                stamp[i] = j as u32;
                if rarest == usize::MAX || row_len[i] < row_len[rarest] {
                    rarest = i;
                }
            }
            let dominated = self.inc.cols(rarest).iter().map(|&k| k as usize).any(|k| {
                k != j
                    && self.col[k]
                    && col_len[k] >= col_len[j]
                    && (col_len[k] > col_len[j] || k < j)
                    && self
                        .inc
                        .rows(k)
                        .iter()
                        .filter(|&&i| stamp[i as usize] == j as u32)
                        .count()
                        == col_len[j]
            });
            if dominated {
                self.col[j] = false;
                changed = true;
            }
        }
        changed
    }

    /// Drops rows whose live columns are a superset of another live row's. Returns whether anything changed.
    fn drop_dominated_rows(&mut self) -> bool {
        let n_rows = self.inc.n_rows();
        let n_cols = self.inc.n_cols();
        let row_len: Vec<usize> = (0..n_rows).map(|i| self.live_cols(i).count()).collect();
        let col_len: Vec<usize> = (0..n_cols).map(|j| self.live_rows(j).count()).collect();
        let mut stamp = vec![u32::MAX; n_cols];
        let mut changed = false;
        for h in 0..n_rows {
            if !self.row[h] || row_len[h] == 0 {
                continue;
            }
            let mut rarest = usize::MAX;
            for j in self
                .inc
                .cols(h)
                .iter()
                .map(|&j| j as usize)
                .filter(|&j| self.col[j])
            {
                stamp[j] = h as u32;
                if rarest == usize::MAX || col_len[j] < col_len[rarest] {
                    rarest = j;
                }
            }
            for &i in self.inc.rows(rarest) {
                let i = i as usize;
                if i == h
                    || !self.row[i]
                    || row_len[i] < row_len[h]
                    || (row_len[i] == row_len[h] && i < h)
                {
                    continue;
                }
                if self
                    .inc
                    .cols(i)
                    .iter()
                    .filter(|&&j| stamp[j as usize] == h as u32)
                    .count()
                    == row_len[h]
                {
                    self.row[i] = false;
                    changed = true;
                }
            }
        }
        changed
    }

    /// Merges rows with identical live columns into the first one. Returns whether anything changed.
    fn merge_identical_rows(&mut self) -> bool {
        let mut first: HashMap<Vec<u32>, usize> = HashMap::new();
        let mut changed = false;
        for i in 0..self.inc.n_rows() {
            if !self.row[i] {
                continue;
            }
            let key: Vec<u32> = self.live_cols(i).map(|j| j as u32).collect();
            match first.get(&key) {
                Some(&k) => {
                    self.weight[k] += self.weight[i];
                    self.row[i] = false;
                    changed = true;
                }
                None => {
                    first.insert(key, i);
                }
            }
        }
        changed
    }

    fn finish(self, forced: Vec<u32>) -> Reduced {
        let mut new_col = vec![u32::MAX; self.inc.n_cols()];
        let mut col_orig = Vec::new();
        for (j, slot) in new_col.iter_mut().enumerate() {
            if self.col[j] && self.live_rows(j).next().is_some() {
                *slot = col_orig.len() as u32;
                col_orig.push(j as u32);
            }
        }
        let mut rows = Vec::new();
        let mut weight = Vec::new();
        for i in 0..self.inc.n_rows() {
            if self.row[i] {
                let cols: Vec<u32> = self.live_cols(i).map(|j| new_col[j]).collect();
                if !cols.is_empty() {
                    rows.push(cols);
                    weight.push(self.weight[i]);
                }
            }
        }
        Reduced {
            inc: Incidence::from_rows(col_orig.len(), &rows),
            weight,
            col_orig,
            forced,
        }
    }
}

/// Reduces a set covering instance; every row must have at least one column.
pub(crate) fn reduce_lscp(inc: &Incidence) -> Reduced {
    let mut live = Live {
        inc,
        row: vec![true; inc.n_rows()],
        col: vec![true; inc.n_cols()],
        weight: vec![1.0; inc.n_rows()],
    };
    let mut forced = Vec::new();
    loop {
        let mut changed = live.force(&mut forced);
        changed |= live.drop_dominated_cols();
        changed |= live.drop_dominated_rows();
        if !changed {
            break;
        }
    }
    forced.sort_unstable();
    live.finish(forced)
}

/// Reduces a maximal covering instance with the given row weights.
pub(crate) fn reduce_mclp(inc: &Incidence, weight: &[f64]) -> Reduced {
    let row = (0..inc.n_rows())
        .map(|i| weight[i] > 0.0 && !inc.cols(i).is_empty())
        .collect();
    let mut live = Live {
        inc,
        row,
        col: vec![true; inc.n_cols()],
        weight: weight.to_vec(),
    };
    loop {
        let mut changed = live.drop_dominated_cols();
        changed |= live.merge_identical_rows();
        if !changed {
            break;
        }
    }
    live.finish(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lscp_forces_and_drops_dominated() {
        // Row 0 only by col 0 (forced, covers rows 0 and 1); rows 2, 3 by cols {1,2} and {2}: col 1 ⊂ col 2.
        let inc = Incidence::from_rows(3, &[vec![0], vec![0, 1], vec![1, 2], vec![2]]);
        let red = reduce_lscp(&inc);
        assert_eq!(red.forced, vec![0, 2]);
        assert_eq!(red.inc.n_rows(), 0);
    }

    #[test]
    fn mclp_merges_identical_rows() {
        let inc = Incidence::from_rows(2, &[vec![0, 1], vec![0, 1], vec![1]]);
        let red = reduce_mclp(&inc, &[1.0, 2.0, 4.0]);
        // Col 0 ⊂ col 1, then all rows have the list [1] and merge.
        assert_eq!(red.col_orig, vec![1]);
        assert_eq!(red.weight, vec![7.0]);
    }
}
