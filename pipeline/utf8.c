/* utf8.c - UTF-8 validation and repair.
 *
 * Validation follows the Unicode definition of well-formed UTF-8 (table
 * 3-7): no overlong forms, no surrogates, nothing above U+10FFFF.  Repair
 * replaces each maximal subpart of an ill-formed sequence by one U+FFFD,
 * the practice of the Unicode standard and of WHATWG decoders, so the
 * number of replacements does not depend on the decoder.
 */
#include "nerve/utf8.h"

#include <string.h>

/* Length of the well-formed sequence at p (1..4), or 0 when ill-formed; in
 * that case *bad receives the length of the maximal subpart (>= 1). */
static size_t well_formed(const unsigned char *p, const unsigned char *end, size_t *bad)
{
    unsigned c = p[0];
    unsigned lo = 0x80, hi = 0xBF;
    size_t need;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *bad = 1;
        return 0;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (p + i >= end) {
            *bad = i;
            return 0;
        }
        unsigned b = p[i];
        unsigned l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
        if (b < l || b > h) {
            *bad = i;
            return 0;
        }
    }
    return need + 1;
}

size_t nerve_utf8_count_invalid(const char *s, size_t len, size_t *first_bad)
{
    if (first_bad)
        *first_bad = len;
    if (len == 0)
        return 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    size_t n = 0;
    while (p < end) {
        /* ASCII fast path, 8 bytes at a time */
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            if (w & 0x8080808080808080ull)
                break;
            p += 8;
        }
        if (p >= end)
            break;
        size_t bad = 0, k = well_formed(p, end, &bad);
        if (k) {
            p += k;
            continue;
        }
        if (n == 0 && first_bad)
            *first_bad = (size_t)(p - (const unsigned char *)s);
        n++;
        p += bad;
    }
    return n;
}

size_t nerve_utf8_repair(const char *s, size_t len, GString *out)
{
    if (len == 0)
        return 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + len, *run = p;
    size_t n = 0;
    while (p < end) {
        size_t bad = 0, k = well_formed(p, end, &bad);
        if (k) {
            p += k;
            continue;
        }
        g_string_append_len(out, (const char *)run, p - run);
        g_string_append(out, "\xEF\xBF\xBD");
        n++;
        p += bad;
        run = p;
    }
    g_string_append_len(out, (const char *)run, p - run);
    return n;
}

char *nerve_utf8_caps_variant(const char *s, size_t len, guint min_letters)
{
    guint letters = 0;
    for (const char *p = s; p < s + len && letters < min_letters; p = g_utf8_next_char(p))
        letters += g_unichar_isalpha(g_utf8_get_char(p));
    if (letters < min_letters)
        return NULL;
    char *up = g_utf8_strup(s, (gssize)len);
    if (strlen(up) == len && !memcmp(up, s, len)) {
        g_free(up);
        return NULL;
    }
    return up;
}
