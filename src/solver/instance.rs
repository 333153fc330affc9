//! A covering instance: weighted demand points, candidate sites and a radius, with the coverage lists built.
//!
//! Units: coordinates in projected metres (e.g. UTM 49N), weights in any additive unit (km² of land for wxmod's
//! grids). Demand point `i` is covered by candidate `j` iff their Euclidean distance is at most the radius
//! (tested as distance² <= radius², exactly as rstar's `locate_within_distance`).
//!
//! Algorithm: the candidates are bulk-loaded into an rstar R-tree, then each demand point asks it for the
//! candidates within the radius. Cost O((n + m) log m + pairs) for n demand points and m candidates.
//!
//! Input from CSV: demand files have columns `id,x_m,y_m,weight`, candidate files `id,x_m,y_m` (any order,
//! extra columns ignored). Every error names the file, the line and the id.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::error::CoverError;
use super::incidence::Incidence;
use crate::units::Metres;

/// A point whose coverage is wanted (a demand point, 需求点), e.g. the centroid of a grid cell.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DemandPoint {
    /// Unique id among the demand points.
    pub id: String,
    /// Easting in projected metres.
    pub x_m: f64,
    /// Northing in projected metres.
    pub y_m: f64,
    /// Weight >= 0 (wxmod uses the land area in km² that the point stands for).
    pub weight: f64,
}

/// A place where a site (作业点) may be put.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Candidate {
    /// Unique id among the candidates.
    pub id: String,
    /// Easting in projected metres.
    pub x_m: f64,
    /// Northing in projected metres.
    pub y_m: f64,
}

/// Where the points came from, to name them in messages.
#[derive(Debug, Clone)]
enum Origin {
    Memory,
    Csv { path: PathBuf, lines: Vec<u64> },
}

impl Origin {
    fn place(&self, kind: &str, index: usize) -> String {
        match self {
            Origin::Memory => format!("{kind} point {index}"),
            Origin::Csv { path, lines } => match lines.get(index) {
                Some(line) => format!("{} line {line}", path.display()),
                None => path.display().to_string(),
            },
        }
    }
}

/// Demand points, candidates and a radius, with the coverage relation between them.
///
/// Build it with [`CoverInstance::new`] from points in memory or [`CoverInstance::from_csv`] from files, then
/// solve it with [`solve_lscp`](super::solve_lscp) or [`solve_mclp`](super::solve_mclp). Demand points that no
/// candidate covers are kept and listed by [`CoverInstance::uncoverable`]: set covering refuses such an instance,
/// maximal covering simply cannot gain their weight.
#[derive(Debug, Clone)]
pub struct CoverInstance {
    demand: Vec<DemandPoint>,
    candidates: Vec<Candidate>,
    radius: Metres,
    coverage: Incidence,
    uncoverable: Vec<usize>,
    demand_origin: Origin,
    build_time: Duration,
}

impl CoverInstance {
    /// Checks the points and builds the coverage lists.
    ///
    /// # Errors
    /// [`CoverError::BadRadius`] for a negative or non-finite radius, [`CoverError::Empty`] without demand
    /// points or candidates, [`CoverError::BadPoint`] for a non-finite coordinate or a negative or non-finite
    /// weight, [`CoverError::DuplicateId`] for a repeated id.
    ///
    /// # Examples
    /// ```
    /// use wxmod::solver::{Candidate, CoverInstance, DemandPoint};
    /// use wxmod::units::Metres;
    /// let demand = vec![
    ///     DemandPoint { id: "a".into(), x_m: 0.0, y_m: 0.0, weight: 1.0 },
    ///     DemandPoint { id: "b".into(), x_m: 30_000.0, y_m: 0.0, weight: 2.0 },
    /// ];
    /// let candidates = vec![Candidate { id: "s".into(), x_m: 5_000.0, y_m: 0.0 }];
    /// let instance = CoverInstance::new(demand, candidates, Metres(10_000.0)).unwrap();
    /// assert_eq!(instance.coverage_pairs(), 1);
    /// assert_eq!(instance.uncoverable(), &[1]);
    /// ```
    pub fn new(
        demand: Vec<DemandPoint>,
        candidates: Vec<Candidate>,
        radius: Metres,
    ) -> Result<Self, CoverError> {
        Self::build(demand, candidates, radius, Origin::Memory, Origin::Memory)
    }

