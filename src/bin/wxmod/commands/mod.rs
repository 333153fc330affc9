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
pub mod run;
pub mod sectors;
pub mod zones;

use std::path::{Path, PathBuf};

use anyhow::Context;
use wxmod::region::{BoundarySource, InputCrs, Region, bundled_region_dir};

/// Which region to plan for: the bundled Shuozhou, a region folder, or a bare boundary file.
#[derive(clap::Args, Debug, Clone)]
pub struct RegionArgs {
    /// Region folder with a region.toml manifest (default: the bundled Shuozhou data).
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
    /// UTM zone of the region's centroid.
    #[arg(long, value_name = "CRS")]
    pub crs: Option<String>,
}

impl RegionArgs {
    /// Loads and checks the region.
    pub fn load(&self) -> anyhow::Result<Region> {
        let region = match &self.boundaries {
            Some(path) => {
                let source = BoundarySource {
                    path: path.clone(),
                    id_property: self.id_prop.clone(),
                    name_property: self.name_prop.clone(),
                    input_crs: self.input_crs,
                };
                Region::from_boundaries(&source, self.crs.as_deref())?
            }
            None => {
                let dir = self.region.clone().unwrap_or_else(bundled_region_dir);
                Region::load(&dir, self.crs.as_deref())?
            }
        };
        Ok(region)
    }
}

/// Output files prepared in memory, written together only once everything has succeeded.
#[derive(Default)]
pub struct Outputs {
    files: Vec<(String, Vec<u8>)>,
}

impl Outputs {
    /// Adds a file (name relative to the output folder).
    pub fn add(&mut self, name: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.push((name.into(), bytes.into()));
    }

    /// Writes every file into `dir` (created if needed); each file is written to a temporary
    /// name first and renamed, so a reader never sees half a file. Returns the paths written.
    pub fn write_all(self, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create output folder {}", dir.display()))?;
        let mut written = Vec::new();
        for (name, bytes) in self.files {
            let path = dir.join(&name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create folder {}", parent.display()))?;
            }
            let tmp = dir.join(format!(".{name}.tmp").replace('/', "_"));
            std::fs::write(&tmp, &bytes)
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, &path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(path);
        }
        Ok(written)
    }
}

/// The region's optional data layers, each read once from the files its manifest names.
pub struct RegionLayers {
    /// The elevation model.
    pub dem: Option<wxmod::terrain::Dem>,
    /// Priority zones.
    pub zones: Option<wxmod::zones::ZoneLayer>,
    /// River lines.
    pub rivers: Option<geo::MultiLineString<f64>>,
    /// County seats, airports and places.
    pub landmarks: Vec<wxmod::region::Landmark>,
}

impl RegionLayers {
    /// Reads every layer the region names.
    pub fn load(region: &Region) -> anyhow::Result<RegionLayers> {
        let files = &region.files;
        Ok(RegionLayers {
            dem: files
                .dem
                .as_deref()
                .map(wxmod::terrain::Dem::read)
                .transpose()?,
            zones: files
                .zones
                .as_deref()
                .map(wxmod::zones::ZoneLayer::read)
                .transpose()?,
            rivers: files
                .rivers
                .as_deref()
                .map(wxmod::zones::read_rivers)
                .transpose()?,
            landmarks: files
                .landmarks
                .as_deref()
                .map(wxmod::region::read_landmarks)
                .transpose()?
                .unwrap_or_default(),
        })
    }
}

/// Reads a site file and places every site in the region (none without a file).
pub fn load_network(
    path: Option<&Path>,
    region: &Region,
) -> anyhow::Result<Vec<wxmod::sites::Site>> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let mut sites = wxmod::sites::read_sites(path)?;
    wxmod::sites::locate_in_region(&mut sites, region, path)?;
    Ok(sites)
}

/// The protected facilities of a facility file (none without one), with the default sector
/// radii and margins.
pub fn load_facilities(
    path: Option<&Path>,
    region: &Region,
) -> anyhow::Result<Vec<wxmod::sectors::ProtectedObject>> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let config = wxmod::sectors::SectorConfig::default();
    Ok(wxmod::sectors::read_facilities(
        path,
        &config,
        &region.projection,
    )?)
}

/// The ammunition ledger at `path`, if one is given; a missing or unreadable file is an error
/// naming it.
pub fn load_ledger(path: Option<&Path>) -> anyhow::Result<Option<wxmod::ledger::Ledger>> {
    path.map(|path| {
        wxmod::ledger::Ledger::open(path)
            .with_context(|| format!("cannot open the ledger {}", path.display()))
    })
    .transpose()
}

/// The catalog at `path`, or the bundled one.
pub fn load_catalog(path: Option<&Path>) -> anyhow::Result<wxmod::catalog::Catalog> {
    let path = path.map_or_else(wxmod::catalog::bundled_catalog_path, Path::to_path_buf);
    Ok(wxmod::catalog::Catalog::read(&path)?)
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
