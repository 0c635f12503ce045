/* test-formats-xml.c - the UTF-16 writers: xmi (with its TypeSystem.xml,
 * checked with libxml2), gate and webanno.  Offsets are re-sliced with
 * GLib's UTF-16 conversion; entities read back must be the document's. */
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "fixture.h"

/* Writes docs with format into a new directory; names[i] gets each
 * document's file (from ids.tsv). */
static char *write_dir(const char *format, GPtrArray *docs, gboolean keep, char ***names)
{
    GError *err = NULL;
    char *dir = g_dir_make_tmp("nerve-xml-XXXXXX", &err);
    g_assert_no_error(err);
    nerve_writer_options o = {.output = dir, .keep_overlaps = keep};
    fx_write(format, &o, docs);
    g_autofree char *ids_path = g_build_filename(dir, "ids.tsv", NULL);
    g_autofree char *ids = fx_slurp(ids_path);
    g_auto(GStrv) rows = g_strsplit(ids, "\n", -1);
    *names = g_new0(char *, docs->len + 1);
    for (guint i = 0; i < docs->len; i++) {
        char *tab = strchr(rows[i + 1], '\t');
        g_assert_nonnull(tab);
        (*names)[i] = g_strdup(tab + 1);
    }
    return dir;
}

static char *prop(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetNoNsProp(n, (const xmlChar *)name);
}

static long lprop(xmlNodePtr n, const char *name)
{
    g_autofree char *v = NULL;
    char *x = prop(n, name);
    v = g_strdup(x ? x : "-1");
    xmlFree(x);
    return atol(v);
}

/* --- xmi ---------------------------------------------------------------------------- */

/* type name -> (feature -> NULL), with supertype features merged. */
static GHashTable *load_type_system(const char *path)
{
    GHashTable *types =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_unref);
    GHashTable *supers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    static const char *const builtin[][5] = {
        {"uima.cas.TOP", NULL},
        {"uima.tcas.Annotation", "sofa", "begin", "end", NULL},
        {"uima.tcas.DocumentAnnotation", "sofa", "begin", "end", "language"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(builtin); i++) {
        GHashTable *f = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (guint k = 1; k < 5 && builtin[i][k]; k++)
            g_hash_table_add(f, g_strdup(builtin[i][k]));
        g_hash_table_insert(types, g_strdup(builtin[i][0]), f);
    }
    xmlDocPtr x = xmlReadFile(path, NULL, XML_PARSE_NONET);
    g_assert_nonnull(x);
    xmlNodePtr root = xmlDocGetRootElement(x);
    g_assert_cmpstr((const char *)root->name, ==, "typeSystemDescription");
    for (xmlNodePtr types_el = root->children; types_el; types_el = types_el->next)
        for (xmlNodePtr td = types_el->children; td; td = td->next) {
            if (td->type != XML_ELEMENT_NODE || strcmp((const char *)td->name, "typeDescription"))
                continue;
            char *name = NULL, *super = NULL;
            GHashTable *f = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
            for (xmlNodePtr c = td->children; c; c = c->next) {
                if (c->type != XML_ELEMENT_NODE)
                    continue;
                char *content = (char *)xmlNodeGetContent(c);
                if (!strcmp((const char *)c->name, "name"))
                    name = g_strdup(content);
                else if (!strcmp((const char *)c->name, "supertypeName"))
                    super = g_strdup(content);
                else if (!strcmp((const char *)c->name, "features"))
                    for (xmlNodePtr fd = c->children; fd; fd = fd->next)
                        for (xmlNodePtr fn = fd->children; fn; fn = fn->next)
                            if (fn->type == XML_ELEMENT_NODE &&
                                !strcmp((const char *)fn->name, "name")) {
                                char *fname = (char *)xmlNodeGetContent(fn);
                                g_hash_table_add(f, g_strdup(fname));
                                xmlFree(fname);
                            }
                xmlFree(content);
            }
            g_assert_nonnull(name);
            g_assert_nonnull(super);
            g_hash_table_insert(supers, g_strdup(name), super);
            g_hash_table_insert(types, name, f);
        }
    xmlFreeDoc(x);
    /* merge supertype features (the chains are short) */
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, supers);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        GHashTable *f = g_hash_table_lookup(types, k);
        for (const char *s = v; s; s = g_hash_table_lookup(supers, s)) {
            GHashTable *sf = g_hash_table_lookup(types, s);
            g_assert_nonnull(sf); /* every supertype is declared or built in */
            GHashTableIter j;
            gpointer fk;
            g_hash_table_iter_init(&j, sf);
            while (g_hash_table_iter_next(&j, &fk, NULL))
                if (!g_hash_table_contains(f, fk))
                    g_hash_table_add(f, g_strdup(fk));
        }
    }
    g_hash_table_destroy(supers);
    return types;
}

