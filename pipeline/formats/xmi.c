/* xmi.c - the UIMA CAS XMI writer (INCEpTION, WebAnno, DKPro Core).
 *
 * One NAME.xmi per document and one TypeSystem.xml for the directory.  A
 * document is a CAS with one view (_InitialView) whose sofaString is the
 * original text; every annotation has begin/end in UTF-16 units, which is
 * what Java strings (and so UIMA) index.  Types are DKPro Core's:
 * DocumentMetaData (documentId, documentTitle), Sentence, Token,
 * NamedEntity (value = the label, identifier = the `kb` or `id` attr).
 * Events follow INCEpTION's custom-layer convention: a span layer
 * webanno.custom.Event over the trigger with a `type` feature and a link
 * feature `arguments` (an FSArray of webanno.custom.EventArgumentsLink,
 * each {role, target}); an argument that is a written entity links to its
 * NamedEntity, any other to a webanno.custom.EventArgument span.  Link
 * feature structures are not indexed (not in the view's members), as
 * UIMA does for them.
 *
 * XML 1.0 cannot hold most C0 controls; they are written as U+FFFD, which
 * keeps every UTF-16 offset (nerve_out_xml_text).  Written with libxml2's
 * xmlTextWriter, which escapes CR, LF and tab in attributes as character
 * references so the sofa survives attribute-value normalization.
 */
#include <libxml/parser.h>
#include <libxml/xmlwriter.h>
#include <string.h>

#include "formats/out.h"
#include "nerve/error.h"

#define NS_CAS    "http:///uima/cas.ecore"
#define NS_SEG    "http:///de/tudarmstadt/ukp/dkpro/core/api/segmentation/type.ecore"
#define NS_NER    "http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore"
#define NS_META   "http:///de/tudarmstadt/ukp/dkpro/core/api/metadata/type.ecore"
#define NS_CUSTOM "http:///webanno/custom.ecore"

typedef struct {
    nerve_outdir *dir;
} xmi_state;

/* The types written, for TypeSystem.xml: name, supertype, then features
 * as "name:range" ("name:uima.cas.FSArray:element" for arrays). */
static const struct {
    const char *name, *super;
    const char *features[7];
} types[] = {
    {"de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData",
     "uima.tcas.DocumentAnnotation",
     {"documentTitle:uima.cas.String", "documentId:uima.cas.String", "documentUri:uima.cas.String",
      "collectionId:uima.cas.String", "documentBaseUri:uima.cas.String",
      "isLastSegment:uima.cas.Boolean", NULL}},
    {"de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence",
     "uima.tcas.Annotation",
     {"id:uima.cas.String", NULL}},
    {"de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token",
     "uima.tcas.Annotation",
     {"id:uima.cas.String", "order:uima.cas.Integer", NULL}},
    {"de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity",
     "uima.tcas.Annotation",
     {"value:uima.cas.String", "identifier:uima.cas.String", NULL}},
    {"webanno.custom.Event",
     "uima.tcas.Annotation",
     {"type:uima.cas.String", "rule:uima.cas.String",
      "arguments:uima.cas.FSArray:webanno.custom.EventArgumentsLink", NULL}},
    {"webanno.custom.EventArgumentsLink",
     "uima.cas.TOP",
     {"role:uima.cas.String", "target:uima.tcas.Annotation", NULL}},
    {"webanno.custom.EventArgument", "uima.tcas.Annotation", {"role:uima.cas.String", NULL}},
};

