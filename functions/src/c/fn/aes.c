/* aes: encrypts the request body with AES-128-CBC (PKCS#7) `rounds` times, each round
 * encrypting the previous ciphertext, and answers the final ciphertext's SHA-256 and length.
 * The key and IV are fixed so every run does the same work and gives the same answer. */
#include <stdlib.h>
#include <string.h>

#include "../common/crypto.h"
#include "../common/fn.h"

#define MAX_ROUNDS 1000

static const uint8_t KEY[16] = "wasmorch-aes-key";
static const uint8_t IV[16] = "wasmorch-aes-iv!";

void fn_handle(const fn_request *req, fn_response *resp) {
    long rounds;
    if (param_long(req->query, "rounds", 1, 1, MAX_ROUNDS, &rounds, resp)) return;
    /* Each round adds one padding block; the buffers hold the last round's size. */
    size_t max = req->body_len + 16 * (size_t)rounds;
    uint8_t *a = malloc(max), *b = malloc(max);
    if (!a || !b) {
        free(a);
        free(b);
        fn_error(resp, 500, NULL, "out of memory");
        return;
    }
    aes128_key key;
    aes128_expand(&key, KEY);
    memcpy(a, req->body, req->body_len);
    size_t len = req->body_len;
    for (long r = 0; r < rounds; r++) {
        len = aes128_cbc_encrypt(&key, IV, a, len, b);
        uint8_t *t = a;
        a = b;
        b = t;
    }
    char hex[65];
    sha256_hex(a, len, hex);
    buf_printf(&resp->body, "{\"rounds\":%ld,\"length\":%zu,\"sha256\":\"%s\"}", rounds, len, hex);
    free(a);
    free(b);
}