/* "http:///a/b/c.ecore" + "Name" -> "a.b.c.Name" */
static char *uima_type(xmlNodePtr n)
{
    g_assert_nonnull(n->ns);
    const char *href = (const char *)n->ns->href;
    g_assert_true(g_str_has_prefix(href, "http:///") && g_str_has_suffix(href, ".ecore"));
    g_autofree char *pkg = g_strndup(href + 8, strlen(href) - 8 - 6);
    g_strdelimit(pkg, "/", '.');
    return g_strdup_printf("%s.%s", pkg, (const char *)n->name);
}

/* Every element's type is declared and every attribute is a feature of it;
 * references point at elements that exist. */
static void validate_xmi(xmlNodePtr root, GHashTable *types, GHashTable *by_id)
{
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        g_autofree char *type = uima_type(n);
        if (!strcmp(type, "uima.cas.NULL") || !strcmp(type, "uima.cas.Sofa") ||
            !strcmp(type, "uima.cas.View"))
            continue;
        GHashTable *features = g_hash_table_lookup(types, type);
        if (!features)
            g_error("XMI element of undeclared type %s", type);
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            if (a->ns) { /* xmi:id */
                g_assert_cmpstr((const char *)a->name, ==, "id");
                continue;
            }
            if (!g_hash_table_contains(features, a->name))
                g_error("%s has no feature %s", type, (const char *)a->name);
            if (!strcmp((const char *)a->name, "arguments") ||
                !strcmp((const char *)a->name, "target")) {
                char *v = prop(n, (const char *)a->name);
                g_auto(GStrv) refs = g_strsplit(v, " ", -1);
                for (char **r = refs; *r; r++)
                    g_assert_true(g_hash_table_contains(by_id, *r));
                xmlFree(v);
            }
        }
    }
}

static void check_xmi_doc(const char *path, const nerve_doc *doc, GHashTable *types)
{
    xmlDocPtr x = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
    g_assert_nonnull(x); /* well-formed */
    xmlNodePtr root = xmlDocGetRootElement(x);
    g_assert_cmpstr((const char *)root->name, ==, "XMI");
    GHashTable *by_id = g_hash_table_new_full(g_str_hash, g_str_equal, xmlFree, NULL);
    char *sofa = NULL, *members = NULL;
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        char *id = (char *)xmlGetNsProp(n, (const xmlChar *)"id",
                                        (const xmlChar *)"http://www.omg.org/XMI");
        if (id)
            g_hash_table_insert(by_id, id, n);
        if (!strcmp((const char *)n->name, "Sofa"))
            sofa = prop(n, "sofaString");
        if (!strcmp((const char *)n->name, "View"))
            members = prop(n, "members");
    }
    const char *text = nerve_doc_text(doc, NULL);
    g_assert_cmpstr(sofa, ==, text); /* CR and LF survive as character references */
    g_auto(GStrv) mem = g_strsplit(members, " ", -1);
    for (char **m = mem; *m; m++)
        g_assert_true(g_hash_table_contains(by_id, *m));
    validate_xmi(root, types, by_id);
    GPtrArray *got = g_ptr_array_new_with_free_func(g_free);
    guint events = 0, theme = 0;
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        char *slice = fx_slice(text, lprop(n, "begin"), lprop(n, "end"), NERVE_UNIT_UTF16);
        if (!strcmp((const char *)n->name, "NamedEntity")) {
            char *v = prop(n, "value");
            g_assert_nonnull(slice);
            g_ptr_array_add(got, g_strdup_printf("%s\t%s", v, slice));
            xmlFree(v);
        } else if (!strcmp((const char *)n->name, "Event")) {
            events++;
            char *args = prop(n, "arguments");
            g_auto(GStrv) links = g_strsplit(args, " ", -1);
            for (char **l = links; *l; l++) {
                xmlNodePtr link = g_hash_table_lookup(by_id, *l);
                char *role = prop(link, "role"), *target = prop(link, "target");
                xmlNodePtr t = g_hash_table_lookup(by_id, target);
                g_autofree char *ts =
                    fx_slice(text, lprop(t, "begin"), lprop(t, "end"), NERVE_UNIT_UTF16);
                if (!strcmp(role, "theme")) {
                    g_assert_cmpstr(ts, ==, "officials");
                    theme++;
                }
                xmlFree(role);
                xmlFree(target);
            }
            xmlFree(args);
        }
        g_free(slice);
    }
    g_autofree char *have = fx_join_sorted(got), *want = fx_expected(doc, NERVE_LABELS_NATIVE);
    g_assert_cmpstr(have, ==, want);
    size_t n_ev;
    nerve_doc_events(doc, &n_ev);
    g_assert_cmpuint(events, ==, n_ev);
    g_assert_cmpuint(theme, ==, n_ev ? 1 : 0);
    xmlFree(sofa);
    xmlFree(members);
    g_hash_table_destroy(by_id);
    xmlFreeDoc(x);
}

