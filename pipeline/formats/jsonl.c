/* jsonl.c - the native JSONL format: records in, annotations out.
 *
 * Input: one JSON object per line, scanned in one pass (jsonscan.c); the id
 * and text fields are decoded and every other field goes to meta as the
 * raw JSON it was, untouched (numbers keep their spelling).  A line with
 * invalid UTF-8 is repaired before scanning unless --strict.
 *
 * Output is written directly into a GString, not built as a Jansson tree:
 * a document has thousands of tokens and entities, and building objects
 * for each would cost more than annotating them.  Offsets are converted
 * from bytes with the document's nerve_offsets map.
 */
#include <string.h>

#include "formats/formats.h"
#include "formats/jsonout.h"
#include "formats/jsonscan.h"
#include "nerve/error.h"
#include "nerve/offsets.h"
#include "nerve/utf8.h"

nerve_doc *nerve_jsonl_parse(nerve_record *rec, const nerve_reader_options *opts, GError **error)
{
    const char *line = rec->data;
    size_t len = rec->len;
    size_t first_bad, bad = nerve_utf8_count_invalid(line, len, &first_bad);
    if (bad) {
        if (opts->strict) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT,
                        "invalid UTF-8 at byte %zu of the record (--strict)", first_bad);
            return NULL;
        }
        /* keep the repaired line: the error record must be valid JSON */
        GString *fixed = g_string_sized_new(len + 16);
        nerve_utf8_repair(line, len, fixed);
        g_free(rec->data);
        rec->len = fixed->len;
        rec->data = g_string_free(fixed, FALSE);
        line = rec->data;
        len = rec->len;
    }
    nerve_json_record jr;
    size_t column;
    const char *why;
    guint depth = opts->max_json_depth ? opts->max_json_depth : 512;
    if (!nerve_json_scan_record(line, len, opts->id_field, opts->text_field, depth, &jr, &column,
                                &why)) {
        if (jr.id) {
            g_free(rec->id);
            rec->id = g_strdup(jr.id);
        }
        if (!strcmp(why, "nested deeper than the limit"))
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_LIMIT,
                        "JSON nested deeper than the limit --max-json-depth=%u (column %zu)", depth,
                        column);
        else if (!strcmp(why, "the record is not a JSON object"))
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "%s", why);
        else
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "malformed JSON at column %zu: %s",
                        column, why);
        nerve_json_record_clear(&jr);
        return NULL;
    }
    if (jr.id_bad) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT,
                    "the \"%s\" field must be a string or an integer", opts->id_field);
        nerve_json_record_clear(&jr);
        return NULL;
    }
    char *id = jr.id ? g_strdup(jr.id)
                     : g_strdup_printf("%s:%" G_GUINT64_FORMAT,
                                       rec->source_id ? rec->source_id : "stdin", rec->line);
    g_free(rec->id);
    rec->id = id;
    if (!jr.text) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "the record has no \"%s\" string field",
                    opts->text_field);
        nerve_json_record_clear(&jr);
        return NULL;
    }
    nerve_doc *doc = nerve_make_doc(id, jr.text, jr.text_len, NULL, opts, error);
    if (doc) {
        size_t meta_len = jr.meta->len;
        nerve_doc_set_meta_raw(doc, g_string_free(jr.meta, FALSE), meta_len);
        jr.meta = NULL;
        if (bad)
            nerve_doc_add_warning(doc, "replaced %zu invalid UTF-8 sequence%s with U+FFFD", bad,
                                  bad == 1 ? "" : "s");
        if (jr.replaced)
            nerve_doc_add_warning(doc, "replaced %zu lone surrogate escape%s with U+FFFD",
                                  jr.replaced, jr.replaced == 1 ? "" : "s");
    }
    nerve_json_record_clear(&jr);
    return doc;
}

/* --- the writer ------------------------------------------------------------ */

typedef struct {
    FILE *out;
    gboolean own;
} jsonl_state;

static void *jsonl_open(const nerve_writer_options *opts, GError **error)
{
    jsonl_state *st = g_new0(jsonl_state, 1);
    if (!opts->output || !strcmp(opts->output, "-")) {
        st->out = stdout;
    } else {
        st->out = fopen(opts->output, "wb");
        if (!st->out) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: cannot write: %s", opts->output,
                        g_strerror(errno));
            g_free(st);
            return NULL;
        }
        st->own = TRUE;
    }
    return st;
}

/* Room for the fixed parts of an entity, event or argument up to its
 * first string: keys, punctuation, an id and two offsets. */
#define FIXED_ROOM (64 + 3 * NERVE_OUT_UINT_MAX)

/* "start":S,"end":E at p, in the cursor's unit. */
static char *put_span(char *p, nerve_offsets_cursor *cur, uint32_t s, uint32_t e)
{
    p = NERVE_OUT_LIT(p, "\"start\":");
    p = nerve_out_uint(p, nerve_offsets_cursor_convert(cur, s));
    p = NERVE_OUT_LIT(p, ",\"end\":");
    return nerve_out_uint(p, nerve_offsets_cursor_convert(cur, e));
}

