/* gazcompile.c - from list entries to a compiled gazetteer (.gaz).
 *
 * Adding an entry splits its term into tokens with the model's normalizer
 * and tokenizer (a throw-away document per term: the only way to be sure
 * that terms split exactly as text does) and keeps the sequence of token
 * keys as ids of a temporary vocabulary per case mode.
 *
 * Writing (gazwrite.c) sorts each case mode's entries by token sequence.  Sorted, the
 * trie falls out of one scan: an entry shares its first lcp tokens with the
 * one before it and adds one edge per remaining token; equal sequences
 * share a node and are consecutive, so the entry table needs no per-node
 * lists.  Knowing the number of edges before placing any, the final hash
 * tables are sized once and a node's id is simply its edge's slot, so no
 * separate node table exists.  Of entries with the same tokens, list and
 * label only the first listed is kept (see same_entry()).
 *
 * The output is written sequentially (the header last), with the content
 * checksum computed on the way, through a temporary file and a rename.
 */
#include "nerve/gazcompile.h"

#include <string.h>

#include "gazbuild.h"
#include "nerve/error.h"
#include "nerve/utf8.h"

/* --- the builder ------------------------------------------------------------ */

nerve_gaz_builder *nerve_gaz_builder_new(const nerve_tokenizer *tk,
                                         const nerve_normalize_options *no)
{
    nerve_gaz_builder *b = g_new0(nerve_gaz_builder, 1);
    b->tk = tk;
    b->no = no;
    b->folder = nerve_folder_new();
    b->lists = g_array_new(FALSE, FALSE, sizeof(blist));
    b->labels = g_hash_table_new(g_str_hash, g_str_equal);
    b->label_names = g_ptr_array_new_with_free_func(g_free);
    b->entries = g_array_new(FALSE, FALSE, sizeof(bentry));
    b->blobs = g_byte_array_new();
    b->seqs = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (int p = 0; p < GAZ_PARTS; p++) {
        b->voc[p].mask = 1023;
        b->voc[p].slots = g_new0(uint32_t, 1024);
        b->voc[p].keys = g_array_new(FALSE, FALSE, sizeof(tkey));
        b->voc[p].bytes = g_byte_array_new();
    }
    gaz_sum_init(&b->source);
    return b;
}

void nerve_gaz_builder_free(nerve_gaz_builder *b)
{
    if (!b)
        return;
    for (guint i = 0; i < b->lists->len; i++)
        g_free(g_array_index(b->lists, blist, i).name);
    g_array_free(b->lists, TRUE);
    g_hash_table_destroy(b->labels);
    g_ptr_array_free(b->label_names, TRUE);
    g_array_free(b->entries, TRUE);
    g_byte_array_free(b->blobs, TRUE);
    g_array_free(b->seqs, TRUE);
    for (int p = 0; p < GAZ_PARTS; p++) {
        g_free(b->voc[p].slots);
        g_array_free(b->voc[p].keys, TRUE);
        g_byte_array_free(b->voc[p].bytes, TRUE);
    }
    nerve_folder_free(b->folder);
    g_free(b);
}

void nerve_gaz_builder_hash(nerve_gaz_builder *b, const void *data, size_t len)
{
    gaz_sum_update(&b->source, data, len);
}

guint nerve_gaz_builder_n_entries(const nerve_gaz_builder *b)
{
    return b->entries->len;
}

guint nerve_gaz_builder_n_duplicates(const nerve_gaz_builder *b)
{
    return b->n_duplicates;
}

guint nerve_gaz_builder_n_lists(const nerve_gaz_builder *b)
{
    return b->lists->len;
}

gboolean nerve_gaz_builder_begin_list(nerve_gaz_builder *b, const char *name,
                                      const nerve_gaz_options *opts, guint source, const char **why)
{
    if (b->lists->len >= GAZ_MAX_LISTS) {
        *why = "too many lists in one gazetteer (65535 at most)";
        return FALSE;
    }
    blist l = {g_strdup(name), opts->case_mode, opts->mode, opts->priority, b->entries->len, 0,
               source,         opts->caps};
    g_array_append_val(b->lists, l);
    char opt[64];
    g_snprintf(opt, sizeof opt, "%d %d %d %u %d", opts->case_mode, opts->mode, opts->priority,
               source, opts->caps);
    nerve_gaz_builder_hash(b, name, strlen(name) + 1);
    nerve_gaz_builder_hash(b, opt, strlen(opt) + 1);
    return TRUE;
}

