/* xml.c - --from xml: many documents from one XML stream, in flat memory.
 *
 * Why libxml2's push parser and not xmlTextReader: in libxml2 2.9 the
 * text reader stops at the first well-formedness error even with
 * XML_PARSE_RECOVER (xmlTextReaderRead returns -1 once the parser context
 * is not well-formed), and since it parses 512-byte chunks ahead, an error
 * in document 2 of a small file loses document 1 too.  The push parser
 * (xmlCreatePushParserCtxt + xmlParseChunk) recovers and calls back per
 * element, which also tells exactly which document an error belongs to.
 *
 * How: libxml2's own SAX2 handlers build the tree; nerve wraps four of
 * them.
 * - startElementNs: when no document is open, the new element is tested
 *   against --xpath-doc (xml-select.c; by default the root element); a
 *   match opens a document.
 * - endElementNs: when the open document's element closes, its subtree is
 *   complete: --xpath-text/-id/-meta are evaluated with XPath on it
 *   (xml-doc.c; relative to the document element; the tree also holds its
 *   ancestors, nothing else), the record is queued, and the subtree is
 *   freed.  Any element that closes outside a document is freed too, so
 *   memory holds one document plus the chain of its ancestors whatever
 *   the file size.
 *   A document with more markup than nerve_markup_limit() is not kept: its
 *   finished parts are freed as they close and it becomes an error record.
 * - reference: internal entities are expanded by nerve into text, within
 *   ENTITY_BUDGET bytes per document; names a DTD that was not loaded would
 *   have declared are looked up among HTML 4's; external entities are
 *   refused (an error record), never loaded.  libxml2 itself stops a
 *   "billion laughs" (entity loop / amplification check, no XML_PARSE_HUGE).
 * - characters: see keep_entities() (libxml2 drops &amp; after an error).
 *
 * Errors arrive through the parser's structured handler (nothing printed).
 * An error while a document is open makes that document an error record
 * naming file, line and column; the parser recovers and the next document
 * is read.  Errors between documents become a warning on the next one.
 * When the parser cannot go on (it halts), the rest of the file is one
 * error record.  With xml:trec, input goes through trec.c first and
 * recovered errors are warnings: TREC files are SGML, not XML.
 */
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xpathInternals.h>
#include <string.h>

#include "formats/markup.h"
#include "nerve/error.h"

#define CHUNK         (64 << 10)
#define ENTITY_BUDGET ((gsize)8 << 20)
#define EXCERPT       400

typedef struct {
    char *message;
    guint64 line;
    int col;
    char *excerpt;
    gsize excerpt_len;
    guint count;
} problem;

typedef struct {
    GInputStream *stream;
    char *path, *file_id;
    const nerve_reader_options *opts;
    nerve_xml_config cfg;
    nerve_xml_eval ev;
    gsize limit;

    xmlParserCtxtPtr ctxt;
    nerve_trec_filter *trec;
    GString *filtered;
    char *chunk;
    GQueue ready; /* nerve_record* */
    gboolean finished;
    guint n_docs, n_records;

    /* the open document */
    xmlNodePtr doc;
    guint64 doc_line;
    gsize doc_start;
    gboolean oversize;
    problem err;
    GPtrArray *warnings;
    gsize entity_bytes;
    /* between documents */
    problem outside;
    gsize outside_entity_bytes;
} xml_reader;

static _Thread_local xml_reader *current;

static void problem_clear(problem *p)
{
    g_free(p->message);
    g_free(p->excerpt);
    memset(p, 0, sizeof *p);
}

static void problem_note(problem *p, const char *msg, guint64 line, int col,
                         const xmlParserCtxt *ctxt)
{
    if (p->count++)
        return;
    p->message = g_strdelimit(g_strchomp(g_strdup(msg ? msg : "error")), "\r\n", ' ');
    p->line = line;
    p->col = col;
    p->excerpt = nerve_markup_excerpt(ctxt, EXCERPT, &p->excerpt_len);
}

static gsize parse_pos(const xmlParserCtxt *c)
{
    if (!c || !c->input || !c->input->base)
        return 0;
    return (gsize)c->input->consumed + (gsize)(c->input->cur - c->input->base);
}

/* --- records ----------------------------------------------------------------- */

