/* brat.c - the brat standoff writer: ID.txt + ID.ann per document and one
 * annotation.conf for the collection.
 *
 * .txt is the original text byte for byte; .ann offsets are code points
 * (brat reads the text as a Python string).  A text-bound annotation may
 * not hold a line break, so a span across one is written as fragments
 * ("0 5;6 9") whose text is joined by a space, as brat itself does.
 *
 * Lines: T for entities, for event triggers (typed by the event type, as
 * brat wants) and for event arguments that are not written entities
 * (typed by their role); E for events (a repeated role is numbered:
 * agent, agent2); N for the `kb` and `id` attrs ("Reference T1
 * geonames:2988507"); A for other attrs; AnnotatorNotes (#) for the
 * source list or rule.  Types and roles go through nerve_out_name() so
 * that the ':', ',', '|' and '=' of brat's syntax never occur in them.
 *
 * annotation.conf lists every type, role (with the types it took) and
 * attribute value seen, gathered in write() (writer thread) and written by
 * close(), so brat accepts the collection as it is.
 */
#include <string.h>

#include "formats/out.h"
#include "nerve/error.h"

#define BAD_TYPE_CHARS ":,|=;<>#"

typedef struct {
    nerve_outdir *dir;
    nerve_writer_options opts;
    GHashTable *entity_types; /* type -> NULL */
    GHashTable *events;       /* type -> (role -> (type -> NULL)) */
    GHashTable *attrs;        /* key -> (value -> NULL) */
    GHashTable *attr_on;      /* key -> GINT_TO_POINTER(1 entity | 2 event) */
} brat_state;

static char *type_name(const char *s)
{
    GString *g = g_string_new(NULL);
    nerve_out_name(g, s, BAD_TYPE_CHARS);
    return g_string_free(g, FALSE);
}

static GHashTable *subset(GHashTable *in, const char *key);
static void add(GHashTable *set, char *owned);

/* --resume: the types of the documents written by the earlier run are in
 * its annotation.conf (written by make_conf() below); they are merged
 * back, so that the resumed collection lists every type it uses.  A line
 * that does not parse is skipped: the types of this run are still
 * gathered from its documents. */
static void merge_conf(brat_state *st)
{
    char *path = g_build_filename(nerve_outdir_path(st->dir), "annotation.conf", NULL);
    char *data = NULL;
    if (!g_file_get_contents(path, &data, NULL, NULL)) {
        g_free(path);
        return;
    }
    g_free(path);
    enum { NONE, ENTITIES, EVENTS, ATTRIBUTES } section = NONE;
    char **lines = g_strsplit(data, "\n", -1);
    for (char **l = lines; *l; l++) {
        char *line = *l;
        if (!*line || *line == '#')
            continue;
        if (*line == '[') {
            section = !strcmp(line, "[entities]")     ? ENTITIES
                      : !strcmp(line, "[events]")     ? EVENTS
                      : !strcmp(line, "[attributes]") ? ATTRIBUTES
                                                      : NONE;
            continue;
        }
        char *tab = strchr(line, '\t');
        if (section == ENTITIES && !tab) {
            add(st->entity_types, g_strdup(line));
        } else if (section == EVENTS) {
            if (tab)
                *tab = '\0';
            GHashTable *roles = subset(st->events, line);
            char **parts = tab ? g_strsplit(tab + 1, ", ", -1) : NULL;
            for (char **r = parts; r && *r; r++) {
                char *colon = strstr(*r, "*:");
                if (!colon)
                    continue;
                *colon = '\0';
                GHashTable *targets = subset(roles, *r);
                char **types = g_strsplit(colon + 2, "|", -1);
                for (char **t = types; *t; t++)
                    if (**t)
                        add(targets, g_strdup(*t));
                g_strfreev(types);
            }
            g_strfreev(parts);
        } else if (section == ATTRIBUTES && tab) {
            *tab = '\0';
            const char *arg = strstr(tab + 1, "Arg:"), *value = strstr(tab + 1, ", Value:");
            if (!arg || !value)
                continue;
            int on = 0;
            if (g_strstr_len(arg, value - arg, "<ENTITY>"))
                on |= 1;
            if (g_strstr_len(arg, value - arg, "<EVENT>"))
                on |= 2;
            GHashTable *values = subset(st->attrs, line);
            char **vs = g_strsplit(value + strlen(", Value:"), "|", -1);
            for (char **v = vs; *v; v++)
                if (**v)
                    add(values, g_strdup(*v));
            g_strfreev(vs);
            int was = GPOINTER_TO_INT(g_hash_table_lookup(st->attr_on, line));
            g_hash_table_replace(st->attr_on, g_strdup(line), GINT_TO_POINTER(was | on));
        }
    }
    g_strfreev(lines);
    g_free(data);
}

