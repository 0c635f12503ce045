/* lexicon.c - lemmas and shapes (see lexicon.h for what they are).
 *
 * Both tables (lemma exceptions, base forms) are open-addressing hash
 * tables keyed by nerve_hash(), so the exception lookup uses the hash the
 * tokenizer already stored in nerve_token.lower and costs no hashing.
 * Detachment candidates are built in a stack buffer and hashed (a few bytes
 * each, only for words with an inflectional ending).  Every lemma that is
 * not the lower form points at a string in the tables, whose hash is stored
 * beside it, so nothing is allocated per token; a shape points at the
 * lexicon's pure shapes (below), at the token's text itself ("," or "-"),
 * or at a copy in the document's arena.  The tables are read-only after
 * loading and shared by all threads.
 *
 * Per token the cost is what the CPU cache sees: the 80,000 bases do not
 * fit in it, so each worker thread keeps a cache of forms (across
 * documents: news repeats its words) holding the lemma of a lower form
 * and the shape of a norm form; a lower-case word is both, so most tokens
 * cost one probe of it.  The tables are probed through compact arrays of
 * hashes.  Most shapes are "pure" (X, x and d only: Xxxxx, dddd), made
 * once per lexicon and shared; shapes that are the form itself point at
 * it; only the others (U.S. -> X.X.) are copied into the document, once
 * per form through a small memo.  ASCII shapes need no UTF-8 decoding and
 * no Unicode tables.
 */
#include "nerve/lexicon.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "nerve/error.h"
#include "nerve/hash.h"
#include "nerve/utf8.h"
#include "swar.h"

typedef struct {
    const char *key;
    uint32_t len, hash;
    nerve_str value;
} entry;

/* Probing reads a compact array (hash << 32 | entry + 1; 0 empty), 8 bytes
 * a slot, and touches an entry only when the hash matches: the 80,000
 * bases make a table much larger than the cache, and most candidates
 * miss. */
typedef struct {
    uint64_t *probe;
    entry *entries;
    guint cap, n; /* cap: a power of two, or 0 */
} table;

/* Pure shapes: made of X, x and d only, at most PURE_LEN characters (the
 * shapes of most words and numbers: xxxx, Xxxxx, XX, dddd).  A pure shape
 * is coded as a 1 followed by 2 bits per character (X 1, x 2, d 3), so the
 * code of a shape of up to PURE_LEN characters is below PURE_CODES and
 * indexes a table of the shapes made once per lexicon: a token with a pure
 * shape needs no copy, no hashing and no lookup in the document. */
#define PURE_LEN   6
#define PURE_CODES (2u << (2 * PURE_LEN))

struct nerve_lexicon {
    table lemmas, bases;
    GStringChunk *strings;
    guint64 version; /* unique among lexicons, new at every change (lemma caches) */
    nerve_str *pure; /* [PURE_CODES], indexed by code; s NULL for no shape */
    /* by byte: its shape character (0 for bytes >= 0x80, which need
     * decoding), and its symbol in pure codes (0: none, the shape is not
     * pure) */
    uint8_t shape_char[256], pure_sym[256];
};

static guint64 new_version(void)
{
    static gsize last; /* atomic */
    return (guint64)g_atomic_pointer_add(&last, 1) + 1;
}

static const entry *table_find(const table *t, const char *s, uint32_t len, uint32_t hash)
{
    if (!t->n)
        return NULL;
    for (guint i = hash & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        uint64_t v = t->probe[i];
        if (!v)
            return NULL;
        if ((uint32_t)(v >> 32) != hash)
            continue;
        const entry *e = &t->entries[(uint32_t)v - 1];
        if (e->len == len && swar_same_bytes(e->key, s, len))
            return e;
    }
}

