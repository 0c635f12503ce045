/* gazfile.c - a compiled gazetteer used in place: load, check, match.
 *
 * Loading validates what every later access relies on (gazfile.h) and
 * interns the few labels and list sources; the big tables are left
 * untouched until matching looks at them, so a million entries load in
 * about the time of the checksum.  Every offset read from the tables is
 * checked against its section before it is followed.
 *
 * Matching, per document and per case mode present: each token's key is
 * looked up at most once in the vocabulary (token forms carry their hash,
 * so only fold keys of non-ASCII tokens are computed here), giving an
 * array of token ids.  Small filters of the vocabulary's hashes, made at
 * load, keep most tokens away from the vocabulary, which for a large list
 * is far larger than the CPU cache: a filter of the keys that start
 * entries picks the tokens looked up first (the fold part looks up every
 * token), and a token after one of them is looked up (through the filter
 * of all keys) only when a walk reaches it, so words that start no entry
 * (of, Inc.) cost a filter probe, not a vocabulary lookup, wherever else
 * they occur.  Then from each token that starts some entry the trie is
 * walked edge by edge (one hash probe per token), collecting the nodes
 * where entries end.  Those nodes are taken deepest first: a list in mode
 * "longest" keeps only its deepest entries from that start, a list in
 * mode "all" keeps every one (flagged NESTED).  Entries of different
 * lists are all added; the caller resolves overlaps.  Nothing is
 * allocated per token.
 */
#include "nerve/gazfile.h"

#include <string.h>

#include "gazformat.h"
#include "nerve/error.h"
#include "nerve/gazcompile.h"

/* A blocked Bloom filter of key hashes (vocab_filter()). */
typedef struct {
    uint64_t *words; /* NULL when the part is empty */
    uint32_t shift;  /* a hash's word: hash >> shift */
} bloom;

typedef struct {
    const gaz_vocab *vocab;
    const gaz_edge *edges;
    uint32_t vmask, emask, vprobe, eprobe;
    bloom keys;   /* every key of the vocabulary */
    bloom starts; /* the keys that lead somewhere from the root: first tokens of entries */
} gpart;

typedef struct {
    const char *source; /* interned "gazetteer:<name>" */
    const char *name;   /* in the file */
    int32_t priority;
    uint32_t mode, first, n_entries, source_index;
} glist;

struct nerve_gaz {
    char *name;
    GMappedFile *map;
    GBytes *bytes;
    const unsigned char *data;
    size_t len;
    gaz_header h;
    const gaz_entry *entries;
    const char *strings;
    size_t strings_size;
    gpart parts[GAZ_PARTS];
    glist *lists;
    const char **labels; /* interned */
    gboolean trusted;    /* content checksum verified: strings are as the compiler wrote them */
};

static gboolean bad(GError **error, const nerve_gaz *g, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static gboolean bad(GError **error, const nerve_gaz *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "%s: %s", g->name, msg);
    return FALSE;
}

/* A section inside the file, aligned, of count elements of size elem. */
static gboolean section_ok(const nerve_gaz *g, const gaz_section *s, uint64_t count, size_t elem)
{
    return s->off % 8 == 0 && s->off >= sizeof(gaz_header) && s->off <= g->len &&
           s->size <= g->len - s->off && (elem == 0 || s->size == count * elem);
}

/* A NUL-terminated string at off in strings, or NULL. */
static const char *str_at(const nerve_gaz *g, uint64_t off)
{
    return off && off < g->strings_size ? g->strings + off : NULL;
}

