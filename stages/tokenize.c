/* tokenize.c - the tokenizer (see tokenize.h for the rules).
 *
 * A hand-written scanner over the normalized view, one grapheme cluster at
 * a time, in UTF-8.  Character classes come from a 64 KiB table of the BMP
 * filled once from ICU's properties (general category, grapheme cluster
 * break, line break, case), so the scanner never calls ICU for BMP text and
 * never converts to UTF-16; astral code points (emoji) ask ICU directly.
 * ICU's own word break iterator is used only on runs of scripts written
 * without spaces (CJK, Thai...), where a dictionary is needed; measured
 * here, ICU alone gives `U.S` `.`, `Oct` `.` and `https` `:` `/` `/`, and
 * its UTF-16 iteration would cost more than the rest of the pipeline.
 *
 * Each token gets its span in the original text (through the normalized
 * view's alignment), its norm form (a slice of the normalized text), its
 * lower form (the same slice when nothing is upper-case, else a lower-cased
 * copy in the document's arena) and both hashes.
 */
#include "nerve/tokenize.h"

#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include "nerve/error.h"
#include "nerve/hash.h"
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

static guint8 bmp_info[0x10000];

/* Hangul syllable types for the grapheme rules GB6-GB8. */
static int hangul_type(uint32_t c)
{
    return u_getIntPropertyValue((UChar32)c, UCHAR_GRAPHEME_CLUSTER_BREAK);
}

static guint8 compute_info(uint32_t c)
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
    } else if (gc == U_NON_SPACING_MARK || gc == U_COMBINING_SPACING_MARK ||
               gc == U_ENCLOSING_MARK)
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

static gpointer init_tables(gpointer unused)
{
    (void)unused;
    for (uint32_t c = 0; c < 0x10000; c++)
        bmp_info[c] = (c >= 0xD800 && c <= 0xDFFF) ? C_OTHER : compute_info(c);
    return NULL;
}

static inline guint8 info_of(uint32_t c)
{
    return c < 0x10000 ? bmp_info[c] : compute_info(c);
}

/* --- the tokenizer object ------------------------------------------------ */

struct nerve_tokenizer {
    GHashTable *abbrevs; /* char* -> class */
    GPtrArray *clitics;  /* char*, lower-case, straight apostrophes */
};

static const char *const default_clitics[] = {"'s", "n't", "'re", "'ve", "'ll", "'d", "'m", NULL};

nerve_tokenizer *nerve_tokenizer_new(void)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, init_tables, NULL);
    nerve_tokenizer *tk = g_new0(nerve_tokenizer, 1);
    tk->abbrevs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    tk->clitics = g_ptr_array_new_with_free_func(g_free);
    nerve_tokenizer_set_clitics(tk, default_clitics);
    return tk;
}

void nerve_tokenizer_free(nerve_tokenizer *tk)
{
    if (!tk)
        return;
    g_hash_table_destroy(tk->abbrevs);
    g_ptr_array_free(tk->clitics, TRUE);
    g_free(tk);
}

void nerve_tokenizer_set_clitics(nerve_tokenizer *tk, const char *const *clitics)
{
    g_ptr_array_set_size(tk->clitics, 0);
    for (; clitics && *clitics; clitics++)
        if (**clitics)
            g_ptr_array_add(tk->clitics, g_utf8_strdown(*clitics, -1));
}

void nerve_tokenizer_add_abbreviation(nerve_tokenizer *tk, const char *abbrev,
                                      nerve_abbrev_class cls)
{
    g_hash_table_replace(tk->abbrevs, g_strdup(abbrev), GINT_TO_POINTER(cls));
}

static const char *const class_names[] = {"", "general", "title", "month", "number", "end"};