/* Makes t hold n entries without growing (cap >= 2 n + 2). */
static void table_grow_to(table *t, size_t n)
{
    guint cap = t->cap ? t->cap : 1024;
    while ((n + 1) * 2 > cap)
        cap *= 2;
    if (cap == t->cap)
        return;
    t->cap = cap;
    g_free(t->probe);
    t->probe = g_new0(uint64_t, t->cap);
    t->entries = g_renew(entry, t->entries, t->cap / 2);
    for (guint k = 0; k < t->n; k++) {
        guint i = t->entries[k].hash & (t->cap - 1);
        while (t->probe[i])
            i = (i + 1) & (t->cap - 1);
        t->probe[i] = (uint64_t)t->entries[k].hash << 32 | (k + 1);
    }
}

/* The entry for key, inserted empty-valued when new (its key copied into
 * lx->strings); valid until the next insertion. */
static entry *table_put(table *t, nerve_lexicon *lx, const char *s, uint32_t len)
{
    uint32_t hash = nerve_hash(s, len);
    if ((t->n + 1) * 2 > t->cap)
        table_grow_to(t, t->n + 1);
    guint i = hash & (t->cap - 1);
    for (; t->probe[i]; i = (i + 1) & (t->cap - 1)) {
        entry *e = &t->entries[(uint32_t)t->probe[i] - 1];
        if (e->hash == hash && e->len == len && !memcmp(e->key, s, len))
            return e;
    }
    entry *e = &t->entries[t->n];
    memset(e, 0, sizeof *e);
    e->key = g_string_chunk_insert_len(lx->strings, s, (gssize)len);
    e->len = len;
    e->hash = hash;
    t->probe[i] = (uint64_t)hash << 32 | ++t->n;
    return e;
}

/* The shape characters of the 2-bit symbols of pure codes. */
static const char pure_char[4] = {0, 'X', 'x', 'd'};

/* Makes the byte tables and the table of pure shapes: every code of 1 to
 * PURE_LEN symbols without a run of more than 4 (the shapes cut such
 * runs). */
static void make_shapes(nerve_lexicon *lx)
{
    for (uint32_t c = 0; c < 0x80; c++) {
        uint32_t sh = c - 'a' < 26 ? 'x' : c - 'A' < 26 ? 'X' : c - '0' < 10 ? 'd' : c;
        lx->shape_char[c] = (uint8_t)sh;
        lx->pure_sym[c] = sh == 'X' ? 1 : sh == 'x' ? 2 : sh == 'd' ? 3 : 0;
    }
    lx->pure = g_new0(nerve_str, PURE_CODES);
    for (uint32_t code = 2; code < PURE_CODES; code++) {
        char buf[PURE_LEN];
        int n = 0, run = 0;
        while (code >> (2 * (n + 1)))
            n++;
        gboolean ok = code >> (2 * n) == 1; /* the marker bit starts a symbol */
        for (int i = 0; i < n && ok; i++) {
            buf[i] = pure_char[(code >> (2 * (n - 1 - i))) & 3];
            run = i && buf[i] == buf[i - 1] ? run + 1 : 0;
            ok = buf[i] && run < 4;
        }
        if (ok)
            lx->pure[code] = (nerve_str){g_string_chunk_insert_len(lx->strings, buf, n),
                                         (uint32_t)n, nerve_hash(buf, (size_t)n)};
    }
}

nerve_lexicon *nerve_lexicon_new(void)
{
    nerve_lexicon *lx = g_new0(nerve_lexicon, 1);
    lx->strings = g_string_chunk_new(1 << 16);
    lx->version = new_version();
    make_shapes(lx);
    return lx;
}

void nerve_lexicon_free(nerve_lexicon *lx)
{
    if (!lx)
        return;
    g_free(lx->lemmas.probe);
    g_free(lx->lemmas.entries);
    g_free(lx->bases.probe);
    g_free(lx->bases.entries);
    g_free(lx->pure);
    g_string_chunk_free(lx->strings);
    g_free(lx);
}

