//! The coverage relation as a sparse 0/1 matrix stored both ways (rows = demand points, columns = candidates).
//!
//! `cols(i)` lists the candidates that cover demand point `i`, `rows(j)` the demand points candidate `j` covers,
//! both sorted ascending. Memory is O(rows + columns + pairs) with `u32` indices; building costs O(pairs).

/// A sparse 0/1 matrix with row and column adjacency lists (compressed sparse rows and columns).
#[derive(Debug, Clone, Default)]
pub(crate) struct Incidence {
    row_start: Vec<usize>,
    row_cols: Vec<u32>,
    col_start: Vec<usize>,
    col_rows: Vec<u32>,
}

impl Incidence {
    /// Builds the matrix from each row's column list; columns are numbered `0..n_cols`.
    pub(crate) fn from_rows(n_cols: usize, rows: &[Vec<u32>]) -> Self {
        let mut row_start = Vec::with_capacity(rows.len() + 1);
        let mut row_cols = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        row_start.push(0);
        let mut col_count = vec![0usize; n_cols];
        for cols in rows {
            let begin = row_cols.len();
            row_cols.extend_from_slice(cols);
            row_cols[begin..].sort_unstable();
            for &j in cols {
                col_count[j as usize] += 1;
            }
            row_start.push(row_cols.len());
        }
        let mut col_start = Vec::with_capacity(n_cols + 1);
        col_start.push(0);
        for count in &col_count {
            col_start.push(col_start[col_start.len() - 1] + count);
        }
        let mut fill = col_start.clone();
        let mut col_rows = vec![0u32; row_cols.len()];
        for i in 0..rows.len() {
            for &j in &row_cols[row_start[i]..row_start[i + 1]] {
                col_rows[fill[j as usize]] = i as u32;
                fill[j as usize] += 1;
            }
        }
        Incidence {
            row_start,
            row_cols,
            col_start,
            col_rows,
        }
    }

    /// Number of rows (demand points).
    pub(crate) fn n_rows(&self) -> usize {
        self.row_start.len() - 1
    }

    /// Number of columns (candidates).
    pub(crate) fn n_cols(&self) -> usize {
        self.col_start.len() - 1
    }

    /// Number of (row, column) pairs.
    pub(crate) fn nnz(&self) -> usize {
        self.row_cols.len()
    }

    /// The columns covering row `i`, ascending.
    pub(crate) fn cols(&self, i: usize) -> &[u32] {
        &self.row_cols[self.row_start[i]..self.row_start[i + 1]]
    }

    /// The rows covered by column `j`, ascending.
    pub(crate) fn rows(&self, j: usize) -> &[u32] {
        &self.col_rows[self.col_start[j]..self.col_start[j + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_orientations_agree() {
        let inc = Incidence::from_rows(3, &[vec![2, 0], vec![1], vec![0, 1, 2]]);
        assert_eq!(inc.n_rows(), 3);
        assert_eq!(inc.n_cols(), 3);
        assert_eq!(inc.nnz(), 6);
        assert_eq!(inc.cols(0), &[0, 2]);
        assert_eq!(inc.rows(0), &[0, 2]);
        assert_eq!(inc.rows(1), &[1, 2]);
        assert_eq!(inc.rows(2), &[0, 2]);
    }
}
