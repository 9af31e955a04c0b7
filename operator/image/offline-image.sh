#!/bin/sh
# Builds the operator's container image with Jib where no registry is reachable, and with --check
# proves it runs: the base image is made from this machine's JDK (jlink) and the C libraries it
# links against, written as a `docker save` tarball that Jib takes as tar://. The result is
# unpacked and started with runc (as root, host network): first it must print its help, then it
# must reconcile a WasmApp held by a mock API server on 127.0.0.1 (ImageCheckServer in the test
# sources), creating the Deployment and writing the status.
#
#   operator/image/offline-image.sh [--check]    # from anywhere; needs JDK 17+, Maven, tar, ldd;
#                                                # --check also runc and jq, and port 18443 free
#
# Output: operator/target/wasmorch-operator-image.tar (`docker load -i` or `ctr images import`).
set -eu

check=false
[ "${1:-}" = "--check" ] && check=true
module=$(cd "$(dirname "$0")/.." && pwd)
work="$module/target/offline-image"
rm -rf "$work"
mkdir -p "$work/base/root"

# 1. Base image: a JRE with the modules the operator uses, plus its shared libraries.
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
"$java_home/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --output "$work/base/root/opt/java"
find "$work/base/root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u \
  | while read -r lib; do cp --parents -L "$lib" "$work/base/root"; done
mkdir -p "$work/base/root/tmp" && chmod 1777 "$work/base/root/tmp"
(cd "$work/base/root" && tar --numeric-owner --owner=0 --group=0 -cf ../layer.tar .)
diff_id=$(sha256sum "$work/base/layer.tar" | cut -d' ' -f1)
cat > "$work/base/config.json" <<EOF
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java"]},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]}}
EOF
echo '[{"Config":"config.json","RepoTags":["wasmorch/local-jre:17"],"Layers":["layer.tar"]}]' > "$work/base/manifest.json"
(cd "$work/base" && tar -cf "$work/base.tar" manifest.json config.json layer.tar)

# 2. The operator image on top of it, as the pom configures it (jib-maven-plugin). The operator
#    module is built alone, so the contract module it depends on (and the parent pom) is installed first.
mvn -B -ntp -q -f "$module/../pom.xml" -pl contract -am -DskipTests install
mvn -B -ntp -q -f "$module/pom.xml" -DskipTests package jib:buildTar -Djib.from.image="tar://$work/base.tar" \
  dependency:build-classpath -Dmdep.outputFile="$work/test-classpath.txt" -Dmdep.includeScope=test
image="$module/target/wasmorch-operator-image.tar"
echo "image: $image"
$check || exit 0

# 3. Run it: unpack the layers in order into a root file system and start the entrypoint with runc.
mkdir -p "$work/run/image" "$work/bundle/rootfs"
tar -xf "$image" -C "$work/run/image"
for layer in $(jq -r '.[0].Layers[]' "$work/run/image/manifest.json"); do
  tar --warning=no-unknown-keyword -xzf "$work/run/image/$layer" -C "$work/bundle/rootfs"
done
# In a pod the kubelet mounts /etc/hosts; without one the JVM cannot resolve its own host name.
mkdir -p "$work/bundle/rootfs/etc" && echo "127.0.0.1 localhost runc" > "$work/bundle/rootfs/etc/hosts"
config="$work/run/image/$(jq -r '.[0].Config' "$work/run/image/manifest.json")"
(cd "$work/bundle" && runc spec)
jq --slurpfile image "$config" '
  .process.args = ($image[0].config.Entrypoint + ["--help"])
  | .process.env = $image[0].config.Env
  | .process.cwd = "/"
  | .process.terminal = false
  | .process.user = {uid: ($image[0].config.User | split(":")[0] | tonumber), gid: ($image[0].config.User | split(":")[1] | tonumber)}
  | .root.readonly = true' "$work/bundle/config.json" > "$work/bundle/config.new" && mv "$work/bundle/config.new" "$work/bundle/config.json"
out=$(cd "$work/bundle" && runc run "wasmorch-image-help-$$" 2>&1) || { echo "$out"; echo "FAIL: the image did not run"; exit 1; }
echo "$out" | head -3
echo "$out" | grep -q '^Usage: wasmorch operator' || { echo "FAIL: no help output"; exit 1; }

# 4. The same container as an operator, on the host network, against the mock API server.
port=18443
java -Djava.util.logging.config.file="$module/src/test/resources/logging.properties" -cp "$module/target/classes:$module/target/test-classes:$(cat "$work/test-classpath.txt")" \
  dev.wasmorch.operator.image.ImageCheckServer "$port" "$work/bundle/rootfs/etc/kubeconfig" 120 &
server=$!
while [ ! -s "$work/bundle/rootfs/etc/kubeconfig" ]; do kill -0 "$server" || exit 1; sleep 0.5; done
jq '.process.args = (.process.args[:-1] + ["-n", "functions"])
  | .process.env += ["KUBECONFIG=/etc/kubeconfig"]
  | .linux.namespaces |= map(select(.type != "network"))' "$work/bundle/config.json" > "$work/bundle/config.new" \
  && mv "$work/bundle/config.new" "$work/bundle/config.json"
container="wasmorch-image-operator-$$"
(cd "$work/bundle" && runc run "$container" > "$work/operator.log" 2>&1) &
status=0
wait "$server" || status=$?
runc kill "$container" KILL 2>/dev/null || true
sleep 1
runc delete -f "$container" 2>/dev/null || true
if [ "$status" -ne 0 ]; then
  tail -20 "$work/operator.log"
  echo "FAIL: the operator in the image did not reconcile"
  exit 1
fi
echo "OK: the image runs the operator (uid $(jq -r .config.User "$config"), entrypoint $(jq -c .config.Entrypoint "$config"))"
