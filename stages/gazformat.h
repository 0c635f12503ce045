/* gazformat.h - private: the layout of a compiled gazetteer (.gaz), shared
 * by the compiler (gazcompile.c) and the loader (gazfile.c).
 *
 * A .gaz is position-independent: it holds offsets, never pointers, so it
 * is used in place, memory-mapped read-only and shared by every thread.
 * All integers are in the byte order of the machine that wrote it (the
 * header's byte_order tells; a foreign order is refused).
 *
 *   header          gaz_header (fixed size), with a checksum of itself
 *   lists           gaz_list[n_lists]
 *   labels          uint32 string offset [n_labels]
 *   entries         gaz_entry[n_entries], grouped by trie node
 *   per case mode p (sensitive, insensitive, fold), when it has entries:
 *     vocab         gaz_vocab[vocab_slots]  open addressing, home = hash & mask
 *     edges         gaz_edge[edge_slots]    open addressing, home = edge_home()
 *   strings         NUL-terminated strings; starts with 8 and ends with 4 NULs
 *
 * Every section starts at a multiple of 8.  content_sum covers every byte
 * after the header, in chunks of GAZ_SUM_CHUNK bytes: it is the gaz_sum64
 * of the chunks' gaz_sum64 values (little arrays of uint64), so that
 * loading can check the chunks on several threads.
 *
 * Vocabulary: a token key (the token's norm, lower or fold form, by case
 * mode) hashed with nerve_hash(), short keys kept in the slot itself (one
 * memory access decides a lookup); a token's id is the index of its slot,
 * which also holds the node the token leads to from the root and that
 * node's info (so the first step of a match costs no memory access beyond
 * the vocabulary, and most tokens, which start no entry, nothing more).
 * Trie: node 0 is the root; every other node is the edge that leads to it,
 * and its id is that edge's slot index + 1.  An edge is keyed by (parent
 * node, token id); its info holds the first entry ending at its node + 1
 * (0: none) and GAZ_HAS_CHILDREN.  The entries ending at one node are
 * consecutive; the last one carries GAZ_E_LAST.
 *
 * Entry strings: the term as listed, NUL; with GAZ_E_ATTRS the packed
 * attrs "k\0v\0...\0"; with GAZ_E_VERIFY one NUL-terminated string per
 * token of the entry: the exact norm form the token must have, or "" (an
 * EntityRuler pattern mixing ORTH and LOWER tokens).  The entry points at
 * the term and the attrs, so making an entity reads no string.
 */
#ifndef NERVE_GAZFORMAT_H
#define NERVE_GAZFORMAT_H

#include <stdint.h>
#include <string.h>

#include "nerve/doc.h"
#include "nerve/fold.h"
#include "nerve/hash.h"
#include "swar.h"

#define GAZ_MAGIC        "NERVEGAZ"
#define GAZ_VERSION      1u
#define GAZ_BYTE_ORDER   0x01020304u
#define GAZ_PARTS        3      /* one trie per case mode */
#define GAZ_MAX_LISTS    65535u /* lists in one .gaz */
#define GAZ_EMPTY_TOKEN  0xFFFFFFFFu
#define GAZ_HAS_CHILDREN 0x80000000u
#define GAZ_INFO_ENTRY   0x7FFFFFFFu
#define GAZ_LIST_MASK    0x00FFFFFFu
#define GAZ_E_LAST       (1u << 24)
#define GAZ_E_ATTRS      (1u << 25)
#define GAZ_E_VERIFY     (1u << 26)
#define GAZ_STR_HEAD     8 /* NULs at the start of strings: offset 0 is "none" */
#define GAZ_STR_TAIL     4 /* NULs at the end: any offset reads a terminated string */
#define GAZ_SUM_CHUNK    ((size_t)1 << 22)

typedef struct {
    uint64_t off, size; /* bytes from the start of the file */
} gaz_section;

typedef struct {
    uint32_t vocab_slots; /* a power of two, or 0 when the part is empty */
    uint32_t edge_slots;  /* a power of two, or 0 */
    uint32_t vocab_probe; /* longest probe sequence in the vocabulary (slots) */
    uint32_t edge_probe;  /* ... in the edges */
    uint32_t n_keys, n_edges;
    gaz_section vocab, edges;
} gaz_part;

