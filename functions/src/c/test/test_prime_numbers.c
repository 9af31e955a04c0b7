#include "call.h"
#include "check.h"

long count_primes(long n, long *largest);

int main(void) {
    long largest;
    CHECK(count_primes(1, &largest) == 0 && largest == 0, "none below 2");
    CHECK(count_primes(2, &largest) == 1 && largest == 2, "2");
    CHECK(count_primes(10, &largest) == 4 && largest == 7, "10");
    CHECK(count_primes(100, &largest) == 25 && largest == 97, "100");
    CHECK(count_primes(1000000, &largest) == 78498 && largest == 999983, "one million");
    CHECK(count_primes(10000000, &largest) == 664579 && largest == 9999991, "ten million");
    fn_response r = call("GET", "n=1000000", "");
    CHECK(r.status == 200 && strcmp(r.body.data, "{\"n\":1000000,\"count\":78498,\"largest\":999983}") == 0, "%s",
          r.body.data);
    buf_free(&r.body);
    CHECK(rejects("GET", "n=0", "", "n"), "n=0");
    CHECK(rejects("GET", "n=ten", "", "n"), "n=ten");
    CHECK(rejects("GET", "n=50000001", "", "n"), "above the limit");
    return CHECK_DONE("test_prime_numbers");
}
