/* tokenize-scan.h - private to the tokenizer: character classes, the
 * scanner state, and the scanners of special tokens (URLs, e-mail
 * addresses, tags, numbers, words and abbreviations) in tokenize-scan.c,
 * which tokenize.c's main loop calls. */
#ifndef NERVE_PRIVATE_TOKENIZE_SCAN_H
#define NERVE_PRIVATE_TOKENIZE_SCAN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "nerve/tokenize.h"
#include "nerve/utf8.h"

/* Character classes. */
enum {
    C_SPACE,
    C_LETTER,
    C_DIGIT,
    C_DICT, /* a letter of a script segmented by dictionary */
    C_EMOJI,
    C_RI, /* regional indicator: two make a flag */
    C_PUNCT,
    C_SYMBOL,
    C_MARK, /* a combining mark with no base */
    C_OTHER,
};

/* Per code point information: class in the low 4 bits, then flags. */
enum {
    I_EXTEND = 1 << 4, /* continues a grapheme cluster (Extend, ZWJ, SpacingMark) */
    I_UPPER = 1 << 5,
    I_LOWER = 1 << 6,
    I_ZWJ = 1 << 7,
};

/* The information bytes of the BMP, filled by blocks of 256 code points
 * at their first use (a block is valid once its flag in
 * nerve_scan_bmp_ready is set; ASCII's, block 0, from the start): news
 * text uses a few blocks, and filling all 256 from ICU cost as much as
 * tokenizing 2 MB. */
extern guint8 nerve_scan_bmp_info[0x10000];
extern atomic_uchar nerve_scan_bmp_ready[0x100];
/* Bytes that may continue an ASCII word: letters, digits, . ' - & _ @ : /
 * and every byte of a multi-byte character (it may be a combining mark). */
extern guint8 nerve_scan_joins_word[256];
/* ASCII letters and digits, as the bits of fast_word(). */
enum { W_UPPER = 1, W_LOWER = 2, W_DIGIT = 4 };
extern guint8 nerve_scan_word_bits[256];

/* The table of a tokenizer's abbreviations (tokenize-abbrev.c). */
GHashTable *nerve_scan_abbrevs_new(void);

/* Fills the tables (once, through GOnce). */
gpointer nerve_scan_init_tables(gpointer unused);
/* The information byte of a code point outside the table. */
guint8 nerve_scan_info_astral(uint32_t c);
/* Fills the block of the BMP code point c (thread-safe) and returns c's
 * information byte. */
guint8 nerve_scan_bmp_fill(uint32_t c);

static inline guint8 info_of(uint32_t c)
{
    if (c >= 0x10000)
        return nerve_scan_info_astral(c);
    if (G_LIKELY(atomic_load_explicit(&nerve_scan_bmp_ready[c >> 8], memory_order_acquire)))
        return nerve_scan_bmp_info[c];
    return nerve_scan_bmp_fill(c);
}

struct nerve_tokenizer {
    guint max_token_bytes;
    GHashTable *abbrevs;              /* abbrev_key* -> class (tokenize.c) */
    size_t abbrev_max;                /* the longest abbreviation, in bytes */
    uint64_t abbrev_filter[64];       /* bits of abbreviations (tokenize.c: filter_bit) */
    GPtrArray *clitics;               /* char*, lower-case, straight apostrophes */
    gboolean clitics_need_apostrophe; /* every clitic has one */
};

typedef struct {
    const nerve_tokenizer *tk;
    nerve_doc *doc;
    const unsigned char *s; /* normalized text */
    size_t len;
    gboolean identity;
    uint32_t gap_flags; /* SPACE/NEWLINE/PARA flags for the next token */
    size_t chunk_end;   /* end of the chunk chunk_link describes */
    gboolean chunk_link;
    size_t edit_hint; /* where the last alignment lookup ended */
    /* A token [a, b) of the normalized text with shift_lo <= a and
     * b < shift_hi lies between two edits: its original span is
     * [a + shift, b + shift). */
    size_t shift_lo, shift_hi;
    ptrdiff_t shift;
    uint32_t last_end;            /* original end of the last token */
    gboolean cut;                 /* a token was cut at the length limit */
    const unsigned char *lowered; /* s lower-cased (ASCII only), or NULL until needed */
} scanner;

/* Decodes the code point at p; *n its length. */
static inline uint32_t cp_at(const scanner *sc, size_t p, int *n)
{
    if (sc->s[p] < 0x80) {
        *n = 1;
        return sc->s[p];
    }
    return nerve_utf8_decode(sc->s + p, sc->s + sc->len, n);
}

static inline guint8 info_at(const scanner *sc, size_t p)
{
    int n;
    return p < sc->len ? info_of(cp_at(sc, p, &n)) : C_SPACE;
}

static inline int cls_at(const scanner *sc, size_t p)
{
    return info_at(sc, p) & 0x0F;
}

static inline gboolean is_ascii_alpha(int c)
{
    return g_ascii_isalpha(c);
}

static inline gboolean is_word_cls(int cls)
{
    return cls == C_LETTER || cls == C_DIGIT || cls == C_MARK;
}

/* End of the grapheme cluster starting at p (p < len). */
size_t nerve_scan_cluster_end(const scanner *sc, size_t p);
/* Can the chunk at p hold a URL, e-mail address or domain? */
gboolean nerve_scan_may_link(scanner *sc, size_t p);
/* Each returns the end of its kind of token at p, or 0. */
size_t nerve_scan_url(const scanner *sc, size_t p);
size_t nerve_scan_email(const scanner *sc, size_t p);
size_t nerve_scan_tag(const scanner *sc, size_t p);
size_t nerve_scan_domain(const scanner *sc, size_t p);
/* A number at p (a digit); *unit_end the end of a unit written with it. */
size_t nerve_scan_number(scanner *sc, size_t p, size_t *unit_end);
/* A word at p; *flags gets NERVE_TOKEN_ABBREV (and INITIAL) when it owns
 * its period; *apostrophe tells whether it has an inner one. */
size_t nerve_scan_word(scanner *sc, size_t p, uint32_t *flags, gboolean *apostrophe);

#endif
