/* SHA-256 (FIPS 180-4) and AES-128 (FIPS 197) written for this project: wasi-libc has no
 * OpenSSL, and one implementation on both targets keeps the answers identical. */
#ifndef CRYPTO_H
#define CRYPTO_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t total;
    unsigned char block[64];
    size_t used;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
void sha256_final(sha256_ctx *c, unsigned char out[32]);
void sha256_hex(const void *data, size_t n, char out[65]);

typedef struct {
    uint8_t round_keys[176];
    uint8_t sbox[256];
} aes128_key;

void aes128_expand(aes128_key *k, const uint8_t key[16]);
void aes128_encrypt_block(const aes128_key *k, const uint8_t in[16], uint8_t out[16]);
/* CBC with PKCS#7 padding: out must hold aes128_cbc_len(n) bytes. Returns that length. */
size_t aes128_cbc_len(size_t n);
size_t aes128_cbc_encrypt(const aes128_key *k, const uint8_t iv[16], const uint8_t *in, size_t n, uint8_t *out);

#endif
