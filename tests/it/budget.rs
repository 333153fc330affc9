//! The equipment budget: a small case computed by hand line by line, totals equal to the sums
//! of their lines, one price change touching exactly the lines that use it, the bundled
//! Shuozhou plan's budget year by year through 2035, the .xlsx read back with calamine, the
//! chart, and every kind of bad input refused with a clear message.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx};
use predicates::prelude::*;
use wxmod::budget::{
    Budget, BudgetInputs, Category, CountyRef, Horizon, LedgerFacts, LineItem, StockLot,
    UseHistory, budget,
};
use wxmod::catalog::{Catalog, bundled_catalog_path};
use wxmod::gaps::GapOptions;
use wxmod::region::read_landmarks;
use wxmod::report::budget::chart::{ChartFormat, budget_chart};
use wxmod::report::budget::{csv, markdown, xlsx};
use wxmod::sites::{Site, SiteKind, SiteStatus};
use wxmod::siting::{Objective, PlanInputs, SitingRules, constraints, plan};
use wxmod::terrain::Dem;
use wxmod::units::Yuan;
use wxmod::zones::ZoneLayer;

use crate::fixtures::{bundled, shuozhou, wxmod};

fn catalog() -> Catalog {
    Catalog::read(&bundled_catalog_path()).unwrap()
}

fn site(id: &str, kind: SiteKind, status: SiteStatus, year: i32, county: &str) -> Site {
    Site {
        id: id.into(),
        name: String::new(),
        kind,
        standardized: true,
        status,
        year: Some(year),
        lon: 112.5,
        lat: 39.5,
        county: Some(county.into()),
        extra: BTreeMap::new(),
    }
}

fn two_counties() -> Vec<CountyRef> {
    vec![
        CountyRef {
            id: "A".into(),
            name: "甲县".into(),
        },
        CountyRef {
            id: "B".into(),
            name: "乙县".into(),
        },
    ]
}

/// County A: an existing rocket site (2017), an existing gun site (2010), an existing AWS
/// (2019) and a rocket site planned for 2027. County B: an existing vehicle-mounted system
/// (2020) and a burner planned for 2028. No AWS in B, no radar in the city.
fn small_plan() -> Vec<Site> {
    use SiteKind::*;
    use SiteStatus::*;
    vec![
        site("R1", FixedRocket, Existing, 2017, "A"),
        site("G1", FixedGun, Existing, 2010, "A"),
        site("W1", Aws, Existing, 2019, "A"),
        site("N1", FixedRocket, Planned, 2027, "A"),
        site("M1", MobileRocketBase, Existing, 2020, "B"),
        site("B1", Burner, Planned, 2028, "B"),
    ]
}

/// History: A's rocket sites fired 125 rounds in 10 site-years. Stock: 20 rockets in A until
/// mid-2028, 50 in the city depot until 2030, 10 flares in B that expire before the 2027 season.
fn small_ledger() -> LedgerFacts {
    let lot = |item: &str, county: Option<&str>, lot: &str, quantity, expires: &str| StockLot {
        item: item.into(),
        county: county.map(str::to_string),
        lot: lot.into(),
        quantity,
        expires: expires.parse().unwrap(),
    };
    LedgerFacts {
        description: "hand-made facts".into(),
        use_history: vec![UseHistory {
            county: "A".into(),
            kind: SiteKind::FixedRocket,
            site_years: 10,
            rounds: 125,
        }],
        stock_lots: vec![
            lot("rocket", Some("A"), "L1", 20, "2028-06-30"),
            lot("rocket", None, "L2", 50, "2030-12-31"),
            lot("flare", Some("B"), "F1", 10, "2027-05-01"),
        ],
    }
}

fn small_budget(catalog: &Catalog) -> Budget {
    let sites = small_plan();
    let counties = two_counties();
    let facts = small_ledger();
    budget(&BudgetInputs {
        sites: &sites,
        counties: &counties,
        catalog,
        ledger: Some(&facts),
        horizon: Horizon::new(2027, 2027, 2028).unwrap(),
    })
    .unwrap()
}

/// (year, county, item key, quantity, unit price, amount) in yuan.
type Row = (i32, &'static str, &'static str, i64, i64, i64);

