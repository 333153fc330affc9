//! The policy's goals (clause 2: full coverage by 2025, a region-wide routine operation system
//! by 2035) set against a plan, honestly: a goal is met only when every required cell holds a
//! standardized point by its year. Cells no new point stands in make the standard not reachable
//! with this plan, and the check says how many and why (the leading refusal of each cell, summed
//! over cells). Counties whose own points the 1-2 a year rule pushes past a goal year are named
//! with the yearly rate each would need to finish by then.

use std::collections::BTreeMap;
use std::fmt;

use super::Plan;
use super::rollout::POLICY_GOALS;
use super::rules::SitingRules;

/// How many late counties a goal sentence names before it refers to the report.
const NAMED_COUNTIES: usize = 6;
/// How many refusal reasons a goal sentence names.
const NAMED_REASONS: usize = 3;

/// Where the plan stands against one goal.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum GoalStatus {
    /// No required cell waited for a new point: the network already meets the grid standard.
    AlreadyMet,
    /// Every required cell holds a standardized point in `year`, no later than the goal.
    Met {
        /// The year the last required cell is served.
        year: i32,
    },
    /// Every required cell is served, but only after the goal year.
    Late {
        /// The year the last required cell is served.
        year: i32,
        /// Years after the goal.
        years_late: i32,
    },
    /// Some required cells hold no standardized point at the end of the plan.
    NotReachable {
        /// Required cells no new point of the plan stands in.
        unserved_cells: usize,
        /// Of those, the cells where no candidate passes the siting rules.
        infeasible_cells: usize,
        /// The year the other required cells are all served (`None`: none waited).
        others_served_in: Option<i32>,
    },
}

/// One refusal reason, with how many infeasible cells it leads (refuses the most candidates in).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnservableReason {
    /// The reason, as the constraints word it.
    pub reason: String,
    /// Infeasible cells it leads.
    pub cells: usize,
}

/// A county whose own new points are built after a goal year at the rule's rate.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CountyPace {
    /// County id.
    pub county: String,
    /// County name.
    pub county_name: String,
    /// New standardized points the plan puts in the county.
    pub new_points: usize,
    /// The year its last new point is built at the rule's rate.
    pub last_year: i32,
    /// New points a year that would finish it by the goal year (`None`: the goal year lies
    /// before the rollout's first year, so no rate can).
    pub needed_per_year: Option<usize>,
}

/// One policy goal against the plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GoalCheck {
    /// The goal year.
    pub year: i32,
    /// What the policy asks by then.
    pub goal: &'static str,
    /// Where the plan stands.
    pub status: GoalStatus,
    /// Why the infeasible cells cannot hold a point, most cells first.
    pub unservable_reasons: Vec<UnservableReason>,
    /// Counties whose own points the yearly limit pushes past the goal year.
    pub late_counties: Vec<CountyPace>,
    /// The yearly limit the rollout used.
    pub max_new_per_county_per_year: usize,
    /// The rollout's first year.
    pub start_year: i32,
}

impl GoalCheck {
    /// True only when every required cell is served by the goal year.
    pub fn is_met(&self) -> bool {
        matches!(self.status, GoalStatus::AlreadyMet | GoalStatus::Met { .. })
    }
}

/// Checks every policy goal against the plan.
pub fn check_goals(plan: &Plan, rules: &SitingRules) -> Vec<GoalCheck> {
    let reasons = unservable_reasons(plan);
    let rollout = &plan.rollout;
    POLICY_GOALS
        .iter()
        .map(|&(year, goal)| {
            let status = match (rollout.never_served_cells, rollout.city_complete_year) {
                (0, None) => GoalStatus::AlreadyMet,
                (0, Some(done)) if done <= year => GoalStatus::Met { year: done },
                (0, Some(done)) => GoalStatus::Late {
                    year: done,
                    years_late: done - year,
                },
                (unserved, done) => GoalStatus::NotReachable {
                    unserved_cells: unserved,
                    infeasible_cells: plan.grid.infeasible.len(),
                    others_served_in: done,
                },
            };
            GoalCheck {
                year,
                goal,
                status,
                unservable_reasons: reasons.clone(),
                late_counties: late_counties(plan, rules, year),
                max_new_per_county_per_year: rules.max_new_per_county_per_year,
                start_year: rules.start_year,
            }
        })
        .collect()
}

/// The leading reason of each infeasible cell, counted over cells, most cells first.
fn unservable_reasons(plan: &Plan) -> Vec<UnservableReason> {
    let mut cells: BTreeMap<&str, usize> = BTreeMap::new();
    for cell in &plan.grid.infeasible {
        let reason = cell
            .reasons
            .first()
            .map_or("no candidate site on land in the cell", |(r, _)| r.as_str());
        *cells.entry(reason).or_default() += 1;
    }
    let mut reasons: Vec<UnservableReason> = cells
        .into_iter()
        .map(|(reason, cells)| UnservableReason {
            reason: reason.to_string(),
            cells,
        })
        .collect();
    reasons.sort_by(|a, b| b.cells.cmp(&a.cells).then(a.reason.cmp(&b.reason)));
    reasons
}

