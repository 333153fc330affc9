//! The budget as an .xlsx workbook (rust_xlsxwriter), one sheet per view:
//!
//! | sheet | content |
//! |---|---|
//! | `汇总 Summary` | per year: each category and the total in 元, then in 万元; a total row; a native stacked-column chart |
//! | `明细 Lines` | every line with quantity, unit price, amount in 元 and 万元, source, \[A\] flag, explanation |
//! | `分县 Counties` | per county (and the city level): each year in 万元, the total in 万元 and 元 |
//! | `弹药 Ammunition` | the ammunition forecast, figure by figure |
//! | `假设 Assumptions` | the assumed catalog numbers used, the basis and the notes |
//!
//! Row 1 of every sheet holds bilingual headers (`中文 / English`); numbers are numeric cells
//! (yuan and 万元 as `f64`, exact for budgets below 10^13 fen), so a finance bureau can sum
//! them. Cost: one pass over the lines; the Shuozhou budget writes in milliseconds.

use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, Workbook, Worksheet};

use crate::budget::{Budget, Category};

/// The sheet names, in order.
pub const SHEETS: [&str; 5] = [
    "汇总 Summary",
    "明细 Lines",
    "分县 Counties",
    "弹药 Ammunition",
    "假设 Assumptions",
];

/// A workbook that could not be built.
#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    /// rust_xlsxwriter refused a cell, a sheet or the file.
    #[error("cannot build the budget workbook: {0}")]
    Build(#[from] rust_xlsxwriter::XlsxError),
}

struct Formats {
    header: Format,
    money: Format,
    bold_money: Format,
    int: Format,
    text: Format,
}

/// The workbook as bytes; `title` names the region and the plan.
pub fn workbook(budget: &Budget, title: &str) -> Result<Vec<u8>, XlsxError> {
    let f = Formats {
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color("#DDEBF7"),
        money: Format::new().set_num_format("#,##0.00"),
        bold_money: Format::new().set_bold().set_num_format("#,##0.00"),
        int: Format::new().set_num_format("0"),
        text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
    };
    let mut wb = Workbook::new();
    wb.push_worksheet(summary(budget, title, &f)?);
    wb.push_worksheet(lines(budget, &f)?);
    wb.push_worksheet(counties(budget, &f)?);
    wb.push_worksheet(ammunition(budget, &f)?);
    wb.push_worksheet(assumptions(budget, title, &f)?);
    Ok(wb.save_to_buffer()?)
}

/// Excel's limit on the characters of one cell.
pub const CELL_CHARS: usize = 32_767;

/// The text of one cell: as it is, or, beyond Excel's limit (a national plan's radar line
/// lists thousands of sites), cut with a note saying where the whole text is.
fn fit_cell<'a>(text: &'a str, whole_in: &str) -> std::borrow::Cow<'a, str> {
    if text.chars().count() <= CELL_CHARS {
        return text.into();
    }
    let note = format!(
        " … (cut at Excel's {CELL_CHARS}-character cell limit; the whole text is in {whole_in})"
    );
    let keep = CELL_CHARS - note.chars().count();
    let cut: String = text.chars().take(keep).collect();
    format!("{cut}{note}").into()
}

