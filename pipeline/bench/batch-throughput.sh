#!/usr/bin/env bash
# Benchmark (not a test): the batch job on a generated log with 1 % lifecycle lines, next to
# `grep -F -c MARKER` on the same file: the source's steady-state lines/s and the whole process's
# (JVM start to exit, as a user waits for it), each as a ratio to grep's, and the peak RSS.
#
#   pipeline/bench/batch-throughput.sh [LINES] [WORKDIR]      (defaults: 5000000, /tmp/wasmorch-bench)
#   RUNS=3 (job runs; the best wall time counts, as grep's best of 3), PARALLELISM=2, JAVA_OPTS=-Xmx2g
#
# Steady state: the source reads the file as fast as the whole pipeline behind it takes records
# (backpressure), so the reader's own time for the file, which it logs, is the time the running
# job needs for it. Whole process: bin/wasmorch analyze under /usr/bin/time, which also gives the
# CPU time (user + sys: less sensitive than wall time to other load on a shared machine).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LINES="${1:-5000000}"
WORK="${2:-/tmp/wasmorch-bench}"
MARKER="WASMORCH-LIFECYCLE/1"
PAR="${PARALLELISM:-2}"
RUNS="${RUNS:-3}"
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
  /usr/bin/time -f "%M %U %S" -o "$WORK/time" env JAVA_OPTS="${JAVA_OPTS:--Xmx2g}" "$ROOT/bin/wasmorch" analyze \
    --logs "$WORK/all.log" --pods "$WORK/gen/pods.json" --out "$WORK/out" --no-report --parallelism "$PAR" > "$WORK/job.out" 2>&1
}
"$ROOT/bin/wasmorch" --version >/dev/null   # build first, outside the timing
best_wall=999 best_read=999 rss_kb=0
for run in $(seq 1 "$RUNS"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  t_job=$(seconds run_job)
  read -r rss user sys < "$WORK/time"
  t_read=$(sed -n 's/.*Read .*all\.log: [0-9]* lines, [0-9.]* MB in \([0-9.]*\) s.*/\1/p' "$WORK/job.out" | tail -1)
  printf '== run %d of %d on %d lines: wall %.2f s, CPU %.1f s (user %s + sys %s), steady state %s s, peak RSS %d MB, load %s\n' \
    "$run" "$RUNS" "$total" "$t_job" "$(echo "$user + $sys" | bc -l)" "$user" "$sys" "$t_read" "$((rss / 1024))" "$load" >&2
  if (( $(echo "$t_job < $best_wall" | bc -l) )); then best_wall=$t_job; best_cpu=$(echo "$user + $sys" | bc -l); fi
  if (( $(echo "$t_read < $best_read" | bc -l) )); then best_read=$t_read; fi
  (( rss > rss_kb )) && rss_kb=$rss
done

rate() { echo "$total / $1" | bc -l; }
rate_grep=$(rate "$grep_best")
printf '\n| what | lines | seconds | lines/s | ratio to grep |\n|---|---:|---:|---:|---:|\n'
printf '| grep -F -c %s (best of 3, page cache warm) | %d | %.2f | %.0f | 1 |\n' "$MARKER" "$total" "$grep_best" "$rate_grep"
printf '| wasmorch analyze, source steady state (reader time under backpressure; best of %d) | %d | %.2f | %.0f | %.3f (goal >= 0.25) |\n' \
  "$RUNS" "$total" "$best_read" "$(rate "$best_read")" "$(echo "$(rate "$best_read") / $rate_grep" | bc -l)"
printf '| wasmorch analyze, whole process: JVM start to exit (best of %d) | %d | %.2f | %.0f | %.3f (goal >= 0.1, <= 4 s) |\n' \
  "$RUNS" "$total" "$best_wall" "$(rate "$best_wall")" "$(echo "$(rate "$best_wall") / $rate_grep" | bc -l)"
printf '\nCPU of the best whole run %.1f s; file %d MB; peak RSS of the job %d MB (highest of the runs; JAVA_OPTS=%s); parallelism %s; load average %s\n' \
  "$best_cpu" "$((bytes / 1048576))" "$((rss_kb / 1024))" "${JAVA_OPTS:--Xmx2g}" "$PAR" "$(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "^Ingest" "$WORK/job.out" || true
