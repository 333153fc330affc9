//! The ammunition and equipment ledger (弹药装备台账): every rocket, shell and flare accounted
//! for, from purchase to firing or destruction, under the safety rules of DOMAIN.md §4.
//!
//! A [`Ledger`] is one SQLite file (WAL, durable commits, several processes at once) holding an
//! append-only, hash-chained log of [`Event`]s and the tables the log projects: registers
//! (models, depots, operation points, sectors, vehicles, operators, equipment, airspace
//! approvals), stock by location, lot and condition, transfers, firings, stock-takes and open
//! duties. Each event is checked under every [`rules`] function that applies before it is
//! written; a refused event leaves the file unchanged. Queries: [`Ledger::stock`],
//! [`Ledger::consumption`], [`Ledger::history`], [`Ledger::check`] (deadlines) and
//! [`Ledger::verify`] (tamper detection by chain, replay and comparison).
//!
//! ```
//! use wxmod::ledger::*;
//! let mut ledger = Ledger::in_memory().unwrap();
//! let at = parse_time("2025-03-01 09:00").unwrap();
//! let mut record = |event| ledger.record(NewEvent { at, actor: "王工".into(), event });
//! record(Event::Model(AmmoModel { name: "WR-98".into(), class: ItemClass::Rocket, maker: "陕西中天".into() })).unwrap();
//! record(Event::Depot(Depot { id: "SZ".into(), name: "朔州市人影弹药库".into(), kind: DepotKind::Military,
//!     licence: None, keeper: "李".into(), capacity: "rocket=500".parse().unwrap() })).unwrap();
//! let lot = Lot { lot: "WR98-2501".into(), model: "WR-98".into(), serials: None, quantity: 600,
//!     manufactured: parse_date("2025-01-10").unwrap(), expires: parse_date("2030-01-09").unwrap() };
//! let refused = record(Event::Receive(Receipt { depot: "SZ".into(), lot, purchase: "CG-1".into(), opening: false }));
//! assert!(matches!(refused, Err(LedgerError::Refused(v)) if v.rule == RuleId::L7));
//! ```

mod access;
mod admit;
mod apply;
mod backup;
mod chain;
mod check;
mod clock;
mod event;
mod export;
mod facts;
mod history;
mod import;
mod import_job;
mod init;
mod ledger;
mod patch;
mod points;
mod records;
mod register_jobs;
mod registers;
pub mod rules;
mod schema;
mod seal;
mod sector_list;
mod stock;
pub mod text;
mod thresholds;
mod timeline;
mod units;
mod verify;

/// Opening the ledger for a command.
pub use access::{Access, OpenError, actor_or_login};
/// The largest capacity of one item class.
pub use admit::MAX_CAPACITY;
/// Duties created by events.
pub use apply::Duty;
/// The hash chain.
pub use chain::{GENESIS, event_hash};
/// The deadline check.
pub use check::{Deadline, Urgency};
/// Times and dates.
pub use clock::{now, parse_date, parse_time};
/// Events.
pub use event::{
    Arrival, Dispatch, Dud, Event, Filing, Firing, Issue, Loss, NewEvent, Receipt, Return, Scrap,
    Stocktake, StoredEvent,
};
/// Export.
pub use export::ExportFormat;
/// History of a lot or serial.
pub use history::{History, HistoryEntry, Trace};
/// Reading events from files.
pub use import::{
    ImportFileError, LineProblem, SourcedEvent, read_event_log, read_operator_list, read_stock_list,
};
/// The import job.
pub use import_job::{ImportJobError, ImportSource, ImportSummary};
/// Creating a ledger and its key.
pub use init::{InitError, InitSummary};
/// The ledger file.
pub use ledger::{ImportError, Ledger, LedgerError, Progress, Recorded, RecordingClock};
/// Register updates as typed patches.
pub use patch::{
    DepotPatch, EquipmentPatch, Inspection, OperatorPatch, RegisterPatch, SitePatch, Standing,
    VehiclePatch,
};
/// Operation points from site files.
pub use points::{PointImport, default_capacity, read_points};
/// Registers and value types.
pub use records::{
    AirspaceApproval, AmmoModel, AzimuthRange, Capacity, Condition, Depot, DepotKind, DudKind,
    Equipment, EquipmentKind, FiringSector, Item, ItemClass, LossKind, Lot, OperationPoint,
    Operator, ParseNameError, PointKind, ScrapReason, SerialRange, StockHolder, Vehicle,
};
/// Register jobs from files.
pub use register_jobs::{PointsImportError, PointsSummary, SectorsSummary};
/// Rule ids and violations.
pub use rules::{RuleId, Violation};
/// The schema version.
pub use schema::SCHEMA_VERSION;
/// The keyed seal of the chain.
pub use seal::{KeyError, SealKey};
/// Reading sector lists.
pub use sector_list::{BadLine, SectorListError, read_sector_list};
/// Stock and consumption.
pub use stock::{ConsumptionRow, Grouping, StockFilter, StockLine, season_of};
/// Thresholds.
pub use thresholds::{CrewMinimum, MAX_WITHIN_DAYS, SerialPolicy, ThresholdError, Thresholds};
/// Per-serial accounting.
pub use units::{SerialCount, SerialStatus, Unit, UnitState};
/// Tamper detection.
pub use verify::{Finding, VerifyReport};
