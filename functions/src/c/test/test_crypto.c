/* SHA-256 against FIPS 180-2's examples, AES-128 against FIPS 197's, and CBC/PKCS#7 against
 * NIST SP 800-38A's F.2.1 vector (whose first block is the padding-free case). */
#include <stdlib.h>
#include <string.h>

#include "../common/crypto.h"
#include "check.h"

static void hex_to_bytes(const char *hex, uint8_t *out) {
    for (size_t i = 0; hex[2 * i]; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static void to_hex(const uint8_t *b, size_t n, char *out) {
    for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", b[i]);
}

static void check_sha(const char *msg, size_t n, const char *want) {
    char got[65];
    sha256_hex(msg, n, got);
    CHECK(strcmp(got, want) == 0, "sha256 of %zu bytes: got %s want %s", n, got, want);
}

static void check_block(const char *key_hex, const char *in_hex, const char *want) {
    uint8_t key[16], in[16], out[16];
    char got[33];
    aes128_key k;
    hex_to_bytes(key_hex, key);
    hex_to_bytes(in_hex, in);
    aes128_expand(&k, key);
    aes128_encrypt_block(&k, in, out);
    to_hex(out, 16, got);
    CHECK(strcmp(got, want) == 0, "AES-128 block: got %s want %s", got, want);
}

int main(void) {
    check_sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    memset(million, 'a', 1000000);
    check_sha(million, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* the same million bytes fed in uneven pieces: the block buffering must not matter */
    sha256_ctx c;
    unsigned char d[32];
    char got[65];
    sha256_init(&c);
    for (size_t off = 0, step = 1; off < 1000000; off += step, step = step % 97 + 1)
        sha256_update(&c, million + off, off + step > 1000000 ? 1000000 - off : step);
    sha256_final(&c, d);
    to_hex(d, 32, got);
    CHECK(strcmp(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0, "pieces: %s", got);
    free(million);

    check_block("000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff",
                "69c4e0d86a7b0430d8cdb78070b4c55a"); /* FIPS 197 appendix C.1 */
    check_block("2b7e151628aed2a6abf7158809cf4f3c", "3243f6a8885a308d313198a2e0370734",
                "3925841d02dc09fbdc118597196a0b32"); /* FIPS 197 appendix B */

    /* SP 800-38A F.2.1, CBC-AES128: two blocks, then the padding block PKCS#7 adds */
    uint8_t key[16], iv[16], plain[32], out[48];
    hex_to_bytes("2b7e151628aed2a6abf7158809cf4f3c", key);
    hex_to_bytes("000102030405060708090a0b0c0d0e0f", iv);
    hex_to_bytes("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51", plain);
    aes128_key k;
    aes128_expand(&k, key);
    size_t len = aes128_cbc_encrypt(&k, iv, plain, 32, out);
    char hex[97];
    to_hex(out, 32, hex);
    CHECK(len == 48, "CBC length %zu", len);
    CHECK(strcmp(hex, "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2") == 0, "CBC: %s", hex);
    CHECK(aes128_cbc_len(0) == 16 && aes128_cbc_len(15) == 16 && aes128_cbc_len(16) == 32, "PKCS#7 lengths");
    /* PKCS#7: 5 bytes are padded with eleven 0x0b; decrypting is not needed to check that, the
     * same block encrypted by hand must match */
    uint8_t five[16] = "hello", block[16], by_hand[16], cbc[16];
    memset(five + 5, 11, 11);
    for (int i = 0; i < 16; i++) block[i] = five[i] ^ iv[i];
    aes128_encrypt_block(&k, block, by_hand);
    aes128_cbc_encrypt(&k, iv, (const uint8_t *)"hello", 5, cbc);
    CHECK(memcmp(by_hand, cbc, 16) == 0, "PKCS#7 padding of 5 bytes");
    return CHECK_DONE("test_crypto");
}
