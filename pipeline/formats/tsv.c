/* tsv.c - the TSV writer: a header line, then one row per annotation:
 *
 *   doc_id  kind  id  label  start  end  text  source
 *
 * kind "entity" (id T1, label, source "gazetteer:<list>" or
 * "rule:<name>"), "event" (id E1, label = the event type, the trigger's
 * span, source "rule:<name>") and "arg" (id = its event's, label = the
 * role, the argument's span, source = the id of the entity it refers to,
 * or empty).  Offsets in the unit of --offsets.  Tab, newline, CR and
 * backslash inside fields are written \t \n \r \\ so a row is one line.
 */
#include <string.h>

#include "formats/out.h"

static void *tsv_open(const nerve_writer_options *opts, GError **error)
{
    nerve_outfile *o = nerve_outfile_writer_open(opts, error);
    static const char header[] = "doc_id\tkind\tid\tlabel\tstart\tend\ttext\tsource\n";
    if (o && !nerve_outfile_write(o, header, sizeof header - 1, error)) {
        nerve_outfile_writer_close(o, NULL);
        return NULL;
    }
    return o;
}

static void row(GString *out, const char *id, const char *kind, const char *aid, const char *label,
                const nerve_offsets *map, nerve_unit unit, const char *text, uint32_t s, uint32_t e,
                const char *source)
{
    nerve_out_tsv_field(out, id, strlen(id));
    g_string_append_printf(out, "\t%s\t%s\t", kind, aid);
    nerve_out_tsv_field(out, label, strlen(label));
    g_string_append_printf(out, "\t%zu\t%zu\t", nerve_offsets_from_byte(map, s, unit),
                           nerve_offsets_from_byte(map, e, unit));
    nerve_out_tsv_field(out, text + s, e - s);
    g_string_append_c(out, '\t');
    nerve_out_tsv_field(out, source, strlen(source));
    g_string_append_c(out, '\n');
}

static void tsv_render(const void *state, const nerve_writer_options *opts, const nerve_doc *doc,
                       GString *out)
{
    (void)state;
    size_t len, n;
    const char *text = nerve_doc_text(doc, &len);
    const char *id = nerve_doc_id(doc);
    nerve_offsets *map = nerve_offsets_new(text, len);
    char aid[24], ref[24];
    const nerve_entity *ents = nerve_doc_entities(doc, &n);
    for (size_t i = 0; i < n; i++) {
        const char *label = nerve_out_label(opts, &ents[i]);
        if (!label)
            continue;
        g_snprintf(aid, sizeof aid, "T%u", ents[i].id);
        row(out, id, "entity", aid, label, map, opts->unit, text, ents[i].start, ents[i].end,
            ents[i].source ? ents[i].source : "");
    }
    const nerve_event *evs = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    for (size_t i = 0; i < n; i++) {
        const nerve_event *ev = &evs[i];
        if (!ev->id)
            continue;
        g_snprintf(aid, sizeof aid, "E%u", ev->id);
        g_autofree char *rule = g_strconcat("rule:", ev->rule ? ev->rule : "", NULL);
        row(out, id, "event", aid, ev->type, map, opts->unit, text, ev->trig_start, ev->trig_end,
            rule);
        for (uint32_t k = 0; k < ev->n_args; k++) {
            const nerve_arg *a = &args[ev->arg_first + k];
            const nerve_entity *target = nerve_out_arg_entity(doc, opts, a);
            uint32_t s = target ? target->start : a->start, e = target ? target->end : a->end;
            if (target)
                g_snprintf(ref, sizeof ref, "T%u", target->id);
            row(out, id, "arg", aid, a->role, map, opts->unit, text, s, e, target ? ref : "");
        }
    }
    nerve_offsets_free(map);
}

const nerve_writer_class nerve_tsv_writer = {
    .name = "tsv",
    .to_directory = FALSE,
    .open = tsv_open,
    .render = tsv_render,
    .write = nerve_outfile_writer_write,
    .close = nerve_outfile_writer_close,
    .done = NULL,
};
