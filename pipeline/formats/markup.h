/* markup.h - private: what the XML and HTML readers share.
 *
 * - libxml2 setup: nerve_markup_enter()/leave() bracket every call into
 *   libxml2 from the readers: they silence libxml2's process-wide error
 *   printing for the calling thread and make the external entity loader
 *   refuse everything while nerve is parsing (see markup.c).
 * - nerve_textbuf: collects the text of a document the way a browser lays
 *   it out: whitespace runs collapse to one space, block boundaries become
 *   line breaks or blank lines, nothing leads or trails.
 * - Text extraction from libxml2 trees, with the XML and the HTML rules.
 * - The XML reader (xml.c), the HTML reader (markup-html.c), the TREC/SGML
 *   filter (trec.c) and the --xpath-doc matcher (xml-select.c).
 */
#ifndef NERVE_PRIVATE_MARKUP_H
#define NERVE_PRIVATE_MARKUP_H

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

#include "formats/formats.h"

/* --- libxml2 scope ------------------------------------------------------ */

typedef struct {
    xmlGenericErrorFunc generic;
    xmlStructuredErrorFunc structured;
    void *generic_ctx, *structured_ctx;
    gboolean outer;
} nerve_markup_scope;

void nerve_markup_enter(nerve_markup_scope *scope);
void nerve_markup_leave(nerve_markup_scope *scope);

/* The larger of 4 x --max-doc-bytes and 16 MiB (0: no limit): how much
 * markup one XML document may have, and how much of an HTML page is read.
 * Markup is larger than its text (the text is held to --max-doc-bytes) and
 * its tree larger still (about 8 times the markup in libxml2), so this is
 * what bounds memory. */
gsize nerve_markup_limit(const nerve_reader_options *opts);

/* --- text ---------------------------------------------------------------- */

/* Break levels between two pieces of text; the strongest pending one is
 * written when the next text comes. */
enum {
    NERVE_BREAK_NONE = 0,
    NERVE_BREAK_SPACE,
    NERVE_BREAK_TAB,
    NERVE_BREAK_LINE,
    NERVE_BREAK_PARA,
};

typedef struct {
    GString *out;
    int pending;                     /* NERVE_BREAK_* to write before the next text */
    guint n_br;                      /* consecutive <br>: two make a blank line */
    gsize limit;                     /* stop collecting beyond this many bytes (0: none) */
    gboolean over;                   /* the limit was hit */
    gboolean paras_from_blank_lines; /* XML: a blank line in text is a paragraph break */
} nerve_textbuf;

void nerve_textbuf_init(nerve_textbuf *tb, gsize limit);
/* Appends text (UTF-8) with whitespace collapsed. */
void nerve_textbuf_text(nerve_textbuf *tb, const char *s, gsize len);
/* Appends text as it is (pre): only \r\n becomes \n. */
void nerve_textbuf_verbatim(nerve_textbuf *tb, const char *s, gsize len);
void nerve_textbuf_break(nerve_textbuf *tb, int level);
/* A <br>: a line break, and a blank line after two of them. */
void nerve_textbuf_br(nerve_textbuf *tb);
/* Returns the text (owned by tb->out; free with g_string_free). */
GString *nerve_textbuf_finish(nerve_textbuf *tb);

/* How an element lays out its text. */
enum {
    NERVE_KIND_UNKNOWN = 0,
    NERVE_KIND_INLINE, /* flows with the text around it */
    NERVE_KIND_BR,     /* a line break (<br>, <lb/>) */
    NERVE_KIND_LINE,   /* on its own line (li, tr, dd) */
    NERVE_KIND_PARA,   /* a paragraph: blank lines around it */
    NERVE_KIND_TAB,    /* a table cell: a tab before the next one */
    NERVE_KIND_PRE,    /* a paragraph whose whitespace is kept */
    NERVE_KIND_SKIP,   /* not text (script, style, hidden) */
};

