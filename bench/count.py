#!/usr/bin/env python3
"""Counts the instructions per event of the simulator and the alert engine under callgrind.

    count.py --warroom .build/release/warroom --out reports/bench-count.json
    count.py --compare bench/baseline.json reports/bench-count.json

Timings on a shared machine move with its load; instruction counts do not: the same binary and
input give the same count. Each benchmark runs once under `valgrind --tool=callgrind` with
collection switched on only inside the function that holds its timed region
(`Benchmarks.measuredLiveWindow` for `bench sim`, `Benchmarks.measuredEngineRun` for
`bench engine --max`, `Benchmarks.measuredDeliveredWindow` for `bench sim --delivery` on
`scenarios/freshness.yaml`), on the default scenario with 10 live days (its event mix, a shorter
stream), with Swift's hashing made deterministic (SWIFT_DETERMINISTIC_HASHING=1: otherwise each
process seeds its dictionaries differently and the count moves by a few parts in 100,000). The
binary is copied without its debug information first (valgrind 3.19 cannot read
Swift 6's); its symbols stay. The events come from the benchmark's own JSON.

--compare prints the change from a baseline (bench/baseline.json, kept in git) to a new count.
Only the standard library.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SCENARIO = "scenarios/east-china-medical.yaml"
LIVE_DAYS = "10"
BENCHMARKS = {
    "sim": (["bench", "sim", "--scenario", SCENARIO, "--live-days", LIVE_DAYS, "--repeats", "1", "--json"], "*measuredLiveWindow*"),
    "engine": (["bench", "engine", "--scenario", SCENARIO, "--rules", "scenarios/rules/presets.yaml", "--max", "--live-days", LIVE_DAYS,
                "--rule-counts", "27", "--repeats", "1", "--json"], "*measuredEngineRun*"),
    # The same window with streaming delivery (scenarios/freshness.yaml: the default world, every
    # source streaming): simulation, arrival times, ordering by arrival and the digest.
    "sim_delivered": (["bench", "sim", "--scenario", "scenarios/freshness.yaml", "--live-days", LIVE_DAYS, "--repeats", "1", "--delivery", "--json"],
                      "*measuredDeliveredWindow*"),
}


def fail(message):
    sys.exit("bench-count: " + message)


def count(warroom, name, arguments, function, tmp):
    """Runs one benchmark under callgrind; returns its figures."""
    out_file = os.path.join(tmp, "callgrind.%s" % name)
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_file, "--collect-atstart=no",
           "--toggle-collect=" + function, warroom] + arguments
    print("bench-count: %s: %s" % (name, " ".join(["valgrind", "--tool=callgrind", "--toggle-collect=" + function, "warroom"] + arguments)),
          file=sys.stderr, flush=True)
    # Swift seeds its hash functions per process; fixed, the dictionaries probe the same way in every run.
    env = dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1")
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if r.returncode != 0:
        fail("%s exited with %d: %s" % (name, r.returncode, r.stderr.decode("utf-8", "replace")[-800:]))
    doc = json.loads(r.stdout)
    totals = None
    with open(out_file) as f:
        for line in f:
            m = re.match(r"^(?:summary|totals):\s+(\d+)", line)
            if m:
                totals = int(m.group(1))
    if not totals:
        fail("%s: callgrind collected nothing in %s (was the function inlined or renamed?)" % (name, function))
    events = doc["events"]
    return {"command": ["warroom"] + arguments, "collected_in": function, "events": events, "instructions": totals,
            "instructions_per_event": round(totals / events, 1), "event_digest": doc.get("event_digest")}


def measure(warroom, out):
    if not shutil.which("valgrind"):
        fail("valgrind is not installed (make bench-count installs it)")
    version = subprocess.run(["valgrind", "--version"], stdout=subprocess.PIPE).stdout.decode().strip()
    with tempfile.TemporaryDirectory() as tmp:
        stripped = os.path.join(tmp, "warroom")
        subprocess.run(["objcopy", "--strip-debug", warroom, stripped], check=True)
        results = {name: count(stripped, name, args, fn, tmp) for name, (args, fn) in BENCHMARKS.items()}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().strip()
    doc = {"schema_version": 1, "kind": "bench_count", "valgrind": version, "commit": commit or None, "benchmarks": results}
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    for name, r in results.items():
        print("%-13s %14s instructions over %11s events: %8.1f per event" % (name, "{:,}".format(r["instructions"]), "{:,}".format(r["events"]),
                                                                            r["instructions_per_event"]))
    print("bench-count: written to %s" % out)


def compare(baseline_path, current_path):
    for p in (baseline_path, current_path):
        if not os.path.exists(p):
            fail("%s does not exist (make bench-count writes a count; make bench-baseline makes it the baseline)" % p)
    base, now = (json.load(open(p)) for p in (baseline_path, current_path))
    print("instructions per event: %s (%s) → %s (%s)" % (baseline_path, base.get("commit"), current_path, now.get("commit")))
    for name in BENCHMARKS:
        b, c = base["benchmarks"].get(name), now["benchmarks"].get(name)
        if not b or not c:
            print("%-13s missing in %s" % (name, baseline_path if not b else current_path))
            continue
        same_input = b["events"] == c["events"] and b.get("event_digest") == c.get("event_digest")
        change = 100 * (c["instructions_per_event"] / b["instructions_per_event"] - 1)
        print("%-13s %8.1f → %8.1f  (%+.1f %%)%s" % (name, b["instructions_per_event"], c["instructions_per_event"], change,
                                                  "" if same_input else "  [the input differs: %s → %s events]" % (b["events"], c["events"])))


def main():
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "--compare":
        compare(args[1], args[2])
    elif len(args) == 4 and args[0] == "--warroom" and args[2] == "--out":
        measure(args[1], args[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
