/* tokenize-scan.c - the tokenizer's character classes and the scanners
 * of its special tokens (see tokenize-scan.h and tokenize.h).
 *
 * Classes come from a 64 KiB table of the BMP filled from ICU's
 * properties (general category, grapheme cluster break, line break, case)
 * one block of 256 code points at a time, when a text first uses it;
 * astral code points ask ICU directly.  The scanners work on the UTF-8 of
 * the normalized view and return where their token ends; tokenize.c
 * decides which to try and emits the tokens.
 */
#include <string.h>
#include <unicode/uchar.h>

#include "tokenize-scan.h"

guint8 nerve_scan_bmp_info[0x10000];
atomic_uchar nerve_scan_bmp_ready[0x100];
guint8 nerve_scan_joins_word[256];
guint8 nerve_scan_word_bits[256];

/* Hangul syllable types for the grapheme rules GB6-GB8. */
static int hangul_type(uint32_t c)
{
    return u_getIntPropertyValue((UChar32)c, UCHAR_GRAPHEME_CLUSTER_BREAK);
}

guint8 nerve_scan_info_astral(uint32_t c)
{
    UChar32 u = (UChar32)c;
    int gcb = u_getIntPropertyValue(u, UCHAR_GRAPHEME_CLUSTER_BREAK);
    int gc = u_charType(u);
    guint8 info, cls;

    if (u_isUWhiteSpace(u) || c == 0x200B)
        cls = C_SPACE;
    else if (gcb == U_GCB_REGIONAL_INDICATOR)
        cls = C_RI;
    else if (u_hasBinaryProperty(u, UCHAR_EXTENDED_PICTOGRAPHIC) && c >= 0x80)
        cls = C_EMOJI;
    else if (gc == U_DECIMAL_DIGIT_NUMBER)
        cls = C_DIGIT;
    else if (gc >= U_UPPERCASE_LETTER && gc <= U_OTHER_LETTER) {
        int lb = u_getIntPropertyValue(u, UCHAR_LINE_BREAK);
        cls = (lb == U_LB_IDEOGRAPHIC || lb == U_LB_COMPLEX_CONTEXT ||
               lb == U_LB_CONDITIONAL_JAPANESE_STARTER)
                  ? C_DICT
                  : C_LETTER;
    } else if (gc == U_NON_SPACING_MARK || gc == U_COMBINING_SPACING_MARK || gc == U_ENCLOSING_MARK)
        cls = C_MARK;
    else if (gc >= U_DASH_PUNCTUATION && gc <= U_OTHER_PUNCTUATION)
        cls = C_PUNCT;
    else if (gc == U_INITIAL_PUNCTUATION || gc == U_FINAL_PUNCTUATION)
        cls = C_PUNCT;
    else if (gc >= U_MATH_SYMBOL && gc <= U_OTHER_SYMBOL)
        cls = C_SYMBOL;
    else if (gc == U_LETTER_NUMBER || gc == U_OTHER_NUMBER)
        cls = C_SYMBOL;
    else
        cls = C_OTHER;
    info = cls;
    if (gcb == U_GCB_EXTEND || gcb == U_GCB_ZWJ || gcb == U_GCB_SPACING_MARK)
        info |= I_EXTEND;
    if (gcb == U_GCB_ZWJ)
        info |= I_ZWJ;
    if (u_isUUppercase(u) || gc == U_TITLECASE_LETTER)
        info |= I_UPPER;
    else if (u_isULowercase(u))
        info |= I_LOWER;
    return info;
}

static void fill_block(uint32_t block)
{
    for (uint32_t c = block << 8; c < (block + 1) << 8; c++)
        nerve_scan_bmp_info[c] = (c >= 0xD800 && c <= 0xDFFF) ? C_OTHER : nerve_scan_info_astral(c);
    atomic_store_explicit(&nerve_scan_bmp_ready[block], 1, memory_order_release);
}