#[test]
fn a_small_case_computed_by_hand() {
    let b = small_budget(&catalog());
    #[rustfmt::skip]
    let expected: Vec<Row> = vec![
        // 2027, county A
        (2027, "A", "new_site:fixed_rocket", 1, 500_000, 500_000),    // N1
        (2027, "A", "launcher", 1, 150_000, 150_000),                 // N1's launcher
        (2027, "A", "safe", 1, 30_000, 30_000),                       // N1's safe
        // rockets: 2 sites × 125/10 = 25; 20 from A's lot L1; the depot's 50 shared 4 : 46
        // between A's need 5 and B's need 60 (3.85 and 46.15, the larger remainder to A)
        (2027, "A", "ammunition:rocket", 1, 2_500, 2_500),
        (2027, "A", "ammunition:shell_37mm", 300, 150, 45_000),       // G1: allowance 300
        (2027, "A", "duty_allowance", 10, 6_000, 60_000),             // 3 + 3 + 4 operators
        (2027, "A", "insurance", 10, 500, 5_000),
        (2027, "A", "upkeep:fixed_rocket", 2, 20_000, 40_000),        // R1, N1
        (2027, "A", "upkeep:fixed_gun", 1, 20_000, 20_000),           // G1 (AWS upkeep is 0)
        (2027, "A", "inspection", 3, 2_000, 6_000),                   // 2 launchers + 1 gun
        (2027, "A", "renewal:aws", 1, 60_000, 60_000),                // W1: 2019 + 8
        (2027, "A", "launcher_renewal", 1, 150_000, 150_000),         // R1: 2017 + 10
        // 2027, county B
        (2027, "B", "new_site:aws", 1, 60_000, 60_000),               // policy: B has no AWS
        (2027, "B", "ammunition:rocket", 14, 2_500, 35_000),          // 60 − 46 from the depot
        (2027, "B", "duty_allowance", 3, 6_000, 18_000),
        (2027, "B", "insurance", 3, 500, 1_500),
        (2027, "B", "upkeep:mobile_rocket_base", 1, 20_000, 20_000),
        (2027, "B", "inspection", 1, 2_000, 2_000),                   // the vehicle's launcher
        // 2027, city: the radar the policy asks for
        (2027, "", "new_site:radar", 1, 8_000_000, 8_000_000),
        // 2028, county A: L1 is past its season, the depot is empty
        (2028, "A", "ammunition:rocket", 25, 2_500, 62_500),
        (2028, "A", "ammunition:shell_37mm", 300, 150, 45_000),
        (2028, "A", "duty_allowance", 10, 6_000, 60_000),
        (2028, "A", "insurance", 10, 500, 5_000),
        (2028, "A", "upkeep:fixed_rocket", 2, 20_000, 40_000),
        (2028, "A", "upkeep:fixed_gun", 1, 20_000, 20_000),
        (2028, "A", "inspection", 3, 2_000, 6_000),
        // 2028, county B
        (2028, "B", "new_site:burner", 1, 163_000, 163_000),          // B1
        (2028, "B", "ammunition:flare", 40, 600, 24_000),             // B1: allowance 40
        (2028, "B", "ammunition:rocket", 60, 2_500, 150_000),         // M1: allowance 60
        (2028, "B", "duty_allowance", 3, 6_000, 18_000),
        (2028, "B", "insurance", 3, 500, 1_500),
        (2028, "B", "upkeep:burner", 1, 10_000, 10_000),
        (2028, "B", "upkeep:mobile_rocket_base", 1, 20_000, 20_000),
        (2028, "B", "inspection", 1, 2_000, 2_000),
    ];
    let got: Vec<(i32, String, String, i64, Yuan, Yuan)> = b
        .lines
        .iter()
        .map(|l| {
            (
                l.year,
                l.county.clone().unwrap_or_default(),
                l.item.key(),
                l.quantity,
                l.unit_price,
                l.amount,
            )
        })
        .collect();
    for (i, (e, g)) in expected.iter().zip(&got).enumerate() {
        let e = (
            e.0,
            e.1.to_string(),
            e.2.to_string(),
            e.3,
            Yuan::from_yuan(e.4),
            Yuan::from_yuan(e.5),
        );
        assert_eq!(&e, g, "line {i}");
    }
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    let sum: i64 = expected.iter().map(|e| e.5).sum();
    assert_eq!(b.total(), Yuan::from_yuan(sum));

    // Categories and the [A] flag follow the catalog.
    let radar = b
        .lines
        .iter()
        .find(|l| l.item == LineItem::NewSite(SiteKind::Radar))
        .unwrap();
    assert_eq!(radar.category, Category::Capacity);
    assert!(radar.assumed);
    let burner = b
        .lines
        .iter()
        .find(|l| l.item == LineItem::NewSite(SiteKind::Burner))
        .unwrap();
    assert!(!burner.assumed, "the burner price is sourced [S31]");
    assert!(burner.price_source.starts_with("[S31]"));
    assert!(burner.explanation.contains("B1"));
    let inspection = &b.lines[9];
    assert_eq!(
        inspection.explanation,
        "2 × operating standardized fixed rocket site × 1 launcher = 2: R1, N1; 1 × operating standardized fixed gun site [I] × 1 gun = 1: G1"
    );

    // The forecast, figure by figure.
    let row = |year: i32, county: Option<&str>, item: &str| {
        b.ammunition
            .iter()
            .find(|r| r.year == year && r.county.as_deref() == county && r.item == item)
            .unwrap_or_else(|| panic!("no forecast row {year} {county:?} {item}"))
    };
    let a = row(2027, Some("A"), "rocket");
    assert_eq!(
        (
            a.sites,
            a.expected_use,
            a.usable_stock,
            a.drawn_own,
            a.drawn_city,
            a.expired,
            a.purchase
        ),
        (2, 25, 20, 20, 4, 0, 1)
    );
    assert!(
        a.explanation
            .contains("2 × fixed rocket site × (125 rounds / 10 site-years in the ledger) = 25"),
        "{}",
        a.explanation
    );
    let bb = row(2027, Some("B"), "rocket");
    assert_eq!((bb.expected_use, bb.drawn_city, bb.purchase), (60, 46, 14));
    assert!(
        bb.explanation
            .contains("no ledger history for this county and kind")
    );
    let depot = row(2027, None, "rocket");
    assert_eq!(
        (depot.usable_stock, depot.drawn_own, depot.purchase),
        (50, 50, 0)
    );
    let flares = row(2027, Some("B"), "flare");
    assert_eq!(
        (flares.expected_use, flares.expired, flares.purchase),
        (0, 10, 0)
    );
    assert!(
        flares
            .explanation
            .contains("lot F1 10 (expires 2027-05-01)")
    );
    let a28 = row(2028, Some("A"), "rocket");
    assert_eq!((a28.usable_stock, a28.expired, a28.purchase), (0, 0, 25));
    for r in b.ammunition.iter().filter(|r| r.county.is_some()) {
        assert!(r.purchase >= 0);
        assert_eq!(
            r.purchase,
            r.expected_use - r.drawn_own - r.drawn_city,
            "{r:?}"
        );
    }

    // Policy items and assumptions are named.
    assert!(
        b.assumptions
            .iter()
            .any(|a| a.key == "kinds.radar.site_cost_yuan")
    );
    assert!(
        b.notes
            .iter()
            .any(|n| n.contains("kinds.aws.upkeep_yuan_per_year is 0"))
    );
}