fn headers(ws: &mut Worksheet, names: &[String], f: &Formats) -> Result<(), XlsxError> {
    for (c, name) in names.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, name, &f.header)?;
        ws.set_column_width(c as u16, 14)?;
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn summary(budget: &Budget, title: &str, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(SHEETS[0])?;
    let mut names = vec!["年度 / Year".to_string()];
    for unit in ["元", "万元"] {
        for c in Category::ALL {
            names.push(format!("{}({unit}) / {}", c.zh(), c.en()));
        }
        names.push(format!("合计({unit}) / Total"));
    }
    headers(&mut ws, &names, f)?;
    let by_year = budget.by_year();
    let mut row = 1u32;
    for y in &by_year {
        ws.write_number_with_format(row, 0, y.year as f64, &f.int)?;
        for (i, a) in y.by_category.iter().chain([&y.total]).enumerate() {
            ws.write_number_with_format(row, 1 + i as u16, a.yuan(), &f.money)?;
            ws.write_number_with_format(row, 5 + i as u16, a.wan(), &f.money)?;
        }
        row += 1;
    }
    ws.write_string_with_format(row, 0, "合计 / Total", &f.header)?;
    for i in 0..3 {
        let sum: crate::units::Yuan = by_year.iter().map(|y| y.by_category[i]).sum();
        ws.write_number_with_format(row, 1 + i as u16, sum.yuan(), &f.bold_money)?;
        ws.write_number_with_format(row, 5 + i as u16, sum.wan(), &f.bold_money)?;
    }
    ws.write_number_with_format(row, 4, budget.total().yuan(), &f.bold_money)?;
    ws.write_number_with_format(row, 8, budget.total().wan(), &f.bold_money)?;
    ws.write_string(
        row + 2,
        0,
        format!("装备经费预算 Equipment budget — {title}"),
    )?;
    ws.write_string(row + 3, 0, fit_cell(&budget.basis, "budget.md"))?;

    if !by_year.is_empty() {
        let last = by_year.len() as u32;
        let mut chart = Chart::new(ChartType::ColumnStacked);
        for (i, c) in Category::ALL.iter().enumerate() {
            let col = 5 + i as u16;
            chart
                .add_series()
                .set_categories((SHEETS[0], 1, 0, last, 0))
                .set_values((SHEETS[0], 1, col, last, col))
                .set_name(&c.label());
        }
        chart.title().set_name("年度预算 Budget by year (万元)");
        chart.y_axis().set_name("万元 / 10,000 RMB");
        ws.insert_chart(row + 5, 0, &chart)?;
    }
    Ok(ws)
}

fn lines(budget: &Budget, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(SHEETS[1])?;
    let names: Vec<String> = [
        "年度 / Year",
        "区县代码 / County id",
        "区县 / County",
        "类别 / Category",
        "项目代码 / Item key",
        "项目 / Item",
        "Item",
        "数量 / Quantity",
        "单位 / Unit",
        "单价(元) / Unit price",
        "金额(元) / Amount",
        "金额(万元) / Amount",
        "价格来源 / Price source",
        "假定价格 / Assumed [A]",
        "说明 / Explanation",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    headers(&mut ws, &names, f)?;
    for (i, l) in budget.lines.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_number_with_format(r, 0, l.year as f64, &f.int)?;
        ws.write_string(r, 1, l.county.as_deref().unwrap_or(""))?;
        ws.write_string(r, 2, budget.county_name(l.county.as_deref()))?;
        ws.write_string(r, 3, l.category.label())?;
        ws.write_string(r, 4, l.item.key())?;
        ws.write_string(r, 5, &l.item_zh)?;
        ws.write_string(r, 6, &l.item_en)?;
        ws.write_number_with_format(r, 7, l.quantity as f64, &f.int)?;
        ws.write_string(r, 8, format!("{} / {}", l.unit_zh, l.unit_en))?;
        ws.write_number_with_format(r, 9, l.unit_price.yuan(), &f.money)?;
        ws.write_number_with_format(r, 10, l.amount.yuan(), &f.money)?;
        ws.write_number_with_format(r, 11, l.amount.wan(), &f.money)?;
        ws.write_string(r, 12, &l.price_source)?;
        ws.write_string(r, 13, if l.assumed { "[A]" } else { "" })?;
        ws.write_string_with_format(r, 14, fit_cell(&l.explanation, "budget_lines.csv"), &f.text)?;
    }
    let last = budget.lines.len() as u32;
    if last > 0 {
        ws.autofilter(0, 0, last, 14)?;
    }
    ws.set_column_width(5, 24)?;
    ws.set_column_width(6, 30)?;
    ws.set_column_width(12, 30)?;
    ws.set_column_width(14, 80)?;
    Ok(ws)
}

