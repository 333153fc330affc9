//! Admission of the events that end or correct stock: duds, returns, scrapping, stock-takes,
//! losses and the police filing (the rest of the rules are in admit.rs).

use super::*;

pub(super) fn admit_dud(conn: &Connection, t: &Thresholds, d: &Dud) -> Result<(), LedgerError> {
    let site = known_site(conn, &d.site)?;
    let item = Item::new(d.lot.clone(), d.quantity, Condition::Good);
    let lines = lines(
        conn,
        std::slice::from_ref(&item),
        1,
        Some(t.max_line_quantity),
    )?;
    serials_in_lots(&d.serials, &lines)?;
    let class = lines
        .first()
        .map(|l| l.lot.class)
        .unwrap_or(ItemClass::Rocket);
    if d.kind == DudKind::Misfire {
        enough(conn, &StockHolder::Site(site.id.clone()), &lines)?;
        dud::unfired_rocket_recorded(d, class)?;
    } else {
        // #18: a fallen dud was fired from this site, so the site holds or has fired the lot
        // (read from the projections, so that verify's replay re-checks it the same way).
        let fired: Option<i64> = conn
            .prepare_cached("SELECT seq FROM firings WHERE site = ?1 AND lot = ?2 LIMIT 1")?
            .query_row(rusqlite::params![site.id, d.lot], |row| row.get(0))
            .optional()?;
        let here = StockHolder::Site(site.id.clone());
        let holds = facts::held(conn, &here, &d.lot, Condition::Good)? > 0
            || facts::held(conn, &here, &d.lot, Condition::Dud)? > 0;
        if fired.is_none() && !holds {
            return Err(invalid(format!(
                "site {} never held lot {}: a fallen dud comes from a round the site held",
                site.id, d.lot
            )));
        }
    }
    Ok(())
}

pub(super) fn admit_return(
    conn: &Connection,
    t: &Thresholds,
    r: &Return,
) -> Result<(), LedgerError> {
    known_site(conn, &r.site)?;
    let depot = known_depot(conn, &r.depot)?;
    let lines = lines(conn, &r.items, 1, Some(t.max_line_quantity))?;
    enough(conn, &StockHolder::Site(r.site.clone()), &lines)?;
    depot_room(conn, &depot, &lines, None)
}

pub(super) fn admit_scrap(
    conn: &Connection,
    t: &Thresholds,
    s: &Scrap,
    at: NaiveDateTime,
) -> Result<(), LedgerError> {
    known_depot(conn, &s.depot)?;
    expiry::supervised(&s.depot, &s.authority)?;
    let lines = lines(conn, &s.items, 1, Some(t.max_line_quantity))?;
    if s.reason == ScrapReason::Expired {
        for line in &lines {
            if line.lot.expires >= at.date() {
                return Err(invalid(format!(
                    "lot {} expires on {}: on {} it is not expired; give the reason failed or dud",
                    line.item.lot,
                    line.lot.expires,
                    at.date()
                )));
            }
        }
    }
    enough(conn, &StockHolder::Depot(s.depot.clone()), &lines)
}

pub(super) fn admit_stocktake(
    conn: &Connection,
    t: &Thresholds,
    s: &Stocktake,
) -> Result<(), LedgerError> {
    if !facts::location_exists(conn, &s.location)? {
        return Err(invalid(format!(
            "{} is not a registered depot or site, nor a transfer in transit",
            s.location
        )));
    }
    for item in &s.counts {
        if item.quantity < 0 {
            return Err(invalid(format!(
                "lot {}: a count cannot be negative",
                item.lot
            )));
        }
        within_line_limit(&item.lot, item.quantity, t.max_line_quantity)?;
        if facts::lot(conn, &item.lot)?.is_none() {
            return Err(invalid(format!("lot {} is not in the ledger", item.lot)));
        }
    }
    Ok(())
}

pub(super) fn admit_loss(conn: &Connection, t: &Thresholds, l: &Loss) -> Result<(), LedgerError> {
    if !facts::location_exists(conn, &l.location)? {
        return Err(invalid(format!(
            "{} is not a registered depot or site, nor a transfer in transit",
            l.location
        )));
    }
    incident::loss_reported(&l.location, &l.police_report)?;
    let lines = lines(conn, &l.items, 1, Some(t.max_line_quantity))?;
    enough(conn, &l.location, &lines)
}

pub(super) fn admit_filing(conn: &Connection, f: &Filing) -> Result<(), LedgerError> {
    named(&f.reference, "the reference of the filing")?;
    let state: Option<Option<i64>> = conn
        .prepare_cached("SELECT filed_seq FROM obligations WHERE seq = ?1 AND rule = ?2")?
        .query_row(rusqlite::params![f.event, f.rule.code()], |row| row.get(0))
        .optional()?;
    match state {
        None => Err(invalid(format!(
            "event {} created no {} duty",
            f.event, f.rule
        ))),
        Some(Some(filed)) => Err(invalid(format!(
            "the {} duty of event {} was already filed by event {filed}",
            f.rule, f.event
        ))),
        Some(None) => Ok(()),
    }
}
