/* reader.c - inputs, streams and records.
 *
 * The reader expands its inputs into a sorted list of files (directories
 * recursively; inside directories only known extensions are taken), opens
 * each as a GInputStream (stdin for "-"), adds GIO's zlib decompressor when
 * the stream starts with the gzip magic, and hands records to the caller:
 * one per line for jsonl, one per file for text.  Records are cut, not
 * parsed: parsing happens in the workers (jsonl.c, text.c).
 *
 * Lines are cut from a 1 MiB buffer with memchr, so NUL bytes and invalid
 * UTF-8 pass through unchanged to the parser, which reports them.  A line
 * longer than the document limit is not kept whole: its first bytes are
 * kept for the error record and the rest is skipped, so memory stays
 * bounded whatever the input.
 */
#include "nerve/reader.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <string.h>

#include "formats/formats.h"
#include "nerve/error.h"

#define CHUNK             (1 << 20)
#define KEEP_OF_LONG_LINE 4096

typedef struct {
    char *path; /* as opened; "-" for stdin */
    char *id;   /* relative to its input root (text ids) */
    nerve_input_format format;
} input_file;

struct nerve_reader {
    nerve_reader_options opts;
    char *text_field, *id_field, *xml_preset, *xpath_doc, *xpath_text, *xpath_id;
    char **xpath_meta;
    GArray *files; /* input_file */
    guint next_file;
    guint64 number;
    guint64 bytes_read, bytes_total;
    guint64 bytes_done;  /* input bytes of the files already closed */
    GSeekable *position; /* the current file's raw stream, for progress */

    /* the open file */
    input_file *cur;
    const char *cur_source; /* interned */
    GInputStream *stream;
    gboolean eof;
    char *buf;
    size_t buf_start, buf_end;
    guint64 line;
    gboolean first_line;
    gpointer fmt_state; /* xml/html readers */
};

void nerve_record_clear(nerve_record *rec)
{
    g_free(rec->data);
    g_free(rec->id);
    if (rec->doc)
        nerve_doc_free(rec->doc);
    g_clear_error(&rec->error);
    memset(rec, 0, sizeof *rec);
}

gboolean nerve_input_format_parse(const char *name, nerve_input_format *format, const char **preset)
{
    *preset = NULL;
    if (!strcmp(name, "jsonl") || !strcmp(name, "json") || !strcmp(name, "ndjson"))
        *format = NERVE_FORMAT_JSONL;
    else if (!strcmp(name, "text") || !strcmp(name, "txt"))
        *format = NERVE_FORMAT_TEXT;
    else if (!strcmp(name, "html"))
        *format = NERVE_FORMAT_HTML;
    else if (!strcmp(name, "xml"))
        *format = NERVE_FORMAT_XML;
    else if (!strncmp(name, "xml:", 4) && name[4]) {
        *format = NERVE_FORMAT_XML;
        *preset = name + 4;
    } else
        return FALSE;
    return TRUE;
}

/* The format of a file name, or AUTO when the extension is not known. */
static nerve_input_format format_of(const char *path)
{
    g_autofree char *lower = g_ascii_strdown(path, -1);
    if (g_str_has_suffix(lower, ".gz"))
        lower[strlen(lower) - 3] = '\0';
    static const struct {
        const char *ext;
        nerve_input_format f;
    } table[] = {{".jsonl", NERVE_FORMAT_JSONL}, {".ndjson", NERVE_FORMAT_JSONL},
                 {".json", NERVE_FORMAT_JSONL},  {".txt", NERVE_FORMAT_TEXT},
                 {".text", NERVE_FORMAT_TEXT},   {".xml", NERVE_FORMAT_XML},
                 {".html", NERVE_FORMAT_HTML},   {".htm", NERVE_FORMAT_HTML},
                 {".xhtml", NERVE_FORMAT_HTML}};
    for (guint i = 0; i < G_N_ELEMENTS(table); i++)
        if (g_str_has_suffix(lower, table[i].ext))
            return table[i].f;
    return NERVE_FORMAT_AUTO;
}