guint8 nerve_scan_bmp_fill(uint32_t c)
{
    static GMutex lock;
    g_mutex_lock(&lock);
    if (!atomic_load_explicit(&nerve_scan_bmp_ready[c >> 8], memory_order_acquire))
        fill_block(c >> 8);
    g_mutex_unlock(&lock);
    return nerve_scan_bmp_info[c];
}

gpointer nerve_scan_init_tables(gpointer unused)
{
    (void)unused;
    fill_block(0); /* ASCII, which the scanners read without info_of() */
    for (unsigned b = 0; b < 256; b++) {
        nerve_scan_joins_word[b] =
            b >= 0x80 || g_ascii_isalnum(b) || (b && strchr(".'-&_@:/", (int)b));
        nerve_scan_word_bits[b] = b >= 0x80            ? 0
                                  : g_ascii_isupper(b) ? W_UPPER
                                  : g_ascii_islower(b) ? W_LOWER
                                  : g_ascii_isdigit(b) ? W_DIGIT
                                                       : 0;
    }
    return NULL;
}

/* End of the grapheme cluster starting at p (p < len). */
size_t nerve_scan_cluster_end(const scanner *sc, size_t p)
{
    int n;
    uint32_t base = cp_at(sc, p, &n);
    size_t q = p + n;
    if (q >= sc->len || (sc->s[q] < 0x80 && !(base == '\r' && sc->s[q] == '\n')))
        return q; /* the common case: an ASCII character follows */
    if (base == '\r')
        return q + 1;
    guint8 binfo = info_of(base);
    gboolean pict = (binfo & 0x0F) == C_EMOJI;
    gboolean ri = (binfo & 0x0F) == C_RI;
    int hang = base >= 0x1100 && base < 0xD7B0 ? hangul_type(base) : 0;
    uint32_t prev = base;
    while (q < sc->len) {
        int k;
        uint32_t c = cp_at(sc, q, &k);
        guint8 inf = info_of(c);
        if (inf & I_EXTEND) {
            /* Extend, ZWJ, SpacingMark (GB9, GB9a) */
        } else if (pict && (info_of(prev) & I_ZWJ) && (inf & 0x0F) == C_EMOJI) {
            /* GB11: emoji ZWJ emoji */
        } else if (ri && (inf & 0x0F) == C_RI && prev == base) {
            ri = FALSE; /* GB12/13: a pair of regional indicators */
        } else if (hang && c >= 0x1100 && c < 0xD7B0) {
            int h = hangul_type(c);
            gboolean join =
                (hang == U_GCB_L &&
                 (h == U_GCB_L || h == U_GCB_V || h == U_GCB_LV || h == U_GCB_LVT)) ||
                ((hang == U_GCB_LV || hang == U_GCB_V) && (h == U_GCB_V || h == U_GCB_T)) ||
                ((hang == U_GCB_LVT || hang == U_GCB_T) && h == U_GCB_T);
            if (!join)
                break;
            hang = h;
        } else {
            break;
        }
        prev = c;
        q += k;
    }
    return q;
}

/* --- special tokens --------------------------------------------------------- */

static gboolean has_prefix_ci(const scanner *sc, size_t p, const char *prefix)
{
    size_t n = strlen(prefix);
    return p + n <= sc->len && !g_ascii_strncasecmp((const char *)sc->s + p, prefix, n);
}

/* End of the non-space chunk starting at p. */
static size_t chunk_end(const scanner *sc, size_t p)
{
    while (p < sc->len) {
        unsigned b = sc->s[p];
        if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v')
            break;
        if (b >= 0x80 && cls_at(sc, p) == C_SPACE)
            break;
        int n;
        cp_at(sc, p, &n);
        p += n;
    }
    return p;
}

/* Can the non-space chunk at p hold a URL, an e-mail address or a domain?
 * One cheap pass: it needs '@', "://", or a period followed by an
 * alphanumeric character.  The answer is kept for the rest of the chunk. */