#[test]
fn lots_that_expire_before_use_are_replaced_and_stock_is_drawn_earliest_first() {
    let catalog = catalog();
    let counties = two_counties();
    let sites = vec![site(
        "R1",
        SiteKind::FixedRocket,
        SiteStatus::Existing,
        2020,
        "A",
    )];
    let lot = |name: &str, quantity, expires: &str| StockLot {
        item: "rocket".into(),
        county: Some("A".into()),
        lot: name.into(),
        quantity,
        expires: expires.parse().unwrap(),
    };
    let facts = LedgerFacts {
        description: String::new(),
        use_history: Vec::new(),
        // 100 usable through 2029, 20 through 2027 (drawn first), 15 already expired.
        stock_lots: vec![
            lot("late", 100, "2029-12-31"),
            lot("early", 20, "2027-12-31"),
            lot("old", 15, "2026-06-01"),
        ],
    };
    let b = budget(&BudgetInputs {
        sites: &sites,
        counties: &counties,
        catalog: &catalog,
        ledger: Some(&facts),
        horizon: Horizon::new(2027, 2027, 2031).unwrap(),
    })
    .unwrap();
    let rows: Vec<(i32, i64, i64, i64, i64)> = b
        .ammunition
        .iter()
        .filter(|r| r.county.as_deref() == Some("A"))
        .map(|r| (r.year, r.usable_stock, r.drawn_own, r.expired, r.purchase))
        .collect();
    // Use is 30 a year (the allowance). 2027: 120 usable (the old lot scrapped), 30 drawn, 20
    // of them from "early"; 2028-2029: 90, 60 left in "late"; 2030: "late" is past, 30 of it
    // scrapped; 2031: nothing left.
    assert_eq!(
        rows,
        vec![
            (2027, 120, 30, 15, 0),
            (2028, 90, 30, 0, 0),
            (2029, 60, 30, 0, 0),
            (2030, 0, 0, 30, 30),
            (2031, 0, 0, 0, 30),
        ]
    );
}

#[test]
fn totals_equal_the_sums_of_their_lines() {
    let b = shuozhou_budget();
    let lines: Yuan = b.lines.iter().map(|l| l.amount).sum();
    assert_eq!(b.total(), lines);
    for l in &b.lines {
        assert_eq!(l.amount, l.unit_price * l.quantity, "{l:?}");
        assert!(l.quantity > 0 && l.unit_price > Yuan::default(), "{l:?}");
        assert_eq!(l.category, l.item.category());
    }
    let years = b.by_year();
    assert_eq!(years.iter().map(|y| y.total).sum::<Yuan>(), lines);
    for y in &years {
        assert_eq!(y.by_category.iter().copied().sum::<Yuan>(), y.total);
        for (i, c) in Category::ALL.iter().enumerate() {
            let sum: Yuan = b
                .lines
                .iter()
                .filter(|l| l.year == y.year && l.category == *c)
                .map(|l| l.amount)
                .sum();
            assert_eq!(y.by_category[i], sum);
        }
    }
    let counties = b.by_county();
    assert_eq!(counties.iter().map(|c| c.total).sum::<Yuan>(), lines);
    for (j, y) in years.iter().enumerate() {
        assert_eq!(counties.iter().map(|c| c.by_year[j]).sum::<Yuan>(), y.total);
    }
    // The CSV summary's total row says the same, to the fen.
    let summary = csv::summary(&b);
    let last = summary.lines().last().unwrap();
    assert!(
        last.ends_with(&format!("{:.2},{:.6}", lines.yuan(), lines.wan())),
        "{last}"
    );
}

