/* hash.h - the one string hash of nerve.
 *
 * Token forms carry their hash, computed once by the stage that makes the
 * form, so that gazetteer and rule lookups never hash a token twice.  The
 * function is part of the compiled gazetteer format (.gaz files store these
 * hashes): changing it requires a new format version.
 */
#ifndef NERVE_HASH_H
#define NERVE_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The steps of the hash, shared by nerve_hash() and nerve_hash_padded():
 * a seed from the length, one mix per 8-byte little-endian word, and a
 * final mix with the tail (the last len % 8 bytes, first byte lowest). */
static inline uint64_t nerve_hash_seed(size_t len)
{
    return 0x9E3779B97F4A7C15ull ^ (len * 0xC2B2AE3D27D4EB4Full);
}

static inline uint64_t nerve_hash_word(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    return h ^ (h >> 32);
}

static inline uint32_t nerve_hash_final(uint64_t h, uint64_t tail)
{
    h = (h ^ tail) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
    return (uint32_t)h;
}

/* The 8 bytes at p as a little-endian word. */
static inline uint64_t nerve_hash_load(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* A 32-bit hash of (s, len), the same on every platform: 64-bit
 * multiply-xorshift over 8-byte little-endian words, then a final mix. */
static inline __attribute__((always_inline)) uint32_t nerve_hash(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint64_t h = nerve_hash_seed(len), w = 0;
    for (; len >= 8; p += 8, len -= 8)
        h = nerve_hash_word(h, nerve_hash_load(p));
    switch (len) { /* the tail, least significant byte first */
    case 7:
        w |= (uint64_t)p[6] << 48; /* fall through */
    case 6:
        w |= (uint64_t)p[5] << 40; /* fall through */
    case 5:
        w |= (uint64_t)p[4] << 32; /* fall through */
    case 4:
        w |= (uint64_t)p[3] << 24; /* fall through */
    case 3:
        w |= (uint64_t)p[2] << 16; /* fall through */
    case 2:
        w |= (uint64_t)p[1] << 8; /* fall through */
    case 1:
        w |= (uint64_t)p[0];
        break;
    default:
        break;
    }
    return nerve_hash_final(h, w);
}

/* nerve_hash(s, len) where the 8 bytes from s + (len & ~7) are readable
 * (a token inside a larger buffer): the tail is one load and a mask
 * instead of a byte loop, most of the work for short tokens. */
static inline __attribute__((always_inline)) uint32_t nerve_hash_padded(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint64_t h = nerve_hash_seed(len);
    for (; len >= 8; p += 8, len -= 8)
        h = nerve_hash_word(h, nerve_hash_load(p));
    return nerve_hash_final(h, len ? nerve_hash_load(p) & (~0ull >> (64 - 8 * len)) : 0);
}

#endif
