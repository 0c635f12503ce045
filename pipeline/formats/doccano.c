/* doccano.c - the doccano writer: JSONL, one line per document,
 * {"id", "text", "label": [[start, end, "LABEL"], ...]}, offsets in code
 * points (doccano counts JavaScript characters on import, but stores and
 * exports Python string indices; see doccano#99 on emoji).  Overlapping
 * spans are written when --overlaps keep or nested lists gave them.
 */
#include <string.h>

#include "formats/out.h"

static void doccano_render(const void *state, const nerve_writer_options *opts,
                           const nerve_doc *doc, GString *out)
{
    (void)state;
    size_t len, n;
    const char *text = nerve_doc_text(doc, &len);
    nerve_offsets *map = nerve_offsets_new(text, len);
    const char *id = nerve_doc_id(doc);
    g_string_append(out, "{\"id\":");
    nerve_json_append_string(out, id, strlen(id));
    g_string_append(out, ",\"text\":");
    nerve_json_append_string(out, text, len);
    g_string_append(out, ",\"label\":[");
    const nerve_entity *ents = nerve_doc_entities(doc, &n);
    gboolean first = TRUE;
    for (size_t i = 0; i < n; i++) {
        const char *label = nerve_out_label(opts, &ents[i]);
        if (!label)
            continue;
        g_string_append_printf(out, "%s[%zu,%zu,", first ? "" : ",",
                               nerve_offsets_from_byte(map, ents[i].start, NERVE_UNIT_CODEPOINT),
                               nerve_offsets_from_byte(map, ents[i].end, NERVE_UNIT_CODEPOINT));
        nerve_json_append_string(out, label, strlen(label));
        g_string_append_c(out, ']');
        first = FALSE;
    }
    g_string_append(out, "]}\n");
    nerve_offsets_free(map);
}

const nerve_writer_class nerve_doccano_writer = {
    .name = "doccano",
    .to_directory = FALSE,
    .open = nerve_outfile_writer_open,
    .render = doccano_render,
    .write = nerve_outfile_writer_write,
    .close = nerve_outfile_writer_close,
    .done = NULL,
};
