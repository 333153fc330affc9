//! Benchmarks of the covering solver on real instances: the shared Shuozhou instances (143 demand points,
//! 2,656 candidates), a province-sized Shanxi instance made the same way (about 1,700 demand points and
//! 39,000 candidates), the shared shanxi_r10 and large_r7 (10,366 × 62,497, R 7 km: the edge-cover case)
//! instances. Before timing, prints objective, bound, gap and time of one solve per instance, and the value
//! and iterations of shanxi_r10's LP relaxation (timed too: the dual simplex alone, about 3,000 iterations).
//!
//! Run: `cargo bench --bench cover` (the Shanxi solves take a few seconds each).

#[allow(dead_code)] // write_csv is for examples/cover_instance.rs
#[path = "common/cover_instances.rs"]
mod cover_instances;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use wxmod::solver::{
    CoverInstance, LpMethod, SolveOptions, greedy_lscp, greedy_mclp, lscp_lp_relaxation,
    lscp_lp_relaxation_by, solve_lscp, solve_mclp,
};
use wxmod::units::Metres;

fn shared(name: &str, radius_km: u32) -> CoverInstance {
    let dir = cover_instances::shared_bench(name);
    CoverInstance::from_csv(
        &dir.join("demand.csv"),
        &dir.join("candidates.csv"),
        Metres::from_km(radius_km as f64),
    )
    .expect("the shared instance reads")
}

fn shuozhou(radius_km: u32) -> CoverInstance {
    shared(&format!("shuozhou_r{radius_km}"), radius_km)
}

fn shanxi(radius_km: u32) -> CoverInstance {
    let made = cover_instances::grid_instance(
        &cover_instances::shared_data("shanxi_counties_wgs84.geojson"),
        10_000.0,
        2_000.0,
    );
    CoverInstance::new(
        made.demand,
        made.candidates,
        Metres::from_km(radius_km as f64),
    )
    .expect("the Shanxi instance builds")
}

/// Province runs stop at a 2 % gap (the target) or after 10 s.
fn province_options() -> SolveOptions {
    SolveOptions {
        gap_limit: 0.02,
        ..SolveOptions::default()
    }
}

fn report(name: &str, instance: &CoverInstance, p: Option<usize>, options: &SolveOptions) {
    let (n, m, pairs) = (
        instance.demand().len(),
        instance.candidates().len(),
        instance.coverage_pairs(),
    );
    match p {
        None => {
            let s = solve_lscp(instance, options).expect("solvable");
            eprintln!(
                "{name} LSCP ({n} demand, {m} candidates, {pairs} pairs): {} sites, lower bound {}, gap {:.2}%, \
                 proven {}, greedy {}, build {:.1} ms, solve {:.1} ms, {} nodes; {}",
                s.objective,
                s.lower_bound,
                100.0 * s.gap,
                s.proven_optimal,
                s.greedy_objective,
                s.build_time.as_secs_f64() * 1e3,
                s.solve_time.as_secs_f64() * 1e3,
                s.stats.nodes,
                s.stats.lscp_bound_note()
            );
        }
        Some(p) => {
            let s = solve_mclp(instance, p, options).expect("solvable");
            eprintln!(
                "{name} MCLP p={p} ({n} demand, {m} candidates): {:.2} km², upper bound {:.2}, gap {:.3}%, \
                 proven {}, greedy {:.2}, build {:.1} ms, solve {:.1} ms, {} nodes",
                s.covered_weight,
                s.upper_bound,
                100.0 * s.gap,
                s.proven_optimal,
                s.greedy_objective,
                s.build_time.as_secs_f64() * 1e3,
                s.solve_time.as_secs_f64() * 1e3,
                s.stats.nodes
            );
        }
    }
}