/* The lower case of (s, len), NUL-terminated: in buf (LOWER_BUF bytes)
 * when ASCII and short (almost every word of the lists), byte by byte;
 * else newly allocated in *heap by Unicode rules (g_utf8_strdown() costs
 * ~1 µs a call). */
#define LOWER_BUF 128

static const char *lower_of(const char *s, size_t len, char *buf, char **heap, size_t *out_len)
{
    uint64_t high = 0, nul = 0; /* bit 7s: a byte >= 0x80, a NUL */
    if (len < LOWER_BUF) {
        size_t i = 0;
        for (; i + 8 <= len; i += 8) { /* eight bytes at a time */
            uint64_t w = swar_load(s + i);
            high |= w;
            nul |= swar_eq(w, 0);
            w |= swar_upper_bits(w);
            memcpy(buf + i, &w, 8);
        }
        for (; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            high |= c;
            nul |= c ? 0 : 0x80;
            buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
    }
    if (len >= LOWER_BUF || (high & SWAR_HIGH)) {
        *heap = g_utf8_strdown(s, (gssize)len);
        *out_len = strlen(*heap);
        return *heap;
    }
    buf[len] = '\0';
    /* a NUL in the line ends the word, as it always did */
    *out_len = nul & SWAR_HIGH ? strlen(buf) : len;
    return buf;
}

/* The adders leave lx->version to their callers: a file bumps it once. */
static void add_lemma_len(nerve_lexicon *lx, const char *form, size_t flen, const char *lemma,
                          size_t llen)
{
    char fbuf[LOWER_BUF], lbuf[LOWER_BUF];
    g_autofree char *fheap = NULL, *lheap = NULL;
    size_t fn, ln;
    const char *f = lower_of(form, flen, fbuf, &fheap, &fn);
    const char *l = lower_of(lemma, llen, lbuf, &lheap, &ln);
    entry *e = table_put(&lx->lemmas, lx, f, (uint32_t)fn);
    if (fn == ln && !memcmp(f, l, fn)) {
        e->value = (nerve_str){e->key, e->len, e->hash};
        return;
    }
    e->value.s = g_string_chunk_insert_const(lx->strings, l);
    e->value.len = (uint32_t)ln;
    e->value.hash = nerve_hash(l, ln);
}

static void add_base_len(nerve_lexicon *lx, const char *base, size_t len)
{
    char buf[LOWER_BUF];
    g_autofree char *heap = NULL;
    size_t n;
    const char *b = lower_of(base, len, buf, &heap, &n);
    entry *e = table_put(&lx->bases, lx, b, (uint32_t)n);
    e->value = (nerve_str){e->key, e->len, e->hash};
}

void nerve_lexicon_add_lemma(nerve_lexicon *lx, const char *form, const char *lemma)
{
    add_lemma_len(lx, form, strlen(form), lemma, strlen(lemma));
    lx->version = new_version();
}

void nerve_lexicon_add_base(nerve_lexicon *lx, const char *base)
{
    add_base_len(lx, base, strlen(base));
    lx->version = new_version();
}

guint nerve_lexicon_n_lemmas(const nerve_lexicon *lx)
{
    return lx->lemmas.n;
}

guint nerve_lexicon_n_bases(const nerve_lexicon *lx)
{
    return lx->bases.n;
}

/* Reads a line-oriented file: calls fn for each non-blank, non-comment
 * line with its number; fn returns a column (1-based) and a message on
 * error. */
typedef int (*line_fn)(nerve_lexicon *lx, const char *line, size_t len, const char **msg);

/* The number of newlines in (s, n). */
static size_t count_lines(const char *s, size_t n)
{
    size_t lines = 0, i = 0;
    for (; i + 8 <= n; i += 8)
        lines += swar_count_high(swar_eq_exact(swar_load(s + i), '\n'));
    for (; i < n; i++)
        lines += s[i] == '\n';
    return lines;
}

/* load_lines() with each line a new entry of t (at most): t is made large
 * enough at once instead of growing by doubling, each step rehashing. */
static gboolean load_lines(nerve_lexicon *lx, const char *path, line_fn fn, table *t,
                           GError **error)
{
    g_autofree char *data = NULL;
    gsize size = 0;
    GError *io = NULL;
    if (!g_file_get_contents(path, &data, &size, &io)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "%s: %s", path, io->message);
        g_error_free(io);
        return FALSE;
    }
    size_t bad;
    if (nerve_utf8_count_invalid(data, size, &bad)) {
        guint line = 1;
        for (size_t i = 0; i < bad; i++)
            line += data[i] == '\n';
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "%s:%u:1: invalid UTF-8", path, line);
        return FALSE;
    }
    table_grow_to(t, t->n + count_lines(data, size) + 1);
    lx->version = new_version(); /* the lines below change the tables */
    guint lineno = 0;
    for (const char *p = data, *end = data + size; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        size_t len = (size_t)(eol - p);
        lineno++;
        if (len && p[len - 1] == '\r')
            len--;
        if (len && p[0] != '#') {
            const char *msg = NULL;
            int col = fn(lx, p, len, &msg);
            if (col) {
                g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "%s:%u:%d: %s", path, lineno,
                            col, msg);
                return FALSE;
            }
        }
        p = eol + 1;
    }
    return TRUE;
}

