//! Property test (#18), on the set-up of `model`: random event sequences with extreme quantities (0, negatives,
//! `i64::MAX`, `i64::MAX - 3`, the line limit and one past it, a billion) and the same lot
//! named twice in one event. Whatever the ledger accepts or refuses, after every step: no
//! stock is negative, a refused event changed nothing, the book equals the sum of the committed
//! events (an oracle summing their lines in `i128`, independent of the rules), every lot is
//! conserved; at the end `verify` finds the ledger intact.

use std::collections::BTreeMap;

use proptest::prelude::*;
use wxmod::ledger::*;

use super::fixture::*;
use super::model::setup;

const WHEN: &str = "2025-06-12 15:00";
const DEPOTS: [&str; 2] = ["D1", "D2"];
const SITES: [&str; 2] = ["S1", "S2"];

#[derive(Debug, Clone)]
enum Op {
    Receive {
        depot: usize,
        qty: i64,
    },
    Issue {
        depot: usize,
        site: usize,
        lines: Vec<(usize, i64)>,
    },
    Fire {
        site: usize,
        lines: Vec<(usize, i64)>,
    },
    Return {
        site: usize,
        depot: usize,
        lines: Vec<(usize, i64)>,
    },
    Scrap {
        depot: usize,
        lines: Vec<(usize, i64)>,
    },
    Lose {
        site: Option<usize>,
        depot: usize,
        lines: Vec<(usize, i64)>,
    },
}

fn quantity() -> impl Strategy<Value = i64> {
    prop_oneof![
        6 => 1i64..60,
        1 => Just(0i64),
        1 => Just(-1i64),
        1 => Just(i64::MIN),
        1 => Just(i64::MAX),
        1 => Just(i64::MAX - 3),
        1 => Just(100_000i64),
        1 => Just(100_001i64),
        1 => Just(1_000_000_000i64),
    ]
}

fn lines() -> impl Strategy<Value = Vec<(usize, i64)>> {
    // Few lots, so that one event often names the same lot twice.
    prop::collection::vec((0..3usize, quantity()), 1..4)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0..2usize, prop_oneof![3 => 50i64..400, 1 => quantity()]).prop_map(|(depot, qty)| Op::Receive { depot, qty }),
        3 => (0..2usize, 0..2usize, lines()).prop_map(|(depot, site, lines)| Op::Issue { depot, site, lines }),
        3 => (0..2usize, lines()).prop_map(|(site, lines)| Op::Fire { site, lines }),
        1 => (0..2usize, 0..2usize, lines()).prop_map(|(site, depot, lines)| Op::Return { site, depot, lines }),
        1 => (0..2usize, lines()).prop_map(|(depot, lines)| Op::Scrap { depot, lines }),
        1 => (prop::option::of(0..2usize), 0..2usize, lines()).prop_map(|(site, depot, lines)| Op::Lose { site, depot, lines }),
    ]
}

/// The oracle: rounds per (location, lot), summed from committed events in `i128`.
#[derive(Default)]
struct Book {
    held: BTreeMap<(StockHolder, String), i128>,
    received: i128,
    gone: i128,
}

impl Book {
    fn shift(&mut self, from: &StockHolder, to: Option<&StockHolder>, items: &[Item]) {
        for i in items {
            let q = i128::from(i.quantity);
            *self.held.entry((from.clone(), i.lot.clone())).or_default() -= q;
            match to {
                Some(to) => *self.held.entry((to.clone(), i.lot.clone())).or_default() += q,
                None => self.gone += q,
            }
        }
        self.held.retain(|_, q| *q != 0);
    }
}