static void *brat_open(const nerve_writer_options *opts, GError **error)
{
    nerve_outdir *d = nerve_outdir_open(opts->output, opts->resume, error);
    if (!d)
        return NULL;
    brat_state *st = g_new0(brat_state, 1);
    st->dir = d;
    st->opts = *opts;
    st->entity_types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    st->events =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_unref);
    st->attrs =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_unref);
    st->attr_on = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (opts->resume)
        merge_conf(st);
    return st;
}

/* "T<id>\t<type> <fragments>\t<text>\n" */
static void append_tb(GString *out, const nerve_offsets *map, const char *text, uint32_t id,
                      const char *type, uint32_t s, uint32_t e)
{
    g_string_append_printf(out, "T%u\t", id);
    nerve_out_name(out, type, BAD_TYPE_CHARS);
    GString *cov = g_string_new(NULL);
    gboolean any = FALSE;
    for (uint32_t p = s; p < e;) {
        while (p < e && (text[p] == '\n' || text[p] == '\r'))
            p++;
        if (p >= e)
            break;
        uint32_t q = p;
        while (q < e && text[q] != '\n' && text[q] != '\r')
            q++;
        g_string_append_printf(out, "%c%zu %zu", any ? ';' : ' ',
                               nerve_offsets_from_byte(map, p, NERVE_UNIT_CODEPOINT),
                               nerve_offsets_from_byte(map, q, NERVE_UNIT_CODEPOINT));
        if (any)
            g_string_append_c(cov, ' ');
        g_string_append_len(cov, text + p, q - p);
        any = TRUE;
        p = q;
    }
    if (!any) /* empty, or only line breaks: one plain fragment */
        g_string_append_printf(out, " %zu %zu",
                               nerve_offsets_from_byte(map, s, NERVE_UNIT_CODEPOINT),
                               nerve_offsets_from_byte(map, e, NERVE_UNIT_CODEPOINT));
    g_string_append_c(out, '\t');
    g_string_append_len(out, cov->str, cov->len);
    g_string_append_c(out, '\n');
    g_string_free(cov, TRUE);
}

/* A, N and note lines of one annotation ("T3", "E1"). */
static void append_attrs(GString *out, const char *ref, const char *attrs, const char *note,
                         const char *text, uint32_t s, uint32_t e, guint *n_attr, guint *n_norm,
                         guint *n_note)
{
    const char *it = attrs, *k, *v;
    while (nerve_attrs_next(&it, &k, &v)) {
        if (!strcmp(k, "kb") || !strcmp(k, "id")) {
            const char *colon = strchr(v, ':');
            g_string_append_printf(out, "N%u\tReference %s ", ++*n_norm, ref);
            if (!colon || colon == v) { /* brat wants DB:ID */
                nerve_out_name(out, k, BAD_TYPE_CHARS);
                g_string_append_c(out, ':');
            }
            nerve_out_name(out, v, "");
            g_string_append_c(out, '\t');
            for (uint32_t p = s; p < e; p++)
                g_string_append_c(
                    out, text[p] == '\n' || text[p] == '\r' || text[p] == '\t' ? ' ' : text[p]);
            g_string_append_c(out, '\n');
        } else {
            g_string_append_printf(out, "A%u\t", ++*n_attr);
            nerve_out_name(out, k, BAD_TYPE_CHARS);
            g_string_append_printf(out, " %s ", ref);
            nerve_out_name(out, *v ? v : "true", "|,");
            g_string_append_c(out, '\n');
        }
    }
    if (note && *note) {
        g_string_append_printf(out, "#%u\tAnnotatorNotes %s\t", ++*n_note, ref);
        nerve_out_name(out, note, "");
        g_string_append_c(out, '\n');
    }
}

