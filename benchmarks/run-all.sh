#!/usr/bin/env bash
# Runs the whole benchmark suite the way benchmarks/README.md records it, then renders the chart and the tables.
# Takes about 14 minutes on 2 cores with the default settings. Build first, from the repository root:
#   mvn -pl benchmarks -am package -DskipTests
#
# Settings, all optional:
#   JMH_OPTS     JMH settings for every run (default: -f 1 -wi 3 -w 1s -i 5 -r 1s)
#   RESULTS_DIR  where the JSON results, the logs and report.md go (default: benchmarks/results)
#   CHART        the PNG to write (default: benchmarks/transfer-throughput.png)
# Further arguments go to every JMH run, e.g. `benchmarks/run-all.sh -p strategy=ORDERED,GLOBAL`
# (a run ignores a -p that its benchmark lacks).
set -euo pipefail
cd "$(dirname "$0")/.."

jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ]; then
  echo "no $jar: build it first with mvn -pl benchmarks -am package -DskipTests" >&2
  exit 1
fi
read -r -a jmh_opts <<< "${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}"
results="${RESULTS_DIR:-benchmarks/results}"
chart="${CHART:-benchmarks/transfer-throughput.png}"
mkdir -p "$results"

# run NAME BENCHMARK [JMH ARGS...]: one JMH invocation, its JSON result and log named NAME.
# -foe true: a benchmark that throws (such as a failed money check) fails the script instead of leaving a gap.
run() {
  local name="$1"
  shift
  echo "== $name: $*"
  java -jar "$jar" "$@" "${jmh_opts[@]}" -foe true -rf json -rff "$results/$name.json" "${extra[@]}" \
    | tee "$results/$name.log"
}
extra=("$@")

# JMH takes a single -t per run, so the two thread counts are two runs; the report merges them.
run transfer-t1 TransferBenchmark -t 1
run transfer-t2 TransferBenchmark -t 2
# The ceiling on one thread is the reference; on two threads sharing one bank it bounds any parallel speed-up.
run ceiling-t1 CeilingBenchmark -t 1
run ceiling-t2 CeilingBenchmark -t 2
# One hot account (90% of the transfers touch it) among 4096, beside the uniform transfers above.
run hot-t1 HotAccountBenchmark -t 1
run hot-t2 HotAccountBenchmark -t 2
# The group benchmarks set their own threads: one writer and one reader or snapshot taker.
run mix ReadWriteMixBenchmark
run snapshot SnapshotBenchmark
run multi-leg MultiLegBenchmark -t 2
run two-phase-commit TwoPhaseCommitBenchmark -t 1

echo "== report"
java -cp "$jar" dev.ledger.benchmarks.report.ChartReport \
  "$results"/transfer-t1.json "$results"/transfer-t2.json "$results"/ceiling-t1.json "$results"/ceiling-t2.json \
  "$results"/hot-t1.json "$results"/hot-t2.json \
  "$results"/mix.json "$results"/snapshot.json "$results"/multi-leg.json "$results"/two-phase-commit.json \
  "$chart" | tee "$results/report.md"