gboolean nerve_tokenizer_load_abbreviations(nerve_tokenizer *tk, const char *path,
                                            GError **error)
{
    g_autofree char *contents = NULL;
    gsize len;
    GError *io = NULL;
    if (!g_file_get_contents(path, &contents, &len, &io)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "%s", io->message);
        g_error_free(io);
        return FALSE;
    }
    g_auto(GStrv) lines = g_strsplit(contents, "\n", -1);
    for (guint n = 0; lines[n]; n++) {
        char *line = lines[n];
        g_strchomp(line);
        if (!*line || *line == '#')
            continue;
        char *tab = strchr(line, '\t');
        nerve_abbrev_class cls = NERVE_ABBREV_GENERAL;
        if (tab) {
            *tab = '\0';
            const char *name = g_strstrip(tab + 1);
            guint k;
            for (k = 1; k < G_N_ELEMENTS(class_names); k++)
                if (!strcmp(name, class_names[k]))
                    break;
            if (k == G_N_ELEMENTS(class_names)) {
                g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                            "%s:%u:%ld: unknown abbreviation class \"%s\" (general, title, "
                            "month, number or end)",
                            path, n + 1, (long)(name - line) + 1, name);
                return FALSE;
            }
            cls = (nerve_abbrev_class)k;
        }
        if (!g_utf8_validate(line, -1, NULL) || strchr(line, ' ')) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                        "%s:%u:1: an abbreviation is one word of valid UTF-8", path, n + 1);
            return FALSE;
        }
        nerve_tokenizer_add_abbreviation(tk, line, cls);
    }
    return TRUE;
}

nerve_abbrev_class nerve_tokenizer_abbrev_class(const nerve_tokenizer *tk, const char *s,
                                                size_t len)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return NERVE_ABBREV_NONE;
    memcpy(buf, s, len);
    buf[len] = '\0';
    gpointer v;
    if (g_hash_table_lookup_extended(tk->abbrevs, buf, NULL, &v))
        return (nerve_abbrev_class)GPOINTER_TO_INT(v);
    /* "Etc." at a sentence start matches the lower-case entry "etc." */
    gboolean changed = FALSE;
    for (size_t i = 0; i < len; i++)
        if (g_ascii_isupper(buf[i])) {
            buf[i] = g_ascii_tolower(buf[i]);
            changed = TRUE;
        }
    if (changed && g_hash_table_lookup_extended(tk->abbrevs, buf, NULL, &v))
        return (nerve_abbrev_class)GPOINTER_TO_INT(v);
    return NERVE_ABBREV_NONE;
}

/* --- the scanner ---------------------------------------------------------- */

