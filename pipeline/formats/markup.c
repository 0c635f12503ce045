/* markup.c - XML and HTML input: dispatch, libxml2 setup, text layout.
 *
 * The reader calls nerve_markup_open() once per file and
 * nerve_markup_next() per record; this file sends them to xml.c or markup-html.c
 * inside a "scope" that
 * - silences libxml2's generic and structured error printing for the
 *   thread (the readers collect errors through their own per-parser
 *   handlers; library code never prints), and
 * - makes the external entity loader refuse everything.  The loader is
 *   process-wide in libxml2, so it is installed once and delegates to the
 *   previous loader outside nerve's parsing (a thread-local flag), which
 *   keeps other libxml2 users in the process unaffected.  The parsers are
 *   also run without XML_PARSE_NOENT and XML_PARSE_DTDLOAD and with
 *   XML_PARSE_NONET: the loader is the second lock, not the only one.
 *
 * The text of a document is laid out by nerve_textbuf the way a browser
 * renders it (collapsed whitespace, block elements on their own lines),
 * because that is what a reader of the article sees and what the sentence
 * splitter expects: a blank line is a paragraph break.  The tree walk is
 * iterative, so a hostile nesting depth cannot overflow the stack.
 */
#include "formats/markup.h"

#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include <string.h>

#include "nerve/error.h"

/* --- libxml2 scope ---------------------------------------------------- */

static _Thread_local int refusing;
static xmlExternalEntityLoader previous_loader;

static xmlParserInputPtr refuse_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    if (refusing)
        return NULL; /* nerve never loads external entities, DTDs or XIncludes */
    return previous_loader ? previous_loader(url, id, ctxt) : NULL;
}

static void quiet_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

static gpointer init_libxml(gpointer unused)
{
    (void)unused;
    xmlInitParser();
    previous_loader = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(refuse_loader);
    return NULL;
}

void nerve_markup_enter(nerve_markup_scope *scope)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, init_libxml, NULL);
    scope->outer = refusing == 0;
    refusing++;
    if (!scope->outer)
        return;
    scope->generic = xmlGenericError;
    scope->generic_ctx = xmlGenericErrorContext;
    scope->structured = xmlStructuredError;
    scope->structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
}

void nerve_markup_leave(nerve_markup_scope *scope)
{
    refusing--;
    if (!scope->outer)
        return;
    xmlSetGenericErrorFunc(scope->generic_ctx, scope->generic);
    xmlSetStructuredErrorFunc(scope->structured_ctx, scope->structured);
}

gsize nerve_markup_limit(const nerve_reader_options *opts)
{
    if (!opts->max_doc_bytes)
        return 0;
    gsize times = opts->max_doc_bytes > G_MAXSIZE / 4 ? G_MAXSIZE : opts->max_doc_bytes * 4;
    return MAX(times, (gsize)16 << 20);
}

/* --- dispatch ------------------------------------------------------------ */

typedef struct {
    nerve_input_format format;
    gpointer impl;
} markup_state;

gpointer nerve_markup_open(GInputStream *stream, const char *path, const char *id,
                           nerve_input_format format, const nerve_reader_options *opts,
                           GError **error)
{
    nerve_markup_scope scope;
    nerve_markup_enter(&scope);
    gpointer impl = format == NERVE_FORMAT_HTML ? nerve_html_open(stream, path, id, opts, error)
                                                : nerve_xml_open(stream, path, id, opts, error);
    nerve_markup_leave(&scope);
    if (!impl)
        return NULL;
    markup_state *st = g_new0(markup_state, 1);
    st->format = format;
    st->impl = impl;
    return st;
}

gboolean nerve_markup_next(gpointer state, nerve_record *rec, GError **error)
{
    (void)error; /* bad input, read errors included, becomes error records */
    markup_state *st = state;
    nerve_markup_scope scope;
    nerve_markup_enter(&scope);
    gboolean got = st->format == NERVE_FORMAT_HTML ? nerve_html_next(st->impl, rec)
                                                   : nerve_xml_next(st->impl, rec);
    nerve_markup_leave(&scope);
    return got;
}

void nerve_markup_close(gpointer state)
{
    markup_state *st = state;
    if (!st)
        return;
    nerve_markup_scope scope;
    nerve_markup_enter(&scope);
    if (st->format == NERVE_FORMAT_HTML)
        nerve_html_close(st->impl);
    else
        nerve_xml_close(st->impl);
    nerve_markup_leave(&scope);
    g_free(st);
}