/// Counties whose last own point is built after `goal_year`, with the rate that would finish
/// them by then.
fn late_counties(plan: &Plan, rules: &SitingRules, goal_year: i32) -> Vec<CountyPace> {
    let years_available = goal_year - rules.start_year + 1;
    plan.rollout
        .counties
        .iter()
        .filter_map(|c| {
            let last_year = *c.points_by_year.keys().next_back()?;
            if last_year <= goal_year {
                return None;
            }
            let new_points: usize = c.points_by_year.values().sum();
            let needed_per_year = usize::try_from(years_available)
                .ok()
                .filter(|&years| years > 0)
                .map(|years| new_points.div_ceil(years));
            Some(CountyPace {
                county: c.county.clone(),
                county_name: c.county_name.clone(),
                new_points,
                last_year,
                needed_per_year,
            })
        })
        .collect()
}

impl fmt::Display for GoalCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} goal, {}: ", self.year, self.goal)?;
        match &self.status {
            GoalStatus::AlreadyMet => write!(f, "met: no required cell waits for a new point")?,
            GoalStatus::Met { year } => write!(f, "met in {year}: every required cell served")?,
            GoalStatus::Late { year, years_late } => write!(
                f,
                "not met: every required cell is served only in {year}, {years_late} years late"
            )?,
            GoalStatus::NotReachable {
                unserved_cells,
                infeasible_cells,
                others_served_in,
            } => {
                write!(
                    f,
                    "not reachable with this plan: {unserved_cells} required cells stay without a standardized point"
                )?;
                if *infeasible_cells > 0 {
                    write!(
                        f,
                        "; {infeasible_cells} of them cannot hold one ({})",
                        self.reasons_text()
                    )?;
                }
                let missed = unserved_cells.saturating_sub(*infeasible_cells);
                if missed > 0 {
                    write!(
                        f,
                        "; {missed} hold none of the plan's new points (the coverage objective places points for influence-disc coverage, not one per cell)"
                    )?;
                }
                match others_served_in {
                    Some(y) if *y > self.year => write!(
                        f,
                        "; the other required cells are served in {y}, {} years late",
                        y - self.year
                    )?,
                    Some(y) => write!(f, "; the other required cells are served by {y}")?,
                    None => {}
                }
            }
        }
        if !self.late_counties.is_empty() {
            write!(f, ". {}", self.pace_text())?;
        }
        Ok(())
    }
}

impl GoalCheck {
    fn reasons_text(&self) -> String {
        let mut parts: Vec<String> = self
            .unservable_reasons
            .iter()
            .take(NAMED_REASONS)
            .map(|r| {
                format!(
                    "{} {}: {}",
                    r.cells,
                    plural(r.cells, "cell", "cells"),
                    r.reason
                )
            })
            .collect();
        let rest: usize = self
            .unservable_reasons
            .iter()
            .skip(NAMED_REASONS)
            .map(|r| r.cells)
            .sum();
        if rest > 0 {
            parts.push(format!(
                "{rest} cells: other reasons, see the infeasible cells"
            ));
        }
        parts.join("; ")
    }