static void add_file(nerve_reader *r, const char *path, const char *id, gboolean explicit_)
{
    nerve_input_format f = r->opts.format ? r->opts.format : format_of(path);
    if (f == NERVE_FORMAT_AUTO) {
        if (!explicit_)
            return; /* README.md and friends inside a directory */
        f = NERVE_FORMAT_TEXT;
    }
    input_file in = {g_strdup(path), g_strdup(id), f};
    g_array_append_val(r->files, in);
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static gboolean add_dir(nerve_reader *r, const char *root, const char *rel, GError **error)
{
    g_autofree char *dir = rel ? g_build_filename(root, rel, NULL) : g_strdup(root);
    GDir *d = g_dir_open(dir, 0, error);
    if (!d) {
        if (error && *error)
            (*error)->domain = NERVE_ERROR, (*error)->code = NERVE_ERROR_IO;
        return FALSE;
    }
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d)))
        if (name[0] != '.')
            g_ptr_array_add(names, g_strdup(name));
    g_dir_close(d);
    g_ptr_array_sort(names, cmp_str);
    for (guint i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        g_autofree char *sub = rel ? g_build_filename(rel, n, NULL) : g_strdup(n);
        g_autofree char *full = g_build_filename(root, sub, NULL);
        if (g_file_test(full, G_FILE_TEST_IS_DIR)) {
            if (!g_file_test(full, G_FILE_TEST_IS_SYMLINK) && !add_dir(r, root, sub, error))
                return FALSE;
        } else
            add_file(r, full, sub, FALSE);
    }
    return TRUE;
}

nerve_reader *nerve_reader_new(const char *const *inputs, const nerve_reader_options *opts,
                               GError **error)
{
    nerve_reader *r = g_new0(nerve_reader, 1);
    r->opts = *opts;
    r->text_field = g_strdup(opts->text_field ? opts->text_field : "text");
    r->id_field = g_strdup(opts->id_field ? opts->id_field : "id");
    r->xml_preset = g_strdup(opts->xml_preset);
    r->xpath_doc = g_strdup(opts->xpath_doc);
    r->xpath_text = g_strdup(opts->xpath_text);
    r->xpath_id = g_strdup(opts->xpath_id);
    r->xpath_meta = g_strdupv((char **)opts->xpath_meta);
    r->opts.text_field = r->text_field;
    r->opts.id_field = r->id_field;
    r->opts.xml_preset = r->xml_preset;
    r->opts.xpath_doc = r->xpath_doc;
    r->opts.xpath_text = r->xpath_text;
    r->opts.xpath_id = r->xpath_id;
    r->opts.xpath_meta = (const char *const *)r->xpath_meta;
    r->files = g_array_new(FALSE, TRUE, sizeof(input_file));
    r->buf = g_malloc(CHUNK + 1);

    static const char *const stdin_only[] = {"-", NULL};
    if (!inputs || !inputs[0])
        inputs = stdin_only;
    for (; *inputs; inputs++) {
        const char *in = *inputs;
        if (!strcmp(in, "-")) {
            input_file f = {g_strdup("-"), g_strdup("stdin"),
                            r->opts.format ? r->opts.format : NERVE_FORMAT_JSONL};
            g_array_append_val(r->files, f);
        } else if (g_file_test(in, G_FILE_TEST_IS_DIR)) {
            if (!add_dir(r, in, NULL, error)) {
                nerve_reader_free(r);
                return NULL;
            }
        } else if (g_file_test(in, G_FILE_TEST_EXISTS)) {
            g_autofree char *base = g_path_get_basename(in);
            add_file(r, in, base, TRUE);
        } else {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: no such file or directory", in);
            nerve_reader_free(r);
            return NULL;
        }
    }
    r->bytes_total = 0;
    for (guint i = 0; i < r->files->len; i++) {
        input_file *f = &g_array_index(r->files, input_file, i);
        GStatBuf st;
        if (strcmp(f->path, "-") && g_stat(f->path, &st) == 0)
            r->bytes_total += (guint64)st.st_size;
    }
    return r;
}

static void close_current(nerve_reader *r)
{
    if (r->position) {
        r->bytes_done += (guint64)g_seekable_tell(r->position);
        r->bytes_read = r->bytes_done;
        g_clear_object(&r->position);
    }
    if (r->fmt_state)
        nerve_markup_close(r->fmt_state), r->fmt_state = NULL;
    g_clear_object(&r->stream);
    r->cur = NULL;
}

void nerve_reader_free(nerve_reader *r)
{
    if (!r)
        return;
    close_current(r);
    for (guint i = 0; i < r->files->len; i++) {
        input_file *f = &g_array_index(r->files, input_file, i);
        g_free(f->path);
        g_free(f->id);
    }
    g_array_free(r->files, TRUE);
    g_free(r->buf);
    g_free(r->text_field);
    g_free(r->id_field);
    g_free(r->xml_preset);
    g_free(r->xpath_doc);
    g_free(r->xpath_text);
    g_free(r->xpath_id);
    g_strfreev(r->xpath_meta);
    g_free(r);
}

const nerve_reader_options *nerve_reader_get_options(const nerve_reader *r)
{
    return &r->opts;
}

guint64 nerve_reader_bytes_read(const nerve_reader *r)
{
    if (r->position)
        return r->bytes_done + (guint64)g_seekable_tell(r->position);
    return r->bytes_read;
}

guint64 nerve_reader_bytes_total(const nerve_reader *r)
{
    return r->bytes_total;
}

