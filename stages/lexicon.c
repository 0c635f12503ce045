/* lexicon.c - lemmas and shapes (see lexicon.h for what they are).
 *
 * Both tables (lemma exceptions, base forms) are open-addressing hash
 * tables keyed by nerve_hash(), so the exception lookup uses the hash the
 * tokenizer already stored in nerve_token.lower and costs no hashing.
 * Detachment candidates are built in a stack buffer and hashed (a few bytes
 * each, only for words with an inflectional ending).  Every lemma that is
 * not the lower form points at a string in the tables, whose hash is stored
 * beside it, so nothing is allocated per token; shapes go to the
 * document's arena unless the shape is the token's text itself ("," or
 * "-").  The tables are read-only after loading and shared by all threads.
 */
#include "nerve/lexicon.h"

#include <string.h>

#include "nerve/error.h"
#include "nerve/hash.h"
#include "nerve/utf8.h"

typedef struct {
    const char *key; /* NULL: empty slot */
    uint32_t len, hash;
    nerve_str value;
} entry;

typedef struct {
    entry *slots;
    guint cap, n; /* cap: a power of two, or 0 */
} table;

struct nerve_lexicon {
    table lemmas, bases;
    GStringChunk *strings;
};

static const entry *table_find(const table *t, const char *s, uint32_t len, uint32_t hash)
{
    if (!t->n)
        return NULL;
    for (guint i = hash & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        const entry *e = &t->slots[i];
        if (!e->key)
            return NULL;
        if (e->hash == hash && e->len == len && !memcmp(e->key, s, len))
            return e;
    }
}

static void table_grow(table *t)
{
    guint old_cap = t->cap;
    entry *old = t->slots;
    t->cap = old_cap ? old_cap * 2 : 1024;
    t->slots = g_new0(entry, t->cap);
    for (guint k = 0; k < old_cap; k++) {
        if (!old[k].key)
            continue;
        guint i = old[k].hash & (t->cap - 1);
        while (t->slots[i].key)
            i = (i + 1) & (t->cap - 1);
        t->slots[i] = old[k];
    }
    g_free(old);
}

/* The slot for key (hash given), inserted empty-valued when new. */
static entry *table_put(table *t, GStringChunk *strings, const char *s, uint32_t len)
{
    uint32_t hash = nerve_hash(s, len);
    if ((t->n + 1) * 2 > t->cap)
        table_grow(t);
    guint i = hash & (t->cap - 1);
    while (t->slots[i].key) {
        entry *e = &t->slots[i];
        if (e->hash == hash && e->len == len && !memcmp(e->key, s, len))
            return e;
        i = (i + 1) & (t->cap - 1);
    }
    entry *e = &t->slots[i];
    e->key = g_string_chunk_insert_len(strings, s, (gssize)len);
    e->len = len;
    e->hash = hash;
    t->n++;
    return e;
}

nerve_lexicon *nerve_lexicon_new(void)
{
    nerve_lexicon *lx = g_new0(nerve_lexicon, 1);
    lx->strings = g_string_chunk_new(1 << 16);
    return lx;
}

void nerve_lexicon_free(nerve_lexicon *lx)
{
    if (!lx)
        return;
    g_free(lx->lemmas.slots);
    g_free(lx->bases.slots);
    g_string_chunk_free(lx->strings);
    g_free(lx);
}

static void add_lemma_len(nerve_lexicon *lx, const char *form, size_t flen, const char *lemma,
                          size_t llen)
{
    g_autofree char *f = g_utf8_strdown(form, (gssize)flen);
    g_autofree char *l = g_utf8_strdown(lemma, (gssize)llen);
    entry *e = table_put(&lx->lemmas, lx->strings, f, (uint32_t)strlen(f));
    if (!strcmp(f, l)) {
        e->value = (nerve_str){e->key, e->len, e->hash};
        return;
    }
    uint32_t n = (uint32_t)strlen(l);
    e->value.s = g_string_chunk_insert_const(lx->strings, l);
    e->value.len = n;
    e->value.hash = nerve_hash(l, n);
}

static void add_base_len(nerve_lexicon *lx, const char *base, size_t len)
{
    g_autofree char *b = g_utf8_strdown(base, (gssize)len);
    entry *e = table_put(&lx->bases, lx->strings, b, (uint32_t)strlen(b));
    e->value = (nerve_str){e->key, e->len, e->hash};
}

void nerve_lexicon_add_lemma(nerve_lexicon *lx, const char *form, const char *lemma)
{
    add_lemma_len(lx, form, strlen(form), lemma, strlen(lemma));
}