/* --- text buffer --------------------------------------------------------- */

void nerve_textbuf_init(nerve_textbuf *tb, gsize limit)
{
    memset(tb, 0, sizeof *tb);
    tb->out = g_string_sized_new(1024);
    tb->limit = limit;
}

static gboolean full(nerve_textbuf *tb)
{
    if (tb->limit && tb->out->len > tb->limit)
        tb->over = TRUE;
    return tb->over;
}

static void flush_pending(nerve_textbuf *tb)
{
    static const char *const seps[] = {"", " ", "\t", "\n", "\n\n"};
    if (tb->out->len)
        g_string_append(tb->out, seps[tb->pending]);
    tb->pending = NERVE_BREAK_NONE;
    tb->n_br = 0;
}

void nerve_textbuf_break(nerve_textbuf *tb, int level)
{
    tb->pending = MAX(tb->pending, level);
}

void nerve_textbuf_br(nerve_textbuf *tb)
{
    tb->n_br++;
    nerve_textbuf_break(tb, tb->n_br >= 2 ? NERVE_BREAK_PARA : NERVE_BREAK_LINE);
}

static gboolean is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

void nerve_textbuf_text(nerve_textbuf *tb, const char *s, gsize len)
{
    gsize i = 0;
    while (i < len && !full(tb)) {
        if (is_space(s[i])) {
            guint newlines = 0;
            for (; i < len && is_space(s[i]); i++)
                newlines += s[i] == '\n';
            gboolean para = tb->paras_from_blank_lines && newlines >= 2;
            nerve_textbuf_break(tb, para ? NERVE_BREAK_PARA : NERVE_BREAK_SPACE);
            continue;
        }
        /* words joined by single spaces need no collapsing: one append */
        gsize j = i;
        for (;;) {
            while (j < len && !is_space(s[j]))
                j++;
            if (j + 1 < len && s[j] == ' ' && !is_space(s[j + 1]))
                j++;
            else
                break;
        }
        flush_pending(tb);
        g_string_append_len(tb->out, s + i, (gssize)(j - i));
        i = j;
    }
}

void nerve_textbuf_verbatim(nerve_textbuf *tb, const char *s, gsize len)
{
    if (full(tb))
        return;
    gsize start = 0;
    while (start < len && (s[start] == '\n' || s[start] == '\r'))
        start++; /* the line break after <pre> is not content */
    if (start == len) {
        nerve_textbuf_break(tb, NERVE_BREAK_LINE);
        return;
    }
    flush_pending(tb);
    for (gsize i = start; i < len; i++) {
        if (s[i] == '\r') {
            g_string_append_c(tb->out, '\n');
            if (i + 1 < len && s[i + 1] == '\n')
                i++;
        } else
            g_string_append_c(tb->out, s[i]);
    }
    /* trailing line breaks become a pending break, so blocks stay apart
     * by exactly one blank line */
    guint nl = 0;
    while (tb->out->len && is_space(tb->out->str[tb->out->len - 1])) {
        nl += tb->out->str[tb->out->len - 1] == '\n';
        g_string_truncate(tb->out, tb->out->len - 1);
    }
    if (nl)
        nerve_textbuf_break(tb, nl >= 2 ? NERVE_BREAK_PARA : NERVE_BREAK_LINE);
}

GString *nerve_textbuf_finish(nerve_textbuf *tb)
{
    GString *s = tb->out;
    tb->out = NULL;
    return s;
}

/* --- XML text ------------------------------------------------------------ */

static guint ci_hash(gconstpointer key)
{
    guint h = 5381;
    for (const char *p = key; *p; p++)
        h = h * 33 + (guint)g_ascii_tolower(*p);
    return h;
}

static gboolean ci_equal(gconstpointer a, gconstpointer b)
{
    return g_ascii_strcasecmp(a, b) == 0;
}

GHashTable *nerve_markup_kinds(const char *const *names_by_kind)
{
    GHashTable *t = g_hash_table_new(ci_hash, ci_equal);
    for (int kind = 0; kind <= NERVE_KIND_SKIP; kind++) {
        if (!names_by_kind[kind])
            continue;
        char **v = g_strsplit(names_by_kind[kind], " ", -1);
        for (char **p = v; *p; p++)
            if (**p)
                g_hash_table_insert(t, *p, GINT_TO_POINTER(kind));
            else
                g_free(*p);
        g_free(v); /* the names stay, owned by the table for the process */
    }
    return t;
}

