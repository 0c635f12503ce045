/* prodigy.c - the Prodigy / spaCy writer: JSONL with "text", "meta",
 * "tokens" ({"text", "start", "end", "id", "ws"}) and "spans" ({"start",
 * "end", "label", "token_start", "token_end"}), offsets in code points and
 * token_end INCLUSIVE, as Prodigy's ner recipes and spaCy's converters
 * read them.  Events become "relations" in Prodigy's rel.manual form: head
 * = the trigger, child = the argument, label = the role, each with its
 * span; triggers are not added to "spans", which hold entities only.
 */
#include <string.h>

#include "formats/out.h"

/* {"start","end","token_start","token_end","label"} */
static void append_span(GString *out, const nerve_offsets *map, uint32_t s, uint32_t e, uint32_t ts,
                        uint32_t te, const char *label)
{
    g_string_append_printf(out,
                           "{\"start\":%zu,\"end\":%zu,\"token_start\":%u,\"token_end\":%u,"
                           "\"label\":",
                           nerve_offsets_from_byte(map, s, NERVE_UNIT_CODEPOINT),
                           nerve_offsets_from_byte(map, e, NERVE_UNIT_CODEPOINT), ts,
                           te > ts ? te - 1 : ts);
    nerve_json_append_string(out, label, strlen(label));
    g_string_append_c(out, '}');
}

static void append_tokens(GString *out, const nerve_doc *doc, const nerve_offsets *map)
{
    size_t len, n;
    const char *text = nerve_doc_text(doc, &len);
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    g_string_append(out, ",\"tokens\":[");
    for (size_t i = 0; i < n; i++) {
        gboolean ws = t[i].end < len && g_unichar_isspace(g_utf8_get_char(text + t[i].end));
        g_string_append(out, i ? ",{\"text\":" : "{\"text\":");
        nerve_json_append_string(out, text + t[i].start, t[i].end - t[i].start);
        g_string_append_printf(out, ",\"start\":%zu,\"end\":%zu,\"id\":%zu,\"ws\":%s}",
                               nerve_offsets_from_byte(map, t[i].start, NERVE_UNIT_CODEPOINT),
                               nerve_offsets_from_byte(map, t[i].end, NERVE_UNIT_CODEPOINT), i,
                               ws ? "true" : "false");
    }
    g_string_append_c(out, ']');
}

static void append_relations(GString *out, const nerve_writer_options *opts, const nerve_doc *doc,
                             const nerve_offsets *map)
{
    size_t n;
    const nerve_event *evs = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    gboolean first = TRUE;
    for (size_t i = 0; i < n; i++) {
        const nerve_event *ev = &evs[i];
        for (uint32_t k = 0; ev->id && k < ev->n_args; k++) {
            const nerve_arg *a = &args[ev->arg_first + k];
            const nerve_entity *target = nerve_out_arg_entity(doc, opts, a);
            uint32_t ts = a->tok_start, te = a->tok_end;
            if (target)
                nerve_out_entity_tokens(doc, target, &ts, &te);
            g_string_append(out, first ? ",\"relations\":[" : ",");
            first = FALSE;
            g_string_append_printf(out, "{\"head\":%u,\"child\":%u,\"head_span\":",
                                   ev->trig_tok_end > ev->trig_tok_start ? ev->trig_tok_end - 1
                                                                         : ev->trig_tok_start,
                                   te > ts ? te - 1 : ts);
            append_span(out, map, ev->trig_start, ev->trig_end, ev->trig_tok_start,
                        ev->trig_tok_end, ev->type);
            g_string_append(out, ",\"child_span\":");
            if (target)
                append_span(out, map, target->start, target->end, ts, te,
                            nerve_out_label(opts, target));
            else
                append_span(out, map, a->start, a->end, ts, te, a->role);
            g_string_append(out, ",\"label\":");
            nerve_json_append_string(out, a->role, strlen(a->role));
            g_string_append_c(out, '}');
        }
    }
    if (!first)
        g_string_append_c(out, ']');
}

static void prodigy_render(const void *state, const nerve_writer_options *opts,
                           const nerve_doc *doc, GString *out)
{
    (void)state;
    size_t len, n;
    const char *text = nerve_doc_text(doc, &len);
    nerve_offsets *map = nerve_offsets_new(text, len);
    const char *id = nerve_doc_id(doc);
    g_string_append(out, "{\"text\":");
    nerve_json_append_string(out, text, len);
    g_string_append(out, ",\"meta\":{\"id\":");
    nerve_json_append_string(out, id, strlen(id));
    nerve_out_meta_fields(doc, out);
    g_string_append_c(out, '}');
    append_tokens(out, doc, map);
    g_string_append(out, ",\"spans\":[");
    const nerve_entity *ents = nerve_doc_entities(doc, &n);
    gboolean first = TRUE;
    for (size_t i = 0; i < n; i++) {
        const char *label = nerve_out_label(opts, &ents[i]);
        uint32_t ts, te;
        if (!label || !nerve_out_entity_tokens(doc, &ents[i], &ts, &te))
            continue;
        if (!first)
            g_string_append_c(out, ',');
        first = FALSE;
        append_span(out, map, ents[i].start, ents[i].end, ts, te, label);
    }
    g_string_append_c(out, ']');
    append_relations(out, opts, doc, map);
    g_string_append(out, "}\n");
    nerve_offsets_free(map);
}

const nerve_writer_class nerve_prodigy_writer = {
    .name = "prodigy",
    .to_directory = FALSE,
    .open = nerve_outfile_writer_open,
    .render = prodigy_render,
    .write = nerve_outfile_writer_write,
    .close = nerve_outfile_writer_close,
    .done = NULL,
};
