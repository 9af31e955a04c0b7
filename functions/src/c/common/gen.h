/* The deterministic matrices of matmul and linear-equations: a 32-bit LCG (Numerical Recipes'
 * constants) that gives the same numbers on every target for a seed. */
#ifndef GEN_H
#define GEN_H

#include <stdint.h>

static inline uint32_t gen_next(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state;
}

/* A multiple of 1/8 in [-1, 1]: products and sums of these stay exact in a double, so a matrix
 * product does not depend on the order of its additions. */
static inline double gen_eighths(uint32_t *state) { return (double)((int)((gen_next(state) >> 16) % 17) - 8) / 8.0; }

/* Uniform in [-1, 1) with 24 random bits. */
static inline double gen_uniform(uint32_t *state) { return (double)(gen_next(state) >> 8) / 8388608.0 - 1.0; }

#endif
