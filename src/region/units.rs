//! The administrative units above the counties of a region (上级行政区): prefecture-level
//! cities and provinces, found from the counties' six-digit adcodes (GB/T 2260: digits 1-2
//! the province, 1-4 the city), so that a province run can map per city and a national run
//! per province.
//!
//! Names come from the bundled Shanxi regions and the table of provincial-level divisions
//! below (GB/T 2260); a unit without a known name is called by its code. Counties whose id is
//! not a six-digit code belong to no unit. Cost: one pass over the counties.

use super::{BUNDLED, Region};

/// Which level of unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitLevel {
    /// Prefecture-level city (地级市): adcode digits 1-4.
    City,
    /// Provincial-level division (省级): adcode digits 1-2.
    Province,
}

/// One unit and its counties.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminUnit {
    /// The unit's adcode, e.g. `140200` or `140000`.
    pub adcode: String,
    /// Its Chinese name, or its code when unknown.
    pub name: String,
    /// Indices of its counties in the region, in region order.
    pub counties: Vec<usize>,
}

/// Provincial-level divisions of China (GB/T 2260).
const PROVINCES: [(&str, &str); 34] = [
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
    ("71", "台湾省"),
    ("81", "香港特别行政区"),
    ("82", "澳门特别行政区"),
];

/// The unit code of a county id at a level, when the id is a six-digit adcode.
fn unit_code(county_id: &str, level: UnitLevel) -> Option<String> {
    if county_id.len() != 6 || !county_id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match level {
        UnitLevel::City => format!("{}00", &county_id[..4]),
        UnitLevel::Province => format!("{}0000", &county_id[..2]),
    })
}

fn unit_name(code: &str, level: UnitLevel) -> String {
    let known = match level {
        UnitLevel::City => BUNDLED.iter().find(|b| b.adcode == code).map(|b| b.name),
        UnitLevel::Province => PROVINCES
            .iter()
            .find(|(p, _)| code.starts_with(p))
            .map(|(_, name)| *name),
    };
    known.map_or_else(|| code.to_string(), str::to_string)
}

/// The units of a region at a level, in the order of their first county.
///
/// # Examples
/// ```
/// use wxmod::region::{Region, UnitLevel, admin_units, bundled_region_dir};
/// let shuozhou = Region::load(&bundled_region_dir(), None).unwrap();
/// let cities = admin_units(&shuozhou, UnitLevel::City);
/// assert_eq!(cities.len(), 1);
/// assert_eq!(cities[0].name, "朔州市");
/// ```
pub fn admin_units(region: &Region, level: UnitLevel) -> Vec<AdminUnit> {
    admin_units_of(region.counties.iter().map(|c| c.id.as_str()), level)
}

/// The units at a level of counties given by their ids (adcodes), in the order of their
/// first county; `counties` of each unit index into `county_ids`. Ids that are not six-digit
/// adcodes belong to no unit.
pub fn admin_units_of<'a>(
    county_ids: impl IntoIterator<Item = &'a str>,
    level: UnitLevel,
) -> Vec<AdminUnit> {
    let mut units: Vec<AdminUnit> = Vec::new();
    for (index, id) in county_ids.into_iter().enumerate() {
        let Some(code) = unit_code(id, level) else {
            continue;
        };
        match units.iter_mut().find(|u| u.adcode == code) {
            Some(unit) => unit.counties.push(index),
            None => units.push(AdminUnit {
                name: unit_name(&code, level),
                adcode: code,
                counties: vec![index],
            }),
        }
    }
    units
}

/// What a region is, for the words of maps and reports: one city (市), one province (省), or
/// a region spanning several provinces (a national run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionScope {
    /// One prefecture-level city.
    City,
    /// One province, or several cities of one.
    Province,
    /// Counties of several provinces.
    Country,
}

impl RegionScope {
    /// The scope of a region: several provinces make a country, a province-level region or
    /// several cities a province, anything else a city.
    pub fn of(region: &Region) -> RegionScope {
        let scope = RegionScope::of_counties(region.counties.iter().map(|c| c.id.as_str()));
        if scope == RegionScope::City && region.level == super::RegionLevel::Province {
            RegionScope::Province
        } else {
            scope
        }
    }

    /// The scope of counties given by their ids (adcodes) alone.
    pub fn of_counties<'a>(county_ids: impl IntoIterator<Item = &'a str> + Clone) -> RegionScope {
        if admin_units_of(county_ids.clone(), UnitLevel::Province).len() > 1 {
            RegionScope::Country
        } else if admin_units_of(county_ids, UnitLevel::City).len() > 1 {
            RegionScope::Province
        } else {
            RegionScope::City
        }
    }

    /// The whole region in a table's total row, e.g. `**Province 全省**`.
    pub fn total_label(self) -> &'static str {
        match self {
            RegionScope::City => "City 全市",
            RegionScope::Province => "Province 全省",
            RegionScope::Country => "Region 全区域",
        }
    }

    /// The region level in a budget's county column: 市级 City, 省级 Province or 区域级 Region.
    pub fn level_label(self) -> &'static str {
        match self {
            RegionScope::City => "市级 City",
            RegionScope::Province => "省级 Province",
            RegionScope::Country => "区域级 Region",
        }
    }

    /// The whole region in Chinese: 全市, 全省 or 全区域.
    pub fn chinese_whole(self) -> &'static str {
        match self {
            RegionScope::City => "全市",
            RegionScope::Province => "全省",
            RegionScope::Country => "全区域",
        }
    }

    /// The whole region in English: "the city", "the province" or "the region".
    pub fn english_whole(self) -> &'static str {
        match self {
            RegionScope::City => "the city",
            RegionScope::Province => "the province",
            RegionScope::Country => "the region",
        }
    }

    /// Where the region keeps ammunition outside the counties' own stores, in English: the
    /// city depot of a city; the central depots (of the province or its cities) otherwise.
    pub fn depot_en(self) -> &'static str {
        match self {
            RegionScope::City => "city depot",
            RegionScope::Province | RegionScope::Country => "central depots",
        }
    }

    /// [`RegionScope::depot_en`] in Chinese: 市库 or 集中库.
    pub fn depot_zh(self) -> &'static str {
        match self {
            RegionScope::City => "市库",
            RegionScope::Province | RegionScope::Country => "集中库",
        }
    }

    /// The region's outline on a map: 市界, 省界 or 区域界, with its English gloss.
    pub fn boundary_label(self) -> &'static str {
        match self {
            RegionScope::City => "市界 city boundary",
            RegionScope::Province => "省界 province boundary",
            RegionScope::Country => "区域界 region boundary",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_adcode_digits() {
        assert_eq!(
            unit_code("140602", UnitLevel::City).as_deref(),
            Some("140600")
        );
        assert_eq!(
            unit_code("140602", UnitLevel::Province).as_deref(),
            Some("140000")
        );
        assert_eq!(unit_code("A1", UnitLevel::City), None);
        assert_eq!(unit_name("650000", UnitLevel::Province), "新疆维吾尔自治区");
        assert_eq!(unit_name("140200", UnitLevel::City), "大同市");
        assert_eq!(unit_name("130100", UnitLevel::City), "130100");
    }
}
