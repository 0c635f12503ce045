/* utf8.h - validating and repairing UTF-8 at the edge of the program.
 *
 * Readers call nerve_utf8_repair() once on every text they read; everything
 * after them may assume valid UTF-8 (NUL bytes included: text is always a
 * pointer and a length).
 */
#ifndef NERVE_UTF8_H
#define NERVE_UTF8_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Returns the number of invalid sequences in (s, len); 0 means valid UTF-8.
 * Overlong forms, surrogates (ED A0..BF) and code points above U+10FFFF are
 * invalid.  When first_bad is not NULL it receives the byte offset of the
 * first invalid sequence (or len). */
size_t nerve_utf8_count_invalid(const char *s, size_t len, size_t *first_bad);

/* Appends (s, len) to out with every maximal invalid subsequence replaced
 * by U+FFFD (the WHATWG/Unicode "substitution of maximal subparts").
 * Returns the number of replacements. */
size_t nerve_utf8_repair(const char *s, size_t len, GString *out);

/* The all-capitals spelling of (s, len), valid UTF-8, newly allocated (free
 * with g_free()); NULL when it has fewer than min_letters letters or is in
 * capitals already.  Used for text set in capitals (agency headlines):
 * list terms (gazcompile.c) and aliases (aliases.c). */
char *nerve_utf8_caps_variant(const char *s, size_t len, guint min_letters);

/* Decodes one code point of valid UTF-8 at s (s < end); stores its length
 * in *n.  Only for text already validated. */
static inline uint32_t nerve_utf8_decode(const unsigned char *s, const unsigned char *end, int *n)
{
    uint32_t c = s[0];
    if (c < 0x80) {
        *n = 1;
        return c;
    }
    if (c < 0xE0 && s + 1 < end) {
        *n = 2;
        return ((c & 0x1F) << 6) | (s[1] & 0x3F);
    }
    if (c < 0xF0 && s + 2 < end) {
        *n = 3;
        return ((c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    }
    if (s + 3 < end) {
        *n = 4;
        return ((c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
               ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    }
    *n = 1;
    return 0xFFFD;
}

/* Decodes the code point that ends at s (exclusive), start <= s - 1. */
static inline uint32_t nerve_utf8_decode_prev(const unsigned char *start, const unsigned char *s,
                                              int *n)
{
    const unsigned char *p = s - 1;
    while (p > start && (*p & 0xC0) == 0x80 && s - p < 4)
        p--;
    return nerve_utf8_decode(p, s, n);
}

G_END_DECLS

#endif
