/* matmul: multiplies two n x n matrices generated from `seed` and answers a checksum of the
 * product. Entries are multiples of 1/8, so the product is exact and the checksum is the same
 * whatever the loop order. */
#include <stdint.h>
#include <stdlib.h>

#include "../common/fn.h"
#include "../common/gen.h"

#define MAX_N 1024

void matmul_fill(long n, uint32_t seed, double *a, double *b) {
    uint32_t s = seed;
    for (long i = 0; i < n * n; i++) a[i] = gen_eighths(&s);
    for (long i = 0; i < n * n; i++) b[i] = gen_eighths(&s);
}

/* c = a * b in i-k-j order, which walks rows of b and c contiguously. */
void matmul(long n, const double *a, const double *b, double *c) {
    for (long i = 0; i < n * n; i++) c[i] = 0;
    for (long i = 0; i < n; i++)
        for (long k = 0; k < n; k++) {
            double aik = a[i * n + k];
            const double *brow = b + k * n;
            double *crow = c + i * n;
            for (long j = 0; j < n; j++) crow[j] += aik * brow[j];
        }
}

/* Weights each entry by its position so a transposed or shifted product changes the sum. */
double matmul_checksum(long n, const double *c) {
    double sum = 0;
    for (long i = 0; i < n * n; i++) sum += c[i] * (double)(i % 7 + 1);
    return sum;
}

void fn_handle(const fn_request *req, fn_response *resp) {
    long n, seed;
    if (param_long(req->query, "n", 128, 1, MAX_N, &n, resp)) return;
    if (param_long(req->query, "seed", 42, 0, 2147483647L, &seed, resp)) return;
    size_t cells = (size_t)n * (size_t)n;
    double *a = malloc(cells * sizeof *a), *b = malloc(cells * sizeof *b), *c = malloc(cells * sizeof *c);
    if (!a || !b || !c) {
        fn_error(resp, 500, NULL, "out of memory");
    } else {
        matmul_fill(n, (uint32_t)seed, a, b);
        matmul(n, a, b, c);
        buf_printf(&resp->body, "{\"n\":%ld,\"seed\":%ld,\"checksum\":%.6f}", n, seed, matmul_checksum(n, c));
    }
    free(a);
    free(b);
    free(c);
}