static gboolean check_header(nerve_gaz *g, guint flags, GError **error)
{
    const gaz_header *h = &g->h;
    if (g->len < 8 || memcmp(g->data, GAZ_MAGIC, 8))
        return bad(error, g, "not a nerve gazetteer (no NERVEGAZ signature)");
    if (g->len < sizeof(gaz_header))
        return bad(error, g, "truncated: %zu bytes, shorter than the header", g->len);
    memcpy(&g->h, g->data, sizeof g->h);
    if (h->byte_order == GUINT32_SWAP_LE_BE(GAZ_BYTE_ORDER))
        return bad(error, g, "written on a machine of the other byte order: recompile it here");
    if (h->version != GAZ_VERSION)
        return bad(error, g,
                   "format version %u; this nerve reads version %u: recompile the "
                   "lists with nerve gazetteer compile",
                   h->version, GAZ_VERSION);
    if (!(flags & NERVE_GAZ_NO_CHECKSUM) &&
        (h->byte_order != GAZ_BYTE_ORDER ||
         h->header_sum != gaz_sum64(h, offsetof(gaz_header, header_sum))))
        return bad(error, g, "corrupt header (checksum mismatch)");
    if (h->file_size != g->len)
        return bad(error, g,
                   g->len < h->file_size ? "truncated: %zu of %" G_GUINT64_FORMAT " bytes"
                                         : "%zu bytes where the header says %" G_GUINT64_FORMAT,
                   g->len, h->file_size);
    if (h->n_lists > GAZ_MAX_LISTS || h->n_entries >= GAZ_INFO_ENTRY ||
        h->max_depth > NERVE_GAZ_MAX_TOKENS)
        return bad(error, g, "corrupt header (counts out of range)");
    if (!section_ok(g, &h->lists, h->n_lists, sizeof(gaz_list)) ||
        !section_ok(g, &h->labels, h->n_labels, sizeof(uint32_t)) ||
        !section_ok(g, &h->entries, h->n_entries, sizeof(gaz_entry)) ||
        !section_ok(g, &h->strings, 0, 0))
        return bad(error, g, "corrupt section table");
    for (int p = 0; p < GAZ_PARTS; p++) {
        const gaz_part *pt = &h->parts[p];
        gboolean pow2 = (pt->vocab_slots & (pt->vocab_slots - 1)) == 0 &&
                        (pt->edge_slots & (pt->edge_slots - 1)) == 0;
        if (!pow2 || (pt->vocab_slots == 0) != (pt->edge_slots == 0) ||
            pt->vocab_probe > pt->vocab_slots || pt->edge_probe > pt->edge_slots ||
            pt->vocab_slots > (1u << 31) || pt->edge_slots > (1u << 31) ||
            !section_ok(g, &pt->vocab, pt->vocab_slots, sizeof(gaz_vocab)) ||
            !section_ok(g, &pt->edges, pt->edge_slots, sizeof(gaz_edge)))
            return bad(error, g, "corrupt table of case mode %d", p);
        g->parts[p] = (gpart){(const gaz_vocab *)(const void *)(g->data + pt->vocab.off),
                              (const gaz_edge *)(const void *)(g->data + pt->edges.off),
                              pt->vocab_slots - 1,
                              pt->edge_slots - 1,
                              pt->vocab_probe,
                              pt->edge_probe,
                              {NULL, 0},
                              {NULL, 0}};
    }
    g->strings = (const char *)g->data + h->strings.off;
    g->strings_size = h->strings.size;
    g->entries = (const gaz_entry *)(const void *)(g->data + h->entries.off);
    static const char zeros[GAZ_STR_HEAD];
    if (g->strings_size < GAZ_STR_HEAD + GAZ_STR_TAIL || memcmp(g->strings, zeros, GAZ_STR_HEAD) ||
        memcmp(g->strings + g->strings_size - GAZ_STR_TAIL, zeros, GAZ_STR_TAIL))
        return bad(error, g, "corrupt string table");
    return TRUE;
}

static gboolean load_names(nerve_gaz *g, GError **error)
{
    const gaz_list *ls = (const gaz_list *)(const void *)(g->data + g->h.lists.off);
    g->lists = g_new0(glist, g->h.n_lists + 1);
    for (uint32_t i = 0; i < g->h.n_lists; i++) {
        const char *name = str_at(g, ls[i].name);
        if (!name || !*name || !g_utf8_validate(name, -1, NULL) || ls[i].case_mode >= GAZ_PARTS ||
            ls[i].mode > NERVE_GAZ_ALL)
            return bad(error, g, "corrupt list %u", i);
        g_autofree char *src = g_strconcat("gazetteer:", name, NULL);
        g->lists[i] =
            (glist){g_intern_string(src), name,        ls[i].priority, ls[i].mode, ls[i].first,
                    ls[i].n_entries,      ls[i].source};
    }
    const uint32_t *lab = (const uint32_t *)(const void *)(g->data + g->h.labels.off);
    g->labels = g_new0(const char *, g->h.n_labels + 1);
    for (uint32_t i = 0; i < g->h.n_labels; i++) {
        const char *s = str_at(g, lab[i]);
        if (!s || !*s || !g_utf8_validate(s, -1, NULL))
            return bad(error, g, "corrupt label %u", i);
        g->labels[i] = g_intern_string(s);
    }
    return TRUE;
}

static gboolean check_all(const nerve_gaz *g, GError **error);

