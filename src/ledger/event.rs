//! The ledger's events (台账记录): everything that happens to the registers and the stock, in
//! one append-only, hash-chained log.
//!
//! Registrations (a depot, an operator, an inspection, an airspace approval ...) are events too,
//! so that the log alone rebuilds every table and every rule check can be replayed. An event is
//! JSON with a `type` field, e.g. `{"type":"issue","depot":"SZ-DEPOT","site":"SC-01",
//! "items":[{"lot":"WR98-2501","quantity":12}]}`; an [`NewEvent`] adds who recorded it and when
//! it happened.
//!
//! The event structs are also the flags of their `wxmod ledger` commands (clap `Args`): each
//! field's doc line is its help text, so the command line and the log cannot drift apart.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::records::{
    AirspaceApproval, AmmoModel, Depot, DudKind, Equipment, FiringSector, Item, LossKind, Lot,
    OperationPoint, Operator, ScrapReason, StockHolder, Vehicle,
};
use super::rules::RuleId;

/// One thing that happened, to be recorded in the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// Changes one threshold (see [`Thresholds`](super::Thresholds)).
    Configure {
        /// Dotted key, e.g. `site_capacity.rocket`.
        key: String,
        /// New value.
        value: String,
    },
    /// Registers an ammunition model of a designated maker (L1).
    Model(AmmoModel),
    /// Registers or updates a depot.
    Depot(Depot),
    /// Registers or updates an operation point.
    Site(OperationPoint),
    /// Sets the computed safe firing sector of a site.
    Sector(FiringSector),
    /// Registers or updates a vehicle.
    Vehicle(Vehicle),
    /// Registers or updates an operator (a renewed certificate is a new registration).
    Operator(Operator),
    /// Registers or updates equipment: an inspection, a move, a change of unit, scrapping.
    Equipment(Equipment),
    /// Records an approved airspace window.
    Airspace(AirspaceApproval),
    /// Receives a purchased lot into a depot, or an opening balance from an old stock list.
    Receive(Receipt),
    /// Dispatches a transfer from one depot to another; the stock is in transit until it
    /// arrives.
    Dispatch(Dispatch),
    /// Receives a transfer at its destination depot.
    Arrive(Arrival),
    /// Issues ammunition from a depot to an operation point.
    Issue(Issue),
    /// Fires rounds at an operation point.
    Fire(Firing),
    /// Records a misfired round (it stays at the site as a dud) or a fallen dud.
    Dud(Dud),
    /// Returns ammunition, serviceable or dud, from an operation point to a depot.
    Return(Return),
    /// Destroys ammunition at a depot under supervision.
    Scrap(Scrap),
    /// Counts the stock at one location against the book.
    Stocktake(Stocktake),
    /// Writes off lost or stolen stock.
    Loss(Loss),
    /// Marks a duty as done (police filing, licence returned, report filed ...).
    File(Filing),
}

impl Event {
    /// The `type` name of the event.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Configure { .. } => "configure",
            Event::Model(_) => "model",
            Event::Depot(_) => "depot",
            Event::Site(_) => "site",
            Event::Sector(_) => "sector",
            Event::Vehicle(_) => "vehicle",
            Event::Operator(_) => "operator",
            Event::Equipment(_) => "equipment",
            Event::Airspace(_) => "airspace",
            Event::Receive(_) => "receive",
            Event::Dispatch(_) => "dispatch",
            Event::Arrive(_) => "arrive",
            Event::Issue(_) => "issue",
            Event::Fire(_) => "fire",
            Event::Dud(_) => "dud",
            Event::Return(_) => "return",
            Event::Scrap(_) => "scrap",
            Event::Stocktake(_) => "stocktake",
            Event::Loss(_) => "loss",
            Event::File(_) => "file",
        }
    }
}

