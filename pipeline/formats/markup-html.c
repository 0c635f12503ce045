/* markup-html.c - --from html: a page is one document, its visible text.
 *
 * A page is read whole (up to nerve_markup_limit() bytes: pages are
 * mostly markup, the text is held to --max-doc-bytes) and parsed by
 * libxml2's HTML parser, which recovers from anything, decodes entities
 * and honours the charset of the byte order mark, <meta charset> and
 * <meta http-equiv="Content-Type">; a page that declares none is read as
 * UTF-8 when it is valid UTF-8, else as windows-1252 (libxml2 alone would
 * take ISO-8859-1).  The text comes out as UTF-8.
 *
 * The text is what a browser shows, laid out as innerText would: the
 * title, then the body without script, style, noscript, template,
 * embedded objects, form controls and hidden elements (the hidden
 * attribute, style="display:none" or "visibility:hidden"); whitespace
 * collapsed inside running text, <pre> kept as it is; paragraphs and
 * other blocks separated by a blank line (what the sentence splitter
 * takes as a paragraph break), list items, table rows and <br> by a line
 * break, table cells by a tab.  The document's text is that text: every
 * offset written refers to it.
 *
 * meta: title, lang (<html lang>), canonical (<link rel=canonical>), and
 * every <meta name|property|itemprop=... content=...> under its name
 * (og:title, description, article:published_time...); a name that comes
 * twice gets an array.  id: the file's path relative to its input root.
 */
#include <libxml/HTMLparser.h>
#include <string.h>

#include "formats/markup.h"
#include "nerve/error.h"

#define READ_CHUNK (64 << 10)

typedef struct {
    GInputStream *stream;
    char *path, *id;
    const nerve_reader_options *opts;
    gboolean done;
} html_reader;

static gpointer make_html_kinds(gpointer unused)
{
    (void)unused;
    static const char *const names[NERVE_KIND_SKIP + 1] = {
        [NERVE_KIND_PARA] =
            "p div h1 h2 h3 h4 h5 h6 blockquote ul ol dl table figure article section "
            "header footer aside nav main address form fieldset hr details hgroup center "
            "title menu dir noframes body html",
        [NERVE_KIND_LINE] = "li dt dd tr figcaption caption summary legend",
        [NERVE_KIND_TAB] = "td th",
        [NERVE_KIND_BR] = "br",
        [NERVE_KIND_PRE] = "pre listing plaintext xmp",
        [NERVE_KIND_SKIP] = "script style noscript template iframe object embed applet svg math "
                            "canvas audio video map select textarea input button datalist "
                            "frameset frame param source track dialog",
    };
    return nerve_markup_kinds(names);
}

/* style="display:none" or "visibility:hidden", spaces and case aside. */
static gboolean hidden_style(const char *style)
{
    GString *s = g_string_new(NULL);
    for (const char *p = style; *p; p++)
        if (!g_ascii_isspace(*p))
            g_string_append_c(s, g_ascii_tolower(*p));
    gboolean hidden = strstr(s->str, "display:none") || strstr(s->str, "visibility:hidden");
    g_string_free(s, TRUE);
    return hidden;
}

static gboolean is_hidden(const xmlNode *el)
{
    for (const xmlAttr *a = el->properties; a; a = a->next) {
        if (!g_ascii_strcasecmp((const char *)a->name, "hidden"))
            return TRUE;
        if (!g_ascii_strcasecmp((const char *)a->name, "style") && a->children &&
            a->children->content && hidden_style((const char *)a->children->content))
            return TRUE;
    }
    return FALSE;
}

static int html_kind(const xmlNode *el, gboolean parent_mixed)
{
    (void)parent_mixed;
    static GOnce once = G_ONCE_INIT;
    GHashTable *kinds = g_once(&once, make_html_kinds, NULL);
    const char *name = (const char *)el->name;
    if (el->parent && el->parent->type == XML_ELEMENT_NODE &&
        !g_ascii_strcasecmp((const char *)el->parent->name, "head"))
        return g_ascii_strcasecmp(name, "title") ? NERVE_KIND_SKIP : NERVE_KIND_PARA;
    if (!g_ascii_strcasecmp(name, "head"))
        return NERVE_KIND_PARA;
    if (is_hidden(el))
        return NERVE_KIND_SKIP;
    int k = GPOINTER_TO_INT(g_hash_table_lookup(kinds, name));
    return k != NERVE_KIND_UNKNOWN ? k : NERVE_KIND_INLINE;
}

static char *attr(const xmlNode *el, const char *name)
{
    xmlChar *v = xmlGetProp(el, (const xmlChar *)name);
    char *s = v ? g_strstrip(g_strdup((const char *)v)) : NULL;
    xmlFree(v);
    if (s && !*s)
        g_clear_pointer(&s, g_free);
    return s;
}

