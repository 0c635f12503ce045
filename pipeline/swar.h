/* swar.h - private: byte tests on eight bytes at a time ("SIMD within a
 * register"), for the scanners that skip long runs of ordinary text:
 * JSON string scanning and escaping, offset counting, normalization.
 * Each test is exact for the question "is there any such byte". */
#ifndef NERVE_PRIVATE_SWAR_H
#define NERVE_PRIVATE_SWAR_H

#include <stdint.h>
#include <string.h>

#define SWAR_ONES 0x0101010101010101ull
#define SWAR_HIGH 0x8080808080808080ull

static inline uint64_t swar_load(const void *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* Non-zero when a byte of w is below n (n <= 128). */
static inline uint64_t swar_less(uint64_t w, unsigned n)
{
    return (w - SWAR_ONES * n) & ~w & SWAR_HIGH;
}

/* Non-zero when a byte of w equals c. */
static inline uint64_t swar_eq(uint64_t w, unsigned c)
{
    uint64_t x = w ^ (SWAR_ONES * c);
    return (x - SWAR_ONES) & ~x & SWAR_HIGH;
}

/* A bit 7 in each byte of w, ASCII (below 0x80), that lies in [lo, hi]:
 * exact per byte, as no sum leaves its byte.  Bytes from 0x80 up give
 * meaningless bits, and may spoil the byte after them: callers stop at
 * them first. */
static inline uint64_t swar_between(uint64_t w, unsigned lo, unsigned hi)
{
    uint64_t ge = w + SWAR_ONES * (0x80 - lo); /* bit 7: byte >= lo */
    uint64_t gt = w + SWAR_ONES * (0x7F - hi); /* bit 7: byte > hi */
    return ge & ~gt & SWAR_HIGH;
}

/* Byte 0x20 where w has an upper-case ASCII letter, whatever its other
 * bytes (w | swar_upper_bits(w) lower-cases ASCII): the sums are taken on
 * 7-bit values, so none leaves its byte. */
static inline uint64_t swar_upper_bits(uint64_t w)
{
    uint64_t x = w & ~SWAR_HIGH;
    uint64_t ge = x + SWAR_ONES * (0x80 - 'A'); /* bit 7: byte >= 'A' */
    uint64_t gt = x + SWAR_ONES * (0x7F - 'Z'); /* bit 7: byte > 'Z' */
    return (ge & ~gt & ~w & SWAR_HIGH) >> 2;
}

/* Bit 7 of exactly the bytes of w that equal c (swar_eq() may also mark
 * a byte after a match: enough for "any", not for counting). */
static inline uint64_t swar_eq_exact(uint64_t w, unsigned c)
{
    uint64_t x = w ^ (SWAR_ONES * c);
    return ~(((x & ~SWAR_HIGH) + ~SWAR_HIGH) | x | ~SWAR_HIGH);
}

/* Bit 7 of exactly the bytes of w that are not zero. */
static inline uint64_t swar_nonzero(uint64_t w)
{
    return (((w & ~SWAR_HIGH) + ~SWAR_HIGH) | w) & SWAR_HIGH;
}

/* The number of bytes of m, a mask of bit 7s, that have theirs set: the
 * bits summed into the top byte by one multiplication (baseline x86-64
 * has no popcount instruction: __builtin_popcountll is a call). */
static inline unsigned swar_count_high(uint64_t m)
{
    return (unsigned)(((m >> 7) * SWAR_ONES) >> 56);
}

/* Bit 7 of the bytes of w that continue a character (10xxxxxx), and of
 * those that start a 4-byte sequence (11110xxx, astral: 2 UTF-16 units). */
static inline uint64_t swar_continuations(uint64_t w)
{
    return w & ~(w << 1) & SWAR_HIGH;
}

static inline uint64_t swar_astral_starts(uint64_t w)
{
    return w & (w << 1) & (w << 2) & (w << 3) & SWAR_HIGH;
}

/* Whether the n bytes at a and b are equal, without a call (keys and
 * forms are a few bytes): 8-byte words, the last one overlapping the one
 * before, and for n < 4 the first, middle and last bytes, which are all of
 * them.  No load reaches past the n bytes. */
static inline int swar_same_bytes(const char *a, const char *b, uint32_t n)
{
    if (n >= 8) {
        for (uint32_t i = 0; i + 8 < n; i += 8)
            if (swar_load(a + i) != swar_load(b + i))
                return 0;
        return swar_load(a + n - 8) == swar_load(b + n - 8);
    }
    if (n >= 4) {
        uint32_t u, v, x, y;
        memcpy(&u, a, 4);
        memcpy(&v, b, 4);
        memcpy(&x, a + n - 4, 4);
        memcpy(&y, b + n - 4, 4);
        return u == v && x == y;
    }
    return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

#endif