static nerve_record *queue_record(xml_reader *r, guint64 line, const char *id)
{
    nerve_record *rec = g_new0(nerve_record, 1);
    rec->line = line;
    rec->id = g_strdup(id);
    g_queue_push_tail(&r->ready, rec);
    r->n_records++;
    return rec;
}

/* An error record for p ("FILE:LINE:COL: what: message"). */
static void queue_problem(xml_reader *r, const problem *p, const char *id, const char *what)
{
    guint64 line = p->line ? p->line : 1;
    nerve_record *rec = queue_record(r, line, id);
    g_autofree char *more = p->count > 1 ? g_strdup_printf(" (and %u more error%s)", p->count - 1,
                                                           p->count > 2 ? "s" : "")
                                         : g_strdup("");
    g_set_error(&rec->error, NERVE_ERROR, NERVE_ERROR_INPUT,
                "%s:%" G_GUINT64_FORMAT ":%d: %s: %s%s", r->path, line, p->col, what,
                p->message ? p->message : "error", more);
    if (p->excerpt) {
        rec->data = g_memdup2(p->excerpt, p->excerpt_len);
        rec->len = p->excerpt_len;
    }
}

static void add_warnings(xml_reader *r, nerve_doc *doc)
{
    if (r->outside.count)
        nerve_doc_add_warning(
            doc, "malformed XML before this document at line %" G_GUINT64_FORMAT ", column %d: %s",
            r->outside.line, r->outside.col, r->outside.message);
    if (r->err.count)
        nerve_doc_add_warning(
            doc, "recovered from malformed input at line %" G_GUINT64_FORMAT ", column %d: %s%s",
            r->err.line, r->err.col, r->err.message, r->err.count > 1 ? " (and more)" : "");
    for (guint i = 0; i < r->warnings->len; i++)
        nerve_doc_add_warning(doc, "%s", (const char *)g_ptr_array_index(r->warnings, i));
    problem_clear(&r->outside);
}

/* The open document's element has closed: queue its record. */
static void finish_doc(xml_reader *r, xmlNodePtr node)
{
    r->n_docs++;
    nerve_xml_eval_prepare(&r->ev, node);
    const xmlAttr *id_attr;
    g_autofree char *fallback = g_strdup_printf("%s#%u", r->file_id, r->n_docs);
    g_autofree char *id = nerve_xml_eval_id(&r->ev, node, fallback, &id_attr);
    if (r->oversize) {
        nerve_record *rec = queue_record(r, r->doc_line, id);
        g_set_error(&rec->error, NERVE_ERROR, NERVE_ERROR_LIMIT,
                    "%s:%" G_GUINT64_FORMAT ": the document element has more than %zu bytes of "
                    "markup (4 x --max-doc-bytes, at least 16 MiB)%s",
                    r->path, r->doc_line, r->limit,
                    r->ev.select ? ""
                                 : "; the root element is the document unless --xpath-doc "
                                   "says which elements are");
        return;
    }
    if (r->err.count && !r->cfg.trec) {
        queue_problem(r, &r->err, id, "malformed XML");
        return;
    }
    json_t *meta = nerve_xml_eval_meta(&r->ev, node, id_attr);
    gboolean over;
    gsize max = r->opts->max_doc_bytes ? r->opts->max_doc_bytes + 1 : 0;
    GString *text = nerve_xml_eval_text(&r->ev, node, max, &over);
    nerve_record *rec = queue_record(r, r->doc_line, id);
    if (r->ev.error || over) {
        if (over)
            g_set_error(&rec->error, NERVE_ERROR, NERVE_ERROR_LIMIT,
                        "the document's text is longer than --max-doc-bytes=%zu",
                        r->opts->max_doc_bytes);
        else
            g_set_error(&rec->error, NERVE_ERROR, NERVE_ERROR_INPUT,
                        "%s:%" G_GUINT64_FORMAT ": XPath: %s", r->path, r->doc_line, r->ev.error);
        rec->len = MIN(text->len, (gsize)1024);
        rec->data = g_strndup(text->str, rec->len);
        json_decref(meta);
    } else {
        if (!json_object_size(meta))
            g_clear_pointer(&meta, json_decref);
        rec->doc = nerve_make_doc(id, text->str, text->len, meta, r->opts, &rec->error);
        if (rec->doc)
            add_warnings(r, rec->doc);
        else {
            rec->len = MIN(text->len, (gsize)1024);
            rec->data = g_strndup(text->str, rec->len);
        }
    }
    g_string_free(text, TRUE);
}