static void add_meta(json_t *meta, const char *name, const char *value)
{
    json_t *old = json_object_get(meta, name);
    if (!old)
        json_object_set_new(meta, name, json_string(value));
    else if (json_is_array(old))
        json_array_append_new(old, json_string(value));
    else {
        json_t *arr = json_array();
        json_array_append(arr, old);
        json_array_append_new(arr, json_string(value));
        json_object_set_new(meta, name, arr);
    }
}

/* One element's contribution to meta. */
static void meta_of(const xmlNode *el, json_t *meta)
{
    const char *n = (const char *)el->name;
    if (!g_ascii_strcasecmp(n, "title") && !json_object_get(meta, "title")) {
        g_autofree char *t = nerve_markup_string_value((xmlNode *)el, 1 << 16);
        if (t)
            json_object_set_new(meta, "title", json_string(t));
    } else if (!g_ascii_strcasecmp(n, "meta")) {
        g_autofree char *content = attr(el, "content");
        g_autofree char *key = attr(el, "name");
        if (!key)
            key = attr(el, "property");
        if (!key)
            key = attr(el, "itemprop");
        if (key && content && g_utf8_validate(key, -1, NULL) && g_utf8_validate(content, -1, NULL))
            add_meta(meta, key, content);
    } else if (!g_ascii_strcasecmp(n, "link")) {
        g_autofree char *rel = attr(el, "rel");
        g_autofree char *href = attr(el, "href");
        if (rel && href && !g_ascii_strcasecmp(rel, "canonical") &&
            !json_object_get(meta, "canonical"))
            json_object_set_new(meta, "canonical", json_string(href));
    } else if (!g_ascii_strcasecmp(n, "html") && !json_object_get(meta, "lang")) {
        g_autofree char *lang = attr(el, "lang");
        if (lang)
            json_object_set_new(meta, "lang", json_string(lang));
    }
}

/* Title, <meta>, <link rel=canonical> and lang, wherever the parser put
 * them (a broken page can have its <meta> in the body). */
static json_t *page_meta(xmlDocPtr doc)
{
    json_t *meta = json_object();
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr cur = root;
    while (cur) {
        if (cur->type == XML_ELEMENT_NODE) {
            meta_of(cur, meta);
            if (cur->children && g_ascii_strcasecmp((const char *)cur->name, "svg")) {
                cur = cur->children;
                continue;
            }
        }
        while (cur && cur != root && !cur->next)
            cur = cur->parent;
        cur = cur && cur != root ? cur->next : NULL;
    }
    if (!json_object_size(meta))
        g_clear_pointer(&meta, json_decref);
    return meta;
}

/* The whole page, up to limit bytes; FALSE on a read error (*error set)
 * or with *over when the page is larger. */
static gboolean read_all(html_reader *r, gsize limit, GByteArray *buf, gboolean *over,
                         GError **error)
{
    *over = FALSE;
    guint8 *chunk = g_malloc(READ_CHUNK);
    gboolean ok = TRUE;
    for (;;) {
        gssize n = g_input_stream_read(r->stream, chunk, READ_CHUNK, NULL, error);
        if (n < 0) {
            ok = FALSE;
            break;
        }
        if (n == 0)
            break;
        if (limit && buf->len + (gsize)n > limit) {
            g_byte_array_append(buf, chunk, (guint)MIN((gsize)n, limit - buf->len));
            *over = TRUE;
            break;
        }
        g_byte_array_append(buf, chunk, (guint)n);
    }
    g_free(chunk);
    return ok;
}

