/* gazwrite.c - writing a gazetteer builder's entries as a .gaz file
 * (gazformat.h): each case mode's entries sorted by token sequence, the
 * tries laid out in one scan of them, the string tables, and the header
 * last, with the content checksum computed on the way, through a temporary
 * file and a rename (the method is described in gazcompile.c). */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "gazbuild.h"
#include "nerve/error.h"

/* --- writing ------------------------------------------------------------------ */

/* Sequential output to a file or to memory, checksummed by chunks after
 * the header (gazformat.h). */
typedef struct {
    FILE *f;
    GByteArray *mem;
    gaz_sum chunk; /* the current chunk */
    size_t chunk_len;
    GArray *sums; /* uint64 per finished chunk */
    uint64_t pos;
    gboolean failed;
} sink;

static void sink_sum(sink *s, const unsigned char *p, size_t len)
{
    while (len) {
        size_t k = MIN(len, GAZ_SUM_CHUNK - s->chunk_len);
        gaz_sum_update(&s->chunk, p, k);
        s->chunk_len += k;
        p += k;
        len -= k;
        if (s->chunk_len == GAZ_SUM_CHUNK) {
            uint64_t v = gaz_sum_final(&s->chunk);
            g_array_append_val(s->sums, v);
            gaz_sum_init(&s->chunk);
            s->chunk_len = 0;
        }
    }
}

static uint64_t sink_content_sum(sink *s)
{
    if (s->chunk_len) {
        uint64_t v = gaz_sum_final(&s->chunk);
        g_array_append_val(s->sums, v);
    }
    return gaz_sum64(s->sums->data, s->sums->len * sizeof(uint64_t));
}

static void sink_write(sink *s, const void *data, size_t len)
{
    if (!len || s->failed)
        return;
    if (s->pos >= sizeof(gaz_header))
        sink_sum(s, data, len);
    if (s->f)
        s->failed = fwrite(data, 1, len, s->f) != len;
    else
        g_byte_array_append(s->mem, data, (guint)len);
    s->pos += len;
}

static void sink_align(sink *s)
{
    static const char zeros[8];
    sink_write(s, zeros, (8 - s->pos % 8) % 8);
}

static gaz_section sink_section(sink *s, const void *data, size_t len)
{
    sink_align(s);
    gaz_section sec = {s->pos, len};
    sink_write(s, data, len);
    return sec;
}

/* One case mode's tables, built before anything is written. */
typedef struct {
    gaz_vocab *vocab;
    gaz_edge *edges;
    uint32_t *order; /* entry indices (into b->entries) in output order */
    uint32_t n_order;
    gaz_part info;
} part_out;

static uint32_t slots_for(uint64_t n)
{
    uint64_t s = 8;
    while (s * 7 < n * 10) /* load factor at most 0.7 */
        s *= 2;
    return (uint32_t)MIN(s, (uint64_t)1 << 31);
}

/* The verify strings of an entry's blob (empty without B_VERIFY). */
static const char *verify_part(const nerve_gaz_builder *b, const bentry *x, size_t *len)
{
    const char *p = (const char *)b->blobs->data + x->blob, *end = p + x->blob_len;
    if (!(x->flags & B_VERIFY)) {
        *len = 0;
        return p;
    }
    p += strlen(p) + 1;
    if (x->flags & B_ATTRS) {
        while (*p) {
            p += strlen(p) + 1;
            p += strlen(p) + 1;
        }
        p++;
    }
    *len = (size_t)(end - p);
    return p;
}

/* Sequence, list, label, verify strings, then input order: entries that
 * differ only in attrs end up together, the first listed first. */
