#include <stdint.h>
#include <stdlib.h>

#include "call.h"
#include "check.h"

void matmul_fill(long n, uint32_t seed, double *a, double *b);
void matmul(long n, const double *a, const double *b, double *c);
double matmul_checksum(long n, const double *c);

int main(void) {
    const long sizes[] = {1, 2, 7, 64, 129};
    for (size_t t = 0; t < sizeof sizes / sizeof *sizes; t++) {
        long n = sizes[t];
        double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n);
        double *c = malloc(sizeof(double) * n * n), *ref = malloc(sizeof(double) * n * n);
        matmul_fill(n, 42, a, b);
        matmul(n, a, b, c);
        /* the textbook i-j-k product as the reference */
        for (long i = 0; i < n; i++)
            for (long j = 0; j < n; j++) {
                double s = 0;
                for (long k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
                ref[i * n + j] = s;
            }
        CHECK(memcmp(c, ref, sizeof(double) * n * n) == 0, "n=%ld: product differs from the reference", n);
        free(a);
        free(b);
        free(c);
        free(ref);
    }
    double i2[4] = {1, 0, 0, 1}, m[4] = {1, 2, 3, 4}, out[4];
    matmul(2, i2, m, out);
    CHECK(memcmp(out, m, sizeof m) == 0, "identity");
    CHECK(matmul_checksum(2, m) == 1 * 1 + 2 * 2 + 3 * 3 + 4 * 4, "checksum weights");
    fn_response r1 = call("GET", "n=16&seed=1", ""), r2 = call("GET", "n=16&seed=2", "");
    CHECK(r1.status == 200 && r2.status == 200 && strcmp(r1.body.data, r2.body.data) != 0, "seeds give other matrices");
    buf_free(&r1.body);
    buf_free(&r2.body);
    CHECK(rejects("GET", "n=0", "", "n"), "n=0");
    CHECK(rejects("GET", "n=1025", "", "n"), "n too large");
    CHECK(rejects("GET", "seed=x", "", "seed"), "seed=x");
    /* the checksum itself, against the catalog request's answer (exact: the entries are multiples of 1/8) */
    {
        long n = 128;
        double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n);
        double *c = malloc(sizeof(double) * n * n);
        matmul_fill(n, 42, a, b);
        matmul(n, a, b, c);
        CHECK(matmul_checksum(n, c) == 196.59375, "n=128 seed=42: checksum %f", matmul_checksum(n, c));
        free(a);
        free(b);
        free(c);
    }
    return CHECK_DONE("test_matmul");
}