void nerve_lexicon_add_base(nerve_lexicon *lx, const char *base)
{
    add_base_len(lx, base, strlen(base));
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

static gboolean load_lines(nerve_lexicon *lx, const char *path, line_fn fn, GError **error)
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
    return load_lines(lx, path, lemma_line, error);
}

gboolean nerve_lexicon_load_bases(nerve_lexicon *lx, const char *path, GError **error)
{
    return load_lines(lx, path, base_line, error);
}

/* --- lemmas ----------------------------------------------------------------- */

#define MAX_WORD 64

static gboolean ends_with(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n > k && !memcmp(s + n - k, suf, k);
}

static const entry *find_base(const nerve_lexicon *lx, const char *s, size_t n)
{
    if (n < 2)
        return NULL;
    return table_find(&lx->bases, s, (uint32_t)n, nerve_hash(s, n));
}

/* The base s[0..keep) + add, if known. */
static const entry *candidate(const nerve_lexicon *lx, const char *s, size_t keep, const char *add)
{
    char buf[MAX_WORD + 4];
    size_t k = strlen(add);
    memcpy(buf, s, keep);
    memcpy(buf + keep, add, k);
    return find_base(lx, buf, keep + k);
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
    return candidate(lx, s, keep - 1, "");
}

/* Tries suffix -> each replacement in order, then the undoubling. */
static const entry *detach(const nerve_lexicon *lx, const char *s, size_t n, const char *suffix,
                           const char *const *adds, gboolean doubled)
{
    if (!ends_with(s, n, suffix))
        return NULL;
    size_t keep = n - strlen(suffix);
    const entry *e = NULL;
    for (guint i = 0; adds[i] && !e; i++)
        e = candidate(lx, s, keep, adds[i]);
    if (!e && doubled)
        e = undouble(lx, s, keep);
    return e;
}

static const entry *inflection(const nerve_lexicon *lx, const char *s, size_t n)
{
    static const char *const y[] = {"y", NULL}, *const e_none[] = {"e", "", NULL},
                             *const none[] = {"", NULL}, *const man[] = {"man", NULL};
    const entry *e = NULL;
    if (s[n - 1] == 's' && s[n - 2] != 's') {
        if (!(e = detach(lx, s, n, "ies", y, FALSE)) && !(e = detach(lx, s, n, "es", e_none, FALSE)))
            e = detach(lx, s, n, "s", none, FALSE);
        return e;
    }
    if ((e = detach(lx, s, n, "men", man, FALSE)))
        return e;
    if (ends_with(s, n, "ed")) {
        /* feed, seed, weed: short base forms, not fee+d */
        if (n <= 5 && ends_with(s, n, "eed") && find_base(lx, s, n))
            return NULL;
        return detach(lx, s, n, "ed", e_none, TRUE);
    }
    if (n >= 5 && (e = detach(lx, s, n, "ing", e_none, TRUE)))
        return e;
    if ((ends_with(s, n, "er") || ends_with(s, n, "est")) && !find_base(lx, s, n)) {
        if (!(e = detach(lx, s, n, "est", e_none, TRUE)))
            e = detach(lx, s, n, "er", e_none, TRUE);
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

/* --- shapes ------------------------------------------------------------------ */

size_t nerve_lexicon_shape(const char *s, size_t len, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    uint32_t last = 0;
    int run = 0;
    size_t n = 0;
    while (p < end) {
        int k;
        uint32_t c = nerve_utf8_decode(p, end, &k);
        const unsigned char *src = p;
        p += k;
        uint32_t sh;
        if (c < 0x80)
            sh = g_ascii_isupper((int)c) ? 'X' : g_ascii_islower((int)c) ? 'x'
                                           : g_ascii_isdigit((int)c) ? 'd'
                                                                     : c;
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

/* --- the stage ------------------------------------------------------------------ */

void nerve_lexicon_annotate(const nerve_lexicon *lx, nerve_doc *doc)
{
    size_t n;
    nerve_token *toks = nerve_doc_tokens(doc, &n);
    char buf[256];
    for (size_t i = 0; i < n; i++) {
        nerve_token *t = &toks[i];
        if (!t->lemma.s)
            t->lemma = nerve_lexicon_lemma(lx, &t->lower);
        if (t->shape.s)
            continue;
        size_t k = nerve_lexicon_shape(t->norm.s, t->norm.len, buf, sizeof buf);
        if (k == t->norm.len && !memcmp(buf, t->norm.s, k)) {
            t->shape = t->norm;
            continue;
        }
        t->shape.s = nerve_doc_strdup(doc, buf, k);
        t->shape.len = (uint32_t)k;
        t->shape.hash = nerve_hash(buf, k);
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
                         gboolean (*load)(nerve_lexicon *, const char *, GError **),
                         GError **error)
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
