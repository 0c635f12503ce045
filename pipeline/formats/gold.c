/* gold.c - reading annotated documents back for nerve eval (gold.h):
 * the document, the dispatch by format, and the jsonl and conll readers.
 * brat and xmi are in gold-brat.c and gold-xmi.c.
 *
 * Every reader converts its unit to byte offsets with nerve_offsets, the
 * same map the writers use in the other direction, so a round trip
 * through any format gives back the spans it started from.
 */
#include "nerve/gold.h"

#include <jansson.h>
#include <string.h>

#include "formats/gold-read.h"
#include "nerve/error.h"
#include "nerve/offsets.h"
#include "nerve/utf8.h"

nerve_gold_doc *nerve_gold_doc_new(const char *id, const char *text, size_t len)
{
    nerve_gold_doc *d = g_new0(nerve_gold_doc, 1);
    d->id = g_strdup(id);
    d->text = g_strndup(text, len);
    d->len = len;
    d->entities = g_array_new(FALSE, FALSE, sizeof(nerve_gold_entity));
    d->events = g_array_new(FALSE, FALSE, sizeof(nerve_gold_event));
    d->args = g_array_new(FALSE, TRUE, sizeof(nerve_gold_arg));
    return d;
}

void nerve_gold_doc_free(nerve_gold_doc *d)
{
    if (!d)
        return;
    g_free(d->id);
    g_free(d->text);
    g_array_free(d->entities, TRUE);
    g_array_free(d->events, TRUE);
    g_array_free(d->args, TRUE);
    if (d->tokens)
        g_array_free(d->tokens, TRUE);
    g_free(d);
}

void nerve_gold_doc_add_entity(nerve_gold_doc *d, uint32_t start, uint32_t end, const char *label)
{
    nerve_gold_entity e = {start, end, g_intern_string(label)};
    g_array_append_val(d->entities, e);
}

guint nerve_gold_doc_add_event(nerve_gold_doc *d, const char *type, uint32_t start, uint32_t end,
                               guint n_args)
{
    nerve_gold_event ev = {g_intern_string(type), start, end, d->args->len, n_args};
    g_array_set_size(d->args, d->args->len + n_args);
    g_array_append_val(d->events, ev);
    return d->events->len - 1;
}

gboolean nerve_gold_span(const void *map, int unit, size_t s, size_t e, uint32_t *bs, uint32_t *be)
{
    size_t a, b;
    if (s > e || !nerve_offsets_to_byte(map, s, (nerve_unit)unit, &a) ||
        !nerve_offsets_to_byte(map, e, (nerve_unit)unit, &b))
        return FALSE;
    *bs = (uint32_t)a;
    *be = (uint32_t)b;
    return TRUE;
}

gboolean nerve_gold_format_parse(const char *name, nerve_gold_format *f)
{
    static const char *const names[] = {"auto", "jsonl", "brat", "conll", "xmi"};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        if (!g_ascii_strcasecmp(name, names[i])) {
            *f = (nerve_gold_format)i;
            return TRUE;
        }
    return FALSE;
}

/* --- jsonl -------------------------------------------------------------------------- */

static gboolean json_span(json_t *o, const nerve_offsets *map, nerve_unit unit, uint32_t *s,
                          uint32_t *e)
{
    json_t *a = json_object_get(o, "start"), *b = json_object_get(o, "end");
    return json_is_integer(a) && json_is_integer(b) && json_integer_value(a) >= 0 &&
           nerve_gold_span(map, unit, (size_t)json_integer_value(a), (size_t)json_integer_value(b),
                           s, e);
}

