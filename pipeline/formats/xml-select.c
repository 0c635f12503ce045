/* xml-select.c - which elements are documents, and the presets.
 *
 * --xpath-doc is tested while the stream is read, on each element as it
 * opens, before its content exists; full XPath cannot run there, so the
 * accepted forms (FORMS below, also shown in the usage error) are location
 * paths with child and descendant steps whose tests need only the
 * element, its attributes and its ancestors.  A relative path such as
 * "doc" finds the element anywhere, like "//doc".
 *
 * An unprefixed element name matches that local name in any namespace
 * (TEI and NITF files may or may not declare one); a prefix requires the
 * namespace: well-known prefixes (tei, nitf, xhtml, ...) or the ones the
 * document declares.  Everything else (positions, other functions, other
 * axes) is a usage error, said with the accepted forms.
 *
 * The same "any namespace" rule is applied to --xpath-text, --xpath-id and
 * --xpath-meta, which are real XPath 1.0 evaluated on the document
 * element, by rewriting unprefixed name tests to
 * *[local-name()='NAME'] (nerve_xpath_any_namespace).
 */
#include <string.h>

#include <libxml/xpathInternals.h>

#include "formats/markup.h"
#include "nerve/error.h"

#define FORMS                                                                                      \
    "//doc, /corpus/doc, /corpus//doc, doc (the same as //doc), .//doc, //tei:TEI, "               \
    "//*[local-name()='TEI'], //*:TEI, //tei:*, //*, unions (//a | //b), and predicates "          \
    "on any step: [@a], [@a='v'], [@a!='v'], [local-name()='v'], [name()='v'], not(...), "         \
    "and, or, parentheses"

/* --- predicates ---------------------------------------------------------- */

typedef enum { P_ATTR, P_ATTR_EQ, P_LOCAL_EQ, P_NAME_EQ, P_NOT, P_AND, P_OR } pred_kind;

typedef struct pred {
    pred_kind kind;
    gboolean negate_eq; /* != */
    char *prefix, *name, *value;
    struct pred *a, *b;
} pred;

typedef struct {
    gboolean descendant; /* reached through // (else /) */
    char *prefix;        /* NULL: any namespace; "*": any (for *:name) */
    char *local;         /* NULL: * */
    GPtrArray *preds;    /* pred* */
} step;

struct nerve_doc_select {
    GPtrArray *paths; /* GPtrArray of step* */
};

static void pred_free(pred *p)
{
    if (!p)
        return;
    g_free(p->prefix);
    g_free(p->name);
    g_free(p->value);
    pred_free(p->a);
    pred_free(p->b);
    g_free(p);
}

static void step_free(gpointer data)
{
    step *s = data;
    g_free(s->prefix);
    g_free(s->local);
    if (s->preds)
        g_ptr_array_free(s->preds, TRUE);
    g_free(s);
}

void nerve_doc_select_free(nerve_doc_select *sel)
{
    if (!sel)
        return;
    g_ptr_array_free(sel->paths, TRUE);
    g_free(sel);
}

/* --- parsing ------------------------------------------------------------- */

typedef struct {
    const char *s, *p;
    gboolean bad;
} lexer;

static void skip_ws(lexer *lx)
{
    while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' || *lx->p == '\r')
        lx->p++;
}

static gboolean name_start(unsigned char c)
{
    return g_ascii_isalpha(c) || c == '_' || c >= 0x80;
}

static gboolean name_char(unsigned char c)
{
    return name_start(c) || g_ascii_isdigit(c) || c == '.' || c == '-';
}

static char *ncname(lexer *lx)
{
    if (!name_start((unsigned char)*lx->p))
        return NULL;
    const char *b = lx->p;
    while (name_char((unsigned char)*lx->p))
        lx->p++;
    return g_strndup(b, (gsize)(lx->p - b));
}

static gboolean eat(lexer *lx, const char *tok)
{
    skip_ws(lx);
    size_t n = strlen(tok);
    if (strncmp(lx->p, tok, n))
        return FALSE;
    lx->p += n;
    return TRUE;
}

