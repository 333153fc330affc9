//! `wxmod ledger`: the ammunition and equipment ledger (弹药装备台账).
//!
//! One subcommand per register, event and query; each opens the ledger file (`--db`, default
//! in the user's data folder), builds one library request, makes one library call and prints
//! the result as text or, with `--json`, as JSON. A refused event exits with code 1 and names
//! the rule it breaks; with `--json` the refusal is also printed as JSON on stdout.

mod queries;
mod registers;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use wxmod::ledger::{
    self, Access, Event, Ledger, LedgerError, NewEvent, Recorded, RegisterPatch, SealKey,
    actor_or_login, now, parse_time, text,
};

use super::{print_json, print_text};

/// Flags shared by every ledger subcommand.
#[derive(Args)]
pub struct LedgerArgs {
    /// Ledger file [default: wxmod/ledger.db in the user's data folder]
    #[arg(
        long,
        global = true,
        help_heading = "Ledger options",
        value_name = "PATH"
    )]
    db: Option<PathBuf>,
    /// Seal key file (HMAC-SHA256, created by init, owner-only) [default: the ledger path + .key]
    #[arg(
        long,
        global = true,
        help_heading = "Ledger options",
        value_name = "PATH"
    )]
    key: Option<PathBuf>,
    /// Who records the events [default: $USER]
    #[arg(
        long,
        global = true,
        help_heading = "Ledger options",
        value_name = "NAME"
    )]
    actor: Option<String>,
    /// When the event happened, or the moment to check, local time: YYYY-MM-DD[ HH:MM] [default: now]
    #[arg(long, global = true, help_heading = "Ledger options", value_name = "TIME", value_parser = parse_time)]
    at: Option<chrono::NaiveDateTime>,
    /// Print JSON for machines
    #[arg(long, global = true, help_heading = "Ledger options")]
    json: bool,
    #[command(subcommand)]
    command: LedgerCommand,
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Create the ledger file (or migrate an existing one)
    Init,
    /// Show the thresholds, or set one (--set site_capacity.rocket=24)
    Config(registers::ConfigArgs),
    /// Register an ammunition model of a CMA-designated maker (L1)
    Model(ledger::AmmoModel),
    /// Register or update a depot
    Depot(ledger::DepotPatch),
    /// Import operation points from a site or plan file, or register/update one
    Site(registers::SiteArgs),
    /// Set the safe firing sector of a site, or import sectors from CSV
    Sector(registers::SectorArgs),
    /// Register or update a vehicle for ammunition transport
    Vehicle(ledger::VehiclePatch),
    /// Register or update an operator (certificate, police filing, insurance)
    Operator(ledger::OperatorPatch),
    /// Register or update equipment: inspection, site, unit, scrapping
    Equipment(registers::EquipmentArgs),
    /// Record an approved airspace window for a site
    Airspace(ledger::AirspaceApproval),
    /// Receive a purchased lot into a depot
    Receive(ledger::Receipt),
    /// Dispatch a transfer between depots, or record its arrival
    Transfer {
        #[command(subcommand)]
        step: TransferStep,
    },
    /// Issue ammunition from a depot to an operation point
    Issue(ledger::Issue),
    /// Record a firing
    Fire(ledger::Firing),
    /// Record a misfire or a fallen dud
    Dud(ledger::Dud),
    /// Return ammunition from an operation point to a depot
    Return(ledger::Return),
    /// Destroy ammunition at a depot under supervision
    Scrap(ledger::Scrap),
    /// Record a stock-take: counts against the book
    Stocktake(ledger::Stocktake),
    /// Write off lost or stolen stock (with the police report)
    Loss(ledger::Loss),
    /// Mark a duty done: a filing, a returned licence, a report
    File(ledger::Filing),
    /// List the stock by location, model and lot, with expiry
    Stock(ledger::StockFilter),
    /// Rounds fired per county, site, model, month, season or year
    Consumption(queries::ConsumptionArgs),
    /// The whole history of a lot or a serial number
    History(queries::HistoryArgs),
    /// List what is overdue or falling due: filings, returns, expiries, certificates, inspections
    Check(queries::CheckArgs),
    /// Detect edits or deletions made behind wxmod's back
    Verify(queries::VerifyArgs),
    /// Export the event log or the stock
    Export(queries::ExportArgs),
    /// Copy the ledger to a new file while others keep writing (SQLite online backup), then verify the copy
    Backup(queries::BackupArgs),
    /// Print the signed head of the chain, to file or print elsewhere and check with verify --anchor
    Anchor,
    /// Import an existing stock list, an operator list or an event log, every event checked
    Import(queries::ImportArgs),
}

#[derive(Subcommand)]
enum TransferStep {
    /// Send a transfer on its way: the stock is in transit until it arrives
    Dispatch(ledger::Dispatch),
    /// Receive a transfer at its destination depot
    Arrive(ledger::Arrival),
}

/// What every subcommand gets: the open ledger and the shared flags.
pub(crate) struct Session {
    ledger: Ledger,
    actor: String,
    at: chrono::NaiveDateTime,
    json: bool,
}

