/* Wants outbound HTTP through Spin's experimental host interface, which this shim does not provide:
 * the app must be refused at start, so a module can never reach the network. */
#include <stdio.h>

__attribute__((import_module("wasi_experimental_http"), import_name("req")))
int req(const char *url, int url_len, int *handle);

int main(void) {
    int handle = 0;
    int rc = req("http://example.com/", 19, &handle);
    printf("Content-Type: text/plain\n\nrc=%d\n", rc);
    return 0;
}