fn items(lots: &[String], lines: &[(usize, i64)]) -> Vec<Item> {
    lines
        .iter()
        .filter_map(|(i, q)| lots.get(*i % lots.len().max(1)).map(|lot| item(lot, *q)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn extreme_quantities_never_falsify_the_book(ops in prop::collection::vec(op(), 1..40)) {
        let mut ledger = setup();
        let mut book = Book::default();
        let mut lots: Vec<String> = Vec::new();
        let mut script = vec![Op::Receive { depot: 0, qty: 300 }];
        script.extend(ops);
        for op in &script {
            let (event, from, to, moved) = match op {
                Op::Receive { depot, qty } => {
                    let name = format!("L{}", lots.len());
                    let l = lot(&name, "WR-98", *qty, None, "2030-01-01");
                    (receive(DEPOTS[*depot], l), None, Some(StockHolder::Depot(DEPOTS[*depot].into())), vec![item(&name, *qty)])
                }
                Op::Issue { depot, site, lines } => {
                    let it = items(&lots, lines);
                    (Event::Issue(Issue { depot: DEPOTS[*depot].into(), site: SITES[*site].into(), items: it.clone() }),
                     Some(StockHolder::Depot(DEPOTS[*depot].into())), Some(StockHolder::Site(SITES[*site].into())), it)
                }
                Op::Fire { site, lines } => {
                    let it = items(&lots, lines);
                    let firing = Firing { site: SITES[*site].into(), equipment: format!("L{site}"), items: it.clone(), ..rocket_firing("x", 1) };
                    (Event::Fire(firing), Some(StockHolder::Site(SITES[*site].into())), None, it)
                }
                Op::Return { site, depot, lines } => {
                    let it = items(&lots, lines);
                    (Event::Return(Return { site: SITES[*site].into(), depot: DEPOTS[*depot].into(), items: it.clone() }),
                     Some(StockHolder::Site(SITES[*site].into())), Some(StockHolder::Depot(DEPOTS[*depot].into())), it)
                }
                Op::Scrap { depot, lines } => {
                    let it = items(&lots, lines);
                    (Event::Scrap(Scrap { depot: DEPOTS[*depot].into(), items: it.clone(), reason: ScrapReason::Failed, authority: "省工信厅".into() }),
                     Some(StockHolder::Depot(DEPOTS[*depot].into())), None, it)
                }
                Op::Lose { site, depot, lines } => {
                    let it = items(&lots, lines);
                    let place = match site { Some(s) => StockHolder::Site(SITES[*s].into()), None => StockHolder::Depot(DEPOTS[*depot].into()) };
                    (Event::Loss(Loss { location: place.clone(), items: it.clone(), kind: LossKind::Loss, police_report: "朔公-1".into() }),
                     Some(place), None, it)
                }
            };
            if moved.is_empty() {
                continue;
            }
            let before = ledger.fingerprint().unwrap_or_else(|e| panic!("{e}"));
            match ledger.record(ev(WHEN, event)) {
                Ok(_) => {
                    if let Op::Receive { qty, .. } = op {
                        lots.push(moved[0].lot.clone());
                        book.received += i128::from(*qty);
                        *book.held.entry((to.clone().unwrap_or_else(|| panic!("receive has a depot")), moved[0].lot.clone())).or_default() += i128::from(*qty);
                    } else if let Some(from) = &from {
                        book.shift(from, to.as_ref(), &moved);
                    }
                }
                Err(LedgerError::Refused(_) | LedgerError::Invalid(_)) => {
                    prop_assert_eq!(ledger.fingerprint().unwrap_or_else(|e| panic!("{e}")), before, "refused {:?} changed the ledger", op);
                }
                Err(other) => prop_assert!(false, "{op:?}: {other}"),
            }
            let stock: BTreeMap<(StockHolder, String), i128> = ledger
                .stock(&StockFilter::default())
                .unwrap_or_else(|e| panic!("{e}"))
                .into_iter()
                .fold(BTreeMap::new(), |mut m, l| {
                    *m.entry((l.location, l.lot)).or_default() += i128::from(l.quantity);
                    m
                });
            prop_assert!(stock.values().all(|q| *q > 0), "negative or zero stock: {:?}", stock);
            prop_assert_eq!(&stock, &book.held, "after {:?}", op);
            let held: i128 = stock.values().sum();
            prop_assert_eq!(held + book.gone, book.received, "rounds not conserved after {:?}", op);
        }
        let report = ledger.verify(None).unwrap_or_else(|e| panic!("{e}"));
        prop_assert!(report.is_intact(), "{:?}", report.findings);
    }
}