static void page_error(nerve_record *rec, const GByteArray *buf, int code, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static void page_error(nerve_record *rec, const GByteArray *buf, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(&rec->error, NERVE_ERROR, code, msg);
    rec->len = MIN(buf->len, (gsize)1024);
    rec->data = g_strndup((const char *)buf->data, rec->len);
}

/* Does the page say its encoding (a byte order mark, <meta charset>,
 * <meta http-equiv=Content-Type>, an XML declaration)?  Looked for in the
 * first 8 KiB, as browsers do in their prescan. */
static gboolean declares_charset(const GByteArray *buf)
{
    gsize n = MIN(buf->len, (gsize)8192);
    const guint8 *d = buf->data;
    if (!n)
        return TRUE;
    if ((n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) ||
        (n >= 2 && ((d[0] == 0xFE && d[1] == 0xFF) || (d[0] == 0xFF && d[1] == 0xFE))))
        return TRUE;
    g_autofree char *head = g_ascii_strdown((const char *)d, (gssize)n);
    if (g_str_has_prefix(head, "<?xml") && strstr(head, "encoding=") &&
        strstr(head, "encoding=") < strstr(head, "?>"))
        return TRUE;
    for (const char *m = head; (m = strstr(m, "<meta")); m += 5) {
        const char *end = strchr(m, '>');
        const char *cs = strstr(m, "charset");
        if (cs && (!end || cs < end))
            return TRUE;
    }
    return FALSE;
}

/* The encoding to read the page with: NULL when it declares one (libxml2
 * applies it).  libxml2 2.9 reads an undeclared page as ISO-8859-1;
 * browsers sniff, and today's pages are UTF-8: valid UTF-8 is read as
 * such, anything else as windows-1252 (what browsers make of "latin1").
 * Under --strict that is an error record instead: FALSE. */
static gboolean choose_encoding(html_reader *r, GByteArray *buf, nerve_record *rec,
                                const char **encoding)
{
    *encoding = NULL;
    if (declares_charset(buf))
        return TRUE;
    const char *bad;
    *encoding = "UTF-8";
    if (g_utf8_validate((const char *)buf->data, (gssize)buf->len, &bad))
        return TRUE;
    if (r->opts->strict) {
        page_error(rec, buf, NERVE_ERROR_INPUT,
                   "%s: invalid UTF-8 at byte %zu and no charset declared (--strict)", r->path,
                   (gsize)((const guint8 *)bad - buf->data));
        return FALSE;
    }
    *encoding = "windows-1252";
    return TRUE;
}

static void parse_page(html_reader *r, GByteArray *buf, nerve_record *rec)
{
    const char *encoding;
    if (!choose_encoding(r, buf, rec, &encoding))
        return;
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                  HTML_PARSE_RECOVER | HTML_PARSE_NODEFDTD | HTML_PARSE_COMPACT;
    htmlDocPtr doc = ctxt && buf->len
                         ? htmlCtxtReadMemory(ctxt, (const char *)buf->data, (int)buf->len, r->path,
                                              encoding, options)
                         : NULL;
    nerve_textbuf tb;
    nerve_textbuf_init(&tb, r->opts->max_doc_bytes ? r->opts->max_doc_bytes + 1 : 0);
    json_t *meta = NULL;
    if (doc) {
        nerve_markup_walk(&tb, (xmlNodePtr)doc, html_kind);
        meta = page_meta(doc);
        xmlFreeDoc(doc);
    }
    /* the parser gives up only on what it cannot recover from, such as
     * nesting deeper than 256 elements: the text after it is lost */
    g_autofree char *stopped = ctxt && ctxt->disableSAX && ctxt->lastError.message
                                   ? g_strchomp(g_strdup(ctxt->lastError.message))
                                   : NULL;
    int stopped_line = ctxt ? ctxt->lastError.line : 0;
    if (ctxt)
        htmlFreeParserCtxt(ctxt);
    gboolean over = tb.over;
    GString *text = nerve_textbuf_finish(&tb);
    if (over) {
        g_set_error(&rec->error, NERVE_ERROR, NERVE_ERROR_LIMIT,
                    "the page's text is longer than --max-doc-bytes=%zu", r->opts->max_doc_bytes);
        json_decref(meta);
    } else if ((rec->doc =
                    nerve_make_doc(r->id, text->str, text->len, meta, r->opts, &rec->error)) &&
               stopped)
        nerve_doc_add_warning(rec->doc,
                              "the HTML parser stopped at line %d (%s): the rest of the page "
                              "is not in the text",
                              stopped_line, stopped);
    if (!rec->doc) {
        rec->len = MIN(text->len, (gsize)1024);
        rec->data = g_strndup(text->str, rec->len);
    }
    g_string_free(text, TRUE);
}

gpointer nerve_html_open(GInputStream *stream, const char *path, const char *id,
                         const nerve_reader_options *opts, GError **error)
{
    (void)error;
    html_reader *r = g_new0(html_reader, 1);
    r->stream = g_object_ref(stream);
    r->path = g_strdup(path);
    r->id = g_strdup(id ? id : path);
    r->opts = opts;
    return r;
}

gboolean nerve_html_next(gpointer state, nerve_record *rec)
{
    html_reader *r = state;
    if (r->done)
        return FALSE;
    r->done = TRUE;
    rec->id = g_strdup(r->id);
    rec->line = 1;
    gsize limit = nerve_markup_limit(r->opts);
    if (!limit || limit > G_MAXINT)
        limit = G_MAXINT; /* libxml2 takes the length as an int */
    GByteArray *buf = g_byte_array_new();
    gboolean over;
    GError *e = NULL;
    if (!read_all(r, limit, buf, &over, &e)) {
        page_error(rec, buf, NERVE_ERROR_INPUT, "%s: read error: %s", r->path, e->message);
        g_error_free(e);
    } else if (over)
        page_error(rec, buf, NERVE_ERROR_LIMIT,
                   "%s: the page is over %zu bytes (4 x --max-doc-bytes, at least 16 MiB; "
                   "2 GiB at most)",
                   r->path, limit);
    else
        parse_page(r, buf, rec);
    g_byte_array_unref(buf);
    return TRUE;
}

void nerve_html_close(gpointer state)
{
    html_reader *r = state;
    if (!r)
        return;
    g_object_unref(r->stream);
    g_free(r->path);
    g_free(r->id);
    g_free(r);
}
