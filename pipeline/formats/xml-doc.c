/* xml-doc.c - a document element into id, text and meta, by XPath.
 *
 * When xml.c has the complete subtree of a document element, this file
 * evaluates the compiled --xpath-id, --xpath-text and --xpath-meta
 * expressions (the preset's, overridden by the options) with the element
 * as context node.  Expressions are compiled once per file, after the
 * "any namespace" rewrite of xml-select.c.  Values are the string values
 * of the nodes found, whitespace collapsed (nerve_markup_string_value);
 * the text of elements is laid out by nerve_markup_xml_text.
 *
 * XPath errors at evaluation (an undeclared prefix) are kept in ev->error
 * for the caller to turn into an error record; libxml2 prints nothing.
 */
#include <libxml/xpathInternals.h>
#include <string.h>

#include "formats/markup.h"
#include "nerve/error.h"

typedef struct {
    char *name;
    GPtrArray *exprs; /* xmlXPathCompExpr* alternatives */
    gboolean scalar;
} field;

/* libxml2 2.9 gives a context's error callback a code, not a message. */
static const char *xpath_problem(int code)
{
    switch (code) {
    case XML_XPATH_UNFINISHED_LITERAL_ERROR:
        return "unfinished literal";
    case XML_XPATH_START_LITERAL_ERROR:
        return "a literal should start here";
    case XML_XPATH_UNDEF_VARIABLE_ERROR:
        return "undefined variable";
    case XML_XPATH_INVALID_PREDICATE_ERROR:
        return "invalid predicate";
    case XML_XPATH_UNKNOWN_FUNC_ERROR:
        return "unknown function";
    case XML_XPATH_INVALID_OPERAND:
        return "invalid operand";
    case XML_XPATH_INVALID_TYPE:
        return "wrong type";
    case XML_XPATH_INVALID_ARITY:
        return "wrong number of arguments";
    case XML_XPATH_UNDEF_PREFIX_ERROR:
        return "undeclared namespace prefix";
    case XML_XPATH_EXPR_ERROR:
        return "invalid expression";
    default:
        return "XPath error";
    }
}

static void xpath_error(void *data, xmlErrorPtr e)
{
    nerve_xml_eval *ev = data;
    if (ev->error)
        return;
    const char *what = e->message ? e->message : xpath_problem(e->code);
    const char *expr = e->str1;
    if (expr && e->int1 >= 0 && (size_t)e->int1 < strlen(expr))
        ev->error = g_strdup_printf("%s at \"%.40s\"", what, expr + e->int1);
    else if (expr && e->int1 >= 0)
        ev->error = g_strdup_printf("%s at the end", what);
    else
        ev->error = g_strdup(what);
    g_strchomp(ev->error);
}

void nerve_xml_eval_prepare(nerve_xml_eval *ev, xmlNodePtr node)
{
    if (!ev->xp) {
        ev->xp = xmlXPathNewContext(node->doc);
        ev->xp->error = xpath_error;
        ev->xp->userData = ev;
    }
    nerve_xpath_register_ns(ev->xp, node);
    g_clear_pointer(&ev->error, g_free);
}

static xmlXPathObjectPtr eval(nerve_xml_eval *ev, xmlXPathCompExprPtr comp, xmlNodePtr node)
{
    ev->xp->node = node;
    return xmlXPathCompiledEval(comp, ev->xp);
}

/* The values of an XPath result as strings (g_free), at most max. */
static void values(xmlXPathObjectPtr v, GPtrArray *out, guint max)
{
    if (!v)
        return;
    if (v->type == XPATH_NODESET) {
        for (int i = 0; v->nodesetval && i < v->nodesetval->nodeNr && out->len < max; i++) {
            char *s = nerve_markup_string_value(v->nodesetval->nodeTab[i], 1 << 20);
            if (s)
                g_ptr_array_add(out, s);
        }
        return;
    }
    xmlChar *s = xmlXPathCastToString(v);
    char *t = s ? g_strstrip(g_strdup((const char *)s)) : NULL;
    xmlFree(s);
    if (t && *t)
        g_ptr_array_add(out, t);
    else
        g_free(t);
}

static json_t *json_of(xmlXPathObjectPtr v, const char *s)
{
    if (v->type == XPATH_BOOLEAN)
        return json_boolean(v->boolval);
    if (v->type == XPATH_NUMBER && v->floatval == (double)(json_int_t)v->floatval)
        return json_integer((json_int_t)v->floatval);
    if (v->type == XPATH_NUMBER)
        return json_real(v->floatval);
    return json_string(s);
}