static gpointer make_xml_kinds(gpointer unused)
{
    (void)unused;
    static const char *const names[NERVE_KIND_SKIP + 1] = {
        [NERVE_KIND_PARA] =
            "p div h1 h2 h3 h4 h5 h6 title hedline headline hl1 hl2 para head section "
            "article abstract body body.head body.content body.end block blockquote list "
            "table caption byline dateline ab lg figure text front back doctitle "
            "div1 div2 div3 div4 div5 div6 div7 opener closer salute signed trailer "
            "epigraph argument sp lead leadparagraph tagline summary address",
        [NERVE_KIND_LINE] = "l li item row tr line dt dd label",
        [NERVE_KIND_BR] = "br lb",
        [NERVE_KIND_INLINE] =
            "a b i u em strong emph hi span font small big sub sup tt code q cite abbr "
            "acronym expan sic corr reg orig name persname placename orgname geogname rs "
            "date time num measure w pc c seg foreign term ref ptr person org location "
            "chron money event function object.title virtloc classifier alt-code frac "
            "pronounce lang copyrite mark ins del",
        [NERVE_KIND_SKIP] = "teiheader fw script style",
    };
    return nerve_markup_kinds(names);
}

static int xml_kind(const xmlNode *el, gboolean parent_mixed)
{
    static GOnce once = G_ONCE_INIT;
    GHashTable *kinds = g_once(&once, make_xml_kinds, NULL);
    const char *name = (const char *)el->name;
    if (el->parent && el->parent->type == XML_ELEMENT_NODE &&
        !g_ascii_strcasecmp((const char *)el->parent->name, "choice") &&
        (!g_ascii_strcasecmp(name, "sic") || !g_ascii_strcasecmp(name, "orig") ||
         !g_ascii_strcasecmp(name, "abbr")))
        return NERVE_KIND_SKIP; /* <choice>: the corrected, regularised, expanded reading */
    int k = GPOINTER_TO_INT(g_hash_table_lookup(kinds, name));
    if (k != NERVE_KIND_UNKNOWN)
        return k;
    /* an element among elements is a field or a block; in running text it
     * is a phrase */
    return parent_mixed ? NERVE_KIND_INLINE : NERVE_KIND_PARA;
}

/* Does el have text other than whitespace among its children? */
static gboolean has_text_child(const xmlNode *el)
{
    for (const xmlNode *c = el->children; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            for (const xmlChar *p = c->content; *p; p++)
                if (!is_space((char)*p))
                    return TRUE;
    }
    return FALSE;
}

static void open_kind(nerve_textbuf *tb, int kind)
{
    if (kind == NERVE_KIND_PARA || kind == NERVE_KIND_PRE)
        nerve_textbuf_break(tb, NERVE_BREAK_PARA);
    else if (kind == NERVE_KIND_LINE)
        nerve_textbuf_break(tb, NERVE_BREAK_LINE);
    else if (kind == NERVE_KIND_TAB)
        nerve_textbuf_break(tb, NERVE_BREAK_TAB);
    else if (kind == NERVE_KIND_BR)
        nerve_textbuf_br(tb);
}

static void close_kind(nerve_textbuf *tb, int kind)
{
    if (kind != NERVE_KIND_BR && kind != NERVE_KIND_TAB)
        open_kind(tb, kind);
}

/* One level of the walk: the open element's kind, whether its children
 * are running text, whether whitespace is kept (inside pre). */
typedef struct {
    guint8 kind, mixed, pre;
} level;

static void text_node(nerve_textbuf *tb, const xmlNode *n, gboolean pre)
{
    if (!n->content)
        return;
    gsize len = strlen((const char *)n->content);
    if (pre)
        nerve_textbuf_verbatim(tb, (const char *)n->content, len);
    else
        nerve_textbuf_text(tb, (const char *)n->content, len);
}