/* Entities and events of one record; FALSE with a reason in *why. */
static gboolean jsonl_annotations(json_t *rec, nerve_gold_doc *d, const char **why)
{
    nerve_unit unit = NERVE_UNIT_CODEPOINT;
    json_t *u = json_object_get(rec, "offsets");
    if (json_is_string(u) && !nerve_unit_parse(json_string_value(u), &unit)) {
        *why = "unknown \"offsets\" unit";
        return FALSE;
    }
    g_autoptr(nerve_offsets) map = nerve_offsets_new(d->text, d->len);
    GHashTable *by_id = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    size_t i;
    json_t *v;
    gboolean ok = TRUE;
    json_array_foreach(json_object_get(rec, "entities"), i, v)
    {
        uint32_t s, e;
        json_t *label = json_object_get(v, "label"), *tid = json_object_get(v, "id");
        if (!json_is_string(label) || !json_span(v, map, unit, &s, &e)) {
            ok = FALSE;
            *why = "an entity without a valid span and label";
            break;
        }
        if (json_is_string(tid)) {
            uint32_t *span = g_new(uint32_t, 2);
            span[0] = s, span[1] = e;
            g_hash_table_replace(by_id, g_strdup(json_string_value(tid)), span);
        }
        nerve_gold_doc_add_entity(d, s, e, json_string_value(label));
    }
    json_array_foreach(json_object_get(rec, "events"), i, v)
    {
        uint32_t s, e;
        json_t *type = json_object_get(v, "type"), *args = json_object_get(v, "args");
        if (!ok || !json_is_string(type) ||
            !json_span(json_object_get(v, "trigger"), map, unit, &s, &e)) {
            ok = FALSE;
            *why = "an event without a type and trigger span";
            break;
        }
        guint k = nerve_gold_doc_add_event(d, json_string_value(type), s, e,
                                           (guint)json_array_size(args));
        nerve_gold_event *ev = &g_array_index(d->events, nerve_gold_event, k);
        size_t j;
        json_t *a;
        json_array_foreach(args, j, a)
        {
            nerve_gold_arg *ga = &g_array_index(d->args, nerve_gold_arg, ev->arg_first + j);
            json_t *role = json_object_get(a, "role"), *ref = json_object_get(a, "ref");
            uint32_t *span =
                json_is_string(ref) ? g_hash_table_lookup(by_id, json_string_value(ref)) : NULL;
            if (span)
                ga->start = span[0], ga->end = span[1];
            if (!json_is_string(role) ||
                (!span && !json_span(a, map, unit, &ga->start, &ga->end))) {
                ok = FALSE;
                *why = "an event argument without a role and a span or entity";
                break;
            }
            ga->role = g_intern_string(json_string_value(role));
        }
    }
    g_hash_table_destroy(by_id);
    return ok;
}

static gboolean read_jsonl(const char *path, GPtrArray *docs, GError **error)
{
    g_autofree char *data = NULL;
    gsize len;
    if (!g_file_get_contents(path, &data, &len, error))
        return FALSE;
    guint64 line = 0;
    for (char *p = data, *end = data + len; p < end; line++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *stop = nl ? nl : end;
        json_error_t jerr;
        json_t *rec = stop > p ? json_loadb(p, (size_t)(stop - p), JSON_ALLOW_NUL, &jerr) : NULL;
        char *next = stop + 1;
        gboolean blank = strspn(p, " \t\r") >= (size_t)(stop - p);
        if (!rec && !blank) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "%s:%" G_GUINT64_FORMAT ": %s", path,
                        line + 1, jerr.text);
            return FALSE;
        }
        p = next;
        if (!rec)
            continue;
        json_t *id = json_object_get(rec, "id"), *text = json_object_get(rec, "text");
        if (!json_is_string(text)) { /* an error record: the document is missing */
            json_decref(rec);
            continue;
        }
        g_autofree char *sid =
            json_is_string(id)    ? g_strdup(json_string_value(id))
            : json_is_integer(id) ? g_strdup_printf("%" JSON_INTEGER_FORMAT, json_integer_value(id))
                                  : g_strdup_printf("%" G_GUINT64_FORMAT, line + 1);
        nerve_gold_doc *d =
            nerve_gold_doc_new(sid, json_string_value(text), json_string_length(text));
        const char *why = NULL;
        if (!jsonl_annotations(rec, d, &why)) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "%s:%" G_GUINT64_FORMAT ": %s", path,
                        line + 1, why);
            nerve_gold_doc_free(d);
            json_decref(rec);
            return FALSE;
        }
        g_ptr_array_add(docs, d);
        json_decref(rec);
    }
    return TRUE;
}