fn counties(budget: &Budget, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(SHEETS[2])?;
    let mut names = vec![
        "区县代码 / County id".to_string(),
        "区县 / County".to_string(),
    ];
    names.extend(budget.horizon.years().map(|y| format!("{y} (万元)")));
    names.push("合计(万元) / Total".into());
    names.push("合计(元) / Total".into());
    headers(&mut ws, &names, f)?;
    let rows = budget.by_county();
    for (i, c) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, c.county.as_deref().unwrap_or(""))?;
        ws.write_string(r, 1, &c.name)?;
        for (j, a) in c.by_year.iter().enumerate() {
            ws.write_number_with_format(r, 2 + j as u16, a.wan(), &f.money)?;
        }
        let n = c.by_year.len() as u16;
        ws.write_number_with_format(r, 2 + n, c.total.wan(), &f.bold_money)?;
        ws.write_number_with_format(r, 3 + n, c.total.yuan(), &f.bold_money)?;
    }
    let r = 1 + rows.len() as u32;
    ws.write_string_with_format(r, 1, "合计 / Total", &f.header)?;
    for (j, y) in budget.by_year().iter().enumerate() {
        ws.write_number_with_format(r, 2 + j as u16, y.total.wan(), &f.bold_money)?;
    }
    let n = budget.horizon.years().count() as u16;
    ws.write_number_with_format(r, 2 + n, budget.total().wan(), &f.bold_money)?;
    ws.write_number_with_format(r, 3 + n, budget.total().yuan(), &f.bold_money)?;
    ws.set_column_width(1, 18)?;
    Ok(ws)
}

fn ammunition(budget: &Budget, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(SHEETS[3])?;
    let scope = budget.scope();
    let from_depot = format!("{}调拨 / From {}", scope.depot_zh(), scope.depot_en());
    let names: Vec<String> = [
        "年度 / Year",
        "区县代码 / County id",
        "区县 / County",
        "弹药 / Item",
        "弹药名称 / Item (zh)",
        "作业点 / Sites",
        "预计用量 / Expected use",
        "可用库存 / Usable stock",
        "本县库存动用 / Drawn (own)",
        from_depot.as_str(),
        "过期报废 / Expired",
        "采购 / Purchase",
        "说明 / Explanation",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    headers(&mut ws, &names, f)?;
    for (i, a) in budget.ammunition.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_number_with_format(r, 0, a.year as f64, &f.int)?;
        ws.write_string(r, 1, a.county.as_deref().unwrap_or(""))?;
        ws.write_string(r, 2, budget.county_name(a.county.as_deref()))?;
        ws.write_string(r, 3, &a.item)?;
        ws.write_string(r, 4, &a.item_zh)?;
        for (j, v) in [
            i64::from(a.sites),
            a.expected_use,
            a.usable_stock,
            a.drawn_own,
            a.drawn_city,
            a.expired,
            a.purchase,
        ]
        .into_iter()
        .enumerate()
        {
            ws.write_number_with_format(r, 5 + j as u16, v as f64, &f.int)?;
        }
        ws.write_string_with_format(
            r,
            12,
            fit_cell(&a.explanation, "budget_ammunition.csv"),
            &f.text,
        )?;
    }
    ws.set_column_width(12, 90)?;
    Ok(ws)
}

fn assumptions(budget: &Budget, title: &str, f: &Formats) -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(SHEETS[4])?;
    let names: Vec<String> = ["参数 / Catalog key", "取值 / Value", "来源 / Source"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    headers(&mut ws, &names, f)?;
    let mut r = 1u32;
    for a in &budget.assumptions {
        ws.write_string(r, 0, &a.key)?;
        ws.write_string(r, 1, &a.value)?;
        ws.write_string(r, 2, &a.source)?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, "说明 / Notes", &f.header)?;
    r += 1;
    ws.write_string(r, 0, format!("装备经费预算 Equipment budget — {title}"))?;
    r += 1;
    ws.write_string(r, 0, fit_cell(&budget.basis, "budget.md"))?;
    for n in &budget.notes {
        r += 1;
        ws.write_string(r, 0, fit_cell(n, "budget.md"))?;
    }
    ws.set_column_width(0, 48)?;
    ws.set_column_width(2, 80)?;
    Ok(ws)
}