/* Each part's vocabulary filters (of all keys, of the keys that start
 * entries): a bit array with two bits set per key hash, both in the
 * 64-bit word hash >> shift (a blocked Bloom filter), about 8 to 16 bits
 * per key.  Most tokens of a text are in no list (with
 * a large list the vocabulary is far larger than the CPU cache): one word
 * of the filter, which is small enough to stay in cache, turns most of
 * them away, and only the rest (2 to 3% false positives) probe the
 * vocabulary.  Made from the slots themselves at load (a pass over the
 * vocabulary), so a key vocab_find() can find always passes its filters:
 * lookups give the same ids with or without them. */
#define BIT4(n)  1ull << (n), 1ull << ((n) + 1), 1ull << ((n) + 2), 1ull << ((n) + 3)
#define BIT16(n) BIT4(n), BIT4((n) + 4), BIT4((n) + 8), BIT4((n) + 12)

static inline uint64_t filter_bits(uint32_t hash)
{
    /* a table instead of two shifts by a variable count, which x86-64
     * without BMI2 makes a handful of instructions each */
    static const uint64_t bit[64] = {BIT16(0), BIT16(16), BIT16(32), BIT16(48)};
    return bit[hash & 63] | bit[(hash >> 6) & 63];
}

static inline gboolean bloom_has(const bloom *b, uint32_t hash)
{
    uint64_t m = filter_bits(hash);
    return (b->words[hash >> b->shift] & m) == m;
}

/* An empty filter for n keys: about 8 to 16 bits per key. */
static void bloom_init(bloom *b, uint64_t n)
{
    uint64_t words = 8; /* shift <= 29 */
    int wbits = 3;
    while (words * 64 < n * 8)
        words *= 2, wbits++;
    b->words = g_new0(uint64_t, words);
    b->shift = (uint32_t)(32 - wbits);
}

static inline void bloom_add(bloom *b, uint32_t hash)
{
    b->words[hash >> b->shift] |= filter_bits(hash);
}

/* Each part's filters of its keys and of the keys that start entries (not
 * for the fold part: token_ids() looks up all its tokens, their fold keys
 * being computed anyway). */
static void vocab_filter(nerve_gaz *g)
{
    for (int p = 0; p < GAZ_PARTS; p++) {
        gpart *pt = &g->parts[p];
        uint32_t slots = g->h.parts[p].vocab_slots, n_starts = 0;
        gboolean starts = p != NERVE_GAZ_FOLD;
        if (!slots)
            continue;
        for (uint32_t i = 0; starts && i < slots; i++)
            n_starts += pt->vocab[i].len && pt->vocab[i].root;
        bloom_init(&pt->keys, MIN(g->h.parts[p].n_keys, slots));
        if (starts)
            bloom_init(&pt->starts, n_starts);
        for (uint32_t i = 0; i < slots; i++)
            if (pt->vocab[i].len) {
                bloom_add(&pt->keys, pt->vocab[i].hash);
                if (starts && pt->vocab[i].root)
                    bloom_add(&pt->starts, pt->vocab[i].hash);
            }
    }
}

/* Chunk checksums for chunks [first, first + n) of the content. */
typedef struct {
    const unsigned char *content;
    size_t len, first, n;
    uint64_t *sums;
} sum_job;

static gpointer sum_chunks(gpointer data)
{
    sum_job *j = data;
    for (size_t c = j->first; c < j->first + j->n; c++) {
        size_t off = c * GAZ_SUM_CHUNK;
        j->sums[c] = gaz_sum64(j->content + off, MIN(GAZ_SUM_CHUNK, j->len - off));
    }
    return NULL;
}

/* The content checksum, chunks shared among up to 4 threads: the file is
 * read at memory speed on every core, so a 100 MB .gaz checks in a few
 * ms. */
static uint64_t content_sum(const nerve_gaz *g)
{
    const unsigned char *content = g->data + sizeof(gaz_header);
    size_t len = g->len - sizeof(gaz_header), chunks = (len + GAZ_SUM_CHUNK - 1) / GAZ_SUM_CHUNK;
    g_autofree uint64_t *sums = g_new0(uint64_t, chunks + 1);
    guint nt = (guint)MIN(MIN(g_get_num_processors(), 4u), chunks / 4 + 1);
    sum_job jobs[4];
    GThread *threads[4] = {NULL};
    for (guint t = 0; t < nt; t++) {
        jobs[t] =
            (sum_job){content, len, chunks * t / nt, chunks * (t + 1) / nt - chunks * t / nt, sums};
        if (t > 0)
            threads[t] = g_thread_try_new("nerve-gaz-sum", sum_chunks, &jobs[t], NULL);
        if (t > 0 && !threads[t])
            sum_chunks(&jobs[t]);
    }
    sum_chunks(&jobs[0]);
    for (guint t = 1; t < nt; t++)
        if (threads[t])
            g_thread_join(threads[t]);
    return gaz_sum64(sums, chunks * sizeof(uint64_t));
}