/* [S,E] in the cursor's unit, after a comma unless first. */
static inline void append_pair(GString *out, nerve_offsets_cursor *cur, gboolean first, uint32_t s,
                               uint32_t e)
{
    char *p = nerve_out_room(out, 4 + 2 * NERVE_OUT_UINT_MAX);
    if (!first)
        *p++ = ',';
    *p++ = '[';
    p = nerve_out_uint(p, nerve_offsets_cursor_convert(cur, s));
    *p++ = ',';
    p = nerve_out_uint(p, nerve_offsets_cursor_convert(cur, e));
    *p++ = ']';
    nerve_out_set_end(out, p);
}

static void append_str(GString *out, const char *s)
{
    nerve_json_append_string(out, s, strlen(s));
}

/* The JSON of interned strings (labels, sources, roles, event types, rule
 * names: g_intern_string()ed for the life of the process, so a pointer
 * always means the same text), kept by pointer in a small cache per
 * thread: a document's entities repeat a few labels and sources, and a
 * copy of fixed size costs less than escaping them again.  A string whose
 * JSON does not fit an entry is escaped every time. */
#define INTERNED_SLOTS 64
#define INTERNED_JSON  47

typedef struct {
    const char *key;
    uint8_t len;
    char json[INTERNED_JSON];
} interned_json;

static _Thread_local interned_json interned_cache[INTERNED_SLOTS];

static void append_interned(GString *out, const char *s)
{
    /* Fibonacci hashing of the address: the top bits of the product */
    uintptr_t h = ((uintptr_t)s >> 3) * (uintptr_t)0x9E3779B97F4A7C15ull;
    interned_json *c = &interned_cache[(h >> (sizeof h * 8 - 6)) % INTERNED_SLOTS];
    if (c->key == s) {
        char *p = nerve_out_room(out, sizeof c->json);
        memcpy(p, c->json, sizeof c->json); /* the whole entry: a fixed-size copy */
        nerve_out_set_end(out, p + c->len);
        return;
    }
    size_t at = out->len;
    append_str(out, s);
    size_t n = out->len - at;
    if (n <= sizeof c->json) {
        memcpy(c->json, out->str + at, n);
        c->len = (uint8_t)n;
        c->key = s;
    }
}

/* Appends a literal (no NUL-terminated string, no strlen). */
#define APPEND_LIT(out, lit)                                                                       \
    do {                                                                                           \
        char *p_ = nerve_out_room((out), sizeof(lit) - 1);                                         \
        nerve_out_set_end((out), NERVE_OUT_LIT(p_, lit));                                          \
    } while (0)

/* ,"attrs":{...}} - the attributes and the end of their object. */
static void append_attrs(GString *out, const char *attrs)
{
    const char *it = attrs, *k, *v;
    gboolean first = TRUE;
    APPEND_LIT(out, ",\"attrs\":{");
    while (nerve_attrs_next(&it, &k, &v)) {
        if (!first)
            APPEND_LIT(out, ",");
        first = FALSE;
        append_str(out, k);
        APPEND_LIT(out, ":");
        append_str(out, v);
    }
    APPEND_LIT(out, "}}");
}

static void append_entities(GString *out, const nerve_writer_options *opts, const nerve_doc *doc,
                            nerve_offsets_cursor *cur)
{
    size_t n;
    const char *text = nerve_doc_text(doc, NULL);
    const nerve_entity *ents = nerve_doc_entities(doc, &n);
    gboolean first = TRUE;
    for (size_t i = 0; i < n; i++) {
        const nerve_entity *e = &ents[i];
        const char *label = nerve_label_map(opts->labels, e->label);
        if (!e->id || !label)
            continue;
        char *p = nerve_out_room(out, FIXED_ROOM);
        p = first ? NERVE_OUT_LIT(p, "{\"id\":\"T") : NERVE_OUT_LIT(p, ",{\"id\":\"T");
        first = FALSE;
        p = nerve_out_uint(p, e->id);
        p = NERVE_OUT_LIT(p, "\",");
        p = put_span(p, cur, e->start, e->end);
        nerve_out_set_end(out, NERVE_OUT_LIT(p, ",\"label\":"));
        append_interned(out, label);
        APPEND_LIT(out, ",\"text\":");
        nerve_json_append_string(out, text + e->start, e->end - e->start);
        APPEND_LIT(out, ",\"source\":");
        append_interned(out, e->source ? e->source : "");
        if (e->flags & NERVE_ENTITY_DROPPED)
            APPEND_LIT(out, ",\"dropped\":true");
        append_attrs(out, e->attrs);
    }
}

