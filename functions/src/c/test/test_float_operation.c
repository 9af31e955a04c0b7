#include <math.h>

#include "call.h"
#include "check.h"

double float_operation(long n, long iterations);

int main(void) {
    CHECK(float_operation(0, 1) == 1.0, "sin 0 + cos 0 + sqrt 0 = 1");
    double want = sin(4.0) + cos(4.0) + 2.0 + sin(5.0) + cos(5.0) + sqrt(5.0);
    CHECK(fabs(float_operation(4, 2) - want) < 1e-12, "two iterations from 4: %.17g", float_operation(4, 2));
    fn_response r = call("GET", "n=0&iterations=1", "");
    CHECK(r.status == 200 && strcmp(r.body.data, "{\"n\":0,\"iterations\":1,\"result\":1.000000}") == 0, "%s",
          r.body.data);
    buf_free(&r.body);
    CHECK(rejects("GET", "iterations=0", "", "iterations"), "no iterations");
    CHECK(rejects("GET", "n=-1", "", "n"), "negative n");
    return CHECK_DONE("test_float_operation");
}
