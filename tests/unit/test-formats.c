/* test-formats.c - the line and JSON writers: brat, conll, labelstudio,
 * doccano, prodigy, tsv, html.  Every offset written is re-sliced in the
 * format's own unit with GLib's conversions (not nerve_offsets) and must
 * give back the entity's text; the entities read back must be the ones
 * the document holds. */
#include <glib/gstdio.h>
#include <string.h>

#include "fixture.h"

static const char *doc_text(GPtrArray *docs, guint i)
{
    return nerve_doc_text(g_ptr_array_index(docs, i), NULL);
}

/* --- JSON formats --------------------------------------------------------------- */

/* Checks one JSON label span against text and adds "label\ttext". */
static void json_span(const char *text, json_int_t s, json_int_t e, const char *label,
                      const char *claimed, GPtrArray *got)
{
    g_autofree char *slice = fx_slice(text, (long)s, (long)e, NERVE_UNIT_CODEPOINT);
    g_assert_nonnull(slice);
    if (claimed)
        g_assert_cmpstr(slice, ==, claimed);
    g_ptr_array_add(got, g_strdup_printf("%s\t%s", label, slice));
}

static void test_labelstudio(void)
{
    g_autofree char *dir = fx_tmpdir();
    g_autofree char *out = g_build_filename(dir, "tasks.json", NULL);
    GPtrArray *docs = fx_docs(FALSE);
    nerve_writer_options o = {.output = out};
    fx_write("labelstudio", &o, docs);
    json_error_t jerr;
    json_t *tasks = json_load_file(out, 0, &jerr);
    g_assert_nonnull(tasks);
    g_assert_cmpuint(json_array_size(tasks), ==, 3);
    for (guint i = 0; i < 3; i++) {
        json_t *t = json_array_get(tasks, i);
        const char *text = json_string_value(json_object_get(json_object_get(t, "data"), "text"));
        g_assert_cmpstr(text, ==, doc_text(docs, i));
        g_assert_cmpint(json_integer_value(json_object_get(t, "id")), ==, i + 1);
        GPtrArray *got = g_ptr_array_new_with_free_func(g_free);
        json_t *preds = json_object_get(t, "predictions"), *r;
        size_t k;
        json_array_foreach(json_object_get(json_array_get(preds, 0), "result"), k, r)
        {
            json_t *v = json_object_get(r, "value");
            g_assert_cmpstr(json_string_value(json_object_get(r, "from_name")), ==, "label");
            g_assert_cmpstr(json_string_value(json_object_get(r, "to_name")), ==, "text");
            g_assert_cmpstr(json_string_value(json_object_get(r, "type")), ==, "labels");
            json_span(text, json_integer_value(json_object_get(v, "start")),
                      json_integer_value(json_object_get(v, "end")),
                      json_string_value(json_array_get(json_object_get(v, "labels"), 0)),
                      json_string_value(json_object_get(v, "text")), got);
        }
        g_autofree char *want = fx_expected(g_ptr_array_index(docs, i), NERVE_LABELS_NATIVE);
        g_autofree char *have = fx_join_sorted(got);
        g_assert_cmpstr(have, ==, want);
        /* doc 1: a second prediction with the events: 7 relations, one per argument */
        guint relations = 0;
        json_array_foreach(json_object_get(json_array_get(preds, 1), "result"), k, r) relations +=
            !strcmp(json_string_value(json_object_get(r, "type")), "relation");
        g_assert_cmpuint(relations, ==, i == 0 ? 7 : 0);
    }
    json_decref(tasks);
    g_autofree char *cfg_path = g_build_filename(dir, "labelstudio.xml", NULL);
    g_autofree char *cfg = fx_slurp(cfg_path);
    for (const char *const *l =
             (const char *const[]){"\"PERSON\"", "\"FAC\"", "\"Contact.Meet\"", "\"theme\"",
                                   "<Relation value=\"agent\"/>",
                                   "<Text name=\"text\" value=\"$text\"/>", NULL};
         *l; l++)
        g_assert_nonnull(strstr(cfg, *l));
    g_ptr_array_unref(docs);
    fx_rm_rf(dir);
}