static void brat_render(const void *state, const nerve_writer_options *opts, const nerve_doc *doc,
                        GString *out)
{
    (void)state;
    size_t len, n_ent, n_ev;
    const char *text = nerve_doc_text(doc, &len);
    nerve_offsets *map = nerve_offsets_new(text, len);
    const nerve_entity *ents = nerve_doc_entities(doc, &n_ent);
    const nerve_event *evs = nerve_doc_events(doc, &n_ev);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    guint n_attr = 0, n_norm = 0, n_note = 0;
    uint32_t next_t = 1;
    char ref[24];
    for (size_t i = 0; i < n_ent; i++) {
        const nerve_entity *e = &ents[i];
        next_t = MAX(next_t, e->id + 1);
        const char *label = nerve_out_label(opts, e);
        if (!label)
            continue;
        append_tb(out, map, text, e->id, label, e->start, e->end);
        g_snprintf(ref, sizeof ref, "T%u", e->id);
        append_attrs(out, ref, e->attrs, e->source, text, e->start, e->end, &n_attr, &n_norm,
                     &n_note);
    }
    GString *eline = g_string_new(NULL);
    for (size_t i = 0; i < n_ev; i++) {
        const nerve_event *ev = &evs[i];
        if (!ev->id)
            continue;
        uint32_t trig = next_t++;
        append_tb(out, map, text, trig, ev->type, ev->trig_start, ev->trig_end);
        g_string_printf(eline, "E%u\t", ev->id);
        nerve_out_name(eline, ev->type, BAD_TYPE_CHARS);
        g_string_append_printf(eline, ":T%u", trig);
        for (uint32_t k = 0; k < ev->n_args; k++) {
            const nerve_arg *a = &args[ev->arg_first + k];
            const nerve_entity *target = nerve_out_arg_entity(doc, opts, a);
            uint32_t tid = target ? target->id : next_t++;
            if (!target)
                append_tb(out, map, text, tid, a->role, a->start, a->end);
            guint same = 1; /* brat numbers a repeated role: agent, agent2 */
            for (uint32_t j = 0; j < k; j++)
                same += args[ev->arg_first + j].role == a->role ||
                        !strcmp(args[ev->arg_first + j].role, a->role);
            g_string_append_c(eline, ' ');
            nerve_out_name(eline, a->role, BAD_TYPE_CHARS);
            if (same > 1)
                g_string_append_printf(eline, "%u", same);
            g_string_append_printf(eline, ":T%u", tid);
        }
        g_string_append_c(eline, '\n');
        g_string_append_len(out, eline->str, eline->len);
        g_snprintf(ref, sizeof ref, "E%u", ev->id);
        append_attrs(out, ref, ev->attrs, ev->rule ? ev->rule : NULL, text, ev->trig_start,
                     ev->trig_end, &n_attr, &n_norm, &n_note);
    }
    g_string_free(eline, TRUE);
    nerve_offsets_free(map);
}

static GHashTable *subset(GHashTable *in, const char *key)
{
    GHashTable *t = g_hash_table_lookup(in, key);
    if (!t) {
        t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_hash_table_insert(in, g_strdup(key), t);
    }
    return t;
}

static void add(GHashTable *set, char *owned)
{
    if (g_hash_table_contains(set, owned))
        g_free(owned);
    else
        g_hash_table_add(set, owned);
}

static void collect_attrs(brat_state *st, const char *attrs, int on)
{
    const char *it = attrs, *k, *v;
    while (nerve_attrs_next(&it, &k, &v)) {
        if (!strcmp(k, "kb") || !strcmp(k, "id"))
            continue;
        char *key = type_name(k);
        GString *val = g_string_new(NULL);
        nerve_out_name(val, *v ? v : "true", "|,");
        add(subset(st->attrs, key), g_string_free(val, FALSE));
        int was = GPOINTER_TO_INT(g_hash_table_lookup(st->attr_on, key));
        g_hash_table_replace(st->attr_on, key, GINT_TO_POINTER(was | on));
    }
}

/* Gathers the types of doc for annotation.conf. */
static void collect(brat_state *st, const nerve_doc *doc)
{
    size_t n_ent, n_ev;
    const nerve_entity *ents = nerve_doc_entities(doc, &n_ent);
    const nerve_event *evs = nerve_doc_events(doc, &n_ev);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    for (size_t i = 0; i < n_ent; i++) {
        const char *label = nerve_out_label(&st->opts, &ents[i]);
        if (label) {
            add(st->entity_types, type_name(label));
            collect_attrs(st, ents[i].attrs, 1);
        }
    }
    for (size_t i = 0; i < n_ev; i++) {
        if (!evs[i].id)
            continue;
        char *type = type_name(evs[i].type);
        GHashTable *roles = subset(st->events, type);
        g_free(type);
        for (uint32_t k = 0; k < evs[i].n_args; k++) {
            const nerve_arg *a = &args[evs[i].arg_first + k];
            const nerve_entity *target = nerve_out_arg_entity(doc, &st->opts, a);
            char *role = type_name(a->role);
            GHashTable *targets = subset(roles, role);
            if (!target)
                add(st->entity_types, g_strdup(role));
            add(targets, target ? type_name(nerve_out_label(&st->opts, target)) : g_strdup(role));
            g_free(role);
        }
        collect_attrs(st, evs[i].attrs, 2);
    }
}

