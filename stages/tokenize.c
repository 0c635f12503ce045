/* tokenize.c - the tokenizer (see tokenize.h for the rules).
 *
 * A hand-written scanner over the normalized view, one grapheme cluster at
 * a time, in UTF-8.  Character classes come from a 64 KiB table of the BMP
 * filled from ICU's properties (general category, grapheme cluster break,
 * line break, case) by blocks of 256 code points at their first use, so
 * the scanner calls ICU once per BMP block and never converts to UTF-16;
 * astral code points (emoji) ask ICU directly.  ICU's own word break
 * iterator is used only on runs of scripts written without spaces (CJK,
 * Thai...), where a dictionary is needed; measured here, ICU alone gives
 * `U.S` `.`, `Oct` `.` and `https` `:` `/` `/`, and its UTF-16 iteration
 * would cost more than the rest of the pipeline.
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

#include "nerve/hash.h"
#include "nerve/utf8.h"
#include "swar.h"
#include "tokenize-scan.h"

/* --- the tokenizer object ------------------------------------------------ */

static const char *const default_clitics[] = {"'s", "n't", "'re", "'ve", "'ll", "'d", "'m", NULL};

static uint32_t punct_flags(unsigned c);

/* The flags of a token of one ASCII punctuation or symbol character, for
 * the characters that make such a token when no combining mark follows
 * (not # @ . ! ? -, which may start longer tokens); 0 for the others. */
static uint32_t single_flags[128];

static gpointer init_tables(gpointer unused)
{
    nerve_scan_init_tables(unused);
    for (unsigned b = '!'; b < 0x80; b++)
        if (!g_ascii_isalnum(b) && !strchr("#@.!?-", (int)b))
            single_flags[b] =
                (g_ascii_ispunct(b) && !strchr("$%+<=>^`|~", (int)b) ? NERVE_TOKEN_PUNCT
                                                                     : NERVE_TOKEN_SYMBOL) |
                punct_flags(b) | NERVE_TOKEN_ASCII;
    return NULL;
}

nerve_tokenizer *nerve_tokenizer_new(void)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, init_tables, NULL);
    nerve_tokenizer *tk = g_new0(nerve_tokenizer, 1);
    tk->max_token_bytes = 65536;
    tk->abbrevs = nerve_scan_abbrevs_new();
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

void nerve_tokenizer_set_max_token_bytes(nerve_tokenizer *tk, guint max)
{
    tk->max_token_bytes = max ? max : 65536;
}

void nerve_tokenizer_set_clitics(nerve_tokenizer *tk, const char *const *clitics)
{
    g_ptr_array_set_size(tk->clitics, 0);
    tk->clitics_need_apostrophe = TRUE;
    for (; clitics && *clitics; clitics++)
        if (**clitics) {
            g_ptr_array_add(tk->clitics, g_utf8_strdown(*clitics, -1));
            tk->clitics_need_apostrophe &= strchr(*clitics, '\'') != NULL;
        }
}

/* --- the scanner ---------------------------------------------------------- */

/* One pass over [a, b): the classes present (a bit set of 1 << class),
 * whether it is ASCII, and the case flags; *any_upper tells whether a
 * letter is upper-case.  ASCII bytes are looked up directly. */
static unsigned analyze(const scanner *sc, size_t a, size_t b, gboolean *ascii, uint32_t *case_f,
                        gboolean *any_upper)
{
    unsigned set = 0;
    gboolean upper = FALSE, lower = FALSE, first_upper = FALSE, later_upper = FALSE;
    gboolean seen = FALSE, non_ascii = FALSE;
    for (size_t p = a; p < b;) {
        guint8 inf;
        unsigned c = sc->s[p];
        if (c < 0x80) {
            inf = nerve_scan_bmp_info[c];
            p++;
            set |= 1u << (inf & 0x0F);
        } else {
            int n;
            inf = info_of(cp_at(sc, p, &n));
            if (!(inf & I_EXTEND) || p == a)
                set |= 1u << (inf & 0x0F);
            p += n;
            non_ascii = TRUE;
        }
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
    }
    uint32_t f = 0;
    if (upper && !lower)
        f |= NERVE_TOKEN_UPPER;
    if (lower && !upper)
        f |= NERVE_TOKEN_LOWER;
    if (first_upper && !later_upper)
        f |= NERVE_TOKEN_TITLE;
    *case_f = f;
    *any_upper = upper;
    *ascii = !non_ascii;
    return set;
}