typedef struct {
    char magic[8];
    uint32_t version, byte_order;
    uint64_t file_size;
    uint64_t source_hash;   /* of the source lists' bytes and options */
    uint64_t settings_hash; /* of the tokenizer and normalizer settings */
    uint64_t cache_key;     /* of source paths, sizes, mtimes (cache files; else 0) */
    uint64_t content_sum;   /* of bytes [sizeof header, file_size), by chunks */
    uint32_t n_lists, n_labels, n_entries, max_depth;
    gaz_section lists, labels, entries, strings;
    gaz_part parts[GAZ_PARTS];
    uint64_t header_sum; /* gaz_sum64 of the header up to this field */
} gaz_header;

typedef struct {
    uint32_t name;      /* string offset */
    uint32_t case_mode; /* nerve_gaz_case */
    int32_t priority;
    uint32_t mode;  /* nerve_gaz_mode */
    uint32_t first; /* order of its first entry */
    uint32_t n_entries;
    uint32_t source; /* index of the compiler input it came from */
    uint32_t reserved;
} gaz_list;

typedef struct {
    uint32_t list;  /* list index | GAZ_E_* flags */
    uint32_t order; /* input order in this file */
    uint32_t label; /* label index */
    uint32_t term;  /* string offset of the term as listed */
    uint32_t attrs; /* string offset of the packed attrs, 0 for none */
} gaz_entry;

#define GAZ_INLINE_KEY 8 /* keys up to this many bytes are kept in their slot */

typedef struct {
    uint32_t hash, len; /* len == 0: empty slot */
    uint32_t root;      /* the node of edge (root, this token), or 0 */
    uint32_t root_info; /* that edge's info */
    union {
        char bytes[GAZ_INLINE_KEY]; /* len <= GAZ_INLINE_KEY: the key, NUL-padded */
        uint32_t off;               /* else its string offset */
    } key;
} gaz_vocab;

typedef struct {
    uint32_t parent, token, info; /* token == GAZ_EMPTY_TOKEN: empty slot */
} gaz_edge;

_Static_assert(sizeof(gaz_header) == 312, "gaz_header layout");
_Static_assert(sizeof(gaz_list) == 32, "gaz_list layout");
_Static_assert(sizeof(gaz_entry) == 20, "gaz_entry layout");
_Static_assert(sizeof(gaz_vocab) == 24 && sizeof(gaz_edge) == 12, "slot layout");

/* The bytes of slot v's key, or NULL when its offset is out of strings. */
static inline const char *gaz_vocab_key(const gaz_vocab *v, const char *strings, size_t size)
{
    if (v->len <= GAZ_INLINE_KEY)
        return v->key.bytes;
    return v->key.off < size && v->len <= size - v->key.off ? strings + v->key.off : NULL;
}

/* The home slot of edge (parent, token), before masking.  Part of the
 * format. */
static inline uint32_t gaz_edge_home(uint32_t parent, uint32_t token)
{
    uint64_t k = ((uint64_t)parent << 32 | token) * 0x9E3779B97F4A7C15ull;
    k ^= k >> 31;
    k *= 0xBF58476D1CE4E5B9ull;
    return (uint32_t)(k >> 32);
}

/* The key of token t in case mode part (nerve_gaz_case): its norm form,
 * its lower form, or its fold key, which for ASCII is the lower form (so
 * ICU runs only on tokens with non-ASCII letters).  The key's bytes stay
 * valid until the next call with f; *len and *hash receive its length and
 * nerve_hash().  The compiler and the matcher both call this: term and
 * text keys cannot disagree. */
