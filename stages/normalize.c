/* normalize.c - the normalized view of a document.
 *
 * One pass over the original text.  Bytes that are already normal (ASCII
 * other than control characters and '&') are only scanned; the output
 * buffer is created at the first byte that changes, so an ASCII news text
 * costs one scan and no copy.  Each change is recorded as an edit
 * (doc.h: nerve_edit) so spans map back to the original exactly.
 *
 * Unicode normalization is done per segment: a code point whose NFC (or
 * NFKC) quick-check is not YES, or that combines with what precedes it,
 * starts a segment that runs from the last starter to the next
 * quick-check-YES starter; only that segment goes through ICU (in UTF-16,
 * which ICU's C API needs).  Text already in NFC never reaches ICU.
 */
#include "nerve/normalize.h"

#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "nerve/utf8.h"

typedef struct {
    GString *out; /* NULL until the first change */
    GArray *edits;
    const char *text;
    size_t len;
    size_t copied; /* original bytes before this offset are in out */
} norm_state;

static void start_output(norm_state *st)
{
    if (st->out)
        return;
    st->out = g_string_sized_new(st->len + 16);
    st->edits = g_array_new(FALSE, FALSE, sizeof(nerve_edit));
}

/* Copies the unchanged original bytes up to pos into out. */
static void flush_to(norm_state *st, size_t pos)
{
    if (pos > st->copied) {
        g_string_append_len(st->out, st->text + st->copied, pos - st->copied);
        st->copied = pos;
    }
}

/* Replaces original [from, to) by (rep, rep_len). */
static void replace(norm_state *st, size_t from, size_t to, const char *rep, size_t rep_len)
{
    start_output(st);
    flush_to(st, from);
    nerve_edit e = {(uint32_t)from, (uint32_t)to, (uint32_t)st->out->len,
                    (uint32_t)(st->out->len + rep_len)};
    g_string_append_len(st->out, rep, rep_len);
    g_array_append_val(st->edits, e);
    st->copied = to;
}

/* clang-format off */
/* Character-level replacements; returns the replacement or NULL. */
static const char *map_char(uint32_t c)
{
    switch (c) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2035:
    case 0x02BC: case 0xFF07:
        return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x2036:
    case 0x00AB: case 0x00BB: case 0x2039: case 0x203A: case 0x301D: case 0x301E:
    case 0xFF02:
        return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
        return "-";
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000: case 0x200B:
    case 0x180E:
        return " ";
    case 0x0085: case 0x2028: case 0x2029:
        return "\n";
    case 0x00AD: case 0xFEFF: case 0x2060: case 0x200E: case 0x200F: case 0x061C:
        return "";
    default:
        break;
    }
    if (c >= 0x2000 && c <= 0x200A)
        return " ";
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
        return ""; /* bidi embedding controls */
    if (c >= 0x80 && c <= 0x9F)
        return " "; /* C1 controls */
    return NULL;
}

static const struct {
    const char *name;
    uint32_t cp;
} entities[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
    {"nbsp", 0xA0}, {"ndash", 0x2013}, {"mdash", 0x2014}, {"lsquo", 0x2018},
    {"rsquo", 0x2019}, {"sbquo", 0x201A}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"bdquo", 0x201E}, {"hellip", 0x2026}, {"copy", 0xA9}, {"reg", 0xAE},
    {"trade", 0x2122}, {"euro", 0x20AC}, {"pound", 0xA3}, {"yen", 0xA5},
    {"cent", 0xA2}, {"sect", 0xA7}, {"deg", 0xB0}, {"plusmn", 0xB1},
    {"times", 0xD7}, {"divide", 0xF7}, {"middot", 0xB7}, {"bull", 0x2022},
    {"laquo", 0xAB}, {"raquo", 0xBB}, {"shy", 0xAD}, {"thinsp", 0x2009},
    {"ensp", 0x2002}, {"emsp", 0x2003}, {"zwsp", 0x200B}, {"prime", 0x2032},
    {"aacute", 0xE1}, {"Aacute", 0xC1}, {"eacute", 0xE9}, {"Eacute", 0xC9},
    {"iacute", 0xED}, {"Iacute", 0xCD}, {"oacute", 0xF3}, {"Oacute", 0xD3},
    {"uacute", 0xFA}, {"Uacute", 0xDA}, {"agrave", 0xE0}, {"Agrave", 0xC0},
    {"egrave", 0xE8}, {"Egrave", 0xC8}, {"igrave", 0xEC}, {"ograve", 0xF2},
    {"ugrave", 0xF9}, {"acirc", 0xE2}, {"ecirc", 0xEA}, {"icirc", 0xEE},
    {"ocirc", 0xF4}, {"ucirc", 0xFB}, {"auml", 0xE4}, {"Auml", 0xC4},
    {"euml", 0xEB}, {"iuml", 0xEF}, {"ouml", 0xF6}, {"Ouml", 0xD6},
    {"uuml", 0xFC}, {"Uuml", 0xDC}, {"ntilde", 0xF1}, {"Ntilde", 0xD1},
    {"ccedil", 0xE7}, {"Ccedil", 0xC7}, {"szlig", 0xDF}, {"aring", 0xE5},
    {"Aring", 0xC5}, {"oslash", 0xF8}, {"Oslash", 0xD8}, {"aelig", 0xE6},
    {"AElig", 0xC6}, {"atilde", 0xE3}, {"otilde", 0xF5},
};