/* --- conll ----------------------------------------------------------------------------- */

typedef struct {
    nerve_gold_doc *doc;
    GString *text;
    int open; /* index of the open entity's first token, or -1 */
    int last; /* ... and of its last token so far */
    const char *label;
    guint n_tokens;
} conll_ctx;

static void conll_close_entity(conll_ctx *c)
{
    if (c->open < 0)
        return;
    uint32_t *t = (uint32_t *)(void *)c->doc->tokens->data;
    nerve_gold_doc_add_entity(c->doc, t[2 * c->open], t[2 * c->last + 1], c->label);
    c->open = -1;
}

static void conll_finish_doc(conll_ctx *c, GPtrArray *docs)
{
    if (!c->doc)
        return;
    conll_close_entity(c);
    g_free(c->doc->text);
    c->doc->len = c->text->len;
    c->doc->text = g_string_free(c->text, FALSE);
    g_ptr_array_add(docs, c->doc);
    c->doc = NULL;
    c->text = NULL;
}

static void conll_start_doc(conll_ctx *c, GPtrArray *docs)
{
    conll_finish_doc(c, docs);
    char id[24];
    g_snprintf(id, sizeof id, "%u", docs->len + 1);
    c->doc = nerve_gold_doc_new(id, "", 0);
    c->doc->synthetic = TRUE;
    c->doc->tokens = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    c->text = g_string_new(NULL);
    c->open = -1;
    c->n_tokens = 0;
}

/* One token line: the first field is the token, the last the tag. */
static void conll_token(conll_ctx *c, char **f, guint n, gboolean sentence_start)
{
    if (c->text->len)
        g_string_append_c(c->text, sentence_start ? '\n' : ' ');
    uint32_t span[2] = {(uint32_t)c->text->len, 0};
    g_string_append(c->text, f[0]);
    span[1] = (uint32_t)c->text->len;
    g_array_append_vals(c->doc->tokens, span, 2);
    c->n_tokens++;
    const char *tag = n > 1 ? f[n - 1] : "O";
    char kind = tag[0];
    const char *label = strlen(tag) > 2 && (tag[1] == '-' || tag[1] == '_') ? tag + 2 : NULL;
    if (!label || !strchr("BIESLU", kind)) {
        conll_close_entity(c);
        return;
    }
    label = g_intern_string(label);
    gboolean cont =
        (kind == 'I' || kind == 'E' || kind == 'L') && c->open >= 0 && c->label == label;
    if (!cont) { /* B, S, U; or I/E after O or another label (IOB1) */
        conll_close_entity(c);
        c->open = (int)c->n_tokens - 1;
        c->label = label;
    }
    c->last = (int)c->n_tokens - 1;
    if (kind == 'E' || kind == 'L' || kind == 'S' || kind == 'U')
        conll_close_entity(c);
}

static gboolean read_conll(const char *path, GPtrArray *docs, GError **error)
{
    g_autofree char *data = NULL;
    gsize len;
    if (!g_file_get_contents(path, &data, &len, error))
        return FALSE;
    if (nerve_utf8_count_invalid(data, len, NULL)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "%s: not valid UTF-8", path);
        return FALSE;
    }
    conll_ctx c = {0};
    gboolean sentence_start = TRUE;
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    for (char **l = lines; *l; l++) {
        g_auto(GStrv) f = g_strsplit_set(g_strstrip(*l), " \t", -1);
        guint n = 0;
        for (guint i = 0; f[i]; i++)
            if (*f[i])
                f[n++] = f[i];
            else
                g_free(f[i]);
        f[n] = NULL;
        if (n && !strcmp(f[0], "-DOCSTART-")) {
            conll_start_doc(&c, docs);
            sentence_start = TRUE;
        } else if (!n) {
            if (c.doc)
                conll_close_entity(&c);
            sentence_start = TRUE;
        } else {
            if (!c.doc)
                conll_start_doc(&c, docs);
            conll_token(&c, f, n, sentence_start);
            sentence_start = FALSE;
        }
    }
    conll_finish_doc(&c, docs);
    return TRUE;
}