/// A catalog key and a change of its value.
type PriceChange = (&'static str, fn(&mut Catalog));

#[test]
fn changing_one_unit_price_changes_exactly_the_lines_that_use_it() {
    let base_catalog = catalog();
    let base = shuozhou_budget_with(&base_catalog);
    let changes: [PriceChange; 5] = [
        ("items.rocket.unit_cost_yuan", |c| {
            c.items.get_mut("rocket").unwrap().unit_cost_yuan = 2_600
        }),
        ("items.rocket_launcher.unit_cost_yuan", |c| {
            c.items.get_mut("rocket_launcher").unwrap().unit_cost_yuan = 140_000
        }),
        ("kinds.burner.site_cost_yuan", |c| {
            c.kind_mut(SiteKind::Burner).site_cost_yuan = 170_000
        }),
        ("recurring.inspection_yuan_per_unit_year", |c| {
            c.recurring.inspection_yuan_per_unit_year = 2_500
        }),
        ("kinds.fixed_rocket.upkeep_yuan_per_year", |c| {
            c.kind_mut(SiteKind::FixedRocket).upkeep_yuan_per_year = 25_000
        }),
    ];
    for (key, change) in changes {
        let mut changed_catalog = base_catalog.clone();
        change(&mut changed_catalog);
        let changed = shuozhou_budget_with(&changed_catalog);
        assert_eq!(base.lines.len(), changed.lines.len(), "{key}");
        let mut touched = 0;
        for (a, b) in base.lines.iter().zip(&changed.lines) {
            if a.price_key == key {
                touched += 1;
                assert_ne!(a.amount, b.amount, "{key}: {a:?}");
                assert_eq!(
                    (a.year, &a.county, &a.item, a.quantity),
                    (b.year, &b.county, &b.item, b.quantity)
                );
            } else {
                assert_eq!(a, b, "{key} changed a line that does not use it");
            }
        }
        assert!(touched > 0, "{key} is used by some line");
        assert_eq!(base.ammunition, changed.ammunition, "{key}");
    }
}

/// The bundled Shuozhou plan and the counts of what it adds.
struct ShuozhouPlan {
    sites: Vec<Site>,
    counties: Vec<CountyRef>,
    points: usize,
    burners: usize,
    mobile: usize,
}

/// The bundled Shuozhou plan (no existing sites, rollout from 2027), made by the library.
fn shuozhou_plan() -> &'static ShuozhouPlan {
    static PLAN: OnceLock<ShuozhouPlan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let region = shuozhou();
        let catalog = catalog();
        let dem = Dem::read(&bundled("shuozhou/dem_30s.asc")).unwrap();
        let zones = ZoneLayer::read(&bundled("shuozhou/zones.geojson")).unwrap();
        let landmarks = read_landmarks(&bundled("shuozhou/landmarks.csv")).unwrap();
        let rules = SitingRules::default();
        assert_eq!(rules.start_year, 2027);
        let inputs = PlanInputs {
            region: &region,
            sites: &[],
            catalog: &catalog,
            dem: Some(&dem),
            zones: Some(&zones),
            landmarks: &landmarks,
            rules: rules.clone(),
            options: GapOptions {
                year: Some(rules.start_year - 1),
                ..GapOptions::default()
            },
            objective: Objective::Grid,
        };
        let c = constraints(&inputs, Vec::new());
        let p = plan(&inputs, &c).unwrap();
        ShuozhouPlan {
            sites: p.sites.clone(),
            counties: CountyRef::of_region(&region),
            points: p.grid.points.len(),
            burners: p.burners.as_ref().map_or(0, |b| b.burners.len()),
            mobile: p.mobile_counties.len(),
        }
    })
}

fn shuozhou_budget_with(catalog: &Catalog) -> Budget {
    let plan = shuozhou_plan();
    budget(&BudgetInputs {
        sites: &plan.sites,
        counties: &plan.counties,
        catalog,
        ledger: None,
        horizon: Horizon::new(2027, 2027, 2035).unwrap(),
    })
    .unwrap()
}

fn shuozhou_budget() -> Budget {
    shuozhou_budget_with(&catalog())
}

#[test]
fn the_shuozhou_plan_budget_through_2035() {
    let plan = shuozhou_plan();
    let sites = &plan.sites;
    assert_eq!((plan.points, plan.burners, plan.mobile), (95, 33, 6));
    let b = shuozhou_budget();
    let totals: Vec<(i32, i64)> = b
        .by_year()
        .iter()
        .map(|y| (y.year, y.total.fen / 100))
        .collect();
    assert_eq!(
        totals,
        vec![
            (2027, 23_917_000),
            (2028, 14_415_000),
            (2029, 14_774_000),
            (2030, 16_077_000),
            (2031, 16_746_500),
            (2032, 17_299_500),
            (2033, 18_532_500),
            (2034, 15_783_000),
            (2035, 15_603_000),
        ]
    );
    assert_eq!(b.total(), Yuan::from_yuan(153_147_500));

    // Capacity building in each year, recomputed from the plan: a new fixed site with its
    // launcher and safe 680,000, a burner 163,000, a vehicle-mounted system with its safe
    // 480,000; in 2027 also six AWS (60,000) and the radar (8,000,000).
    for y in b.by_year() {
        let count = |kind: SiteKind| {
            sites
                .iter()
                .filter(|s| {
                    s.status == SiteStatus::Planned && s.kind == kind && s.year == Some(y.year)
                })
                .count() as i64
        };
        let mut capacity = count(SiteKind::FixedRocket) * 680_000
            + count(SiteKind::Burner) * 163_000
            + count(SiteKind::MobileRocketBase) * 480_000;
        if y.year == 2027 {
            capacity += 6 * 60_000 + 8_000_000;
        }
        assert_eq!(y.by_category[0], Yuan::from_yuan(capacity), "{}", y.year);
    }
    // Operations in 2027: 12 fixed sites and 6 mobile systems fire rockets (12 × 30 + 6 × 60),
    // 10 burners burn flares (40 each), 12 × 3 + 6 × 3 operators draw allowance and insurance.
    let ops_2027 = (12 * 30 + 6 * 60) * 2_500 + 10 * 40 * 600 + (12 * 3 + 6 * 3) * 6_500;
    assert_eq!(b.by_year()[0].by_category[1], Yuan::from_yuan(ops_2027));
}