/* One --xpath-meta field: the first alternative with a value. */
static void meta_field(nerve_xml_eval *ev, const field *f, xmlNodePtr node, json_t *meta)
{
    for (guint i = 0; i < f->exprs->len; i++) {
        xmlXPathObjectPtr v = eval(ev, g_ptr_array_index(f->exprs, i), node);
        GPtrArray *vals = g_ptr_array_new_with_free_func(g_free);
        values(v, vals, f->scalar ? 1 : 10000);
        if (vals->len) {
            json_object_del(meta, f->name);
            if (vals->len == 1)
                json_object_set_new(meta, f->name, json_of(v, g_ptr_array_index(vals, 0)));
            else {
                json_t *arr = json_array();
                for (guint j = 0; j < vals->len; j++)
                    json_array_append_new(arr, json_string(g_ptr_array_index(vals, j)));
                json_object_set_new(meta, f->name, arr);
            }
        }
        g_ptr_array_free(vals, TRUE);
        xmlXPathFreeObject(v);
        if (json_object_get(meta, f->name))
            return;
    }
}

/* <meta name=".." content=".."> pairs (NITF head/meta). */
static void meta_pairs(nerve_xml_eval *ev, xmlNodePtr node, json_t *meta)
{
    xmlXPathObjectPtr v = eval(ev, ev->pairs, node);
    for (int i = 0; v && v->nodesetval && i < v->nodesetval->nodeNr; i++) {
        xmlNodePtr m = v->nodesetval->nodeTab[i];
        if (m->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *name = xmlGetProp(m, (const xmlChar *)"name");
        xmlChar *content = xmlGetProp(m, (const xmlChar *)"content");
        if (name && content && *name && !json_object_get(meta, (const char *)name))
            json_object_set_new(meta, (const char *)name, json_string((const char *)content));
        xmlFree(name);
        xmlFree(content);
    }
    xmlXPathFreeObject(v);
}

static gboolean is_id_attr(const xmlAttr *a)
{
    static const char *const names[] = {"id", "docid", "docno", "doc-id", "doc_id"};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        if (!g_ascii_strcasecmp((const char *)a->name, names[i]))
            return TRUE;
    return FALSE;
}

/* The document's id: --xpath-id (or the preset's), else an id attribute,
 * a DOCNO-like child, else fallback. */
char *nerve_xml_eval_id(nerve_xml_eval *ev, xmlNodePtr node, const char *fallback,
                        const xmlAttr **from_attr)
{
    *from_attr = NULL;
    for (guint i = 0; ev->ids && i < ev->ids->len; i++) {
        xmlXPathObjectPtr v = eval(ev, g_ptr_array_index(ev->ids, i), node);
        GPtrArray *vals = g_ptr_array_new_with_free_func(g_free);
        values(v, vals, 1);
        if (v && v->type == XPATH_NODESET && vals->len && v->nodesetval->nodeNr &&
            v->nodesetval->nodeTab[0]->type == XML_ATTRIBUTE_NODE &&
            v->nodesetval->nodeTab[0]->parent == node)
            *from_attr = (const xmlAttr *)v->nodesetval->nodeTab[0];
        char *id = vals->len ? g_strdup(g_ptr_array_index(vals, 0)) : NULL;
        g_ptr_array_free(vals, TRUE);
        xmlXPathFreeObject(v);
        if (id)
            return id;
    }
    for (const xmlAttr *a = node->properties; a; a = a->next)
        if (is_id_attr(a)) {
            char *id = nerve_markup_string_value((xmlNode *)a, 4096);
            if (id) {
                *from_attr = a;
                return id;
            }
        }
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && (!g_ascii_strcasecmp((const char *)c->name, "docno") ||
                                            !g_ascii_strcasecmp((const char *)c->name, "docid"))) {
            char *id = nerve_markup_string_value(c, 4096);
            if (id)
                return id;
        }
    return g_strdup(fallback);
}

json_t *nerve_xml_eval_meta(nerve_xml_eval *ev, xmlNodePtr node, const xmlAttr *id_attr)
{
    json_t *meta = json_object();
    for (const xmlAttr *a = node->properties; a; a = a->next) {
        if (a == id_attr)
            continue;
        g_autofree char *v = nerve_markup_string_value((xmlNode *)a, 1 << 16);
        g_autofree char *k = a->ns && a->ns->prefix
                                 ? g_strdup_printf("%s:%s", a->ns->prefix, a->name)
                                 : g_strdup((const char *)a->name);
        json_object_set_new(meta, k, json_string(v ? v : ""));
    }
    if (ev->pairs)
        meta_pairs(ev, node, meta);
    for (guint i = 0; i < ev->meta->len; i++)
        meta_field(ev, g_ptr_array_index(ev->meta, i), node, meta);
    return meta;
}