static int lemma_line(nerve_lexicon *lx, const char *line, size_t len, const char **msg)
{
    const char *tab = memchr(line, '\t', len);
    if (!tab || tab == line) {
        *msg = "expected form<TAB>lemma";
        return tab ? 1 : (int)len + 1;
    }
    const char *lem = tab + 1;
    size_t llen = (size_t)(line + len - lem);
    const char *tab2 = memchr(lem, '\t', llen);
    if (tab2)
        llen = (size_t)(tab2 - lem);
    while (llen && (lem[llen - 1] == ' '))
        llen--;
    if (!llen) {
        *msg = "empty lemma";
        return (int)(lem - line) + 1;
    }
    add_lemma_len(lx, line, (size_t)(tab - line), lem, llen);
    return 0;
}

static int base_line(nerve_lexicon *lx, const char *line, size_t len, const char **msg)
{
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    if (len && memchr(line, '\t', len)) {
        *msg = "expected one base form per line";
        return (int)((const char *)memchr(line, '\t', len) - line) + 1;
    }
    if (len)
        add_base_len(lx, line, len);
    return 0;
}

gboolean nerve_lexicon_load_lemmas(nerve_lexicon *lx, const char *path, GError **error)
{
    return load_lines(lx, path, lemma_line, &lx->lemmas, error);
}

gboolean nerve_lexicon_load_bases(nerve_lexicon *lx, const char *path, GError **error)
{
    return load_lines(lx, path, base_line, &lx->bases, error);
}

/* --- lemmas ----------------------------------------------------------------- */

#define MAX_WORD 64

/* A suffix or a replacement, with its length (no strlen per token). */
typedef struct {
    const char *s;
    size_t len;
} piece;

#define PIECE(lit) ((piece){lit, sizeof lit - 1})

static gboolean ends_with(const char *s, size_t n, piece suf)
{
    return n > suf.len && swar_same_bytes(s + n - suf.len, suf.s, (uint32_t)suf.len);
}

static const entry *find_base(const nerve_lexicon *lx, const char *s, size_t n)
{
    if (n < 2)
        return NULL;
    return table_find(&lx->bases, s, (uint32_t)n, nerve_hash(s, n));
}

/* The base s[0..keep) + add, if known. */
static const entry *candidate(const nerve_lexicon *lx, const char *s, size_t keep, piece add)
{
    char buf[MAX_WORD + 4];
    memcpy(buf, s, keep);
    memcpy(buf + keep, add.s, add.len);
    return find_base(lx, buf, keep + add.len);
}

static gboolean is_vowel(char c)
{
    return strchr("aeiouy", c) != NULL;
}

