#!/usr/bin/env bash
# Checks the wasmorch K3s patches as far as this machine allows, and says what it skipped.
#
#   k3s-patch/verify.sh [--patches DIR] [--tree KUBERNETES_CHECKOUT] [--refresh] [--bench]
#
# Always: every patch in patches/ is a well-formed `git format-patch` mail (From line, From:,
# Date:, Subject: [PATCH n/N], a diff, the signature), every hunk's header agrees with its lines,
# the diffstat agrees with the hunks, and the lifecyclelog files the first patch adds are
# byte-identical to src/lifecyclelog/; patches/upstream.tsv has one row per file the patches
# modify, and its recorded blobs agree with the patches' index lines.
# With gofmt: src/lifecyclelog and src/hookcheck are gofmt-clean.
# With go and klog (Debian's golang-k8s-klog-dev, or a reachable Go module proxy): go vet and
# go test of src/lifecyclelog, including the check that testdata/*/k3s.log holds exactly the
# lines the logger writes; and hookcheck: every hook line of the patches compiled against the
# logger inside src/hookcheck's stand-ins for the upstream scopes.
# With --tree (or $K3S_KUBERNETES_TREE), a git checkout of the pinned k3s-io/kubernetes tag:
# `git apply --check` of all patches, then, in a throw-away worktree with the patches applied by
# `git am`, `go build` of every touched package when the checkout's Go version is installed.
# It also compares the checkout's blob of every touched file with patches/upstream.tsv (a
# recorded blob must match at the pinned tag).
# --refresh additionally rewrites patches/ from that worktree with `git format-patch`, so hunk
# positions and index lines become exactly those of the checkout (the rebase step of README.md),
# and records the checkout's blobs in patches/upstream.tsv.
# --bench also runs the logger's Go benchmarks (cost of a hook while logging is off).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
patches="$here/patches"
tree="${K3S_KUBERNETES_TREE:-}"
refresh=false
bench=false
while (($#)); do
  case "$1" in
    --patches) patches="$(cd "$2" && pwd)"; shift 2 ;;
    --tree) tree="$2"; shift 2 ;;
    --refresh) refresh=true; shift ;;
    --bench) bench=true; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "verify.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok:   $*"; }
skip() { echo "SKIP: $*"; }