gboolean nerve_scan_may_link(scanner *sc, size_t p)
{
    if (p < sc->chunk_end)
        return sc->chunk_link;
    size_t q = p;
    gboolean link = FALSE;
    while (q < sc->len) {
        unsigned b = sc->s[q];
        if (b == ' ' || b == '\n' || b == '\t' || b == '\r')
            break;
        if (b == '@' || (b == ':' && q + 2 < sc->len && sc->s[q + 1] == '/') ||
            (b == '.' && q + 1 < sc->len && g_ascii_isalnum(sc->s[q + 1])))
            link = TRUE;
        q++;
    }
    sc->chunk_end = q;
    sc->chunk_link = link;
    return link;
}

/* Trims trailing punctuation off a URL or e-mail candidate [a, b): final
 * . , ; : ! ? quotes, and closing brackets that have no opening one. */
static size_t trim_url(const scanner *sc, size_t a, size_t b)
{
    while (b > a) {
        unsigned c = sc->s[b - 1];
        if (strchr(".,;:!?'\"", (int)c) && c) {
            b--;
            continue;
        }
        if (c == ')' || c == ']' || c == '}' || c == '>') {
            unsigned open = c == ')' ? '(' : c == ']' ? '[' : c == '}' ? '{' : '<';
            int depth = 0;
            for (size_t p = a; p < b; p++)
                depth += sc->s[p] == open ? 1 : sc->s[p] == c ? -1 : 0;
            if (depth < 0) {
                b--;
                continue;
            }
        }
        break;
    }
    return b;
}

size_t nerve_scan_url(const scanner *sc, size_t p)
{
    static const char *const schemes[] = {"https://", "http://", "ftp://", "www."};
    unsigned c = sc->s[p] | 0x20;
    if (c != 'h' && c != 'f' && c != 'w')
        return 0;
    for (guint i = 0; i < G_N_ELEMENTS(schemes); i++)
        if (has_prefix_ci(sc, p, schemes[i])) {
            size_t b = trim_url(sc, p, chunk_end(sc, p));
            return b > p + strlen(schemes[i]) ? b : 0;
        }
    return 0;
}

static gboolean email_local(unsigned c)
{
    return g_ascii_isalnum(c) || (c && strchr("._%+-", (int)c));
}

size_t nerve_scan_email(const scanner *sc, size_t p)
{
    size_t q = p;
    while (q < sc->len && email_local(sc->s[q]))
        q++;
    if (q == p || q >= sc->len || sc->s[q] != '@' || sc->s[p] == '.')
        return 0;
    size_t d = ++q, last_dot = 0;
    while (q < sc->len && (g_ascii_isalnum(sc->s[q]) || sc->s[q] == '-' || sc->s[q] == '.')) {
        if (sc->s[q] == '.')
            last_dot = q;
        q++;
    }
    while (q > d && (sc->s[q - 1] == '.' || sc->s[q - 1] == '-'))
        q--;
    if (!last_dot || last_dot >= q || last_dot == d)
        return 0;
    /* a top-level domain of two or more letters */
    for (size_t k = last_dot + 1; k < q; k++)
        if (!is_ascii_alpha(sc->s[k]))
            return 0;
    return q - last_dot - 1 >= 2 ? q : 0;
}

/* #tag and @name: the sign, then letters, digits, marks, underscores. */
size_t nerve_scan_tag(const scanner *sc, size_t p)
{
    size_t q = p + 1;
    while (q < sc->len) {
        int cls = cls_at(sc, q);
        if (!(is_word_cls(cls) || cls == C_DICT || sc->s[q] == '_'))
            break;
        q = nerve_scan_cluster_end(sc, q);
    }
    return q > p + 1 ? q : 0;
}

/* Bare domains: lower-case labels with a final label from a short list
 * (bbc.co.uk, pib.gov.in/Press), with an optional path. */