/* banned -> ban: s[0..keep) ends in a doubled consonant; drop one. */
static const entry *undouble(const nerve_lexicon *lx, const char *s, size_t keep)
{
    if (keep < 3 || s[keep - 1] != s[keep - 2] || is_vowel(s[keep - 1]))
        return NULL;
    return candidate(lx, s, keep - 1, PIECE(""));
}

/* Tries suffix -> each of the n_adds replacements in order, then the
 * undoubling. */
static const entry *detach(const nerve_lexicon *lx, const char *s, size_t n, piece suffix,
                           const piece *adds, guint n_adds, gboolean doubled)
{
    if (!ends_with(s, n, suffix))
        return NULL;
    size_t keep = n - suffix.len;
    const entry *e = NULL;
    for (guint i = 0; i < n_adds && !e; i++)
        e = candidate(lx, s, keep, adds[i]);
    if (!e && doubled)
        e = undouble(lx, s, keep);
    return e;
}

static const entry *inflection(const nerve_lexicon *lx, const char *s, size_t n)
{
    static const piece y[] = {{"y", 1}}, e_none[] = {{"e", 1}, {"", 0}}, none[] = {{"", 0}},
                       man[] = {{"man", 3}};
    const entry *e = NULL;
    if (s[n - 1] == 's' && s[n - 2] != 's') {
        if (!(e = detach(lx, s, n, PIECE("ies"), y, 1, FALSE)) &&
            !(e = detach(lx, s, n, PIECE("es"), e_none, 2, FALSE)))
            e = detach(lx, s, n, PIECE("s"), none, 1, FALSE);
        return e;
    }
    if ((e = detach(lx, s, n, PIECE("men"), man, 1, FALSE)))
        return e;
    if (ends_with(s, n, PIECE("ed"))) {
        /* feed, seed, weed: short base forms, not fee+d */
        if (n <= 5 && ends_with(s, n, PIECE("eed")) && find_base(lx, s, n))
            return NULL;
        return detach(lx, s, n, PIECE("ed"), e_none, 2, TRUE);
    }
    if (n >= 5 && (e = detach(lx, s, n, PIECE("ing"), e_none, 2, TRUE)))
        return e;
    if ((ends_with(s, n, PIECE("er")) || ends_with(s, n, PIECE("est"))) && !find_base(lx, s, n)) {
        if (!(e = detach(lx, s, n, PIECE("est"), e_none, 2, TRUE)))
            e = detach(lx, s, n, PIECE("er"), e_none, 2, TRUE);
    }
    return e;
}

nerve_str nerve_lexicon_lemma(const nerve_lexicon *lx, const nerve_str *lower)
{
    const entry *e = table_find(&lx->lemmas, lower->s, lower->len, lower->hash);
    if (e)
        return e->value;
    if (lx->bases.n && lower->len >= 3 && lower->len <= MAX_WORD) {
        gboolean letters = TRUE;
        for (uint32_t i = lower->len - 3; i < lower->len && letters; i++)
            letters = lower->s[i] >= 'a' && lower->s[i] <= 'z';
        if (letters && (e = inflection(lx, lower->s, lower->len)))
            return e->value;
    }
    return *lower;
}

/* --- the stage ------------------------------------------------------------------ */

#define SHAPE_CAP 256 /* longer shapes are cut (nerve_lexicon_shape) */

static nerve_str shape_of(nerve_doc *doc, const nerve_str *norm)
{
    char buf[SHAPE_CAP];
    size_t k = nerve_lexicon_shape(norm->s, norm->len, buf, sizeof buf);
    if (k == norm->len && !memcmp(buf, norm->s, k))
        return *norm;
    return (nerve_str){nerve_doc_strdup(doc, buf, k), (uint32_t)k, nerve_hash(buf, k)};
}