shopt -s nullglob
files=("$patches"/*.patch)
if ((${#files[@]} == 0)); then
  fail "no *.patch files in $patches"
fi

# --- 1. mail headers, hunk arithmetic, diffstat ------------------------------------------------
check_patch() {
  awk -v name="$(basename "$1")" '
    function err(msg) { printf "FAIL: %s:%d: %s\n", name, NR, msg; bad = 1 }
    function close_hunk() {
      if (inhunk && (oldleft != 0 || newleft != 0))
        err(sprintf("hunk \"%s\" of %s ends with %d old / %d new lines missing", hunkhdr, file, oldleft, newleft))
      inhunk = 0
    }
    function close_file() {
      close_hunk()
      if (file != "") { added[file] = plus; removed[file] = minus; file = "" }
      plus = 0; minus = 0; shift = 0; lastold = 0
    }
    NR == 1 && ($0 !~ /^From [0-9a-f]+ Mon Sep 17 00:00:00 2001$/ || length($2) != 40) { err("first line is not a format-patch From line") }
    !body && /^From: .+ <.+@.+>$/ { hasfrom = 1 }
    !body && /^Date: / { hasdate = 1 }
    !body && /^Subject: \[PATCH [0-9]+\/[0-9]+\] ./ { hassubject = 1 }
    !body && /^$/ { body = 1 }
    body && !sep && /^---$/ { sep = 1; next }
    sep && !indiff && /^ .+ \| +[0-9]+ [-+]*$/ {
      n = split($0, f, "|"); p = f[1]; gsub(/^ +| +$/, "", p); c = f[2]; sub(/^ +/, "", c); split(c, g, " ")
      stat[p] = g[1]
      next
    }
    /^diff --git a\/.+ b\/.+$/ {
      close_file(); indiff = 1; file = $0; sub(/^diff --git a\/.* b\//, "", file); files++; newfile = 0; next
    }
    indiff && /^new file mode / { newfile = 1; next }
    indiff && !inhunk && /^(index |--- |\+\+\+ |deleted file mode |similarity |rename )/ { next }
    indiff && /^@@ / {
      close_hunk()
      if (!match($0, /^@@ -[0-9]+(,[0-9]+)? \+[0-9]+(,[0-9]+)? @@/)) { err("malformed hunk header: " $0); next }
      hunkhdr = substr($0, 1, RLENGTH)
      h = hunkhdr; gsub(/[-+@,]/, " ", h); split(h, v, " ")
      if (hunkhdr ~ /^@@ -[0-9]+,[0-9]+ \+[0-9]+,[0-9]+ @@/) { os = v[1]; oc = v[2]; ns = v[3]; nc = v[4] }
      else { err("hunk header without line counts: " hunkhdr); next }
      if (!newfile && os <= lastold) err("hunk " hunkhdr " of " file " does not follow the previous hunk")
      if (!newfile && ns != os + shift) err(sprintf("hunk %s of %s: new start %d, expected %d", hunkhdr, file, ns, os + shift))
      if (newfile && (os != 0 || oc != 0 || ns != 1)) err("new file hunk must be @@ -0,0 +1,N @@: " hunkhdr)
      lastold = os + oc; shift += nc - oc; oldleft = oc; newleft = nc; inhunk = 1
      next
    }
    inhunk && /^-- $/ && oldleft == 0 && newleft == 0 { close_file(); indiff = 0; sig = 1; next }
    inhunk && /^[-+ ]/ {
      c = substr($0, 1, 1)
      if (c != "+") oldleft--
      if (c != "-") newleft--
      if (c == "+") plus++
      if (c == "-") minus++
      if (oldleft < 0 || newleft < 0) { err("hunk " hunkhdr " of " file " has more lines than its header says"); inhunk = 0 }
      next
    }
    inhunk && /^\\ No newline at end of file$/ { next }
    inhunk && /^$/ { err("empty line inside hunk " hunkhdr " of " file " (context lines start with a space)"); next }
    inhunk { err("unexpected line inside hunk " hunkhdr " of " file ": " $0) }
    END {
      close_file()
      if (!hasfrom) err("no From: header"); if (!hasdate) err("no Date: header")
      if (!hassubject) err("no Subject: [PATCH n/N] header"); if (!sep) err("no --- line before the diff")
      if (!files) err("no diff --git section"); if (!sig) err("no \"-- \" signature after the last hunk")
      for (p in stat) {
        found = 0
        for (af in added) {
          if (af == p || (substr(p, 1, 3) == "..." && substr(af, length(af) - length(p) + 4) == substr(p, 4))) {
            found = 1
            if (stat[p] != added[af] + removed[af]) err(sprintf("diffstat says %d changed lines for %s, hunks have %d", stat[p], p, added[af] + removed[af]))
          }
        }
        if (!found) err("diffstat names " p ", which no diff section changes")
      }
      exit bad
    }
  ' "$1"
}
wellformed=true
for f in "${files[@]}"; do
  if ! check_patch "$f"; then
    wellformed=false
    failures=$((failures + 1))
  fi
done
$wellformed && ((${#files[@]})) && ok "${#files[@]} patches well formed (mail headers, hunk line counts and positions, diffstat)"

# Patch numbering: [PATCH i/N] in file order, N = number of files.
i=0
for f in "${files[@]}"; do
  i=$((i + 1))
  grep -q "^Subject: \[PATCH $i/${#files[@]}\] " "$f" || fail "$(basename "$f"): expected Subject: [PATCH $i/${#files[@]}]"
done

# --- 2. the logger the first patch adds is the tested source in src/ --------------------------
extract_new_file() { # patch, path: prints the + lines of the new-file diff of path
  awk -v want="$2" '
    /^diff --git / { on = ($0 == "diff --git a/" want " b/" want); inh = 0; next }
    on && /^@@ / { inh = 1; next }
    on && inh && /^-- $/ { exit }
    on && inh && /^\+/ { print substr($0, 2) }
  ' "$1"
}
logger_pkg="staging/src/k8s.io/client-go/tools/lifecyclelog"
# golden_test.go stays out of the patch: it reads k3s-patch/testdata.
for base in lifecyclelog.go lifecyclelog_test.go; do
  src="$here/src/lifecyclelog/$base"
  carrier="$(grep -l "^+++ b/$logger_pkg/$base\$" "${files[@]}" 2>/dev/null | head -1 || true)"
  if [[ -z "$carrier" ]]; then
    fail "no patch adds $logger_pkg/$base"
  elif cmp -s <(extract_new_file "$carrier" "$logger_pkg/$base") "$src"; then
    ok "$(basename "$carrier") adds $base identical to src/lifecyclelog/$base"
  else
    fail "$(basename "$carrier"): $logger_pkg/$base differs from src/lifecyclelog/$base (regenerate the patch)"
  fi
done

if bash -n "$here/build.sh"; then ok "build.sh parses (bash -n)"; else fail "build.sh has a syntax error"; fi

# --- 2b. upstream.tsv: which upstream text each touched file was checked against ----------------
# Rows: path <TAB> blob id at the pinned tag, or "unverified" <TAB> what the hunks were checked
# against. Every file the patches modify has one row; a recorded blob must be the one the patch's
# index line names, so the two cannot drift apart.
manifest="$patches/upstream.tsv"
modified_files() { # the files the patches modify (not the ones they add), with the old blob of the index line or "-"
  awk '
    /^diff --git / { if (f != "" && !nf) print f "\t" (ix == "" ? "-" : ix); f = $0; sub(/^diff --git a\/.* b\//, "", f); nf = 0; ix = ""; next }
    /^new file mode / { nf = 1; next }
    /^index [0-9a-f]+\.\.[0-9a-f]+/ { ix = $2; sub(/\.\..*/, "", ix); next }
    END { if (f != "" && !nf) print f "\t" (ix == "" ? "-" : ix) }
  ' "$@" | sort -u
}
if [[ ! -f $manifest ]]; then
  fail "no upstream.tsv next to the patches ($manifest)"