size_t nerve_scan_domain(const scanner *sc, size_t p)
{
    static const char *const tlds[] = {
        "com", "org", "net", "gov", "edu", "int", "mil", "io", "info", "uk", "in", "de",  "fr",
        "eu",  "ru",  "cn",  "jp",  "us",  "ca",  "au",  "ch", "it",   "es", "nl", "news"};
    size_t q = p, dots = 0;
    /* cheap test first: a run of [a-z0-9-.] with an inner period */
    while (q < sc->len && (g_ascii_islower(sc->s[q]) || g_ascii_isdigit(sc->s[q]) ||
                           sc->s[q] == '-' || sc->s[q] == '.')) {
        if (sc->s[q] == '.') {
            if (q == p || sc->s[q - 1] == '.')
                return 0;
            dots++;
        }
        q++;
    }
    while (q > p && sc->s[q - 1] == '.') {
        q--;
        dots--;
    }
    if (!dots || (q < sc->len && (g_ascii_isupper(sc->s[q]) || sc->s[q] >= 0x80)))
        return 0;
    size_t label = q;
    while (label > p && sc->s[label - 1] != '.')
        label--;
    gboolean known = FALSE;
    for (guint i = 0; i < G_N_ELEMENTS(tlds) && !known; i++)
        known = strlen(tlds[i]) == q - label && !memcmp(sc->s + label, tlds[i], q - label);
    if (!known)
        return 0;
    if (q < sc->len && sc->s[q] == '/') /* a path follows */
        q = trim_url(sc, p, chunk_end(sc, p));
    return q;
}

/* --- words, numbers, abbreviations ------------------------------------------ */

/* Units split off a number written with them ("10km" -> "10" "km"). */
static gboolean is_unit(const char *s, size_t n)
{
    /* single letters other than m stay on the number: 4G, 3D, 10k, 24h */
    static const char *const units[] = {
        "km",  "kg",  "m",   "cm", "mm",    "mg",   "lb",  "lbs",  "ft",  "mi", "mph",
        "kph", "kmh", "am",  "pm", "hr",    "hrs",  "min", "mins", "sec", "bn", "mn",
        "gb",  "mb",  "tb",  "kb", "ghz",   "mhz",  "khz", "hz",   "kw",  "mw", "gw",
        "kwh", "mwh", "gwh", "ml", "tn",    "cc",   "oz",  "yd",   "yds", "sq", "ha",
        "bbl", "tr",  "trn", "cr", "crore", "lakh", "kt",  "kts",  "nm",  "mt"};
    if (n > 5)
        return FALSE;
    char buf[8];
    for (size_t i = 0; i < n; i++)
        buf[i] = g_ascii_tolower(s[i]);
    for (guint i = 0; i < G_N_ELEMENTS(units); i++)
        if (strlen(units[i]) == n && !memcmp(units[i], buf, n))
            return TRUE;
    return FALSE;
}

/* A number from p (a digit): digits with , . : / between digits, and a
 * hyphen between digit runs (2020-10-07).  Letters right after it stay on
 * it (1st, 1990s, 4G) unless they are a unit. */
size_t nerve_scan_number(scanner *sc, size_t p, size_t *unit_end)
{
    size_t q = p;
    *unit_end = 0;
    for (;;) {
        while (q < sc->len && cls_at(sc, q) == C_DIGIT)
            q = nerve_scan_cluster_end(sc, q);
        if (q + 1 < sc->len && strchr(".,:/-", sc->s[q]) && sc->s[q] &&
            cls_at(sc, q + 1) == C_DIGIT) {
            q++;
            continue;
        }
        break;
    }
    if (q < sc->len && cls_at(sc, q) == C_LETTER) {
        size_t r = q;
        while (r < sc->len && (cls_at(sc, r) == C_LETTER || cls_at(sc, r) == C_MARK))
            r = nerve_scan_cluster_end(sc, r);
        if (r < sc->len && cls_at(sc, r) == C_DIGIT)
            return q; /* 3G4 */
        if (is_unit((const char *)sc->s + q, r - q)) {
            *unit_end = r;
            return q;
        }
        return r;
    }
    return q;
}

