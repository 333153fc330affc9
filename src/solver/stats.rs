//! Sizes and effort of one covering solve, and the sentence that says how its set-covering bound was
//! obtained (what was solved exactly, what was bounded by the LP, what was left to the Lagrangian dual).

/// Sizes and effort of one solve.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SolveStats {
    /// Demand points left after reductions (MCLP: after merging identical points).
    pub reduced_demand: usize,
    /// Candidates left after reductions.
    pub reduced_candidates: usize,
    /// Candidates forced into every optimal cover (LSCP).
    pub forced: usize,
    /// Subgradient iterations at the root.
    pub lagrangian_iterations: usize,
    /// Branch-and-bound nodes (summed over components).
    pub nodes: u64,
    /// Independent components of the reduced problem, each solved and bounded on its own (LSCP).
    pub components: usize,
    /// Components where every candidate covers at most two points, solved exactly as minimum edge covers by
    /// maximum matching (LSCP).
    pub edge_cover_components: usize,
    /// Demand points in the largest component left to the general search (0 if none) (LSCP).
    pub largest_search_rows: usize,
    /// Components whose LP relaxation was solved, by either method (LSCP).
    pub lp_components: usize,
    /// Of those, the large ones (over 500 points) solved by the interior-point method (LSCP).
    pub ipm_components: usize,
    /// Components too large for the interior-point LP (more than 20,000 points), bounded by the Lagrangian
    /// dual only.
    pub lp_skipped_components: usize,
    /// Whether every LP solved reached its optimum (false: a time limit cut one short; its bound stays valid).
    pub lp_optimal: bool,
    /// Dual simplex iterations, summed over components.
    pub lp_iterations: usize,
    /// Interior-point iterations, summed over components and cut rounds (each round solves from scratch).
    pub ipm_iterations: usize,
    /// Triangle {0,1/2}-Chvátal–Gomory cuts added to the LPs (LSCP).
    pub cuts: usize,
    /// Cutting-plane rounds (each: separate, add, re-solve), summed over components (LSCP).
    pub cut_rounds: usize,
    /// The bound before branching and before rounding up: forced sites + edge-cover optima + per component
    /// the best of the LP value and the Lagrangian value (LSCP).
    pub root_bound: f64,
}

impl SolveStats {
    /// One line saying how the set-covering bound was obtained, and what was left out, e.g.
    /// "12 forced sites; 3 independent components: 2 solved exactly as edge covers by maximum matching,
    /// 1 bounded by its LP relaxation (dual simplex, optimal) and searched (40 branch-and-bound nodes)".
    pub fn lscp_bound_note(&self) -> String {
        let searched = self.components - self.edge_cover_components;
        let mut note = format!(
            "{} forced sites; {} independent component(s): {} solved exactly as edge covers by maximum matching",
            self.forced, self.components, self.edge_cover_components
        );
        if searched > 0 {
            note.push_str(&format!(
                ", {searched} searched by branch-and-bound ({} nodes)",
                self.nodes
            ));
            if self.lp_components > 0 {
                note.push_str(&format!(
                    "; LP relaxation on {} of them ({} by dual simplex, {} by interior point) ({})",
                    self.lp_components,
                    self.lp_components - self.ipm_components,
                    self.ipm_components,
                    if self.lp_optimal {
                        "solved to optimality"
                    } else {
                        "cut short by the time limit, bound still valid"
                    }
                ));
                if self.cuts > 0 {
                    note.push_str(&format!(
                        ", tightened by {} triangle {{0,1/2}}-cuts in {} round(s)",
                        self.cuts, self.cut_rounds
                    ));
                } else {
                    note.push_str(", no cuts");
                }
            }
            if self.lp_skipped_components > 0 {
                note.push_str(&format!(
                    "; {} too large for the interior-point LP (over 20,000 points), bounded by the Lagrangian dual only",
                    self.lp_skipped_components
                ));
            }
        }
        note
    }
}