/* --- SAX ----------------------------------------------------------------------- */

/* Frees the children of parent: all of them are complete when one of them
 * has just closed, and none is needed any more. */
static void prune(xmlNodePtr parent)
{
    if (!parent || parent->type != XML_ELEMENT_NODE)
        return;
    xmlNodePtr c = parent->children;
    while (c) {
        xmlNodePtr next = c->next;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
        c = next;
    }
}

static xml_reader *reader_of(void *ctx)
{
    xml_reader *r = current;
    return r && r->ctxt == ctx ? r : NULL; /* not an entity's inner parse */
}

/* libxml2 2.9 drops every entity reference, &amp; included, once the
 * document is not well-formed (xmlParseReference returns early), which
 * after one recovered error would silently change the text of every later
 * document.  nerve keeps its own account of errors, so the flag is set
 * back at the next event; a parser that gave up stays stopped (instate). */
static void keep_entities(xml_reader *r)
{
    if (r->ctxt->instate != XML_PARSER_EOF)
        r->ctxt->wellFormed = 1;
}

static void on_characters(void *ctx, const xmlChar *ch, int len)
{
    xmlSAX2Characters(ctx, ch, len);
    xml_reader *r = reader_of(ctx);
    if (r)
        keep_entities(r);
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int n_ns, const xmlChar **ns, int n_attrs, int n_defaulted,
                     const xmlChar **attrs)
{
    xmlSAX2StartElementNs(ctx, local, prefix, uri, n_ns, ns, n_attrs, n_defaulted, attrs);
    xml_reader *r = reader_of(ctx);
    if (r)
        keep_entities(r);
    xmlNodePtr node = r ? r->ctxt->node : NULL;
    if (!r || r->doc || !node || node->type != XML_ELEMENT_NODE)
        return;
    gboolean is_doc = r->ev.select ? nerve_doc_select_match(r->ev.select, node)
                                   : !node->parent || node->parent->type != XML_ELEMENT_NODE;
    if (!is_doc)
        return;
    r->doc = node;
    r->doc_line = (guint64)xmlSAX2GetLineNumber(ctx);
    r->doc_start = parse_pos(r->ctxt);
    r->oversize = FALSE;
    r->entity_bytes = 0;
    problem_clear(&r->err);
    g_ptr_array_set_size(r->warnings, 0);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    xml_reader *r = reader_of(ctx);
    xmlNodePtr node = r ? r->ctxt->node : NULL;
    xmlSAX2EndElementNs(ctx, local, prefix, uri);
    if (!r || !node)
        return;
    keep_entities(r);
    if (node == r->doc) {
        finish_doc(r, node);
        r->doc = NULL;
        problem_clear(&r->err);
        prune(node->parent);
    } else if (!r->doc) {
        prune(node->parent);
    } else if (r->oversize || (r->limit && parse_pos(r->ctxt) - r->doc_start > r->limit)) {
        r->oversize = TRUE;
        prune(node->parent);
    }
}

static void note_error(xml_reader *r, const char *msg, const xmlParserCtxt *ctxt)
{
    guint64 line = ctxt && ctxt->input ? (guint64)ctxt->input->line : 0;
    int col = ctxt && ctxt->input ? ctxt->input->col : 0;
    problem_note(r->doc ? &r->err : &r->outside, msg, line, col, ctxt);
}

/* Appends the text of an entity's parsed content. */
static void entity_text(xml_reader *r, xmlNodePtr list, GString *out, int depth)
{
    for (xmlNodePtr n = list; n && depth < 40; n = n->next) {
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content)
            g_string_append(out, (const char *)n->content);
        else if (n->type == XML_ELEMENT_NODE)
            entity_text(r, n->children, out, depth + 1);
        else if (n->type == XML_ENTITY_REF_NODE) {
            xmlEntityPtr e = xmlGetDocEntity(r->ctxt->myDoc, n->name);
            if (e && e->etype == XML_INTERNAL_GENERAL_ENTITY)
                entity_text(r, e->children, out, depth + 1);
        }
        if (out->len > ENTITY_BUDGET)
            return;
    }
}

