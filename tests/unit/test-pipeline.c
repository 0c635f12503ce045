/* test-pipeline.c - reading inputs (files, directories, .gz, JSONL lines),
 * turning records into documents, and the streaming runner (order, -j,
 * error records, sharding). */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "nerve/nerve.h"

static nerve_model *model;
static char *tmp;

static char *write_file(const char *rel, const char *content, gssize len)
{
    char *path = g_build_filename(tmp, rel, NULL);
    g_autofree char *dir = g_path_get_dirname(path);
    g_mkdir_with_parents(dir, 0755);
    g_assert_true(g_file_set_contents(path, content, len, NULL));
    return path;
}

static void write_gz(const char *path, const char *content)
{
    g_autoptr(GFile) f = g_file_new_for_path(path);
    g_autoptr(GFileOutputStream) raw = g_file_replace(f, NULL, FALSE, 0, NULL, NULL);
    g_autoptr(GZlibCompressor) z = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
    g_autoptr(GOutputStream) out =
        g_converter_output_stream_new(G_OUTPUT_STREAM(raw), G_CONVERTER(z));
    g_assert_true(g_output_stream_write_all(out, content, strlen(content), NULL, NULL, NULL));
    g_assert_true(g_output_stream_close(out, NULL, NULL));
}

/* "id|source:line|text" for every record of inputs; error records as
 * "ERROR:message". */
static char *read_all(const char *const *inputs, const nerve_reader_options *opts)
{
    GError *err = NULL;
    nerve_reader *r = nerve_reader_new(inputs, opts, &err);
    g_assert_no_error(err);
    GString *out = g_string_new(NULL);
    nerve_record rec;
    while (nerve_reader_next(r, &rec, &err)) {
        GError *perr = NULL;
        nerve_doc *d = nerve_record_parse(&rec, nerve_reader_get_options(r), &perr);
        g_autofree char *base = g_path_get_basename(rec.source);
        if (d) {
            size_t len;
            const char *t = nerve_doc_text(d, &len);
            g_string_append_printf(out, "%s|%s:%" G_GUINT64_FORMAT "|%.*s\n", nerve_doc_id(d), base,
                                   rec.line, (int)len, t);
            nerve_doc_free(d);
        } else {
            g_string_append_printf(out, "ERROR:%s\n", perr->message);
            g_error_free(perr);
        }
        nerve_record_clear(&rec);
    }
    g_assert_no_error(err);
    nerve_reader_free(r);
    return g_string_free(out, FALSE);
}

static void test_directory(void)
{
    g_autofree char *a = write_file("dir/b.txt", "Second file.", -1);
    g_autofree char *b = write_file("dir/a/z.txt",
                                    "\xEF\xBB\xBF"
                                    "First, with a BOM.",
                                    -1);
    g_autofree char *c = write_file("dir/README.md", "not a document", -1);
    g_autofree char *d = write_file("dir/c.jsonl",
                                    "{\"id\":\"j1\",\"text\":\"J one\"}\r\n\r\n"
                                    "{\"id\":\"j2\",\"text\":\"J two\"}\n",
                                    -1);
    g_autofree char *root = g_build_filename(tmp, "dir", NULL);
    g_autofree char *gz = g_build_filename(tmp, "dir", "d.txt.gz", NULL);
    write_gz(gz, "Zipped text.");
    const char *inputs[] = {root, NULL};
    nerve_reader_options ro = {0};
    g_autofree char *got = read_all(inputs, &ro);
    g_assert_cmpstr(got, ==,
                    "a/z.txt|z.txt:1|First, with a BOM.\n"
                    "b.txt|b.txt:1|Second file.\n"
                    "j1|c.jsonl:1|J one\n"
                    "j2|c.jsonl:3|J two\n"
                    "d.txt.gz|d.txt.gz:1|Zipped text.\n");
}

static void test_jsonl_fields(void)
{
    g_autofree char *p = write_file("fields.jsonl",
                                    "{\"doc\":7,\"body\":\"Text A\",\"z\":1,\"a\":[true]}\n"
                                    "{\"body\":\"No id\"}\n"
                                    "{\"doc\":\"x\",\"text\":\"wrong field\"}\n"
                                    "{\"doc\":{\"o\":1},\"body\":\"bad id\"}\n",
                                    -1);
    const char *inputs[] = {p, NULL};
    nerve_reader_options ro = {.text_field = "body", .id_field = "doc"};
    g_autofree char *got = read_all(inputs, &ro);
    g_assert_cmpstr(got, ==,
                    "7|fields.jsonl:1|Text A\n"
                    "fields.jsonl:2|fields.jsonl:2|No id\n"
                    "ERROR:the record has no \"body\" string field\n"
                    "ERROR:the \"doc\" field must be a string or an integer\n");
    /* meta keeps the other fields, in order */
    GError *err = NULL;
    nerve_reader *r = nerve_reader_new(inputs, &ro, &err);
    nerve_record rec;
    g_assert_true(nerve_reader_next(r, &rec, &err));
    nerve_doc *d = nerve_record_parse(&rec, nerve_reader_get_options(r), &err);
    char *meta = json_dumps(nerve_doc_meta(d), JSON_COMPACT);
    g_assert_cmpstr(meta, ==, "{\"z\":1,\"a\":[true]}");
    free(meta);
    nerve_doc_free(d);
    nerve_record_clear(&rec);
    nerve_reader_free(r);
}