/* Maps a synthetic offset that is a token start (is_end FALSE) or end. */
static uint32_t remap(const uint32_t *from, const uint32_t *to, guint n, uint32_t off,
                      gboolean is_end)
{
    guint lo = 0, hi = n;
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (from[2 * mid + is_end] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n ? to[2 * lo + is_end] : (n ? to[2 * n - 1] : 0);
}

gboolean nerve_gold_doc_align(nerve_gold_doc *d, const char *id, const char *text, size_t len)
{
    if (!d->tokens)
        return FALSE;
    guint n = d->tokens->len / 2;
    const uint32_t *from = (const uint32_t *)(void *)d->tokens->data;
    uint32_t *to = g_new(uint32_t, 2 * n + 2);
    size_t pos = 0;
    for (guint i = 0; i < n; i++) {
        const char *tok = d->text + from[2 * i];
        size_t tl = from[2 * i + 1] - from[2 * i];
        while (pos < len && g_ascii_isspace(text[pos]))
            pos++;
        const char *hit = tl && pos + tl <= len && !memcmp(text + pos, tok, tl)
                              ? text + pos
                              : (tl ? g_strstr_len(text + pos, (gssize)(len - pos), tok) : NULL);
        if (!hit) {
            g_free(to);
            return FALSE;
        }
        to[2 * i] = (uint32_t)(hit - text);
        to[2 * i + 1] = to[2 * i] + (uint32_t)tl;
        pos = to[2 * i + 1];
    }
    for (guint i = 0; i < d->entities->len; i++) {
        nerve_gold_entity *e = &g_array_index(d->entities, nerve_gold_entity, i);
        e->start = remap(from, to, n, e->start, FALSE);
        e->end = remap(from, to, n, e->end, TRUE);
    }
    g_array_free(d->tokens, TRUE);
    d->tokens = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_array_append_vals(d->tokens, to, 2 * n);
    g_free(to);
    g_free(d->text);
    g_free(d->id);
    d->text = g_strndup(text, len);
    d->len = len;
    d->id = g_strdup(id);
    d->synthetic = FALSE;
    return TRUE;
}

/* --- dispatch ------------------------------------------------------------------------------ */

static gboolean has_suffix_ci(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !g_ascii_strcasecmp(s + a - b, suffix);
}

static gint cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Files under dir ending in ext, sorted, as paths relative to dir. */
static void list_files(const char *root, const char *rel, const char *ext, GPtrArray *out)
{
    g_autofree char *dir = rel ? g_build_filename(root, rel, NULL) : g_strdup(root);
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d)))
        if (name[0] != '.')
            g_ptr_array_add(names, g_strdup(name));
    g_dir_close(d);
    g_ptr_array_sort(names, cmp_names);
    for (guint i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        g_autofree char *r = rel ? g_build_filename(rel, n, NULL) : g_strdup(n);
        g_autofree char *full = g_build_filename(root, r, NULL);
        if (g_file_test(full, G_FILE_TEST_IS_DIR))
            list_files(root, r, ext, out);
        else if (has_suffix_ci(n, ext))
            g_ptr_array_add(out, g_steal_pointer(&r));
    }
    g_ptr_array_unref(names);
}