impl Event {
    /// One line saying what happened, for history listings.
    ///
    /// # Examples
    /// ```
    /// use wxmod::ledger::{Event, Issue};
    /// let e: Event = serde_json::from_str(
    ///     r#"{"type":"issue","depot":"SZ-D01","site":"SC-R01","items":[{"lot":"WR98-2503","quantity":20}]}"#,
    /// ).unwrap();
    /// assert_eq!(e.summary(), "20 of WR98-2503 from depot SZ-D01 to site SC-R01");
    /// ```
    pub fn summary(&self) -> String {
        let items = |items: &[Item]| {
            items
                .iter()
                .map(|i| {
                    let dud = if i.condition.is_good() { "" } else { " dud" };
                    let serials = if i.serials.is_empty() {
                        String::new()
                    } else {
                        let list: Vec<String> = i.serials.iter().map(|r| r.to_string()).collect();
                        format!(" no. {}", list.join(","))
                    };
                    format!("{}{dud} of {}{serials}", i.quantity, i.lot)
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Event::Configure { key, value } => format!("threshold {key} = {value}"),
            Event::Model(m) => format!("model {} ({}) by {}", m.name, m.class, m.maker),
            Event::Depot(d) => format!(
                "depot {} {} ({}), capacity {}",
                d.id, d.name, d.kind, d.capacity
            ),
            Event::Site(s) => format!(
                "site {} {} ({}, {}), capacity {}",
                s.id, s.name, s.kind, s.county, s.capacity
            ),
            Event::Sector(s) => format!("firing sector of site {}", s.site),
            Event::Vehicle(v) => format!("vehicle {} {}", v.id, v.plate),
            Event::Operator(o) => format!(
                "operator {} {}, certificate {} to {}",
                o.id, o.name, o.certificate, o.certificate_expiry
            ),
            Event::Equipment(e) => format!(
                "{} {} at {}, inspected {}{}",
                e.kind,
                e.id,
                e.site.as_deref().unwrap_or("no site"),
                e.inspected.map_or("never".to_string(), |d| d.to_string()),
                if e.scrapped { ", scrapped" } else { "" }
            ),
            Event::Airspace(a) => format!(
                "airspace window {} at site {}, {} to {}",
                a.reference, a.site, a.start, a.end
            ),
            Event::Receive(r) => format!(
                "{} of {} ({}) into depot {}, expires {}{}",
                r.lot.quantity,
                r.lot.lot,
                r.lot.model,
                r.depot,
                r.lot.expires,
                if r.opening { ", opening balance" } else { "" }
            ),
            Event::Dispatch(d) => format!(
                "{} from depot {} to depot {} (transfer {})",
                items(&d.items),
                d.from,
                d.to,
                d.transfer
            ),
            Event::Arrive(a) => format!("transfer {} arrived", a.transfer),
            Event::Issue(i) => format!(
                "{} from depot {} to site {}",
                items(&i.items),
                i.depot,
                i.site
            ),
            Event::Fire(f) => format!(
                "{} fired at site {} with {}{}",
                items(&f.items),
                f.site,
                f.equipment,
                match (f.azimuth_deg, f.elevation_deg) {
                    (Some(a), Some(e)) => format!(", azimuth {a}, elevation {e}"),
                    _ => String::new(),
                }
            ),
            Event::Dud(d) => format!(
                "{} {} of {} at site {}{}",
                d.quantity,
                d.kind,
                d.lot,
                d.site,
                if d.serials.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", no. {}",
                        d.serials
                            .iter()
                            .map(|s| s.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ),
            Event::Return(r) => format!(
                "{} from site {} to depot {}",
                items(&r.items),
                r.site,
                r.depot
            ),
            Event::Scrap(s) => format!(
                "{} destroyed at depot {} ({}), supervised by {}",
                items(&s.items),
                s.depot,
                s.reason,
                s.authority
            ),
            Event::Stocktake(s) => format!("stock-take at {}: {}", s.location, items(&s.counts)),
            Event::Loss(l) => format!(
                "{} {} at {}, police report {}",
                items(&l.items),
                l.kind,
                l.location,
                l.police_report
            ),
            Event::File(f) => format!("{} duty of event {} done: {}", f.rule, f.event, f.reference),
        }
    }
}

/// A purchase received into a depot (or an opening balance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// Receiving depot id.
    #[arg(long)]
    pub depot: String,
    /// The lot received, whole.
    #[command(flatten)]
    pub lot: Lot,
    /// Purchase reference (procurement contract or order).
    #[arg(long)]
    pub purchase: String,
    /// An opening balance taken over from an existing stock list: no new police filing is due.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[arg(skip)]
    pub opening: bool,
}

/// A transfer leaving its depot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Dispatch {
    /// Transfer id, unique.
    #[arg(long = "id", value_name = "ID")]
    pub transfer: String,
    /// Sending depot id.
    #[arg(long)]
    pub from: String,
    /// Receiving depot id.
    #[arg(long)]
    pub to: String,
    /// What is sent, LOT:QUANTITY[:dud][@SERIALS] (repeatable; SERIALS e.g.
    /// 250001-250020,250031).
    #[arg(long = "item", value_name = "ITEM", required = true)]
    pub items: Vec<Item>,
    /// Vehicle id.
    #[arg(long)]
    pub vehicle: String,
    /// Name of the escort (押运员).
    #[arg(long)]
    pub escort: String,
    /// Transport licence number (运输许可证).
    #[arg(long)]
    pub licence: String,
}

/// A transfer arriving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Arrival {
    /// Transfer id.
    #[arg(long = "id", value_name = "ID")]
    pub transfer: String,
}

