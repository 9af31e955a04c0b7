#!/usr/bin/env bash
# test-c.sh OUT_DIR: builds and runs the kernels' native unit tests (src/c/test) and checks that
# the committed whatlang profiles are what OUT_DIR/tools/make_profiles (from build.sh) makes of
# baas/corpus/. Exits non-zero if any test fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "${1:?usage: test-c.sh OUT_DIR}" && pwd)
src=$here/src/c
bin=$out/ctest
mkdir -p "$bin"
cflags=(-O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror)
common=("$src/common/fn.c" "$src/common/json.c" "$src/common/crypto.c")
http=("$src/common/http_curl.c" -lcurl)

declare -A sources=(
  [test_common]=""
  [test_crypto]=""
  [test_aes]="$src/fn/aes.c"
  [test_float_operation]="$src/fn/float_operation.c"
  [test_fuzzysearch]="$src/fn/fuzzysearch.c"
  [test_linear_equations]="$src/fn/linear_equations.c"
  [test_matmul]="$src/fn/matmul.c"
  [test_n_body]="$src/fn/n_body.c"
  [test_prime_numbers]="$src/fn/prime_numbers.c"
  [test_user_manager]="$src/fn/user_manager.c"
  [test_whatlang]="$src/fn/whatlang.c"
)
failed=0
for t in $(printf '%s\n' "${!sources[@]}" | sort); do
  # shellcheck disable=SC2086 # the source list is one path or none
  gcc "${cflags[@]}" -o "$bin/$t" "$src/test/$t.c" ${sources[$t]} "${common[@]}" "${http[@]}" -lm
  args=()
  [[ $t == test_whatlang ]] && args=("$here/baas/objects/whatlang/profiles.txt")
  "$bin/$t" "${args[@]}" || failed=1
done

corpus=()
for f in "$here"/baas/corpus/*.txt; do
  code=$(basename "$f" .txt)
  corpus+=("$code=$f")
done
if "$out/tools/make_profiles" "${corpus[@]}" | cmp -s - "$here/baas/objects/whatlang/profiles.txt"; then
  echo "profiles: 1 passed, 0 failed"
else
  echo "profiles: baas/objects/whatlang/profiles.txt is not what make_profiles makes of baas/corpus/;" \
    "rebuild it: $out/tools/make_profiles CODE=baas/corpus/CODE.txt... > baas/objects/whatlang/profiles.txt" >&2
  echo "profiles: 0 passed, 1 failed"
  failed=1
fi
exit $failed