fn bench_shuozhou(c: &mut Criterion) {
    let r10 = shuozhou(10);
    let r7 = shuozhou(7);
    let options = SolveOptions::default();
    report("shuozhou_r10", &r10, None, &options);
    report("shuozhou_r7", &r7, None, &options);
    for p in [10, 30] {
        report("shuozhou_r10", &r10, Some(p), &options);
        report("shuozhou_r7", &r7, Some(p), &options);
    }
    let mut group = c.benchmark_group("cover/shuozhou");
    group.bench_function("r10 lscp greedy", |b| {
        b.iter(|| greedy_lscp(black_box(&r10)))
    });
    group.bench_function("r10 lscp exact", |b| {
        b.iter(|| solve_lscp(black_box(&r10), &options))
    });
    group.bench_function("r7 lscp exact", |b| {
        b.iter(|| solve_lscp(black_box(&r7), &options))
    });
    group.bench_function("r10 mclp p10 greedy", |b| {
        b.iter(|| greedy_mclp(black_box(&r10), 10))
    });
    group.bench_function("r10 mclp p10 exact", |b| {
        b.iter(|| solve_mclp(black_box(&r10), 10, &options))
    });
    group.bench_function("r10 mclp p30 exact", |b| {
        b.iter(|| solve_mclp(black_box(&r10), 30, &options))
    });
    group.bench_function("r7 mclp p30 exact", |b| {
        b.iter(|| solve_mclp(black_box(&r7), 30, &options))
    });
    let dir = cover_instances::shared_bench("shuozhou_r10");
    group.bench_function("r10 read + build", |b| {
        b.iter(|| {
            CoverInstance::from_csv(
                &dir.join("demand.csv"),
                &dir.join("candidates.csv"),
                Metres(10_000.0),
            )
        })
    });
    group.finish();
}

fn bench_shanxi(c: &mut Criterion) {
    let r10 = shanxi(10);
    let options = province_options();
    report("shanxi_r10", &r10, None, &options);
    report("shanxi_r10", &r10, Some(100), &options);
    let mut group = c.benchmark_group("cover/shanxi");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    let made = cover_instances::grid_instance(
        &cover_instances::shared_data("shanxi_counties_wgs84.geojson"),
        10_000.0,
        2_000.0,
    );
    group.bench_function("r10 build coverage", |b| {
        b.iter(|| {
            CoverInstance::new(
                made.demand.clone(),
                made.candidates.clone(),
                Metres(10_000.0),
            )
        })
    });
    group.bench_function("r10 lscp greedy", |b| {
        b.iter(|| greedy_lscp(black_box(&r10)))
    });
    group.bench_function("r10 lscp to 2% gap", |b| {
        b.iter(|| solve_lscp(black_box(&r10), &options))
    });
    group.finish();
}

fn bench_shared_large(c: &mut Criterion) {
    let large = shared("large_r7", 7);
    let shanxi = shared("shanxi_r10", 10);
    let options = SolveOptions::default();
    report("large_r7", &large, None, &options);
    let limited = SolveOptions {
        time_limit: Duration::from_secs(9),
        ..SolveOptions::default()
    };
    report("shanxi_r10 (9 s)", &shanxi, None, &limited);
    let lp = lscp_lp_relaxation(&shanxi, Duration::from_secs(120)).expect("the LP solves");
    eprintln!(
        "shanxi_r10 LP relaxation: {:.4}, optimal {}, {} dual simplex iterations, {} component(s)",
        lp.value, lp.optimal, lp.iterations, lp.components
    );
    let ipm = lscp_lp_relaxation_by(&shanxi, Duration::from_secs(120), LpMethod::InteriorPoint)
        .expect("the LP solves");
    eprintln!(
        "shanxi_r10 LP relaxation by interior point: {:.4}, optimal {}, {} iterations",
        ipm.value, ipm.optimal, ipm.iterations
    );
    let mut group = c.benchmark_group("cover/shared");
    group.sample_size(10);
    group.bench_function("large_r7 lscp exact (edge covers)", |b| {
        b.iter(|| solve_lscp(black_box(&large), &options))
    });
    group.bench_function("shuozhou_r10 lscp lp relaxation", |b| {
        let r10 = shuozhou(10);
        b.iter(|| lscp_lp_relaxation(black_box(&r10), Duration::from_secs(10)))
    });
    group.bench_function("shanxi_r10 lscp lp relaxation", |b| {
        b.iter(|| lscp_lp_relaxation(black_box(&shanxi), Duration::from_secs(120)))
    });
    group.bench_function("shanxi_r10 lscp lp relaxation (interior point)", |b| {
        b.iter(|| {
            lscp_lp_relaxation_by(
                black_box(&shanxi),
                Duration::from_secs(120),
                LpMethod::InteriorPoint,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench_shuozhou, bench_shanxi, bench_shared_large);
criterion_main!(benches);
