/* jsonl.c - the native JSONL format: records in, annotations out.
 *
 * Input: one JSON object per line, scanned in one pass (jsonscan.c); the id
 * and text fields are decoded and every other field goes to meta as the
 * raw JSON it was, untouched (numbers keep their spelling).  A line with
 * invalid UTF-8 is repaired before scanning unless --strict.
 *
 * Output is written directly into a GString, not built as a Jansson tree:
 * a document has thousands of tokens and entities, and building objects
 * for each would cost more than annotating them.  Offsets are converted
 * from bytes with the document's nerve_offsets map.
 */
#include <string.h>

#include "formats/formats.h"
#include "formats/jsonscan.h"
#include "nerve/error.h"
#include "nerve/offsets.h"
#include "nerve/utf8.h"

nerve_doc *nerve_jsonl_parse(nerve_record *rec, const nerve_reader_options *opts, GError **error)
{
    const char *line = rec->data;
    size_t len = rec->len;
    size_t first_bad, bad = nerve_utf8_count_invalid(line, len, &first_bad);
    if (bad) {
        if (opts->strict) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT,
                        "invalid UTF-8 at byte %zu of the record (--strict)", first_bad);
            return NULL;
        }
        /* keep the repaired line: the error record must be valid JSON */
        GString *fixed = g_string_sized_new(len + 16);
        nerve_utf8_repair(line, len, fixed);
        g_free(rec->data);
        rec->len = fixed->len;
        rec->data = g_string_free(fixed, FALSE);
        line = rec->data;
        len = rec->len;
    }
    nerve_json_record jr;
    size_t column;
    const char *why;
    guint depth = opts->max_json_depth ? opts->max_json_depth : 512;
    if (!nerve_json_scan_record(line, len, opts->id_field, opts->text_field, depth, &jr, &column,
                                &why)) {
        if (jr.id) {
            g_free(rec->id);
            rec->id = g_strdup(jr.id);
        }
        if (!strcmp(why, "nested deeper than the limit"))
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_LIMIT,
                        "JSON nested deeper than the limit --max-json-depth=%u (column %zu)", depth,
                        column);
        else if (!strcmp(why, "the record is not a JSON object"))
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "%s", why);
        else
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "malformed JSON at column %zu: %s",
                        column, why);
        nerve_json_record_clear(&jr);
        return NULL;
    }
    if (jr.id_bad) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT,
                    "the \"%s\" field must be a string or an integer", opts->id_field);
        nerve_json_record_clear(&jr);
        return NULL;
    }
    char *id = jr.id ? g_strdup(jr.id)
                     : g_strdup_printf("%s:%" G_GUINT64_FORMAT,
                                       rec->source_id ? rec->source_id : "stdin", rec->line);
    g_free(rec->id);
    rec->id = id;
    if (!jr.text) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "the record has no \"%s\" string field",
                    opts->text_field);
        nerve_json_record_clear(&jr);
        return NULL;
    }
    nerve_doc *doc = nerve_make_doc(id, jr.text, jr.text_len, NULL, opts, error);
    if (doc) {
        size_t meta_len = jr.meta->len;
        nerve_doc_set_meta_raw(doc, g_string_free(jr.meta, FALSE), meta_len);
        jr.meta = NULL;
        if (bad)
            nerve_doc_add_warning(doc, "replaced %zu invalid UTF-8 sequence%s with U+FFFD", bad,
                                  bad == 1 ? "" : "s");
        if (jr.replaced)
            nerve_doc_add_warning(doc, "replaced %zu lone surrogate escape%s with U+FFFD",
                                  jr.replaced, jr.replaced == 1 ? "" : "s");
    }
    nerve_json_record_clear(&jr);
    return doc;
}

/* --- the writer ------------------------------------------------------------ */

typedef struct {
    FILE *out;
    gboolean own;
} jsonl_state;