static void test_xmi(void)
{
    GPtrArray *docs = fx_docs(TRUE);
    char **names;
    g_autofree char *dir = write_dir("xmi", docs, TRUE, &names);
    g_autofree char *ts = g_build_filename(dir, "TypeSystem.xml", NULL);
    GHashTable *types = load_type_system(ts);
    g_assert_true(
        g_hash_table_contains(types, "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"));
    for (guint i = 0; i < docs->len; i++) {
        g_autofree char *path = g_strdup_printf("%s/%s.xmi", dir, names[i]);
        check_xmi_doc(path, g_ptr_array_index(docs, i), types);
    }
    g_hash_table_destroy(types);
    g_strfreev(names);
    g_ptr_array_unref(docs);
    fx_rm_rf(dir);
}

/* --- gate -------------------------------------------------------------------------------- */

static char *feature_value(xmlNodePtr ann, const char *name)
{
    for (xmlNodePtr f = ann->children; f; f = f->next) {
        if (f->type != XML_ELEMENT_NODE)
            continue;
        char *n = NULL, *v = NULL;
        for (xmlNodePtr c = f->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (!strcmp((const char *)c->name, "Name"))
                n = (char *)xmlNodeGetContent(c);
            else
                v = (char *)xmlNodeGetContent(c);
        }
        gboolean hit = n && !strcmp(n, name);
        xmlFree(n);
        if (hit)
            return v;
        xmlFree(v);
    }
    return NULL;
}

static void check_gate_doc(const char *path, const nerve_doc *doc)
{
    const char *text = nerve_doc_text(doc, NULL);
    xmlDocPtr x = xmlReadFile(path, NULL, XML_PARSE_NONET);
    g_assert_nonnull(x);
    xmlNodePtr root = xmlDocGetRootElement(x);
    g_assert_cmpstr((const char *)root->name, ==, "GateDocument");
    char *version = prop(root, "version");
    g_assert_cmpstr(version, ==, "3");
    xmlFree(version);
    GString *seen = g_string_new(NULL);
    GPtrArray *got = g_ptr_array_new_with_free_func(g_free);
    guint events = 0;
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!strcmp((const char *)n->name, "TextWithNodes"))
            for (xmlNodePtr c = n->children; c; c = c->next) {
                if (c->type == XML_TEXT_NODE)
                    g_string_append(seen, (const char *)c->content);
                else { /* a node sits at the UTF-16 length of the text before it */
                    glong units = 0;
                    g_free(g_utf8_to_utf16(seen->str, -1, NULL, &units, NULL));
                    g_assert_cmpint(lprop(c, "id"), ==, units);
                }
            }
        if (strcmp((const char *)n->name, "AnnotationSet"))
            continue;
        for (xmlNodePtr a = n->children; a; a = a->next) {
            if (a->type != XML_ELEMENT_NODE)
                continue;
            char *type = prop(a, "Type");
            g_autofree char *slice =
                fx_slice(text, lprop(a, "StartNode"), lprop(a, "EndNode"), NERVE_UNIT_UTF16);
            g_assert_nonnull(slice);
            if (!strcmp(type, "Token")) {
                char *s = feature_value(a, "string");
                g_assert_cmpstr(s, ==, slice);
                xmlFree(s);
            } else if (!strcmp(type, "Event")) {
                events++;
                char *agent = feature_value(a, "agent");
                g_assert_nonnull(agent);
                xmlFree(agent);
            } else if (strcmp(type, "Sentence") && strcmp(type, "EventArgument"))
                g_ptr_array_add(got, g_strdup_printf("%s\t%s", type, slice));
            xmlFree(type);
        }
    }
    g_assert_cmpstr(seen->str, ==, text);
    g_string_free(seen, TRUE);
    g_autofree char *have = fx_join_sorted(got), *want = fx_expected(doc, NERVE_LABELS_NATIVE);
    g_assert_cmpstr(have, ==, want);
    size_t n_ev;
    nerve_doc_events(doc, &n_ev);
    g_assert_cmpuint(events, ==, n_ev);
    xmlFreeDoc(x);
}

static void test_gate(void)
{
    GPtrArray *docs = fx_docs(FALSE);
    char **names;
    g_autofree char *dir = write_dir("gate", docs, FALSE, &names);
    for (guint i = 0; i < docs->len; i++) {
        g_autofree char *path = g_strdup_printf("%s/%s.xml", dir, names[i]);
        check_gate_doc(path, g_ptr_array_index(docs, i));
    }
    g_strfreev(names);
    g_ptr_array_unref(docs);
    fx_rm_rf(dir);
}

