/* read-helpers.h - shared by test-xml.c and test-html.c: files in a
 * temporary directory, a reader run over them, and the nerve command
 * line (for .gz and directory inputs end to end). */
#ifndef NERVE_TEST_READ_HELPERS_H
#define NERVE_TEST_READ_HELPERS_H

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "nerve/nerve.h"

/* What one input record became. */
typedef struct {
    char *id, *text, *meta, *error, *input, *warnings;
    int code;
    guint64 line;
    char *source;
} out_rec;

static char *tmp_dir;
static char *nerve_bin;

static void out_rec_free(gpointer data)
{
    out_rec *o = data;
    g_free(o->id);
    g_free(o->text);
    g_free(o->meta);
    g_free(o->error);
    g_free(o->input);
    g_free(o->warnings);
    g_free(o->source);
    g_free(o);
}

/* A path under the test's temporary directory (static buffer ring). */
static const char *tpath(const char *name)
{
    static char *ring[8];
    static guint next;
    g_free(ring[next % 8]);
    ring[next % 8] = g_build_filename(tmp_dir, name, NULL);
    return ring[next++ % 8];
}

static const char *write_file(const char *name, const char *content, gssize len)
{
    const char *p = tpath(name);
    g_autofree char *dir = g_path_get_dirname(p);
    g_mkdir_with_parents(dir, 0755);
    g_assert_true(g_file_set_contents(p, content, len, NULL));
    return p;
}

static const char *write_gz(const char *name, const char *content, gsize len)
{
    const char *p = tpath(name);
    g_autofree char *dir = g_path_get_dirname(p);
    g_mkdir_with_parents(dir, 0755);
    g_autoptr(GFile) f = g_file_new_for_path(p);
    g_autoptr(GFileOutputStream) raw =
        g_file_replace(f, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL);
    g_assert_nonnull(raw);
    g_autoptr(GZlibCompressor) z = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
    g_autoptr(GOutputStream) gz =
        g_converter_output_stream_new(G_OUTPUT_STREAM(raw), G_CONVERTER(z));
    gsize written;
    g_assert_true(g_output_stream_write_all(gz, content, len, &written, NULL, NULL));
    g_assert_true(g_output_stream_close(gz, NULL, NULL));
    return p;
}

static char *read_sample(const char *name)
{
    g_autofree char *path = g_build_filename("tests", "unit", "samples", name, NULL);
    char *s = NULL;
    g_assert_true(g_file_get_contents(path, &s, NULL, NULL));
    return s;
}

/* Runs a reader over inputs; returns out_rec* in order.  A fatal reader
 * error is stored in *fatal (may be NULL to assert there is none). */
static GPtrArray *read_inputs(const char *const *inputs, const nerve_reader_options *opts,
                              GError **fatal)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(out_rec_free);
    GError *err = NULL;
    nerve_reader *r = nerve_reader_new(inputs, opts, &err);
    g_assert_no_error(err);
    nerve_record rec;
    while (nerve_reader_next(r, &rec, &err)) {
        out_rec *o = g_new0(out_rec, 1);
        o->line = rec.line;
        o->source = g_strdup(rec.source);
        if (rec.data)
            o->input = g_strndup(rec.data, rec.len);
        GError *e = NULL;
        nerve_doc *doc = nerve_record_parse(&rec, nerve_reader_get_options(r), &e);
        if (doc) {
            size_t len;
            const char *t = nerve_doc_text(doc, &len);
            g_assert_true(g_utf8_validate(t, (gssize)len, NULL));
            o->id = g_strdup(nerve_doc_id(doc));
            o->text = g_strndup(t, len);
            json_t *m = nerve_doc_meta(doc);
            o->meta = m ? json_dumps(m, JSON_SORT_KEYS | JSON_COMPACT) : g_strdup("{}");
            GString *w = g_string_new(NULL);
            for (guint i = 0; i < nerve_doc_n_warnings(doc); i++)
                g_string_append_printf(w, "%s\n", nerve_doc_warning(doc, i));
            o->warnings = g_string_free(w, FALSE);
            nerve_doc_free(doc);
        } else {
            g_assert_nonnull(e);
            o->id = g_strdup(rec.id);
            o->error = g_strdup(e->message);
            o->code = e->code;
            g_error_free(e);
        }
        g_ptr_array_add(out, o);
        nerve_record_clear(&rec);
    }
    if (fatal)
        *fatal = err;
    else
        g_assert_no_error(err);
    nerve_reader_free(r);
    return out;
}

static GPtrArray *read_one(const char *path, const nerve_reader_options *opts)
{
    const char *inputs[] = {path, NULL};
    return read_inputs(inputs, opts, NULL);
}

static out_rec *rec_at(GPtrArray *a, guint i)
{
    g_assert_cmpuint(i, <, a->len);
    return g_ptr_array_index(a, i);
}

/* Runs build/nerve with args; returns stdout, sets *status. */
static char *run_nerve(const char *const *args, int *status)
{
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, nerve_bin);
    for (const char *const *a = args; *a; a++)
        g_ptr_array_add(argv, (gpointer)*a);
    g_ptr_array_add(argv, NULL);
    char *out = NULL;
    GError *err = NULL;
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, status, &err));
    g_assert_no_error(err);
    g_ptr_array_free(argv, TRUE);
    return out;
}

/* The JSON records of nerve's output. */
static GPtrArray *json_lines(const char *out)
{
    GPtrArray *a = g_ptr_array_new_with_free_func((GDestroyNotify)json_decref);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (!**l)
            continue;
        json_error_t je;
        json_t *j = json_loads(*l, 0, &je);
        g_assert_nonnull(j);
        g_ptr_array_add(a, j);
    }
    return a;
}

static void rm_rf(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        GDir *d = g_dir_open(path, 0, NULL);
        const char *n;
        while (d && (n = g_dir_read_name(d))) {
            g_autofree char *sub = g_build_filename(path, n, NULL);
            rm_rf(sub);
        }
        if (d)
            g_dir_close(d);
        g_rmdir(path);
    } else
        g_unlink(path);
}

/* Test setup: a temporary directory, the path of build/nerve beside the
 * test binary, and the model of the source tree. */
static void helpers_init(const char *argv0)
{
    tmp_dir = g_dir_make_tmp("nerve-test-XXXXXX", NULL);
    g_assert_nonnull(tmp_dir);
    g_autofree char *dir = g_path_get_dirname(argv0);
    nerve_bin = g_build_filename(dir, "..", "nerve", NULL);
    if (!g_getenv("NERVE_MODEL")) {
        g_autofree char *cwd = g_get_current_dir();
        g_autofree char *model = g_build_filename(cwd, "models", "en", NULL);
        g_setenv("NERVE_MODEL", model, TRUE);
    }
}

static void helpers_done(void)
{
    rm_rf(tmp_dir);
    g_free(tmp_dir);
    g_free(nerve_bin);
}

#endif
