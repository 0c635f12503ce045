/* gold-xmi.c - reading UIMA CAS XMI back for nerve eval, with libxml2.
 *
 * Reads the _InitialView sofa (its sofaString is the text), the DKPro
 * DocumentMetaData documentId, every DKPro NamedEntity (value = label) and
 * every webanno.custom.Event (type, trigger span, and through its
 * `arguments` links the role and the span of each target).  Elements are
 * recognised by namespace and local name; offsets are UTF-16 units
 * converted to bytes of the sofa.  Other elements are ignored, so
 * INCEpTION exports with more layers read as well.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "formats/gold-read.h"
#include "nerve/error.h"
#include "nerve/offsets.h"

#define XMI_NS    "http://www.omg.org/XMI"
#define NS_NER    "http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore"
#define NS_META   "http:///de/tudarmstadt/ukp/dkpro/core/api/metadata/type.ecore"
#define NS_CAS    "http:///uima/cas.ecore"
#define NS_CUSTOM "http:///webanno/custom.ecore"

static gboolean is(xmlNodePtr n, const char *ns, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           !strcmp((const char *)n->ns->href, ns) && !strcmp((const char *)n->name, name);
}

/* An attribute without namespace, or NULL; free with xmlFree. */
static char *attr(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetNoNsProp(n, (const xmlChar *)name);
}

static gboolean span(xmlNodePtr n, const nerve_offsets *map, uint32_t *s, uint32_t *e)
{
    char *b = attr(n, "begin"), *x = attr(n, "end");
    char *end1 = NULL, *end2 = NULL;
    guint64 bv = b ? g_ascii_strtoull(b, &end1, 10) : 0,
            ev = x ? g_ascii_strtoull(x, &end2, 10) : 0;
    gboolean ok = b && x && !*end1 && !*end2 &&
                  nerve_gold_span(map, NERVE_UNIT_UTF16, (size_t)bv, (size_t)ev, s, e);
    xmlFree(b);
    xmlFree(x);
    return ok;
}

static void add_event(nerve_gold_doc *d, xmlNodePtr n, GHashTable *by_id, const nerve_offsets *map)
{
    uint32_t s, e;
    char *type = attr(n, "type"), *links = attr(n, "arguments");
    if (span(n, map, &s, &e)) {
        guint k = nerve_gold_doc_add_event(d, type ? type : "", s, e, 0);
        g_auto(GStrv) ids = g_strsplit(links ? links : "", " ", -1);
        for (guint i = 0; ids[i]; i++) {
            xmlNodePtr link = *ids[i] ? g_hash_table_lookup(by_id, ids[i]) : NULL;
            char *role = link ? attr(link, "role") : NULL,
                 *target = link ? attr(link, "target") : NULL;
            xmlNodePtr t = target ? g_hash_table_lookup(by_id, target) : NULL;
            nerve_gold_arg a = {g_intern_string(role ? role : ""), 0, 0};
            if (t && span(t, map, &a.start, &a.end)) {
                g_array_append_val(d->args, a);
                g_array_index(d->events, nerve_gold_event, k).n_args++;
            }
            xmlFree(role);
            xmlFree(target);
        }
    }
    xmlFree(type);
    xmlFree(links);
}

static gboolean build(nerve_gold_doc **out, xmlNodePtr root, const char *fallback_id)
{
    GHashTable *by_id = g_hash_table_new_full(g_str_hash, g_str_equal, xmlFree, NULL);
    char *text = NULL, *doc_id = NULL;
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        char *id = (char *)xmlGetNsProp(n, (const xmlChar *)"id", (const xmlChar *)XMI_NS);
        if (id)
            g_hash_table_replace(by_id, id, n);
        if (is(n, NS_CAS, "Sofa") && !text) {
            char *sofa_id = attr(n, "sofaID");
            if (!sofa_id || !strcmp(sofa_id, "_InitialView"))
                text = attr(n, "sofaString");
            xmlFree(sofa_id);
        } else if (is(n, NS_META, "DocumentMetaData") && !doc_id)
            doc_id = attr(n, "documentId");
    }
    if (!text) {
        g_hash_table_destroy(by_id);
        xmlFree(doc_id);
        return FALSE;
    }
    nerve_gold_doc *d = nerve_gold_doc_new(doc_id ? doc_id : fallback_id, text, strlen(text));
    g_autoptr(nerve_offsets) map = nerve_offsets_new(d->text, d->len);
    for (xmlNodePtr n = root->children; n; n = n->next) {
        uint32_t s, e;
        if (is(n, NS_NER, "NamedEntity") && span(n, map, &s, &e)) {
            char *v = attr(n, "value");
            nerve_gold_doc_add_entity(d, s, e, v ? v : "");
            xmlFree(v);
        } else if (is(n, NS_CUSTOM, "Event"))
            add_event(d, n, by_id, map);
    }
    g_hash_table_destroy(by_id);
    xmlFree(text);
    xmlFree(doc_id);
    *out = d;
    return TRUE;
}

gboolean nerve_gold_read_xmi(const char *path, const char *fallback_id, GPtrArray *docs,
                             GError **error)
{
    xmlDocPtr x = xmlReadFile(
        path, NULL, XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    if (!x) {
        const xmlError *e = xmlGetLastError();
        g_autofree char *why = g_strdup(e && e->message ? e->message : "");
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "%s:%d: not well-formed XML: %s", path,
                    e ? e->line : 0, g_strchomp(why));
        return FALSE;
    }
    nerve_gold_doc *d = NULL;
    xmlNodePtr root = xmlDocGetRootElement(x);
    gboolean ok = root && build(&d, root, fallback_id);
    xmlFreeDoc(x);
    if (!ok) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "%s: no sofa (text) in the XMI", path);
        return FALSE;
    }
    g_ptr_array_add(docs, d);
    return TRUE;
}