/// Ammunition issued from a depot to an operation point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// Depot id.
    #[arg(long)]
    pub depot: String,
    /// Site id.
    #[arg(long)]
    pub site: String,
    /// What is issued (serviceable only), LOT:QUANTITY[@SERIALS] (repeatable; SERIALS e.g.
    /// 250001-250020,250031).
    #[arg(long = "item", value_name = "ITEM", required = true)]
    pub items: Vec<Item>,
}

/// Rounds fired at an operation point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Firing {
    /// Site id.
    #[arg(long)]
    pub site: String,
    /// Equipment id.
    #[arg(long)]
    pub equipment: String,
    /// Rounds fired, by lot, LOT:QUANTITY[@SERIALS] (repeatable; SERIALS e.g. 250001-250020).
    #[arg(long = "item", value_name = "ITEM", required = true)]
    pub items: Vec<Item>,
    /// Firing azimuth, degrees clockwise from north (guns and launchers).
    #[serde(default)]
    #[arg(long = "azimuth", value_name = "AZIMUTH")]
    pub azimuth_deg: Option<f64>,
    /// Firing elevation, degrees (guns and launchers).
    #[serde(default)]
    #[arg(long = "elevation", value_name = "ELEVATION")]
    pub elevation_deg: Option<f64>,
    /// Operator ids of the crew, comma separated (spaces around an id are dropped).
    #[arg(long, value_delimiter = ',', value_parser = crew_id)]
    pub crew: Vec<String>,
    /// Serial numbers of the rounds, when recorded, comma separated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[arg(long = "serial", value_name = "SERIAL", value_delimiter = ',')]
    pub serials: Vec<i64>,
}

/// A dud: a misfire at the site, or a fired round that fell without self-destructing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Dud {
    /// Site id.
    #[arg(long)]
    pub site: String,
    /// Lot number.
    #[arg(long)]
    pub lot: String,
    /// Rounds.
    #[arg(long, default_value_t = 1)]
    pub quantity: i64,
    /// misfire (stayed at the site) or fallen (fired, fell without self-destructing).
    #[arg(long)]
    pub kind: DudKind,
    /// Rocket or shell numbers of the rounds, comma separated (L26: one per misfired rocket).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[arg(long = "serial", value_name = "SERIAL", value_delimiter = ',')]
    pub serials: Vec<i64>,
    /// The box they were put back in (L26).
    #[serde(default)]
    #[arg(long = "box", value_name = "BOX")]
    pub box_number: Option<String>,
    /// Fallen dud: bearing of the fall point from the site, degrees.
    #[serde(default)]
    #[arg(long = "bearing", value_name = "BEARING")]
    pub bearing_deg: Option<f64>,
    /// Fallen dud: distance of the fall point from the site, metres.
    #[serde(default)]
    #[arg(long = "distance", value_name = "DISTANCE")]
    pub distance_m: Option<f64>,
    /// Free text.
    #[serde(default)]
    #[arg(long)]
    pub note: Option<String>,
}