static void append_events(GString *out, const nerve_writer_options *opts, const nerve_doc *doc,
                          nerve_offsets_cursor *cur)
{
    size_t n;
    const char *text = nerve_doc_text(doc, NULL);
    const nerve_entity *ents = nerve_doc_entities(doc, NULL);
    const nerve_event *evs = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    gboolean first = TRUE;
    for (size_t i = 0; i < n; i++) {
        const nerve_event *ev = &evs[i];
        if (!ev->id)
            continue;
        char *p = nerve_out_room(out, FIXED_ROOM);
        p = first ? NERVE_OUT_LIT(p, "{\"id\":\"E") : NERVE_OUT_LIT(p, ",{\"id\":\"E");
        first = FALSE;
        p = nerve_out_uint(p, ev->id);
        nerve_out_set_end(out, NERVE_OUT_LIT(p, "\",\"type\":"));
        append_interned(out, ev->type);
        APPEND_LIT(out, ",\"rule\":");
        append_interned(out, ev->rule ? ev->rule : "");
        p = nerve_out_room(out, FIXED_ROOM);
        p = NERVE_OUT_LIT(p, ",\"trigger\":{");
        p = put_span(p, cur, ev->trig_start, ev->trig_end);
        nerve_out_set_end(out, NERVE_OUT_LIT(p, ",\"text\":"));
        nerve_json_append_string(out, text + ev->trig_start, ev->trig_end - ev->trig_start);
        APPEND_LIT(out, "},\"args\":[");
        for (uint32_t k = 0; k < ev->n_args; k++) {
            const nerve_arg *a = &args[ev->arg_first + k];
            if (k)
                APPEND_LIT(out, ",{\"role\":");
            else
                APPEND_LIT(out, "{\"role\":");
            append_interned(out, a->role);
            const nerve_entity *target = a->entity >= 0 ? &ents[a->entity] : NULL;
            p = nerve_out_room(out, FIXED_ROOM);
            if (target && nerve_label_map(opts->labels, target->label)) {
                p = NERVE_OUT_LIT(p, ",\"ref\":\"T");
                p = nerve_out_uint(p, target->id);
                nerve_out_set_end(out, NERVE_OUT_LIT(p, "\"}"));
            } else {
                *p++ = ',';
                p = put_span(p, cur, a->start, a->end);
                nerve_out_set_end(out, NERVE_OUT_LIT(p, ",\"text\":"));
                nerve_json_append_string(out, text + a->start, a->end - a->start);
                APPEND_LIT(out, "}");
            }
        }
        APPEND_LIT(out, "]");
        append_attrs(out, ev->attrs);
    }
}

static void jsonl_render(const void *state, const nerve_writer_options *opts, const nerve_doc *doc,
                         GString *out)
{
    (void)state;
    size_t len, n;
    const char *text = nerve_doc_text(doc, &len);
    nerve_offsets_cursor cur;
    nerve_offsets_cursor_init(&cur, text, len, opts->unit);

    APPEND_LIT(out, "{\"id\":");
    append_str(out, nerve_doc_id(doc));
    APPEND_LIT(out, ",\"text\":");
    nerve_json_append_string(out, text, len);
    APPEND_LIT(out, ",\"meta\":");
    size_t meta_len;
    const char *meta = nerve_doc_meta_json(doc, &meta_len);
    g_string_append_len(out, meta, (gssize)meta_len);
    APPEND_LIT(out, ",\"offsets\":\"");
    g_string_append(out, nerve_unit_name(opts->unit));
    APPEND_LIT(out, "\",\"sentences\":[");
    const nerve_sentence *sents = nerve_doc_sentences(doc, &n);
    for (size_t i = 0; i < n; i++)
        append_pair(out, &cur, i == 0, sents[i].start, sents[i].end);
    APPEND_LIT(out, "]");
    if (opts->tokens) {
        const nerve_token *toks = nerve_doc_tokens(doc, &n);
        APPEND_LIT(out, ",\"tokens\":[");
        for (size_t i = 0; i < n; i++)
            append_pair(out, &cur, i == 0, toks[i].start, toks[i].end);
        APPEND_LIT(out, "]");
    }
    APPEND_LIT(out, ",\"entities\":[");
    append_entities(out, opts, doc, &cur);
    APPEND_LIT(out, "],\"events\":[");
    append_events(out, opts, doc, &cur);
    APPEND_LIT(out, "]");
    guint nw = nerve_doc_n_warnings(doc);
    if (nw) {
        APPEND_LIT(out, ",\"warnings\":[");
        for (guint i = 0; i < nw; i++) {
            if (i)
                APPEND_LIT(out, ",");
            append_str(out, nerve_doc_warning(doc, i));
        }
        APPEND_LIT(out, "]");
    }
    APPEND_LIT(out, "}\n");
    nerve_offsets_cursor_clear(&cur);
}

static gboolean jsonl_write(void *state, const nerve_doc *doc, const GString *rendered,
                            GError **error)
{
    (void)doc;
    jsonl_state *st = state;
    if (fwrite(rendered->str, 1, rendered->len, st->out) != rendered->len) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "cannot write the output: %s",
                    g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

static gboolean jsonl_close(void *state, GError **error)
{
    jsonl_state *st = state;
    gboolean ok = fflush(st->out) == 0;
    if (st->own)
        ok = fclose(st->out) == 0 && ok;
    if (!ok)
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "cannot write the output: %s",
                    g_strerror(errno));
    g_free(st);
    return ok;
}

const nerve_writer_class nerve_jsonl_writer = {
    .name = "jsonl",
    .to_directory = FALSE,
    .open = jsonl_open,
    .render = jsonl_render,
    .write = jsonl_write,
    .close = jsonl_close,
    .done = NULL,
};
