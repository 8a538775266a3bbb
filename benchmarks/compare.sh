#!/usr/bin/env bash
# Compares two builds of the benchmarks side by side: each case runs on the first jar, then on the second, then again
# in the same order for every round, so that both see the same machine; the table gives each jar's median score and
# the ratio. For a change that must not slow anything down, such as a refactoring:
#   git stash && mvn -q -pl benchmarks -am package -DskipTests && cp benchmarks/target/benchmarks.jar /tmp/before.jar
#   git stash pop && mvn -q -pl benchmarks -am package -DskipTests
#   benchmarks/compare.sh /tmp/before.jar benchmarks/target/benchmarks.jar
#
# Settings, all optional:
#   ROUNDS    how many times each case runs on each jar (default 2)
#   JMH_OPTS  JMH settings for every run (default: -f 1 -wi 2 -w 1s -i 3 -r 1s)
#   CASES     the cases, one per line: "<label>|<JMH arguments>" (default: the list below)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 2 ]; then
  echo "usage: $0 BEFORE.jar AFTER.jar" >&2
  exit 2
fi
before="$1"
after="$2"
rounds="${ROUNDS:-2}"
read -r -a jmh_opts <<< "${JMH_OPTS:--f 1 -wi 2 -w 1s -i 3 -r 1s}"
default_cases="transfer ORDERED 2 accounts t1|TransferBenchmark.transfer -p strategy=ORDERED -p accounts=2 -t 1
transfer ORDERED 2 accounts t2|TransferBenchmark.transfer -p strategy=ORDERED -p accounts=2 -t 2
transfer ORDERED 4096 accounts t1|TransferBenchmark.transfer -p strategy=ORDERED -p accounts=4096 -t 1
transfer ORDERED 4096 accounts t2|TransferBenchmark.transfer -p strategy=ORDERED -p accounts=4096 -t 2
transfer STAMPED 2 accounts t1|TransferBenchmark.transfer -p strategy=STAMPED -p accounts=2 -t 1
transfer STAMPED 2 accounts t2|TransferBenchmark.transfer -p strategy=STAMPED -p accounts=2 -t 2
transfer STAMPED 4096 accounts t1|TransferBenchmark.transfer -p strategy=STAMPED -p accounts=4096 -t 1
transfer STAMPED 4096 accounts t2|TransferBenchmark.transfer -p strategy=STAMPED -p accounts=4096 -t 2
prepare+commit ORDERED t1|TwoPhaseCommitBenchmark.prepareAndCommit -p strategy=ORDERED -t 1
prepare+commit ORDERED t2|TwoPhaseCommitBenchmark.prepareAndCommit -p strategy=ORDERED -t 2"
cases="${CASES:-$default_cases}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

n=0
while IFS='|' read -r label args; do
  [ -z "$label" ] && continue
  n=$((n + 1))
  printf '%s\n' "$label" > "$work/case-$n.label"
  read -r -a jmh_args <<< "$args"
  for round in $(seq 1 "$rounds"); do
    for side in before after; do
      jar="$before"
      [ "$side" = after ] && jar="$after"
      echo "== [$round/$rounds] $label: $side" >&2
      java -jar "$jar" "${jmh_args[@]}" "${jmh_opts[@]}" -foe true -rf json \
        -rff "$work/case-$n-$side-$round.json" > "$work/case-$n-$side-$round.log"
    done
  done
done <<< "$cases"

python3 - "$work" "$n" "$rounds" <<'EOF'
import json, statistics, sys
work, cases, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
print("| case | before (ops/µs) | after (ops/µs) | after / before |")
print("|---|---:|---:|---:|")
for n in range(1, cases + 1):
    label = open(f"{work}/case-{n}.label").read().strip()
    scores = {}
    for side in ("before", "after"):
        runs = []
        for r in range(1, rounds + 1):
            for result in json.load(open(f"{work}/case-{n}-{side}-{r}.json")):
                runs.extend(result["primaryMetric"]["rawData"][0])
        scores[side] = statistics.median(runs)
    print(f"| {label} | {scores['before']:.2f} | {scores['after']:.2f} | {scores['after'] / scores['before']:.2f} |")
EOF