static gboolean brat_write(void *state, const nerve_doc *doc, const GString *rendered,
                           GError **error)
{
    brat_state *st = state;
    const char *id = nerve_doc_id(doc);
    const char *name = nerve_outdir_claim(st->dir, id);
    size_t len;
    const char *text = nerve_doc_text(doc, &len);
    if (!nerve_outdir_put(st->dir, name, ".txt", text, len, error) ||
        !nerve_outdir_put(st->dir, name, ".ann", rendered->str, rendered->len, error) ||
        !nerve_outdir_record(st->dir, id, name, error))
        return FALSE;
    collect(st, doc);
    return TRUE;
}

static void append_sorted(GString *out, GHashTable *set, const char *sep)
{
    GList *keys = g_list_sort(g_hash_table_get_keys(set), (GCompareFunc)strcmp);
    for (GList *l = keys; l; l = l->next)
        g_string_append_printf(out, "%s%s", l == keys ? "" : sep, (const char *)l->data);
    g_list_free(keys);
}

static GString *make_conf(brat_state *st)
{
    GString *c =
        g_string_new("# brat configuration written by nerve: the types this collection uses\n"
                     "[entities]\n");
    append_sorted(c, st->entity_types, "\n");
    g_string_append(c, g_hash_table_size(st->entity_types) ? "\n[relations]\n" : "[relations]\n");
    g_string_append(c, "[events]\n");
    GList *types = g_list_sort(g_hash_table_get_keys(st->events), (GCompareFunc)strcmp);
    for (GList *t = types; t; t = t->next) {
        GHashTable *roles = g_hash_table_lookup(st->events, t->data);
        g_string_append(c, t->data);
        GList *rs = g_list_sort(g_hash_table_get_keys(roles), (GCompareFunc)strcmp);
        for (GList *r = rs; r; r = r->next) {
            g_string_append_printf(c, "%s%s*:", r == rs ? "\t" : ", ", (const char *)r->data);
            append_sorted(c, g_hash_table_lookup(roles, r->data), "|");
        }
        g_list_free(rs);
        g_string_append_c(c, '\n');
    }
    g_list_free(types);
    g_string_append(c, "[attributes]\n");
    GList *keys = g_list_sort(g_hash_table_get_keys(st->attrs), (GCompareFunc)strcmp);
    for (GList *k = keys; k; k = k->next) {
        int on = GPOINTER_TO_INT(g_hash_table_lookup(st->attr_on, k->data));
        g_string_append_printf(c, "%s\tArg:%s, Value:", (const char *)k->data,
                               on == 3   ? "<ENTITY>|<EVENT>"
                               : on == 2 ? "<EVENT>"
                                         : "<ENTITY>");
        append_sorted(c, g_hash_table_lookup(st->attrs, k->data), "|");
        g_string_append_c(c, '\n');
    }
    g_list_free(keys);
    return c;
}

static gboolean brat_close(void *state, GError **error)
{
    brat_state *st = state;
    GString *conf = make_conf(st);
    gboolean ok = nerve_outdir_put(st->dir, "annotation", ".conf", conf->str, conf->len, error);
    g_string_free(conf, TRUE);
    ok = nerve_outdir_close(st->dir, ok ? error : NULL) && ok;
    g_hash_table_destroy(st->entity_types);
    g_hash_table_destroy(st->events);
    g_hash_table_destroy(st->attrs);
    g_hash_table_destroy(st->attr_on);
    g_free(st);
    return ok;
}

static gboolean brat_done(const void *state, const char *id)
{
    static const char *const exts[] = {".txt", ".ann", NULL};
    return nerve_outdir_has(((const brat_state *)state)->dir, id, exts);
}

const nerve_writer_class nerve_brat_writer = {
    .name = "brat",
    .to_directory = TRUE,
    .open = brat_open,
    .render = brat_render,
    .write = brat_write,
    .close = brat_close,
    .done = brat_done,
};