static void on_reference(void *ctx, const xmlChar *name)
{
    xml_reader *r = reader_of(ctx);
    if (!r) {
        xmlSAX2Reference(ctx, name);
        return;
    }
    xmlEntityPtr e = xmlGetPredefinedEntity(name);
    if (!e && r->ctxt->myDoc)
        e = xmlGetDocEntity(r->ctxt->myDoc, name);
    GString *text = g_string_new(NULL);
    if (!e) {
        const htmlEntityDesc *h = htmlEntityLookup(name);
        if (h)
            g_string_append_unichar(text, h->value);
        else if (r->doc)
            g_ptr_array_add(r->warnings,
                            g_strdup_printf("entity &%s; is not declared (its DTD is not read); "
                                            "left out",
                                            name));
    } else if (e->etype == XML_INTERNAL_GENERAL_ENTITY ||
               e->etype == XML_INTERNAL_PREDEFINED_ENTITY) {
        if (e->children)
            entity_text(r, e->children, text, 0);
        else if (e->content && !strpbrk((const char *)e->content, "&<"))
            g_string_append(text, (const char *)e->content);
    } else {
        g_autofree char *msg = g_strdup_printf(
            "external entity &%s; (%s) refused: nerve does not load external entities", name,
            e->SystemID ? (const char *)e->SystemID : "no system id");
        note_error(r, msg, r->ctxt);
    }
    gsize *budget = r->doc ? &r->entity_bytes : &r->outside_entity_bytes;
    *budget += text->len;
    if (*budget > ENTITY_BUDGET) {
        if (*budget - text->len <= ENTITY_BUDGET)
            note_error(r, "entity expansion over 8 MiB in one document", r->ctxt);
    } else if (text->len)
        xmlSAX2Characters(ctx, (const xmlChar *)text->str, (int)text->len);
    g_string_free(text, TRUE);
}

static void on_error(void *data, xmlErrorPtr e)
{
    (void)data;
    xml_reader *r = current;
    if (!r || !e || e->level == XML_ERR_NONE)
        return;
    if (e->code == XML_WAR_UNDECLARED_ENTITY)
        return; /* on_reference looks the name up or warns */
    if (e->level != XML_ERR_FATAL) {
        /* not a well-formedness error: namespaces, validity, warnings */
        if (r->doc && r->warnings->len < 20 && e->message)
            g_ptr_array_add(r->warnings,
                            g_strchomp(g_strdup_printf("line %d: %s", e->line, e->message)));
        return;
    }
    /* an error inside an entity's text is reported where it is used */
    const xmlParserCtxt *at = e->ctxt == r->ctxt || !r->ctxt ? e->ctxt : r->ctxt;
    guint64 line = at == e->ctxt && e->line > 0 ? (guint64)e->line
                   : at && at->input            ? (guint64)at->input->line
                                                : 0;
    int col = at == e->ctxt ? e->int2 : at && at->input ? at->input->col : 0;
    problem_note(r->doc ? &r->err : &r->outside, e->message, line, col, at);
}

static xmlParserInputPtr refuse_entity(void *ctx, const xmlChar *public_id, const xmlChar *sys_id)
{
    (void)ctx;
    (void)public_id;
    (void)sys_id;
    return NULL;
}

/* --- reading ------------------------------------------------------------------- */

static xmlParserCtxtPtr new_parser(xml_reader *r)
{
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    xmlSAXVersion(&sax, 2);
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.reference = on_reference;
    sax.characters = on_characters;
    sax.serror = on_error;
    sax.resolveEntity = refuse_entity;
    sax.externalSubset = NULL; /* the external DTD subset is never read */
    xmlParserCtxtPtr c = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, r->path);
    if (!c)
        return NULL;
    /* no XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_HUGE */
    xmlCtxtUseOptions(c, XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_BIG_LINES);
    return c;
}

/* The end of the input, or the parser gave up: what is left open or
 * unreported becomes an error record. */