    /// Reads demand points (`id,x_m,y_m,weight`) and candidates (`id,x_m,y_m`) from CSV files with a header
    /// row, then builds the instance as [`CoverInstance::new`] does.
    ///
    /// # Errors
    /// As [`CoverInstance::new`], plus [`CoverError::Io`], [`CoverError::Csv`], [`CoverError::MissingColumn`]
    /// and [`CoverError::NotANumber`]; all name the file and line.
    pub fn from_csv(
        demand_csv: &Path,
        candidates_csv: &Path,
        radius: Metres,
    ) -> Result<Self, CoverError> {
        let (demand_rows, demand_lines) = read_points(demand_csv, true)?;
        let (cand_rows, cand_lines) = read_points(candidates_csv, false)?;
        let demand = demand_rows
            .into_iter()
            .map(|(id, x_m, y_m, weight)| DemandPoint {
                id,
                x_m,
                y_m,
                weight,
            })
            .collect();
        let candidates = cand_rows
            .into_iter()
            .map(|(id, x_m, y_m, _)| Candidate { id, x_m, y_m })
            .collect();
        Self::build(
            demand,
            candidates,
            radius,
            Origin::Csv {
                path: demand_csv.to_path_buf(),
                lines: demand_lines,
            },
            Origin::Csv {
                path: candidates_csv.to_path_buf(),
                lines: cand_lines,
            },
        )
    }

    /// An instance whose coverage is given as lists rather than by a radius: `covers[j]` holds
    /// the indices of the demand points candidate `j` covers (e.g. a radar's terrain-shaped
    /// coverage). Points are checked as by [`CoverInstance::new`]; repeated indices in a list
    /// count once; the radius is reported as 0.
    ///
    /// # Errors
    /// As [`CoverInstance::new`], and [`CoverError::BadPoint`] when there is not one list per
    /// candidate or a list names a demand index out of range.
    ///
    /// # Examples
    /// ```
    /// use wxmod::solver::{Candidate, CoverInstance, DemandPoint};
    /// let demand = vec![
    ///     DemandPoint { id: "a".into(), x_m: 0.0, y_m: 0.0, weight: 1.0 },
    ///     DemandPoint { id: "b".into(), x_m: 9e4, y_m: 0.0, weight: 2.0 },
    /// ];
    /// let candidates = vec![Candidate { id: "s".into(), x_m: 0.0, y_m: 0.0 }];
    /// let instance = CoverInstance::from_coverage_lists(demand, candidates, &[vec![1]]).unwrap();
    /// assert_eq!(instance.uncoverable(), &[0]);
    /// assert_eq!(instance.covered_weight(&[0]), 2.0);
    /// ```
    pub fn from_coverage_lists(
        demand: Vec<DemandPoint>,
        candidates: Vec<Candidate>,
        covers: &[Vec<usize>],
    ) -> Result<Self, CoverError> {
        let start = Instant::now();
        if covers.len() != candidates.len() {
            return Err(CoverError::BadPoint {
                place: "coverage lists".into(),
                id: String::new(),
                what: format!(
                    "{} coverage lists for {} candidates (one list per candidate)",
                    covers.len(),
                    candidates.len()
                ),
            });
        }
        let n = demand.len();
        let mut rows: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (j, list) in covers.iter().enumerate() {
            for &i in list {
                let row = rows.get_mut(i).ok_or_else(|| CoverError::BadPoint {
                    place: format!("candidate {j}"),
                    id: candidates[j].id.clone(),
                    what: format!("covers demand index {i}, but there are {n} demand points"),
                })?;
                if row.last() != Some(&(j as u32)) {
                    row.push(j as u32);
                }
            }
        }
        // Checks the points as `new` does; its radius-0 coverage is replaced by the lists.
        let mut instance = Self::build(
            demand,
            candidates,
            Metres(0.0),
            Origin::Memory,
            Origin::Memory,
        )?;
        instance.uncoverable = rows
            .iter()
            .enumerate()
            .filter(|(_, cols)| cols.is_empty())
            .map(|(i, _)| i)
            .collect();
        instance.coverage = Incidence::from_rows(instance.candidates.len(), &rows);
        instance.build_time = start.elapsed();
        Ok(instance)
    }