/// Ammunition returned from an operation point to a depot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Return {
    /// Site id.
    #[arg(long)]
    pub site: String,
    /// Depot id.
    #[arg(long)]
    pub depot: String,
    /// What is returned, serviceable or dud, LOT:QUANTITY[:dud][@SERIALS] (repeatable).
    #[arg(long = "item", value_name = "ITEM", required = true)]
    pub items: Vec<Item>,
}

/// Ammunition destroyed at a depot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Scrap {
    /// Depot id.
    #[arg(long)]
    pub depot: String,
    /// What is destroyed, LOT:QUANTITY[:dud][@SERIALS] (repeatable).
    #[arg(long = "item", value_name = "ITEM", required = true)]
    pub items: Vec<Item>,
    /// Why: expired, failed or dud.
    #[arg(long)]
    pub reason: ScrapReason,
    /// The supervising authority (L29: provincial industry department and county public
    /// security, or the factory it was returned to).
    #[arg(long)]
    pub authority: String,
}

/// A count of every lot at one location. Lots the count leaves out count as zero. A
/// difference from the book is recorded as a discrepancy; the book is not changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Stocktake {
    /// Where the count was made: depot:ID, site:ID or transit:ID.
    #[arg(long)]
    pub location: StockHolder,
    /// What was counted, LOT:QUANTITY or LOT:QUANTITY:dud (repeatable); lots left out count as 0.
    #[arg(long = "count", value_name = "COUNT")]
    pub counts: Vec<Item>,
}

/// Stock lost or stolen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Loss {
    /// Where it went missing: depot:ID, site:ID or transit:ID.
    #[arg(long)]
    pub location: StockHolder,
    /// What is missing, LOT:QUANTITY[:dud][@SERIALS] (repeatable).
    #[arg(long = "item", value_name = "ITEM", required = true)]
    pub items: Vec<Item>,
    /// loss or theft.
    #[arg(long, default_value = "loss")]
    pub kind: LossKind,
    /// Reference of the report to the police (L31).
    #[arg(long, default_value = "")]
    pub police_report: String,
}

/// A duty done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Filing {
    /// The event that created the duty (see `wxmod ledger check`).
    #[arg(long)]
    pub event: i64,
    /// The rule of the duty, e.g. L2.
    #[arg(long)]
    pub rule: RuleId,
    /// Reference of the filing, report or receipt.
    #[arg(long)]
    pub reference: String,
}

/// An event with who recorded it and when it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    /// When it happened, local time.
    pub at: NaiveDateTime,
    /// Who recorded it.
    pub actor: String,
    /// What happened.
    pub event: Event,
}

/// An event as stored: its place in the chain and its hashes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// Sequence number, from 1, without gaps.
    pub seq: i64,
    /// When it happened, local time.
    pub at: NaiveDateTime,
    /// When it was written, local time.
    pub recorded_at: NaiveDateTime,
    /// Who recorded it.
    pub actor: String,
    /// What happened.
    pub event: Event,
    /// Hash of the previous event (64 zeros for the first).
    pub prev_hash: String,
    /// SHA-256 over this event and `prev_hash`, hex.
    pub hash: String,
}

/// One operator id of `--crew OP01,OP02`: spaces around it are dropped (#18: "OP01, OP02"
/// named an unknown operator " OP02"); an empty id (two commas in a row) is refused.
fn crew_id(text: &str) -> Result<String, String> {
    let id = text.trim();
    if id.is_empty() {
        return Err("an operator id is empty (two commas in a row, or one at the end?)".into());
    }
    Ok(id.to_string())
}