static void type_system(GString *out)
{
    g_string_append(
        out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<typeSystemDescription xmlns=\"http://uima.apache.org/resourceSpecifier\">\n"
             "  <name>nerve</name>\n"
             "  <description>DKPro Core types and the event layer written by nerve</description>\n"
             "  <version>1.0</version>\n  <types>\n");
    for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
        g_string_append_printf(out,
                               "    <typeDescription>\n      <name>%s</name>\n"
                               "      <description/>\n      <supertypeName>%s</supertypeName>\n"
                               "      <features>\n",
                               types[i].name, types[i].super);
        for (const char *const *f = types[i].features; *f; f++) {
            g_auto(GStrv) part = g_strsplit(*f, ":", 3);
            g_string_append_printf(out,
                                   "        <featureDescription>\n          <name>%s</name>\n"
                                   "          <description/>\n"
                                   "          <rangeTypeName>%s</rangeTypeName>\n",
                                   part[0], part[1]);
            if (part[2])
                g_string_append_printf(out,
                                       "          <elementType>%s</elementType>\n"
                                       "          <multipleReferencesAllowed>false"
                                       "</multipleReferencesAllowed>\n",
                                       part[2]);
            g_string_append(out, "        </featureDescription>\n");
        }
        g_string_append(out, "      </features>\n    </typeDescription>\n");
    }
    g_string_append(out, "  </types>\n</typeSystemDescription>\n");
}

static void *xmi_open(const nerve_writer_options *opts, GError **error)
{
    xmlInitParser(); /* once, before the worker threads use libxml2 */
    nerve_outdir *d = nerve_outdir_open(opts->output, opts->resume, error);
    if (!d)
        return NULL;
    xmi_state *st = g_new0(xmi_state, 1);
    st->dir = d;
    return st;
}

#define X(s) ((const xmlChar *)(s))

static void attr_u(xmlTextWriterPtr w, const char *name, size_t v)
{
    xmlTextWriterWriteFormatAttribute(w, X(name), "%zu", v);
}

/* An attribute with a string value made safe for XML. */
static void attr_s(xmlTextWriterPtr w, const char *name, const char *s, size_t len)
{
    GString *g = g_string_sized_new(len + 8);
    nerve_out_xml_text(g, s, len);
    xmlTextWriterWriteAttribute(w, X(name), X(g->str));
    g_string_free(g, TRUE);
}

/* <prefix:Type xmi:id sofa="1" begin end ... : left open for features. */
static void start_span(xmlTextWriterPtr w, const char *qname, unsigned id, const nerve_offsets *map,
                       uint32_t s, uint32_t e)
{
    xmlTextWriterStartElement(w, X(qname));
    xmlTextWriterWriteFormatAttribute(w, X("xmi:id"), "%u", id);
    xmlTextWriterWriteAttribute(w, X("sofa"), X("1"));
    attr_u(w, "begin", nerve_offsets_from_byte(map, s, NERVE_UNIT_UTF16));
    attr_u(w, "end", nerve_offsets_from_byte(map, e, NERVE_UNIT_UTF16));
}

static void write_segments(xmlTextWriterPtr w, const nerve_doc *doc, const nerve_offsets *map,
                           unsigned *next, GString *members)
{
    size_t n;
    const nerve_sentence *s = nerve_doc_sentences(doc, &n);
    for (size_t i = 0; i < n; i++) {
        g_string_append_printf(members, " %u", *next);
        start_span(w, "seg:Sentence", (*next)++, map, s[i].start, s[i].end);
        xmlTextWriterEndElement(w);
    }
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    for (size_t i = 0; i < n; i++) {
        g_string_append_printf(members, " %u", *next);
        start_span(w, "seg:Token", (*next)++, map, t[i].start, t[i].end);
        xmlTextWriterEndElement(w);
    }
}

/* Entities; ent_xmi[i] receives entity i's xmi:id (0: not written). */
static void write_entities(xmlTextWriterPtr w, const nerve_writer_options *opts,
                           const nerve_doc *doc, const nerve_offsets *map, unsigned *next,
                           GString *members, unsigned *ent_xmi)
{
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    for (size_t i = 0; i < n; i++) {
        const char *label = nerve_out_label(opts, &e[i]);
        ent_xmi[i] = 0;
        if (!label)
            continue;
        ent_xmi[i] = *next;
        g_string_append_printf(members, " %u", *next);
        start_span(w, "ner:NamedEntity", (*next)++, map, e[i].start, e[i].end);
        attr_s(w, "value", label, strlen(label));
        const char *kb = nerve_out_attr(e[i].attrs, "kb");
        if (!kb)
            kb = nerve_out_attr(e[i].attrs, "id");
        if (kb)
            attr_s(w, "identifier", kb, strlen(kb));
        xmlTextWriterEndElement(w);
    }
}