/* name -> id from the ids.tsv a directory writer left in dir. */
static GHashTable *load_ids(const char *dir)
{
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autofree char *path = g_build_filename(dir, "ids.tsv", NULL);
    g_autofree char *data = NULL;
    if (!g_file_get_contents(path, &data, NULL, NULL))
        return t;
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    for (char **l = lines; *l && l[1]; l++) {
        char *tab = strchr(*l, '\t');
        if (l == lines || !tab)
            continue;
        GString *id = g_string_new(NULL);
        for (char *p = *l; p < tab; p++)
            if (*p == '\\' && p + 1 < tab) {
                p++;
                g_string_append_c(id, *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p);
            } else
                g_string_append_c(id, *p);
        g_hash_table_replace(t, g_strdup(tab + 1), g_string_free(id, FALSE));
    }
    return t;
}

static gboolean read_dir(const char *dir, nerve_gold_format f, GPtrArray *docs, GError **error)
{
    const char *ext = f == NERVE_GOLD_BRAT ? ".ann" : ".xmi";
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    list_files(dir, NULL, ext, files);
    GHashTable *ids = load_ids(dir);
    gboolean ok = TRUE;
    for (guint i = 0; ok && i < files->len; i++) {
        const char *rel = g_ptr_array_index(files, i);
        g_autofree char *stem = g_strndup(rel, strlen(rel) - strlen(ext));
        g_autofree char *path = g_build_filename(dir, rel, NULL);
        const char *id = g_hash_table_lookup(ids, stem);
        ok = f == NERVE_GOLD_BRAT ? nerve_gold_read_brat(path, id ? id : stem, docs, error)
                                  : nerve_gold_read_xmi(path, id ? id : stem, docs, error);
    }
    g_hash_table_destroy(ids);
    g_ptr_array_unref(files);
    return ok;
}

static nerve_gold_format detect(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
        GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
        list_files(path, NULL, ".ann", files);
        nerve_gold_format f = files->len ? NERVE_GOLD_BRAT : NERVE_GOLD_XMI;
        g_ptr_array_unref(files);
        return f;
    }
    if (has_suffix_ci(path, ".ann"))
        return NERVE_GOLD_BRAT;
    if (has_suffix_ci(path, ".xmi"))
        return NERVE_GOLD_XMI;
    if (has_suffix_ci(path, ".jsonl") || has_suffix_ci(path, ".json") ||
        has_suffix_ci(path, ".ndjson"))
        return NERVE_GOLD_JSONL;
    char head[64] = "";
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, sizeof head - 1, f) : 0;
    if (f)
        fclose(f);
    head[n] = 0;
    return head[strspn(head, " \t\r\n")] == '{' ? NERVE_GOLD_JSONL : NERVE_GOLD_CONLL;
}

GPtrArray *nerve_gold_read(const char *path, nerve_gold_format format, GError **error)
{
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: no such file or directory", path);
        return NULL;
    }
    nerve_gold_format f = format == NERVE_GOLD_AUTO ? detect(path) : format;
    GPtrArray *docs = g_ptr_array_new_with_free_func((GDestroyNotify)nerve_gold_doc_free);
    gboolean ok;
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && (f == NERVE_GOLD_BRAT || f == NERVE_GOLD_XMI))
        ok = read_dir(path, f, docs, error);
    else if (f == NERVE_GOLD_BRAT || f == NERVE_GOLD_XMI) {
        g_autofree char *base = g_path_get_basename(path);
        char *dot = strrchr(base, '.');
        if (dot)
            *dot = 0;
        ok = f == NERVE_GOLD_BRAT ? nerve_gold_read_brat(path, base, docs, error)
                                  : nerve_gold_read_xmi(path, base, docs, error);
    } else
        ok = f == NERVE_GOLD_JSONL ? read_jsonl(path, docs, error) : read_conll(path, docs, error);
    if (!ok) {
        g_ptr_array_unref(docs);
        return NULL;
    }
    return docs;
}