static uint32_t label_id(nerve_gaz_builder *b, const char *label)
{
    gpointer v = g_hash_table_lookup(b->labels, label);
    if (v)
        return GPOINTER_TO_UINT(v) - 1;
    char *copy = g_strdup(label);
    g_ptr_array_add(b->label_names, copy);
    g_hash_table_insert(b->labels, copy, GUINT_TO_POINTER(b->label_names->len));
    return b->label_names->len - 1;
}

static void tvocab_grow(tvocab *v)
{
    uint32_t cap = (v->mask + 1) * 2;
    g_free(v->slots);
    v->slots = g_new0(uint32_t, cap);
    v->mask = cap - 1;
    for (guint id = 0; id < v->keys->len; id++) {
        uint32_t i = g_array_index(v->keys, tkey, id).hash & v->mask;
        while (v->slots[i])
            i = (i + 1) & v->mask;
        v->slots[i] = id + 1;
    }
}

/* The temporary id of key (s, len, hash), added when new. */
static uint32_t tvocab_id(tvocab *v, const char *s, uint32_t len, uint32_t hash)
{
    uint32_t i = hash & v->mask;
    for (; v->slots[i]; i = (i + 1) & v->mask) {
        const tkey *k = &g_array_index(v->keys, tkey, v->slots[i] - 1);
        if (k->hash == hash && k->len == len && !memcmp(v->bytes->data + k->off, s, len))
            return v->slots[i] - 1;
    }
    tkey k = {hash, v->bytes->len, len};
    g_byte_array_append(v->bytes, (const guint8 *)s, len);
    g_byte_array_append(v->bytes, (const guint8 *)"", 1);
    g_array_append_val(v->keys, k);
    v->slots[i] = v->keys->len;
    if ((uint64_t)v->keys->len * 2 > v->mask)
        tvocab_grow(v);
    return v->keys->len - 1;
}

/* Splits text exactly as a document's text is split. */
static nerve_doc *split(nerve_gaz_builder *b, const char *text, size_t len)
{
    nerve_doc *doc = nerve_doc_new(NULL, text, len, NULL);
    nerve_normalize(b->no, doc);
    nerve_tokenize(b->tk, doc);
    return doc;
}

/* Appends the entry's blob head (term, attrs) and returns its offset. */
static gboolean blob_start(nerve_gaz_builder *b, const char *term, size_t len, const char *attrs,
                           size_t attrs_len, uint32_t *off, const char **why)
{
    if ((uint64_t)b->blobs->len + len + attrs_len + 1024 > UINT32_MAX / 2) {
        *why = "gazetteer too large (over 2 GiB of terms and attributes)";
        return FALSE;
    }
    *off = b->blobs->len;
    g_byte_array_append(b->blobs, (const guint8 *)term, (guint)len);
    g_byte_array_append(b->blobs, (const guint8 *)"", 1);
    if (attrs)
        g_byte_array_append(b->blobs, (const guint8 *)attrs, (guint)attrs_len);
    return TRUE;
}

static void add_entry(nerve_gaz_builder *b, bentry *e, const char *label)
{
    blist *l = &g_array_index(b->lists, blist, b->lists->len - 1);
    e->list = b->lists->len - 1;
    e->order = b->entries->len;
    e->label = label_id(b, label);
    e->blob_len = b->blobs->len - e->blob;
    b->max_depth = MAX(b->max_depth, e->ntok);
    g_array_append_val(b->entries, *e);
    l->n++;
}

static gboolean add_term(nerve_gaz_builder *b, const char *term, size_t len, const char *label,
                         const char *attrs, size_t attrs_len, const char **why);

gboolean nerve_gaz_builder_add_term(nerve_gaz_builder *b, const char *term, size_t len,
                                    const char *label, const char *attrs, size_t attrs_len,
                                    const char **why)
{
    g_return_val_if_fail(b->lists->len > 0, FALSE);
    const blist *l = &g_array_index(b->lists, blist, b->lists->len - 1);
    if (!add_term(b, term, len, label, attrs, attrs_len, why))
        return FALSE;
    if (!l->caps || l->case_mode != NERVE_GAZ_SENSITIVE)
        return TRUE;
    /* fewer than 4 letters keeps acronyms and words apart ("US", "us") */
    g_autofree char *up = nerve_utf8_caps_variant(term, len, 4);
    return !up || add_term(b, up, strlen(up), label, attrs, attrs_len, why);
}

