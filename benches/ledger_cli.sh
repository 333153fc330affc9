#!/bin/sh
# Measures the `wxmod ledger` CLI with a release build (#18): import of N opening-stock
# receipts (one lot per line) into a fresh ledger, verify of that ledger, and one `fire`
# appended to the Shuozhou example season. Usage: benches/ledger_cli.sh [N ...]
# (default 2500 20000 100000); the fire five times. Needs `cargo build --release --locked` first; reads
# CARGO_TARGET_DIR (default target). Prints wall times from `date +%s.%N`.
set -eu
bin="${CARGO_TARGET_DIR:-target}/release/wxmod"
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
t() { date +%s.%N; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in ${@:-2500 20000 100000}; do
  db="$work/r$n.db"
  "$bin" ledger --db "$db" init >/dev/null
  "$bin" ledger --db "$db" config --set late_entry_days=36500 >/dev/null
  "$bin" ledger --db "$db" --at "2025-01-01 08:00" model --name WR-98 --class rocket --maker 陕西中天 >/dev/null
  "$bin" ledger --db "$db" --at "2025-01-01 08:00" depot --id D --name 库 --kind military --keeper 李 --capacity rocket=1000000000 >/dev/null
  awk -v n="$n" 'BEGIN { print "depot,model,lot,quantity,manufactured,expires,purchase";
    for (i = 1; i <= n; i++) printf "D,WR-98,L%06d,10,2025-01-01,2029-12-31,CG-%d\n", i, i }' > "$work/stock$n.csv"
  s=$(t); "$bin" ledger --db "$db" --at "2025-01-02 08:00" import --stock "$work/stock$n.csv" >/dev/null; e=$(t)
  echo "import $n receipts: $(echo "$e - $s" | bc) s, $(echo "$n / ($e - $s)" | bc) events/s"
  s=$(t); "$bin" ledger --db "$db" verify >/dev/null; e=$(t)
  echo "verify $((n + 4)) events: $(echo "$e - $s" | bc) s"
  ls -l "$db" | awk '{ print "ledger file: " $5 " bytes" }'
done
db="$work/season.db"
"$bin" ledger --db "$db" init >/dev/null
head -n 68 "$here/examples/ledger/season_2025.jsonl" > "$work/season.jsonl"
"$bin" ledger --db "$db" import --events "$work/season.jsonl" >/dev/null
"$bin" ledger --db "$db" config --set late_entry_days=36500 >/dev/null
# Five runs, each on a fresh copy of the 68-event ledger (the fire takes 120 of 200 shells).
for run in 1 2 3 4 5; do
  cp "$db" "$work/fire.db"; cp "$db.key" "$work/fire.db.key"
  s=$(t)
  "$bin" ledger --db "$work/fire.db" --at "2025-07-08 14:00" fire --site SC-G01 --equipment G-SC-G01 \
    --item SH37-2022-03:120 --azimuth 250 --elevation 70 --crew OP01,OP02,OP04,OP08 >/dev/null
  e=$(t)
  echo "one fire on the example season (68 events before it), run $run: $(echo "$e - $s" | bc) s"
  rm -f "$work"/fire.db*
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
