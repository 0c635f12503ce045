/* lexicon-shape.c - the shape of a form (lexicon.h): X for upper- and
 * title-case letters, x for other letters, d for digits, any other
 * character itself, runs cut at four.  Kept apart from lexicon.c, which
 * calls it for the forms its caches miss.
 */
#include <stdint.h>
#include <string.h>

#include "nerve/lexicon.h"
#include "nerve/utf8.h"

/* The shape of an ASCII form (out has room for len bytes), without
 * decoding or Unicode tables; SIZE_MAX at the first non-ASCII byte. */
static size_t shape_ascii(const unsigned char *p, size_t len, char *out)
{
    uint32_t last = 0;
    int run = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        uint32_t c = p[i], sh;
        if (c >= 0x80)
            return SIZE_MAX;
        sh = c - 'a' < 26 ? 'x' : c - 'A' < 26 ? 'X' : c - '0' < 10 ? 'd' : c;
        run = sh == last ? run + 1 : 0;
        last = sh;
        if (run < 4)
            out[n++] = (char)sh;
    }
    return n;
}

size_t nerve_lexicon_shape(const char *s, size_t len, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    uint32_t last = 0;
    int run = 0;
    size_t n = 0;
    if (len <= cap && (n = shape_ascii(p, len, out)) != SIZE_MAX)
        return n;
    n = 0;
    while (p < end) {
        int k = 1;
        uint32_t c = *p, sh;
        const unsigned char *src = p;
        if (c >= 0x80)
            c = nerve_utf8_decode(p, end, &k);
        p += k;
        if (c < 0x80) /* no Unicode tables */
            sh = c - 'a' < 26 ? 'x' : c - 'A' < 26 ? 'X' : c - '0' < 10 ? 'd' : c;
        else if (g_unichar_isupper(c) || g_unichar_istitle(c))
            sh = 'X';
        else if (g_unichar_isalpha(c))
            sh = 'x';
        else if (g_unichar_isdigit(c))
            sh = 'd';
        else
            sh = c;
        run = sh == last ? run + 1 : 0;
        last = sh;
        if (run >= 4)
            continue;
        size_t w = (sh == c) ? (size_t)k : 1;
        if (n + w > cap)
            break;
        if (sh == c)
            memcpy(out + n, src, w);
        else
            out[n] = (char)sh;
        n += w;
    }
    return n;
}