static int cmp_entries(gconstpointer pa, gconstpointer pb, gpointer data)
{
    const nerve_gaz_builder *b = data;
    const bentry *x = &g_array_index(b->entries, bentry, *(const uint32_t *)pa);
    const bentry *y = &g_array_index(b->entries, bentry, *(const uint32_t *)pb);
    const uint32_t *sx = &g_array_index(b->seqs, uint32_t, x->seq);
    const uint32_t *sy = &g_array_index(b->seqs, uint32_t, y->seq);
    for (guint i = 0; i < x->ntok && i < y->ntok; i++)
        if (sx[i] != sy[i])
            return sx[i] < sy[i] ? -1 : 1;
    if (x->ntok != y->ntok)
        return x->ntok < y->ntok ? -1 : 1;
    if (x->list != y->list)
        return x->list < y->list ? -1 : 1;
    if (x->label != y->label)
        return x->label < y->label ? -1 : 1;
    size_t lx, ly;
    const char *vx = verify_part(b, x, &lx), *vy = verify_part(b, y, &ly);
    int c = memcmp(vx, vy, MIN(lx, ly));
    if (c || lx != ly)
        return c ? c : (lx < ly ? -1 : 1);
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The same tokens, list, label and verify strings: only the first listed
 * of such entries is kept.  They would make candidates of the same span,
 * priority and label, of which resolution always keeps the first; keeping
 * one bounds the candidates per match when a big list repeats a name
 * with other attrs (Springfield, kb=...). */
static gboolean same_entry(const nerve_gaz_builder *b, uint32_t i, uint32_t j)
{
    const bentry *x = &g_array_index(b->entries, bentry, i);
    const bentry *y = &g_array_index(b->entries, bentry, j);
    if (x->ntok != y->ntok || x->list != y->list || x->label != y->label)
        return FALSE;
    if (memcmp(&g_array_index(b->seqs, uint32_t, x->seq), &g_array_index(b->seqs, uint32_t, y->seq),
               x->ntok * sizeof(uint32_t)))
        return FALSE;
    size_t lx, ly;
    const char *vx = verify_part(b, x, &lx), *vy = verify_part(b, y, &ly);
    return lx == ly && !memcmp(vx, vy, lx);
}

static void build_vocab(const tvocab *v, uint32_t key_base, part_out *po, uint32_t *vmap)
{
    po->info.n_keys = v->keys->len;
    po->info.vocab_slots = slots_for(v->keys->len);
    uint32_t mask = po->info.vocab_slots - 1;
    po->vocab = g_new0(gaz_vocab, po->info.vocab_slots);
    for (guint id = 0; id < v->keys->len; id++) {
        const tkey *k = &g_array_index(v->keys, tkey, id);
        uint32_t i = k->hash & mask, probe = 0;
        while (po->vocab[i].len) {
            i = (i + 1) & mask;
            probe++;
        }
        gaz_vocab *slot = &po->vocab[i];
        *slot = (gaz_vocab){k->hash, k->len, 0, 0, {{0}}};
        if (k->len <= GAZ_INLINE_KEY)
            memcpy(slot->key.bytes, v->bytes->data + k->off, k->len);
        else
            slot->key.off = key_base + k->off;
        po->info.vocab_probe = MAX(po->info.vocab_probe, probe);
        vmap[id] = i;
    }
}

static uint32_t insert_edge(part_out *po, uint32_t parent, uint32_t token)
{
    uint32_t mask = po->info.edge_slots - 1, i = gaz_edge_home(parent, token) & mask, probe = 0;
    while (po->edges[i].token != GAZ_EMPTY_TOKEN) {
        i = (i + 1) & mask;
        probe++;
    }
    po->edges[i] = (gaz_edge){parent, token, 0};
    po->info.edge_probe = MAX(po->info.edge_probe, probe);
    return i;
}

/* The number of leading tokens x and y share. */
static uint32_t common_prefix(const nerve_gaz_builder *b, const bentry *x, const bentry *y)
{
    const uint32_t *sx = &g_array_index(b->seqs, uint32_t, x->seq);
    const uint32_t *sy = &g_array_index(b->seqs, uint32_t, y->seq);
    uint32_t n = 0;
    while (n < x->ntok && n < y->ntok && sx[n] == sy[n])
        n++;
    return n;
}

/* The indices of part p's entries, sorted, without duplicates; *n_edges
 * receives the number of trie edges they need. */
static GArray *sorted_entries(nerve_gaz_builder *b, int p, uint64_t *n_edges)
{
    GArray *idx = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t i = 0; i < b->entries->len; i++)
        if (g_array_index(b->entries, bentry, i).part == p)
            g_array_append_val(idx, i);
    g_array_sort_with_data(idx, cmp_entries, b);
    uint32_t *e = (uint32_t *)(void *)idx->data, n = 0;
    *n_edges = 0;
    for (uint32_t k = 0; k < idx->len; k++) {
        if (n && same_entry(b, e[n - 1], e[k])) {
            b->n_duplicates++;
            continue;
        }
        const bentry *cur = &g_array_index(b->entries, bentry, e[k]);
        uint32_t lcp = n ? common_prefix(b, &g_array_index(b->entries, bentry, e[n - 1]), cur) : 0;
        *n_edges += cur->ntok - lcp;
        e[n++] = e[k];
    }
    g_array_set_size(idx, n);
    return idx;
}