static nerve_gaz *finish_load(nerve_gaz *g, guint flags, GError **error)
{
    if ((uintptr_t)g->data % 8) {
        bad(error, g, "not 8-byte aligned in memory");
        nerve_gaz_free(g);
        return NULL;
    }
    gboolean ok = check_header(g, flags, error);
    if (ok && !(flags & NERVE_GAZ_NO_CHECKSUM) &&
        (flags & (NERVE_GAZ_CHECK_CONTENT | NERVE_GAZ_CHECK_ALL)) &&
        g->h.content_sum != content_sum(g))
        ok = bad(error, g, "corrupt content (checksum mismatch)");
    ok = ok && load_names(g, error);
    ok = ok && (!(flags & NERVE_GAZ_CHECK_ALL) || check_all(g, error));
    if (ok)
        vocab_filter(g);
    /* strings are as the compiler wrote them (valid UTF-8, attrs well
     * formed) when the checksum says so, or when check_all() read them all */
    g->trusted = ok && (flags & NERVE_GAZ_CHECK_ALL ||
                        ((flags & NERVE_GAZ_CHECK_CONTENT) && !(flags & NERVE_GAZ_NO_CHECKSUM)));
    if (!ok) {
        nerve_gaz_free(g);
        return NULL;
    }
    return g;
}

nerve_gaz *nerve_gaz_open(const char *path, guint flags, GError **error)
{
    GError *io = NULL;
    GMappedFile *map = g_mapped_file_new(path, FALSE, &io);
    if (!map) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "cannot read gazetteer: %s",
                    io->message);
        g_error_free(io);
        return NULL;
    }
    nerve_gaz *g = g_new0(nerve_gaz, 1);
    g->name = g_strdup(path);
    g->map = map;
    g->data = (const unsigned char *)g_mapped_file_get_contents(map);
    g->len = g_mapped_file_get_length(map);
    if (!g->data) {
        static const guint64 empty;
        g->data = (const unsigned char *)&empty;
    }
    return finish_load(g, flags, error);
}

nerve_gaz *nerve_gaz_new_from_bytes(GBytes *bytes, const char *name, guint flags, GError **error)
{
    nerve_gaz *g = g_new0(nerve_gaz, 1);
    g->name = g_strdup(name);
    g->bytes = g_bytes_ref(bytes);
    gsize len;
    g->data = g_bytes_get_data(bytes, &len);
    g->len = len;
    if (!g->data) {
        static const guint64 empty;
        g->data = (const unsigned char *)&empty;
    }
    return finish_load(g, flags, error);
}

void nerve_gaz_free(nerve_gaz *g)
{
    if (!g)
        return;
    if (g->map)
        g_mapped_file_unref(g->map);
    if (g->bytes)
        g_bytes_unref(g->bytes);
    for (int p = 0; p < GAZ_PARTS; p++) {
        g_free(g->parts[p].keys.words);
        g_free(g->parts[p].starts.words);
    }
    g_free(g->lists);
    g_free(g->labels);
    g_free(g->name);
    g_free(g);
}

const char *nerve_gaz_name(const nerve_gaz *g)
{
    return g->name;
}

guint nerve_gaz_n_entries(const nerve_gaz *g)
{
    return g->h.n_entries;
}

guint nerve_gaz_n_lists(const nerve_gaz *g)
{
    return g->h.n_lists;
}

uint64_t nerve_gaz_cache_key(const nerve_gaz *g)
{
    return g->h.cache_key;
}

uint64_t nerve_gaz_settings_hash(const nerve_gaz *g)
{
    return g->h.settings_hash;
}

const char *nerve_gaz_list_name(const nerve_gaz *g, guint i)
{
    g_return_val_if_fail(i < g->h.n_lists, NULL);
    return g->lists[i].name;
}

guint nerve_gaz_list_source(const nerve_gaz *g, guint i)
{
    g_return_val_if_fail(i < g->h.n_lists, 0);
    return g->lists[i].source_index;
}

uint32_t nerve_gaz_list_first(const nerve_gaz *g, guint i)
{
    g_return_val_if_fail(i < g->h.n_lists, 0);
    return g->lists[i].first;
}

guint nerve_gaz_list_n_entries(const nerve_gaz *g, guint i)
{
    g_return_val_if_fail(i < g->h.n_lists, 0);
    return g->lists[i].n_entries;
}