static char *literal(lexer *lx)
{
    skip_ws(lx);
    char q = *lx->p;
    if (q != '\'' && q != '"')
        return NULL;
    const char *b = ++lx->p;
    while (*lx->p && *lx->p != q)
        lx->p++;
    if (!*lx->p)
        return NULL;
    char *v = g_strndup(b, (gsize)(lx->p - b));
    lx->p++;
    return v;
}

/* QName into prefix (or NULL) and local name. */
static gboolean qname(lexer *lx, char **prefix, char **local)
{
    skip_ws(lx);
    *prefix = NULL;
    *local = ncname(lx);
    if (!*local)
        return FALSE;
    if (lx->p[0] == ':' && lx->p[1] != ':') {
        lx->p++;
        *prefix = *local;
        *local = ncname(lx);
        if (!*local) {
            g_free(*prefix);
            *prefix = NULL;
            return FALSE;
        }
    }
    return TRUE;
}

static pred *parse_or(lexer *lx, int depth);

static pred *parse_atom(lexer *lx, int depth)
{
    pred *p = g_new0(pred, 1);
    if (eat(lx, "@")) {
        if (!qname(lx, &p->prefix, &p->name))
            goto bad;
        p->kind = P_ATTR;
    } else if (eat(lx, "local-name()"))
        p->kind = P_LOCAL_EQ;
    else if (eat(lx, "name()"))
        p->kind = P_NAME_EQ;
    else if (eat(lx, "not(")) {
        p->kind = P_NOT;
        if (!(p->a = parse_or(lx, depth + 1)) || !eat(lx, ")"))
            goto bad;
        return p;
    } else if (eat(lx, "(")) {
        pred_free(p);
        p = parse_or(lx, depth + 1);
        if (!p || !eat(lx, ")"))
            goto bad;
        return p;
    } else
        goto bad;
    gboolean ne = eat(lx, "!=");
    if (ne || eat(lx, "=")) {
        p->negate_eq = ne;
        if (!(p->value = literal(lx)))
            goto bad;
        if (p->kind == P_ATTR)
            p->kind = P_ATTR_EQ;
    } else if (p->kind != P_ATTR)
        goto bad;
    return p;
bad:
    pred_free(p);
    lx->bad = TRUE;
    return NULL;
}

static pred *parse_binary(lexer *lx, int depth, gboolean is_or)
{
    if (depth > 32) {
        lx->bad = TRUE;
        return NULL;
    }
    pred *l = is_or ? parse_binary(lx, depth, FALSE) : parse_atom(lx, depth);
    while (l) {
        const char *save = lx->p;
        skip_ws(lx);
        const char *kw = is_or ? "or" : "and";
        if (!eat(lx, kw) || name_char((unsigned char)*lx->p)) {
            lx->p = save;
            break;
        }
        pred *r = is_or ? parse_binary(lx, depth, FALSE) : parse_atom(lx, depth);
        if (!r) {
            pred_free(l);
            return NULL;
        }
        pred *n = g_new0(pred, 1);
        n->kind = is_or ? P_OR : P_AND;
        n->a = l;
        n->b = r;
        l = n;
    }
    return l;
}

static pred *parse_or(lexer *lx, int depth)
{
    return parse_binary(lx, depth, TRUE);
}

