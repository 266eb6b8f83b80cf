#!/usr/bin/env bash
# Per-node profile of a .bin in Kiln's runtime, summed by node label, then the slowest non-conv nodes.
# Usage: scripts/profile-bin.sh MODEL.bin [THREADS] [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
model="$1"
threads="${2:-1}"
out="${3:-/tmp/kiln-profile-$$}"
"$root/kiln" run perf --model "$model" --threads "$threads" --frames 300 --warmup 100 --profile-path "$out" >/dev/null
python3 - "$out/profile.json" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
print("latency ms", d["latency_ms"])
by = collections.defaultdict(lambda: [0, 0.0, 0])
for n in d["nodes"]:
    a = by[n["label"]]
    a[0] += 1; a[1] += n["time_us"]; a[2] += n["macs"]
for k, (count, us, macs) in sorted(by.items(), key=lambda kv: -kv[1][1]):
    print(f"{k:32s} {count:4d} nodes {us:10.1f} us {macs:12d} MACs")
print("slowest nodes other than int Conv:")
for n in sorted(d["nodes"], key=lambda n: -n["time_us"])[:60]:
    if not n["label"].startswith("int Conv"):
        print(f"  {n['name']:36s} {n['label']:28s} {n['time_us']:9.1f} us")
PY
