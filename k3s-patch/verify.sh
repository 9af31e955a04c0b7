#!/usr/bin/env bash
# Checks the wasmorch K3s patches as far as this machine allows, and says what it skipped.
#
#   k3s-patch/verify.sh [--patches DIR] [--tree KUBERNETES_CHECKOUT] [--refresh] [--bench]
#
# Always: every patch in patches/ is a well-formed `git format-patch` mail (From line, From:,
# Date:, Subject: [PATCH n/N], a diff, the signature), every hunk's header agrees with its lines,
# the diffstat agrees with the hunks, and the lifecyclelog files the first patch adds are
# byte-identical to src/lifecyclelog/.
# With gofmt: src/lifecyclelog is gofmt-clean.
# With go and klog (Debian's golang-k8s-klog-dev, or a reachable Go module proxy): go vet and
# go test of src/lifecyclelog, including the check that testdata/*/k3s.log holds exactly the
# lines the logger writes.
# With --tree (or $K3S_KUBERNETES_TREE), a git checkout of the pinned k3s-io/kubernetes tag:
# `git apply --check` of all patches, then, in a throw-away worktree with the patches applied by
# `git am`, `go build` of every touched package when the checkout's Go version is installed.
# --refresh additionally rewrites patches/ from that worktree with `git format-patch`, so hunk
# positions and index lines become exactly those of the checkout (the rebase step of README.md).
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
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
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

# --- 3. gofmt, go vet, go test of the logger ----------------------------------------------------
if command -v gofmt >/dev/null; then
  unformatted="$(gofmt -l "$here/src/lifecyclelog")"
  [[ -z "$unformatted" ]] && ok "gofmt: src/lifecyclelog is formatted" || fail "gofmt would reformat: $unformatted"
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
  if (cd "$work" && go vet ./... && WASMORCH_GOLDEN_DIR="$here/testdata" go test -count=1 ./...) >"$work/go.log" 2>&1; then
    ok "go vet and go test of src/lifecyclelog, golden files included ($(go version | awk '{print $3}'), klog $( [[ -f $debian_klog/go.mod ]] && echo "from golang-k8s-klog-dev" || echo "from the module proxy"))"
  elif grep -q "k8s.io/klog" "$work/go.log" && ! grep -q -- "--- FAIL" "$work/go.log"; then
    skip "go test of src/lifecyclelog: klog not available offline (apt-get install golang-k8s-klog-dev)"
  else
    cat "$work/go.log"
    fail "go vet / go test of src/lifecyclelog"
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
  if git -C "$tree" apply --check "${files[@]}"; then
    ok "git apply --check: all patches apply to $tree ($actual)"
    wt="$(mktemp -d)/kubernetes"
    git -C "$tree" worktree add -q --detach "$wt" HEAD
    cleanup_wt() { git -C "$tree" worktree remove --force "$wt" >/dev/null 2>&1 || true; }
    trap 'cleanup_wt; rm -rf "${work:-}"' EXIT
    git -C "$wt" -c user.name=wasmorch -c user.email=wasmorch@users.noreply.github.com am -q "${files[@]}"
    need_go=""
    [[ -f "$wt/go.mod" ]] && need_go="$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$wt/go.mod" | head -1)"
    have_go="$(go version 2>/dev/null | sed -n 's/.*go\([0-9][0-9.]*\).*/\1/p')"
    if [[ -z "$need_go" ]]; then
      skip "go build of the patched tree: $tree has no go.mod (not a kubernetes checkout?)"
    elif [[ -n "$have_go" ]] && [[ "$(printf '%s\n%s\n' "$need_go" "$have_go" | sort -V | head -1)" == "$need_go" ]]; then
      echo "== go build of the touched packages (Go $have_go)"
      if (cd "$wt" && go build ./pkg/scheduler/ ./pkg/kubelet/config/ ./pkg/kubelet/kuberuntime/ ./pkg/kubelet/status/ \
            ./staging/src/k8s.io/client-go/tools/lifecyclelog/ ./staging/src/k8s.io/client-go/tools/record/ \
            ./staging/src/k8s.io/client-go/tools/events/ && go vet ./staging/src/k8s.io/client-go/tools/lifecyclelog/ \
            && go test -count=1 ./staging/src/k8s.io/client-go/tools/lifecyclelog/); then
        ok "patched packages build; lifecyclelog tests pass inside the tree"
      else
        fail "go build / go test in the patched tree"
      fi
    else
      skip "go build of the patched tree: it needs Go $need_go, this machine has ${have_go:-no Go}"
    fi
    if $refresh; then
      git -C "$wt" format-patch -q --zero-commit -n -o "$patches.refreshed" "HEAD~${#files[@]}"
      rm -f "${files[@]}"
      mv "$patches.refreshed"/*.patch "$patches/"
      rmdir "$patches.refreshed"
      ok "patches/ rewritten from the checkout (exact hunk positions and index lines); review with git diff"
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