static void test_missing_id_and_limits(void)
{
    g_autofree char *p = write_file("limits.jsonl",
                                    "{\"text\":\"short\"}\n"
                                    "{\"id\":\"big\",\"text\":\"this one is too long\"}\n",
                                    -1);
    const char *inputs[] = {p, NULL};
    nerve_reader_options ro = {.max_doc_bytes = 10};
    g_autofree char *got = read_all(inputs, &ro);
    g_assert_nonnull(strstr(got, "limits.jsonl:1|limits.jsonl:1|short\n"));
    g_assert_nonnull(strstr(got, "ERROR:document is 20 bytes, over the limit --max-doc-bytes=10"));
    /* a line far over the limit is not kept whole */
    GString *huge = g_string_new("{\"id\":\"h\",\"text\":\"");
    for (int i = 0; i < 200000; i++)
        g_string_append(huge, "word ");
    g_string_append(huge, "\"}\n{\"id\":\"after\",\"text\":\"ok\"}\n");
    g_autofree char *q = write_file("huge.jsonl", huge->str, (gssize)huge->len);
    g_string_free(huge, TRUE);
    const char *in2[] = {q, NULL};
    g_autofree char *got2 = read_all(in2, &ro);
    g_assert_true(g_str_has_prefix(got2, "ERROR:record is longer than --max-doc-bytes allows"));
    g_assert_true(g_str_has_suffix(got2, "after|huge.jsonl:2|ok\n"));
}

static void test_invalid_utf8(void)
{
    g_autofree char *p = write_file("bad.jsonl",
                                    "{\"id\":\"u\",\"text\":\"a\xFF"
                                    "b\"}\n",
                                    -1);
    const char *inputs[] = {p, NULL};
    nerve_reader_options ro = {0};
    g_autofree char *got = read_all(inputs, &ro);
    g_assert_cmpstr(got, ==,
                    "u|bad.jsonl:1|a\xEF\xBF\xBD"
                    "b\n");
    ro.strict = TRUE;
    g_autofree char *strict = read_all(inputs, &ro);
    g_assert_cmpstr(strict, ==, "ERROR:invalid UTF-8 at byte 19 of the record (--strict)\n");
}

/* The record scanner accepts exactly JSON: each malformed line is refused
 * with its column, each valid one gives its text and raw meta. */
static void test_json_scan(void)
{
    static const struct {
        const char *line;
        const char *want; /* "text|meta" or "!column" */
    } cases[] = {
        {"{\"id\":\"a\",\"text\":\"x\\ny\\u00e9\\ud83d\\ude42\"}",
         "x\ny\xC3\xA9\xF0\x9F\x99\x82|{}"},
        {" { \"text\" : \"t\" , \"n\" : -1.5e+3 , \"o\":{\"a\":[1,{}, [] ,null,true,false]} } ",
         "t|{\"n\":-1.5e+3,\"o\":{\"a\":[1,{}, [] ,null,true,false]}}"},
        {"{\"text\":\"t\",}", "!13"},
        {"{\"text\" \"t\"}", "!9"},
        {"{\"text\":\"a\tb\"}", "!11"},
        {"{\"text\":\"a\\qb\"}", "!11"},
        {"{\"text\":\"t\",\"n\":01}", "!18"},
        {"{\"text\":\"t\",\"n\":1.}", "!19"},
        {"{\"text\":\"t\",\"n\":tru}", "!17"},
        {"{\"text\":\"t\"} x", "!14"},
        {"{\"text\":\"t\",\"a\":[1,2}", "!21"},
        {"{\"text\":\"unterminated}", "!23"},
        {"", "!1"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        nerve_record rec = {0};
        rec.data = g_strdup(cases[i].line);
        rec.len = strlen(rec.data);
        rec.format = NERVE_FORMAT_JSONL;
        nerve_reader_options ro = {.text_field = "text", .id_field = "id"};
        GError *err = NULL;
        nerve_doc *d = nerve_record_parse(&rec, &ro, &err);
        if (cases[i].want[0] == '!') {
            g_assert_null(d);
            g_autofree char *col = g_strdup_printf("column %s:", cases[i].want + 1);
            if (!strstr(err->message, col))
                g_error("case %u: %s (want %s)", i, err->message, col);
            g_error_free(err);
        } else {
            g_assert_no_error(err);
            size_t len;
            const char *t = nerve_doc_text(d, &len);
            g_autofree char *got =
                g_strdup_printf("%.*s|%s", (int)len, t, nerve_doc_meta_json(d, NULL));
            g_assert_cmpstr(got, ==, cases[i].want);
            nerve_doc_free(d);
        }
        nerve_record_clear(&rec);
    }
}

static void test_missing_input(void)
{
    const char *inputs[] = {"/nonexistent/nerve/input", NULL};
    nerve_reader_options ro = {0};
    GError *err = NULL;
    g_assert_null(nerve_reader_new(inputs, &ro, &err));
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_IO);
    g_error_free(err);
}