/* --- forms ------------------------------------------------------------------ */

/* nerve_hash() near the end of the buffer, out of line. */
static G_GNUC_NO_INLINE uint32_t hash_bytes(const unsigned char *p, size_t n)
{
    return nerve_hash((const char *)p, n);
}

/* nerve_hash() of [a, b) of a buffer of len bytes. */
static inline __attribute__((always_inline)) uint32_t hash_slice(const unsigned char *s, size_t a,
                                                                 size_t b, size_t len)
{
    if (G_LIKELY(((b - a) & ~(size_t)7) + a + 8 <= len))
        return nerve_hash_padded((const char *)s + a, b - a);
    return hash_bytes(s + a, b - a);
}

/* The normalized text with its ASCII letters lower-cased, in the
 * document's arena, made at the first token that needs it: the lower form
 * of an ASCII token is then a slice of it (same offsets), with no copy
 * and no allocation per token.  Bytes from 0x80 up are kept; only ASCII
 * tokens use it. */
static const unsigned char *lowered_text(scanner *sc)
{
    if (sc->lowered)
        return sc->lowered;
    size_t len = sc->len, i = 0;
    unsigned char *buf = g_malloc(len + 1);
    for (; i + 8 <= len; i += 8) {
        uint64_t w = swar_load(sc->s + i);
        w |= swar_upper_bits(w);
        memcpy(buf + i, &w, 8);
    }
    for (; i < len; i++)
        buf[i] = (unsigned char)g_ascii_tolower(sc->s[i]);
    sc->lowered = (const unsigned char *)nerve_doc_strdup(sc->doc, (const char *)buf, len);
    g_free(buf);
    return sc->lowered;
}

/* The lower form of the ASCII token [a, b) with an upper-case letter. */
static inline nerve_str lower_ascii(scanner *sc, size_t a, size_t b)
{
    const unsigned char *low = lowered_text(sc);
    nerve_str r = {(const char *)low + a, (uint32_t)(b - a), hash_slice(low, a, b, sc->len)};
    return r;
}

/* Lower-cases [a, b) into the document's arena, or returns the slice
 * itself when nothing changes. */