static inline const char *gaz_token_key(const nerve_token *t, int part, nerve_folder *f,
                                        uint32_t *len, uint32_t *hash)
{
    if (part == 0) {
        *len = t->norm.len;
        *hash = t->norm.hash;
        return t->norm.s;
    }
    gboolean ascii = part == 1 || (t->flags & NERVE_TOKEN_ASCII) != 0;
    for (uint32_t i = 0; !ascii && i < t->norm.len; i++)
        if ((unsigned char)t->norm.s[i] >= 0x80)
            break;
        else if (i + 1 == t->norm.len)
            ascii = TRUE;
    if (ascii) { /* part 1, or an ASCII fold key */
        *len = t->lower.len;
        *hash = t->lower.hash;
        return t->lower.s;
    }
    size_t n;
    const char *k = nerve_fold(f, t->norm.s, t->norm.len, &n);
    *len = (uint32_t)n;
    *hash = nerve_hash(k, n);
    return k;
}

/* A streaming 64-bit checksum (four multiply-rotate lanes over 32-byte
 * stripes, like xxHash64): several GB/s, so a whole .gaz can be checked at
 * load.  Part of the format. */
typedef struct {
    uint64_t v[4];
    uint64_t total;
    unsigned char buf[32];
    size_t nbuf;
} gaz_sum;

#define GAZ_P1 0x9E3779B185EBCA87ull
#define GAZ_P2 0xC2B2AE3D27D4EB4Full
#define GAZ_P3 0x165667B19E3779F9ull
#define GAZ_P4 0x85EBCA77C2B2AE63ull

static inline uint64_t gaz_rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t gaz_read64(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static inline void gaz_sum_init(gaz_sum *s)
{
    s->v[0] = GAZ_P1 + GAZ_P2;
    s->v[1] = GAZ_P2;
    s->v[2] = 0;
    s->v[3] = 0 - GAZ_P1;
    s->total = 0;
    s->nbuf = 0;
}

static inline void gaz_sum_stripe(uint64_t *v, const unsigned char *p)
{
    for (int i = 0; i < 4; i++)
        v[i] = gaz_rotl(v[i] + gaz_read64(p + 8 * i) * GAZ_P2, 31) * GAZ_P1;
}

static inline void gaz_sum_update(gaz_sum *s, const void *data, size_t len)
{
    const unsigned char *p = data;
    if (!len)
        return;
    s->total += len;
    if (s->nbuf) {
        size_t k = 32 - s->nbuf < len ? 32 - s->nbuf : len;
        memcpy(s->buf + s->nbuf, p, k);
        s->nbuf += k;
        p += k;
        len -= k;
        if (s->nbuf < 32)
            return;
        gaz_sum_stripe(s->v, s->buf);
        s->nbuf = 0;
    }
    uint64_t v0 = s->v[0], v1 = s->v[1], v2 = s->v[2], v3 = s->v[3];
    for (; len >= 32; p += 32, len -= 32) {
        v0 = gaz_rotl(v0 + gaz_read64(p) * GAZ_P2, 31) * GAZ_P1;
        v1 = gaz_rotl(v1 + gaz_read64(p + 8) * GAZ_P2, 31) * GAZ_P1;
        v2 = gaz_rotl(v2 + gaz_read64(p + 16) * GAZ_P2, 31) * GAZ_P1;
        v3 = gaz_rotl(v3 + gaz_read64(p + 24) * GAZ_P2, 31) * GAZ_P1;
    }
    s->v[0] = v0, s->v[1] = v1, s->v[2] = v2, s->v[3] = v3;
    memcpy(s->buf, p, len);
    s->nbuf = len;
}

static inline uint64_t gaz_sum_final(const gaz_sum *s)
{
    uint64_t h = gaz_rotl(s->v[0], 1) + gaz_rotl(s->v[1], 7) + gaz_rotl(s->v[2], 12) +
                 gaz_rotl(s->v[3], 18) + s->total;
    for (size_t i = 0; i < s->nbuf; i++)
        h = gaz_rotl(h ^ (s->buf[i] * GAZ_P3), 11) * GAZ_P1;
    h ^= h >> 33;
    h *= GAZ_P2;
    h ^= h >> 29;
    h *= GAZ_P4;
    h ^= h >> 32;
    return h;
}

static inline uint64_t gaz_sum64(const void *data, size_t len)
{
    gaz_sum s;
    gaz_sum_init(&s);
    gaz_sum_update(&s, data, len);
    return gaz_sum_final(&s);
}

#endif