/* Runs the corpus through the runner; returns the output file's contents. */
static char *run(const char *input, guint threads, guint max_in_flight, guint shard_k,
                 guint shard_n, nerve_run_stats *st)
{
    g_autofree char *out = g_build_filename(tmp, "run-out.jsonl", NULL);
    const char *inputs[] = {input, NULL};
    nerve_reader_options ro = {0};
    GError *err = NULL;
    nerve_reader *r = nerve_reader_new(inputs, &ro, &err);
    nerve_writer_options wo = {.output = out, .tokens = TRUE};
    nerve_writer *w = nerve_writer_new("jsonl", &wo, &err);
    g_assert_no_error(err);
    nerve_runner_options no = {
        .threads = threads, .max_in_flight = max_in_flight, .shard_k = shard_k, .shard_n = shard_n};
    g_assert_true(nerve_run(model, r, w, &no, st, &err));
    g_assert_true(nerve_writer_close(w, &err));
    nerve_reader_free(r);
    char *contents;
    g_assert_true(g_file_get_contents(out, &contents, NULL, NULL));
    return contents;
}

static char *make_corpus(int n)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < n; i++) {
        if (i % 17 == 5)
            g_string_append(s, "{broken json\n");
        else
            g_string_append_printf(s,
                                   "{\"id\":\"d%d\",\"text\":\"Document %d. Dr. Who met "
                                   "%d people \\ud83d\\ude42 in Lyon.\",\"n\":%d}\n",
                                   i, i, i * 7, i);
    }
    char *p = write_file("corpus.jsonl", s->str, (gssize)s->len);
    g_string_free(s, TRUE);
    return p;
}

static void test_runner_threads(void)
{
    g_autofree char *corpus = make_corpus(300);
    nerve_run_stats st;
    g_autofree char *one = run(corpus, 1, 0, 0, 0, &st);
    g_assert_cmpuint(st.read, ==, 300);
    g_assert_cmpuint(st.failed, ==, 18);
    g_assert_cmpuint(st.written, ==, 282);
    g_autofree char *two = run(corpus, 2, 0, 0, 0, &st);
    g_autofree char *four = run(corpus, 4, 3, 0, 0, &st);
    g_assert_cmpstr(one, ==, two);
    g_assert_cmpstr(one, ==, four);
    /* one line per record, in input order */
    g_auto(GStrv) lines = g_strsplit(one, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 301);
    g_assert_true(g_str_has_prefix(lines[0], "{\"id\":\"d0\""));
    g_assert_true(g_str_has_prefix(lines[5], "{\"id\":null,\"error\""));
    g_assert_true(g_str_has_prefix(lines[299], "{\"id\":\"d299\""));
}

static void test_runner_shards(void)
{
    g_autofree char *corpus = make_corpus(100);
    nerve_run_stats st;
    guint total = 0;
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint k = 1; k <= 3; k++) {
        g_autofree char *out = run(corpus, 2, 0, k, 3, &st);
        g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
        for (guint i = 0; lines[i] && *lines[i]; i++) {
            g_assert_false(g_hash_table_contains(seen, lines[i]));
            g_hash_table_add(seen, g_strdup(lines[i]));
            total++;
        }
        g_assert_cmpuint(st.skipped + st.written + st.failed, ==, 100);
    }
    g_assert_cmpuint(total, ==, 100); /* every record in exactly one shard */
    g_hash_table_destroy(seen);
    g_assert_cmpuint(nerve_shard_of("wikinews-0001", 4), ==, nerve_shard_of("wikinews-0001", 4));
}

static void remove_tree(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
        GDir *d = g_dir_open(path, 0, NULL);
        const char *n;
        while ((n = g_dir_read_name(d))) {
            g_autofree char *sub = g_build_filename(path, n, NULL);
            remove_tree(sub);
        }
        g_dir_close(d);
        g_rmdir(path);
    } else
        g_unlink(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tmp = g_dir_make_tmp("nerve-pipeline-XXXXXX", NULL);
    GError *err = NULL;
    model = nerve_model_load(SRCDIR "/models/en", NULL, &err);
    g_assert_no_error(err);
    g_test_add_func("/reader/directory", test_directory);
    g_test_add_func("/reader/jsonl-fields", test_jsonl_fields);
    g_test_add_func("/reader/missing-id-and-limits", test_missing_id_and_limits);
    g_test_add_func("/reader/invalid-utf8", test_invalid_utf8);
    g_test_add_func("/reader/missing-input", test_missing_input);
    g_test_add_func("/reader/json-scan", test_json_scan);
    g_test_add_func("/runner/threads", test_runner_threads);
    g_test_add_func("/runner/shards", test_runner_shards);
    int r = g_test_run();
    nerve_model_free(model);
    remove_tree(tmp);
    g_free(tmp);
    return r;
}
