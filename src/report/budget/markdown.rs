//! The budget report in Markdown (年度装备经费预算报告): summary by year and category, totals
//! per county, every line with its explanation, the ammunition forecast, the assumed numbers.

use std::fmt::Write;

use super::{wan_text, yuan_text};
use crate::budget::{Budget, Category};

/// Escapes a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The whole report; `title` names the region and the plan file.
pub fn budget_report(budget: &Budget, title: &str) -> String {
    let mut md = budget_overview(budget, title);
    lines_and_forecast(&mut md, budget);
    md
}

/// The head of the report: the total, the summary by year and category and the totals per
/// county (what `index.html` shows; the lines and the forecast stay in `budget.md`).
pub fn budget_overview(budget: &Budget, title: &str) -> String {
    let mut md = String::new();
    let h = &budget.horizon;
    let years = if h.from == h.through {
        h.from.to_string()
    } else {
        format!("{}–{}", h.from, h.through)
    };
    let _ = writeln!(md, "# Equipment budget 装备经费预算 — {title}, {years}\n");
    let _ = writeln!(
        md,
        "Total 合计: **{} 元 = {} 万元** over {} lines. Every line is quantity × a unit price of the catalog; lines with an assumed price are marked [A]. {}.\n",
        yuan_text(budget.total()),
        wan_text(budget.total()),
        budget.lines.len(),
        capitalise(&budget.basis)
    );

    let _ = writeln!(md, "## By year and category 分年度分类汇总 (万元)\n");
    let _ = write!(md, "| 年度 / Year |");
    for c in Category::ALL {
        let _ = write!(md, " {} |", c.label());
    }
    let _ = writeln!(md, " 合计 / Total | 合计 / Total (元) |");
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|");
    let by_year = budget.by_year();
    for y in &by_year {
        let _ = write!(md, "| {} |", y.year);
        for a in y.by_category {
            let _ = write!(md, " {} |", wan_text(a));
        }
        let _ = writeln!(md, " **{}** | {} |", wan_text(y.total), yuan_text(y.total));
    }
    let _ = write!(md, "| **合计 / Total** |");
    for (i, _) in Category::ALL.iter().enumerate() {
        let sum = by_year.iter().map(|y| y.by_category[i]).sum();
        let _ = write!(md, " **{}** |", wan_text(sum));
    }
    let _ = writeln!(
        md,
        " **{}** | **{}** |",
        wan_text(budget.total()),
        yuan_text(budget.total())
    );

    let _ = writeln!(md, "\n## By county 分县汇总 (万元)\n");
    let _ = write!(md, "| 区县 / County |");
    for y in h.years() {
        let _ = write!(md, " {y} |");
    }
    let _ = writeln!(md, " 合计 / Total |");
    let _ = writeln!(md, "|---|{}---:|", "---:|".repeat(by_year.len()));
    for c in budget.by_county() {
        let _ = write!(md, "| {} |", c.name);
        for a in &c.by_year {
            let _ = write!(md, " {} |", wan_text(*a));
        }
        let _ = writeln!(md, " **{}** |", wan_text(c.total));
    }
    md
}

/// The lines, the ammunition forecast, the assumed numbers and the notes.
fn lines_and_forecast(md: &mut String, budget: &Budget) {
    let _ = writeln!(md, "\n## Lines 预算明细\n");
    let _ = writeln!(
        md,
        "| 年度 / Year | 区县 / County | 类别 / Category | 项目 / Item | 数量 / Qty | 单位 / Unit | 单价 / Unit price (元) | 金额 / Amount (元) | 金额 / Amount (万元) | 说明 / Explanation |"
    );
    let _ = writeln!(md, "|---|---|---|---|---:|---|---:|---:|---:|---|");
    for l in &budget.lines {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} / {} | {} | {} / {} | {}{} | {} | {} | {} |",
            l.year,
            budget.county_name(l.county.as_deref()),
            l.category.zh(),
            l.item_zh,
            l.item_en,
            l.quantity,
            l.unit_zh,
            l.unit_en,
            yuan_text(l.unit_price),
            if l.assumed { " [A]" } else { "" },
            yuan_text(l.amount),
            wan_text(l.amount),
            cell(&l.explanation)
        );
    }

    let _ = writeln!(md, "\n## Ammunition purchase forecast 弹药采购预测\n");
    let _ = writeln!(
        md,
        "Purchase = expected use − usable stock drawn (the county's own lots first, then its share of the {}); lots that expire before use are scrapped (L29) and do not count, so the purchase replaces them. Never negative.\n",
        budget.scope().depot_en()
    );
    if budget.ammunition.is_empty() {
        let _ = writeln!(md, "No operating site uses ammunition in these years.");
    } else {
        let _ = writeln!(
            md,
            "| 年度 / Year | 区县 / County | 弹药 / Item | 作业点 / Sites | 预计用量 / Expected use | 可用库存 / Usable stock | 本县库存动用 / Drawn (own) | {}调拨 / From {} | 过期报废 / Expired | 采购 / Purchase | 说明 / Explanation |",
            budget.scope().depot_zh(),
            budget.scope().depot_en()
        );
        let _ = writeln!(md, "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for r in &budget.ammunition {
            let _ = writeln!(
                md,
                "| {} | {} | {} {} | {} | {} | {} | {} | {} | {} | **{}** | {} |",
                r.year,
                budget.county_name(r.county.as_deref()),
                r.item_zh,
                r.item,
                r.sites,
                r.expected_use,
                r.usable_stock,
                r.drawn_own,
                r.drawn_city,
                r.expired,
                r.purchase,
                cell(&r.explanation)
            );
        }
    }

    if !budget.assumptions.is_empty() {
        let _ = writeln!(
            md,
            "\n## Assumed numbers 假定参数 (from the catalog; check and replace)\n"
        );
        for a in &budget.assumptions {
            let _ = writeln!(md, "- `{}` = {}: {}", a.key, a.value, a.source);
        }
    }
    if !budget.notes.is_empty() {
        let _ = writeln!(md, "\n## Notes 说明\n");
        for n in &budget.notes {
            let _ = writeln!(md, "- {n}");
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