#[test]
fn a_text_beyond_excels_cell_limit_is_cut_with_a_pointer_to_the_csv() {
    // A national plan's radar line lists thousands of sites: longer than one Excel cell holds.
    let mut b = shuozhou_budget();
    b.lines[0].explanation = "作业点 site, ".repeat(4_000);
    assert!(b.lines[0].explanation.chars().count() > xlsx::CELL_CHARS);
    let bytes = xlsx::workbook(&b, "朔州市 test").unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let lines = wb.worksheet_range(xlsx::SHEETS[1]).unwrap();
    let Some(Data::String(cell)) = lines.get_value((1, 14)) else {
        panic!("the first line's explanation is a string");
    };
    assert_eq!(cell.chars().count(), xlsx::CELL_CHARS);
    assert!(cell.starts_with("作业点 site, 作业点 site, "));
    assert!(
        cell.ends_with("the whole text is in budget_lines.csv)"),
        "{}",
        &cell[cell.len() - 120..]
    );
    // Short explanations are written whole.
    let Some(Data::String(second)) = lines.get_value((2, 14)) else {
        panic!("the second line's explanation is a string");
    };
    assert_eq!(second, &b.lines[1].explanation);
}

#[test]
fn the_workbook_reads_back_with_its_cells() {
    let b = shuozhou_budget();
    let bytes = xlsx::workbook(&b, "朔州市 test").unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), xlsx::SHEETS.map(String::from).to_vec());

    let summary = wb.worksheet_range(xlsx::SHEETS[0]).unwrap();
    assert_eq!(
        summary.get_value((0, 0)),
        Some(&Data::String("年度 / Year".into()))
    );
    assert_eq!(
        summary.get_value((0, 1)),
        Some(&Data::String("能力建设(元) / Capacity building".into()))
    );
    for (i, y) in b.by_year().iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(summary.get_value((r, 0)), Some(&Data::Float(y.year as f64)));
        for c in 0..3u32 {
            assert_eq!(
                summary.get_value((r, 1 + c)),
                Some(&Data::Float(y.by_category[c as usize].yuan()))
            );
            assert_eq!(
                summary.get_value((r, 5 + c)),
                Some(&Data::Float(y.by_category[c as usize].wan()))
            );
        }
        assert_eq!(
            summary.get_value((r, 4)),
            Some(&Data::Float(y.total.yuan()))
        );
    }
    assert_eq!(
        summary.get_value((10, 4)),
        Some(&Data::Float(153_147_500.0))
    );
    assert_eq!(summary.get_value((10, 8)), Some(&Data::Float(15_314.75)));

    let lines = wb.worksheet_range(xlsx::SHEETS[1]).unwrap();
    assert_eq!(lines.height(), b.lines.len() + 1);
    let mut sum = 0.0;
    for (i, l) in b.lines.iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(lines.get_value((r, 0)), Some(&Data::Float(l.year as f64)));
        assert_eq!(lines.get_value((r, 4)), Some(&Data::String(l.item.key())));
        assert_eq!(
            lines.get_value((r, 7)),
            Some(&Data::Float(l.quantity as f64))
        );
        assert_eq!(
            lines.get_value((r, 10)),
            Some(&Data::Float(l.amount.yuan()))
        );
        if let Some(Data::Float(a)) = lines.get_value((r, 10)) {
            sum += a;
        }
    }
    assert_eq!(sum, 153_147_500.0);
    let first = &b.lines[0];
    assert_eq!(
        lines.get_value((1, 5)),
        Some(&Data::String(first.item_zh.clone()))
    );
    assert_eq!(lines.get_value((1, 13)), Some(&Data::String("[A]".into())));

    let counties = wb.worksheet_range(xlsx::SHEETS[2]).unwrap();
    assert_eq!(
        counties.get_value((1, 1)),
        Some(&Data::String("朔城区 140602".into()))
    );
    assert_eq!(
        counties.get_value((7, 1)),
        Some(&Data::String("市级 City".into()))
    );
    assert_eq!(counties.get_value((7, 2)), Some(&Data::Float(800.0)));

    let ammo = wb.worksheet_range(xlsx::SHEETS[3]).unwrap();
    assert_eq!(ammo.height(), b.ammunition.len() + 1);
    assert_eq!(
        ammo.get_value((0, 11)),
        Some(&Data::String("采购 / Purchase".into()))
    );

    let assumptions = wb.worksheet_range(xlsx::SHEETS[4]).unwrap();
    let keys: Vec<String> = (1..=b.assumptions.len() as u32)
        .map(|r| assumptions.get_value((r, 0)).unwrap().to_string())
        .collect();
    assert!(keys.contains(&"items.rocket.unit_cost_yuan".to_string()));
}

