//! Splits a covering matrix into independent components: rows joined through shared columns.
//!
//! Two demand points are in one component when a chain of candidates, each covering two consecutive points of
//! the chain, joins them. Components share no candidate, so a set-covering optimum is the sum of the
//! components' optima and a bound is the sum of their bounds; each component can be solved, and proven, on its
//! own. Reductions (forced candidates) often cut a region into many such pieces. Cost: O(pairs · α) with a
//! union-find over the rows, then O(pairs) to build the pieces.

use super::incidence::Incidence;

/// One component: its own matrix and the way back to the parent's rows and columns.
#[derive(Debug, Clone)]
pub(crate) struct Component {
    /// The component's matrix (rows and columns renumbered from 0).
    pub inc: Incidence,
    /// Parent column of each component column.
    pub col_orig: Vec<u32>,
}

fn find(parent: &mut [u32], mut v: u32) -> u32 {
    while parent[v as usize] != v {
        let up = parent[parent[v as usize] as usize];
        parent[v as usize] = up;
        v = up;
    }
    v
}

/// The components of `inc`, ordered by (rows, first parent row) ascending, so small pieces come first.
/// Columns covering no row belong to no component.
pub(crate) fn split(inc: &Incidence) -> Vec<Component> {
    let n = inc.n_rows();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for j in 0..inc.n_cols() {
        if let Some((&first, rest)) = inc.rows(j).split_first() {
            let a = find(&mut parent, first);
            for &i in rest {
                let b = find(&mut parent, i);
                if a != b {
                    // Keep the smaller root so that the result does not depend on the union order's details.
                    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                    parent[hi as usize] = lo;
                }
            }
        }
    }
    // Component id per row, numbered by first row.
    let mut comp_of_root = vec![u32::MAX; n];
    let mut comp = vec![0u32; n];
    let mut members: Vec<Vec<u32>> = Vec::new();
    for i in 0..n {
        let root = find(&mut parent, i as u32) as usize;
        if comp_of_root[root] == u32::MAX {
            comp_of_root[root] = members.len() as u32;
            members.push(Vec::new());
        }
        comp[i] = comp_of_root[root];
        members[comp[i] as usize].push(i as u32);
    }
    // Local row index of every parent row, local column index of every parent column.
    let mut local_row = vec![0u32; n];
    for rows in &members {
        for (k, &i) in rows.iter().enumerate() {
            local_row[i as usize] = k as u32;
        }
    }
    let mut cols_of: Vec<Vec<u32>> = vec![Vec::new(); members.len()];
    let mut local_col = vec![u32::MAX; inc.n_cols()];
    for j in 0..inc.n_cols() {
        if let Some(&i) = inc.rows(j).first() {
            let c = comp[i as usize] as usize;
            local_col[j] = cols_of[c].len() as u32;
            cols_of[c].push(j as u32);
        }
    }
    let mut parts: Vec<Component> = members
        .iter()
        .zip(cols_of)
        .map(|(rows, col_orig)| {
            let local_rows: Vec<Vec<u32>> = rows
                .iter()
                .map(|&i| {
                    inc.cols(i as usize)
                        .iter()
                        .map(|&j| local_col[j as usize])
                        .collect()
                })
                .collect();
            Component {
                inc: Incidence::from_rows(col_orig.len(), &local_rows),
                col_orig,
            }
        })
        .collect();
    // Stable: equal sizes keep first-row order.
    parts.sort_by_key(|p| p.inc.n_rows());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_pieces_and_a_loose_column() {
        // Rows 0-1 joined by column 1; row 2 alone with column 3; column 4 covers nothing.
        let inc = Incidence::from_rows(5, &[vec![0, 1], vec![1, 2], vec![3]]);
        let parts = split(&inc);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].inc.n_rows(), 1);
        assert_eq!(parts[0].col_orig, vec![3]);
        assert_eq!(parts[1].inc.n_rows(), 2);
        assert_eq!(parts[1].col_orig, vec![0, 1, 2]);
        assert_eq!(parts[1].inc.cols(1), &[1, 2]);
        let total: usize = parts.iter().map(|p| p.inc.nnz()).sum();
        assert_eq!(total, inc.nnz());
    }
}
