#!/usr/bin/env bash
# Benchmark (not a test): steady-state lines/s of the batch job on a generated log with 1 %
# lifecycle lines, next to `grep -F -c MARKER` on the same file, and the job's peak memory.
#
#   pipeline/bench/batch-throughput.sh [LINES] [WORKDIR]      (defaults: 5000000, /tmp/wasmorch-bench)
#
# Steady state: the source reads the file as fast as the whole pipeline behind it takes records
# (backpressure), so the reader's own time for the file, which it logs, is the time the running
# job needs for it; the wall time with MiniCluster start-up is printed beside it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LINES="${1:-5000000}"
WORK="${2:-/tmp/wasmorch-bench}"
MARKER="WASMORCH-LIFECYCLE/1"
PAR="${PARALLELISM:-2}"
mkdir -p "$WORK"

# ~8 lifecycle lines per pod; 1 % of all lines are lifecycle lines.
PODS=$(( LINES / 100 / 8 ))
if [[ ! -f "$WORK/all.log" ]] || [[ "$(cat "$WORK/lines" 2>/dev/null)" != "$LINES" ]]; then
  echo "== generating ~$LINES lines ($PODS pods, noise 0.99) in $WORK" >&2
  rm -rf "$WORK/gen"
  "$ROOT/bin/wasmorch" generate --out "$WORK/gen" --pods "$PODS" --noise 0.99 --seed 1 --no-journald >&2
  cat "$WORK"/gen/*.log > "$WORK/all.log"
  echo "$LINES" > "$WORK/lines"
fi
total=$(wc -l < "$WORK/all.log")
bytes=$(stat -c %s "$WORK/all.log")

# Output goes to a file, not /dev/null: GNU grep detects /dev/null and stops at the first match.
seconds() { local s e; s=$(date +%s.%N); "$@" > "$WORK/cmd.out"; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

cat "$WORK/all.log" > /dev/null   # warm the page cache for both contenders
grep_best=999
for _ in 1 2 3; do
  t=$(seconds grep -F -c "$MARKER" "$WORK/all.log" || true)
  grep_best=$(echo "if ($t < $grep_best) $t else $grep_best" | bc -l)
done

run_job() {
  /usr/bin/time -f "%M" -o "$WORK/rss" env JAVA_OPTS="${JAVA_OPTS:--Xmx2g}" "$ROOT/bin/wasmorch" analyze \
    --logs "$WORK/all.log" --pods "$WORK/gen/pods.json" --out "$WORK/out" --no-report --parallelism "$PAR" > "$WORK/job.out" 2>&1
}
"$ROOT/bin/wasmorch" --version >/dev/null   # build first, outside the timing
echo "== job on $total lines" >&2
t_job=$(seconds run_job)
rss_kb=$(tail -1 "$WORK/rss")
t_read=$(sed -n 's/.*Read .*all\.log: [0-9]* lines, [0-9.]* MB in \([0-9.]*\) s.*/\1/p' "$WORK/job.out" | tail -1)

rate_job=$(echo "$total / $t_read" | bc -l)
rate_grep=$(echo "$total / $grep_best" | bc -l)
printf '\n| what | lines | seconds | lines/s |\n|---|---:|---:|---:|\n'
printf '| grep -F -c %s (best of 3, page cache warm) | %d | %.2f | %.0f |\n' "$MARKER" "$total" "$grep_best" "$rate_grep"
printf '| wasmorch analyze, steady state (reader time under backpressure) | %d | %.2f | %.0f |\n' "$total" "$t_read" "$rate_job"
printf '| wasmorch analyze, wall time incl. JVM and MiniCluster start-up | %d | %.2f | %.0f |\n' "$total" "$t_job" "$(echo "$total / $t_job" | bc -l)"
printf '\nratio job/grep: %.2f (goal >= 0.25); file %d MB; peak RSS of the job %d MB (JAVA_OPTS=%s); parallelism %s; load average %s\n' \
  "$(echo "$rate_job / $rate_grep" | bc -l)" "$((bytes / 1048576))" "$((rss_kb / 1024))" "${JAVA_OPTS:--Xmx2g}" "$PAR" "$(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "^Ingest" "$WORK/job.out" || true