/* doccano under a label scheme and overlap policy. */
static void check_doccano(nerve_label_scheme scheme, gboolean keep)
{
    g_autofree char *dir = fx_tmpdir();
    g_autofree char *out = g_build_filename(dir, "d.jsonl", NULL);
    GPtrArray *docs = fx_docs(keep);
    nerve_writer_options o = {.output = out, .labels = scheme, .keep_overlaps = keep};
    fx_write("doccano", &o, docs);
    g_autofree char *data = fx_slurp(out);
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 4); /* and the empty string after the last \n */
    for (guint i = 0; i < 3; i++) {
        json_t *d = json_loads(lines[i], 0, NULL);
        const char *text = json_string_value(json_object_get(d, "text"));
        g_assert_cmpstr(text, ==, doc_text(docs, i));
        g_assert_cmpstr(json_string_value(json_object_get(d, "id")), ==,
                        nerve_doc_id(g_ptr_array_index(docs, i)));
        GPtrArray *got = g_ptr_array_new_with_free_func(g_free);
        size_t k;
        json_t *l;
        json_array_foreach(json_object_get(d, "label"), k, l)
            json_span(text, json_integer_value(json_array_get(l, 0)),
                      json_integer_value(json_array_get(l, 1)),
                      json_string_value(json_array_get(l, 2)), NULL, got);
        g_autofree char *want = fx_expected(g_ptr_array_index(docs, i), scheme);
        g_autofree char *have = fx_join_sorted(got);
        g_assert_cmpstr(have, ==, want);
        if (i == 0) { /* what the schemes and policies change */
            g_assert_true((strstr(have, "ORG\tPresident Aiko Tan") != NULL) == keep);
            g_assert_true((strstr(have, "DATE\tOct. 3") != NULL) ==
                          (scheme == NERVE_LABELS_NATIVE));
            g_assert_true((strstr(have, "PER\tAiko Tan") != NULL) ==
                          (scheme == NERVE_LABELS_CONLL));
        }
        json_decref(d);
    }
    g_ptr_array_unref(docs);
    fx_rm_rf(dir);
}

static void test_doccano(void)
{
    check_doccano(NERVE_LABELS_NATIVE, FALSE);
    check_doccano(NERVE_LABELS_CONLL, FALSE);
    check_doccano(NERVE_LABELS_NATIVE, TRUE);
}

