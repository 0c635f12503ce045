/* labelstudio.c - the Label Studio writer: one JSON array of tasks, plus
 * labelstudio.xml, the labelling config that matches the labels used.
 *
 * A task: {"id": N (1-based, input order), "data": {"text", "doc_id",
 * "meta"}, "predictions": [...]}.  The first prediction holds the entities,
 * one "labels" result each, {"from_name": "label", "to_name": "text",
 * "value": {"start", "end", "text", "labels"}}, offsets in code points
 * (Label Studio stores Python-style indices; see its issues #1347, #1008
 * on emoji).  Events, when there are any, form a second prediction so the
 * entity layer stays what a reviewer corrects: triggers as labels of their
 * event type, arguments as labels, and "relation" results from the
 * trigger to each argument, labelled with the role.
 *
 * render() writes the task without its opening '{' and id, since the
 * number is known only in the writer thread; close() writes the array's
 * closing bracket and the config, written beside the output file (in the
 * current directory when the tasks go to stdout).
 */
#include <string.h>

#include "formats/out.h"
#include "nerve/error.h"

typedef struct {
    nerve_outfile out;
    nerve_writer_options opts;
    char *config_path;
    guint64 n;
    GHashTable *labels; /* label -> NULL */
    GHashTable *roles;  /* role -> NULL */
} ls_state;

static void *ls_open(const nerve_writer_options *opts, GError **error)
{
    ls_state *st = g_new0(ls_state, 1);
    if (!nerve_outfile_open(&st->out, opts->output, error)) {
        g_free(st);
        return NULL;
    }
    st->opts = *opts;
    st->config_path = nerve_outfile_sibling(opts->output, "labelstudio.xml");
    st->labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    st->roles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return st;
}

static void label_result(GString *out, const nerve_offsets *map, const char *text, const char *rid,
                         uint32_t s, uint32_t e, const char *label)
{
    g_string_append(out, "{\"id\":");
    nerve_json_append_string(out, rid, strlen(rid));
    g_string_append_printf(out,
                           ",\"from_name\":\"label\",\"to_name\":\"text\",\"type\":\"labels\","
                           "\"value\":{\"start\":%zu,\"end\":%zu,\"text\":",
                           nerve_offsets_from_byte(map, s, NERVE_UNIT_CODEPOINT),
                           nerve_offsets_from_byte(map, e, NERVE_UNIT_CODEPOINT));
    nerve_json_append_string(out, text + s, e - s);
    g_string_append(out, ",\"labels\":[");
    nerve_json_append_string(out, label, strlen(label));
    g_string_append(out, "]}}");
}

static void append_events(GString *out, const nerve_writer_options *opts, const nerve_doc *doc,
                          const nerve_offsets *map, const char *text)
{
    size_t n;
    const nerve_event *evs = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    char rid[32], aid[40];
    gboolean first = TRUE;
    for (size_t i = 0; i < n; i++) {
        const nerve_event *ev = &evs[i];
        if (!ev->id)
            continue;
        g_string_append(out, first ? ",{\"model_version\":\"nerve-events\",\"result\":[" : ",");
        first = FALSE;
        g_snprintf(rid, sizeof rid, "E%u", ev->id);
        label_result(out, map, text, rid, ev->trig_start, ev->trig_end, ev->type);
        for (uint32_t k = 0; k < ev->n_args; k++) {
            const nerve_arg *a = &args[ev->arg_first + k];
            const nerve_entity *t = nerve_out_arg_entity(doc, opts, a);
            g_snprintf(aid, sizeof aid, "E%u-%u", ev->id, k + 1);
            g_string_append_c(out, ',');
            if (t)
                label_result(out, map, text, aid, t->start, t->end, nerve_out_label(opts, t));
            else
                label_result(out, map, text, aid, a->start, a->end, a->role);
            g_string_append_printf(out,
                                   ",{\"from_id\":\"%s\",\"to_id\":\"%s\",\"type\":\"relation\","
                                   "\"direction\":\"right\",\"labels\":[",
                                   rid, aid);
            nerve_json_append_string(out, a->role, strlen(a->role));
            g_string_append(out, "]}");
        }
    }
    if (!first)
        g_string_append(out, "]}");
}