    fn build(
        demand: Vec<DemandPoint>,
        candidates: Vec<Candidate>,
        radius: Metres,
        demand_origin: Origin,
        cand_origin: Origin,
    ) -> Result<Self, CoverError> {
        let start = Instant::now();
        if !(radius.0.is_finite() && radius.0 >= 0.0) {
            return Err(CoverError::BadRadius { radius_m: radius.0 });
        }
        let empty_place = |origin: &Origin, what: &str| match origin {
            Origin::Memory => what.to_string(),
            Origin::Csv { path, .. } => path.display().to_string(),
        };
        if demand.is_empty() {
            return Err(CoverError::Empty {
                place: empty_place(&demand_origin, "demand points"),
                kind: "demand",
            });
        }
        if candidates.is_empty() {
            return Err(CoverError::Empty {
                place: empty_place(&cand_origin, "candidates"),
                kind: "candidate",
            });
        }
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(demand.len());
        for (k, d) in demand.iter().enumerate() {
            let bad = |what: String| CoverError::BadPoint {
                place: demand_origin.place("demand", k),
                id: d.id.clone(),
                what,
            };
            if !(d.x_m.is_finite() && d.y_m.is_finite()) {
                return Err(bad(format!(
                    "coordinates ({}, {}) are not finite",
                    d.x_m, d.y_m
                )));
            }
            if !(d.weight.is_finite() && d.weight >= 0.0) {
                return Err(bad(format!("weight {} is not a number >= 0", d.weight)));
            }
            if let Some(&first) = seen.get(d.id.as_str()) {
                return Err(CoverError::DuplicateId {
                    place: demand_origin.place("demand", k),
                    kind: "demand",
                    id: d.id.clone(),
                    first: demand_origin.place("demand", first),
                });
            }
            seen.insert(&d.id, k);
        }
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(candidates.len());
        for (k, c) in candidates.iter().enumerate() {
            if !(c.x_m.is_finite() && c.y_m.is_finite()) {
                return Err(CoverError::BadPoint {
                    place: cand_origin.place("candidate", k),
                    id: c.id.clone(),
                    what: format!("coordinates ({}, {}) are not finite", c.x_m, c.y_m),
                });
            }
            if let Some(&first) = seen.get(c.id.as_str()) {
                return Err(CoverError::DuplicateId {
                    place: cand_origin.place("candidate", k),
                    kind: "candidate",
                    id: c.id.clone(),
                    first: cand_origin.place("candidate", first),
                });
            }
            seen.insert(&c.id, k);
        }

        let tree = RTree::bulk_load(
            candidates
                .iter()
                .enumerate()
                .map(|(j, c)| GeomWithData::new([c.x_m, c.y_m], j as u32))
                .collect(),
        );
        let r2 = radius.0 * radius.0;
        let rows: Vec<Vec<u32>> = demand
            .iter()
            .map(|d| {
                tree.locate_within_distance([d.x_m, d.y_m], r2)
                    .map(|g| g.data)
                    .collect()
            })
            .collect();
        let uncoverable = rows
            .iter()
            .enumerate()
            .filter(|(_, cols)| cols.is_empty())
            .map(|(i, _)| i)
            .collect();
        let coverage = Incidence::from_rows(candidates.len(), &rows);
        Ok(CoverInstance {
            demand,
            candidates,
            radius,
            coverage,
            uncoverable,
            demand_origin,
            build_time: start.elapsed(),
        })
    }

    /// The demand points, in input order.
    pub fn demand(&self) -> &[DemandPoint] {
        &self.demand
    }

    /// The candidates, in input order.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// The coverage radius.
    pub fn radius(&self) -> Metres {
        self.radius
    }