impl Session {
    /// Records one event and prints what it gave (or the refusal, with `--json`).
    fn record(&mut self, event: Event) -> anyhow::Result<()> {
        let new = NewEvent {
            at: self.at,
            actor: self.actor.clone(),
            event,
        };
        match self.ledger.record(new) {
            Ok(done) => self.print_recorded(&done),
            Err(err) => self.refused(err),
        }
    }

    /// Applies one register patch (read and written in one transaction) and prints it.
    fn update(&mut self, patch: RegisterPatch) -> anyhow::Result<()> {
        match self.ledger.update(self.at, &self.actor, patch) {
            Ok(done) => self.print_recorded(&done),
            // A missing field is a usage error: no refusal JSON, as before.
            Err(err @ LedgerError::MissingField { .. }) => Err(err.into()),
            Err(err) => self.refused(err),
        }
    }

    /// A refused event or update: printed as JSON too with `--json`, then the error.
    fn refused(&self, err: LedgerError) -> anyhow::Result<()> {
        if self.json {
            print_json(&text::refusal_json(&err))?;
        }
        Err(err.into())
    }

    fn print_recorded(&self, done: &Recorded) -> anyhow::Result<()> {
        self.show(done, || text::recorded(done))
    }

    /// Prints `value` as JSON with `--json`, else the text `text` gives.
    fn show<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
        text: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        if self.json {
            return print_json(value);
        }
        print_text(&text())
    }
}

/// Runs `wxmod ledger ...`.
pub fn run(args: LedgerArgs) -> anyhow::Result<()> {
    if args.db.is_none() && matches!(args.command, LedgerCommand::Init) {
        anyhow::bail!(
            "ledger init needs --db PATH: the new ledger file (wxmod does not create one in a default folder unasked)"
        );
    }
    let path = match args.db {
        Some(p) => p,
        None => Ledger::default_path()
            .context("cannot find the user's data folder: give the ledger file with --db PATH")?,
    };
    let key_path = args
        .key
        .clone()
        .unwrap_or_else(|| SealKey::default_path(&path));
    if let LedgerCommand::Init = args.command {
        let done = Ledger::init(&path, &key_path)?;
        if args.json {
            return print_json(&done);
        }
        return print_text(&done.to_string());
    }
    let access = match &args.command {
        LedgerCommand::Config(a) if a.is_query() => Access::Query,
        LedgerCommand::Stock(_)
        | LedgerCommand::Consumption(_)
        | LedgerCommand::History(_)
        | LedgerCommand::Check(_)
        | LedgerCommand::Verify(_)
        | LedgerCommand::Export(_)
        | LedgerCommand::Backup(_)
        | LedgerCommand::Anchor => Access::Query,
        _ => Access::Record,
    };
    let mut cx = Session {
        ledger: Ledger::open_for(&path, &key_path, access)?,
        actor: actor_or_login(args.actor),
        at: args.at.unwrap_or_else(now),
        json: args.json,
    };
    match args.command {
        LedgerCommand::Init => Ok(()),
        LedgerCommand::Config(a) => registers::config(&mut cx, a),
        LedgerCommand::Model(model) => cx.record(Event::Model(model)),
        LedgerCommand::Depot(patch) => cx.update(RegisterPatch::Depot(patch)),
        LedgerCommand::Site(a) => registers::site(&mut cx, a),
        LedgerCommand::Sector(a) => registers::sector(&mut cx, a),
        LedgerCommand::Vehicle(patch) => cx.update(RegisterPatch::Vehicle(patch)),
        LedgerCommand::Operator(patch) => cx.update(RegisterPatch::Operator(patch)),
        LedgerCommand::Equipment(a) => registers::equipment(&mut cx, a),
        LedgerCommand::Airspace(window) => cx.record(Event::Airspace(window)),
        LedgerCommand::Receive(receipt) => cx.record(Event::Receive(receipt)),
        LedgerCommand::Transfer { step } => cx.record(match step {
            TransferStep::Dispatch(dispatch) => Event::Dispatch(dispatch),
            TransferStep::Arrive(arrival) => Event::Arrive(arrival),
        }),
        LedgerCommand::Issue(issue) => cx.record(Event::Issue(issue)),
        LedgerCommand::Fire(firing) => cx.record(Event::Fire(firing)),
        LedgerCommand::Dud(dud) => cx.record(Event::Dud(dud)),
        LedgerCommand::Return(back) => cx.record(Event::Return(back)),
        LedgerCommand::Scrap(scrap) => cx.record(Event::Scrap(scrap)),
        LedgerCommand::Stocktake(count) => cx.record(Event::Stocktake(count)),
        LedgerCommand::Loss(loss) => cx.record(Event::Loss(loss)),
        LedgerCommand::File(filing) => cx.record(Event::File(filing)),
        LedgerCommand::Stock(a) => queries::stock(&cx, a),
        LedgerCommand::Consumption(a) => queries::consumption(&cx, a),
        LedgerCommand::History(a) => queries::history(&cx, a),
        LedgerCommand::Check(a) => queries::check(&cx, a),
        LedgerCommand::Verify(a) => queries::verify(&cx, a),
        LedgerCommand::Export(a) => queries::export(&cx, a),
        LedgerCommand::Backup(a) => queries::backup(&cx, a),
        LedgerCommand::Anchor => queries::anchor(&cx),
        LedgerCommand::Import(a) => queries::import(&mut cx, a),
    }
}