else
  manifest_errors="$(awk -F'\t' -v name=upstream.tsv '
    /^#/ || /^$/ { next }
    NF != 3 { printf "%s:%d: expected 3 tab-separated fields, got %d\n", name, NR, NF; next }
    $2 != "unverified" && ($2 !~ /^[0-9a-f]+$/ || length($2) != 40) { printf "%s:%d: blob must be 40 hex digits or \"unverified\": %s\n", name, NR, $2; next }
    seen[$1]++ { printf "%s:%d: %s listed twice\n", name, NR, $1 }
  ' "$manifest")"
  while IFS=$'\t' read -r path index_blob; do
    row="$(awk -F'\t' -v p="$path" '$1 == p { print $2 }' "$manifest")"
    if [[ -z "$row" ]]; then
      manifest_errors+=$'\n'"upstream.tsv: no row for $path, which the patches modify"
    elif [[ "$row" == unverified && "$index_blob" != - ]]; then
      manifest_errors+=$'\n'"upstream.tsv: $path is unverified, but its patch names blob $index_blob"
    elif [[ "$row" != unverified && ( "$index_blob" == - || "$row" != "$index_blob"* ) ]]; then
      manifest_errors+=$'\n'"upstream.tsv: $path records blob $row, its patch names ${index_blob/#-/no blob}"
    fi
  done < <(modified_files "${files[@]}")
  for path in $(awk -F'\t' '!/^#/ && NF { print $1 }' "$manifest"); do
    modified_files "${files[@]}" | cut -f1 | grep -qxF "$path" || manifest_errors+=$'\n'"upstream.tsv: $path is listed but no patch modifies it"
  done
  manifest_errors="$(sed '/^$/d' <<<"$manifest_errors")"
  if [[ -n "$manifest_errors" ]]; then
    while IFS= read -r line; do fail "$line"; done <<<"$manifest_errors"
  else
    ok "upstream.tsv: $(grep -c -v -e '^#' -e '^$' "$manifest") touched files, $(awk -F'\t' '!/^#/ && NF && $2 != "unverified"' "$manifest" | wc -l) with the pinned blob recorded; index lines agree"
  fi