static void *jsonl_open(const nerve_writer_options *opts, GError **error)
{
    jsonl_state *st = g_new0(jsonl_state, 1);
    if (!opts->output || !strcmp(opts->output, "-")) {
        st->out = stdout;
    } else {
        st->out = fopen(opts->output, "wb");
        if (!st->out) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: cannot write: %s", opts->output,
                        g_strerror(errno));
            g_free(st);
            return NULL;
        }
        st->own = TRUE;
    }
    return st;
}

static void append_span(GString *out, const nerve_offsets *map, nerve_unit unit, uint32_t s,
                        uint32_t e)
{
    g_string_append(out, "\"start\":");
    nerve_append_uint(out, nerve_offsets_from_byte(map, s, unit));
    g_string_append(out, ",\"end\":");
    nerve_append_uint(out, nerve_offsets_from_byte(map, e, unit));
}

/* [start,end] pairs, in unit. */
static void append_pair(GString *out, const nerve_offsets *map, nerve_unit unit, gboolean first,
                        uint32_t s, uint32_t e)
{
    g_string_append(out, first ? "[" : ",[");
    nerve_append_uint(out, nerve_offsets_from_byte(map, s, unit));
    g_string_append_c(out, ',');
    nerve_append_uint(out, nerve_offsets_from_byte(map, e, unit));
    g_string_append_c(out, ']');
}

static void append_attrs(GString *out, const char *attrs)
{
    const char *it = attrs, *k, *v;
    gboolean first = TRUE;
    g_string_append(out, "\"attrs\":{");
    while (nerve_attrs_next(&it, &k, &v)) {
        if (!first)
            g_string_append_c(out, ',');
        first = FALSE;
        nerve_json_append_string(out, k, strlen(k));
        g_string_append_c(out, ':');
        nerve_json_append_string(out, v, strlen(v));
    }
    g_string_append_c(out, '}');
}