static step *parse_step(lexer *lx, gboolean descendant)
{
    step *s = g_new0(step, 1);
    s->descendant = descendant;
    s->preds = g_ptr_array_new_with_free_func((GDestroyNotify)pred_free);
    skip_ws(lx);
    if (eat(lx, "child::"))
        skip_ws(lx);
    if (*lx->p == '*') {
        lx->p++;
        if (lx->p[0] == ':' && lx->p[1] != ':') { /* *:name */
            lx->p++;
            if (!(s->local = ncname(lx)))
                goto bad;
            s->prefix = g_strdup("*");
        }
    } else {
        char *prefix, *local;
        skip_ws(lx);
        const char *save = lx->p;
        if (!qname(lx, &prefix, &local)) {
            /* prefix:* */
            lx->p = save;
            char *pre = ncname(lx);
            if (!pre || lx->p[0] != ':' || lx->p[1] != '*') {
                g_free(pre);
                goto bad;
            }
            lx->p += 2;
            s->prefix = pre;
        } else {
            s->prefix = prefix;
            s->local = local;
        }
    }
    if (!s->local && s->prefix && !strcmp(s->prefix, "*")) {
        g_free(s->prefix);
        s->prefix = NULL;
    }
    while (eat(lx, "[")) {
        pred *p = parse_or(lx, 0);
        if (!p || !eat(lx, "]")) {
            pred_free(p);
            goto bad;
        }
        g_ptr_array_add(s->preds, p);
    }
    return s;
bad:
    lx->bad = TRUE;
    step_free(s);
    return NULL;
}

static GPtrArray *parse_path(lexer *lx)
{
    GPtrArray *steps = g_ptr_array_new_with_free_func(step_free);
    skip_ws(lx);
    gboolean desc = TRUE; /* a relative path finds the element anywhere */
    if (eat(lx, ".//") || eat(lx, "//"))
        desc = TRUE;
    else if (eat(lx, "./"))
        desc = TRUE;
    else if (eat(lx, "/"))
        desc = FALSE;
    for (;;) {
        step *s = parse_step(lx, desc);
        if (!s) {
            g_ptr_array_free(steps, TRUE);
            return NULL;
        }
        g_ptr_array_add(steps, s);
        skip_ws(lx);
        if (eat(lx, "//"))
            desc = TRUE;
        else if (eat(lx, "/"))
            desc = FALSE;
        else
            return steps;
    }
}

nerve_doc_select *nerve_doc_select_new(const char *xpath, GError **error)
{
    lexer lx = {xpath, xpath, FALSE};
    nerve_doc_select *sel = g_new0(nerve_doc_select, 1);
    sel->paths = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    for (;;) {
        GPtrArray *path = parse_path(&lx);
        if (!path)
            break;
        g_ptr_array_add(sel->paths, path);
        if (!eat(&lx, "|"))
            break;
    }
    skip_ws(&lx);
    if (lx.bad || *lx.p || !sel->paths->len) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_USAGE,
                    "--xpath-doc \"%s\": not a form the streaming reader can test (at \"%s\"); "
                    "accepted: " FORMS,
                    xpath, *lx.p ? lx.p : "the end");
        nerve_doc_select_free(sel);
        return NULL;
    }
    return sel;
}

/* --- matching ------------------------------------------------------------ */

