/* linear-equations: solves an n x n system A x = b generated from `seed` by Gaussian elimination
 * with partial pivoting and answers the residual norm |A x - b| (Euclidean), the measure of how
 * well the solve went. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fn.h"
#include "../common/gen.h"

#define MAX_N 1000

/* Solves a x = b in place: a (n x n, row-major) is destroyed, x receives the solution. Returns
 * -1 when a pivot is zero (a singular matrix), else 0. */
int gauss_solve(long n, double *a, double *b, double *x) {
    for (long col = 0; col < n; col++) {
        long pivot = col;
        for (long r = col + 1; r < n; r++)
            if (fabs(a[r * n + col]) > fabs(a[pivot * n + col])) pivot = r;
        if (a[pivot * n + col] == 0) return -1;
        if (pivot != col) {
            for (long k = 0; k < n; k++) {
                double t = a[col * n + k];
                a[col * n + k] = a[pivot * n + k];
                a[pivot * n + k] = t;
            }
            double t = b[col];
            b[col] = b[pivot];
            b[pivot] = t;
        }
        for (long r = col + 1; r < n; r++) {
            double f = a[r * n + col] / a[col * n + col];
            for (long k = col; k < n; k++) a[r * n + k] -= f * a[col * n + k];
            b[r] -= f * b[col];
        }
    }
    for (long r = n - 1; r >= 0; r--) {
        double s = b[r];
        for (long k = r + 1; k < n; k++) s -= a[r * n + k] * x[k];
        x[r] = s / a[r * n + r];
    }
    return 0;
}

double residual_norm(long n, const double *a, const double *b, const double *x) {
    double sum = 0;
    for (long r = 0; r < n; r++) {
        double s = -b[r];
        for (long k = 0; k < n; k++) s += a[r * n + k] * x[k];
        sum += s * s;
    }
    return sqrt(sum);
}

void fn_handle(const fn_request *req, fn_response *resp) {
    long n, seed;
    if (param_long(req->query, "n", 200, 1, MAX_N, &n, resp)) return;
    if (param_long(req->query, "seed", 42, 0, 2147483647L, &seed, resp)) return;
    size_t cells = (size_t)n * (size_t)n;
    double *a = malloc(cells * sizeof *a), *work = malloc(cells * sizeof *work);
    double *b = malloc((size_t)n * sizeof *b), *bw = malloc((size_t)n * sizeof *bw), *x = malloc((size_t)n * sizeof *x);
    if (!a || !work || !b || !bw || !x) {
        fn_error(resp, 500, NULL, "out of memory");
    } else {
        uint32_t s = (uint32_t)seed;
        for (size_t i = 0; i < cells; i++) a[i] = gen_uniform(&s);
        for (long i = 0; i < n; i++) b[i] = gen_uniform(&s);
        memcpy(work, a, cells * sizeof *a);
        memcpy(bw, b, (size_t)n * sizeof *b);
        if (gauss_solve(n, work, bw, x))
            fn_error(resp, 400, "seed", "the generated matrix is singular: choose another seed");
        else
            buf_printf(&resp->body, "{\"n\":%ld,\"seed\":%ld,\"residual\":%.6e}", n, seed, residual_norm(n, a, b, x));
    }
    free(a);
    free(work);
    free(b);
    free(bw);
    free(x);
}
