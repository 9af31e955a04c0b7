/* Reads the file named by QUERY_STRING and prints it, or why it could not: shows that a module sees
 * only the files its manifest grants. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    const char *path = getenv("QUERY_STRING");
    printf("Content-Type: text/plain\n\n");
    FILE *f = fopen(path == NULL ? "" : path, "r");
    if (f == NULL) {
        printf("denied: %s\n", strerror(errno));
        return 0;
    }
    char buf[256];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        fwrite(buf, 1, n, stdout);
    }
    fclose(f);
    return 0;
}