const char *nerve_known_namespace(const char *prefix)
{
    static const char *const known[][2] = {
        {"tei", "http://www.tei-c.org/ns/1.0"},
        {"nitf", "http://iptc.org/std/NITF/2006-10-18/"},
        {"xhtml", "http://www.w3.org/1999/xhtml"},
        {"html", "http://www.w3.org/1999/xhtml"},
        {"newsml", "http://iptc.org/std/nar/2006-10-01/"},
        {"nar", "http://iptc.org/std/nar/2006-10-01/"},
        {"atom", "http://www.w3.org/2005/Atom"},
        {"dc", "http://purl.org/dc/elements/1.1/"},
        {"xml", "http://www.w3.org/XML/1998/namespace"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(known); i++)
        if (!strcmp(prefix, known[i][0]))
            return known[i][1];
    return NULL;
}

static const char *ns_uri(const xmlNode *el, const char *prefix)
{
    xmlNs *ns = xmlSearchNs(el->doc, (xmlNode *)el, (const xmlChar *)prefix);
    if (ns && ns->href)
        return (const char *)ns->href;
    return nerve_known_namespace(prefix);
}

static xmlAttr *find_attr(const xmlNode *el, const char *prefix, const char *name)
{
    const char *uri = prefix ? ns_uri(el, prefix) : NULL;
    if (prefix && !uri)
        return NULL;
    for (xmlAttr *a = el->properties; a; a = a->next) {
        if (strcmp((const char *)a->name, name))
            continue;
        if (!prefix || (a->ns && a->ns->href && !strcmp((const char *)a->ns->href, uri)))
            return a;
    }
    return NULL;
}

static gboolean attr_equals(const xmlAttr *a, const char *value)
{
    GString *v = g_string_new(NULL);
    for (const xmlNode *c = a->children; c; c = c->next)
        if (c->content)
            g_string_append(v, (const char *)c->content);
    gboolean eq = !strcmp(v->str, value);
    g_string_free(v, TRUE);
    return eq;
}

static gboolean test_pred(const pred *p, const xmlNode *el)
{
    switch (p->kind) {
    case P_ATTR:
        return find_attr(el, p->prefix, p->name) != NULL;
    case P_ATTR_EQ: {
        xmlAttr *a = find_attr(el, p->prefix, p->name);
        return a && attr_equals(a, p->value) != p->negate_eq;
    }
    case P_LOCAL_EQ:
        return (strcmp((const char *)el->name, p->value) == 0) != p->negate_eq;
    case P_NAME_EQ: {
        g_autofree char *qn = el->ns && el->ns->prefix
                                  ? g_strdup_printf("%s:%s", el->ns->prefix, el->name)
                                  : g_strdup((const char *)el->name);
        return (strcmp(qn, p->value) == 0) != p->negate_eq;
    }
    case P_NOT:
        return !test_pred(p->a, el);
    case P_AND:
        return test_pred(p->a, el) && test_pred(p->b, el);
    case P_OR:
        return test_pred(p->a, el) || test_pred(p->b, el);
    }
    return FALSE;
}

static gboolean test_step(const step *s, const xmlNode *el)
{
    if (s->local && strcmp((const char *)el->name, s->local))
        return FALSE;
    if (s->prefix && strcmp(s->prefix, "*")) {
        const char *uri = ns_uri(el, s->prefix);
        if (!uri || !el->ns || !el->ns->href || strcmp((const char *)el->ns->href, uri))
            return FALSE;
    }
    for (guint i = 0; i < s->preds->len; i++)
        if (!test_pred(g_ptr_array_index(s->preds, i), el))
            return FALSE;
    return TRUE;
}

static const xmlNode *parent_element(const xmlNode *el)
{
    const xmlNode *p = el->parent;
    return p && p->type == XML_ELEMENT_NODE ? p : NULL;
}

/* Steps 0..i match el and its ancestors. */
static gboolean match_at(GPtrArray *path, guint i, const xmlNode *el)
{
    const step *s = g_ptr_array_index(path, i);
    if (!test_step(s, el))
        return FALSE;
    const xmlNode *p = parent_element(el);
    if (i == 0)
        return s->descendant || !p;
    if (!s->descendant)
        return p && match_at(path, i - 1, p);
    for (; p; p = parent_element(p))
        if (match_at(path, i - 1, p))
            return TRUE;
    return FALSE;
}

gboolean nerve_doc_select_match(const nerve_doc_select *sel, const xmlNode *el)
{
    for (guint i = 0; i < sel->paths->len; i++) {
        GPtrArray *path = g_ptr_array_index(sel->paths, i);
        if (match_at(path, path->len - 1, el))
            return TRUE;
    }
    return FALSE;
}

/* --- any-namespace XPath --------------------------------------------------- */

typedef enum { T_START, T_OPERAND, T_OPERATOR, T_AT, T_AXIS_SEP, T_NAME_FN } tok;

typedef struct {
    const char *p;
    GString *out;
    tok prev;           /* what came before: decides what a name or * is */
    gboolean attr_axis; /* the last axis was attribute:: or namespace:: */
} rewriter;

/* An NCName or QName at w->p (XPath 1.0, section 3.7): after an operand
 * it is an operator (and, or, div, mod); before "(" a function or node
 * type; before "::" an axis; otherwise a name test, rewritten when it is
 * an unprefixed element name. */
static void rewrite_name(rewriter *w)
{
    const char *b = w->p, *p = w->p;
    while (name_char((unsigned char)*p))
        p++;
    gboolean prefixed = FALSE;
    if (p[0] == ':' && p[1] != ':' && (name_start((unsigned char)p[1]) || p[1] == '*')) {
        prefixed = TRUE;
        p++;
        if (*p == '*')
            p++;
        else
            while (name_char((unsigned char)*p))
                p++;
    }
    int n = (int)(p - b);
    const char *q = p;
    while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
        q++;
    tok next = T_OPERAND;
    if (w->prev == T_OPERAND) {
        g_string_append_len(w->out, b, n);
        next = T_OPERATOR;
    } else if (*q == '(') {
        g_string_append_len(w->out, b, n);
        next = T_NAME_FN;
    } else if (q[0] == ':' && q[1] == ':') {
        w->attr_axis =
            (n == 9 && !strncmp(b, "attribute", 9)) || (n == 9 && !strncmp(b, "namespace", 9));
        g_string_append_len(w->out, b, n);
        next = T_NAME_FN;
    } else if (prefixed || w->prev == T_AT || (w->prev == T_AXIS_SEP && w->attr_axis))
        g_string_append_len(w->out, b, n);
    else
        g_string_append_printf(w->out, "*[local-name()='%.*s']", n, b);
    if (next != T_NAME_FN)
        w->attr_axis = FALSE;
    w->prev = next;
    w->p = p;
}

/* A "*" at w->p: multiplication after an operand, else a name test
 * ("*:name", XPath 2's any-namespace form, is rewritten). */
static void rewrite_star(rewriter *w)
{
    const char *p = w->p + 1;
    if (w->prev == T_OPERAND) {
        g_string_append_c(w->out, '*');
        w->prev = T_OPERATOR;
    } else if (p[0] == ':' && p[1] != ':' && name_start((unsigned char)p[1])) {
        const char *b = ++p;
        while (name_char((unsigned char)*p))
            p++;
        g_string_append_printf(w->out, "*[local-name()='%.*s']", (int)(p - b), b);
        w->prev = T_OPERAND;
    } else {
        g_string_append_c(w->out, '*');
        w->prev = T_OPERAND;
    }
    w->p = p;
}

/* Copies n bytes and sets what they were. */
static void copy(rewriter *w, gsize n, tok what)
{
    g_string_append_len(w->out, w->p, (gssize)n);
    w->p += n;
    w->prev = what;
}

char *nerve_xpath_any_namespace(const char *expr)
{
    rewriter w = {expr, g_string_new(NULL), T_START, FALSE};
    while (*w.p) {
        unsigned char c = (unsigned char)*w.p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            g_string_append_c(w.out, *w.p++);
        } else if (c == '\'' || c == '"') {
            const char *e = strchr(w.p + 1, c);
            copy(&w, e ? (gsize)(e + 1 - w.p) : strlen(w.p), T_OPERAND);
        } else if (g_ascii_isdigit(c) || (c == '.' && g_ascii_isdigit((unsigned char)w.p[1]))) {
            gsize n = 0;
            while (g_ascii_isdigit((unsigned char)w.p[n]) || w.p[n] == '.')
                n++;
            copy(&w, n, T_OPERAND);
        } else if (c == '.')
            copy(&w, w.p[1] == '.' ? 2 : 1, T_OPERAND);
        else if (c == ')' || c == ']')
            copy(&w, 1, T_OPERAND);
        else if (c == '(' || c == '[' || c == ',')
            copy(&w, 1, T_START);
        else if (c == '@')
            copy(&w, 1, T_AT);
        else if (c == ':' && w.p[1] == ':')
            copy(&w, 2, T_AXIS_SEP);
        else if (c == '$') {
            gsize n = 1;
            while (name_char((unsigned char)w.p[n]) || w.p[n] == ':')
                n++;
            copy(&w, n, T_OPERAND);
        } else if (c == '*')
            rewrite_star(&w);
        else if (name_start(c))
            rewrite_name(&w);
        else { /* operators: / // | + - = != < <= > >= */
            gboolean two = ((c == '!' || c == '<' || c == '>') && w.p[1] == '=') ||
                           (c == '/' && w.p[1] == '/');
            copy(&w, two ? 2 : 1, T_OPERATOR);
        }
    }
    return g_string_free(w.out, FALSE);
}

