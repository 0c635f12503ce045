/* gate.c - the GATE XML writer (GateDocument version 3), one NAME.xml per
 * document, as GATE's own "Save as XML" writes and its XML loader reads.
 *
 * TextWithNodes holds the original text with a <Node id=N/> at every
 * offset an annotation starts or ends, N in UTF-16 units (Java string
 * indices).  One default AnnotationSet holds Token and Sentence (as
 * ANNIE makes them), the entities (Type = the label; features source,
 * the attrs, and dropped when --overlaps keep wrote a loser), Event
 * annotations over triggers (features type, rule, and per role the Id of
 * the argument's annotation) and EventArgument annotations for arguments
 * that are not written entities.  Text that XML 1.0 cannot hold is
 * written as U+FFFD (same UTF-16 length); CR is escaped by xmlTextWriter
 * as &#13; so CRLF survives parsing.
 */
#include <libxml/parser.h>
#include <libxml/xmlwriter.h>
#include <string.h>

#include "formats/out.h"

#define X(s) ((const xmlChar *)(s))

typedef struct {
    nerve_outdir *dir;
} gate_state;

static void *gate_open(const nerve_writer_options *opts, GError **error)
{
    xmlInitParser();
    nerve_outdir *d = nerve_outdir_open(opts->output, opts->resume, error);
    if (!d)
        return NULL;
    gate_state *st = g_new0(gate_state, 1);
    st->dir = d;
    return st;
}

static void text_el(xmlTextWriterPtr w, const char *name, const char *cls, const char *s,
                    size_t len)
{
    GString *g = g_string_sized_new(len + 8);
    nerve_out_xml_text(g, s, len);
    xmlTextWriterStartElement(w, X(name));
    xmlTextWriterWriteAttribute(w, X("className"), X(cls));
    xmlTextWriterWriteString(w, X(g->str));
    xmlTextWriterEndElement(w);
    g_string_free(g, TRUE);
}

static void feature(xmlTextWriterPtr w, const char *name, const char *value, size_t len,
                    const char *cls)
{
    xmlTextWriterWriteRaw(w, X("\n"));
    xmlTextWriterStartElement(w, X("Feature"));
    text_el(w, "Name", "java.lang.String", name, strlen(name));
    text_el(w, "Value", cls ? cls : "java.lang.String", value, len);
    xmlTextWriterEndElement(w);
}

static void sfeature(xmlTextWriterPtr w, const char *name, const char *value)
{
    feature(w, name, value, strlen(value), NULL);
}