static gboolean add_term(nerve_gaz_builder *b, const char *term, size_t len, const char *label,
                         const char *attrs, size_t attrs_len, const char **why)
{
    const blist *l = &g_array_index(b->lists, blist, b->lists->len - 1);
    g_autoptr(nerve_doc) doc = split(b, term, len);
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    if (n == 0) {
        *why = "the term has no token";
        return FALSE;
    }
    if (n > NERVE_GAZ_MAX_TOKENS) {
        *why = "the term has more than 128 tokens";
        return FALSE;
    }
    bentry e = {0};
    if (!blob_start(b, term, len, attrs, attrs_len, &e.blob, why))
        return FALSE;
    e.part = (uint8_t)l->case_mode;
    e.flags = attrs ? B_ATTRS : 0;
    e.ntok = (uint16_t)n;
    e.seq = b->seqs->len;
    for (size_t i = 0; i < n; i++) {
        uint32_t klen, h;
        const char *k = gaz_token_key(&t[i], e.part, b->folder, &klen, &h);
        uint32_t id = tvocab_id(&b->voc[e.part], k, klen, h);
        g_array_append_val(b->seqs, id);
    }
    add_entry(b, &e, label);
    return TRUE;
}

gboolean nerve_gaz_builder_add_pattern(nerve_gaz_builder *b, const nerve_gaz_pattern_token *toks,
                                       guint n, const char *label, const char *attrs,
                                       size_t attrs_len, const char **why)
{
    g_return_val_if_fail(b->lists->len > 0, FALSE);
    const blist *l = &g_array_index(b->lists, blist, b->lists->len - 1);
    gboolean any_exact = FALSE, any_lower = FALSE;
    g_autoptr(GString) term = g_string_new(NULL);
    for (guint i = 0; i < n; i++) {
        any_exact |= toks[i].exact;
        any_lower |= !toks[i].exact;
        g_string_append_printf(term, "%s%s", i ? " " : "", toks[i].text);
    }
    /* LOWER tokens compare like an insensitive (or fold) list; ORTH tokens
     * of a mixed pattern are checked against the norm form after a match. */
    int part = !any_lower
                   ? NERVE_GAZ_SENSITIVE
                   : (l->case_mode == NERVE_GAZ_FOLD ? NERVE_GAZ_FOLD : NERVE_GAZ_INSENSITIVE);
    bentry e = {0};
    if (!blob_start(b, term->str, term->len, attrs, attrs_len, &e.blob, why))
        return FALSE;
    e.part = (uint8_t)part;
    e.flags = (attrs ? B_ATTRS : 0) | (any_exact && any_lower ? B_VERIFY : 0);
    e.seq = b->seqs->len;
    guint total = 0;
    for (guint i = 0; i < n; i++) {
        g_autoptr(nerve_doc) doc = split(b, toks[i].text, strlen(toks[i].text));
        size_t m;
        const nerve_token *t = nerve_doc_tokens(doc, &m);
        if (m == 0 || total + m > NERVE_GAZ_MAX_TOKENS) {
            g_array_set_size(b->seqs, e.seq);
            g_byte_array_set_size(b->blobs, e.blob);
            *why = m == 0 ? "a pattern token has no text" : "the pattern has more than 128 tokens";
            return FALSE;
        }
        for (size_t j = 0; j < m; j++, total++) {
            uint32_t klen, h;
            const char *k = gaz_token_key(&t[j], part, b->folder, &klen, &h);
            uint32_t id = tvocab_id(&b->voc[part], k, klen, h);
            g_array_append_val(b->seqs, id);
            if (e.flags & B_VERIFY) {
                if (toks[i].exact)
                    g_byte_array_append(b->blobs, (const guint8 *)t[j].norm.s, t[j].norm.len);
                g_byte_array_append(b->blobs, (const guint8 *)"", 1);
            }
        }
    }
    e.ntok = (uint16_t)total;
    add_entry(b, &e, label);
    return TRUE;
}