void nerve_xpath_register_ns(xmlXPathContext *xp, xmlNode *node)
{
    static const char *const prefixes[] = {"tei",    "nitf", "xhtml", "html",
                                           "newsml", "nar",  "atom",  "dc"};
    for (guint i = 0; i < G_N_ELEMENTS(prefixes); i++)
        xmlXPathRegisterNs(xp, (const xmlChar *)prefixes[i],
                           (const xmlChar *)nerve_known_namespace(prefixes[i]));
    xmlNs **list = node ? xmlGetNsList(node->doc, node) : NULL;
    for (xmlNs **ns = list; ns && *ns; ns++)
        if ((*ns)->prefix && (*ns)->href)
            xmlXPathRegisterNs(xp, (*ns)->prefix, (*ns)->href);
    xmlFree(list);
}

/* --- presets ------------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *exprs[5];
    gboolean scalar;
} preset_field;

typedef struct {
    const char *name;
    const char *doc, *text, *id[4], *meta_pairs;
    preset_field meta[8];
    gboolean trec;
} preset;

static const preset presets[] = {
    {"nitf",
     "//nitf",
     "body/body.head/hedline | body/body.content/block[@class='full_text'] | "
     "body/body.content[not(block[@class='full_text'])]",
     {"head/docdata/doc-id/@id-string", "@uid", "@id", NULL},
     "head/meta[@name and @content]",
     {{"title", {"head/title", "body/body.head/hedline/hl1"}, TRUE},
      {"date", {"head/docdata/date.issue/@norm", "head/pubdata/@date.publication"}, TRUE},
      {"source",
       {"head/pubdata/@name", "head/docdata/doc.copyright/@holder", "body/body.head/distributor"},
       TRUE},
      {"byline", {"body/body.head/byline"}, FALSE},
      {"dateline", {"body/body.head/dateline"}, TRUE},
      {"keywords", {"head/docdata/key-list/keyword/@key"}, FALSE}},
     FALSE},
    {"tei",
     "//TEI",
     "text/body | text/group",
     {"@xml:id", "@id", NULL, NULL},
     NULL,
     {{"title", {"teiHeader/fileDesc/titleStmt/title"}, FALSE},
      {"author", {"teiHeader/fileDesc/titleStmt/author"}, FALSE},
      {"date",
       {"teiHeader/fileDesc/sourceDesc//date/@when", "teiHeader/fileDesc/sourceDesc//date",
        "teiHeader/fileDesc/publicationStmt/date/@when", "teiHeader/fileDesc/publicationStmt/date"},
       TRUE},
      {"publisher",
       {"teiHeader/fileDesc/sourceDesc//publisher", "teiHeader/fileDesc/publicationStmt/publisher"},
       TRUE},
      {"language",
       {"teiHeader/profileDesc/langUsage/language/@ident", "@xml:lang", "text/@xml:lang"},
       TRUE}},
     FALSE},
    {"trec",
     "//DOC",
     "HEADLINE | HL | HEAD | TITLE | HEADER/H3/TI | LP | LEADPARA | TEXT",
     {"DOCNO", "DOCID", NULL, NULL},
     NULL,
     {{"date", {"DATE", "DD", "DATE1", "HEADER/DATE1"}, TRUE},
      {"source", {"SO", "SOURCE"}, TRUE},
      {"byline", {"BYLINE"}, FALSE},
      {"dateline", {"DATELINE"}, TRUE}},
     TRUE},
};

static void add_field(nerve_xml_config *cfg, const char *name, char **exprs, gboolean scalar)
{
    for (guint i = 0; i < cfg->meta->len; i++) {
        nerve_xml_field *f = g_ptr_array_index(cfg->meta, i);
        if (!strcmp(f->name, name)) { /* --xpath-meta overrides the preset */
            g_strfreev(f->exprs);
            f->exprs = exprs;
            f->scalar = scalar;
            return;
        }
    }
    nerve_xml_field *f = g_new0(nerve_xml_field, 1);
    f->name = g_strdup(name);
    f->exprs = exprs;
    f->scalar = scalar;
    g_ptr_array_add(cfg->meta, f);
}