/* --- webanno -------------------------------------------------------------------------------- */

static char *unescape(const char *s, size_t len)
{
    GString *o = g_string_new(NULL);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            i++;
            g_string_append_c(o, s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : s[i]);
        } else
            g_string_append_c(o, s[i]);
    }
    return g_string_free(o, FALSE);
}

/* Splits a cell at unescaped '|'. */
static GPtrArray *items(const char *cell)
{
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
    const char *start = cell;
    for (const char *p = cell;; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '|' || !*p) {
            g_ptr_array_add(a, g_strndup(start, (gsize)(p - start)));
            start = p + 1;
        }
        if (!*p)
            break;
    }
    return a;
}

typedef struct {
    char *label;
    long begin, end;
} wa_span;

static void check_webanno_doc(const char *path, const nerve_doc *doc)
{
    const char *text = nerve_doc_text(doc, NULL);
    g_autofree char *data = fx_slurp(path);
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    g_assert_cmpstr(lines[0], ==, "#FORMAT=WebAnno TSV 3.3");
    GHashTable *multi = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GPtrArray *got = g_ptr_array_new_with_free_func(g_free);
    GHashTable *arg_tokens = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char *meet_targets = NULL;
    for (char **l = lines; *l; l++) {
        if (!**l || **l == '#')
            continue;
        g_auto(GStrv) f = g_strsplit(*l, "\t", -1);
        g_assert_cmpuint(g_strv_length(f), ==, 10);
        long b, e;
        g_assert_cmpint(sscanf(f[1], "%ld-%ld", &b, &e), ==, 2);
        g_autofree char *slice = fx_slice(text, b, e, NERVE_UNIT_UTF16);
        g_autofree char *tok = unescape(f[2], strlen(f[2]));
        g_assert_cmpstr(slice, ==, tok);
        if (strcmp(f[5], "_"))
            g_hash_table_add(arg_tokens, g_strdup(f[0]));
        if (!strcmp(f[9], "Contact.Meet"))
            meet_targets = g_strdup(f[7]);
        if (!strcmp(f[4], "_"))
            continue;
        GPtrArray *its = items(f[4]);
        for (guint i = 0; i < its->len; i++) {
            char *it = g_ptr_array_index(its, i), *br = strrchr(it, '[');
            if (!br || it[strlen(it) - 1] != ']') {
                g_autofree char *label = unescape(it, strlen(it));
                g_ptr_array_add(got, g_strdup_printf("%s\t%s", label, slice));
                continue;
            }
            wa_span *s = g_hash_table_lookup(multi, br);
            if (!s) {
                s = g_new0(wa_span, 1);
                s->label = unescape(it, (size_t)(br - it));
                s->begin = b;
                g_hash_table_insert(multi, g_strdup(br), s);
            }
            s->end = e;
        }
        g_ptr_array_unref(its);
    }
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, multi);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        wa_span *s = v;
        g_autofree char *slice = fx_slice(text, s->begin, s->end, NERVE_UNIT_UTF16);
        g_ptr_array_add(got, g_strdup_printf("%s\t%s", s->label, slice));
        g_free(s->label);
    }
    g_autofree char *have = fx_join_sorted(got), *want = fx_expected(doc, NERVE_LABELS_NATIVE);
    g_assert_cmpstr(have, ==, want);
    size_t n_ev;
    nerve_doc_events(doc, &n_ev);
    if (n_ev) { /* the slot's targets name tokens that carry an EventArgument */
        g_assert_nonnull(meet_targets);
        g_auto(GStrv) targets = g_strsplit(meet_targets, ";", -1);
        g_assert_cmpuint(g_strv_length(targets), ==, 4);
        for (char **t = targets; *t; t++) {
            char *br = strchr(*t, '[');
            if (br)
                *br = 0;
            g_assert_true(g_hash_table_contains(arg_tokens, *t));
        }
    }
    g_free(meet_targets);
    g_hash_table_destroy(arg_tokens);
    g_hash_table_destroy(multi);
}

static void test_webanno(void)
{
    GPtrArray *docs = fx_docs(TRUE); /* the dropped ORG stacks on Aiko Tan */
    char **names;
    g_autofree char *dir = write_dir("webanno", docs, TRUE, &names);
    for (guint i = 0; i < docs->len; i++) {
        g_autofree char *path = g_strdup_printf("%s/%s.tsv", dir, names[i]);
        check_webanno_doc(path, g_ptr_array_index(docs, i));
    }
    g_strfreev(names);
    g_ptr_array_unref(docs);
    fx_rm_rf(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/formats/xmi", test_xmi);
    g_test_add_func("/formats/gate", test_gate);
    g_test_add_func("/formats/webanno", test_webanno);
    return g_test_run();
}