/* Lays out the trie of the sorted entries e[0, n), the first of which will
 * be entry number first of the file. */
static void lay_trie(const nerve_gaz_builder *b, const uint32_t *e, uint32_t n,
                     const uint32_t *vmap, uint32_t first, part_out *po)
{
    po->edges = g_new(gaz_edge, po->info.edge_slots);
    for (uint32_t i = 0; i < po->info.edge_slots; i++)
        po->edges[i].token = GAZ_EMPTY_TOKEN;
    uint32_t path[NERVE_GAZ_MAX_TOKENS + 1] = {0}; /* path[d]: node at depth d */
    const bentry *prev = NULL;
    for (uint32_t k = 0; k < n; k++) {
        const bentry *cur = &g_array_index(b->entries, bentry, e[k]);
        const uint32_t *sc = &g_array_index(b->seqs, uint32_t, cur->seq);
        uint32_t lcp = prev ? common_prefix(b, prev, cur) : 0;
        prev = cur;
        if (lcp == cur->ntok)
            continue; /* the same tokens as the previous entry: same node */
        for (uint32_t d = lcp; d < cur->ntok; d++) {
            if (path[d])
                po->edges[path[d] - 1].info |= GAZ_HAS_CHILDREN;
            path[d + 1] = insert_edge(po, path[d], vmap[sc[d]]) + 1;
            if (d == 0)
                po->vocab[vmap[sc[0]]].root = path[1];
        }
        po->edges[path[cur->ntok] - 1].info |= first + k + 1;
    }
    for (uint32_t i = 0; i < po->info.vocab_slots; i++)
        if (po->vocab[i].root)
            po->vocab[i].root_info = po->edges[po->vocab[i].root - 1].info;
}

/* Builds case mode p's vocabulary, entry order and trie; first is the
 * output index of its first entry. */
static void build_part(nerve_gaz_builder *b, int p, uint32_t key_base, uint32_t first, part_out *po)
{
    g_autofree uint32_t *vmap = g_new(uint32_t, b->voc[p].keys->len + 1);
    build_vocab(&b->voc[p], key_base, po, vmap);
    uint64_t n_edges;
    GArray *idx = sorted_entries(b, p, &n_edges);
    po->n_order = idx->len;
    po->info.n_edges = (uint32_t)n_edges;
    if (idx->len) {
        po->info.edge_slots = slots_for(n_edges);
        lay_trie(b, (const uint32_t *)(void *)idx->data, idx->len, vmap, first, po);
    } else {
        po->info.vocab_slots = 0; /* keys of failed entries only */
        g_clear_pointer(&po->vocab, g_free);
    }
    po->order = (uint32_t *)(void *)g_array_free(idx, FALSE);
}

/* Writes the entries of every part, in output order, with GAZ_E_LAST on the
 * last entry of each node. */