static void field_free(gpointer data)
{
    nerve_xml_field *f = data;
    g_free(f->name);
    g_strfreev(f->exprs);
    g_free(f);
}

static char **strv_of(const char *const *v, guint max)
{
    GPtrArray *a = g_ptr_array_new();
    for (guint i = 0; i < max && v[i]; i++)
        g_ptr_array_add(a, g_strdup(v[i]));
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(a, FALSE);
}

gboolean nerve_xml_config_init(nerve_xml_config *cfg, const nerve_reader_options *opts,
                               GError **error)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->meta = g_ptr_array_new_with_free_func(field_free);
    const preset *ps = NULL;
    if (opts->xml_preset) {
        for (guint i = 0; i < G_N_ELEMENTS(presets); i++)
            if (!g_ascii_strcasecmp(opts->xml_preset, presets[i].name))
                ps = &presets[i];
        if (!ps) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_USAGE,
                        "--from xml:%s: unknown preset (nitf, tei, trec)", opts->xml_preset);
            nerve_xml_config_clear(cfg);
            return FALSE;
        }
        cfg->preset = ps->name;
        cfg->doc = g_strdup(ps->doc);
        cfg->text = g_strdup(ps->text);
        cfg->id = strv_of(ps->id, G_N_ELEMENTS(ps->id));
        cfg->meta_pairs = g_strdup(ps->meta_pairs);
        cfg->trec = ps->trec;
        for (guint i = 0; i < G_N_ELEMENTS(ps->meta) && ps->meta[i].name; i++)
            add_field(cfg, ps->meta[i].name,
                      strv_of(ps->meta[i].exprs, G_N_ELEMENTS(ps->meta[i].exprs)),
                      ps->meta[i].scalar);
    }
    if (opts->xpath_doc) {
        g_free(cfg->doc);
        cfg->doc = g_strdup(opts->xpath_doc);
    }
    if (opts->xpath_text) {
        g_free(cfg->text);
        cfg->text = g_strdup(opts->xpath_text);
    }
    if (opts->xpath_id) {
        g_strfreev(cfg->id);
        const char *one[] = {opts->xpath_id, NULL};
        cfg->id = strv_of(one, 1);
    }
    for (const char *const *m = opts->xpath_meta; m && *m; m++) {
        const char *eq = strchr(*m, '=');
        if (!eq || eq == *m || !eq[1]) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_USAGE,
                        "--xpath-meta \"%s\": expected NAME=XPATH", *m);
            nerve_xml_config_clear(cfg);
            return FALSE;
        }
        g_autofree char *name = g_strndup(*m, (gsize)(eq - *m));
        const char *one[] = {eq + 1, NULL};
        add_field(cfg, g_strstrip(name), strv_of(one, 1), FALSE);
    }
    return TRUE;
}

void nerve_xml_config_clear(nerve_xml_config *cfg)
{
    g_free(cfg->doc);
    g_free(cfg->text);
    g_strfreev(cfg->id);
    g_free(cfg->meta_pairs);
    if (cfg->meta)
        g_ptr_array_free(cfg->meta, TRUE);
    memset(cfg, 0, sizeof *cfg);
}