#[test]
fn the_chart_and_the_report() {
    let b = shuozhou_budget();
    let png = budget_chart(&b, "朔州市", ChartFormat::Png).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let (width, height, pixels) = crate::fixtures::decode_png(&png);
    assert_eq!((width, height), (1000, 600));
    let capacity_blue = pixels
        .chunks(3)
        .filter(|p| p == &[0x2E, 0x75, 0xB6])
        .count();
    assert!(
        capacity_blue > 10_000,
        "bars are drawn: {capacity_blue} blue pixels"
    );

    // Every word the PNG draws has a glyph in the bundled font (data/fonts/make_subset.py).
    let font = wxmod::render::MapFont::bundled();
    for text in Category::ALL.map(|c| c.label()).into_iter().chain([
        "装备经费预算 Equipment budget by year and category — 朔州市".to_string(),
        "万元 (10,000 RMB)".to_string(),
    ]) {
        assert!(
            font.missing_glyphs(&text).is_empty(),
            "{text}: {:?}",
            font.missing_glyphs(&text)
        );
    }

    let svg = String::from_utf8(budget_chart(&b, "朔州市", ChartFormat::Svg).unwrap()).unwrap();
    assert!(svg.contains("能力建设 / Capacity building"));
    assert!(svg.contains("2035"));
    assert!(svg.matches("<rect").count() >= 27);

    let md = markdown::budget_report(&b, "朔州市");
    assert!(md.contains("**153,147,500 元 = 15314.75 万元**"));
    assert!(md.contains("| 2027 | 2103.00 | 239.10 | 49.60 | **2391.70** | 23,917,000 |"));
    assert!(md.contains("## Ammunition purchase forecast 弹药采购预测"));
    assert!(md.contains("`items.rocket.unit_cost_yuan` = 2500: [A]"));
}

#[test]
fn bad_budgets_are_refused_in_the_library() {
    let counties = two_counties();
    let mut catalog = catalog();
    let horizon = Horizon::new(2027, 2027, 2028).unwrap();
    catalog.recurring.insurance_yuan_per_person_year = -1;
    let err = budget(&BudgetInputs {
        sites: &small_plan(),
        counties: &counties,
        catalog: &catalog,
        ledger: None,
        horizon,
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("recurring.insurance_yuan_per_person_year = -1 is negative"),
        "{err}"
    );

    let catalog = self::catalog();
    let mut sites = small_plan();
    sites[0].county = Some("X".into());
    sites[1].county = None;
    sites[2].extra.insert("launchers".into(), "two".into());
    let err = budget(&BudgetInputs {
        sites: &sites,
        counties: &counties,
        catalog: &catalog,
        ledger: None,
        horizon,
    })
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("3 problems in the plan:"), "{err}");
    assert!(
        err.contains("site R1: county X is not in the region"),
        "{err}"
    );
    assert!(err.contains("site G1: no county"), "{err}");
    assert!(
        err.contains("site W1: launchers 'two' is not a whole number"),
        "{err}"
    );

    let mut facts = small_ledger();
    facts.stock_lots[0].quantity = -3;
    facts.stock_lots[1].item = "rocket_launcher".into();
    let err = budget(&BudgetInputs {
        sites: &small_plan(),
        counties: &counties,
        catalog: &catalog,
        ledger: Some(&facts),
        horizon,
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("stock lot 1 (L1): quantity -3 is negative"),
        "{err}"
    );
    assert!(
        err.contains(
            "stock lot 2 (L2): item 'rocket_launcher' is not the ammunition of any site kind"
        ),
        "{err}"
    );

    assert_eq!(
        Horizon::new(2027, 2030, 2029).unwrap_err().to_string(),
        "the horizon ends in 2029, before its first year 2030"
    );
}

/// A plan file and a temp dir for CLI tests.
fn plan_file(dir: &std::path::Path, name: &str, rows: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!("id,name,kind,standardized,status,year,lon,lat,county\n{rows}"),
    )
    .unwrap();
    path
}

