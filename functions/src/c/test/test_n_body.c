#include <math.h>

#include "call.h"
#include "check.h"

void n_body(long steps, double *before, double *after);

int main(void) {
    double before, after;
    n_body(1000, &before, &after);
    /* the Benchmarks Game's published output for 1000 steps */
    CHECK(fabs(before - -0.169075164) < 5e-10, "energy before %.9f", before);
    CHECK(fabs(after - -0.169087605) < 5e-10, "energy after %.9f", after);
    n_body(0, &before, &after);
    CHECK(before == after, "no steps, no change");
    fn_response r = call("GET", "", "");
    CHECK(r.status == 200 && strcmp(r.body.data, "{\"steps\":1000,\"energy_before\":-0.169075164,"
                                                 "\"energy_after\":-0.169087605}") == 0,
          "default answer %s", r.body.data);
    buf_free(&r.body);
    CHECK(rejects("GET", "steps=-1", "", "steps"), "negative steps");
    CHECK(rejects("GET", "steps=10000001", "", "steps"), "too many steps");
    return CHECK_DONE("test_n_body");
}