typedef struct {
    const nerve_tokenizer *tk;
    nerve_doc *doc;
    const unsigned char *s; /* normalized text */
    size_t len;
    gboolean identity;
    uint32_t gap_flags; /* SPACE/NEWLINE/PARA flags for the next token */
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

/* End of the grapheme cluster starting at p (p < len). */
static size_t cluster_end(const scanner *sc, size_t p)
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
            gboolean join = (hang == U_GCB_L && (h == U_GCB_L || h == U_GCB_V || h == U_GCB_LV ||
                                                 h == U_GCB_LVT)) ||
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

/* Case of the letters in [a, b). */
static uint32_t case_flags(const scanner *sc, size_t a, size_t b)
{
    gboolean upper = FALSE, lower = FALSE, first_upper = FALSE, later_upper = FALSE;
    gboolean seen = FALSE;
    for (size_t p = a; p < b;) {
        int n;
        guint8 inf = info_of(cp_at(sc, p, &n));
        if (inf & (I_UPPER | I_LOWER)) {
            if (inf & I_UPPER) {
                upper = TRUE;
                if (!seen)
                    first_upper = TRUE;
                else
                    later_upper = TRUE;
            } else
                lower = TRUE;
            seen = TRUE;
        }
        p += n;
    }
    uint32_t f = 0;
    if (upper && !lower)
        f |= NERVE_TOKEN_UPPER;
    if (lower && !upper)
        f |= NERVE_TOKEN_LOWER;
    if (first_upper && !later_upper)
        f |= NERVE_TOKEN_TITLE;
    return f;
}

/* Classes present in [a, b), as a bit set of 1 << class. */
static unsigned class_set(const scanner *sc, size_t a, size_t b, gboolean *ascii)
{
    unsigned set = 0;
    *ascii = TRUE;
    for (size_t p = a; p < b;) {
        int n;
        uint32_t c = cp_at(sc, p, &n);
        if (c >= 0x80)
            *ascii = FALSE;
        guint8 inf = info_of(c);
        if (!(inf & I_EXTEND) || p == a)
            set |= 1u << (inf & 0x0F);
        p += n;
    }
    return set;
}

/* Lower-cases [a, b) into the document's arena, or returns the slice
 * itself when nothing changes.  The case flags cannot decide this: mixed
 * case (iPhone, McDonald) is neither UPPER nor TITLE. */
static nerve_str lower_form(scanner *sc, size_t a, size_t b, gboolean ascii)
{
    nerve_str r = {(const char *)sc->s + a, (uint32_t)(b - a), 0};
    if (ascii) {
        size_t p = a;
        while (p < b && !g_ascii_isupper(sc->s[p]))
            p++;
        if (p == b)
            return r;
    }
    char stack[256];
    GString *big = NULL;
    char *buf = stack;
    size_t cap = sizeof stack, n = 0;
    gboolean changed = FALSE;
    for (size_t p = a; p < b;) {
        int k;
        uint32_t c = cp_at(sc, p, &k);
        uint32_t l = c < 0x80 ? (uint32_t)g_ascii_tolower((char)c) : (uint32_t)u_tolower((UChar32)c);
        if (l != c)
            changed = TRUE;
        if (n + 4 > cap) {
            if (!big) {
                big = g_string_sized_new((b - a) * 2 + 8);
                g_string_append_len(big, stack, n);
            }
            big->len = n;
            g_string_set_size(big, n + 8 + (b - p) * 2);
            buf = big->str;
            cap = big->len;
        }
        n += g_unichar_to_utf8(l, buf + n);
        p += k;
    }
    if (changed)
        r.s = nerve_doc_strdup(sc->doc, buf, n), r.len = (uint32_t)n;
    if (big)
        g_string_free(big, TRUE);
    return r;
}

/* Appends the token [a, b) of the normalized text with extra flags. */
static void emit(scanner *sc, size_t a, size_t b, uint32_t extra)
{
    uint32_t start = (uint32_t)a, end = (uint32_t)b;
    if (!sc->identity) {
        start = nerve_doc_norm_to_orig(sc->doc, (uint32_t)a, FALSE);
        end = nerve_doc_norm_to_orig(sc->doc, (uint32_t)b, TRUE);
        size_t n;
        nerve_token *toks = nerve_doc_tokens(sc->doc, &n);
        if (n && start < toks[n - 1].end) {
            /* Two tokens made from one original character (NFKC "½" is
             * "1⁄2"): they become one token, as the original has it. */
            nerve_token *prev = &toks[n - 1];
            a = (size_t)(prev->norm.s - (const char *)sc->s);
            extra |= prev->flags & ~(NERVE_TOKEN_SPACE_BEFORE | NERVE_TOKEN_NEWLINE_BEFORE |
                                     NERVE_TOKEN_PARA_BEFORE);
            sc->gap_flags = prev->flags & (NERVE_TOKEN_SPACE_BEFORE | NERVE_TOKEN_NEWLINE_BEFORE |
                                           NERVE_TOKEN_PARA_BEFORE);
            start = prev->start;
            end = MAX(end, prev->end);
            nerve_doc_pop_token(sc->doc);
        }
    }
    gboolean ascii;
    unsigned set = class_set(sc, a, b, &ascii);
    uint32_t f = extra | sc->gap_flags | case_flags(sc, a, b);
    sc->gap_flags = 0;
    if (!(set & ~((1u << C_LETTER) | (1u << C_DICT) | (1u << C_MARK))))
        f |= NERVE_TOKEN_ALPHA;
    if (set == (1u << C_DIGIT))
        f |= NERVE_TOKEN_DIGIT;
    if (set == (1u << C_PUNCT))
        f |= NERVE_TOKEN_PUNCT;
    if (set == (1u << C_SYMBOL))
        f |= NERVE_TOKEN_SYMBOL;
    f &= ~NERVE_TOKEN_ASCII;
    if (ascii) {
        size_t olen;
        const char *orig = nerve_doc_text(sc->doc, &olen);
        if (sc->identity ||
            (end - start == b - a && !memcmp(orig + start, sc->s + a, b - a)))
            f |= NERVE_TOKEN_ASCII;
    }
    nerve_str lo = lower_form(sc, a, b, ascii);
    nerve_token *t = nerve_doc_add_token(sc->doc);
    t->flags = f;
    t->start = start;
    t->end = end;
    t->norm.s = (const char *)sc->s + a;
    t->norm.len = (uint32_t)(b - a);
    t->norm.hash = nerve_hash(t->norm.s, t->norm.len);
    t->lower = lo;
    t->lower.hash = lo.s == t->norm.s ? t->norm.hash : nerve_hash(lo.s, lo.len);
}

static inline gboolean is_ascii_alpha(int c)
{
    return g_ascii_isalpha(c);
}

static inline gboolean is_word_cls(int cls)
{
    return cls == C_LETTER || cls == C_DIGIT || cls == C_MARK;
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

static size_t match_url(const scanner *sc, size_t p)
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

static size_t match_email(const scanner *sc, size_t p)
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
static size_t match_tag(const scanner *sc, size_t p)
{
    size_t q = p + 1;
    while (q < sc->len) {
        int cls = cls_at(sc, q);
        if (!(is_word_cls(cls) || cls == C_DICT || sc->s[q] == '_'))
            break;
        q = cluster_end(sc, q);
    }
    return q > p + 1 ? q : 0;
}

/* Bare domains: lower-case labels with a final label from a short list
 * (bbc.co.uk, pib.gov.in/Press), with an optional path. */
static size_t match_domain(const scanner *sc, size_t p)
{
    static const char *const tlds[] = {"com", "org", "net", "gov", "edu", "int", "mil", "io",
                                       "info", "uk", "in", "de", "fr", "eu", "ru", "cn", "jp",
                                       "us", "ca", "au", "ch", "it", "es", "nl", "news"};
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
    static const char *const units[] = {
        "km", "kg", "m", "cm", "mm", "mg", "g", "lb", "lbs", "ft", "mi", "mph", "kph", "kmh",
        "am", "pm", "h", "hr", "hrs", "min", "mins", "sec", "bn", "mn", "k", "gb", "mb", "tb",
        "kb", "ghz", "mhz", "khz", "hz", "kw", "mw", "gw", "kwh", "mwh", "gwh", "ml", "l", "t",
        "tn", "cc", "oz", "yd", "yds", "sq", "ha", "bbl", "tr", "trn", "cr", "crore", "lakh",
        "x", "p", "c", "f", "kt", "kts", "nm", "mt"};
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
static size_t scan_number(scanner *sc, size_t p, size_t *unit_end)
{
    size_t q = p;
    *unit_end = 0;
    for (;;) {
        while (q < sc->len && cls_at(sc, q) == C_DIGIT)
            q = cluster_end(sc, q);
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
            r = cluster_end(sc, r);
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
        int c = cls_at(sc, p);
        if (c != C_LETTER && c != C_MARK)
            break;
        p = cluster_end(sc, p);
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
static size_t scan_word(scanner *sc, size_t p, uint32_t *flags)
{
    size_t q = p;
    for (;;) {
        while (q < sc->len && is_word_cls(cls_at(sc, q)))
            q = cluster_end(sc, q);
        if (q + 1 >= sc->len)
            break;
        unsigned c = sc->s[q];
        int next = cls_at(sc, q + 1);
        if ((c == '\'' && next == C_LETTER) || (c == '_' && is_word_cls(next))) {
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
                q = cluster_end(sc, q);
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
        if (nerve_tokenizer_abbrev_class(sc->tk, (const char *)sc->s + p, q + 1 - p) !=
            NERVE_ABBREV_NONE) {
            *flags = NERVE_TOKEN_ABBREV;
            return q + 1;
        }
        if (g_utf8_strlen((const char *)sc->s + p, (gssize)(q - p)) == 1 &&
            (info_at(sc, p) & I_UPPER)) {
            *flags = NERVE_TOKEN_ABBREV | NERVE_TOKEN_INITIAL;
            return q + 1;
        }
    }
    return q;
}

/* Emits the word [a, b), splitting a clitic off its end. */
static void emit_word(scanner *sc, size_t a, size_t b, uint32_t flags)
{
    if (!(flags & NERVE_TOKEN_ABBREV)) {
        for (guint i = 0; i < sc->tk->clitics->len; i++) {
            const char *cl = g_ptr_array_index(sc->tk->clitics, i);
            size_t n = strlen(cl);
            if (b - a > n && !g_ascii_strncasecmp((const char *)sc->s + b - n, cl, n)) {
                emit(sc, a, b - n, 0);
                emit(sc, b - n, b, 0);
                return;
            }
        }
    }
    emit(sc, a, b, flags);
}

/* --- dictionary runs (CJK, Thai...) ------------------------------------------- */

static UBreakIterator *word_breaker_template;
static GPrivate word_breaker = G_PRIVATE_INIT((GDestroyNotify)ubrk_close);

static gpointer open_template(gpointer unused)
{
    (void)unused;
    UErrorCode st = U_ZERO_ERROR;
    word_breaker_template = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
    if (U_FAILURE(st))
        word_breaker_template = NULL;
    return NULL;
}

static UBreakIterator *thread_breaker(void)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, open_template, NULL);
    UBreakIterator *bi = g_private_get(&word_breaker);
    if (!bi && word_breaker_template) {
        UErrorCode st = U_ZERO_ERROR;
        bi = ubrk_clone(word_breaker_template, &st);
        if (U_FAILURE(st))
            return NULL;
        g_private_set(&word_breaker, bi);
    }
    return bi;
}

static void emit_dict_run(scanner *sc, size_t a, size_t b)
{
    UBreakIterator *bi = thread_breaker();
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = bi ? utext_openUTF8(NULL, (const char *)sc->s + a, (int64_t)(b - a), &st) : NULL;
    if (ut)
        ubrk_setUText(bi, ut, &st);
    if (!ut || U_FAILURE(st)) {
        for (size_t p = a; p < b;) { /* no break iterator: one cluster per token */
            size_t q = cluster_end(sc, p);
            emit(sc, p, q, NERVE_TOKEN_IDEOGRAPHIC);
            p = q;
        }
        if (ut)
            utext_close(ut);
        return;
    }
    size_t prev = a;
    for (int32_t k = ubrk_next(bi); k != UBRK_DONE; k = ubrk_next(bi)) {
        size_t at = a + (size_t)k;
        if (at > prev && at <= b) {
            emit(sc, prev, at, NERVE_TOKEN_IDEOGRAPHIC);
            prev = at;
        }
    }
    if (prev < b)
        emit(sc, prev, b, NERVE_TOKEN_IDEOGRAPHIC);
    utext_close(ut);
}

/* --- the main loop ---------------------------------------------------------- */

static uint32_t punct_flags(unsigned c)
{
    switch (c) {
    case '"':
    case '\'':
    case '`':
        return NERVE_TOKEN_QUOTE;
    case '(':
    case '[':
    case '{':
        return NERVE_TOKEN_OPEN;
    case ')':
    case ']':
    case '}':
        return NERVE_TOKEN_CLOSE;
    default:
        return 0;
    }
}

/* Skips whitespace from p, recording line and paragraph breaks. */
static size_t skip_space(scanner *sc, size_t p)
{
    int newlines = 0;
    size_t start = p;
    while (p < sc->len) {
        unsigned b = sc->s[p];
        if (b == '\n') {
            newlines++;
            p++;
        } else if (b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == '\v') {
            p++;
        } else if (b >= 0x80 && cls_at(sc, p) == C_SPACE) {
            int n;
            cp_at(sc, p, &n);
            p += n;
        } else
            break;
    }
    if (p > start)
        sc->gap_flags = NERVE_TOKEN_SPACE_BEFORE | (newlines ? NERVE_TOKEN_NEWLINE_BEFORE : 0) |
                        (newlines >= 2 ? NERVE_TOKEN_PARA_BEFORE : 0);
    return p;
}

void nerve_tokenize(const nerve_tokenizer *tk, nerve_doc *doc)
{
    scanner sc = {tk, doc, NULL, 0, nerve_doc_norm_is_identity(doc), 0};
    sc.s = (const unsigned char *)nerve_doc_norm(doc, &sc.len);
    size_t p = skip_space(&sc, 0);
    sc.gap_flags = 0; /* nothing before the first token */
    while (p < sc.len) {
        unsigned b = sc.s[p];
        int cls = cls_at(&sc, p);
        size_t q = 0, unit_end = 0;
        uint32_t extra = 0;

        if (cls == C_LETTER || cls == C_DIGIT) {
            if ((q = match_url(&sc, p)))
                extra = NERVE_TOKEN_URL;
            else if ((q = match_email(&sc, p)))
                extra = NERVE_TOKEN_EMAIL;
            else if (b < 0x80 && (q = match_domain(&sc, p)))
                extra = NERVE_TOKEN_URL;
        }
        if (q) {
            emit(&sc, p, q, extra);
        } else if (cls == C_LETTER || cls == C_MARK) {
            q = scan_word(&sc, p, &extra);
            emit_word(&sc, p, q, extra);
        } else if (cls == C_DIGIT) {
            q = scan_number(&sc, p, &unit_end);
            emit(&sc, p, q, NERVE_TOKEN_NUMBER);
            if (unit_end) {
                emit(&sc, q, unit_end, 0);
                q = unit_end;
            }
        } else if (cls == C_DICT) {
            q = p;
            while (q < sc.len && (cls_at(&sc, q) == C_DICT || cls_at(&sc, q) == C_MARK))
                q = cluster_end(&sc, q);
            emit_dict_run(&sc, p, q);
        } else if ((b == '#' || b == '@') && (q = match_tag(&sc, p))) {
            emit(&sc, p, q, b == '#' ? NERVE_TOKEN_HASHTAG : NERVE_TOKEN_MENTION);
        } else if (cls == C_EMOJI || cls == C_RI) {
            q = cluster_end(&sc, p);
            emit(&sc, p, q, NERVE_TOKEN_EMOJI);
        } else if (b == '.' || b == '!' || b == '?') {
            q = p;
            while (q < sc.len && (sc.s[q] == '.' || sc.s[q] == '!' || sc.s[q] == '?'))
                q++;
            emit(&sc, p, q, NERVE_TOKEN_TERMINAL);
        } else if (b == '-') {
            q = p;
            while (q < sc.len && sc.s[q] == '-')
                q++;
            emit(&sc, p, q, 0);
        } else {
            int n;
            uint32_t c = cp_at(&sc, p, &n);
            q = cluster_end(&sc, p);
            uint32_t f = b < 0x80 ? punct_flags(b) : 0;
            if (c == 0x2026 || c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF0E ||
                c == 0x061F || c == 0x0964 || c == 0x06D4)
                f |= NERVE_TOKEN_TERMINAL;
            emit(&sc, p, q, f);
        }
        p = skip_space(&sc, q);
    }
}

static gboolean tokenize_stage(const void *self, nerve_doc *doc, GError **error)
{
    (void)error;
    nerve_tokenize(self, doc);
    return TRUE;
}

nerve_stage *nerve_tokenize_stage_new(const nerve_tokenizer *tk)
{
    return nerve_stage_new("tokenize", tokenize_stage, (void *)tk, NULL);
}