/* --- entries ------------------------------------------------------------------ */

/* An entry's blob, split and bounds-checked. */
typedef struct {
    const char *term, *attrs, *verify; /* attrs, verify: NULL when absent */
} blob;

/* Skips the string at p; NULL when it does not end inside strings. */
static const char *skip_str(const nerve_gaz *g, const char *p, gboolean check_utf8)
{
    const char *end = g->strings + g->strings_size;
    if (p < g->strings || p >= end)
        return NULL;
    size_t n = strlen(p); /* ends at the NULs closing the table at the latest */
    if (check_utf8 && !g_utf8_validate(p, (gssize)n, NULL))
        return NULL;
    return p + n + 1 < end ? p + n + 1 : NULL;
}

/* The strings of entry e.  Their offsets are always checked; the strings
 * themselves (UTF-8, attrs layout) are read only when full, when the file's
 * content checksum was not verified, or to find the verify strings. */
static gboolean read_blob(const nerve_gaz *g, const gaz_entry *e, gboolean full, blob *out)
{
    out->term = str_at(g, e->term);
    out->attrs = e->list & GAZ_E_ATTRS ? str_at(g, e->attrs) : NULL;
    out->verify = NULL;
    if (!out->term || ((e->list & GAZ_E_ATTRS) && !out->attrs))
        return FALSE;
    if (!full && g->trusted && !(e->list & GAZ_E_VERIFY))
        return TRUE;
    const char *p = skip_str(g, out->term, TRUE);
    if (p && out->attrs) {
        p = out->attrs;
        while (p && *p) {
            p = skip_str(g, p, TRUE);
            p = p ? skip_str(g, p, TRUE) : NULL;
        }
        p = p && p + 1 < g->strings + g->strings_size ? p + 1 : NULL;
    }
    if (p && (e->list & GAZ_E_VERIFY))
        out->verify = p;
    return p != NULL;
}

/* Whether the tokens from t on have the exact forms the entry requires. */
static gboolean verify_tokens(const nerve_gaz *g, const char *p, const nerve_token *t,
                              uint32_t depth)
{
    for (uint32_t k = 0; k < depth; k++) {
        const char *next = skip_str(g, p, FALSE);
        if (!next)
            return FALSE;
        size_t n = (size_t)(next - p) - 1;
        if (n && (n != t[k].norm.len || memcmp(p, t[k].norm.s, n)))
            return FALSE;
        p = next;
    }
    return TRUE;
}

static gboolean check_all(const nerve_gaz *g, GError **error)
{
    for (int p = 0; p < GAZ_PARTS; p++) {
        const gpart *pt = &g->parts[p];
        uint32_t vslots = g->h.parts[p].vocab_slots, eslots = g->h.parts[p].edge_slots;
        for (uint32_t i = 0; i < vslots; i++) {
            const gaz_vocab *v = &pt->vocab[i];
            if (!v->len)
                continue;
            const char *key = gaz_vocab_key(v, g->strings, g->strings_size);
            if (!key || v->hash != nerve_hash(key, v->len) || !g_utf8_validate(key, v->len, NULL) ||
                ((i - v->hash) & pt->vmask) > pt->vprobe ||
                (v->root && (v->root > eslots || pt->edges[v->root - 1].token != i ||
                             pt->edges[v->root - 1].parent != 0 ||
                             pt->edges[v->root - 1].info != v->root_info)))
                return bad(error, g, "corrupt vocabulary slot %u of case mode %d", i, p);
        }
        for (uint32_t i = 0; i < eslots; i++) {
            const gaz_edge *e = &pt->edges[i];
            if (e->token == GAZ_EMPTY_TOKEN)
                continue;
            uint32_t entry = e->info & GAZ_INFO_ENTRY;
            if (e->token >= vslots || !pt->vocab[e->token].len || e->parent > eslots ||
                (e->parent && pt->edges[e->parent - 1].token == GAZ_EMPTY_TOKEN) ||
                entry > g->h.n_entries ||
                ((i - gaz_edge_home(e->parent, e->token)) & pt->emask) > pt->eprobe)
                return bad(error, g, "corrupt edge %u of case mode %d", i, p);
        }
    }
    for (uint32_t i = 0; i < g->h.n_entries; i++) {
        const gaz_entry *e = &g->entries[i];
        blob b;
        if ((e->list & GAZ_LIST_MASK) >= g->h.n_lists || e->label >= g->h.n_labels ||
            !read_blob(g, e, TRUE, &b))
            return bad(error, g, "corrupt entry %u", i);
    }
    return TRUE;
}