static void ls_render(const void *state, const nerve_writer_options *opts, const nerve_doc *doc,
                      GString *out)
{
    (void)state;
    size_t len, n;
    const char *text = nerve_doc_text(doc, &len);
    const char *id = nerve_doc_id(doc);
    nerve_offsets *map = nerve_offsets_new(text, len);
    g_string_append(out, "\"data\":{\"text\":");
    nerve_json_append_string(out, text, len);
    g_string_append(out, ",\"doc_id\":");
    nerve_json_append_string(out, id, strlen(id));
    g_string_append(out, ",\"meta\":{");
    GString *meta = g_string_new(NULL);
    nerve_out_meta_fields(doc, meta);
    if (meta->len)
        g_string_append(out, meta->str + 1);
    g_string_free(meta, TRUE);
    g_string_append(out, "}},\"predictions\":[{\"model_version\":\"nerve\",\"result\":[");
    const nerve_entity *ents = nerve_doc_entities(doc, &n);
    char rid[24];
    gboolean first = TRUE;
    for (size_t i = 0; i < n; i++) {
        const char *label = nerve_out_label(opts, &ents[i]);
        if (!label)
            continue;
        if (!first)
            g_string_append_c(out, ',');
        first = FALSE;
        g_snprintf(rid, sizeof rid, "T%u", ents[i].id);
        label_result(out, map, text, rid, ents[i].start, ents[i].end, label);
    }
    g_string_append(out, "]}");
    append_events(out, opts, doc, map, text);
    g_string_append(out, "]}");
    nerve_offsets_free(map);
}

static void add(GHashTable *set, const char *s)
{
    if (!g_hash_table_contains(set, s))
        g_hash_table_add(set, g_strdup(s));
}

static void collect(ls_state *st, const nerve_doc *doc)
{
    size_t n;
    const nerve_entity *ents = nerve_doc_entities(doc, &n);
    for (size_t i = 0; i < n; i++) {
        const char *label = nerve_out_label(&st->opts, &ents[i]);
        if (label)
            add(st->labels, label);
    }
    const nerve_event *evs = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    for (size_t i = 0; i < n; i++) {
        if (!evs[i].id)
            continue;
        add(st->labels, evs[i].type);
        for (uint32_t k = 0; k < evs[i].n_args; k++) {
            const nerve_arg *a = &args[evs[i].arg_first + k];
            add(st->roles, a->role);
            if (!nerve_out_arg_entity(doc, &st->opts, a))
                add(st->labels, a->role);
        }
    }
}

static gboolean ls_write(void *state, const nerve_doc *doc, const GString *rendered, GError **error)
{
    ls_state *st = state;
    char head[48];
    int k = g_snprintf(head, sizeof head, "%s{\"id\":%" G_GUINT64_FORMAT ",", st->n ? ",\n" : "[\n",
                       st->n + 1);
    st->n++;
    collect(st, doc);
    return nerve_outfile_write(&st->out, head, (size_t)k, error) &&
           nerve_outfile_write(&st->out, rendered->str, rendered->len, error);
}

static GString *make_config(ls_state *st)
{
    GString *c = g_string_new("<View>\n  <Labels name=\"label\" toName=\"text\">\n");
    GList *keys = g_list_sort(g_hash_table_get_keys(st->labels), (GCompareFunc)strcmp);
    char colour[8];
    for (GList *l = keys; l; l = l->next) {
        g_autofree char *v = g_markup_escape_text(l->data, -1);
        nerve_out_colour(l->data, colour);
        g_string_append_printf(c, "    <Label value=\"%s\" background=\"%s\"/>\n", v, colour);
    }
    g_list_free(keys);
    g_string_append(c, "  </Labels>\n");
    keys = g_list_sort(g_hash_table_get_keys(st->roles), (GCompareFunc)strcmp);
    if (keys)
        g_string_append(c, "  <Relations>\n");
    for (GList *l = keys; l; l = l->next) {
        g_autofree char *v = g_markup_escape_text(l->data, -1);
        g_string_append_printf(c, "    <Relation value=\"%s\"/>\n", v);
    }
    if (keys)
        g_string_append(c, "  </Relations>\n");
    g_list_free(keys);
    g_string_append(c, "  <Text name=\"text\" value=\"$text\"/>\n</View>\n");
    return c;
}

static gboolean ls_close(void *state, GError **error)
{
    ls_state *st = state;
    const char *end = st->n ? "\n]\n" : "[]\n";
    gboolean ok = nerve_outfile_write(&st->out, end, strlen(end), error);
    ok = nerve_outfile_close(&st->out, ok ? error : NULL) && ok;
    GString *config = make_config(st);
    GError *err = NULL;
    if (!g_file_set_contents(st->config_path, config->str, (gssize)config->len, &err)) {
        if (ok)
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s", err->message);
        g_error_free(err);
        ok = FALSE;
    }
    g_string_free(config, TRUE);
    g_hash_table_destroy(st->labels);
    g_hash_table_destroy(st->roles);
    g_free(st->config_path);
    g_free(st);
    return ok;
}

const nerve_writer_class nerve_labelstudio_writer = {
    .name = "labelstudio",
    .to_directory = FALSE,
    .open = ls_open,
    .render = ls_render,
    .write = ls_write,
    .close = ls_close,
    .done = NULL,
};