    /// Number of (demand point, candidate) pairs within the radius.
    pub fn coverage_pairs(&self) -> usize {
        self.coverage.nnz()
    }

    /// Indices of the candidates that cover demand point `demand`, ascending.
    pub fn covering(&self, demand: usize) -> impl Iterator<Item = usize> + '_ {
        self.coverage.cols(demand).iter().map(|&j| j as usize)
    }

    /// Indices of the demand points that candidate `candidate` covers, ascending.
    pub fn covered_by(&self, candidate: usize) -> impl Iterator<Item = usize> + '_ {
        self.coverage.rows(candidate).iter().map(|&i| i as usize)
    }

    /// Indices of the demand points that no candidate covers.
    pub fn uncoverable(&self) -> &[usize] {
        &self.uncoverable
    }

    /// Total weight of all demand points.
    pub fn total_weight(&self) -> f64 {
        self.demand.iter().map(|d| d.weight).sum()
    }

    /// Time spent checking the points and building the coverage lists (not reading files).
    pub fn build_time(&self) -> Duration {
        self.build_time
    }

    /// Total weight of the demand points covered by the candidates `chosen` (indices; repeats are harmless).
    ///
    /// # Examples
    /// ```
    /// use wxmod::solver::{Candidate, CoverInstance, DemandPoint};
    /// use wxmod::units::Metres;
    /// let demand = vec![DemandPoint { id: "a".into(), x_m: 0.0, y_m: 0.0, weight: 3.5 }];
    /// let candidates = vec![Candidate { id: "s".into(), x_m: 100.0, y_m: 0.0 }];
    /// let instance = CoverInstance::new(demand, candidates, Metres(500.0)).unwrap();
    /// assert_eq!(instance.covered_weight(&[0]), 3.5);
    /// assert!(instance.covers_all(&[0]));
    /// ```
    pub fn covered_weight(&self, chosen: &[usize]) -> f64 {
        let covered = self.covered_mask(chosen);
        self.demand
            .iter()
            .zip(&covered)
            .filter(|(_, c)| **c)
            .map(|(d, _)| d.weight)
            .sum()
    }

    /// Whether the candidates `chosen` cover every demand point.
    pub fn covers_all(&self, chosen: &[usize]) -> bool {
        self.covered_mask(chosen).iter().all(|&c| c)
    }

    fn covered_mask(&self, chosen: &[usize]) -> Vec<bool> {
        let mut covered = vec![false; self.demand.len()];
        for &j in chosen {
            if j < self.candidates.len() {
                for &i in self.coverage.rows(j) {
                    covered[i as usize] = true;
                }
            }
        }
        covered
    }

    /// Fails with [`CoverError::Uncoverable`] (naming each point's id and file line) if some demand point is
    /// within the radius of no candidate.
    ///
    /// # Errors
    /// As described.
    pub fn check_coverable(&self) -> Result<(), CoverError> {
        if self.uncoverable.is_empty() {
            return Ok(());
        }
        const SHOWN: usize = 10;
        let mut list: Vec<String> = self
            .uncoverable
            .iter()
            .take(SHOWN)
            .map(|&i| {
                format!(
                    "id '{}' ({})",
                    self.demand[i].id,
                    self.demand_origin.place("demand", i)
                )
            })
            .collect();
        if self.uncoverable.len() > SHOWN {
            list.push(format!("and {} more", self.uncoverable.len() - SHOWN));
        }
        Err(CoverError::Uncoverable {
            count: self.uncoverable.len(),
            radius_m: self.radius.0,
            list: list.join(", "),
        })
    }

    pub(crate) fn incidence(&self) -> &Incidence {
        &self.coverage
    }
}

/// A parsed point row: id, x, y, weight (0 for candidates) and the rows' 1-based line numbers.
type PointRows = (Vec<(String, f64, f64, f64)>, Vec<u64>);