/* --- matching ------------------------------------------------------------------ */

typedef struct {
    const nerve_gaz *g;
    nerve_doc *doc;
    const nerve_token *toks;
    const uint32_t *order_base;
    uint32_t *seen_walk, *seen_depth; /* per list: the deepest match of this start */
    uint32_t walk;
} matcher;

typedef struct {
    uint32_t entry, depth;
} hit;

/* How many walks ahead the second step of a walk is prefetched. */
#define STEP_AHEAD 4
/* How many tokens ahead their word of a filter is prefetched. */
#define FILTER_AHEAD 16

static uint32_t vocab_find(const nerve_gaz *g, const gpart *pt, const char *s, uint32_t len,
                           uint32_t hash)
{
    uint32_t i = hash & pt->vmask;
    for (uint32_t k = 0; k <= pt->vprobe; k++, i = (i + 1) & pt->vmask) {
        const gaz_vocab *v = &pt->vocab[i];
        if (!v->len)
            break;
        if (v->hash == hash && v->len == len) {
            const char *key = gaz_vocab_key(v, g->strings, g->strings_size);
            if (key && swar_same_bytes(key, s, len))
                return i;
        }
    }
    return GAZ_EMPTY_TOKEN;
}

/* The slot of edge (parent, token), or -1. */
static int64_t edge_find(const gpart *pt, uint32_t parent, uint32_t token)
{
    uint32_t i = gaz_edge_home(parent, token) & pt->emask;
    for (uint32_t k = 0; k <= pt->eprobe; k++, i = (i + 1) & pt->emask) {
        const gaz_edge *e = &pt->edges[i];
        if (e->token == GAZ_EMPTY_TOKEN)
            break;
        if (e->token == token && e->parent == parent)
            return i;
    }
    return -1;
}

static gboolean add_entity(matcher *m, const gaz_entry *e, uint32_t start, uint32_t depth,
                           GError **error)
{
    const nerve_gaz *g = m->g;
    uint32_t list = e->list & GAZ_LIST_MASK;
    if (list >= g->h.n_lists || e->label >= g->h.n_labels)
        return bad(error, g, "corrupt entry %u", (uint32_t)(e - g->entries));
    const glist *l = &g->lists[list];
    if (l->mode == NERVE_GAZ_LONGEST && m->seen_walk[list] == m->walk &&
        m->seen_depth[list] > depth)
        return TRUE; /* a longer entry of this list starts here */
    blob b;
    if (!read_blob(g, e, FALSE, &b))
        return bad(error, g, "corrupt entry %u", (uint32_t)(e - g->entries));
    if (b.verify && !verify_tokens(g, b.verify, m->toks + start, depth))
        return TRUE;
    nerve_entity *ent = nerve_doc_add_entity(m->doc);
    ent->tok_start = start;
    ent->tok_end = start + depth;
    nerve_doc_entity_span(m->doc, ent);
    ent->label = g->labels[e->label];
    ent->source = l->source;
    ent->entry = b.term;
    ent->attrs = b.attrs;
    ent->priority = l->priority;
    ent->order = (m->order_base ? m->order_base[list] : l->first) + (e->order - l->first);
    ent->phase = 0;
    ent->flags = l->mode == NERVE_GAZ_ALL ? NERVE_ENTITY_NESTED : 0;
    m->seen_walk[list] = m->walk;
    m->seen_depth[list] = depth;
    return TRUE;
}

/* Adds the entities for the matches from token start: hits deepest first. */
static gboolean emit(matcher *m, hit *hits, uint32_t n, uint32_t start, GError **error)
{
    for (uint32_t i = 1; i < n; i++) /* insertion sort by depth, descending */
        for (uint32_t j = i; j > 0 && hits[j - 1].depth < hits[j].depth; j--) {
            hit t = hits[j];
            hits[j] = hits[j - 1];
            hits[j - 1] = t;
        }
    m->walk++;
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t k = hits[i].entry; k < m->g->h.n_entries; k++) {
            const gaz_entry *e = &m->g->entries[k];
            if (!add_entity(m, e, start, hits[i].depth, error))
                return FALSE;
            if (e->list & GAZ_E_LAST)
                break;
        }
    }
    return TRUE;
}

/* The id of a token not looked up yet: the parts other than fold look up
 * only the tokens that may start an entry at first, the others when a
 * walk reaches them (vocabulary slots are fewer than 2^31). */
#define ID_UNKNOWN 0xFFFFFFFEu

