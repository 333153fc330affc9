//! A province run gives each city its best radar site: on Shuozhou split into two "cities"
//! (its counties re-coded), each city's site stands in the city and no other eligible
//! candidate inside the city covers more of the city's land, recomputed here from every
//! candidate's own covered points (not from the study's shares by county).

use geo::{Contains, Point};
use wxmod::ops::radar::in_run::best_per_city;
use wxmod::radar::{
    Detail, LocalFrame, RadarInputs, RadarRequest, RadarSite, covered_land, scan_with, study,
};
use wxmod::region::read_landmarks;

use super::bundled_dem;
use crate::fixtures::shuozhou;

#[test]
fn each_city_gets_the_eligible_site_inside_it_that_covers_most_of_its_land() {
    let mut region = shuozhou();
    // Counties 0..3 in city 149900, the rest in 149800 (codes no bundled city uses).
    for (i, c) in region.counties.iter_mut().enumerate() {
        c.id = format!("{}{:02}", if i < 3 { "1499" } else { "1498" }, i + 1);
    }
    let dem = bundled_dem();
    let landmarks = read_landmarks(region.files.landmarks.as_ref().unwrap()).unwrap();
    let inputs = RadarInputs {
        region: &region,
        dem: &dem,
        dem_name: "dem_30s.asc",
        zones: None,
        landmarks: &landmarks,
    };
    let mut request = RadarRequest::default();
    request.rules.lattice_m = 12_000.0;
    let result = study(&inputs, &request).unwrap();
    let per_city = best_per_city(&region, &result);
    assert_eq!(per_city.len(), 2);
    assert_eq!(per_city[0].adcode, "149900");
    assert_eq!(per_city[1].adcode, "149800");
    for (k, city) in per_city.iter().enumerate() {
        let counties: Vec<usize> = if k == 0 {
            (0..3).collect()
        } else {
            (3..region.counties.len()).collect()
        };
        let in_city = |lon: f64, lat: f64| {
            counties
                .iter()
                .any(|&c| region.counties[c].lonlat.contains(&Point::new(lon, lat)))
        };
        let land: f64 = result
            .land
            .points
            .iter()
            .filter(|p| counties.contains(&p.county))
            .map(|p| p.area_km2)
            .sum();
        assert!((city.land_km2 - land).abs() < 1e-6 * land);
        // Brute force: every eligible candidate in the city, its covered city land.
        let mut best = (String::new(), -1.0);
        for row in result.rows.iter().filter(|r| r.eligible()) {
            if !in_city(row.site.lon, row.site.lat) {
                continue;
            }
            let site = RadarSite {
                id: row.site.id.clone(),
                lon: row.site.lon,
                lat: row.site.lat,
            };
            let polar = scan_with(&dem, &request.config, &site, Detail::CbbOnly).unwrap();
            let frame = LocalFrame::at(&region, site.lon, site.lat).unwrap();
            let covered = covered_land(&polar, &frame, &result.land, &request.config);
            let km2: f64 = covered
                .low
                .iter()
                .filter(|&i| counties.contains(&result.land.points[i].county))
                .map(|i| result.land.points[i].area_km2)
                .sum();
            if km2 > best.1 + 1e-6 {
                best = (site.id, km2);
            }
        }
        let chosen = city
            .best_site
            .as_ref()
            .expect("a city with eligible candidates");
        assert!(
            in_city(chosen.lon, chosen.lat),
            "{} stands in its city",
            chosen.id
        );
        assert!(
            (city.city_coverage_1km_agl_share * land - best.1).abs() < 1e-6 * land,
            "{}: {} vs brute force {} ({})",
            city.city,
            city.city_coverage_1km_agl_share * land,
            best.1,
            best.0
        );
        assert!(city.city_coverage_1km_agl_share > 0.0);
    }
}