static void write_entries(nerve_gaz_builder *b, sink *s, part_out *parts, uint32_t blob_base)
{
    for (int p = 0; p < GAZ_PARTS; p++) {
        for (uint32_t k = 0; k < parts[p].n_order; k++) {
            const bentry *x = &g_array_index(b->entries, bentry, parts[p].order[k]);
            gboolean last = k + 1 == parts[p].n_order;
            if (!last) {
                const bentry *y = &g_array_index(b->entries, bentry, parts[p].order[k + 1]);
                last = x->ntok != y->ntok || memcmp(&g_array_index(b->seqs, uint32_t, x->seq),
                                                    &g_array_index(b->seqs, uint32_t, y->seq),
                                                    x->ntok * sizeof(uint32_t));
            }
            const char *term = (const char *)b->blobs->data + x->blob;
            uint32_t attrs =
                x->flags & B_ATTRS ? blob_base + x->blob + (uint32_t)strlen(term) + 1 : 0;
            gaz_entry out = {x->list | (last ? GAZ_E_LAST : 0) |
                                 (x->flags & B_ATTRS ? GAZ_E_ATTRS : 0) |
                                 (x->flags & B_VERIFY ? GAZ_E_VERIFY : 0),
                             x->order, x->label, blob_base + x->blob, attrs};
            sink_write(s, &out, sizeof out);
        }
    }
}

/* Where everything goes in the string table: list names, labels, each
 * case mode's keys, then the entries' terms, attrs and verify strings. */
typedef struct {
    gaz_list *lists;
    uint32_t *labels;
    uint64_t key_base[GAZ_PARTS], blob_base, size;
} strings_plan;

static void plan_strings(const nerve_gaz_builder *b, strings_plan *sp)
{
    uint32_t nl = b->lists->len, nlab = b->label_names->len;
    sp->lists = g_new0(gaz_list, nl + 1);
    sp->labels = g_new0(uint32_t, nlab + 1);
    uint64_t off = GAZ_STR_HEAD;
    for (uint32_t i = 0; i < nl; i++) {
        const blist *l = &g_array_index(b->lists, blist, i);
        sp->lists[i] = (gaz_list){(uint32_t)off, l->case_mode, l->priority, l->mode,
                                  l->first,      l->n,         l->source,   0};
        off += strlen(l->name) + 1;
    }
    for (uint32_t i = 0; i < nlab; i++) {
        sp->labels[i] = (uint32_t)off;
        off += strlen(g_ptr_array_index(b->label_names, i)) + 1;
    }
    for (int p = 0; p < GAZ_PARTS; p++) {
        sp->key_base[p] = off;
        off += b->voc[p].bytes->len;
    }
    sp->blob_base = off;
    sp->size = off + b->blobs->len + GAZ_STR_TAIL;
}

static void write_strings(const nerve_gaz_builder *b, sink *s)
{
    static const char zeros[GAZ_STR_HEAD] = {0};
    sink_write(s, zeros, GAZ_STR_HEAD);
    for (uint32_t i = 0; i < b->lists->len; i++) {
        const char *name = g_array_index(b->lists, blist, i).name;
        sink_write(s, name, strlen(name) + 1);
    }
    for (uint32_t i = 0; i < b->label_names->len; i++) {
        const char *label = g_ptr_array_index(b->label_names, i);
        sink_write(s, label, strlen(label) + 1);
    }
    for (int p = 0; p < GAZ_PARTS; p++)
        sink_write(s, b->voc[p].bytes->data, b->voc[p].bytes->len);
    sink_write(s, b->blobs->data, b->blobs->len);
    sink_write(s, zeros, GAZ_STR_TAIL);
}

/* Writes the whole .gaz to s; fills *h (the header, written last by the
 * caller at offset 0). */