static void test_prodigy(void)
{
    g_autofree char *dir = fx_tmpdir();
    g_autofree char *out = g_build_filename(dir, "p.jsonl", NULL);
    GPtrArray *docs = fx_docs(FALSE);
    nerve_writer_options o = {.output = out};
    fx_write("prodigy", &o, docs);
    g_autofree char *data = fx_slurp(out);
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    for (guint i = 0; i < 3; i++) {
        json_t *d = json_loads(lines[i], 0, NULL), *tokens = json_object_get(d, "tokens"), *x;
        const char *text = json_string_value(json_object_get(d, "text"));
        g_assert_cmpstr(text, ==, doc_text(docs, i));
        g_assert_cmpstr(json_string_value(json_object_get(json_object_get(d, "meta"), "id")), ==,
                        nerve_doc_id(g_ptr_array_index(docs, i)));
        g_assert_cmpstr(json_string_value(json_object_get(json_object_get(d, "meta"), "source")),
                        ==, "test");
        size_t k;
        json_array_foreach(tokens, k, x)
        {
            g_autofree char *slice =
                fx_slice(text, json_integer_value(json_object_get(x, "start")),
                         json_integer_value(json_object_get(x, "end")), NERVE_UNIT_CODEPOINT);
            g_assert_cmpstr(slice, ==, json_string_value(json_object_get(x, "text")));
            g_assert_cmpint(json_integer_value(json_object_get(x, "id")), ==, k);
        }
        GPtrArray *got = g_ptr_array_new_with_free_func(g_free);
        json_array_foreach(json_object_get(d, "spans"), k, x)
        {
            json_int_t s = json_integer_value(json_object_get(x, "start"));
            json_int_t e = json_integer_value(json_object_get(x, "end"));
            json_t *ts =
                json_array_get(tokens, json_integer_value(json_object_get(x, "token_start")));
            json_t *te =
                json_array_get(tokens, json_integer_value(json_object_get(x, "token_end")));
            g_assert_cmpint(json_integer_value(json_object_get(ts, "start")), ==, s);
            g_assert_cmpint(json_integer_value(json_object_get(te, "end")), ==, e); /* inclusive */
            json_span(text, s, e, json_string_value(json_object_get(x, "label")), NULL, got);
        }
        g_autofree char *want = fx_expected(g_ptr_array_index(docs, i), NERVE_LABELS_NATIVE);
        g_autofree char *have = fx_join_sorted(got);
        g_assert_cmpstr(have, ==, want);
        g_assert_cmpuint(json_array_size(json_object_get(d, "relations")), ==, i == 0 ? 7 : 0);
        json_array_foreach(json_object_get(d, "relations"), k, x)
        {
            json_t *h = json_object_get(x, "head_span");
            g_autofree char *trig =
                fx_slice(text, json_integer_value(json_object_get(h, "start")),
                         json_integer_value(json_object_get(h, "end")), NERVE_UNIT_CODEPOINT);
            g_assert_true(!strcmp(trig, "met") || !strcmp(trig, "signed"));
        }
        json_decref(d);
    }
    g_ptr_array_unref(docs);
    fx_rm_rf(dir);
}

/* --- tsv --------------------------------------------------------------------------- */

static char *tsv_unescape(const char *s)
{
    GString *o = g_string_new(NULL);
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            g_string_append_c(o, *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s);
        } else
            g_string_append_c(o, *s);
    }
    return g_string_free(o, FALSE);
}

static void test_tsv(void)
{
    static const nerve_unit units[] = {NERVE_UNIT_CODEPOINT, NERVE_UNIT_UTF16, NERVE_UNIT_BYTE};
    GPtrArray *docs = fx_docs(FALSE);
    for (guint u = 0; u < 3; u++) {
        g_autofree char *dir = fx_tmpdir();
        g_autofree char *out = g_build_filename(dir, "a.tsv", NULL);
        nerve_writer_options o = {.output = out, .unit = units[u]};
        fx_write("tsv", &o, docs);
        g_autofree char *data = fx_slurp(out);
        g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
        g_assert_cmpstr(lines[0], ==, "doc_id\tkind\tid\tlabel\tstart\tend\ttext\tsource");
        GPtrArray *got[3];
        guint events = 0, args = 0;
        for (guint i = 0; i < 3; i++)
            got[i] = g_ptr_array_new_with_free_func(g_free);
        for (guint l = 1; lines[l] && *lines[l]; l++) {
            g_auto(GStrv) f = g_strsplit(lines[l], "\t", -1);
            g_assert_cmpuint(g_strv_length(f), ==, 8);
            g_autofree char *id = tsv_unescape(f[0]), *text = tsv_unescape(f[6]);
            guint d = !strcmp(id, "ex/1")
                          ? 0
                          : 1 + (l > 19); /* 17 rows of doc 1; docs 2 and 3 share an id */
            g_autofree char *slice = fx_slice(doc_text(docs, d), atol(f[4]), atol(f[5]), units[u]);
            g_assert_cmpstr(slice, ==, text);
            if (!strcmp(f[1], "entity"))
                g_ptr_array_add(got[d], g_strdup_printf("%s\t%s", f[3], text));
            events += !strcmp(f[1], "event");
            args += !strcmp(f[1], "arg");
        }
        g_assert_cmpuint(events, ==, 2);
        g_assert_cmpuint(args, ==, 7);
        for (guint i = 0; i < 2; i++) {
            g_autofree char *want = fx_expected(g_ptr_array_index(docs, i), NERVE_LABELS_NATIVE);
            g_autofree char *have = fx_join_sorted(got[i]);
            g_assert_cmpstr(have, ==, want);
        }
        g_ptr_array_unref(got[2]);
        fx_rm_rf(dir);
    }
    g_ptr_array_unref(docs);
}

