#include <math.h>

#include "call.h"
#include "check.h"

int gauss_solve(long n, double *a, double *b, double *x);
double residual_norm(long n, const double *a, const double *b, const double *x);

int main(void) {
    /* 2x + y - z = 8, -3x - y + 2z = -11, -2x + y + 2z = -3: x = 2, y = 3, z = -1. The first
     * column's largest entry is in row 2, so the solve must pivot. */
    double a[9] = {2, 1, -1, -3, -1, 2, -2, 1, 2}, b[3] = {8, -11, -3}, x[3];
    double a0[9], b0[3];
    memcpy(a0, a, sizeof a);
    memcpy(b0, b, sizeof b);
    CHECK(gauss_solve(3, a, b, x) == 0, "solvable");
    CHECK(fabs(x[0] - 2) < 1e-12 && fabs(x[1] - 3) < 1e-12 && fabs(x[2] + 1) < 1e-12, "x = %g %g %g", x[0], x[1],
          x[2]);
    CHECK(residual_norm(3, a0, b0, x) < 1e-12, "residual");
    /* a zero in the first pivot position works only with pivoting */
    double p[4] = {0, 1, 1, 0}, pb[2] = {3, 4}, px[2];
    CHECK(gauss_solve(2, p, pb, px) == 0 && px[0] == 4 && px[1] == 3, "pivoted %g %g", px[0], px[1]);
    double s[4] = {1, 2, 2, 4}, sb[2] = {1, 2}, sx[2];
    CHECK(gauss_solve(2, s, sb, sx) == -1, "singular");
    fn_response r = call("GET", "n=200&seed=42", "");
    double residual = -1;
    CHECK(r.status == 200 && sscanf(strstr(r.body.data, "\"residual\":") + 11, "%lf", &residual) == 1 &&
              residual >= 0 && residual < 1e-10,
          "generated system: %s", r.body.data);
    buf_free(&r.body);
    CHECK(rejects("GET", "n=1001", "", "n"), "n too large");
    CHECK(rejects("GET", "seed=-5", "", "seed"), "negative seed");
    return CHECK_DONE("test_linear_equations");
}