/* clang-format on */
/* Decodes an HTML entity at text[pos] == '&'; returns its length or 0. */
static size_t parse_entity(const char *s, size_t len, uint32_t *cp)
{
    size_t i = 1, max = MIN(len, 12);
    if (i < max && s[i] == '#') {
        gboolean hex = i + 1 < max && (s[i + 1] == 'x' || s[i + 1] == 'X');
        i += hex ? 2 : 1;
        uint32_t v = 0;
        size_t digits = 0;
        for (; i < max && g_ascii_isxdigit(s[i]) && (hex || g_ascii_isdigit(s[i])); i++) {
            v = v * (hex ? 16 : 10) + (uint32_t)g_ascii_xdigit_value(s[i]);
            if (v > 0x10FFFF)
                return 0;
            digits++;
        }
        if (!digits || i >= max || s[i] != ';' || v == 0 || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        *cp = v;
        return i + 1;
    }
    while (i < max && g_ascii_isalnum(s[i]))
        i++;
    if (i == 1 || i >= max || s[i] != ';')
        return 0;
    for (guint k = 0; k < G_N_ELEMENTS(entities); k++)
        if (strlen(entities[k].name) == i - 1 && !memcmp(entities[k].name, s + 1, i - 1)) {
            *cp = entities[k].cp;
            return i + 1;
        }
    return 0;
}

static gboolean needs_unicode_check(uint32_t c, gboolean nfkc)
{
    UProperty qc = nfkc ? UCHAR_NFKC_QUICK_CHECK : UCHAR_NFC_QUICK_CHECK;
    return u_getIntPropertyValue((UChar32)c, qc) != UNORM_YES ||
           u_getCombiningClass((UChar32)c) != 0;
}

/* Normalizes original [from, to) with ICU and replaces it when it changes.
 * A very long segment (a run of combining marks) is done in pieces of at
 * most 200 bytes; returns where this piece ended. */
static size_t normalize_segment(norm_state *st, size_t from, size_t to, gboolean nfkc)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *n2 =
        nfkc ? unorm2_getNFKCInstance(&status) : unorm2_getNFCInstance(&status);
    UChar in[256], out[512];
    int32_t in_len = 0, out_len;
    if (to - from > 200) {
        to = from + 200;
        while ((st->text[to] & 0xC0) == 0x80)
            to--;
    }
    u_strFromUTF8(in, G_N_ELEMENTS(in), &in_len, st->text + from, (int32_t)(to - from), &status);
    out_len = unorm2_normalize(n2, in, in_len, out, G_N_ELEMENTS(out), &status);
    if (U_FAILURE(status))
        return to;
    /* what NFKC makes may need the character mapping too (U+2034 gives
     * three primes, which are apostrophes here) */
    char buf[2400];
    int32_t blen = 0;
    for (int32_t k = 0; k < out_len && U_SUCCESS(status);) {
        UChar32 c;
        U16_NEXT(out, k, out_len, c);
        const char *m = map_char((uint32_t)c);
        if (m) {
            size_t ml = strlen(m);
            memcpy(buf + blen, m, ml);
            blen += (int32_t)ml;
        } else
            blen += g_unichar_to_utf8((gunichar)c, buf + blen);
    }
    if (U_FAILURE(status) || ((size_t)blen == to - from && !memcmp(buf, st->text + from, blen)))
        return to;
    replace(st, from, to, buf, (size_t)blen);
    return to;
}