/* Classifies an element; parent_mixed: its parent has text of its own
 * (the element is in running text). */
typedef int (*nerve_kind_fn)(const xmlNode *el, gboolean parent_mixed);

/* A case-insensitive table of element name -> kind, from space-separated
 * name lists indexed by kind (NULL: none).  Lives for the process. */
GHashTable *nerve_markup_kinds(const char *const *names_by_kind);

/* Appends the text of node (an element, document, text or attribute
 * node) laid out by kind.  Iterative: any depth is safe. */
void nerve_markup_walk(nerve_textbuf *tb, xmlNode *node, nerve_kind_fn kind);

/* The text of an XML element (or text/attribute node) by the XML rules:
 * known block elements (p, div, hedline, para, head...) and elements in
 * element-only content are paragraphs, br/lb/l/li/item are lines, known
 * inline elements (hi, emph, persName, org...) and elements in mixed
 * content flow with the text; teiHeader, fw, script and style are
 * skipped, and inside <choice> only corr/reg/expan are kept.  A blank line
 * inside a text node is a paragraph break. */
void nerve_markup_xml_text(nerve_textbuf *tb, xmlNode *node);

/* The string value of a node (attribute, text, element) with whitespace
 * collapsed and trimmed, or NULL when it is empty.  Free with g_free. */
char *nerve_markup_string_value(xmlNode *node, gsize limit);

/* The current line of a parser's input around its position, at most
 * max bytes, for error records.  Free with g_free; NULL when unknown. */
char *nerve_markup_excerpt(const xmlParserCtxt *ctxt, gsize max, gsize *len);

/* --- XML reader (xml.c) and HTML reader (markup-html.c) ----------------------- */

gpointer nerve_xml_open(GInputStream *stream, const char *path, const char *id,
                        const nerve_reader_options *opts, GError **error);
gboolean nerve_xml_next(gpointer state, nerve_record *rec);
void nerve_xml_close(gpointer state);

gpointer nerve_html_open(GInputStream *stream, const char *path, const char *id,
                         const nerve_reader_options *opts, GError **error);
gboolean nerve_html_next(gpointer state, nerve_record *rec);
void nerve_html_close(gpointer state);

/* --- --xpath-doc, --xpath-* and presets (xml-select.c) ------------------ */

/* A compiled --xpath-doc: a union of location paths tested on each
 * element as the stream opens it (see xml-select.c for the forms). */
typedef struct nerve_doc_select nerve_doc_select;

nerve_doc_select *nerve_doc_select_new(const char *xpath, GError **error);
void nerve_doc_select_free(nerve_doc_select *sel);
/* Does element el (in a tree whose ancestors are all present) match? */
gboolean nerve_doc_select_match(const nerve_doc_select *sel, const xmlNode *el);

/* Rewrites an XPath 1.0 expression so that an unprefixed element name
 * test matches the local name in any namespace: text/p becomes
 * *[local-name()='text'] / *[local-name()='p'] (without the spaces).
 * Attribute names, function
 * names, axes, node types, literals and prefixed names are kept.  Free
 * with g_free. */
char *nerve_xpath_any_namespace(const char *expr);

/* A value taken by XPath: the first alternative that yields anything
 * wins; several nodes give a JSON array unless scalar. */
typedef struct {
    char *name;
    char **exprs;    /* NULL-terminated alternatives */
    gboolean scalar; /* only the first value */
} nerve_xml_field;

/* Settings of one --from xml reading: the preset's, overridden by the
 * explicit --xpath-* options. */
typedef struct {
    const char *preset; /* "nitf", "tei", "trec" or NULL */
    char *doc;          /* NULL: the root element is the document */
    char *text;         /* NULL: all text of the document element */
    char **id;          /* alternatives; NULL: @id, @docid, @xml:id, a DOCNO child, FILE#N */
    GPtrArray *meta;    /* nerve_xml_field*, in output order */
    char *meta_pairs;   /* XPath of <meta name=.. content=..> elements, or NULL */
    gboolean trec;      /* wrap and repair SGML before parsing */
} nerve_xml_config;