static void jsonl_render(const void *state, const nerve_writer_options *opts, const nerve_doc *doc,
                         GString *out)
{
    (void)state;
    size_t len, n;
    const char *text = nerve_doc_text(doc, &len);
    nerve_offsets *map = nerve_offsets_new(text, len);
    nerve_unit unit = opts->unit;

    g_string_append(out, "{\"id\":");
    const char *id = nerve_doc_id(doc);
    nerve_json_append_string(out, id, strlen(id));
    g_string_append(out, ",\"text\":");
    nerve_json_append_string(out, text, len);
    g_string_append(out, ",\"meta\":");
    size_t meta_len;
    const char *meta = nerve_doc_meta_json(doc, &meta_len);
    g_string_append_len(out, meta, (gssize)meta_len);
    g_string_append_printf(out, ",\"offsets\":\"%s\",\"sentences\":[", nerve_unit_name(unit));
    const nerve_sentence *sents = nerve_doc_sentences(doc, &n);
    for (size_t i = 0; i < n; i++)
        append_pair(out, map, unit, i == 0, sents[i].start, sents[i].end);
    g_string_append_c(out, ']');
    if (opts->tokens) {
        const nerve_token *toks = nerve_doc_tokens(doc, &n);
        g_string_append(out, ",\"tokens\":[");
        for (size_t i = 0; i < n; i++)
            append_pair(out, map, unit, i == 0, toks[i].start, toks[i].end);
        g_string_append_c(out, ']');
    }

    g_string_append(out, ",\"entities\":[");
    const nerve_entity *ents = nerve_doc_entities(doc, &n);
    gboolean first = TRUE;
    for (size_t i = 0; i < n; i++) {
        const nerve_entity *e = &ents[i];
        const char *label = nerve_label_map(opts->labels, e->label);
        if (!e->id || !label)
            continue;
        g_string_append_printf(out, "%s{\"id\":\"T%u\",", first ? "" : ",", e->id);
        first = FALSE;
        append_span(out, map, unit, e->start, e->end);
        g_string_append(out, ",\"label\":");
        nerve_json_append_string(out, label, strlen(label));
        g_string_append(out, ",\"text\":");
        nerve_json_append_string(out, text + e->start, e->end - e->start);
        g_string_append(out, ",\"source\":");
        nerve_json_append_string(out, e->source ? e->source : "",
                                 e->source ? strlen(e->source) : 0);
        if (e->flags & NERVE_ENTITY_DROPPED)
            g_string_append(out, ",\"dropped\":true");
        g_string_append_c(out, ',');
        append_attrs(out, e->attrs);
        g_string_append_c(out, '}');
    }
    g_string_append(out, "],\"events\":[");
    const nerve_event *evs = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    first = TRUE;
    for (size_t i = 0; i < n; i++) {
        const nerve_event *ev = &evs[i];
        if (!ev->id)
            continue;
        g_string_append_printf(out, "%s{\"id\":\"E%u\",\"type\":", first ? "" : ",", ev->id);
        first = FALSE;
        nerve_json_append_string(out, ev->type, strlen(ev->type));
        g_string_append(out, ",\"rule\":");
        nerve_json_append_string(out, ev->rule ? ev->rule : "", ev->rule ? strlen(ev->rule) : 0);
        g_string_append(out, ",\"trigger\":{");
        append_span(out, map, unit, ev->trig_start, ev->trig_end);
        g_string_append(out, ",\"text\":");
        nerve_json_append_string(out, text + ev->trig_start, ev->trig_end - ev->trig_start);
        g_string_append(out, "},\"args\":[");
        for (uint32_t k = 0; k < ev->n_args; k++) {
            const nerve_arg *a = &args[ev->arg_first + k];
            g_string_append(out, k ? ",{\"role\":" : "{\"role\":");
            nerve_json_append_string(out, a->role, strlen(a->role));
            const nerve_entity *target = a->entity >= 0 ? &ents[a->entity] : NULL;
            if (target && nerve_label_map(opts->labels, target->label))
                g_string_append_printf(out, ",\"ref\":\"T%u\"}", target->id);
            else {
                g_string_append_c(out, ',');
                append_span(out, map, unit, a->start, a->end);
                g_string_append(out, ",\"text\":");
                nerve_json_append_string(out, text + a->start, a->end - a->start);
                g_string_append_c(out, '}');
            }
        }
        g_string_append(out, "],");
        append_attrs(out, ev->attrs);
        g_string_append_c(out, '}');
    }
    g_string_append_c(out, ']');
    guint nw = nerve_doc_n_warnings(doc);
    if (nw) {
        g_string_append(out, ",\"warnings\":[");
        for (guint i = 0; i < nw; i++) {
            const char *w = nerve_doc_warning(doc, i);
            if (i)
                g_string_append_c(out, ',');
            nerve_json_append_string(out, w, strlen(w));
        }
        g_string_append_c(out, ']');
    }
    g_string_append(out, "}\n");
    nerve_offsets_free(map);
}

static gboolean jsonl_write(void *state, const nerve_doc *doc, const GString *rendered,
                            GError **error)
{
    (void)doc;
    jsonl_state *st = state;
    if (fwrite(rendered->str, 1, rendered->len, st->out) != rendered->len) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "cannot write the output: %s",
                    g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

static gboolean jsonl_close(void *state, GError **error)
{
    jsonl_state *st = state;
    gboolean ok = fflush(st->out) == 0;
    if (st->own)
        ok = fclose(st->out) == 0 && ok;
    if (!ok)
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "cannot write the output: %s",
                    g_strerror(errno));
    g_free(st);
    return ok;
}

const nerve_writer_class nerve_jsonl_writer = {
    .name = "jsonl",
    .to_directory = FALSE,
    .open = jsonl_open,
    .render = jsonl_render,
    .write = jsonl_write,
    .close = jsonl_close,
    .done = NULL,
};