GString *nerve_xml_eval_text(nerve_xml_eval *ev, xmlNodePtr node, gsize limit, gboolean *over)
{
    nerve_textbuf tb;
    nerve_textbuf_init(&tb, limit);
    if (!ev->text) {
        nerve_markup_xml_text(&tb, node);
        *over = tb.over;
        return nerve_textbuf_finish(&tb);
    }
    xmlXPathObjectPtr v = eval(ev, ev->text, node);
    if (v && v->type == XPATH_NODESET) {
        for (int i = 0; v->nodesetval && i < v->nodesetval->nodeNr; i++) {
            nerve_textbuf_break(&tb, NERVE_BREAK_PARA);
            nerve_markup_xml_text(&tb, v->nodesetval->nodeTab[i]);
        }
    } else if (v) {
        xmlChar *s = xmlXPathCastToString(v);
        if (s)
            nerve_textbuf_text(&tb, (const char *)s, strlen((const char *)s));
        xmlFree(s);
    }
    xmlXPathFreeObject(v);
    *over = tb.over;
    return nerve_textbuf_finish(&tb);
}

static xmlXPathCompExprPtr compile(const char *option, const char *expr, GError **error)
{
    g_autofree char *rewritten = nerve_xpath_any_namespace(expr);
    nerve_xml_eval tmp = {0};
    xmlXPathContextPtr xp = xmlXPathNewContext(NULL);
    xp->error = xpath_error;
    xp->userData = &tmp;
    xmlXPathCompExprPtr comp = xmlXPathCtxtCompile(xp, (const xmlChar *)rewritten);
    xmlXPathFreeContext(xp);
    if (!comp)
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_USAGE,
                    "%s \"%s\": not an XPath expression (%s)", option, expr,
                    tmp.error ? tmp.error : "syntax error");
    g_free(tmp.error);
    return comp;
}

static void field_free(gpointer data)
{
    field *f = data;
    g_free(f->name);
    g_ptr_array_free(f->exprs, TRUE);
    g_free(f);
}

gboolean nerve_xml_eval_init(nerve_xml_eval *ev, const nerve_xml_config *c, GError **error)
{
    memset(ev, 0, sizeof *ev);
    if (c->doc && !(ev->select = nerve_doc_select_new(c->doc, error)))
        return FALSE;
    if (c->text && !(ev->text = compile("--xpath-text", c->text, error)))
        return FALSE;
    if (c->meta_pairs && !(ev->pairs = compile("--xpath-meta", c->meta_pairs, error)))
        return FALSE;
    ev->ids = g_ptr_array_new_with_free_func((GDestroyNotify)xmlXPathFreeCompExpr);
    for (char **e = c->id; e && *e; e++) {
        xmlXPathCompExprPtr comp = compile("--xpath-id", *e, error);
        if (!comp)
            return FALSE;
        g_ptr_array_add(ev->ids, comp);
    }
    ev->meta = g_ptr_array_new_with_free_func(field_free);
    for (guint i = 0; i < c->meta->len; i++) {
        const nerve_xml_field *cf = g_ptr_array_index(c->meta, i);
        field *f = g_new0(field, 1);
        f->name = g_strdup(cf->name);
        f->scalar = cf->scalar;
        f->exprs = g_ptr_array_new_with_free_func((GDestroyNotify)xmlXPathFreeCompExpr);
        g_ptr_array_add(ev->meta, f);
        for (char **e = cf->exprs; *e; e++) {
            g_autofree char *opt = g_strdup_printf("--xpath-meta %s=", cf->name);
            xmlXPathCompExprPtr comp = compile(opt, *e, error);
            if (!comp)
                return FALSE;
            g_ptr_array_add(f->exprs, comp);
        }
    }
    return TRUE;
}

void nerve_xml_eval_clear(nerve_xml_eval *ev)
{
    if (ev->xp)
        xmlXPathFreeContext(ev->xp);
    nerve_doc_select_free(ev->select);
    if (ev->text)
        xmlXPathFreeCompExpr(ev->text);
    if (ev->pairs)
        xmlXPathFreeCompExpr(ev->pairs);
    if (ev->ids)
        g_ptr_array_free(ev->ids, TRUE);
    if (ev->meta)
        g_ptr_array_free(ev->meta, TRUE);
    g_free(ev->error);
    memset(ev, 0, sizeof *ev);
}
