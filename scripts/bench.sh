#!/usr/bin/env bash
# Benchmarks side by side (SPEC §11, issue 8): ebm-bench and, when the peer environment is
# installed, ../shared/bench/peer_planner.py (PyTorch eager, JAX jit), all pinned to one core
# with OPENBLAS_NUM_THREADS=1, in one run so the ratios compare like with like. Then ours on
# two cores (every product split over both, `ebm-bench --workers 2`).
#
#   scripts/bench.sh                 # build, run, print both tables
#   PEER_PYTHON=/path/to/python      # the peer venv's python (default ~/.venvs/peers/bin/python)
#   PEER_SCRIPT=/path/to/peer.py     # default ../shared/bench/peer_planner.py next to the repo
#   SWIFT_BUILD_FLAGS="--scratch-path /tmp/b"   # extra flags for swift build
#   BENCH_OUT=dir                    # where the JSON lines are kept (default out/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
out=${BENCH_OUT:-$repo/out/bench}
mkdir -p "$out"
peer_python=${PEER_PYTHON:-$HOME/.venvs/peers/bin/python}
peer_script=${PEER_SCRIPT:-$repo/../shared/bench/peer_planner.py}

# shellcheck disable=SC2086
swift build -c release --product ebm-bench ${SWIFT_BUILD_FLAGS:-} >&2
bin=$(swift build -c release --show-bin-path ${SWIFT_BUILD_FLAGS:-})/ebm-bench

one_core() { taskset -c 0 env OPENBLAS_NUM_THREADS=1 "$@"; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "ebm-bench, one core ..." >&2
one_core "$bin" > "$out/ours.jsonl"
: > "$out/peers.jsonl"
if [[ -x $peer_python && -f $peer_script ]]; then
    echo "peers (torch eager, JAX jit), one core ... (about two minutes)" >&2
    one_core "$peer_python" "$peer_script" > "$out/peers.jsonl" 2> "$out/peers.log"
else
    echo "no peer environment ($peer_python, $peer_script): ours only" >&2
fi
echo "ebm-bench, two cores ..." >&2
taskset -c 0,1 env OPENBLAS_NUM_THREADS=1 "$bin" --workers 2 > "$out/ours2.jsonl"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$out" "$load_before" "$load_after" <<'EOF'
import json, sys
out, load_before, load_after = sys.argv[1:4]
def read(name):
    with open(f"{out}/{name}") as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]
ours = {r["scen"]: r for r in read("ours.jsonl")}
ours2 = {r["scen"]: r for r in read("ours2.jsonl")}
peers = {}
for r in read("peers.jsonl"):
    peers.setdefault(r["scen"], {})[r["peer"]] = r["seconds"]

def ms(s): return f"{s * 1e3:10.2f} ms" if s is not None else f"{'—':>13}"
def ratio(a, b): return f"{a / b:8.2f}×" if a is not None and b else f"{'—':>9}"
def extra(r):
    if "steps_per_second" in r: return f"{r['steps_per_second'] / 1e6:.2f} M steps/s"
    if "openblas_gflops" in r: return f"{r['gflops']:.0f} GFLOP/s (OpenBLAS {r['openblas_gflops']:.0f})"
    if "gflops" in r: return f"{r['gflops']:.0f} GFLOP/s"
    if "model" in r: return f"model: {r['model']}"
    return ""

print(f"\nOne core (taskset -c 0, OPENBLAS_NUM_THREADS=1); load {load_before} before, {load_after} after")
print(f"{'scenario':26} {'ours':>13} {'torch eager':>13} {'JAX jit':>13} {'ours/torch':>10} {'ours/JAX':>9}  notes")
for name, r in ours.items():
    p = peers.get(name, {})
    t, j = p.get("torch-eager"), p.get("jax-jit")
    print(f"{name:26} {ms(r['seconds'])} {ms(t)} {ms(j)} {ratio(r['seconds'], t):>10} {ratio(r['seconds'], j)}  {extra(r)}")

print("\nOurs on two cores (taskset -c 0,1, ebm-bench --workers 2: products split over both cores)")
print(f"{'scenario':26} {'one core':>13} {'two cores':>13} {'speed-up':>9}  notes")
for name, r in ours.items():
    r2 = ours2.get(name)
    if r2 is None: continue
    print(f"{name:26} {ms(r['seconds'])} {ms(r2['seconds'])} {ratio(r['seconds'], r2['seconds'])}  {extra(r2)}")
EOF
