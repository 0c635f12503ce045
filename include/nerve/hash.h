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

/* A 32-bit hash of (s, len), the same on every platform: 64-bit
 * multiply-xorshift over 8-byte little-endian words, then a final mix. */
static inline __attribute__((always_inline)) uint32_t nerve_hash(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (len * 0xC2B2AE3D27D4EB4Full);
    while (len >= 8) {
        uint64_t w = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
                     (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
                     (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
        p += 8;
        len -= 8;
    }
    uint64_t w = 0;
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
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
    return (uint32_t)h;
}

#endif
