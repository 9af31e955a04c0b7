#!/usr/bin/env bash
# build.sh OUT_DIR: builds every function in catalog.json for both targets and packs the images:
#   OUT_DIR/NAME/NAME.wasm   the WAGI module (clang --target=wasm32-wasi)
#   OUT_DIR/NAME/NAME        the native server (gcc, libmicrohttpd)
#   OUT_DIR/NAME/wasm.tar    OCI image: spin.toml + the module, for the shim
#   OUT_DIR/NAME/native.tar  OCI image for runc: the server and the shared objects it loads
# and OUT_DIR/tools/make_profiles (whatlang's profile builder). Installs missing Debian packages
# with apt-get (as root). The same sources give byte-identical image archives on the same
# Debian package versions (the native images carry the machine's shared libraries).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# shellcheck source=lib/oci.sh
. "$here/lib/oci.sh"
# shellcheck source=lib/apt.sh
. "$here/lib/apt.sh"

ensure_packages jq clang lld wasi-libc libclang-rt-dev-wasm32 gcc libc6-dev libmicrohttpd-dev libcurl4-openssl-dev

src=$here/src/c
common=("$src/common/fn.c" "$src/common/json.c" "$src/common/crypto.c")
cflags=(-O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror)
mapfile -t names < <(jq -r '.functions[].name' "$here/catalog.json")

echo "== building ${#names[@]} functions into $out"
for name in "${names[@]}"; do
  file=${name//-/_}
  dir=$out/$name
  rm -rf "$dir"
  mkdir -p "$dir"
  # Only the functions that call a service link an HTTP client: libcurl natively, the host's
  # wasi_experimental_http imports on WASM.
  wasm_http=() native_http=() native_libs=()
  if [[ $(jq -r --arg n "$name" '.functions[] | select(.name == $n) | .services | length' "$here/catalog.json") != 0 ]]; then
    wasm_http=("$src/common/http_wasi.c")
    native_http=("$src/common/http_curl.c")
    native_libs=(-lcurl)
  fi
  echo "-- $name: wasm32-wasi"
  clang --target=wasm32-wasi --sysroot=/usr "${cflags[@]}" -Wl,--strip-all -o "$dir/$file.wasm" \
    "$src/fn/$file.c" "${common[@]}" "${wasm_http[@]}" "$src/adapter/wagi.c" -lm
  echo "-- $name: native"
  gcc "${cflags[@]}" -s -o "$dir/$file" "$src/fn/$file.c" "${common[@]}" "${native_http[@]}" \
    "$src/adapter/mhd.c" -lmicrohttpd "${native_libs[@]}" -lm -lpthread
done

mkdir -p "$out/tools"
gcc "${cflags[@]}" -o "$out/tools/make_profiles" "$src/fn/make_profiles.c" "$src/fn/whatlang.c" "${common[@]}" \
  "$src/common/http_curl.c" -lcurl -lm

echo "== packing images"
for name in "${names[@]}"; do
  file=${name//-/_}
  dir=$out/$name
  hosts=$(jq -r --arg n "$name" '.functions[] | select(.name == $n) | .allowed_http_hosts // [] | map("\"" + . + "\"") | join(", ")' "$here/catalog.json")

  app=$(mktemp -d)
  cp "$dir/$file.wasm" "$app/$file.wasm"
  chmod 0644 "$app/$file.wasm"
  {
    echo 'spin_version = "1"'
    echo "name = \"$name\""
    echo 'trigger = { type = "http", base = "/" }'
    echo
    echo '[[component]]'
    echo "id = \"$file\""
    echo "source = \"$file.wasm\""
    [[ -n $hosts ]] && echo "allowed_http_hosts = [$hosts]"
    echo '[component.trigger]'
    echo 'route = "/..."'
    echo 'executor = { type = "wagi" }'
  } >"$app/spin.toml"
  chmod 0644 "$app/spin.toml"
  oci_pack "$app" "$dir/wasm.tar" "docker.io/wasmorch/$name:wasm" '{"Entrypoint":["/spin.toml"]}'
  rm -rf "$app"

  # The native root holds the server and exactly what the dynamic linker loads for it (ldd),
  # each under the path the binary asks for.
  root=$(mktemp -d)
  install -m 0755 "$dir/$file" "$root/$file"
  while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
    chmod 0755 "$root$lib"
  done < <(ldd "$dir/$file" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)
  find "$root" -type d -exec chmod 0755 {} +
  oci_pack "$root" "$dir/native.tar" "docker.io/wasmorch/$name:native" \
    "{\"User\":\"65532:65532\",\"Env\":[\"PORT=8080\"],\"Entrypoint\":[\"/$file\"],\"ExposedPorts\":{\"8080/tcp\":{}},\"WorkingDir\":\"/\"}"
  rm -rf "$root"
done

echo "== image sizes (bytes)"
printf '%-18s %10s %10s %12s %12s\n' function module wasm.tar binary native.tar
for name in "${names[@]}"; do
  file=${name//-/_}
  dir=$out/$name
  printf '%-18s %10s %10s %12s %12s\n' "$name" "$(stat -c %s "$dir/$file.wasm")" "$(stat -c %s "$dir/wasm.tar")" \
    "$(stat -c %s "$dir/$file")" "$(stat -c %s "$dir/native.tar")"
done