static nerve_str lower_form(scanner *sc, size_t a, size_t b, gboolean ascii, gboolean any_upper)
{
    nerve_str r = {(const char *)sc->s + a, (uint32_t)(b - a), 0};
    if (!any_upper && ascii)
        return r;
    if (ascii)
        return lower_ascii(sc, a, b);
    char stack[256];
    GString *big = NULL;
    char *buf = stack;
    size_t cap = sizeof stack, n = 0;
    gboolean changed = FALSE;
    for (size_t p = a; p < b;) {
        int k;
        uint32_t c = cp_at(sc, p, &k);
        uint32_t l =
            c < 0x80 ? (uint32_t)g_ascii_tolower((char)c) : (uint32_t)u_tolower((UChar32)c);
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
static void emit_bounded(scanner *sc, size_t a, size_t b, uint32_t extra);

/* Appends the token [a, b), cut into pieces when it is longer than the
 * limit. */
static void emit(scanner *sc, size_t a, size_t b, uint32_t extra)
{
    size_t max = sc->tk->max_token_bytes;
    if (b - a <= max) {
        emit_bounded(sc, a, b, extra);
        return;
    }
    if (!sc->cut) {
        nerve_doc_add_warning(sc->doc, "a token longer than --max-token-bytes=%zu bytes was cut",
                              max);
        sc->cut = TRUE;
    }
    while (a < b) {
        size_t q = a;
        do
            q = nerve_scan_cluster_end(sc, q);
        while (q < b && nerve_scan_cluster_end(sc, q) - a <= max);
        if (q > b)
            q = b;
        emit_bounded(sc, a, q, extra);
        a = q;
    }
}

static void note_shift(scanner *sc);

static void emit_bounded(scanner *sc, size_t a, size_t b, uint32_t extra)
{
    uint32_t start = (uint32_t)a, end = (uint32_t)b;
    /* whether the original bytes of the token are its normalized bytes */
    gboolean same = a >= sc->shift_lo && b < sc->shift_hi && a + sc->shift >= sc->last_end;
    if (same) {
        /* between two edits (or none), after the last token: a constant
         * shift, as the lookups below would find */
        start = (uint32_t)(a + sc->shift);
        end = (uint32_t)(b + sc->shift);
    } else if (!sc->identity) {
        start = nerve_doc_norm_to_orig_hint(sc->doc, (uint32_t)a, FALSE, &sc->edit_hint);
        end = nerve_doc_norm_to_orig_hint(sc->doc, (uint32_t)b, TRUE, &sc->edit_hint);
        note_shift(sc);
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
    gboolean ascii, any_upper;
    uint32_t case_f;
    unsigned set = analyze(sc, a, b, &ascii, &case_f, &any_upper);
    uint32_t f = extra | sc->gap_flags | case_f;
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
        if (same || sc->identity ||
            (end - start == b - a && !memcmp(orig + start, sc->s + a, b - a)))
            f |= NERVE_TOKEN_ASCII;
    }
    nerve_str lo = lower_form(sc, a, b, ascii, any_upper);
    nerve_token *t = nerve_doc_add_token(sc->doc);
    t->flags = f;
    t->start = start;
    t->end = end;
    t->norm.s = (const char *)sc->s + a;
    t->norm.len = (uint32_t)(b - a);
    t->norm.hash = hash_slice(sc->s, a, b, sc->len);
    t->lower = lo;
    if (lo.s == t->norm.s)
        t->lower.hash = t->norm.hash;
    else if (!ascii) /* lower_ascii() sets its hash */
        t->lower.hash = nerve_hash(lo.s, lo.len);
    sc->last_end = end;
}

/* Emits the word [a, b), splitting a clitic off its end.  Clitics with an
 * apostrophe are only looked for in words that have one. */
static void emit_word(scanner *sc, size_t a, size_t b, uint32_t flags, gboolean apostrophe)
{
    if (!(flags & NERVE_TOKEN_ABBREV) && (apostrophe || !sc->tk->clitics_need_apostrophe)) {
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

/* A clitic written apart, as in tokenized text ("Germany 's", "they 're"):
 * at an apostrophe (' or U+2019) after a space and a token that is no
 * quote or opening bracket, a clitic of the list followed by no letter,
 * digit or apostrophe; returns its end, or 0. */
static size_t detached_clitic(const scanner *sc, size_t p)
{
    size_t n_tok;
    const nerve_token *toks = nerve_doc_tokens(sc->doc, &n_tok);
    if (!n_tok || !(sc->gap_flags & NERVE_TOKEN_SPACE_BEFORE) ||
        (toks[n_tok - 1].flags & (NERVE_TOKEN_QUOTE | NERVE_TOKEN_OPEN)))
        return 0;
    size_t ap = sc->s[p] == '\''                                           ? 1
                : p + 2 < sc->len && !memcmp(sc->s + p, "\xE2\x80\x99", 3) ? 3
                                                                           : 0;
    if (!ap)
        return 0;
    for (guint i = 0; i < sc->tk->clitics->len; i++) {
        const char *cl = g_ptr_array_index(sc->tk->clitics, i);
        size_t n = strlen(cl) - 1, q = p + ap + n;
        if (cl[0] != '\'' || q > sc->len ||
            g_ascii_strncasecmp((const char *)sc->s + p + ap, cl + 1, n))
            continue;
        if (q < sc->len && (g_ascii_isalnum(sc->s[q]) || sc->s[q] == '\'' || sc->s[q] >= 0x80))
            continue; /* 's' quoted, 'sup, or a letter beyond ASCII: not a clitic */
        return q;
    }
    return 0;
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
            size_t q = nerve_scan_cluster_end(sc, p);
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

/* Bytes that end an ASCII word and leave it alone: whitespace and
 * punctuation that can never join it (not . ' - & _ @ : / nor a byte of a
 * multi-byte character, which might be a combining mark). */

static inline gboolean plain_end(const scanner *sc, size_t q)
{
    return q >= sc->len || !nerve_scan_joins_word[sc->s[q]];
}

/* After a lookup in the alignment: the normalized range around the last
 * edit looked at in which original = normalized + shift. */
static void note_shift(scanner *sc)
{
    size_t n;
    const nerve_edit *e = nerve_doc_norm_edits(sc->doc, &n);
    size_t k = sc->edit_hint; /* edits before the last offset looked up */
    sc->shift_lo = k ? e[k - 1].norm_end + 1 : 0;
    sc->shift_hi = k < n ? e[k].norm_start : sc->len + 1;
    sc->shift = k ? (ptrdiff_t)e[k - 1].orig_end - (ptrdiff_t)e[k - 1].norm_end : 0;
}

/* The common case on one pass: an ASCII word of letters (or of digits)
 * ending in whitespace or plain punctuation.  Returns its end, or 0 when
 * the general scanner must decide; *run_end is the end of the letters and
 * digits in any case. */
static size_t fast_word(scanner *sc, size_t p, uint32_t *flags, gboolean *any_upper,
                        size_t *run_end)
{
    const unsigned char *s = sc->s;
    size_t q = p + 1, len = sc->len;
    unsigned first = nerve_scan_word_bits[s[p]], rest = 0, k;
    /* eight bytes at a time: the classes of the bytes after the first, up
     * to the first byte that is not an ASCII letter or digit */
    while (q + 8 <= len) {
        uint64_t w = swar_load(s + q);
        uint64_t up = swar_between(w, 'A', 'Z'), lo = swar_between(w, 'a', 'z');
        uint64_t dg = swar_between(w, '0', '9');
        uint64_t stop = (~(up | lo | dg) | w) & SWAR_HIGH;
        uint64_t keep = stop ? (stop & -stop) - 1 : ~0ull; /* the bytes before the stop */
        rest |=
            ((up & keep) ? W_UPPER : 0) | ((lo & keep) ? W_LOWER : 0) | ((dg & keep) ? W_DIGIT : 0);
        if (stop) {
            q += (size_t)__builtin_ctzll(stop) / 8;
            goto done;
        }
        q += 8;
    }
    while (q < len && (k = nerve_scan_word_bits[s[q]])) {
        rest |= k;
        q++;
    }
done:;
    unsigned seen = first | rest;
    *run_end = q;
    if ((seen & W_DIGIT) && (seen & (W_UPPER | W_LOWER)))
        return 0;
    if (seen & W_DIGIT) {
        if (!plain_end(sc, q) || (q < len && s[q] == ','))
            return 0; /* 1,000: the number scanner decides */
        *flags = NERVE_TOKEN_DIGIT | NERVE_TOKEN_NUMBER | NERVE_TOKEN_ASCII;
    } else {
        /* set even when the word does not end plainly (see word_period) */
        uint32_t f = NERVE_TOKEN_ALPHA | NERVE_TOKEN_ASCII;
        if (!(seen & W_LOWER))
            f |= NERVE_TOKEN_UPPER;
        if (!(seen & W_UPPER))
            f |= NERVE_TOKEN_LOWER;
        if ((first & W_UPPER) && !(rest & W_UPPER))
            f |= NERVE_TOKEN_TITLE;
        *flags = f;
        *any_upper = (seen & W_UPPER) != 0;
        if (!plain_end(sc, q))
            return 0;
    }
    *any_upper = (seen & W_UPPER) != 0;
    return q;
}

/* Appends the ASCII token [a, b) whose flags are known (fast_word). */
static inline gboolean is_blank(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

static inline void emit_ascii(scanner *sc, size_t a, size_t b, uint32_t flags, gboolean any_upper);

/* A word [p, q) of ASCII letters followed by a period and whitespace (the
 * end of a sentence, or an abbreviation): what the general path decides
 * there, without its steps that cannot apply.  No URL, address or domain
 * starts at p (the chunk ends after the period, and ends no domain);
 * nerve_scan_word() finds no chain of letter groups (a space follows the
 * period), so only the abbreviation and the initial (J.) are left; and
 * emit_word() splits no clitic, all of them having an apostrophe (the
 * caller's condition).  flags are fast_word()'s.  Returns the end. */
static size_t word_period(scanner *sc, size_t p, size_t q, uint32_t flags, gboolean any_upper)
{
    /* the period makes the token no longer ALPHA; case flags stay */
    uint32_t f = (flags & ~NERVE_TOKEN_ALPHA) | NERVE_TOKEN_ABBREV;
    if (q - p == 1 && any_upper) /* an initial, listed as an abbreviation or not (P.) */
        f |= NERVE_TOKEN_INITIAL;
    else if (nerve_tokenizer_abbrev_class(sc->tk, (const char *)sc->s + p, q + 1 - p) ==
             NERVE_ABBREV_NONE) {
        emit_ascii(sc, p, q, flags, any_upper); /* the period is the next token */
        return q;
    }
    emit_ascii(sc, p, q + 1, f, any_upper);
    return q + 1;
}

/* Appends the ASCII token [a, b), original [start, end), with its flags. */
static inline void append_ascii(scanner *sc, size_t a, size_t b, uint32_t start, uint32_t end,
                                uint32_t flags, gboolean any_upper)
{
    nerve_token *t = nerve_doc_add_token(sc->doc);
    t->start = start;
    t->end = end;
    t->flags = flags | sc->gap_flags;
    sc->gap_flags = 0;
    t->norm.s = (const char *)sc->s + a;
    t->norm.len = (uint32_t)(b - a);
    t->norm.hash = hash_slice(sc->s, a, b, sc->len);
    t->lower = any_upper ? lower_ascii(sc, a, b) : t->norm;
    sc->last_end = end;
}

/* emit_ascii() for a token too long or near an edit. */
static G_GNUC_NO_INLINE void emit_ascii_slow(scanner *sc, size_t a, size_t b, uint32_t flags,
                                             gboolean any_upper)
{
    /* the general path decides, keeping what the caller knew beyond the
     * character classes */
    const uint32_t classes = NERVE_TOKEN_ALPHA | NERVE_TOKEN_DIGIT | NERVE_TOKEN_PUNCT |
                             NERVE_TOKEN_SYMBOL | NERVE_TOKEN_UPPER | NERVE_TOKEN_LOWER |
                             NERVE_TOKEN_TITLE | NERVE_TOKEN_ASCII;
    if (b - a > sc->tk->max_token_bytes) {
        emit(sc, a, b, flags & ~classes);
        return;
    }
    uint32_t start = nerve_doc_norm_to_orig_hint(sc->doc, (uint32_t)a, FALSE, &sc->edit_hint);
    uint32_t end = nerve_doc_norm_to_orig_hint(sc->doc, (uint32_t)b, TRUE, &sc->edit_hint);
    note_shift(sc);
    if (start < sc->last_end || end - start != b - a) {
        emit(sc, a, b, flags & ~classes);
        return;
    }
    append_ascii(sc, a, b, start, end, flags, any_upper);
}

/* Appends the ASCII token [a, b) whose flags are known (fast_word). */
static inline __attribute__((always_inline)) void emit_ascii(scanner *sc, size_t a, size_t b,
                                                             uint32_t flags, gboolean any_upper)
{
    if (G_LIKELY(b - a <= sc->tk->max_token_bytes && a >= sc->shift_lo && b < sc->shift_hi)) {
        /* between two edits (or none): a constant shift, the common case */
        uint32_t start = (uint32_t)(a + sc->shift), end = (uint32_t)(b + sc->shift);
        if (G_LIKELY(start >= sc->last_end)) {
            append_ascii(sc, a, b, start, end, flags, any_upper);
            return;
        }
    }
    emit_ascii_slow(sc, a, b, flags, any_upper);
}

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
static size_t skip_space_slow(scanner *sc, size_t p);

static inline size_t skip_space(scanner *sc, size_t p)
{
    if (p + 1 < sc->len && sc->s[p] == ' ' && sc->s[p + 1] > ' ' && sc->s[p + 1] < 0x80) {
        sc->gap_flags = NERVE_TOKEN_SPACE_BEFORE; /* one space: the common case */
        return p + 1;
    }
    if (p < sc->len && sc->s[p] > ' ' && sc->s[p] < 0x80)
        return p; /* no space at all */
    return skip_space_slow(sc, p);
}

static size_t skip_space_slow(scanner *sc, size_t p)
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
    scanner sc = {.tk = tk, .doc = doc, .identity = nerve_doc_norm_is_identity(doc)};
    sc.s = (const unsigned char *)nerve_doc_norm(doc, &sc.len);
    if (sc.identity)
        sc.shift_hi = sc.len + 1; /* one constant shift, 0, for the whole text */
    size_t p = skip_space(&sc, 0);
    sc.gap_flags = 0; /* nothing before the first token */
    while (p < sc.len) {
        unsigned b = sc.s[p];
        size_t q = 0, unit_end = 0;
        uint32_t extra = 0;
        if (g_ascii_isalnum(b)) {
            gboolean any_upper;
            size_t run;
            if ((q = fast_word(&sc, p, &extra, &any_upper, &run))) {
                emit_ascii(&sc, p, q, extra, any_upper);
                p = skip_space(&sc, q);
                continue;
            }
            if ((extra & NERVE_TOKEN_ALPHA) && run < sc.len && sc.s[run] == '.' &&
                (run + 1 == sc.len || is_blank(sc.s[run + 1])) && tk->clitics_need_apostrophe) {
                p = skip_space(&sc, word_period(&sc, p, run, extra, any_upper));
                continue;
            }
            extra = 0;
        }
        if ((sc.gap_flags & NERVE_TOKEN_SPACE_BEFORE) &&
            (b == '\'' ||
             (b == 0xE2 && p + 2 < sc.len && sc.s[p + 1] == 0x80 && sc.s[p + 2] == 0x99)) &&
            (q = detached_clitic(&sc, p))) {
            emit(&sc, p, q, 0);
            p = skip_space(&sc, q);
            continue;
        }
        if (b < 0x80 && single_flags[b] && (p + 1 >= sc.len || sc.s[p + 1] < 0x80)) {
            /* one ASCII punctuation or symbol character */
            emit_ascii(&sc, p, p + 1, single_flags[b], FALSE);
            p = skip_space(&sc, p + 1);
            continue;
        }
        if (b == '.' || b == '!' || b == '?' || b == '-') {
            /* A run of . ! ? (a terminal) or of hyphens: the branches of the
             * general path below, taken directly.  emit_ascii() is exact for
             * them only where no edit is near: there the original bytes are
             * the normalized ones (an edit may turn "…" into "...", of the
             * same length), elsewhere emit() compares them. */
            gboolean terminal = b != '-';
            q = p + 1;
            while (q < sc.len &&
                   (terminal ? sc.s[q] == '.' || sc.s[q] == '!' || sc.s[q] == '?' : sc.s[q] == '-'))
                q++;
            extra = terminal ? NERVE_TOKEN_TERMINAL : 0;
            if (p >= sc.shift_lo && q < sc.shift_hi)
                emit_ascii(&sc, p, q, extra | NERVE_TOKEN_PUNCT | NERVE_TOKEN_ASCII, FALSE);
            else
                emit(&sc, p, q, extra);
            p = skip_space(&sc, q);
            continue;
        }
        int cls = cls_at(&sc, p);

        if ((cls == C_LETTER || cls == C_DIGIT) && nerve_scan_may_link(&sc, p)) {
            if ((q = nerve_scan_url(&sc, p)))
                extra = NERVE_TOKEN_URL;
            else if ((q = nerve_scan_email(&sc, p)))
                extra = NERVE_TOKEN_EMAIL;
            else if (b < 0x80 && (q = nerve_scan_domain(&sc, p)))
                extra = NERVE_TOKEN_URL;
        }
        if (q) {
            emit(&sc, p, q, extra);
        } else if (cls == C_LETTER || cls == C_MARK) {
            gboolean apostrophe;
            q = nerve_scan_word(&sc, p, &extra, &apostrophe);
            emit_word(&sc, p, q, extra, apostrophe);
        } else if (cls == C_DIGIT) {
            q = nerve_scan_number(&sc, p, &unit_end);
            emit(&sc, p, q, NERVE_TOKEN_NUMBER);
            if (unit_end) {
                emit(&sc, q, unit_end, 0);
                q = unit_end;
            }
        } else if (cls == C_DICT) {
            q = p;
            while (q < sc.len && (cls_at(&sc, q) == C_DICT || cls_at(&sc, q) == C_MARK))
                q = nerve_scan_cluster_end(&sc, q);
            emit_dict_run(&sc, p, q);
        } else if ((b == '#' || b == '@') && (q = nerve_scan_tag(&sc, p))) {
            emit(&sc, p, q, b == '#' ? NERVE_TOKEN_HASHTAG : NERVE_TOKEN_MENTION);
        } else if (cls == C_EMOJI || cls == C_RI) {
            q = nerve_scan_cluster_end(&sc, p);
            emit(&sc, p, q, NERVE_TOKEN_EMOJI);
        } else {
            int n;
            uint32_t c = cp_at(&sc, p, &n);
            q = nerve_scan_cluster_end(&sc, p);
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
