/* whatlang's kernel, shared with the tool that builds the language profiles (make_profiles.c). */
#ifndef WHATLANG_H
#define WHATLANG_H

#include <stddef.h>
#include <stdint.h>

#define WL_PROFILE_SIZE 300
#define WL_TRIGRAM_TEXT 16

/* A text's most frequent trigrams, most frequent first (ties by code point order). */
typedef struct {
    int count;
    uint64_t keys[WL_PROFILE_SIZE];
} wl_trigrams;

typedef struct {
    char code[8]; /* ISO 639-3 */
    wl_trigrams profile;
} wl_language;

int wl_profile(const unsigned char *text, size_t n, wl_trigrams *out);
/* Writes a trigram as UTF-8 with '_' for the word boundary, the profiles file's spelling. */
void wl_trigram_text(uint64_t key, char out[WL_TRIGRAM_TEXT]);
/* Reads the profiles file: one line per language, "CODE TRIGRAM TRIGRAM ...". */
int wl_parse_profiles(const char *s, size_t n, wl_language *langs, int max, char *err, size_t errlen);
long wl_distance(const wl_trigrams *doc, const wl_trigrams *lang);
/* Returns the index of the closest language and sets its confidence. */
int wl_detect(const wl_trigrams *doc, const wl_language *langs, int count, double *confidence);

#endif