/* Opens f, decompressing when it starts with the gzip magic. */
static GInputStream *open_stream(const input_file *f, GSeekable **position, GError **error)
{
    GInputStream *raw;
    if (!strcmp(f->path, "-"))
        raw = g_unix_input_stream_new(0, FALSE);
    else {
        g_autoptr(GFile) file = g_file_new_for_path(f->path);
        GError *e = NULL;
        raw = G_INPUT_STREAM(g_file_read(file, NULL, &e));
        if (!raw) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: %s", f->path, e->message);
            g_error_free(e);
            return NULL;
        }
    }
    /* progress is counted in bytes of the file as stored (compressed or
     * not), to compare with its size */
    if (G_IS_SEEKABLE(raw) && g_seekable_can_seek(G_SEEKABLE(raw)))
        *position = G_SEEKABLE(g_object_ref(raw));
    GInputStream *buffered = g_buffered_input_stream_new_sized(raw, 1 << 16);
    g_object_unref(raw);
    GError *e = NULL;
    g_buffered_input_stream_fill(G_BUFFERED_INPUT_STREAM(buffered), 2, NULL, &e);
    if (e) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: %s", f->path, e->message);
        g_error_free(e);
        g_object_unref(buffered);
        return NULL;
    }
    gsize avail;
    const guint8 *peek =
        g_buffered_input_stream_peek_buffer(G_BUFFERED_INPUT_STREAM(buffered), &avail);
    if (avail >= 2 && peek[0] == 0x1F && peek[1] == 0x8B) {
        g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP);
        GInputStream *conv = g_converter_input_stream_new(buffered, G_CONVERTER(z));
        g_object_unref(buffered);
        return conv;
    }
    return buffered;
}

/* Reads more into the buffer; FALSE at EOF. */
static gboolean fill(nerve_reader *r, GError **error)
{
    if (r->eof)
        return FALSE;
    if (r->buf_start > 0) {
        memmove(r->buf, r->buf + r->buf_start, r->buf_end - r->buf_start);
        r->buf_end -= r->buf_start;
        r->buf_start = 0;
    }
    if (r->buf_end >= CHUNK)
        return TRUE; /* full: the caller handles the long line */
    GError *e = NULL;
    gssize n = g_input_stream_read(r->stream, r->buf + r->buf_end, CHUNK - r->buf_end, NULL, &e);
    if (n < 0) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: %s", r->cur->path, e->message);
        g_error_free(e);
        return FALSE;
    }
    if (n == 0) {
        r->eof = TRUE;
        return FALSE;
    }
    r->buf_end += (size_t)n;
    if (!r->position)
        r->bytes_read += (guint64)n;
    return TRUE;
}

static gboolean blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isspace(s[i]))
            return FALSE;
    return TRUE;
}

/* The next non-blank line of the current file.  Returns FALSE at its end. */
static gboolean next_line(nerve_reader *r, nerve_record *rec, GError **error)
{
    GString *acc = NULL; /* a line longer than the buffer */
    gboolean too_long = FALSE;
    size_t limit = r->opts.max_doc_bytes ? r->opts.max_doc_bytes * 2 + 65536 : G_MAXSIZE;
    guint64 start_line = r->line + 1;
    for (;;) {
        char *nl = r->buf_end > r->buf_start
                       ? memchr(r->buf + r->buf_start, '\n', r->buf_end - r->buf_start)
                       : NULL;
        size_t take = nl ? (size_t)(nl - (r->buf + r->buf_start)) : r->buf_end - r->buf_start;
        if (nl || r->eof || r->buf_end - r->buf_start >= CHUNK) {
            if (take) {
                if (!acc)
                    acc = g_string_sized_new(take + 1);
                if (!too_long && acc->len + take <= limit)
                    g_string_append_len(acc, r->buf + r->buf_start, take);
                else {
                    /* over the limit: keep the first bytes for the error
                     * record and skip the rest */
                    if (acc->len < KEEP_OF_LONG_LINE)
                        g_string_append_len(acc, r->buf + r->buf_start,
                                            MIN(take, KEEP_OF_LONG_LINE - acc->len));
                    g_string_truncate(acc, MIN(acc->len, KEEP_OF_LONG_LINE));
                    too_long = TRUE;
                }
            }
            r->buf_start += take + (nl ? 1 : 0);
            if (nl || (r->eof && r->buf_start >= r->buf_end)) {
                r->line++;
                gboolean empty = !acc || blank(acc->str, acc->len);
                if (acc && r->first_line && acc->len >= 3 && !memcmp(acc->str, "\xEF\xBB\xBF", 3))
                    g_string_erase(acc, 0, 3); /* a byte order mark */
                r->first_line = FALSE;
                if (!empty || too_long) {
                    if (acc->len && acc->str[acc->len - 1] == '\r')
                        g_string_truncate(acc, acc->len - 1);
                    rec->len = acc->len;
                    rec->data = g_string_free(acc, FALSE);
                    rec->line = start_line;
                    if (too_long)
                        g_set_error(&rec->error, NERVE_ERROR, NERVE_ERROR_LIMIT,
                                    "record is longer than --max-doc-bytes allows (%zu bytes); "
                                    "its first %zu bytes are kept",
                                    r->opts.max_doc_bytes, rec->len);
                    return TRUE;
                }
                if (acc)
                    g_string_free(acc, TRUE);
                acc = NULL;
                start_line = r->line + 1;
                if (r->eof && r->buf_start >= r->buf_end)
                    return FALSE;
                continue;
            }
        }
        if (!fill(r, error)) {
            if (error && *error) {
                if (acc)
                    g_string_free(acc, TRUE);
                return FALSE;
            }
            if (r->buf_start >= r->buf_end && !acc)
                return FALSE;
        }
    }
}

