/* The function as a whole; the AES and SHA-256 primitives have their vectors in test_crypto. */
#include "call.h"
#include "check.h"

int main(void) {
    /* cross-checked with `openssl enc -aes-128-cbc -K <hex of the key> -iv <hex of the IV>` applied
     * three times to "hello", then sha256sum */
    fn_response r = call("POST", "rounds=3", "hello");
    CHECK(r.status == 200 &&
              strcmp(r.body.data, "{\"rounds\":3,\"length\":48,\"sha256\":"
                                  "\"ad54c288675795bc9bf9a7159fec373ecf19a174203031933ec19b9acb469468\"}") == 0,
          "%s", r.body.data);
    buf_free(&r.body);
    r = call("POST", "", "");
    CHECK(r.status == 200 && strstr(r.body.data, "\"length\":16"), "an empty body is one padding block: %s",
          r.body.data);
    buf_free(&r.body);
    CHECK(rejects("POST", "rounds=0", "x", "rounds"), "no rounds");
    CHECK(rejects("POST", "rounds=1001", "x", "rounds"), "too many rounds");
    return CHECK_DONE("test_aes");
}