#[test]
fn budget_command_writes_every_view() {
    let dir = tempfile::tempdir().unwrap();
    wxmod()
        .args(["plan", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let out = dir.path().join("budget");
    wxmod()
        .args(["budget", "--start-year", "2027", "--plan"])
        .arg(dir.path().join("plan.csv"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "equipment budget 2027–2035, 585 lines, 15314.75 万元 (153,147,500 元)",
        ))
        .stdout(predicate::str::contains(
            "  2035     272.00     1012.50    275.80   1560.30",
        ));
    for name in [
        "budget.md",
        "budget_lines.csv",
        "budget_summary.csv",
        "budget_counties.csv",
        "budget_ammunition.csv",
        "budget.xlsx",
        "budget_chart.png",
        "budget_chart.svg",
    ] {
        assert!(out.join(name).exists(), "{name}");
    }
    let mut wb: Xlsx<_> = calamine::open_workbook(out.join("budget.xlsx")).unwrap();
    let summary = wb.worksheet_range(xlsx::SHEETS[0]).unwrap();
    assert_eq!(summary.get_value((1, 4)), Some(&Data::Float(23_917_000.0)));

    let json = wxmod()
        .args([
            "budget",
            "--start-year",
            "2027",
            "--year",
            "2030",
            "--json",
            "--plan",
        ])
        .arg(dir.path().join("plan.csv"))
        .output()
        .unwrap();
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["years"][0]["year"], 2030);
    assert_eq!(v["years"][0]["total_yuan"], 16_077_000.0);
}

#[test]
fn bad_input_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let good = "R1,r,fixed_rocket,yes,existing,2019,112.47,39.22,140602\n";
    let plan = plan_file(dir.path(), "plan.csv", good);

    // An unknown kind in the plan.
    let bad = plan_file(
        dir.path(),
        "bad.csv",
        "R1,r,fixed_rocket,yes,existing,2019,112.47,39.22,140602\nS1,s,silo,yes,planned,2028,112.47,39.22,140602\n",
    );
    wxmod()
        .args(["budget", "--start-year", "2027", "--plan"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "line 3 (site S1): unknown kind 'silo'",
        ));

    // A negative price in the catalog.
    let text = std::fs::read_to_string(bundled_catalog_path()).unwrap();
    let catalog = dir.path().join("catalog.toml");
    std::fs::write(
        &catalog,
        text.replace("unit_cost_yuan = 2500", "unit_cost_yuan = -2500"),
    )
    .unwrap();
    wxmod()
        .args(["budget", "--start-year", "2027", "--plan"])
        .arg(&plan)
        .arg("--catalog")
        .arg(&catalog)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "[items.rocket] unit_cost_yuan must be >= 0",
        ));
    std::fs::write(
        &catalog,
        text.replace(
            "duty_allowance_yuan_per_person_year = 6000",
            "duty_allowance_yuan_per_person_year = -6000",
        ),
    )
    .unwrap();
    wxmod()
        .args(["budget", "--start-year", "2027", "--plan"])
        .arg(&plan)
        .arg("--catalog")
        .arg(&catalog)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "[recurring] duty_allowance_yuan_per_person_year must be >= 0, got -6000",
        ));

    // --year and --through together; a year before the first budget year.
    wxmod()
        .args(["budget", "--year", "2030", "--through", "2031", "--plan"])
        .arg(&plan)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--year 2030 and --through 2031 cannot be used together",
        ));
    wxmod()
        .args(["budget", "--start-year", "2027", "--year", "2026", "--plan"])
        .arg(&plan)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "year 2026 is before the first budget year 2027",
        ));

    // A missing plan file.
    let missing = dir.path().join("no_such_plan.csv");
    wxmod()
        .args(["budget", "--plan"])
        .arg(&missing)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("cannot read site file")
                .and(predicate::str::contains("no_such_plan.csv")),
        );

    // A site in the plan outside the region.
    let outside = plan_file(
        dir.path(),
        "outside.csv",
        "R9,r,fixed_rocket,yes,existing,2019,116.4,39.9,\n",
    );
    wxmod()
        .args(["budget", "--plan"])
        .arg(&outside)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "(site R9): (116.4, 39.9) lies outside the region",
        ));

    // Nothing was written by the refused runs.
    assert!(!dir.path().join("budget.md").exists());
}

/// The example network, located in the bundled region.
fn example_network() -> Vec<Site> {
    let path = crate::fixtures::example_network();
    let mut sites = wxmod::sites::read_sites(&path).unwrap();
    wxmod::sites::locate_in_region(&mut sites, &shuozhou(), &path).unwrap();
    sites
}

/// The example 2025 season (examples/ledger/season_2025.jsonl) replayed into a ledger.
fn season_ledger() -> wxmod::ledger::Ledger {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/ledger/season_2025.jsonl");
    let events: Vec<_> = wxmod::ledger::read_event_log(&path)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    let mut ledger = wxmod::ledger::Ledger::in_memory().unwrap();
    ledger.record_all(&events, 0, |_| {}).unwrap();
    ledger
}

#[test]
fn the_ledger_gives_history_per_county_and_kind_and_stock_by_lot() {
    use wxmod::budget::{HistoryWindow, facts_from_ledger};
    let sites = example_network();
    let counties = CountyRef::of_region(&shuozhou());
    let catalog = catalog();
    let facts = facts_from_ledger(
        &season_ledger(),
        &sites,
        &counties,
        &catalog,
        HistoryWindow::before(2027),
    )
    .unwrap();
    // 2025: SC-R01 fired 8 rockets (朔城区 has 2 rocket sites: 2 site-years), SC-G01 120 shells,
    // PL-B01 10 flares, SY-R01 12 rockets.
    let history: Vec<(&str, SiteKind, u32, i64)> = facts
        .use_history
        .iter()
        .map(|h| (h.county.as_str(), h.kind, h.site_years, h.rounds))
        .collect();
    assert_eq!(
        history,
        vec![
            ("140602", SiteKind::FixedRocket, 2, 8),
            ("140602", SiteKind::FixedGun, 1, 120),
            ("140603", SiteKind::Burner, 1, 10),
            ("140621", SiteKind::FixedRocket, 1, 12),
        ]
    );
    // Serviceable stock: the depots' lots belong to the city, the site's to its county.
    let mut stock: Vec<(String, Option<String>, i64, String)> = facts
        .stock_lots
        .iter()
        .map(|l| {
            (
                l.item.clone(),
                l.county.clone(),
                l.quantity,
                l.expires.to_string(),
            )
        })
        .collect();
    stock.sort();
    let s = |item: &str, county: Option<&str>, q: i64, d: &str| {
        (
            item.to_string(),
            county.map(str::to_string),
            q,
            d.to_string(),
        )
    };
    assert_eq!(
        stock,
        vec![
            s("flare", None, 110, "2026-05-09"),
            s("rocket", None, 80, "2030-02-28"),
            s("rocket", None, 200, "2030-02-28"),
            s("rocket", Some("140621"), 8, "2030-02-28"),
            s("shell_37mm", None, 480, "2027-02-28"),
        ]
    );
    assert!(facts.description.contains("firings of 2025"));

    // A history window ending before the season has no history.
    let none = facts_from_ledger(
        &season_ledger(),
        &sites,
        &counties,
        &catalog,
        HistoryWindow::before(2025),
    )
    .unwrap();
    assert!(none.use_history.is_empty());
}

