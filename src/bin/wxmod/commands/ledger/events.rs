//! `wxmod ledger receive | transfer | issue | fire | dud | return | scrap | stocktake | loss |
//! file`: the events that move or account for ammunition, each checked under every rule.

use clap::{Args, Subcommand};
use wxmod::ledger::{
    Arrival, Dispatch, Dud, DudKind, Event, Filing, Firing, Issue, Item, Loss, LossKind, Lot,
    Receipt, Return, RuleId, Scrap, ScrapReason, SerialRange, StockHolder, Stocktake, parse_date,
};

use super::Session;

#[derive(Args)]
pub(crate) struct ReceiveArgs {
    /// Receiving depot id
    #[arg(long)]
    depot: String,
    /// Model (registered with `wxmod ledger model`)
    #[arg(long)]
    model: String,
    /// Lot number
    #[arg(long)]
    lot: String,
    /// Rounds received
    #[arg(long)]
    quantity: i64,
    /// Serial numbers FIRST-LAST
    #[arg(long)]
    serials: Option<SerialRange>,
    /// Date of manufacture, YYYY-MM-DD
    #[arg(long, value_parser = parse_date)]
    made: chrono::NaiveDate,
    /// Last usable day, YYYY-MM-DD
    #[arg(long, value_parser = parse_date)]
    expires: chrono::NaiveDate,
    /// Purchase reference (contract or order)
    #[arg(long)]
    purchase: String,
}

pub(crate) fn receive(cx: &mut Session, a: ReceiveArgs) -> anyhow::Result<()> {
    let lot = Lot {
        lot: a.lot,
        model: a.model,
        serials: a.serials,
        quantity: a.quantity,
        manufactured: a.made,
        expires: a.expires,
    };
    cx.record(Event::Receive(Receipt {
        depot: a.depot,
        lot,
        purchase: a.purchase,
        opening: false,
    }))
}

#[derive(Args)]
pub(crate) struct TransferArgs {
    #[command(subcommand)]
    step: TransferStep,
}

#[derive(Subcommand)]
enum TransferStep {
    /// Send a transfer on its way: the stock is in transit until it arrives
    Dispatch {
        /// Transfer id
        #[arg(long)]
        id: String,
        /// Sending depot id
        #[arg(long)]
        from: String,
        /// Receiving depot id
        #[arg(long)]
        to: String,
        /// What is sent, LOT:QUANTITY[:dud][@SERIALS] (repeatable; SERIALS e.g. 250001-250020,250031)
        #[arg(long = "item", required = true)]
        items: Vec<Item>,
        /// Vehicle id
        #[arg(long)]
        vehicle: String,
        /// Name of the escort
        #[arg(long)]
        escort: String,
        /// Transport licence number
        #[arg(long)]
        licence: String,
    },
    /// Receive a transfer at its destination depot
    Arrive {
        /// Transfer id
        #[arg(long)]
        id: String,
    },
}

pub(crate) fn transfer(cx: &mut Session, a: TransferArgs) -> anyhow::Result<()> {
    let event = match a.step {
        TransferStep::Dispatch {
            id,
            from,
            to,
            items,
            vehicle,
            escort,
            licence,
        } => Event::Dispatch(Dispatch {
            transfer: id,
            from,
            to,
            items,
            vehicle,
            escort,
            licence,
        }),
        TransferStep::Arrive { id } => Event::Arrive(Arrival { transfer: id }),
    };
    cx.record(event)
}

#[derive(Args)]
pub(crate) struct IssueArgs {
    /// Depot id
    #[arg(long)]
    depot: String,
    /// Site id
    #[arg(long)]
    site: String,
    /// What is issued, LOT:QUANTITY[@SERIALS] (repeatable; SERIALS e.g. 250001-250020,250031)
    #[arg(long = "item", required = true)]
    items: Vec<Item>,
}

pub(crate) fn issue(cx: &mut Session, a: IssueArgs) -> anyhow::Result<()> {
    cx.record(Event::Issue(Issue {
        depot: a.depot,
        site: a.site,
        items: a.items,
    }))
}

#[derive(Args)]
pub(crate) struct FireArgs {
    /// Site id
    #[arg(long)]
    site: String,
    /// Equipment id
    #[arg(long)]
    equipment: String,
    /// Rounds fired, LOT:QUANTITY[@SERIALS] (repeatable; SERIALS e.g. 250001-250020)
    #[arg(long = "item", required = true)]
    items: Vec<Item>,
    /// Azimuth, degrees clockwise from north (guns and launchers)
    #[arg(long)]
    azimuth: Option<f64>,
    /// Elevation, degrees (guns and launchers)
    #[arg(long)]
    elevation: Option<f64>,
    /// Operator ids of the crew, comma separated
    #[arg(long, value_delimiter = ',')]
    crew: Vec<String>,
    /// Serial numbers of the rounds, comma separated
    #[arg(long = "serial", value_delimiter = ',')]
    serials: Vec<i64>,
}