static void finish_file(xml_reader *r, gboolean halted)
{
    if (r->doc) {
        problem *p = r->err.count ? &r->err : &r->outside;
        const xmlAttr *unused;
        r->n_docs++;
        nerve_xml_eval_prepare(&r->ev, r->doc);
        g_autofree char *fallback = g_strdup_printf("%s#%u", r->file_id, r->n_docs);
        g_autofree char *id = nerve_xml_eval_id(&r->ev, r->doc, fallback, &unused);
        queue_problem(r, p, id,
                      halted ? "malformed XML, the rest of the file is not read"
                             : "the document is not closed at the end of the file");
        r->doc = NULL;
    } else if (r->outside.count) {
        queue_problem(r, &r->outside, r->file_id,
                      halted ? "malformed XML, the rest of the file is not read" : "malformed XML");
    } else if (halted) {
        problem p = {.message = (char *)"the parser stopped", .line = 0};
        queue_problem(r, &p, r->file_id, "malformed XML, the rest of the file is not read");
    } else if (!r->n_records) {
        nerve_record *rec = queue_record(r, 0, r->file_id);
        g_set_error(&rec->error, NERVE_ERROR, NERVE_ERROR_INPUT,
                    "%s: no element matches --xpath-doc \"%s\"", r->path,
                    r->cfg.doc ? r->cfg.doc : "/*");
    }
    problem_clear(&r->outside);
    r->finished = TRUE;
}

/* Parses until a record is ready or the file is done. */
static void pump(xml_reader *r)
{
    while (!r->finished && g_queue_is_empty(&r->ready)) {
        GError *e = NULL;
        gssize n = g_input_stream_read(r->stream, r->chunk, CHUNK, NULL, &e);
        if (n < 0) {
            problem p = {.message = e->message};
            if (r->doc)
                r->doc = NULL, r->n_docs++;
            queue_problem(r, &p, r->file_id, "read error, the rest of the file is not read");
            g_error_free(e);
            r->finished = TRUE;
            return;
        }
        gboolean eof = n == 0;
        const char *data = r->chunk;
        gsize len = (gsize)n;
        if (r->trec) {
            g_string_truncate(r->filtered, 0);
            nerve_trec_filter_feed(r->trec, data, len, eof, r->filtered);
            data = r->filtered->str;
            len = r->filtered->len;
        }
        current = r;
        if (!r->ctxt)
            r->ctxt = new_parser(r);
        if (r->ctxt)
            xmlParseChunk(r->ctxt, data, (int)len, eof);
        current = NULL;
        gboolean halted = !r->ctxt || (!eof && r->ctxt->instate == XML_PARSER_EOF);
        if (eof || halted)
            finish_file(r, halted && !eof);
    }
}

gpointer nerve_xml_open(GInputStream *stream, const char *path, const char *id,
                        const nerve_reader_options *opts, GError **error)
{
    xml_reader *r = g_new0(xml_reader, 1);
    r->stream = g_object_ref(stream);
    r->path = g_strdup(path);
    r->file_id = g_strdup(id ? id : path);
    r->opts = opts;
    r->limit = nerve_markup_limit(opts);
    r->warnings = g_ptr_array_new_with_free_func(g_free);
    g_queue_init(&r->ready);
    if (!nerve_xml_config_init(&r->cfg, opts, error) ||
        !nerve_xml_eval_init(&r->ev, &r->cfg, error)) {
        nerve_xml_close(r);
        return NULL;
    }
    if (r->cfg.trec) {
        r->trec = nerve_trec_filter_new(!opts->strict);
        r->filtered = g_string_sized_new(CHUNK + CHUNK / 4);
    }
    r->chunk = g_malloc(CHUNK);
    return r;
}

gboolean nerve_xml_next(gpointer state, nerve_record *rec)
{
    xml_reader *r = state;
    pump(r);
    nerve_record *next = g_queue_pop_head(&r->ready);
    if (!next)
        return FALSE;
    *rec = *next;
    g_free(next);
    return TRUE;
}

static void free_record(gpointer data)
{
    nerve_record_clear(data);
    g_free(data);
}

void nerve_xml_close(gpointer state)
{
    xml_reader *r = state;
    if (!r)
        return;
    g_queue_clear_full(&r->ready, free_record);
    nerve_xml_eval_clear(&r->ev); /* before the tree it points into */
    if (r->ctxt) {
        if (r->ctxt->myDoc)
            xmlFreeDoc(r->ctxt->myDoc);
        r->ctxt->myDoc = NULL;
        xmlFreeParserCtxt(r->ctxt);
    }
    nerve_xml_config_clear(&r->cfg);
    nerve_trec_filter_free(r->trec);
    if (r->filtered)
        g_string_free(r->filtered, TRUE);
    problem_clear(&r->err);
    problem_clear(&r->outside);
    g_ptr_array_free(r->warnings, TRUE);
    g_free(r->chunk);
    g_free(r->path);
    g_free(r->file_id);
    g_object_unref(r->stream);
    g_free(r);
}