/* Letters and marks from p. */
static size_t scan_letters(const scanner *sc, size_t p)
{
    while (p < sc->len) {
        if (g_ascii_isalpha(sc->s[p]) && (p + 1 >= sc->len || sc->s[p + 1] < 0x80)) {
            p++; /* an ASCII letter and no mark after it: a cluster of one byte */
            continue;
        }
        int c = cls_at(sc, p);
        if (c != C_LETTER && c != C_MARK)
            break;
        p = nerve_scan_cluster_end(sc, p);
    }
    return p;
}

/* A chain of short letter groups with periods (U.S., a.m., Ph.D.) at p:
 * returns its end (after the last period, or after the last letters when
 * the chain has at least two single letters, U.S-based) or 0. */
static size_t scan_dotted(const scanner *sc, size_t p, gboolean *all_single)
{
    size_t q = p, groups = 0, last_period_end = 0;
    *all_single = TRUE;
    while (q < sc->len) {
        size_t r = scan_letters(sc, q);
        if (r == q || r - q > 4)
            break;
        if (g_utf8_strlen((const char *)sc->s + q, (gssize)(r - q)) > 1)
            *all_single = FALSE;
        groups++;
        if (r < sc->len && sc->s[r] == '.') {
            q = r + 1;
            last_period_end = q;
            continue;
        }
        if (groups >= 2 && *all_single)
            return r; /* U.S without its final period */
        break;
    }
    return groups >= 2 ? last_period_end : 0;
}

/* A word starting at p (a letter or digit after letters). */
size_t nerve_scan_word(scanner *sc, size_t p, uint32_t *flags, gboolean *apostrophe)
{
    size_t q = p;
    *apostrophe = FALSE;
    for (;;) {
        for (;;) {
            /* ASCII letters and digits not followed by a combining mark */
            while (q < sc->len && sc->s[q] < 0x80 && g_ascii_isalnum(sc->s[q]) &&
                   (q + 1 >= sc->len || sc->s[q + 1] < 0x80))
                q++;
            if (q < sc->len && is_word_cls(cls_at(sc, q)))
                q = nerve_scan_cluster_end(sc, q);
            else
                break;
        }
        if (q + 1 >= sc->len)
            break;
        unsigned c = sc->s[q];
        int next = cls_at(sc, q + 1);
        if ((c == '\'' && next == C_LETTER) || (c == '_' && is_word_cls(next))) {
            *apostrophe |= c == '\'';
            q++;
            continue;
        }
        if (c == '&' && g_ascii_isupper(sc->s[q - 1]) && g_ascii_isupper(sc->s[q + 1])) {
            q++; /* AT&T, S&P */
            continue;
        }
        if (c == '-' && next == C_DIGIT) {
            q++; /* F-16, COVID-19 */
            while (q < sc->len && cls_at(sc, q) == C_DIGIT)
                q = nerve_scan_cluster_end(sc, q);
            continue;
        }
        break;
    }
    *flags = 0;
    if (q < sc->len && sc->s[q] == '.') {
        gboolean single;
        size_t d = scan_dotted(sc, p, &single);
        if (d > q && (single || nerve_tokenizer_abbrev_class(sc->tk, (const char *)sc->s + p,
                                                             d - p) != NERVE_ABBREV_NONE)) {
            *flags = NERVE_TOKEN_ABBREV;
            return d;
        }
        /* one capital and a period is an initial, also when it is a listed
           abbreviation too (P. as in p. 12, V. as in v.) */
        gboolean initial =
            (q - p == 1 ||
             (sc->s[p] >= 0x80 && g_utf8_strlen((const char *)sc->s + p, (gssize)(q - p)) == 1)) &&
            (info_at(sc, p) & I_UPPER);
        if (initial || nerve_tokenizer_abbrev_class(sc->tk, (const char *)sc->s + p, q + 1 - p) !=
                           NERVE_ABBREV_NONE) {
            *flags = NERVE_TOKEN_ABBREV | (initial ? NERVE_TOKEN_INITIAL : 0);
            return q + 1;
        }
    }
    return q;
}