/* The shape of an ASCII form when it is the form itself or a pure shape
 * (lx->pure), as shape_of() would make it (same bytes, same hash); FALSE
 * for the others (non-ASCII, punctuation with letters or digits, long
 * shapes), which shape_of() makes.  The characters of a run cut after 4
 * have the class of the run's first one, so the purity of every byte is
 * the purity of the shape. */
static gboolean quick_shape(const nerve_lexicon *lx, const nerve_str *norm, nerve_str *out)
{
    const unsigned char *p = (const unsigned char *)norm->s;
    uint32_t last = 0, code = 1, n = 0, changed = 0, impure = 0;
    int run = 0;
    for (uint32_t i = 0; i < norm->len; i++) {
        uint32_t c = lx->shape_char[p[i]], sym = lx->pure_sym[p[i]];
        if (!c)
            return FALSE;
        run = c == last ? run + 1 : 0;
        last = c;
        changed |= c ^ p[i];
        impure |= sym == 0;
        if (run < 4) {
            code = code << 2 | sym; /* bits shifted out belong to shapes too long for the table */
            n++;
        }
    }
    if (n == norm->len && !changed && n <= SHAPE_CAP) {
        *out = *norm;
        return TRUE;
    }
    if (impure || n > PURE_LEN)
        return FALSE;
    *out = lx->pure[code];
    return TRUE;
}

/* A worker's cache of forms, across documents: the lemma of a lower form
 * costs a probe or more of the large tables (cache misses, most of the
 * stage's time), a shape a pass over the bytes, and news repeats its
 * words.  A slot holds a form (a token's lower or norm form, up to LKEY
 * bytes, copied) and what is known of it: its lemma once it was some
 * token's lower form, its shape once it was some token's norm form.  A
 * lower-case word is its own lower and norm form, so one probe gives both
 * (most tokens); other words probe twice.  Lemmas are kept as the table's
 * string or "the form itself" (the token's own, not kept), shapes as a
 * pure shape (lx->pure), "the form itself", or "made per document" (other
 * shapes are copied into each document, through the memo below).  Kept
 * strings belong to the lexicon, so the cache belongs to one lexicon
 * version, and starts over for another.  Direct-mapped by the form's
 * hash; one slot is one cache line.  2 MB a thread: larger than L2, but
 * the slots are prefetched, and a miss (the tables, a shape) costs more
 * than the wait for L3 (measured: faster than 0.5 and 1 MB). */
#define LCACHE 32768
#define LKEY   24

enum { UNKNOWN, SELF, KEPT, PER_DOC };

typedef struct {
    uint32_t hash;
    uint8_t len;          /* 0: empty */
    uint8_t lemma, shape; /* UNKNOWN, SELF, KEPT; shape also PER_DOC */
    uint8_t unused;
    char key[LKEY];
    nerve_str lemma_value, shape_value; /* when KEPT */
} fslot;

_Static_assert(sizeof(fslot) == 64, "one slot, one cache line");

typedef struct {
    fslot *slots; /* [LCACHE], aligned to a huge page when the system has them */
    guint64 version;
} fcache;

/* How many tokens ahead the cache slots are prefetched. */
#define LAHEAD 8

static inline uint32_t fslot_of(uint32_t hash)
{
    return (hash ^ (hash >> 12)) & (LCACHE - 1);
}

static void fcache_free(gpointer p)
{
    fcache *c = p;
    free(c->slots);
    g_free(c);
}

static GPrivate fcache_key = G_PRIVATE_INIT(fcache_free);

/* The slots are probed at random, a few per token: with 4 KB pages their
 * 512 pages cost the processor's address translation a miss on many
 * probes, so they go into one huge page where the system offers them. */
#define HUGE_PAGE ((size_t)2 << 20)

