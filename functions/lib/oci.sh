# oci_pack ROOTFS OUT.tar NAME CONFIG_JSON: writes ROOTFS as a one-layer OCI image layout archive
# (oci-layout, index.json naming the image, blobs/sha256/) that `ctr image import` reads, with
# CONFIG_JSON as the image config's "config" object. The archive is reproducible: entries sorted,
# mtime 0, owner 0:0 numeric, gzip without a name or time, compact JSON written in a fixed order.
# The layout matches the shim's OciImageWriter (shim/src/main/java/dev/wasmorch/shim/image/).

oci_tar() { # oci_tar DIR OUT ENTRY...: a deterministic tar of ENTRY... relative to DIR
  local dir=$1 out=$2
  shift 2
  tar --sort=name --format=gnu --blocking-factor=1 --mtime=@0 --owner=0 --group=0 --numeric-owner \
    --mode='u+rwX,go+rX,go-w' -C "$dir" -cf "$out" "$@"
}

oci_blob() { # oci_blob LAYOUT FILE: moves FILE into the layout's blobs, prints "DIGEST SIZE"
  local digest size
  digest=$(sha256sum "$2" | cut -d' ' -f1)
  size=$(stat -c %s "$2")
  mv "$2" "$1/blobs/sha256/$digest"
  echo "sha256:$digest $size"
}

oci_pack() {
  local rootfs=$1 out=$2 name=$3 config=$4 arch=amd64
  case "$(uname -m)" in aarch64) arch=arm64 ;; esac
  local work
  work=$(mktemp -d)
  mkdir -p "$work/layout/blobs/sha256"
  local entries
  mapfile -t entries < <(cd "$rootfs" && LC_ALL=C ls -A)
  oci_tar "$rootfs" "$work/layer.tar" "${entries[@]}"
  local diff_id layer layer_size cfg cfg_size manifest manifest_size
  diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  gzip -n -9 <"$work/layer.tar" >"$work/layer.tar.gz"
  read -r layer layer_size < <(oci_blob "$work/layout" "$work/layer.tar.gz")
  printf '{"architecture":"%s","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["%s"]}}' \
    "$arch" "$config" "$diff_id" >"$work/config.json"
  read -r cfg cfg_size < <(oci_blob "$work/layout" "$work/config.json")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}],"annotations":{"org.opencontainers.image.title":"%s"}}' \
    "$cfg" "$cfg_size" "$layer" "$layer_size" "$name" >"$work/manifest.json"
  read -r manifest manifest_size < <(oci_blob "$work/layout" "$work/manifest.json")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"architecture":"%s","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$manifest" "$manifest_size" "$arch" "$name" "$name" >"$work/layout/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$work/layout/oci-layout"
  oci_tar "$work/layout" "$out" oci-layout index.json blobs
  rm -rf "$work"
}