#[test]
fn budget_command_reads_a_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::fixtures::season_2025_ledger(dir.path());
    let plan = crate::fixtures::example_network();
    let out = dir.path().join("out");
    wxmod()
        .args(["budget", "--start-year", "2027", "--year", "2027", "--plan"])
        .arg(&plan)
        .arg("--ledger")
        .arg(&db)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let md = std::fs::read_to_string(out.join("budget.md")).unwrap();
    assert!(md.contains("firings of 2025"), "the basis names the ledger");
    // 朔城区's gun site: 120 shells in 2025, one site-year; the city depot's 480 shells expire
    // on 2027-02-28, before the 2027 season, so they are scrapped and the 120 are bought.
    assert!(
        md.contains(
            "1 × fixed gun site × (120 rounds / 1 site-year in the ledger) = 120 (rounded up)"
        ),
        "{md}"
    );
    assert!(md.contains("lot SH37-2022-03@depot:SZ-D01 480 (expires 2027-02-28)"));

    wxmod()
        .args(["budget", "--plan"])
        .arg(&plan)
        .arg("--ledger")
        .arg(dir.path().join("missing.db"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no ledger at"));
}

/// Regression for issue #15 item 4: the budget stopped at 2035 while the rollout runs to 2037,
/// leaving planned points uncosted without a word. Now the budget names them, and
/// `through_covering` gives the year that costs the whole rollout.
#[test]
fn planned_sites_beyond_the_horizon_are_named_and_the_covering_horizon_costs_them() {
    let plan = shuozhou_plan();
    let b = shuozhou_budget();
    let late: Vec<&Site> = plan
        .sites
        .iter()
        .filter(|s| s.status == SiteStatus::Planned && s.year.is_some_and(|y| y > 2035))
        .collect();
    assert!(!late.is_empty(), "the rollout runs past 2035");
    assert_eq!(b.beyond_horizon.len(), late.len());
    assert!(
        b.notes
            .iter()
            .any(|n| n.contains("are built after 2035 and are not costed")),
        "{:?}",
        b.notes
    );
    let through = wxmod::budget::through_covering(&plan.sites, 2035);
    assert_eq!(Some(through), late.iter().filter_map(|s| s.year).max());
    let all = budget(&BudgetInputs {
        sites: &plan.sites,
        counties: &plan.counties,
        catalog: &catalog(),
        ledger: None,
        horizon: Horizon::new(2027, 2027, through).unwrap(),
    })
    .unwrap();
    assert!(all.beyond_horizon.is_empty());
    for s in late {
        assert!(
            all.lines
                .iter()
                .any(|l| l.item == LineItem::NewSite(s.kind) && l.explanation.contains(&s.id)),
            "{} is costed",
            s.id
        );
    }
}

/// Regression for issue #15 item 4: a site marked not standardized (SC-R02 of the example
/// network) was costed as an "operating standardized fixed rocket site".
#[test]
fn sites_are_labelled_by_their_standardization() {
    let path = crate::fixtures::example_network();
    let region = shuozhou();
    let mut sites = wxmod::sites::read_sites(&path).unwrap();
    wxmod::sites::locate_in_region(&mut sites, &region, &path).unwrap();
    let sc_r02 = sites.iter().find(|s| s.id == "SC-R02").unwrap();
    assert!(!sc_r02.standardized);
    let b = budget(&BudgetInputs {
        sites: &sites,
        counties: &CountyRef::of_region(&region),
        catalog: &catalog(),
        ledger: None,
        horizon: Horizon::new(2027, 2027, 2027).unwrap(),
    })
    .unwrap();
    let upkeep = b
        .lines
        .iter()
        .find(|l| {
            l.item == LineItem::Upkeep(SiteKind::FixedRocket) && l.explanation.contains("SC-R02")
        })
        .unwrap();
    let group = upkeep
        .explanation
        .split("; ")
        .find(|g| g.contains("SC-R02"))
        .unwrap();
    assert!(
        group.contains("fixed rocket site (not standardized)"),
        "{group}"
    );
    assert!(!group.contains("standardized fixed rocket site"), "{group}");
}