fn read_points(path: &Path, with_weight: bool) -> Result<PointRows, CoverError> {
    let expected = if with_weight {
        "id,x_m,y_m,weight"
    } else {
        "id,x_m,y_m"
    };
    let file = std::fs::File::open(path).map_err(|source| CoverError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(std::io::BufReader::new(file));
    let csv_error = |e: csv::Error| -> CoverError {
        let line = e.position().map_or(0, |p| p.line());
        match e.into_kind() {
            csv::ErrorKind::Io(source) => CoverError::Io {
                path: path.to_path_buf(),
                source,
            },
            kind => CoverError::Csv {
                path: path.to_path_buf(),
                line,
                message: format!("{kind:?}"),
            },
        }
    };
    let header = reader.headers().map_err(csv_error)?.clone();
    let column = |name: &'static str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| CoverError::MissingColumn {
                path: path.to_path_buf(),
                column: name,
                header: header.iter().collect::<Vec<_>>().join(","),
                expected,
            })
    };
    let id_col = column("id")?;
    let x_col = column("x_m")?;
    let y_col = column("y_m")?;
    let w_col = if with_weight {
        Some(column("weight")?)
    } else {
        None
    };

    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(csv_error)? {
        let line = record.position().map_or(0, |p| p.line());
        let id = record.get(id_col).unwrap_or("").to_string();
        let number = |col: usize, name: &'static str| -> Result<f64, CoverError> {
            let text = record.get(col).unwrap_or("");
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| CoverError::NotANumber {
                    path: path.to_path_buf(),
                    line,
                    id: id.clone(),
                    column: name,
                    value: text.to_string(),
                })
        };
        if id.is_empty() {
            return Err(CoverError::BadPoint {
                place: format!("{} line {line}", path.display()),
                id,
                what: "the id is empty".to_string(),
            });
        }
        let x = number(x_col, "x_m")?;
        let y = number(y_col, "y_m")?;
        let w = match w_col {
            Some(col) => number(col, "weight")?,
            None => 0.0,
        };
        rows.push((id, x, y, w));
        lines.push(line);
    }
    Ok((rows, lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(id: &str, x: f64, y: f64, w: f64) -> DemandPoint {
        DemandPoint {
            id: id.into(),
            x_m: x,
            y_m: y,
            weight: w,
        }
    }

    fn c(id: &str, x: f64, y: f64) -> Candidate {
        Candidate {
            id: id.into(),
            x_m: x,
            y_m: y,
        }
    }

    #[test]
    fn radius_is_inclusive() {
        let inst = CoverInstance::new(
            vec![d("a", 0.0, 0.0, 1.0)],
            vec![c("s", 3.0, 4.0)],
            Metres(5.0),
        )
        .unwrap();
        assert_eq!(inst.coverage_pairs(), 1);
        assert!(inst.uncoverable().is_empty());
        assert!(inst.check_coverable().is_ok());
    }

    #[test]
    fn rejects_duplicates_and_bad_values() {
        let err = CoverInstance::new(
            vec![d("a", 0.0, 0.0, 1.0), d("a", 1.0, 0.0, 1.0)],
            vec![c("s", 0.0, 0.0)],
            Metres(5.0),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "demand point 1: duplicate demand id 'a' (first seen at demand point 0)"
        );
        let err = CoverInstance::new(
            vec![d("a", 0.0, 0.0, -1.0)],
            vec![c("s", 0.0, 0.0)],
            Metres(5.0),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "demand point 0 (id 'a'): weight -1 is not a number >= 0"
        );
        let err = CoverInstance::new(
            vec![d("a", 0.0, 0.0, 1.0)],
            vec![c("s", 0.0, 0.0)],
            Metres(-1.0),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "radius -1 m is not a length >= 0");
    }

    #[test]
    fn uncoverable_points_are_named() {
        let inst = CoverInstance::new(
            vec![d("near", 0.0, 0.0, 1.0), d("far", 100.0, 0.0, 1.0)],
            vec![c("s", 0.0, 0.0)],
            Metres(5.0),
        )
        .unwrap();
        let err = inst.check_coverable().unwrap_err();
        assert_eq!(
            err.to_string(),
            "1 demand point(s) within 5 m of no candidate, so no choice of sites covers them: id 'far' (demand point 1)"
        );
    }
}
