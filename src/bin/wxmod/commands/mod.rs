//! One module per `wxmod` subcommand: clap arguments plus a `run` function; shared argument
//! groups (which region to load) and output writing live here.

/// `println!` that returns an error instead of panicking when stdout is closed (as in
/// `wxmod ... | head`); main treats a broken pipe as success.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)?;
    }};
}

pub mod budget;
pub mod cover;
pub mod gaps;
pub mod grid;
pub mod ledger;
pub mod map;
pub mod plan;
pub mod radar;
pub mod region;
pub mod regions;
pub mod run;
pub mod sectors;
pub mod zones;

use std::path::{Path, PathBuf};

use wxmod::ops::{Outcome, WithFiles, output::write_atomically};
use wxmod::project::{Project, ProjectSpec, RegionSource};
use wxmod::region::{BoundarySource, InputCrs};

/// Which region to plan for: the bundled Shuozhou, a region folder, or a bare boundary file.
#[derive(clap::Args, Debug, Clone)]
pub struct RegionArgs {
    /// Region folder with a region.toml, or a bundled region's adcode, Chinese name or pinyin
    /// (140200, 大同市, datong; `wxmod regions` lists them); default: 朔州市 Shuozhou.
    #[arg(long, value_name = "DIR", conflicts_with = "boundaries")]
    pub region: Option<PathBuf>,
    /// A bare GeoJSON boundary file instead of a region folder.
    #[arg(long, value_name = "FILE")]
    pub boundaries: Option<PathBuf>,
    /// Property holding the county id in --boundaries.
    #[arg(long, default_value = "adcode", requires = "boundaries")]
    pub id_prop: String,
    /// Property holding the county name in --boundaries.
    #[arg(long, default_value = "name", requires = "boundaries")]
    pub name_prop: String,
    /// Datum of --boundaries coordinates: wgs84 or gcj02.
    #[arg(long, default_value = "wgs84", requires = "boundaries")]
    pub input_crs: InputCrs,
    /// Projected CRS for planning: an EPSG code (EPSG:32649) or a PROJ string; default: the
    /// UTM zone of the region's centroid, or for a region wider than 18° of longitude (China)
    /// the Albers equal-area conic with standard parallels 25°N and 47°N, central meridian
    /// 105°E.
    #[arg(long, value_name = "CRS")]
    pub crs: Option<String>,
}

impl RegionArgs {
    /// A project spec with this region and nothing else.
    pub fn spec(&self) -> ProjectSpec {
        let region = match (&self.boundaries, &self.region) {
            (Some(path), _) => RegionSource::Boundaries(BoundarySource {
                path: path.clone(),
                id_property: self.id_prop.clone(),
                name_property: self.name_prop.clone(),
                input_crs: self.input_crs,
            }),
            (None, Some(given)) => RegionSource::Named(given.to_string_lossy().into_owned()),
            (None, None) => RegionSource::Bundled,
        };
        ProjectSpec {
            region,
            crs: self.crs.clone(),
            ..ProjectSpec::default()
        }
    }
}

/// What a planning job reads besides the region: the network, the rules, the catalog and
/// the protected facilities (`wxmod plan` and `wxmod run`).
#[derive(clap::Args, Debug, Clone)]
pub struct PlanningArgs {
    #[command(flatten)]
    pub region: RegionArgs,
    /// Go on although the region has no county seats, places or airports: firing sectors and
    /// siting exclusions are then not checked against them, and every output says so.
    #[arg(long)]
    pub no_protected_objects: bool,
    /// The existing (and planned) site network; without it the plan starts from no sites.
    #[arg(long, value_name = "FILE")]
    pub sites: Option<PathBuf>,
    /// The first year of the rollout (2000-2100; default: the siting rules' start_year).
    #[arg(long, value_name = "Y")]
    pub start_year: Option<i32>,
    /// Siting rules as TOML (buffers, slope limit, per-year limits, burner settings; README
    /// "Siting rules" lists every key with its range and default).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Protected facilities (GeoJSON, as for `wxmod sectors`): points with a `radius_m` or
    /// polygons, each with a `kind`. Rocket candidates need a safe firing sector clear of them
    /// as well as of the county seats, places and airports.
    #[arg(long, value_name = "FILE")]
    pub facilities: Option<PathBuf>,
    /// Equipment catalog (default: the bundled data/catalog.toml).
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
}

impl PlanningArgs {
    /// Loads the project these flags name.
    pub fn load(&self) -> anyhow::Result<Project> {
        load(&ProjectSpec {
            sites: self.sites.clone(),
            catalog: self.catalog.clone(),
            facilities: self.facilities.clone(),
            rules: self.rules.clone(),
            start_year: self.start_year,
            ..self.region.spec()
        })
    }

    /// The protected-objects policy of `--no-protected-objects`.
    pub fn protected_objects(&self) -> wxmod::ops::checks::ProtectedObjects {
        protected_objects(self.no_protected_objects)
    }
}

/// The protected-objects policy of a `--no-protected-objects` flag.
pub fn protected_objects(not_checked: bool) -> wxmod::ops::checks::ProtectedObjects {
    if not_checked {
        wxmod::ops::checks::ProtectedObjects::NotChecked
    } else {
        wxmod::ops::checks::ProtectedObjects::Required
    }
}

/// Loads a project.
pub fn load(spec: &ProjectSpec) -> anyhow::Result<Project> {
    Ok(Project::load(spec)?)
}

/// Writes the outcome's files into `out` (all or nothing) and prints its summary, as JSON
/// with the files written, or as text followed by one "wrote" line per file.
pub fn finish<S>(outcome: Outcome<S>, out: Option<&Path>, json: bool) -> anyhow::Result<()>
where
    S: serde::Serialize + std::fmt::Display,
{
    let written = match out {
        Some(dir) => write_atomically(dir, &outcome.files)?,
        None => Vec::new(),
    };
    print_summary(&outcome.summary, &written, json)?;
    if !json {
        for path in &written {
            say!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// Prints a summary, as JSON with the files written, or as text.
pub fn print_summary<S>(summary: &S, written: &[PathBuf], json: bool) -> anyhow::Result<()>
where
    S: serde::Serialize + std::fmt::Display,
{
    if json {
        let with_files = WithFiles {
            summary,
            files: written,
        };
        return print_json(&with_files);
    }
    print_text(&summary.to_string())
}

/// Prints a report that names no files (`wxmod regions`, `wxmod region build`), as JSON or
/// as text.
pub fn print_report<S>(report: &S, json: bool) -> anyhow::Result<()>
where
    S: serde::Serialize + std::fmt::Display,
{
    if json {
        return print_json(report);
    }
    print_text(&report.to_string())
}

/// Prints a value as pretty JSON on stdout, with a final newline.
pub fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    print_text(&text)
}

/// Prints text on stdout as it is (a closed pipe surfaces as an io error, which `main` treats
/// as done).
pub fn print_text(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Progress of a long command on stderr: on a terminal, a spinner showing the current step
/// and the time so far (indicatif); elsewhere (logs, CI), one plain line per step.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
}

impl Progress {
    /// Starts timing.
    pub fn start() -> Progress {
        use std::io::IsTerminal;
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} wxmod: {msg} ({elapsed})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            bar
        });
        Progress {
            bar,
            started: std::time::Instant::now(),
        }
    }

    /// Shows that `step` has begun.
    pub fn step(&self, step: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(step.to_string()),
            None => eprintln!("wxmod: {step} ({:.1} s)", self.seconds()),
        }
    }

    /// Seconds since the start.
    pub fn seconds(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Clears the spinner, before the command prints its results.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