fi

# The hook hunks (those adding a lifecyclelog.X call) of the patches: DIR/<path, / as _>.<n>
# holds the added lines of the n-th hook hunk of that file, in patch order.
extract_hooks() { # dir, patch...
  local dir="$1"
  shift
  awk -v out="$dir" '
    function flush(   key, f, i) {
      if (inh && hook) {
        n[file]++; key = file; gsub("/", "_", key); f = out "/" key "." n[file]
        for (i = 1; i <= nlines; i++) print lines[i] > f
        close(f)
      }
      inh = 0; nlines = 0; hook = 0
    }
    /^diff --git / { flush(); file = $0; sub(/^diff --git a\/.* b\//, "", file); newfile = 0; next }
    /^new file mode / { newfile = 1; next }
    /^@@ / { flush(); inh = !newfile; next }
    /^-- $/ { flush(); file = ""; next }
    inh && /^\+/ { line = substr($0, 2); lines[++nlines] = line; if (line ~ /lifecyclelog\./) hook = 1; next }
    END { flush() }
  ' "$@"
}
# Copies scopes.go.in from stdin, each "// HOOK <path> <n>" line replaced by that hook's lines;
# fails if a marker has no hook or a hook no marker.
fill_hooks() { # dir
  awk -v dir="$1" '
    /^[ \t]*\/\/ HOOK / {
      key = $3; gsub("/", "_", key); f = dir "/" key "." $4
      if ((getline line < f) <= 0) { print "scopes.go.in: no hook hunk " $4 " of " $3 " in the patches" > "/dev/stderr"; bad = 1; next }
      do print line; while ((getline line < f) > 0)
      close(f); used++
      next
    }
    { print }
    END { exit bad }
  ' || return 1
  local have used_n
  have="$(find "$1" -type f | wc -l)"
  used_n="$(grep -c '^[[:space:]]*// HOOK ' "$here/src/hookcheck/scopes.go.in")"
  if ((have != used_n)); then
    echo "scopes.go.in has $used_n HOOK markers, the patches have $have hook hunks:" $(cd "$1" && ls) >&2
    return 1
  fi
}

# --- 3. gofmt, go vet, go test of the logger ----------------------------------------------------
if command -v gofmt >/dev/null; then
  unformatted="$(gofmt -l "$here/src/lifecyclelog" "$here/src/hookcheck")"
  [[ -z "$unformatted" ]] && ok "gofmt: src/lifecyclelog and src/hookcheck are formatted" || fail "gofmt would reformat: $unformatted"
else
  skip "gofmt not installed (apt-get install golang-go)"
fi

if command -v go >/dev/null; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cp "$here"/src/lifecyclelog/*.go "$work/"
  debian_klog=/usr/share/gocode/src/k8s.io/klog
  debian_logr=/usr/share/gocode/src/github.com/go-logr/logr
  {
    echo "module wasmorch.dev/k3spatch/lifecyclelog"
    echo
    echo "go 1.19"
    echo
    echo "require k8s.io/klog/v2 v2.80.1"
    if [[ -f $debian_klog/go.mod && -f $debian_logr/go.mod ]]; then
      echo
      echo "require github.com/go-logr/logr v1.2.0 // indirect"
      echo
      echo "replace k8s.io/klog/v2 => $debian_klog"
      echo
      echo "replace github.com/go-logr/logr => $debian_logr"
    fi
  } >"$work/go.mod"
  export GOFLAGS=-mod=mod
  # Go keeps its build cache under $HOME; without one (some CI shells) use a throw-away cache.
  [[ -n "${GOCACHE:-}${XDG_CACHE_HOME:-}${HOME:-}" ]] || export GOCACHE="$work/cache"
  [[ -f $debian_klog/go.mod ]] && export GOPROXY=off
  logger_ok=false
  if (cd "$work" && go vet ./... && WASMORCH_GOLDEN_DIR="$here/testdata" go test -count=1 ./...) >"$work/go.log" 2>&1; then
    logger_ok=true
    ok "go vet and go test of src/lifecyclelog, golden files included ($(go version | awk '{print $3}'), klog $( [[ -f $debian_klog/go.mod ]] && echo "from golang-k8s-klog-dev" || echo "from the module proxy"))"
  elif grep -q "k8s.io/klog" "$work/go.log" && ! grep -q -- "--- FAIL" "$work/go.log"; then
    skip "go test of src/lifecyclelog: klog not available offline (apt-get install golang-k8s-klog-dev)"
  else
    cat "$work/go.log"
    fail "go vet / go test of src/lifecyclelog"
  fi
  # Every hook line of the patches, verbatim, compiled against the real logger in a function that
  # declares the upstream variables it reads (src/hookcheck). This checks the calls' names, arity
  # and argument types; that the variables exist at the hook in the pinned release is what
  # patches/upstream.tsv records and --tree's go build proves.
  if $logger_ok; then
    mkdir -p "$work/hooks" "$work/hookcheck"
    cp -r "$here/src/hookcheck/standin" "$work/hookcheck/"
    extract_hooks "$work/hooks" "${files[@]}"
    if fill_hooks "$work/hooks" <"$here/src/hookcheck/scopes.go.in" >"$work/hookcheck/scopes.go" 2>"$work/hooks.log" \
        && (cd "$work" && go vet ./hookcheck/...) >>"$work/hooks.log" 2>&1; then
      ok "hookcheck: the $(find "$work/hooks" -type f | wc -l) hook hunks of patches/ compile against lifecyclelog in their upstream scopes (src/hookcheck)"
    else
      cat "$work/hooks.log"
      fail "hookcheck: the hook lines of patches/ do not compile against lifecyclelog in src/hookcheck's scopes"
    fi
  fi
  if $bench; then
    echo "== go test -bench (src/lifecyclelog)"
    (cd "$work" && go test -run '^$' -bench . -benchmem -count 5 ./...) || fail "go benchmarks of src/lifecyclelog"
  fi
else
  skip "go not installed: no go vet / go test of the logger (apt-get install golang-go golang-k8s-klog-dev)"
fi

# --- 4. against a checkout of the pinned k3s-io/kubernetes tag ----------------------------------
if [[ -z "$tree" ]]; then
  skip "no kubernetes checkout given (--tree DIR or K3S_KUBERNETES_TREE): git apply --check and the build of the touched packages were not run"
elif ! git -C "$tree" rev-parse --git-dir >/dev/null 2>&1; then
  fail "--tree $tree is not a git checkout"
else
  pinned="$(sed -n 's/^KUBERNETES_TAG=//p' "$here/versions.env")"
  actual="$(git -C "$tree" describe --tags --exact-match 2>/dev/null || git -C "$tree" rev-parse --short HEAD)"
  [[ "$actual" == "$pinned" ]] || echo "note: checkout is at $actual, the pinned tag is $pinned"
  # The checkout's blob of every touched file against upstream.tsv: at the pinned tag a recorded
  # blob must match; elsewhere a difference is only reported.
  if [[ -f $manifest ]]; then
    while IFS=$'\t' read -r path recorded _; do
      have="$(git -C "$tree" rev-parse -q --verify "HEAD:$path" 2>/dev/null || true)"
      if [[ -z "$have" ]]; then
        fail "$path, which the patches modify, is not in $tree ($actual)"
      elif [[ "$recorded" == "$have" ]]; then
        ok "$path is blob ${have:0:12} in $actual, as upstream.tsv records"
      elif [[ "$recorded" == unverified ]]; then
        echo "note: $path is blob $have in $actual; upstream.tsv records none (--refresh on a checkout of $pinned records it)"
      elif [[ "$actual" == "$pinned" ]]; then
        fail "$path is blob $have at $pinned, upstream.tsv records $recorded"
      else
        echo "note: $path is blob $have in $actual, upstream.tsv records $recorded (the blob at $pinned)"
      fi
    done < <(awk -F'\t' '!/^#/ && NF == 3' "$manifest")
  fi
  if git -C "$tree" apply --check "${files[@]}"; then
    ok "git apply --check: all patches apply to $tree ($actual)"
    wt="$(mktemp -d)/kubernetes"
    git -C "$tree" worktree add -q --detach "$wt" HEAD
    cleanup_wt() { git -C "$tree" worktree remove --force "$wt" >/dev/null 2>&1 || true; }
    trap 'cleanup_wt; rm -rf "${work:-}"' EXIT
    git -C "$wt" -c user.name=wasmorch -c user.email=wasmorch@users.noreply.github.com am -q "${files[@]}"
    need_go=""
    tree_build="not built (no go.mod)"
    [[ -f "$wt/go.mod" ]] && need_go="$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$wt/go.mod" | head -1)"
    have_go="$(go version 2>/dev/null | sed -n 's/.*go\([0-9][0-9.]*\).*/\1/p')"
    if [[ -z "$need_go" ]]; then
      skip "go build of the patched tree: $tree has no go.mod (not a kubernetes checkout?)"
    elif [[ -n "$have_go" ]] && [[ "$(printf '%s\n%s\n' "$need_go" "$have_go" | sort -V | head -1)" == "$need_go" ]]; then
      echo "== go build of the touched packages (Go $have_go)"
      tree_build="go build of the touched packages passed"
      if (cd "$wt" && go build ./pkg/scheduler/ ./pkg/kubelet/config/ ./pkg/kubelet/kuberuntime/ ./pkg/kubelet/status/ \
            ./staging/src/k8s.io/client-go/tools/lifecyclelog/ ./staging/src/k8s.io/client-go/tools/record/ \
            ./staging/src/k8s.io/client-go/tools/events/ && go vet ./staging/src/k8s.io/client-go/tools/lifecyclelog/ \
            && go test -count=1 ./staging/src/k8s.io/client-go/tools/lifecyclelog/); then
        ok "patched packages build; lifecyclelog tests pass inside the tree"
      else
        tree_build="go build of the touched packages failed"
        fail "go build / go test in the patched tree"
      fi
    else
      tree_build="not built (needs Go ${need_go:-?})"
      skip "go build of the patched tree: it needs Go $need_go, this machine has ${have_go:-no Go}"
    fi
    if $refresh; then
      git -C "$wt" format-patch -q --zero-commit -n -o "$patches.refreshed" "HEAD~${#files[@]}"
      rm -f "${files[@]}"
      mv "$patches.refreshed"/*.patch "$patches/"
      rmdir "$patches.refreshed"
      ok "patches/ rewritten from the checkout (exact hunk positions and index lines); review with git diff"
      if [[ -f $manifest ]]; then
        tree_commit="$(git -C "$tree" rev-parse HEAD)"
        {
          grep '^#' "$manifest"
          while IFS=$'\t' read -r path _ _; do
            printf '%s\t%s\t%s\n' "$path" "$(git -C "$tree" rev-parse "HEAD:$path")" \
              "verify.sh --refresh on $actual (commit $tree_commit): git apply --check and git am passed; $tree_build"
          done < <(awk -F'\t' '!/^#/ && NF == 3' "$manifest")
        } >"$manifest.new"
        mv "$manifest.new" "$manifest"
        ok "upstream.tsv rewritten with the blobs of $actual"
      fi
    fi
  else
    fail "git apply --check: the patches do not apply to $tree ($actual); rebase them (README.md)"
  fi
fi

if ((failures)); then
  echo "verify.sh: $failures check(s) failed"
  exit 1
fi
echo "verify.sh: all checks that could run passed"