static gboolean write_gaz(nerve_gaz_builder *b, sink *s, gaz_header *h, GError **error)
{
    strings_plan sp;
    plan_strings(b, &sp);
    if (sp.size > UINT32_MAX || b->entries->len >= GAZ_INFO_ENTRY) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                    "gazetteer too large for the .gaz format (%u entries, %" G_GUINT64_FORMAT
                    " bytes of strings; at most 4 GiB)",
                    b->entries->len, sp.size);
        g_free(sp.lists);
        g_free(sp.labels);
        return FALSE;
    }
    part_out parts[GAZ_PARTS] = {{0}};
    uint32_t first = 0;
    b->n_duplicates = 0;
    for (int p = 0; p < GAZ_PARTS; p++) {
        build_part(b, p, (uint32_t)sp.key_base[p], first, &parts[p]);
        first += parts[p].n_order;
    }
    memset(h, 0, sizeof *h);
    sink_write(s, h, sizeof *h);
    h->lists = sink_section(s, sp.lists, b->lists->len * sizeof(gaz_list));
    h->labels = sink_section(s, sp.labels, b->label_names->len * sizeof(uint32_t));
    g_free(sp.lists);
    g_free(sp.labels);
    sink_align(s);
    h->entries.off = s->pos;
    write_entries(b, s, parts, (uint32_t)sp.blob_base);
    h->entries.size = s->pos - h->entries.off;
    for (int p = 0; p < GAZ_PARTS; p++) {
        h->parts[p] = parts[p].info;
        h->parts[p].vocab =
            sink_section(s, parts[p].vocab, parts[p].info.vocab_slots * sizeof(gaz_vocab));
        h->parts[p].edges =
            sink_section(s, parts[p].edges, parts[p].info.edge_slots * sizeof(gaz_edge));
        g_free(parts[p].vocab);
        g_free(parts[p].edges);
        g_free(parts[p].order);
    }
    sink_align(s);
    h->strings.off = s->pos;
    write_strings(b, s);
    h->strings.size = s->pos - h->strings.off;
    memcpy(h->magic, GAZ_MAGIC, 8);
    h->version = GAZ_VERSION;
    h->byte_order = GAZ_BYTE_ORDER;
    h->file_size = s->pos;
    h->source_hash = gaz_sum_final(&b->source);
    h->content_sum = sink_content_sum(s);
    h->n_lists = b->lists->len;
    h->n_labels = b->label_names->len;
    h->n_entries = first;
    h->max_depth = b->max_depth;
    return TRUE;
}

GBytes *nerve_gaz_builder_to_bytes(nerve_gaz_builder *b, uint64_t settings_hash, uint64_t cache_key,
                                   GError **error)
{
    sink s = {0};
    s.mem = g_byte_array_new();
    s.sums = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    gaz_sum_init(&s.chunk);
    gaz_header h;
    gboolean ok = write_gaz(b, &s, &h, error);
    g_array_free(s.sums, TRUE);
    if (!ok) {
        g_byte_array_free(s.mem, TRUE);
        return NULL;
    }
    h.settings_hash = settings_hash;
    h.cache_key = cache_key;
    h.header_sum = gaz_sum64(&h, offsetof(gaz_header, header_sum));
    memcpy(s.mem->data, &h, sizeof h);
    return g_byte_array_free_to_bytes(s.mem);
}

gboolean nerve_gaz_builder_write(nerve_gaz_builder *b, const char *path, uint64_t settings_hash,
                                 uint64_t cache_key, GError **error)
{
    g_autofree char *tmp = g_strdup_printf("%s.XXXXXX", path);
    int fd = g_mkstemp_full(tmp, O_RDWR, 0644);
    if (fd < 0) {
        int err = errno;
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: cannot create: %s", path,
                    g_strerror(err));
        return FALSE;
    }
    sink s = {0};
    s.f = fdopen(fd, "wb");
    s.sums = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    gaz_sum_init(&s.chunk);
    gaz_header h;
    gboolean ok = write_gaz(b, &s, &h, error);
    g_array_free(s.sums, TRUE);
    if (ok) {
        h.settings_hash = settings_hash;
        h.cache_key = cache_key;
        h.header_sum = gaz_sum64(&h, offsetof(gaz_header, header_sum));
        ok = !s.failed && fseek(s.f, 0, SEEK_SET) == 0 && fwrite(&h, sizeof h, 1, s.f) == 1;
        ok = fclose(s.f) == 0 && ok;
        if (!ok || g_rename(tmp, path) != 0) {
            int err = errno;
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: cannot write: %s", path,
                        g_strerror(err ? err : EIO));
            ok = FALSE;
        }
    } else
        fclose(s.f);
    if (!ok)
        g_unlink(tmp);
    return ok;
}