/* The whole current file as one record. */
static gboolean whole_file(nerve_reader *r, nerve_record *rec, GError **error)
{
    GString *acc = g_string_new(NULL);
    gboolean too_long = FALSE;
    for (;;) {
        if (r->buf_end > r->buf_start) {
            size_t take = r->buf_end - r->buf_start;
            if (too_long || (r->opts.max_doc_bytes && acc->len + take > r->opts.max_doc_bytes)) {
                too_long = TRUE;
                if (acc->len < KEEP_OF_LONG_LINE)
                    g_string_append_len(acc, r->buf + r->buf_start,
                                        MIN(take, KEEP_OF_LONG_LINE - acc->len));
                g_string_truncate(acc, MIN(acc->len, KEEP_OF_LONG_LINE));
            } else
                g_string_append_len(acc, r->buf + r->buf_start, take);
            r->buf_start = r->buf_end;
        }
        if (!fill(r, error))
            break;
    }
    if (error && *error) {
        g_string_free(acc, TRUE);
        return FALSE;
    }
    rec->len = acc->len;
    rec->data = g_string_free(acc, FALSE);
    rec->line = 1;
    rec->id = g_strdup(r->cur->id);
    if (too_long)
        g_set_error(&rec->error, NERVE_ERROR, NERVE_ERROR_LIMIT,
                    "document is longer than --max-doc-bytes (%zu bytes)", r->opts.max_doc_bytes);
    return TRUE;
}

gboolean nerve_reader_next(nerve_reader *r, nerve_record *rec, GError **error)
{
    memset(rec, 0, sizeof *rec);
    for (;;) {
        if (!r->cur) {
            if (r->next_file >= r->files->len)
                return FALSE;
            r->cur = &g_array_index(r->files, input_file, r->next_file++);
            r->cur_source = g_intern_string(r->cur->path);
            r->stream = open_stream(r->cur, &r->position, error);
            if (!r->stream) {
                r->cur = NULL;
                return FALSE;
            }
            r->eof = FALSE;
            r->buf_start = r->buf_end = 0;
            r->line = 0;
            r->first_line = TRUE;
        }
        gboolean got;
        GError *e = NULL;
        switch (r->cur->format) {
        case NERVE_FORMAT_JSONL:
            got = next_line(r, rec, &e);
            break;
        case NERVE_FORMAT_XML:
        case NERVE_FORMAT_HTML:
            if (!r->fmt_state)
                r->fmt_state = nerve_markup_open(r->stream, r->cur->path, r->cur->id,
                                                 r->cur->format, &r->opts, &e);
            got = r->fmt_state && nerve_markup_next(r->fmt_state, rec, &e);
            break;
        default:
            got = !r->eof && whole_file(r, rec, &e);
            r->eof = TRUE;
            break;
        }
        if (e) {
            g_propagate_error(error, e);
            close_current(r);
            return FALSE;
        }
        if (got) {
            rec->source = r->cur_source;
            rec->source_id = g_intern_string(r->cur->id);
            rec->format = r->cur->format;
            rec->number = ++r->number;
            return TRUE;
        }
        close_current(r);
    }
}

nerve_doc *nerve_record_parse(nerve_record *rec, const nerve_reader_options *opts, GError **error)
{
    if (rec->error) {
        g_propagate_error(error, g_error_copy(rec->error));
        return NULL;
    }
    if (rec->doc) {
        nerve_doc *d = rec->doc;
        rec->doc = NULL;
        return d;
    }
    switch (rec->format) {
    case NERVE_FORMAT_JSONL:
        return nerve_jsonl_parse(rec, opts, error);
    default:
        return nerve_text_parse(rec, opts, error);
    }
}