static void write_events(xmlTextWriterPtr w, const nerve_writer_options *opts, const nerve_doc *doc,
                         const nerve_offsets *map, unsigned *next, GString *members,
                         const unsigned *ent_xmi)
{
    size_t n;
    const nerve_event *ev = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    const nerve_entity *ents = nerve_doc_entities(doc, NULL);
    GString *links = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        if (!ev[i].id)
            continue;
        unsigned *target = g_new(unsigned, ev[i].n_args + 1);
        for (uint32_t k = 0; k < ev[i].n_args; k++) { /* spans for non-entity arguments */
            const nerve_arg *a = &args[ev[i].arg_first + k];
            const nerve_entity *t = nerve_out_arg_entity(doc, opts, a);
            if (t) {
                target[k] = ent_xmi[t - ents];
                continue;
            }
            target[k] = *next;
            g_string_append_printf(members, " %u", *next);
            start_span(w, "custom:EventArgument", (*next)++, map, a->start, a->end);
            attr_s(w, "role", a->role, strlen(a->role));
            xmlTextWriterEndElement(w);
        }
        unsigned first_link = *next + 1;
        g_string_append_printf(members, " %u", *next);
        start_span(w, "custom:Event", (*next)++, map, ev[i].trig_start, ev[i].trig_end);
        attr_s(w, "type", ev[i].type, strlen(ev[i].type));
        if (ev[i].rule)
            attr_s(w, "rule", ev[i].rule, strlen(ev[i].rule));
        g_string_truncate(links, 0);
        for (uint32_t k = 0; k < ev[i].n_args; k++)
            g_string_append_printf(links, "%s%u", k ? " " : "", first_link + k);
        if (ev[i].n_args)
            xmlTextWriterWriteAttribute(w, X("arguments"), X(links->str));
        xmlTextWriterEndElement(w);
        for (uint32_t k = 0; k < ev[i].n_args; k++) {
            const nerve_arg *a = &args[ev[i].arg_first + k];
            xmlTextWriterStartElement(w, X("custom:EventArgumentsLink"));
            xmlTextWriterWriteFormatAttribute(w, X("xmi:id"), "%u", (*next)++);
            attr_s(w, "role", a->role, strlen(a->role));
            xmlTextWriterWriteFormatAttribute(w, X("target"), "%u", target[k]);
            xmlTextWriterEndElement(w);
        }
        g_free(target);
    }
    g_string_free(links, TRUE);
}

static void write_header(xmlTextWriterPtr w, const nerve_doc *doc, const nerve_offsets *map)
{
    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
    xmlTextWriterStartElement(w, X("xmi:XMI"));
    xmlTextWriterWriteAttribute(w, X("xmlns:xmi"), X("http://www.omg.org/XMI"));
    xmlTextWriterWriteAttribute(w, X("xmlns:cas"), X(NS_CAS));
    xmlTextWriterWriteAttribute(w, X("xmlns:seg"), X(NS_SEG));
    xmlTextWriterWriteAttribute(w, X("xmlns:ner"), X(NS_NER));
    xmlTextWriterWriteAttribute(w, X("xmlns:meta"), X(NS_META));
    xmlTextWriterWriteAttribute(w, X("xmlns:custom"), X(NS_CUSTOM));
    xmlTextWriterWriteAttribute(w, X("xmi:version"), X("2.0"));
    xmlTextWriterStartElement(w, X("cas:NULL"));
    xmlTextWriterWriteAttribute(w, X("xmi:id"), X("0"));
    xmlTextWriterEndElement(w);
    size_t len;
    nerve_doc_text(doc, &len);
    start_span(w, "meta:DocumentMetaData", 2, map, 0, (uint32_t)len);
    xmlTextWriterWriteAttribute(w, X("language"), X("x-unspecified"));
    const char *id = nerve_doc_id(doc);
    json_t *title = json_object_get(nerve_doc_meta(doc), "title");
    if (json_is_string(title))
        attr_s(w, "documentTitle", json_string_value(title), json_string_length(title));
    else
        attr_s(w, "documentTitle", id, strlen(id));
    attr_s(w, "documentId", id, strlen(id));
    xmlTextWriterWriteAttribute(w, X("isLastSegment"), X("false"));
    xmlTextWriterEndElement(w);
}

