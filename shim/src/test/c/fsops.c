/* Does one file operation named by QUERY_STRING and prints what happened, so tests can try what a
 * hostile module would: "read:PATH" prints the file; "write:PATH:TEXT" (create or truncate),
 * "symlink:TARGET:PATH" and "link:OLD:NEW" print "ok". A failure prints "denied: <strerror>". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    const char *query = getenv("QUERY_STRING");
    printf("Content-Type: text/plain\n\n");
    char op[512];
    snprintf(op, sizeof op, "%s", query == NULL ? "" : query);
    char *first = strchr(op, ':');
    char *second = first == NULL ? NULL : strchr(first + 1, ':');
    if (first == NULL || (second == NULL) != (strncmp(op, "read:", 5) == 0)) {
        printf("usage: read:PATH | write:PATH:TEXT | symlink:TARGET:PATH | link:OLD:NEW\n");
        return 0;
    }
    *first++ = '\0';
    if (second != NULL) {
        *second++ = '\0';
    }
    int rc = -1;
    if (strcmp(op, "read") == 0) {
        FILE *f = fopen(first, "r");
        if (f != NULL) {
            char buf[256];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
                fwrite(buf, 1, n, stdout);
            }
            fclose(f);
            return 0;
        }
    } else if (strcmp(op, "write") == 0) {
        FILE *f = fopen(first, "w");
        if (f != NULL) {
            rc = fputs(second, f) < 0 ? -1 : 0;
            rc = fclose(f) != 0 ? -1 : rc;
        }
    } else if (strcmp(op, "symlink") == 0) {
        rc = symlink(first, second);
    } else if (strcmp(op, "link") == 0) {
        rc = link(first, second);
    } else {
        errno = EINVAL;
    }
    if (rc == 0) {
        printf("ok\n");
    } else {
        printf("denied: %s\n", strerror(errno));
    }
    return 0;
}