    fn pace_text(&self) -> String {
        if self.start_year > self.year {
            return format!(
                "The goal year lies before the rollout's first year {}: none of the new points of the {} {} can be built by then",
                self.start_year,
                self.late_counties.len(),
                plural(self.late_counties.len(), "county", "counties")
            );
        }
        let named: Vec<String> = self
            .late_counties
            .iter()
            .take(NAMED_COUNTIES)
            .map(|c| {
                let need = c.needed_per_year.map_or_else(
                    || "no rate can finish by then".to_string(),
                    |n| format!("{n} a year would finish by {}", self.year),
                );
                format!(
                    "{} ({} {}, last in {}; {need})",
                    c.county_name,
                    c.new_points,
                    plural(c.new_points, "point", "points"),
                    c.last_year
                )
            })
            .collect();
        let more = self.late_counties.len().saturating_sub(NAMED_COUNTIES);
        let mut text = format!(
            "At {} new points per county a year from {}, {} {} past {}: {}",
            self.max_new_per_county_per_year,
            self.start_year,
            self.late_counties.len(),
            plural(self.late_counties.len(), "county builds", "counties build"),
            self.year,
            named.join(", ")
        );
        if more > 0 {
            text.push_str(&format!(", and {more} more (plan.md lists every county)"));
        }
        text
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::siting::grid_plan::{GridPlan, InfeasibleCell};
    use crate::siting::rollout::{CountyRollout, Rollout};

    fn plan(counties: Vec<CountyRollout>, infeasible: Vec<InfeasibleCell>) -> Plan {
        let never_served_cells = counties.iter().map(|c| c.never_served_cells).sum();
        let city_complete_year = counties.iter().filter_map(|c| c.complete_year).max();
        Plan {
            sites: Vec::new(),
            new_sites: 0,
            grid: GridPlan {
                points: Vec::new(),
                infeasible,
                unserved_priority: 0,
                unserved_base: 0,
                matching: 0,
            },
            burners: None,
            mobile_counties: Vec::new(),
            rollout: Rollout {
                grid_years: Vec::new(),
                burner_years: Vec::new(),
                counties,
                city_complete_year,
                never_served_cells,
            },
            coverage: None,
        }
    }

    fn county(
        name: &str,
        points: &[(i32, usize)],
        done: Option<i32>,
        never: usize,
    ) -> CountyRollout {
        CountyRollout {
            county: format!("id-{name}"),
            county_name: name.into(),
            points_by_year: points.iter().copied().collect(),
            burners_by_year: BTreeMap::new(),
            complete_year: done,
            infeasible_cells: 0,
            never_served_cells: never,
        }
    }

    fn infeasible(reason: &str) -> InfeasibleCell {
        InfeasibleCell {
            grid: crate::gaps::PolicyGrid::Base,
            cell: crate::grid::CellId { col: 1, row: 1 },
            county: 0,
            candidates: 10,
            reasons: vec![(reason.into(), 10), ("slope".into(), 1)],
        }
    }

    #[test]
    fn a_goal_is_met_only_when_every_cell_is_served_in_time() {
        let rules = SitingRules::default();
        let on_time = plan(
            vec![county("A", &[(2027, 2), (2028, 1)], Some(2028), 0)],
            vec![],
        );
        let goals = check_goals(&on_time, &rules);
        assert_eq!(
            goals[0].status,
            GoalStatus::Late {
                year: 2028,
                years_late: 3
            }
        );
        assert_eq!(goals[1].status, GoalStatus::Met { year: 2028 });
        assert!(!goals[0].is_met() && goals[1].is_met());
        assert!(goals[1].to_string().contains("met in 2028"), "{}", goals[1]);
    }

    #[test]
    fn infeasible_cells_make_the_goal_unreachable_with_their_reasons() {
        let rules = SitingRules::default();
        let p = plan(
            vec![county("A", &[(2027, 2)], Some(2027), 3)],
            vec![
                infeasible("airport X"),
                infeasible("airport X"),
                infeasible("seat Y"),
            ],
        );
        let goals = check_goals(&p, &rules);
        for g in &goals {
            assert!(!g.is_met());
            assert_eq!(
                g.status,
                GoalStatus::NotReachable {
                    unserved_cells: 3,
                    infeasible_cells: 3,
                    others_served_in: Some(2027)
                }
            );
            let text = g.to_string();
            assert!(text.contains("not reachable"), "{text}");
            assert!(
                text.contains("2 cells: airport X; 1 cell: seat Y"),
                "{text}"
            );
            assert!(!text.contains("met in"), "{text}");
        }
    }

    #[test]
    fn late_counties_are_named_with_the_rate_they_need() {
        let rules = SitingRules::default();
        // 21 points at 2 a year from 2027: the last in 2037. By 2035 (9 years): 3 a year.
        let years: Vec<(i32, usize)> = (0..11)
            .map(|k| (2027 + k, if k < 10 { 2 } else { 1 }))
            .collect();
        let p = plan(
            vec![
                county("平鲁区", &years, Some(2037), 0),
                county("应县", &[(2027, 2)], Some(2027), 0),
            ],
            vec![],
        );
        let goals = check_goals(&p, &rules);
        let by_2035 = &goals[1];
        assert_eq!(by_2035.late_counties.len(), 1);
        let pace = &by_2035.late_counties[0];
        assert_eq!((pace.new_points, pace.last_year), (21, 2037));
        assert_eq!(pace.needed_per_year, Some(3));
        // The independent arithmetic: 3 a year over 2027..=2035 builds 27 >= 21; 2 builds 18 < 21.
        assert!(3 * 9 >= 21 && 2 * 9 < 21);
        let text = by_2035.to_string();
        assert!(
            text.contains("平鲁区 (21 points, last in 2037; 3 a year would finish by 2035)"),
            "{text}"
        );
        // 2025 lies before the first rollout year 2027: no rate can.
        assert_eq!(goals[0].late_counties[0].needed_per_year, None);
        assert_eq!(goals[0].late_counties.len(), 2);
        assert!(
            goals[0]
                .to_string()
                .contains("lies before the rollout's first year 2027")
        );
    }
}