void nerve_normalize(const nerve_normalize_options *opts, nerve_doc *doc)
{
    norm_state st = {0};
    st.text = nerve_doc_text(doc, &st.len);
    const unsigned char *t = (const unsigned char *)st.text;
    size_t i = 0, last_starter = 0;
    gboolean html = opts->html_entities;

    while (i < st.len) {
        /* eight bytes at a time while none is a control character, '&',
         * DEL or non-ASCII: such runs are already normal */
        while (i + 8 <= st.len) {
            uint64_t w;
            memcpy(&w, t + i, 8);
            const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
            uint64_t amp = w ^ (ones * '&');
            uint64_t below_space = (w - ones * 0x20) & ~w & high; /* exact for "any" */
            uint64_t del_or_high = ((w + ones) | w) & high;
            uint64_t ampersand = (amp - ones) & ~amp & high;
            if (below_space | del_or_high | ampersand)
                break;
            i += 8;
            last_starter = i - 1;
        }
        if (i >= st.len)
            break;
        unsigned b = t[i];
        if (b >= 0x20 && b < 0x7F && b != '&') {
            last_starter = i++;
            continue;
        }
        if (b < 0x80) {
            if (b == '&') {
                uint32_t cp;
                size_t n = html ? parse_entity(st.text + i, st.len - i, &cp) : 0;
                if (n) {
                    const char *m = map_char(cp);
                    char buf[8];
                    size_t blen = m ? strlen(m) : (size_t)g_unichar_to_utf8(cp, buf);
                    replace(&st, i, i + n, m ? m : buf, blen);
                    i += n;
                    last_starter = i;
                    continue;
                }
            } else if (b != '\t' && b != '\n' && b != '\r') {
                replace(&st, i, i + 1, " ", 1); /* control characters, NUL included */
            }
            last_starter = i++;
            continue;
        }
        int n;
        uint32_t c = nerve_utf8_decode(t + i, t + st.len, &n);
        const char *m = map_char(c);
        if (m) {
            replace(&st, i, i + n, m, strlen(m));
            i += n;
            last_starter = i;
            continue;
        }
        if (!needs_unicode_check(c, opts->nfkc)) {
            last_starter = i;
            i += n;
            continue;
        }
        /* the segment: from the last starter (if not already edited and c
         * combines with it) to the next code point that is a quick-check-YES
         * starter */
        gboolean combining =
            u_getCombiningClass((UChar32)c) != 0 ||
            u_getIntPropertyValue((UChar32)c, opts->nfkc ? UCHAR_NFKC_QUICK_CHECK
                                                         : UCHAR_NFC_QUICK_CHECK) == UNORM_MAYBE;
        size_t from = combining && last_starter >= st.copied ? last_starter : i;
        size_t to = i + n;
        while (to < st.len) {
            int k;
            uint32_t d = nerve_utf8_decode(t + to, t + st.len, &k);
            if (d < 0x80 || (!needs_unicode_check(d, opts->nfkc) && !map_char(d)))
                break;
            if (map_char(d))
                break;
            to += k;
        }
        i = normalize_segment(&st, from, to, opts->nfkc);
        last_starter = i;
    }
    if (!st.out) {
        nerve_doc_set_norm(doc, NULL, 0, NULL);
        return;
    }
    flush_to(&st, st.len);
    size_t out_len = st.out->len;
    nerve_doc_set_norm(doc, g_string_free(st.out, FALSE), out_len, st.edits);
}

static gboolean normalize_stage(const void *self, nerve_doc *doc, GError **error)
{
    (void)error;
    nerve_normalize(self, doc);
    return TRUE;
}

nerve_stage *nerve_normalize_stage_new(const nerve_normalize_options *opts)
{
    return nerve_stage_new("normalize", normalize_stage, g_memdup2(opts, sizeof *opts), g_free);
}
