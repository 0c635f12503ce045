/* fixture.h - documents built by hand for the format and eval tests.
 *
 * The gazetteer and rule stages are not used: the text goes through
 * normalize, tokenize and sentences, then entities and events are added
 * by token range through the doc API, as those stages would.  The texts
 * hold what shifts offsets in other tools: astral emoji, a flag, a ZWJ
 * sequence, a combining accent, CJK, Hebrew and Arabic, CRLF, and an
 * entity across a line break.
 */
#ifndef NERVE_TEST_FIXTURE_H
#define NERVE_TEST_FIXTURE_H

#include <glib/gstdio.h>
#include <string.h>

#include "nerve/nerve.h"

#define DOC1_TEXT                                                                                  \
    "President Aiko Tan \xF0\x9F\x99\x82 met \xF0\x9F\x87\xAB\xF0\x9F\x87\xB7 officials in Lyon "  \
    "on Oct. 3.\r\nThe envoy \xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB Jose\xCC\x81 signed in " \
    "\xE6\x9D\xB1\xE4\xBA\xAC with \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D and "                          \
    "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85.\r\n\r\nLast line."
#define DOC2_ID   "ex/2 <b>&amp;"
#define DOC2_TEXT "Rue de\r\nla Paix \xF0\x9F\x99\x82 est \xC3\xA0 Paris."

/* A new temporary directory (the caller frees the name). */
static inline char *fx_tmpdir(void)
{
    GError *err = NULL;
    char *d = g_dir_make_tmp("nerve-test-XXXXXX", &err);
    g_assert_no_error(err);
    return d;
}

