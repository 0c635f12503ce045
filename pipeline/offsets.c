/* offsets.c - byte <-> code point <-> UTF-16 conversion.
 *
 * The map stores, for every block of 64 bytes, the number of code points
 * and of UTF-16 units before the block.  A conversion looks up the block
 * and counts within it: O(64) per call, O(n/64) memory, exact for every
 * character.  Pure ASCII texts need no table at all.
 */
#include "nerve/offsets.h"

#include "swar.h"

#include <stdint.h>
#include <string.h>

#define BLOCK 64

struct nerve_offsets {
    const unsigned char *text;
    size_t len;
    gboolean ascii;
    size_t n_blocks;
    /* cp[i], u16[i]: counts before byte i * BLOCK; n_blocks + 1 entries */
    size_t *cp;
    size_t *u16;
};

gboolean nerve_unit_parse(const char *name, nerve_unit *unit)
{
    if (!strcmp(name, "codepoint") || !strcmp(name, "char") || !strcmp(name, "codepoints"))
        *unit = NERVE_UNIT_CODEPOINT;
    else if (!strcmp(name, "utf16") || !strcmp(name, "utf-16"))
        *unit = NERVE_UNIT_UTF16;
    else if (!strcmp(name, "byte") || !strcmp(name, "bytes") || !strcmp(name, "utf8"))
        *unit = NERVE_UNIT_BYTE;
    else
        return FALSE;
    return TRUE;
}

const char *nerve_unit_name(nerve_unit unit)
{
    switch (unit) {
    case NERVE_UNIT_UTF16:
        return "utf16";
    case NERVE_UNIT_BYTE:
        return "byte";
    default:
        return "codepoint";
    }
}

/* Counts code points and UTF-16 units in [p, end). */
static void count(const unsigned char *p, const unsigned char *end, size_t *cp, size_t *u16)
{
    size_t c = 0, u = 0;
    for (; end - p >= 8; p += 8) {
        uint64_t w = swar_load(p);
        unsigned starts = swar_count_starts(w);
        c += starts;
        u += starts + swar_count_astral(w);
    }
    for (; p < end; p++) {
        unsigned b = *p;
        if ((b & 0xC0) != 0x80) {
            c++;
            u += b >= 0xF0 ? 2 : 1;
        }
    }
    *cp = c;
    *u16 = u;
}

static gboolean is_ascii(const unsigned char *p, size_t len)
{
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ull)
            return FALSE;
    }
    for (; i < len; i++)
        if (p[i] & 0x80)
            return FALSE;
    return TRUE;
}

nerve_offsets *nerve_offsets_new(const char *text, size_t len)
{
    nerve_offsets *m = g_new0(nerve_offsets, 1);
    m->text = (const unsigned char *)text;
    m->len = len;
    m->ascii = is_ascii(m->text, len);
    if (m->ascii)
        return m;
    m->n_blocks = len / BLOCK + 1;
    m->cp = g_new(size_t, m->n_blocks + 1);
    m->u16 = g_new(size_t, m->n_blocks + 1);
    size_t c = 0, u = 0;
    for (size_t b = 0; b <= m->n_blocks; b++) {
        m->cp[b] = c;
        m->u16[b] = u;
        size_t from = b * BLOCK, to = MIN(len, from + BLOCK);
        if (from < len) {
            size_t dc, du;
            count(m->text + from, m->text + to, &dc, &du);
            c += dc;
            u += du;
        }
    }
    return m;
}

void nerve_offsets_free(nerve_offsets *m)
{
    if (!m)
        return;
    g_free(m->cp);
    g_free(m->u16);
    g_free(m);
}

size_t nerve_offsets_from_byte(const nerve_offsets *m, size_t byte, nerve_unit unit)
{
    if (byte > m->len)
        byte = m->len;
    if (unit == NERVE_UNIT_BYTE || m->ascii)
        return byte;
    size_t b = byte / BLOCK, dc, du;
    count(m->text + b * BLOCK, m->text + byte, &dc, &du);
    return unit == NERVE_UNIT_UTF16 ? m->u16[b] + du : m->cp[b] + dc;
}

size_t nerve_offsets_length(const nerve_offsets *m, nerve_unit unit)
{
    return nerve_offsets_from_byte(m, m->len, unit);
}

gboolean nerve_offsets_to_byte(const nerve_offsets *m, size_t off, nerve_unit unit, size_t *byte)
{
    if (unit == NERVE_UNIT_BYTE || m->ascii) {
        if (off > m->len)
            return FALSE;
        if (off < m->len && (m->text[off] & 0xC0) == 0x80)
            return FALSE;
        *byte = off;
        return TRUE;
    }
    const size_t *table = unit == NERVE_UNIT_UTF16 ? m->u16 : m->cp;
    /* the last block whose start count is <= off */
    size_t lo = 0, hi = m->n_blocks;
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (table[mid] <= off && mid * BLOCK <= m->len)
            lo = mid;
        else
            hi = mid - 1;
    }
    size_t pos = lo * BLOCK, n = table[lo];
    /* a block may start inside a character counted in the block before */
    while (pos < m->len && (m->text[pos] & 0xC0) == 0x80)
        pos++;
    while (pos < m->len && n < off) {
        unsigned b = m->text[pos];
        size_t k = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        n += unit == NERVE_UNIT_UTF16 && k == 4 ? 2 : 1;
        pos += k;
    }
    if (n != off || pos > m->len)
        return FALSE;
    *byte = pos;
    return TRUE;
}
