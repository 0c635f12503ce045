/* offsets.c - byte <-> code point <-> UTF-16 conversion.
 *
 * The map stores, for every block of 64 bytes, the number of code points
 * and of UTF-16 units before the block.  A conversion looks up the block
 * and counts within it: O(64) per call, O(n/64) memory, exact for every
 * character.  Pure ASCII texts need no table at all.
 *
 * The cursor serves writers, which convert every offset of a document in
 * nearly increasing order: counting from the previous offset is cheaper
 * than building a table that most documents never need.  It builds a map
 * only when it is sent far backwards.
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
        if (!(w & SWAR_HIGH)) {
            c += 8;
            u += 8;
            continue;
        }
        unsigned starts = 8 - swar_count_high(swar_continuations(w));
        c += starts;
        u += starts + swar_count_high(swar_astral_starts(w));
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

/* Units in the word w at the bytes of keep (bit 7s): code points, or
 * UTF-16 units when u16. */
static inline size_t word_units(uint64_t w, uint64_t keep, gboolean u16)
{
    size_t n = swar_count_high(keep) - swar_count_high(swar_continuations(w) & keep);
    if (u16)
        n += swar_count_high(swar_astral_starts(w) & keep);
    return n;
}

/* Counts units of one kind in [p, end): code points, or UTF-16 units
 * when u16.  limit: the end of the text; a last partial word is read
 * whole when that stays before limit, with the bytes past end masked
 * off. */
static size_t count_units(const unsigned char *p, const unsigned char *end,
                          const unsigned char *limit, gboolean u16)
{
    size_t n = 0;
    for (; end - p >= 16; p += 16) { /* mostly ASCII: two words at a time */
        uint64_t w = swar_load(p), x = swar_load(p + 8);
        if ((w | x) & SWAR_HIGH)
            n += word_units(w, SWAR_HIGH, u16) + word_units(x, SWAR_HIGH, u16);
        else
            n += 16;
    }
    if (end - p >= 8) {
        n += word_units(swar_load(p), SWAR_HIGH, u16);
        p += 8;
    }
    size_t left = (size_t)(end - p);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
    if (left && limit - p >= 8)
        return n + word_units(swar_load(p), SWAR_HIGH & ((1ull << (8 * left)) - 1), u16);
#endif
    for (; p < end; p++)
        if ((*p & 0xC0) != 0x80)
            n += u16 && *p >= 0xF0 ? 2 : 1;
    return n;
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

/* --- the cursor ------------------------------------------------------------ */

/* Jumps up to this far are scanned.  Further ones are scanned too (from
 * the start of the text when that is nearer) until the cursor has scanned
 * SCAN_BUDGET times the text: after that they go through a map, built
 * then.  Writers' usual order (a pass over the text for each list) stays
 * within the budget; no order costs more than the budget plus FAR bytes
 * per conversion. */
#define FAR         512
#define SCAN_BUDGET 6

/* Lists the non-ASCII characters of the cursor's text, with what each
 * saves in its unit; FALSE when there are more than NERVE_OFFSETS_SPARSE
 * (the text is then counted). */
static gboolean find_sparse(nerve_offsets_cursor *cur)
{
    const unsigned char *t = cur->text;
    size_t len = cur->len, i = 0;
    uint32_t saved = 0;
    while (i < len) {
        if (i + 16 <= len && !((swar_load(t + i) | swar_load(t + i + 8)) & SWAR_HIGH)) {
            i += 16;
            continue;
        }
        if (i + 8 <= len && !(swar_load(t + i) & SWAR_HIGH)) {
            i += 8;
            continue;
        }
        unsigned b = t[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        /* a lead byte: valid UTF-8 is assumed, as everywhere here */
        size_t k = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        if (cur->n_sparse == NERVE_OFFSETS_SPARSE)
            return FALSE;
        saved += (uint32_t)(k - (k == 4 && cur->unit == NERVE_UNIT_UTF16 ? 2 : 1));
        i += k;
        cur->sparse_end[cur->n_sparse] = (uint32_t)MIN(i, len);
        cur->sparse_saved[cur->n_sparse++] = saved;
    }
    return TRUE;
}

void nerve_offsets_cursor_init(nerve_offsets_cursor *cur, const char *text, size_t len,
                               nerve_unit unit)
{
    cur->text = (const unsigned char *)text;
    cur->len = len;
    cur->unit = unit;
    cur->byte = cur->count = cur->scanned = 0;
    cur->map = NULL;
    cur->n_sparse = cur->next = 0;
    cur->identity = unit == NERVE_UNIT_BYTE;
    cur->sparse = !cur->identity && len <= G_MAXUINT32 && find_sparse(cur);
    cur->identity = cur->identity || (cur->sparse && cur->n_sparse == 0);
}

void nerve_offsets_cursor_clear(nerve_offsets_cursor *cur)
{
    nerve_offsets_free(cur->map);
    cur->map = NULL;
}

size_t nerve_offsets_cursor_seek(nerve_offsets_cursor *cur, size_t byte)
{
    gboolean u16 = cur->unit == NERVE_UNIT_UTF16;
    const unsigned char *t = cur->text, *limit = t + cur->len;
    size_t at = cur->byte;
    size_t step = byte > at ? byte - at : at - byte;
    if (step > FAR && byte > FAR && (cur->map || cur->scanned / SCAN_BUDGET > cur->len)) {
        if (!cur->map)
            cur->map = nerve_offsets_new((const char *)t, cur->len);
        cur->count = nerve_offsets_from_byte(cur->map, byte, cur->unit);
    } else if (byte < step) { /* nearer the start: the first offset of the next list */
        cur->count = count_units(t, t + byte, limit, u16);
        cur->scanned += byte;
    } else {
        if (byte >= at)
            cur->count += count_units(t + at, t + byte, limit, u16);
        else
            cur->count -= count_units(t + byte, t + at, limit, u16);
        cur->scanned += step;
    }
    cur->byte = byte;
    return cur->count;
}
