/* float-operation: sin, cos and sqrt of n, n+1, ... repeated `iterations` times (the study's
 * float_operation); answers their sum so the work cannot be optimized away. */
#include <math.h>

#include "../common/fn.h"

double float_operation(long n, long iterations) {
    double sum = 0;
    for (long i = 0; i < iterations; i++) {
        double x = (double)(n + i);
        sum += sin(x) + cos(x) + sqrt(x);
    }
    return sum;
}

void fn_handle(const fn_request *req, fn_response *resp) {
    long n, iterations;
    if (param_long(req->query, "n", 1000, 0, 1000000000L, &n, resp)) return;
    if (param_long(req->query, "iterations", 100000, 1, 10000000L, &iterations, resp)) return;
    buf_printf(&resp->body, "{\"n\":%ld,\"iterations\":%ld,\"result\":%.6f}", n, iterations,
               float_operation(n, iterations));
}
