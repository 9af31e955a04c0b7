#!/usr/bin/env bash
# Builds a K3s binary that writes wasmorch pod-lifecycle lines (see README.md).
#
#   k3s-patch/build.sh [--workdir DIR] [--local]
#
# Needs network access, git, make and Docker (K3s's `make` builds inside its dapper container);
# with --local it runs K3s's scripts/download, scripts/build and scripts/package-cli on this
# machine instead, which needs Go (the version of K3s's go.mod), gcc, libseccomp-dev and zstd.
# The result is DIR/k3s/dist/artifacts/k3s (default DIR: ./k3s-build).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
workdir="$PWD/k3s-build"
local_build=false
while (($#)); do
  case "$1" in
    --workdir) workdir="$2"; shift 2 ;;
    --local) local_build=true; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

# versions.env holds KEY=VALUE lines; read them without executing the file.
value() { sed -n "s/^$1=//p" "$here/versions.env"; }
K3S_TAG="${K3S_TAG:-$(value K3S_TAG)}"
K3S_REPO="$(value K3S_REPO)"
KUBERNETES_TAG="${KUBERNETES_TAG:-$(value KUBERNETES_TAG)}"
KUBERNETES_REPO="$(value KUBERNETES_REPO)"

need() { command -v "$1" >/dev/null || { echo "build.sh: '$1' is required ($2)" >&2; exit 1; }; }
need git "to clone K3s and k3s-io/kubernetes"
need make "K3s builds with make"
if $local_build; then need go "--local builds with the Go of this machine"; else need docker "K3s's make runs in Docker; or use --local"; fi

step() { echo; echo "== [$1/6] $2"; }
mkdir -p "$workdir"
k3s="$workdir/k3s"
kube="$k3s/wasmorch-kubernetes"   # inside the K3s tree, so the dapper build container sees it

step 1 "clone K3s $K3S_TAG"
if [[ ! -d $k3s/.git ]]; then
  git clone --progress --depth 1 --branch "$K3S_TAG" "$K3S_REPO" "$k3s"
fi
replace="$(sed -n 's/^[[:space:]]*k8s\.io\/kubernetes => //p' "$k3s/go.mod")"
if [[ "$replace" != "github.com/k3s-io/kubernetes $KUBERNETES_TAG" ]]; then
  echo "build.sh: K3s $K3S_TAG replaces k8s.io/kubernetes with '$replace', the patches are pinned to" \
    "github.com/k3s-io/kubernetes $KUBERNETES_TAG. Set KUBERNETES_TAG to that tag and check the patches" \
    "with verify.sh --tree (README.md, 'Moving to a new K3s release')." >&2
  exit 1
fi

step 2 "clone k3s-io/kubernetes $KUBERNETES_TAG and apply the patches"
if [[ ! -d $kube/.git ]]; then
  git clone --progress --depth 1 --branch "$KUBERNETES_TAG" "$KUBERNETES_REPO" "$kube"
fi
if ! git -C "$kube" log --format=%s "$KUBERNETES_TAG..HEAD" | grep -q "log pod lifecycle steps"; then
  git -C "$kube" -c user.name=wasmorch -c user.email=wasmorch@users.noreply.github.com am -3 "$here"/patches/*.patch
fi
git -C "$kube" log --oneline "$KUBERNETES_TAG..HEAD"

step 3 "point K3s's go.mod at the patched tree"
(
  cd "$k3s"
  # Every staging module the patches touch, and k8s.io/kubernetes itself.
  go_mod_edit=(-replace "k8s.io/kubernetes=./wasmorch-kubernetes"
    -replace "k8s.io/client-go=./wasmorch-kubernetes/staging/src/k8s.io/client-go")
  if command -v go >/dev/null; then
    go mod edit "${go_mod_edit[@]}"
  else
    sed -i -e 's#^\([[:space:]]*k8s\.io/kubernetes => \).*#\1./wasmorch-kubernetes#' \
      -e 's#^\([[:space:]]*k8s\.io/client-go => \).*#\1./wasmorch-kubernetes/staging/src/k8s.io/client-go#' go.mod
  fi
  grep -E '^[[:space:]]*k8s\.io/(kubernetes|client-go) => \./wasmorch-kubernetes' go.mod
  # K3s takes its Kubernetes version from the replace of k8s.io/kubernetes, which is now a path.
  if ! grep -q 'VERSION_K8S_K3S=$(get-module-version k8s.io/kubernetes)' scripts/version.sh; then
    echo "build.sh: scripts/version.sh no longer reads VERSION_K8S_K3S from go.mod; set the Kubernetes" \
      "version there by hand to $KUBERNETES_TAG" >&2
    exit 1
  fi
  sed -i "s/VERSION_K8S_K3S=\$(get-module-version k8s.io\/kubernetes)/VERSION_K8S_K3S=$KUBERNETES_TAG/" scripts/version.sh
  # A commit of its own keeps the build from claiming to be the release: the version becomes
  # <kubernetes version>+k3s-<commit>.
  git add go.mod scripts/version.sh
  git -c user.name=wasmorch -c user.email=wasmorch@users.noreply.github.com commit -q -m \
    "Build with the wasmorch lifecycle patches on $KUBERNETES_TAG" || true
)

step 4 "download K3s's bundled binaries and generate"
cd "$k3s"
mkdir -p build/data
if $local_build; then ./scripts/download && go generate; else make download && make generate; fi

step 5 "build (this takes a while)"
if $local_build; then
  ./scripts/build && ./scripts/package-cli
else
  SKIP_VALIDATE=true make
fi

step 6 "done"
ls -l "$k3s/dist/artifacts/"
echo "Install it on the server and every agent as README.md says (replace /usr/local/bin/k3s," \
  "add WASMORCH_LIFECYCLE_LOG=1 to the service's environment file, restart)."