static fcache *form_cache(const nerve_lexicon *lx)
{
    fcache *c = g_private_get(&fcache_key);
    if (!c) {
        c = g_new0(fcache, 1);
        /* C11 aligned_alloc: the size is a multiple of the alignment */
        _Static_assert(LCACHE * sizeof(fslot) % HUGE_PAGE == 0, "whole huge pages");
        c->slots = aligned_alloc(HUGE_PAGE, LCACHE * sizeof(fslot));
        if (!c->slots)
            g_error("out of memory");
#ifdef MADV_HUGEPAGE
        madvise(c->slots, LCACHE * sizeof(fslot), MADV_HUGEPAGE); /* a hint: may fail */
#endif
        c->version = 0; /* no lexicon's: the slots are cleared below */
        g_private_set(&fcache_key, c);
    }
    if (c->version != lx->version) {
        memset(c->slots, 0, LCACHE * sizeof(fslot));
        c->version = lx->version;
    }
    return c;
}

static inline gboolean cacheable(const nerve_str *f)
{
    return f->len && f->len <= LKEY;
}

/* The slot of form f (cacheable), emptied for it when it held another. */
static inline __attribute__((always_inline)) fslot *form_slot(fcache *c, const nerve_str *f)
{
    fslot *s = &c->slots[fslot_of(f->hash)];
    if (s->len == f->len && s->hash == f->hash && swar_same_bytes(s->key, f->s, f->len))
        return s;
    s->hash = f->hash;
    s->len = (uint8_t)f->len;
    memcpy(s->key, f->s, f->len);
    s->lemma = s->shape = UNKNOWN;
    return s;
}

static nerve_str slot_lemma(const nerve_lexicon *lx, fslot *s, const nerve_str *lower)
{
    if (s->lemma == UNKNOWN) {
        s->lemma_value = nerve_lexicon_lemma(lx, lower);
        s->lemma = s->lemma_value.s == lower->s ? SELF : KEPT; /* SELF: points into a document */
    }
    return s->lemma == SELF ? *lower : s->lemma_value;
}

/* A memo of one document's shapes that are neither pure nor the form
 * itself (U.S. -> X.X., 's -> 'x): they are copied into the document, once
 * per form.  Direct-mapped by the form's hash; the strings are compared. */
#define MEMO 64

typedef struct {
    nerve_str key; /* a token's form (s NULL: empty slot) */
    nerve_str value;
} memo;

static nerve_str memo_shape(nerve_doc *doc, memo *m, const nerve_str *norm)
{
    memo *e = &m[(norm->hash ^ (norm->hash >> 16)) & (MEMO - 1)];
    if (!(e->key.s && e->key.hash == norm->hash && e->key.len == norm->len &&
          !memcmp(e->key.s, norm->s, norm->len)))
        *e = (memo){*norm, shape_of(doc, norm)};
    /* the form itself: this token's, as without the memo */
    return e->value.s == e->key.s ? *norm : e->value;
}

static nerve_str slot_shape(const nerve_lexicon *lx, fslot *s, const nerve_str *norm,
                            nerve_doc *doc, memo *m)
{
    if (s->shape == UNKNOWN) {
        if (!quick_shape(lx, norm, &s->shape_value))
            s->shape = PER_DOC;
        else
            s->shape = s->shape_value.s == norm->s ? SELF : KEPT;
    }
    if (s->shape == PER_DOC)
        return memo_shape(doc, m, norm);
    return s->shape == SELF ? *norm : s->shape_value;
}

/* Fills the lemma and shape of t, whatever its forms. */
static void annotate_token(const nerve_lexicon *lx, fcache *c, nerve_doc *doc, memo *shapes,
                           nerve_token *t)
{
    fslot *s = NULL;
    if (!t->lemma.s) {
        if (t->lower.s && cacheable(&t->lower)) {
            s = form_slot(c, &t->lower);
            t->lemma = slot_lemma(lx, s, &t->lower);
        } else
            t->lemma = nerve_lexicon_lemma(lx, &t->lower);
    }
    if (t->shape.s)
        return;
    if (!t->norm.s)
        t->shape = shape_of(doc, &t->norm);
    else if (!cacheable(&t->norm)) {
        if (!quick_shape(lx, &t->norm, &t->shape))
            t->shape = memo_shape(doc, shapes, &t->norm);
    } else {
        /* the lower form's slot is the norm form's when they are the
         * same bytes (it holds them, and nothing replaced it since) */
        if (!s || t->norm.s != t->lower.s || t->norm.len != t->lower.len)
            s = form_slot(c, &t->norm);
        t->shape = slot_shape(lx, s, &t->norm, doc, shapes);
    }
}