/* --- conll ---------------------------------------------------------------------------- */

static char *conll_of(GPtrArray *docs, nerve_label_scheme scheme, gboolean keep)
{
    g_autofree char *dir = fx_tmpdir();
    g_autofree char *out = g_build_filename(dir, "c.conll", NULL);
    nerve_writer_options o = {.output = out, .labels = scheme, .keep_overlaps = keep};
    fx_write("conll", &o, docs);
    char *data = fx_slurp(out);
    fx_rm_rf(dir);
    return data;
}

/* The tag written for the first token with this text, in doc 1. */
static const char *tag_of(char **lines, const char *token)
{
    size_t n = strlen(token);
    for (char **l = lines; *l; l++)
        if (!strncmp(*l, token, n) && (*l)[n] == ' ')
            return *l + n + 1;
    return NULL;
}

static void test_conll(void)
{
    GPtrArray *docs = fx_docs(FALSE), *kept = fx_docs(TRUE);
    g_autofree char *native = conll_of(docs, NERVE_LABELS_NATIVE, FALSE);
    g_autofree char *conll = conll_of(docs, NERVE_LABELS_CONLL, FALSE);
    g_autofree char *keep = conll_of(kept, NERVE_LABELS_NATIVE, TRUE);
    g_assert_cmpstr(keep, ==, native); /* always flat: the resolution's winners first */
    g_auto(GStrv) lines = g_strsplit(native, "\n", -1);
    guint docstarts = 0, tok = 0, d = 0;
    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, "-DOCSTART- -X- O O")) {
            g_assert_cmpstr(l[1], ==, "");
            d = docstarts++;
            tok = 0;
            l++;
            continue;
        }
        if (!**l)
            continue;
        const nerve_doc *doc = g_ptr_array_index(docs, d);
        size_t n;
        const nerve_token *t = nerve_doc_tokens(doc, &n);
        g_assert_cmpuint(tok, <, n);
        g_autofree char *want =
            g_strndup(nerve_doc_text(doc, NULL) + t[tok].start, t[tok].end - t[tok].start);
        g_assert_true(g_str_has_prefix(*l, want) && (*l)[strlen(want)] == ' ');
        tok++;
    }
    g_assert_cmpuint(docstarts, ==, 3);
    g_assert_cmpstr(tag_of(lines, "President"), ==, "O");
    g_assert_cmpstr(tag_of(lines, "Aiko"), ==, "B-PERSON");
    g_assert_cmpstr(tag_of(lines, "Tan"), ==, "I-PERSON");
    g_assert_cmpstr(tag_of(lines, "Oct."), ==, "B-DATE");
    g_assert_cmpstr(tag_of(lines, "3"), ==, "I-DATE");
    g_assert_cmpstr(tag_of(lines, "Jose\xCC\x81"), ==, "B-PERSON");
    g_assert_cmpstr(tag_of(lines, "\xE6\x9D\xB1\xE4\xBA\xAC"), ==, "B-GPE");
    g_assert_cmpstr(tag_of(lines, "Rue"), ==, "B-FAC");
    g_assert_cmpstr(tag_of(lines, "Paix"), ==, "I-FAC");
    g_auto(GStrv) cl = g_strsplit(conll, "\n", -1);
    g_assert_cmpstr(tag_of(cl, "Aiko"), ==, "B-PER");
    g_assert_cmpstr(tag_of(cl, "Oct."), ==, "O");
    g_assert_cmpstr(tag_of(cl, "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7"), ==, "B-MISC");
    g_ptr_array_unref(docs);
    g_ptr_array_unref(kept);
}