/* The id of token j in case mode p, looked up now when unknown. */
static inline uint32_t token_id(const nerve_gaz *g, int p, const nerve_token *t, uint32_t *ids,
                                uint32_t j)
{
    if (ids[j] != ID_UNKNOWN)
        return ids[j];
    const nerve_str *k = p ? &t[j].lower : &t[j].norm; /* gaz_token_key() of parts 0 and 1 */
    const gpart *pt = &g->parts[p];
    ids[j] =
        bloom_has(&pt->keys, k->hash) ? vocab_find(g, pt, k->s, k->len, k->hash) : GAZ_EMPTY_TOKEN;
    return ids[j];
}

/* Walks the trie of every case mode from token i; returns the number of
 * hits. */
static uint32_t walk(const nerve_gaz *g, const nerve_token *t, uint32_t *const *ids,
                     uint32_t *const *roots, uint32_t i, uint32_t end, hit *hits)
{
    uint32_t n = 0;
    for (int p = 0; p < GAZ_PARTS; p++) {
        uint32_t node = roots[p] ? roots[p][i] : 0;
        if (!node)
            continue;
        const gpart *pt = &g->parts[p];
        uint32_t stop = MIN(end, i + g->h.max_depth), info = pt->vocab[ids[p][i]].root_info;
        for (uint32_t j = i;;) {
            if (info & GAZ_INFO_ENTRY) {
                hits[n++] = (hit){(info & GAZ_INFO_ENTRY) - 1, j - i + 1};
                __builtin_prefetch(&g->entries[MIN((info & GAZ_INFO_ENTRY) - 1, g->h.n_entries)]);
            }
            if (!(info & GAZ_HAS_CHILDREN) || ++j >= stop)
                break;
            uint32_t id = token_id(g, p, t, ids[p], j);
            int64_t s = id == GAZ_EMPTY_TOKEN ? -1 : edge_find(pt, node, id);
            if (s < 0)
                break;
            node = (uint32_t)s + 1;
            info = pt->edges[s].info;
        }
    }
    return n;
}

/* Looks up the token after i, for the walks from i that go on, and
 * prefetches their second step. */
static void prefetch_step(const nerve_gaz *g, const nerve_token *t, uint32_t *const *ids,
                          uint32_t *const *roots, uint32_t i)
{
    for (int p = 0; p < GAZ_PARTS; p++) {
        const gpart *pt = &g->parts[p];
        if (!roots[p] || !roots[p][i] || !(pt->vocab[ids[p][i]].root_info & GAZ_HAS_CHILDREN))
            continue;
        uint32_t id = token_id(g, p, t, ids[p], i + 1);
        if (id != GAZ_EMPTY_TOKEN)
            __builtin_prefetch(&pt->edges[gaz_edge_home(roots[p][i], id) & pt->emask]);
    }
}

/* Token ids of the document for case mode p, the node each leads to from
 * the root (0: none), and mark[i] set for the tokens that lead somewhere.
 * Two passes: the first lists the tokens that pass the filter of first
 * tokens in cand (their key hash is the token's: only fold keys of
 * non-ASCII tokens are computed, so the fold part lists every token) and
 * prefetches their vocabulary slots, so that the second pass, which looks
 * them up, finds the slots in cache or on their way.  The other tokens
 * are left ID_UNKNOWN, except in the fold part. */
static void token_ids(const nerve_gaz *g, int p, const nerve_token *t, uint32_t n,
                      nerve_folder **folder, uint32_t *ids, uint32_t *roots, uint8_t *mark,
                      uint32_t *cand)
{
    const gpart *pt = &g->parts[p];
    uint32_t edge_slots = g->h.parts[p].edge_slots, nc = 0;
    if (p == NERVE_GAZ_FOLD) {
        for (uint32_t i = 0; i < n; i++)
            cand[i] = i, ids[i] = GAZ_EMPTY_TOKEN, roots[i] = 0;
        nc = n;
        if (!*folder)
            *folder = nerve_folder_new();
    } else {
        /* the key hashes, one every sizeof(nerve_token) bytes */
        const uint32_t *hp = (const uint32_t *)(const void *)((const char *)t +
                                                              (p ? offsetof(nerve_token, lower)
                                                                 : offsetof(nerve_token, norm)) +
                                                              offsetof(nerve_str, hash));
        const size_t step = sizeof(nerve_token) / sizeof(uint32_t);
        const uint64_t *filter = pt->starts.words;
        const uint32_t shift = pt->starts.shift, vmask = pt->vmask;
        for (uint32_t i = 0; i < n; i++, hp += step) {
            uint32_t h = *hp;
            uint64_t m = filter_bits(h);
            if (i + FILTER_AHEAD < n)
                __builtin_prefetch(&filter[hp[FILTER_AHEAD * step] >> shift]);
            ids[i] = ID_UNKNOWN, roots[i] = 0;
            if ((filter[h >> shift] & m) == m) {
                __builtin_prefetch(&pt->vocab[h & vmask]);
                cand[nc++] = i;
            }
        }
    }
    for (uint32_t c = 0; c < nc; c++) {
        uint32_t i = cand[c], len, hash, id = GAZ_EMPTY_TOKEN;
        const char *k = gaz_token_key(&t[i], p, *folder, &len, &hash);
        if (p != NERVE_GAZ_FOLD || bloom_has(&pt->keys, hash)) /* the others passed starts */
            id = vocab_find(g, pt, k, len, hash);
        ids[i] = id;
        if (id != GAZ_EMPTY_TOKEN && pt->vocab[id].root && pt->vocab[id].root <= edge_slots) {
            roots[i] = pt->vocab[id].root;
            mark[i] = 1;
        }
    }
}