void nerve_lexicon_annotate(const nerve_lexicon *lx, nerve_doc *doc)
{
    size_t n;
    nerve_token *toks = nerve_doc_tokens(doc, &n);
    fcache *c = form_cache(lx);
    memo shapes[MEMO];
    memset(shapes, 0, sizeof shapes);
    for (size_t i = 0; i < n; i++) {
        nerve_token *t = &toks[i];
        /* the cache is larger than L2: misses overlap instead of queueing */
        if (i + LAHEAD < n) {
            const nerve_token *a = &toks[i + LAHEAD];
            __builtin_prefetch(&c->slots[fslot_of(a->lower.hash)]);
            if (a->norm.s != a->lower.s)
                __builtin_prefetch(&c->slots[fslot_of(a->norm.hash)]);
        }
        /* most tokens: a form that is its own lower form, seen before */
        if (t->norm.s == t->lower.s && t->norm.len == t->lower.len && t->norm.s &&
            cacheable(&t->norm) && !t->lemma.s && !t->shape.s) {
            const fslot *s = form_slot(c, &t->norm);
            if (s->lemma != UNKNOWN && (s->shape == SELF || s->shape == KEPT)) {
                t->lemma = s->lemma == SELF ? t->lower : s->lemma_value;
                t->shape = s->shape == SELF ? t->norm : s->shape_value;
                continue;
            }
        }
        annotate_token(lx, c, doc, shapes, t);
    }
}

static gboolean process(const void *self, nerve_doc *doc, GError **error)
{
    (void)error;
    nerve_lexicon_annotate(self, doc);
    return TRUE;
}

nerve_stage *nerve_lexicon_stage_new(const nerve_lexicon *lx)
{
    return nerve_stage_new("lexicon", process, (void *)lx, NULL);
}

/* Loads key of the section (or its default file when absent). */
static gboolean load_key(nerve_lexicon *lx, const nerve_model *m, json_t *sec, const char *key,
                         const char *dflt,
                         gboolean (*load)(nerve_lexicon *, const char *, GError **), GError **error)
{
    json_t *v = json_object_get(sec, key);
    if (sec && json_object_get(sec, key) && json_is_null(v))
        return TRUE;
    if (v && !json_is_string(v)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                    "%s/model.json: lexicon.%s must be a file name or null", nerve_model_dir(m),
                    key);
        return FALSE;
    }
    g_autofree char *path = nerve_model_path(m, v ? json_string_value(v) : dflt);
    if (!v && !g_file_test(path, G_FILE_TEST_IS_REGULAR))
        return TRUE;
    return load(lx, path, error);
}

nerve_stage *nerve_lexicon_stage_from_model(const nerve_model *model, GError **error)
{
    json_t *sec = nerve_model_section(model, "lexicon");
    if (sec && !json_is_object(sec)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                    "%s/model.json: \"lexicon\" must be an object", nerve_model_dir(model));
        return NULL;
    }
    nerve_lexicon *lx = nerve_lexicon_new();
    if (!load_key(lx, model, sec, "lemmas", "lemmas.tsv", nerve_lexicon_load_lemmas, error) ||
        !load_key(lx, model, sec, "bases", "lemma-bases.txt", nerve_lexicon_load_bases, error)) {
        nerve_lexicon_free(lx);
        return NULL;
    }
    return nerve_stage_new("lexicon", process, lx, (GDestroyNotify)nerve_lexicon_free);
}