/* --- brat ------------------------------------------------------------------------------ */

typedef struct {
    char *type;
    char *text;
} tline;

static void tline_free(gpointer p)
{
    tline *t = p;
    g_free(t->type);
    g_free(t->text);
    g_free(t);
}

/* Checks every T line of ann against text; returns T id -> tline. */
static GHashTable *brat_tlines(const char *ann, const char *text)
{
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, tline_free);
    g_auto(GStrv) lines = g_strsplit(ann, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (**l != 'T')
            continue;
        g_auto(GStrv) f = g_strsplit(*l, "\t", -1);
        g_assert_cmpuint(g_strv_length(f), ==, 3);
        char *sp = strchr(f[1], ' ');
        g_auto(GStrv) frags = g_strsplit(sp + 1, ";", -1);
        GString *joined = g_string_new(NULL);
        for (char **fr = frags; *fr; fr++) {
            long s, e;
            g_assert_cmpint(sscanf(*fr, "%ld %ld", &s, &e), ==, 2);
            g_autofree char *slice = fx_slice(text, s, e, NERVE_UNIT_CODEPOINT);
            g_assert_nonnull(slice);
            g_assert_null(strpbrk(slice, "\r\n")); /* brat: no line break inside a fragment */
            g_string_append_printf(joined, "%s%s", fr == frags ? "" : " ", slice);
        }
        g_assert_cmpstr(joined->str, ==, f[2]);
        tline *x = g_new0(tline, 1);
        x->type = g_strndup(f[1], (gsize)(sp - f[1]));
        x->text = g_string_free(joined, FALSE);
        g_hash_table_insert(t, g_strdup(f[0]), x);
    }
    return t;
}

/* The entities of a .ann: T lines that E lines use neither as trigger nor
 * as an argument typed by its role. */
static char *brat_entities(const char *ann, GHashTable *t)
{
    GHashTable *not_ent = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_auto(GStrv) lines = g_strsplit(ann, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (**l != 'E')
            continue;
        g_auto(GStrv) f = g_strsplit_set(strchr(*l, '\t') + 1, " ", -1);
        for (char **a = f; *a; a++) {
            char *colon = strchr(*a, ':'), *ref = colon + 1;
            *colon = 0;
            tline *x = g_hash_table_lookup(t, ref);
            g_assert_nonnull(x);                                 /* every reference exists */
            while (colon > *a + 1 && g_ascii_isdigit(colon[-1])) /* agent2: a repeated role */
                *--colon = 0;
            if (a == f || !strcmp(x->type, *a))
                g_hash_table_add(not_ent, g_strdup(ref));
        }
    }
    GPtrArray *got = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, t);
    while (g_hash_table_iter_next(&it, &k, &v))
        if (!g_hash_table_contains(not_ent, k))
            g_ptr_array_add(got, g_strdup_printf("%s\t%s", ((tline *)v)->type, ((tline *)v)->text));
    g_hash_table_destroy(not_ent);
    return fx_join_sorted(got);
}

/* Expected entities with line breaks written as brat does (a space). */
static char *brat_expected(const nerve_doc *doc)
{
    g_autofree char *e = fx_expected(doc, NERVE_LABELS_NATIVE);
    GRegex *re = g_regex_new("\r\n", 0, 0, NULL);
    char *r = g_regex_replace_literal(re, e, -1, 0, " ", 0, NULL);
    g_regex_unref(re);
    return r;
}

