//! The budget as CSV tables (UTF-8, bilingual headers): lines, the summary by year and
//! category, totals per county and year, and the ammunition forecast. Amounts are written in
//! yuan with two decimals and in 万元 with six (exact to the fen).

use crate::budget::{Budget, Category};
use crate::units::Yuan;

fn table(header: &[String], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("invariant: in-memory CSV");
    for row in rows {
        w.write_record(&row).expect("invariant: in-memory CSV");
    }
    String::from_utf8(w.into_inner().expect("invariant: in-memory CSV")).expect("invariant: UTF-8")
}

fn yuan(a: Yuan) -> String {
    format!("{:.2}", a.yuan())
}

fn wan(a: Yuan) -> String {
    format!("{:.6}", a.wan())
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Every line: `budget_lines.csv`.
pub fn lines(budget: &Budget) -> String {
    let header = strings(&[
        "年度 / year",
        "区县代码 / county_id",
        "区县 / county",
        "类别 / category",
        "项目代码 / item_key",
        "项目 / item_zh",
        "项目 / item_en",
        "数量 / quantity",
        "单位 / unit",
        "单价(元) / unit_price_yuan",
        "金额(元) / amount_yuan",
        "金额(万元) / amount_wan",
        "价格来源 / price_source",
        "假定价格 / assumed_price",
        "说明 / explanation",
    ]);
    let rows = budget.lines.iter().map(|l| {
        vec![
            l.year.to_string(),
            l.county.clone().unwrap_or_default(),
            budget.county_name(l.county.as_deref()),
            l.category.label(),
            l.item.key(),
            l.item_zh.clone(),
            l.item_en.clone(),
            l.quantity.to_string(),
            format!("{} / {}", l.unit_zh, l.unit_en),
            yuan(l.unit_price),
            yuan(l.amount),
            wan(l.amount),
            l.price_source.clone(),
            if l.assumed { "yes" } else { "no" }.to_string(),
            l.explanation.clone(),
        ]
    });
    table(&header, rows)
}

/// Totals per year and category, then the whole horizon: `budget_summary.csv`.
pub fn summary(budget: &Budget) -> String {
    let mut header = vec!["年度 / year".to_string()];
    for c in Category::ALL {
        header.push(format!(
            "{}(元) / {}_yuan",
            c.zh(),
            c.en().to_lowercase().replace(' ', "_")
        ));
    }
    header.push("合计(元) / total_yuan".into());
    header.push("合计(万元) / total_wan".into());
    let by_year = budget.by_year();
    let mut rows: Vec<Vec<String>> = by_year
        .iter()
        .map(|y| {
            let mut row = vec![y.year.to_string()];
            row.extend(y.by_category.iter().map(|a| yuan(*a)));
            row.push(yuan(y.total));
            row.push(wan(y.total));
            row
        })
        .collect();
    let mut total = vec!["合计 / total".to_string()];
    for i in 0..Category::ALL.len() {
        total.push(yuan(by_year.iter().map(|y| y.by_category[i]).sum()));
    }
    total.push(yuan(budget.total()));
    total.push(wan(budget.total()));
    rows.push(total);
    table(&header, rows)
}

/// Totals per county and year: `budget_counties.csv`.
pub fn counties(budget: &Budget) -> String {
    let mut header = strings(&["区县代码 / county_id", "区县 / county"]);
    header.extend(
        budget
            .horizon
            .years()
            .map(|y| format!("{y}(元) / {y}_yuan")),
    );
    header.push("合计(元) / total_yuan".into());
    header.push("合计(万元) / total_wan".into());
    let rows = budget.by_county().into_iter().map(|c| {
        let mut row = vec![c.county.clone().unwrap_or_default(), c.name.clone()];
        row.extend(c.by_year.iter().map(|a| yuan(*a)));
        row.push(yuan(c.total));
        row.push(wan(c.total));
        row
    });
    table(&header, rows)
}

/// The ammunition forecast: `budget_ammunition.csv`.
pub fn ammunition(budget: &Budget) -> String {
    let drawn_central = format!("{}调拨 / drawn_city", budget.scope().depot_zh());
    let header = strings(&[
        "年度 / year",
        "区县代码 / county_id",
        "区县 / county",
        "弹药 / item",
        "弹药名称 / item_zh",
        "作业点 / sites",
        "预计用量 / expected_use",
        "可用库存 / usable_stock",
        "本县库存动用 / drawn_own",
        &drawn_central,
        "过期报废 / expired",
        "采购 / purchase",
        "说明 / explanation",
    ]);
    let rows = budget.ammunition.iter().map(|r| {
        vec![
            r.year.to_string(),
            r.county.clone().unwrap_or_default(),
            budget.county_name(r.county.as_deref()),
            r.item.clone(),
            r.item_zh.clone(),
            r.sites.to_string(),
            r.expected_use.to_string(),
            r.usable_stock.to_string(),
            r.drawn_own.to_string(),
            r.drawn_city.to_string(),
            r.expired.to_string(),
            r.purchase.to_string(),
            r.explanation.clone(),
        ]
    });
    table(&header, rows)
}