static void xmi_render(const void *state, const nerve_writer_options *opts, const nerve_doc *doc,
                       GString *out)
{
    (void)state;
    size_t len, n_ent;
    const char *text = nerve_doc_text(doc, &len);
    nerve_offsets *map = nerve_offsets_new(text, len);
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterSetIndentString(w, X("  "));
    GString *members = g_string_new("2");
    unsigned next = 3;
    write_header(w, doc, map);
    write_segments(w, doc, map, &next, members);
    nerve_doc_entities(doc, &n_ent);
    unsigned *ent_xmi = g_new0(unsigned, n_ent + 1);
    write_entities(w, opts, doc, map, &next, members, ent_xmi);
    write_events(w, opts, doc, map, &next, members, ent_xmi);
    g_free(ent_xmi);
    xmlTextWriterStartElement(w, X("cas:Sofa"));
    xmlTextWriterWriteAttribute(w, X("xmi:id"), X("1"));
    xmlTextWriterWriteAttribute(w, X("sofaNum"), X("1"));
    xmlTextWriterWriteAttribute(w, X("sofaID"), X("_InitialView"));
    xmlTextWriterWriteAttribute(w, X("mimeType"), X("text"));
    attr_s(w, "sofaString", text, len);
    xmlTextWriterEndElement(w);
    xmlTextWriterStartElement(w, X("cas:View"));
    xmlTextWriterWriteAttribute(w, X("sofa"), X("1"));
    xmlTextWriterWriteAttribute(w, X("members"), X(members->str));
    xmlTextWriterEndElement(w);
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    g_string_append_len(out, (const char *)xmlBufferContent(buf), xmlBufferLength(buf));
    xmlBufferFree(buf);
    g_string_free(members, TRUE);
    nerve_offsets_free(map);
}

static gboolean xmi_write(void *state, const nerve_doc *doc, const GString *rendered,
                          GError **error)
{
    xmi_state *st = state;
    const char *id = nerve_doc_id(doc);
    const char *name = nerve_outdir_claim(st->dir, id);
    return nerve_outdir_put(st->dir, name, ".xmi", rendered->str, rendered->len, error) &&
           nerve_outdir_record(st->dir, id, name, error);
}

static gboolean xmi_close(void *state, GError **error)
{
    xmi_state *st = state;
    GString *ts = g_string_new(NULL);
    type_system(ts);
    gboolean ok = nerve_outdir_put(st->dir, "TypeSystem", ".xml", ts->str, ts->len, error);
    g_string_free(ts, TRUE);
    ok = nerve_outdir_close(st->dir, ok ? error : NULL) && ok;
    g_free(st);
    return ok;
}

static gboolean xmi_done(const void *state, const char *id)
{
    static const char *const exts[] = {".xmi", NULL};
    return nerve_outdir_has(((const xmi_state *)state)->dir, id, exts);
}

const nerve_writer_class nerve_xmi_writer = {
    .name = "xmi",
    .to_directory = TRUE,
    .open = xmi_open,
    .render = xmi_render,
    .write = xmi_write,
    .close = xmi_close,
    .done = xmi_done,
};