static void test_brat(void)
{
    g_autofree char *dir = fx_tmpdir();
    GPtrArray *docs = fx_docs(FALSE);
    nerve_writer_options o = {.output = dir};
    fx_write("brat", &o, docs);
    g_autofree char *ids_path = g_build_filename(dir, "ids.tsv", NULL);
    g_autofree char *ids = fx_slurp(ids_path);
    g_auto(GStrv) rows = g_strsplit(ids, "\n", -1);
    g_assert_cmpstr(rows[0], ==, "id\tfile");
    g_assert_cmpuint(g_strv_length(rows), ==, 5);
    g_autofree char *conf_path = g_build_filename(dir, "annotation.conf", NULL);
    g_autofree char *conf = fx_slurp(conf_path);
    for (guint i = 0; i < 3; i++) {
        g_auto(GStrv) f = g_strsplit(rows[i + 1], "\t", 2);
        const char *name = f[1];
        g_assert_cmpstr(f[0], ==, nerve_doc_id(g_ptr_array_index(docs, i)));
        g_assert_true(name[0] != '.' && !strchr(name, '/') && strlen(name) < 120);
        for (const char *p = name; *p; p++)
            g_assert_true(g_ascii_isalnum(*p) || strchr("-_.~", *p));
        if (i == 2)
            g_assert_true(g_str_has_suffix(name, "~2")); /* same id as document 2 */
        g_autofree char *txt_path = g_strdup_printf("%s/%s.txt", dir, name);
        g_autofree char *ann_path = g_strdup_printf("%s/%s.ann", dir, name);
        g_autofree char *txt = fx_slurp(txt_path), *ann = fx_slurp(ann_path);
        g_assert_cmpstr(txt, ==, doc_text(docs, i)); /* byte for byte */
        GHashTable *t = brat_tlines(ann, txt);
        g_autofree char *have = brat_entities(ann, t),
                        *want = brat_expected(g_ptr_array_index(docs, i));
        g_assert_cmpstr(have, ==, want);
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, t);
        while (g_hash_table_iter_next(&it, &k, &v)) { /* annotation.conf declares every type */
            g_autofree char *decl = g_strdup_printf("\n%s\n", ((tline *)v)->type);
            g_autofree char *ev = g_strdup_printf("\n%s\t", ((tline *)v)->type);
            g_assert_true(strstr(conf, decl) || strstr(conf, ev));
        }
        g_hash_table_destroy(t);
        if (i == 0) {
            g_assert_nonnull(strstr(ann, "\tReference T1 ex:1\tAiko Tan\n"));
            g_assert_nonnull(strstr(ann, "\tconf T1 high\n"));
            g_assert_nonnull(strstr(ann, "\tconfidence E1 high\n"));
            g_assert_nonnull(strstr(ann, "\tContact.Agreement:T11 agent:T5 place:T6 agent2:T12\n"));
        }
    }
    g_assert_nonnull(
        strstr(conf, "\nContact.Meet\tagent*:PERSON, place*:GPE, theme*:theme, time*:DATE\n"));
    g_assert_nonnull(strstr(conf, "\nconfidence\tArg:<EVENT>, Value:high\n"));
    /* --resume: a document is done when its files exist */
    o.resume = TRUE;
    GError *err = NULL;
    nerve_writer *w = nerve_writer_new("brat", &o, &err);
    g_assert_no_error(err);
    g_assert_true(nerve_writer_done(w, "ex/1"));
    g_assert_true(nerve_writer_done(w, DOC2_ID));
    g_assert_false(nerve_writer_done(w, "ex/9"));
    g_assert_true(nerve_writer_close(w, &err));
    /* the second document with DOC2_ID lost its .ann: that id is not done */
    g_auto(GStrv) third = g_strsplit(rows[3], "\t", 2);
    g_autofree char *lost = g_strdup_printf("%s/%s.ann", dir, third[1]);
    g_assert_cmpint(g_unlink(lost), ==, 0);
    w = nerve_writer_new("brat", &o, &err);
    g_assert_no_error(err);
    g_assert_false(nerve_writer_done(w, DOC2_ID));
    g_assert_true(nerve_writer_done(w, "ex/1"));
    g_assert_true(nerve_writer_close(w, &err));
    g_ptr_array_unref(docs);
    fx_rm_rf(dir);
}