static void start_ann(xmlTextWriterPtr w, unsigned id, const char *type, const nerve_offsets *map,
                      uint32_t s, uint32_t e)
{
    xmlTextWriterWriteRaw(w, X("\n"));
    xmlTextWriterStartElement(w, X("Annotation"));
    xmlTextWriterWriteFormatAttribute(w, X("Id"), "%u", id);
    GString *t = g_string_new(NULL);
    nerve_out_xml_text(t, type, strlen(type));
    xmlTextWriterWriteAttribute(w, X("Type"), X(t->str));
    g_string_free(t, TRUE);
    xmlTextWriterWriteFormatAttribute(w, X("StartNode"), "%zu",
                                      nerve_offsets_from_byte(map, s, NERVE_UNIT_UTF16));
    xmlTextWriterWriteFormatAttribute(w, X("EndNode"), "%zu",
                                      nerve_offsets_from_byte(map, e, NERVE_UNIT_UTF16));
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* TextWithNodes: the text cut at every annotation boundary (bytes). */
static void write_text(xmlTextWriterPtr w, const nerve_doc *doc, const nerve_offsets *map)
{
    size_t len, n_tok, n_ent, n_ev, n_args;
    const char *text = nerve_doc_text(doc, &len);
    const nerve_token *t = nerve_doc_tokens(doc, &n_tok);
    const nerve_entity *e = nerve_doc_entities(doc, &n_ent);
    const nerve_event *ev = nerve_doc_events(doc, &n_ev);
    const nerve_arg *a = nerve_doc_args(doc, &n_args);
    GArray *at = g_array_sized_new(FALSE, FALSE, sizeof(uint32_t), 2 * (n_tok + n_ent) + 4);
    uint32_t edge[2] = {0, (uint32_t)len};
    g_array_append_vals(at, edge, 2);
    for (size_t i = 0; i < n_tok; i++)
        g_array_append_vals(at, &t[i].start, 2); /* start, end are adjacent */
    for (size_t i = 0; i < n_ent; i++)
        g_array_append_vals(at, &e[i].start, 2);
    for (size_t i = 0; i < n_ev; i++)
        g_array_append_vals(at, &ev[i].trig_start, 2);
    for (size_t i = 0; i < n_args; i++)
        g_array_append_vals(at, &a[i].start, 2);
    g_array_sort(at, cmp_u32);
    uint32_t *p = (uint32_t *)(void *)at->data;
    GString *chunk = g_string_new(NULL);
    xmlTextWriterStartElement(w, X("TextWithNodes"));
    for (guint i = 0; i < at->len; i++) {
        if (i && p[i] == p[i - 1])
            continue;
        if (i) {
            g_string_truncate(chunk, 0);
            nerve_out_xml_text(chunk, text + p[i - 1], p[i] - p[i - 1]);
            xmlTextWriterWriteString(w, X(chunk->str));
        }
        xmlTextWriterStartElement(w, X("Node"));
        xmlTextWriterWriteFormatAttribute(w, X("id"), "%zu",
                                          nerve_offsets_from_byte(map, p[i], NERVE_UNIT_UTF16));
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
    g_string_free(chunk, TRUE);
    g_array_free(at, TRUE);
}

static void write_entities(xmlTextWriterPtr w, const nerve_writer_options *opts,
                           const nerve_doc *doc, const nerve_offsets *map, unsigned *next,
                           unsigned *ann_id)
{
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    char nid[24];
    for (size_t i = 0; i < n; i++) {
        const char *label = nerve_out_label(opts, &e[i]);
        ann_id[i] = label ? *next : 0;
        if (!label)
            continue;
        start_ann(w, (*next)++, label, map, e[i].start, e[i].end);
        g_snprintf(nid, sizeof nid, "T%u", e[i].id);
        sfeature(w, "id", nid);
        if (e[i].source)
            sfeature(w, "source", e[i].source);
        const char *it = e[i].attrs, *k, *v;
        while (nerve_attrs_next(&it, &k, &v))
            if (strcmp(k, "id") && strcmp(k, "source"))
                sfeature(w, k, v);
        if (e[i].flags & NERVE_ENTITY_DROPPED)
            feature(w, "dropped", "true", 4, "java.lang.Boolean");
        xmlTextWriterEndElement(w);
    }
}

static void write_events(xmlTextWriterPtr w, const nerve_writer_options *opts, const nerve_doc *doc,
                         const nerve_offsets *map, unsigned *next, const unsigned *ann_id)
{
    size_t n;
    const nerve_event *ev = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    const nerve_entity *ents = nerve_doc_entities(doc, NULL);
    GString *ids = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        if (!ev[i].id)
            continue;
        unsigned *target = g_new(unsigned, ev[i].n_args + 1);
        for (uint32_t k = 0; k < ev[i].n_args; k++) {
            const nerve_arg *a = &args[ev[i].arg_first + k];
            const nerve_entity *t = nerve_out_arg_entity(doc, opts, a);
            target[k] = t ? ann_id[t - ents] : *next;
            if (t)
                continue;
            start_ann(w, (*next)++, "EventArgument", map, a->start, a->end);
            sfeature(w, "role", a->role);
            xmlTextWriterEndElement(w);
        }
        start_ann(w, (*next)++, "Event", map, ev[i].trig_start, ev[i].trig_end);
        sfeature(w, "type", ev[i].type);
        if (ev[i].rule)
            sfeature(w, "rule", ev[i].rule);
        for (uint32_t k = 0; k < ev[i].n_args;
             k++) { /* one feature per role: ids, comma-separated */
            const char *role = args[ev[i].arg_first + k].role;
            gboolean seen = FALSE;
            for (uint32_t j = 0; j < k && !seen; j++)
                seen = !strcmp(args[ev[i].arg_first + j].role, role);
            if (seen)
                continue;
            g_string_truncate(ids, 0);
            for (uint32_t j = k; j < ev[i].n_args; j++)
                if (!strcmp(args[ev[i].arg_first + j].role, role))
                    g_string_append_printf(ids, "%s%u", ids->len ? "," : "", target[j]);
            sfeature(w, role, ids->str);
        }
        xmlTextWriterEndElement(w);
        g_free(target);
    }
    g_string_free(ids, TRUE);
}

static void write_doc_features(xmlTextWriterPtr w, const nerve_doc *doc)
{
    xmlTextWriterStartElement(w, X("GateDocumentFeatures"));
    sfeature(w, "gate.SourceURL", "created from String");
    sfeature(w, "docId", nerve_doc_id(doc));
    json_t *meta = nerve_doc_meta(doc);
    const char *key;
    json_t *v;
    json_object_foreach(meta, key, v)
    {
        if (json_is_string(v))
            feature(w, key, json_string_value(v), json_string_length(v), NULL);
        else {
            char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            if (s)
                sfeature(w, key, s);
            free(s);
        }
    }
    xmlTextWriterEndElement(w);
}

static void gate_render(const void *state, const nerve_writer_options *opts, const nerve_doc *doc,
                        GString *out)
{
    (void)state;
    size_t len, n;
    const char *text = nerve_doc_text(doc, &len);
    nerve_offsets *map = nerve_offsets_new(text, len);
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
    xmlTextWriterStartElement(w, X("GateDocument"));
    xmlTextWriterWriteAttribute(w, X("version"), X("3"));
    xmlTextWriterWriteRaw(w, X("\n"));
    write_doc_features(w, doc);
    xmlTextWriterWriteRaw(w, X("\n"));
    write_text(w, doc, map);
    xmlTextWriterWriteRaw(w, X("\n"));
    xmlTextWriterStartElement(w, X("AnnotationSet"));
    unsigned next = 0;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    for (size_t i = 0; i < n; i++) {
        start_ann(w, next++, "Token", map, t[i].start, t[i].end);
        feature(w, "string", text + t[i].start, t[i].end - t[i].start, NULL);
        xmlTextWriterEndElement(w);
    }
    const nerve_sentence *s = nerve_doc_sentences(doc, &n);
    for (size_t i = 0; i < n; i++) {
        start_ann(w, next++, "Sentence", map, s[i].start, s[i].end);
        xmlTextWriterEndElement(w);
    }
    nerve_doc_entities(doc, &n);
    unsigned *ann_id = g_new0(unsigned, n + 1);
    write_entities(w, opts, doc, map, &next, ann_id);
    write_events(w, opts, doc, map, &next, ann_id);
    g_free(ann_id);
    xmlTextWriterWriteRaw(w, X("\n"));
    xmlTextWriterEndElement(w);
    xmlTextWriterWriteRaw(w, X("\n"));
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    g_string_append_len(out, (const char *)xmlBufferContent(buf), xmlBufferLength(buf));
    xmlBufferFree(buf);
    nerve_offsets_free(map);
}

static gboolean gate_write(void *state, const nerve_doc *doc, const GString *rendered,
                           GError **error)
{
    gate_state *st = state;
    const char *id = nerve_doc_id(doc);
    const char *name = nerve_outdir_claim(st->dir, id);
    return nerve_outdir_put(st->dir, name, ".xml", rendered->str, rendered->len, error) &&
           nerve_outdir_record(st->dir, id, name, error);
}

static gboolean gate_close(void *state, GError **error)
{
    gate_state *st = state;
    gboolean ok = nerve_outdir_close(st->dir, error);
    g_free(st);
    return ok;
}

static gboolean gate_done(const void *state, const char *id)
{
    static const char *const exts[] = {".xml", NULL};
    return nerve_outdir_has(((const gate_state *)state)->dir, id, exts);
}

const nerve_writer_class nerve_gate_writer = {
    .name = "gate",
    .to_directory = TRUE,
    .open = gate_open,
    .render = gate_render,
    .write = gate_write,
    .close = gate_close,
    .done = gate_done,
};