/* Fills cfg from the options; FALSE with NERVE_ERROR_USAGE for an unknown
 * preset or a --xpath-meta without NAME=.  Free with
 * nerve_xml_config_clear(). */
gboolean nerve_xml_config_init(nerve_xml_config *cfg, const nerve_reader_options *opts,
                               GError **error);
void nerve_xml_config_clear(nerve_xml_config *cfg);

/* --- one document element into id, text and meta (xml-doc.c) ---------- */

/* The compiled settings of one file and its XPath context. */
typedef struct {
    nerve_doc_select *select;  /* --xpath-doc, or NULL: the root element */
    xmlXPathCompExprPtr text;  /* or NULL: all the element's text */
    xmlXPathCompExprPtr pairs; /* the preset's <meta name content> elements */
    GPtrArray *ids;            /* xmlXPathCompExpr* alternatives */
    GPtrArray *meta;           /* the --xpath-meta fields, compiled (private) */
    xmlXPathContextPtr xp;     /* on the parser's tree, made at the first document */
    char *error;               /* the last evaluation's XPath error, or NULL */
} nerve_xml_eval;

/* Compiles cfg's expressions (after nerve_xpath_any_namespace); FALSE with
 * NERVE_ERROR_USAGE naming the option.  Clear with nerve_xml_eval_clear(),
 * before freeing the tree the context points into. */
gboolean nerve_xml_eval_init(nerve_xml_eval *ev, const nerve_xml_config *cfg, GError **error);
void nerve_xml_eval_clear(nerve_xml_eval *ev);
/* Before evaluating on node: the context, its namespaces, no error. */
void nerve_xml_eval_prepare(nerve_xml_eval *ev, xmlNodePtr node);
/* The id (free with g_free): --xpath-id alternatives, an id/docid/docno
 * attribute, a DOCNO or DOCID child, else a copy of fallback.
 * *from_attr: the attribute it came from (left out of meta), or NULL. */
char *nerve_xml_eval_id(nerve_xml_eval *ev, xmlNodePtr node, const char *fallback,
                        const xmlAttr **from_attr);
/* The element's attributes but id_attr, the preset's meta pairs and the
 * --xpath-meta fields (one value: a string, number or boolean; several:
 * an array of strings). */
json_t *nerve_xml_eval_meta(nerve_xml_eval *ev, xmlNodePtr node, const xmlAttr *id_attr);
/* The text: --xpath-text's nodes laid out as paragraphs (a string result
 * as it is), or the whole element.  Stops past limit bytes (0: none) and
 * says so in *over. */
GString *nerve_xml_eval_text(nerve_xml_eval *ev, xmlNodePtr node, gsize limit, gboolean *over);

/* Registers the well-known namespace prefixes (tei, nitf, xhtml, ...)
 * and the in-scope declarations of node in an XPath context. */
void nerve_xpath_register_ns(xmlXPathContext *xp, xmlNode *node);

/* The namespace URI of a well-known prefix, or NULL. */
const char *nerve_known_namespace(const char *prefix);

/* --- TREC/SGML to XML (trec.c) ------------------------------------------ */

typedef struct nerve_trec_filter nerve_trec_filter;

/* transcode: bytes that are not UTF-8 are read as windows-1252 (unless
 * an XML declaration names an encoding); FALSE passes them on (--strict
 * then reports them). */
nerve_trec_filter *nerve_trec_filter_new(gboolean transcode);
void nerve_trec_filter_free(nerve_trec_filter *f);
/* Filters (in, len) into out (appended); eof: this is the last call. */
void nerve_trec_filter_feed(nerve_trec_filter *f, const char *in, gsize len, gboolean eof,
                            GString *out);

#endif