/* --- html ------------------------------------------------------------------------------ */

static guint count_of(const char *hay, const char *needle)
{
    guint n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void test_html(void)
{
    g_autofree char *dir = fx_tmpdir();
    /* tests/out/formats.html is what `make test-html` shows Chromium */
    g_mkdir_with_parents("tests/out", 0777);
    gboolean keep_page = g_file_test("tests/out", G_FILE_TEST_IS_DIR);
    g_autofree char *out =
        keep_page ? g_strdup("tests/out/formats.html") : g_build_filename(dir, "p.html", NULL);
    GPtrArray *docs = fx_docs(TRUE);
    nerve_writer_options o = {.output = out, .keep_overlaps = TRUE};
    fx_write("html", &o, docs);
    g_autofree char *page = fx_slurp(out);
    g_assert_true(g_str_has_prefix(page, "<!DOCTYPE html>"));
    g_assert_true(g_str_has_suffix(page, "</html>\n"));
    for (const char *const *bad = (const char *const[]){"http:", "https:", "<script",
                                                        "src=", "url(", "@import", "<link", NULL};
         *bad; bad++)
        g_assert_null(strstr(page, *bad));
    g_assert_null(strstr(page, "<b>&amp;")); /* the id of document 2, escaped */
    g_assert_cmpuint(count_of(page, "<h2>ex/2 &lt;b&gt;&amp;amp;</h2>"), ==, 2);
    g_assert_cmpuint(count_of(page, "<mark class=\"ent"), ==, 13);
    g_assert_cmpuint(count_of(page, "<mark class=\"ent dropped\""), ==, 1);
    g_assert_cmpuint(count_of(page, "<mark class=\"trig\""), ==, 2);
    g_assert_cmpuint(count_of(page, "<span class=\"role\">agent</span>"), ==, 3);
    g_assert_nonnull(strstr(page, "data-label=\"GPE\" data-count=\"4\""));
    g_assert_nonnull(strstr(page, "data-label=\"PERSON\" data-count=\"3\""));
    g_assert_nonnull(strstr(page, "data-label=\"ORG\" data-count=\"2\""));
    g_assert_nonnull(strstr(page, "data-label=\"Contact.Meet\" data-count=\"1\""));
    /* nested: the dropped ORG holds the PERSON it lost to */
    g_assert_nonnull(strstr(page, "President <mark class=\"ent\" data-label=\"PERSON\""));
    g_ptr_array_unref(docs);
    fx_rm_rf(dir);
}

/* --- JSON strings ----------------------------------------------------------------- */

/* nerve_json_append_string() done one byte at a time. */
static void json_string_slowly(GString *out, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    g_string_append_c(out, '"');
    for (size_t i = 0; i < len; i++) {
        if (u[i] == 0xC2 && i + 1 < len && u[i + 1] == 0x85) {
            g_string_append(out, "\\u0085");
            i++;
        } else if (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 &&
                   (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)) {
            g_string_append(out, u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
            i += 2;
        } else if (u[i] == '"' || u[i] == '\\')
            g_string_append_printf(out, "\\%c", u[i]);
        else if (u[i] == '\n')
            g_string_append(out, "\\n");
        else if (u[i] == '\r')
            g_string_append(out, "\\r");
        else if (u[i] == '\t')
            g_string_append(out, "\\t");
        else if (u[i] < 0x20)
            g_string_append_printf(out, "\\u%04x", u[i]);
        else
            g_string_append_c(out, (char)u[i]);
    }
    g_string_append_c(out, '"');
}

static void check_json_string(const char *s, size_t len)
{
    g_autoptr(GString) want = g_string_new("x");
    g_autoptr(GString) got = g_string_new("x");
    json_string_slowly(want, s, len);
    nerve_json_append_string(got, s, len);
    g_assert_cmpuint(got->len, ==, want->len);
    g_assert_cmpmem(got->str, got->len + 1, want->str, want->len + 1); /* with the NUL */
}

/* Every piece that needs care, at every position around the 8- and
 * 16-byte steps of the fast paths, then random mixes of them. */
static void test_json_string(void)
{
    static const char *const pieces[] = {
        "\"",
        "\\",
        "\n",
        "\r",
        "\t",
        "\x01",
        "\x1F",
        " ",
        "\x7F",
        "\xC2\x85",
        "\xC2\xA0",
        "\xE2\x80\xA8",
        "\xE2\x80\xA9",
        "\xE2\x80\x9C",
        "\xF0\x9F\x98\x80",
        "\xC2",
        "\xE2\x80",
        "\xE9",
        "a",
        "\x00",
    };
    static const size_t lens[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 4, 1, 2, 1, 1, 1};
    char buf[128];
    for (guint k = 0; k < G_N_ELEMENTS(pieces); k++)
        for (size_t at = 0; at < 40; at++)
            for (size_t after = 0; after < 20; after += 3) {
                memset(buf, 'x', sizeof buf);
                memcpy(buf + at, pieces[k], lens[k]);
                check_json_string(buf, at + lens[k] + after);
                if (lens[k] > 1) /* cut inside the piece: the line ends need all their bytes */
                    check_json_string(buf, at + lens[k] - 1);
            }
    check_json_string("", 0);
    GString *s = g_string_new(NULL);
    for (guint round = 0; round < 2000; round++) {
        g_string_truncate(s, 0);
        guint n = (guint)g_test_rand_int_range(0, 40);
        for (guint i = 0; i < n; i++) {
            guint k = (guint)g_test_rand_int_range(0, G_N_ELEMENTS(pieces) + 6);
            if (k < G_N_ELEMENTS(pieces))
                g_string_append_len(s, pieces[k], (gssize)lens[k]);
            else
                g_string_append(s, "plain text"); /* runs for the fast paths */
        }
        check_json_string(s->str, s->len);
    }
    g_string_free(s, TRUE);
}

/* Numbers around every power of ten, where the digit count changes, and
 * random ones of every size. */
static void test_append_uint(void)
{
    g_autoptr(GString) got = g_string_new(NULL);
    for (int round = 0; round < 20000; round++) {
        guint64 v;
        if (round < 20 * 7) {
            v = 1;
            for (int d = 0; d < round / 7; d++)
                v *= 10;
            v = v + (guint64)(round % 7) - 3;
            if (v > G_MAXUINT64 - 3 || (round / 7 == 0 && round % 7 < 3))
                continue; /* 1 - 3 */
        } else
            v = ((guint64)g_test_rand_int() << 32 | (guint32)g_test_rand_int()) >> (round % 64);
        g_string_assign(got, "x");
        nerve_append_uint(got, v);
        g_autofree char *want = g_strdup_printf("x%" G_GUINT64_FORMAT, v);
        g_assert_cmpstr(got->str, ==, want);
    }
    g_string_assign(got, "");
    nerve_append_uint(got, G_MAXUINT64);
    g_assert_cmpstr(got->str, ==, "18446744073709551615");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/formats/labelstudio", test_labelstudio);
    g_test_add_func("/formats/doccano", test_doccano);
    g_test_add_func("/formats/prodigy", test_prodigy);
    g_test_add_func("/formats/tsv", test_tsv);
    g_test_add_func("/formats/conll", test_conll);
    g_test_add_func("/formats/brat", test_brat);
    g_test_add_func("/formats/html", test_html);
    g_test_add_func("/formats/json-string", test_json_string);
    g_test_add_func("/formats/append-uint", test_append_uint);
    return g_test_run();
}