/* Walks from each of the n starts, up to its end, and adds the matches. */
static gboolean run_walks(matcher *m, uint32_t *const *ids, uint32_t *const *roots,
                          const uint32_t *starts, const uint32_t *ends, uint32_t n, GError **error)
{
    hit hits[GAZ_PARTS * NERVE_GAZ_MAX_TOKENS];
    for (uint32_t c = 0; c < n; c++) {
        uint32_t a = c + STEP_AHEAD;
        if (a < n && starts[a] + 1 < ends[a])
            prefetch_step(m->g, m->toks, ids, roots, starts[a]);
        uint32_t nh = walk(m->g, m->toks, ids, roots, starts[c], ends[c], hits);
        if (nh && !emit(m, hits, nh, starts[c], error))
            return FALSE;
    }
    return TRUE;
}
gboolean nerve_gaz_match(const nerve_gaz *g, const uint32_t *order_base, nerve_doc *doc,
                         GError **error)
{
    size_t n, ns;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    const nerve_sentence *sents = nerve_doc_sentences(doc, &ns);
    if (n == 0 || g->h.n_entries == 0)
        return TRUE;
    nerve_sentence whole = {0, (uint32_t)n, 0, 0};
    if (ns == 0)
        sents = &whole, ns = 1;
    uint32_t *ids[GAZ_PARTS] = {NULL}, *roots[GAZ_PARTS] = {NULL};
    g_autofree uint32_t *buf = g_new(uint32_t, 2 * n * GAZ_PARTS + 2 * (size_t)g->h.n_lists + 2);
    g_autofree uint8_t *mark = g_new0(uint8_t, n + 1);
    g_autofree uint32_t *cand = g_new(uint32_t, 2 * n);
    nerve_folder *folder = NULL;
    for (int p = 0; p < GAZ_PARTS; p++)
        if (g->h.parts[p].vocab_slots) {
            ids[p] = buf + 2 * (size_t)p * n;
            roots[p] = ids[p] + n;
            token_ids(g, p, t, (uint32_t)n, &folder, ids[p], roots[p], mark, cand);
        }
    nerve_folder_free(folder);
    uint32_t *seen = buf + 2 * n * GAZ_PARTS;
    matcher m = {g, doc, t, order_base, seen, seen + g->h.n_lists, 0};
    memset(m.seen_walk, 0, g->h.n_lists * sizeof(uint32_t));
    /* the starts of walks (marked tokens) with their sentence's end, in
     * the order of the sentences, n at a time (sentences may overlap);
     * unmarked tokens are skipped 8 at a time */
    uint32_t *starts = cand, *ends = cand + n, n_starts = 0;
    for (size_t k = 0; k < ns; k++) {
        uint32_t end = MIN(sents[k].tok_end, (uint32_t)n);
        for (uint32_t i = sents[k].tok_start; i < end;) {
            uint64_t w;
            if (i + 8 <= end && (memcpy(&w, mark + i, 8), !w)) {
                i += 8;
                continue;
            }
            if (mark[i]) {
                starts[n_starts] = i, ends[n_starts++] = end;
                if (n_starts == n) {
                    if (!run_walks(&m, ids, roots, starts, ends, n_starts, error))
                        return FALSE;
                    n_starts = 0;
                }
            }
            i++;
        }
    }
    return run_walks(&m, ids, roots, starts, ends, n_starts, error);
}