/* Removes dir and everything below it. */
static inline void fx_rm_rf(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *n;
    while (d && (n = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, n, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR))
            fx_rm_rf(p);
        else
            g_unlink(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
}

/* The contents of a file that must exist (the caller frees them). */
static inline char *fx_slurp(const char *path)
{
    char *s = NULL;
    GError *err = NULL;
    g_file_get_contents(path, &s, NULL, &err);
    g_assert_no_error(err);
    return s;
}

static inline gint fx_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The index of the first token (from `from`) whose text is s. */
static inline uint32_t fx_tok(const nerve_doc *doc, const char *s, uint32_t from)
{
    size_t n, len;
    const char *text = nerve_doc_text(doc, &len);
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    for (size_t i = from; i < n; i++)
        if (t[i].end - t[i].start == strlen(s) && !memcmp(text + t[i].start, s, strlen(s)))
            return (uint32_t)i;
    g_error("fixture: no token \"%s\"", s);
}

/* Adds an entity over tokens [a, b] (inclusive); returns its index. */
static inline int fx_ent(nerve_doc *doc, uint32_t a, uint32_t b, const char *label,
                         const char *attrs, size_t attrs_len, int priority)
{
    size_t n;
    nerve_entity *e = nerve_doc_add_entity(doc);
    e->tok_start = a;
    e->tok_end = b + 1;
    nerve_doc_entity_span(doc, e);
    e->label = g_intern_string(label);
    e->source = g_intern_string("gazetteer:test");
    e->priority = priority;
    e->attrs = attrs ? nerve_doc_strdup(doc, attrs, attrs_len) : NULL;
    nerve_doc_entities(doc, &n);
    return (int)n - 1;
}

/* Adds an event triggered by token t; args: role, entity index (or -1 and
 * the token range [ts, te]). */
typedef struct {
    const char *role;
    int entity;
    uint32_t ts, te;
} fx_arg;

static inline void fx_event(nerve_doc *doc, const char *type, uint32_t t, const fx_arg *args,
                            uint32_t n_args, const char *attrs, size_t attrs_len)
{
    size_t len;
    nerve_doc_text(doc, &len);
    const nerve_token *toks = nerve_doc_tokens(doc, NULL);
    nerve_event *ev = nerve_doc_add_event(doc, n_args);
    ev->type = g_intern_string(type);
    ev->rule = g_intern_string("test_rule");
    ev->trig_tok_start = t;
    ev->trig_tok_end = t + 1;
    ev->trig_start = toks[t].start;
    ev->trig_end = toks[t].end;
    ev->attrs = attrs ? nerve_doc_strdup(doc, attrs, attrs_len) : NULL;
    nerve_arg *a = nerve_doc_args(doc, NULL) + ev->arg_first;
    const nerve_entity *ents = nerve_doc_entities(doc, NULL);
    for (uint32_t k = 0; k < n_args; k++) {
        a[k].role = g_intern_string(args[k].role);
        a[k].entity = args[k].entity;
        if (args[k].entity >= 0) {
            const nerve_entity *e = &ents[args[k].entity];
            a[k].tok_start = e->tok_start, a[k].tok_end = e->tok_end;
            a[k].start = e->start, a[k].end = e->end;
        } else {
            a[k].tok_start = args[k].ts, a[k].tok_end = args[k].te + 1;
            a[k].start = toks[args[k].ts].start, a[k].end = toks[args[k].te].end;
        }
    }
}

static inline nerve_doc *fx_analyse(const char *id, const char *text)
{
    static nerve_tokenizer *tk;
    static nerve_splitter *sp;
    if (!tk) {
        tk = nerve_tokenizer_new();
        nerve_tokenizer_add_abbreviation(tk, "Oct.", NERVE_ABBREV_MONTH);
        sp = nerve_splitter_new(tk, NULL);
    }
    nerve_doc *doc = nerve_doc_new(id, text, strlen(text), json_pack("{s:s}", "source", "test"));
    nerve_normalize_options no = {FALSE, TRUE};
    nerve_normalize(&no, doc);
    nerve_tokenize(tk, doc);
    nerve_split_sentences(sp, doc);
    return doc;
}

/* Document 1: entities (one loses overlap resolution), two events. */
static inline nerve_doc *fx_doc1(gboolean keep)
{
    nerve_doc *d = fx_analyse("ex/1", DOC1_TEXT);
    static const char kb1[] = "kb\0ex:1\0conf\0high";
    static const char kb2[] = "kb\0geonames:2996944";
    int aiko = fx_ent(d, fx_tok(d, "Aiko", 0), fx_tok(d, "Tan", 0), "PERSON", kb1, sizeof kb1, 1);
    fx_ent(d, fx_tok(d, "President", 0), fx_tok(d, "Tan", 0), "ORG", NULL, 0, 0); /* dropped */
    fx_ent(d, fx_tok(d, "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7", 0),
           fx_tok(d, "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7", 0), "NORP", NULL, 0, 0);
    int lyon = fx_ent(d, fx_tok(d, "Lyon", 0), fx_tok(d, "Lyon", 0), "GPE", kb2, sizeof kb2, 0);
    int date = fx_ent(d, fx_tok(d, "Oct.", 0), fx_tok(d, "3", 0), "DATE", NULL, 0, 0);
    int jose =
        fx_ent(d, fx_tok(d, "Jose\xCC\x81", 0), fx_tok(d, "Jose\xCC\x81", 0), "PERSON", NULL, 0, 0);
    int tokyo = fx_ent(d, fx_tok(d, "\xE6\x9D\xB1\xE4\xBA\xAC", 0),
                       fx_tok(d, "\xE6\x9D\xB1\xE4\xBA\xAC", 0), "GPE", NULL, 0, 0);
    fx_ent(d, fx_tok(d, "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D", 0),
           fx_tok(d, "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D", 0), "PERSON", NULL, 0, 0);
    fx_ent(d, fx_tok(d, "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85", 0),
           fx_tok(d, "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85", 0), "ORG", NULL, 0, 0);
    uint32_t off = fx_tok(d, "officials", 0);
    fx_arg meet[] = {{"agent", aiko, 0, 0},
                     {"place", lyon, 0, 0},
                     {"theme", -1, off, off},
                     {"time", date, 0, 0}};
    static const char conf[] = "confidence\0high";
    fx_event(d, "Contact.Meet", fx_tok(d, "met", 0), meet, 4, conf, sizeof conf);
    fx_arg sign[] = {{"agent", jose, 0, 0},
                     {"place", tokyo, 0, 0},
                     {"agent", -1, fx_tok(d, "envoy", 0), fx_tok(d, "envoy", 0)}};
    fx_event(d, "Contact.Agreement", fx_tok(d, "signed", 0), sign, 3, NULL, 0);
    nerve_doc_resolve_entities(d);
    nerve_doc_finish(d, keep);
    return d;
}

/* Document 2: an entity across CRLF, an id that is not a file name. */
static inline nerve_doc *fx_doc2(const char *id, gboolean keep)
{
    nerve_doc *d = fx_analyse(id, DOC2_TEXT);
    fx_ent(d, fx_tok(d, "Rue", 0), fx_tok(d, "Paix", 0), "FAC", NULL, 0, 0);
    fx_ent(d, fx_tok(d, "Paris", 0), fx_tok(d, "Paris", 0), "GPE", NULL, 0, 0);
    nerve_doc_resolve_entities(d);
    nerve_doc_finish(d, keep);
    return d;
}

/* The three documents (the third has the second's id). */
static inline GPtrArray *fx_docs(gboolean keep)
{
    GPtrArray *a = g_ptr_array_new_with_free_func((GDestroyNotify)nerve_doc_free);
    g_ptr_array_add(a, fx_doc1(keep));
    g_ptr_array_add(a, fx_doc2(DOC2_ID, keep));
    g_ptr_array_add(a, fx_doc2(DOC2_ID, keep));
    return a;
}

/* Runs a writer over docs. */
static inline void fx_write(const char *format, const nerve_writer_options *o, GPtrArray *docs)
{
    GError *err = NULL;
    nerve_writer *w = nerve_writer_new(format, o, &err);
    g_assert_no_error(err);
    for (guint i = 0; i < docs->len; i++) {
        GString *out = g_string_new(NULL);
        nerve_writer_render(w, g_ptr_array_index(docs, i), out);
        g_assert_true(nerve_writer_write(w, g_ptr_array_index(docs, i), out, &err));
        g_assert_no_error(err);
        g_string_free(out, TRUE);
    }
    g_assert_true(nerve_writer_close(w, &err));
    g_assert_no_error(err);
}

/* Sorts lines, joins them with newlines, frees the array. */
static inline char *fx_join_sorted(GPtrArray *lines)
{
    g_ptr_array_sort(lines, fx_cmp);
    g_ptr_array_add(lines, NULL);
    char *s = g_strjoinv("\n", (char **)lines->pdata);
    g_ptr_array_unref(lines);
    return s;
}

/* An independent slice of text (NUL-terminated) by [s, e) in unit, with
 * GLib's own conversions; NULL when the offsets are not valid there. */
static inline char *fx_slice(const char *text, long s, long e, nerve_unit unit)
{
    if (s < 0 || e < s)
        return NULL;
    if (unit == NERVE_UNIT_BYTE) {
        if ((size_t)e > strlen(text) || !g_utf8_validate(text + s, e - s, NULL))
            return NULL;
        return g_strndup(text + s, (gsize)(e - s));
    }
    if (unit == NERVE_UNIT_CODEPOINT) {
        if (e > g_utf8_strlen(text, -1))
            return NULL;
        return g_utf8_substring(text, s, e);
    }
    glong n;
    gunichar2 *u = g_utf8_to_utf16(text, -1, NULL, &n, NULL);
    char *out = e <= n ? g_utf16_to_utf8(u + s, e - s, NULL, NULL, NULL) : NULL;
    g_free(u);
    return out;
}

/* The written entities of doc as sorted "label\ttext" lines (the label
 * under scheme), what every format must give back. */
static inline char *fx_expected(const nerve_doc *doc, nerve_label_scheme scheme)
{
    size_t n, len;
    const char *text = nerve_doc_text(doc, &len);
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
    for (size_t i = 0; i < n; i++) {
        const char *label = e[i].id ? nerve_label_map(scheme, e[i].label) : NULL;
        if (label)
            g_ptr_array_add(lines, g_strdup_printf("%s\t%.*s", label, (int)(e[i].end - e[i].start),
                                                   text + e[i].start));
    }
    return fx_join_sorted(lines);
}

#endif