pub(crate) fn fire(cx: &mut Session, a: FireArgs) -> anyhow::Result<()> {
    cx.record(Event::Fire(Firing {
        site: a.site,
        equipment: a.equipment,
        items: a.items,
        azimuth_deg: a.azimuth,
        elevation_deg: a.elevation,
        // `--crew "OP01, OP02"`: ids around the commas are trimmed (#18).
        crew: a
            .crew
            .iter()
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty())
            .collect(),
        serials: a.serials,
    }))
}

#[derive(Args)]
pub(crate) struct DudArgs {
    /// Site id
    #[arg(long)]
    site: String,
    /// Lot number
    #[arg(long)]
    lot: String,
    /// Rounds
    #[arg(long, default_value_t = 1)]
    quantity: i64,
    /// misfire (stayed at the site) or fallen (fired, fell without self-destructing)
    #[arg(long)]
    kind: DudKind,
    /// Rocket or shell numbers, comma separated (L26: one per misfired rocket)
    #[arg(long = "serial", value_delimiter = ',')]
    serials: Vec<i64>,
    /// The box the rounds were put back in (L26)
    #[arg(long = "box")]
    box_number: Option<String>,
    /// Fallen dud: bearing of the fall point from the site, degrees
    #[arg(long)]
    bearing: Option<f64>,
    /// Fallen dud: distance of the fall point from the site, metres
    #[arg(long)]
    distance: Option<f64>,
    /// Free text
    #[arg(long)]
    note: Option<String>,
}

pub(crate) fn dud(cx: &mut Session, a: DudArgs) -> anyhow::Result<()> {
    cx.record(Event::Dud(Dud {
        site: a.site,
        lot: a.lot,
        quantity: a.quantity,
        kind: a.kind,
        serials: a.serials,
        box_number: a.box_number,
        bearing_deg: a.bearing,
        distance_m: a.distance,
        note: a.note,
    }))
}

#[derive(Args)]
pub(crate) struct ReturnArgs {
    /// Site id
    #[arg(long)]
    site: String,
    /// Depot id
    #[arg(long)]
    depot: String,
    /// What is returned, LOT:QUANTITY[:dud][@SERIALS] (repeatable)
    #[arg(long = "item", required = true)]
    items: Vec<Item>,
}

pub(crate) fn give_back(cx: &mut Session, a: ReturnArgs) -> anyhow::Result<()> {
    cx.record(Event::Return(Return {
        site: a.site,
        depot: a.depot,
        items: a.items,
    }))
}

#[derive(Args)]
pub(crate) struct ScrapArgs {
    /// Depot id
    #[arg(long)]
    depot: String,
    /// What is destroyed, LOT:QUANTITY[:dud][@SERIALS] (repeatable)
    #[arg(long = "item", required = true)]
    items: Vec<Item>,
    /// expired, failed or dud
    #[arg(long)]
    reason: ScrapReason,
    /// The supervising authority (L29)
    #[arg(long)]
    authority: String,
}

pub(crate) fn scrap(cx: &mut Session, a: ScrapArgs) -> anyhow::Result<()> {
    cx.record(Event::Scrap(Scrap {
        depot: a.depot,
        items: a.items,
        reason: a.reason,
        authority: a.authority,
    }))
}

#[derive(Args)]
pub(crate) struct StocktakeArgs {
    /// Where the count was made: depot:ID, site:ID or transit:ID
    #[arg(long)]
    location: StockHolder,
    /// What was counted, LOT:QUANTITY or LOT:QUANTITY:dud (repeatable); lots left out count as 0
    #[arg(long = "count")]
    counts: Vec<Item>,
}

pub(crate) fn stocktake(cx: &mut Session, a: StocktakeArgs) -> anyhow::Result<()> {
    cx.record(Event::Stocktake(Stocktake {
        location: a.location,
        counts: a.counts,
    }))
}

#[derive(Args)]
pub(crate) struct LossArgs {
    /// Where: depot:ID, site:ID or transit:ID
    #[arg(long)]
    location: StockHolder,
    /// What is missing, LOT:QUANTITY[:dud][@SERIALS] (repeatable)
    #[arg(long = "item", required = true)]
    items: Vec<Item>,
    /// loss or theft
    #[arg(long, default_value = "loss")]
    kind: LossKind,
    /// Reference of the report to the police (L31)
    #[arg(long, default_value = "")]
    police_report: String,
}

pub(crate) fn loss(cx: &mut Session, a: LossArgs) -> anyhow::Result<()> {
    cx.record(Event::Loss(Loss {
        location: a.location,
        items: a.items,
        kind: a.kind,
        police_report: a.police_report,
    }))
}

#[derive(Args)]
pub(crate) struct FileArgs {
    /// The event that created the duty (see `wxmod ledger check`)
    #[arg(long)]
    event: i64,
    /// The rule of the duty, e.g. L2
    #[arg(long)]
    rule: RuleId,
    /// Reference of the filing, report or receipt
    #[arg(long)]
    reference: String,
}

pub(crate) fn file(cx: &mut Session, a: FileArgs) -> anyhow::Result<()> {
    cx.record(Event::File(Filing {
        event: a.event,
        rule: a.rule,
        reference: a.reference,
    }))
}