void nerve_markup_walk(nerve_textbuf *tb, xmlNode *node, nerve_kind_fn kind)
{
    if (node->type == XML_ATTRIBUTE_NODE || node->type == XML_TEXT_NODE ||
        node->type == XML_CDATA_SECTION_NODE) {
        char *s = nerve_markup_string_value(node, 0);
        if (s)
            nerve_textbuf_text(tb, s, strlen(s));
        g_free(s);
        return;
    }
    if (node->type != XML_ELEMENT_NODE && node->type != XML_DOCUMENT_NODE &&
        node->type != XML_HTML_DOCUMENT_NODE)
        return;
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(level));
    level top = {NERVE_KIND_PARA, node->type == XML_ELEMENT_NODE && has_text_child(node), 0};
    if (node->type == XML_ELEMENT_NODE) {
        top.kind = (guint8)kind(node, FALSE);
        top.pre = top.kind == NERVE_KIND_PRE;
        if (top.kind == NERVE_KIND_SKIP)
            top.kind = NERVE_KIND_PARA; /* asked for explicitly: its text is wanted */
    }
    g_array_append_val(stack, top);
    xmlNode *cur = node->children;
    while (cur && !tb->over) {
        const level *lv = &g_array_index(stack, level, stack->len - 1);
        gboolean descend = FALSE;
        if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE)
            text_node(tb, cur, lv->pre);
        else if (cur->type == XML_ELEMENT_NODE) {
            int k = kind(cur, lv->mixed);
            if (k != NERVE_KIND_SKIP) {
                open_kind(tb, k);
                if (cur->children) {
                    level sub = {(guint8)k, (guint8)has_text_child(cur),
                                 (guint8)(lv->pre || k == NERVE_KIND_PRE)};
                    g_array_append_val(stack, sub);
                    descend = TRUE;
                } else
                    close_kind(tb, k);
            }
        }
        if (descend) {
            cur = cur->children;
            continue;
        }
        while (cur && !cur->next) {
            cur = cur->parent;
            if (!cur || cur == node)
                cur = NULL;
            else {
                close_kind(tb, g_array_index(stack, level, stack->len - 1).kind);
                g_array_set_size(stack, stack->len - 1);
            }
        }
        if (cur)
            cur = cur->next;
    }
    g_array_free(stack, TRUE);
}

void nerve_markup_xml_text(nerve_textbuf *tb, xmlNode *node)
{
    gboolean saved = tb->paras_from_blank_lines;
    tb->paras_from_blank_lines = TRUE;
    nerve_markup_walk(tb, node, xml_kind);
    tb->paras_from_blank_lines = saved;
}

char *nerve_markup_string_value(xmlNode *node, gsize limit)
{
    nerve_textbuf tb;
    nerve_textbuf_init(&tb, limit);
    if (node->type == XML_ATTRIBUTE_NODE || node->type == XML_TEXT_NODE ||
        node->type == XML_CDATA_SECTION_NODE || node->type == XML_ELEMENT_NODE) {
        /* every descendant text node, in document order, as running text */
        xmlNode *cur = node->type == XML_ELEMENT_NODE || node->type == XML_ATTRIBUTE_NODE
                           ? node->children
                           : node;
        gboolean single = cur == node;
        while (cur && !tb.over) {
            if ((cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) && cur->content)
                nerve_textbuf_text(&tb, (const char *)cur->content,
                                   strlen((const char *)cur->content));
            if (single)
                break;
            if (cur->type == XML_ELEMENT_NODE && cur->children) {
                cur = cur->children;
                continue;
            }
            while (cur && !cur->next) {
                cur = cur->parent;
                if (cur == node)
                    cur = NULL;
            }
            if (cur)
                cur = cur->next;
        }
    }
    GString *s = nerve_textbuf_finish(&tb);
    if (!s->len) {
        g_string_free(s, TRUE);
        return NULL;
    }
    return g_string_free(s, FALSE);
}

char *nerve_markup_excerpt(const xmlParserCtxt *ctxt, gsize max, gsize *len)
{
    *len = 0;
    if (!ctxt || !ctxt->input || !ctxt->input->base || !ctxt->input->cur)
        return NULL;
    const xmlChar *base = ctxt->input->base, *cur = ctxt->input->cur;
    const xmlChar *end = ctxt->input->end ? ctxt->input->end : cur;
    if (cur > end)
        cur = end;
    const xmlChar *p = cur;
    while (p > base && p[-1] != '\n' && (gsize)(cur - p) < max / 2)
        p--;
    const xmlChar *q = cur;
    while (q < end && *q != '\n' && (gsize)(q - p) < max)
        q++;
    if (q == p && p > base) { /* at the end of a line: take that line */
        q = p - 1;
        p = q;
        while (p > base && p[-1] != '\n' && (gsize)(q - p) < max)
            p--;
    }
    while (p < q && (*p & 0xC0) == 0x80)
        p++; /* whole characters only */
    while (q > p && q < end && (*q & 0xC0) == 0x80)
        q--;
    *len = (gsize)(q - p);
    return g_strndup((const char *)p, *len);
}
