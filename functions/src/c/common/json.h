/* A small, bounded JSON reader: enough to check a document is JSON and to read a flat object of
 * scalars (what user-manager sends and what the pRest-compatible endpoint inserts). Every
 * string is decoded into a caller's fixed buffer; nothing is read past the given length. */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>

#define JSON_MAX_DEPTH 32

/* 1 when s[0..n) is exactly one JSON value (surrounding white space allowed), else 0. */
int json_valid(const char *s, size_t n);

typedef enum { JSON_STRING, JSON_NUMBER, JSON_TRUE, JSON_FALSE, JSON_NULL } json_kind;

typedef struct {
    char key[64];
    json_kind kind;
    char value[1024]; /* decoded string, or the number's text */
} json_member;

/* Reads a JSON object whose values are all scalars into members (at most max). Returns the
 * count, or -1 with a reason in err (not an object, nested value, too long, too many members,
 * duplicate key, trailing bytes). */
int json_flat_object(const char *s, size_t n, json_member *members, int max, char *err, size_t errlen);

#endif
