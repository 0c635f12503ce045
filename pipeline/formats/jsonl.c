/* jsonl.c - the native JSONL format: records in, annotations out.
 *
 * Input: one JSON object per line; the id and text fields are taken out
 * and every other field goes to meta untouched (Jansson keeps their order).
 * A line with invalid UTF-8 is repaired before parsing (Jansson accepts
 * only valid UTF-8) unless --strict.
 *
 * Output is written directly into a GString, not built as a Jansson tree:
 * a document has thousands of tokens and entities, and building objects
 * for each would cost more than annotating them.  Offsets are converted
 * from bytes with the document's nerve_offsets map.
 */
#include <string.h>

#include "formats/formats.h"
#include "nerve/error.h"
#include "nerve/offsets.h"
#include "nerve/utf8.h"

nerve_doc *nerve_jsonl_parse(nerve_record *rec, const nerve_reader_options *opts,
                             GError **error)
{
    const char *line = rec->data;
    size_t len = rec->len;
    GString *fixed = NULL;
    size_t first_bad, bad = nerve_utf8_count_invalid(line, len, &first_bad);
    if (bad) {
        if (opts->strict) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT,
                        "invalid UTF-8 at byte %zu of the record (--strict)", first_bad);
            return NULL;
        }
        fixed = g_string_sized_new(len + 16);
        nerve_utf8_repair(line, len, fixed);
        line = fixed->str;
        len = fixed->len;
    }
    json_error_t jerr;
    json_t *obj = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
    if (fixed) {
        /* keep the repaired line: the error record must be valid JSON */
        g_free(rec->data);
        rec->len = fixed->len;
        rec->data = g_string_free(fixed, FALSE);
    }
    if (!obj) {
        /* Jansson cuts its "near '...'" excerpt by bytes, maybe inside a character */
        GString *why = g_string_new(NULL);
        nerve_utf8_repair(jerr.text, strlen(jerr.text), why);
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "malformed JSON at column %d: %s",
                    jerr.column, why->str);
        g_string_free(why, TRUE);
        return NULL;
    }
    if (!json_is_object(obj)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "the record is not a JSON object");
        json_decref(obj);
        return NULL;
    }
    json_t *idv = json_object_get(obj, opts->id_field);
    g_autofree char *id = NULL;
    if (json_is_string(idv))
        id = g_strndup(json_string_value(idv), json_string_length(idv));
    else if (json_is_integer(idv))
        id = g_strdup_printf("%" JSON_INTEGER_FORMAT, json_integer_value(idv));
    else if (idv && !json_is_null(idv)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT,
                    "the \"%s\" field must be a string or an integer", opts->id_field);
        json_decref(obj);
        return NULL;
    } else
        id = g_strdup_printf("%s:%" G_GUINT64_FORMAT, rec->source_id ? rec->source_id : "stdin",
                             rec->line);
    g_free(rec->id);
    rec->id = g_strdup(id);

    json_t *textv = json_object_get(obj, opts->text_field);
    if (!json_is_string(textv)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "the record has no \"%s\" string field",
                    opts->text_field);
        json_decref(obj);
        return NULL;
    }
    json_incref(textv);
    json_object_del(obj, opts->text_field);
    json_object_del(obj, opts->id_field);
    nerve_doc *doc = nerve_make_doc(id, json_string_value(textv), json_string_length(textv),
                                    obj, opts, error);
    json_decref(textv);
    if (doc && bad)
        nerve_doc_add_warning(doc, "replaced %zu invalid UTF-8 sequence%s with U+FFFD", bad,
                              bad == 1 ? "" : "s");
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
    g_string_append_printf(out, "\"start\":%zu,\"end\":%zu", nerve_offsets_from_byte(map, s, unit),
                           nerve_offsets_from_byte(map, e, unit));
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
    json_t *meta = nerve_doc_meta(doc);
    char *m = meta ? json_dumps(meta, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    g_string_append(out, m ? m : "{}");
    free(m);
    g_string_append_printf(out, ",\"offsets\":\"%s\",\"sentences\":[", nerve_unit_name(unit));
    const nerve_sentence *sents = nerve_doc_sentences(doc, &n);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(out, "%s[%zu,%zu]", i ? "," : "",
                               nerve_offsets_from_byte(map, sents[i].start, unit),
                               nerve_offsets_from_byte(map, sents[i].end, unit));
    g_string_append_c(out, ']');
    if (opts->tokens) {
        const nerve_token *toks = nerve_doc_tokens(doc, &n);
        g_string_append(out, ",\"tokens\":[");
        for (size_t i = 0; i < n; i++)
            g_string_append_printf(out, "%s[%zu,%zu]", i ? "," : "",
                                   nerve_offsets_from_byte(map, toks[i].start, unit),
                                   nerve_offsets_from_byte(map, toks[i].end, unit));
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
        nerve_json_append_string(out, e->source ? e->source : "", e->source ? strlen(e->source) : 0);
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
