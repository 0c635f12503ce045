/* out.c - what the output writers share (see out.h).
 *
 * Directory outputs name a document's files after its id.  Ids come from
 * the input and may hold '/', a leading '.', control characters or be very
 * long, so they go through nerve_outdir_safe_name(), a pure function: a
 * worker thread answering --resume and the writer thread naming a file
 * agree without talking to each other.  The rare collisions left (the
 * same id twice in the input) are resolved in the writer thread, which
 * sees documents in input order, so names are the same on every run; the
 * map id -> name goes to ids.tsv, which --resume reloads.
 */
#include "formats/out.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "nerve/error.h"
#include "nerve/hash.h"

/* --- one file ------------------------------------------------------------------ */

gboolean nerve_outfile_open(nerve_outfile *o, const char *path, GError **error)
{
    memset(o, 0, sizeof *o);
    if (!path || !strcmp(path, "-")) {
        o->f = stdout;
        return TRUE;
    }
    o->f = fopen(path, "wb");
    if (!o->f) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: cannot write: %s", path,
                    g_strerror(errno));
        return FALSE;
    }
    o->own = TRUE;
    return TRUE;
}

gboolean nerve_outfile_write(nerve_outfile *o, const char *s, size_t len, GError **error)
{
    if (len && fwrite(s, 1, len, o->f) != len) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "cannot write the output: %s",
                    g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

gboolean nerve_outfile_close(nerve_outfile *o, GError **error)
{
    if (!o->f)
        return TRUE;
    gboolean ok = fflush(o->f) == 0 && !ferror(o->f);
    if (o->own)
        ok = fclose(o->f) == 0 && ok;
    o->f = NULL;
    if (!ok)
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "cannot write the output: %s",
                    g_strerror(errno));
    return ok;
}

char *nerve_outfile_sibling(const char *output, const char *name)
{
    if (!output || !strcmp(output, "-"))
        return g_strdup(name);
    g_autofree char *dir = g_path_get_dirname(output);
    return g_build_filename(dir, name, NULL);
}

void *nerve_outfile_writer_open(const nerve_writer_options *opts, GError **error)
{
    nerve_outfile *o = g_new0(nerve_outfile, 1);
    if (!nerve_outfile_open(o, opts->output, error)) {
        g_free(o);
        return NULL;
    }
    return o;
}

gboolean nerve_outfile_writer_write(void *state, const nerve_doc *doc, const GString *rendered,
                                    GError **error)
{
    (void)doc;
    return nerve_outfile_write(state, rendered->str, rendered->len, error);
}

gboolean nerve_outfile_writer_close(void *state, GError **error)
{
    gboolean ok = nerve_outfile_close(state, error);
    g_free(state);
    return ok;
}

/* --- a directory of documents ---------------------------------------------------------- */

struct nerve_outdir {
    char *dir;
    FILE *ids;
    GHashTable *used;     /* name -> itself: every name taken, this run or an earlier one */
    GHashTable *resumed;  /* id -> GPtrArray of names in input order, from an earlier run */
    GHashTable *recorded; /* the same, never changed: read by worker threads (done()) */
    gboolean failed;
};

#define NAME_MAX_BYTES 100

/* Names the writers use for their own files. */
static const char *const reserved[] = {"ids", "errors", "annotation", "TypeSystem", "labelstudio"};

char *nerve_outdir_safe_name(const char *id)
{
    GString *s = g_string_sized_new(strlen(id) + 12);
    gboolean changed = FALSE;
    for (const char *p = id; *p;) {
        gunichar c = g_utf8_get_char_validated(p, -1);
        const char *next = c == (gunichar)-1 || c == (gunichar)-2 ? p + 1 : g_utf8_next_char(p);
        gboolean ok =
            c < 0x80 ? (g_ascii_isalnum((int)c) || c == '-' || c == '_' || (c == '.' && s->len))
                     : c < 0x110000 && g_unichar_isalnum(c);
        if (s->len + (size_t)(next - p) > NAME_MAX_BYTES) {
            changed = TRUE;
            break;
        }
        if (ok)
            g_string_append_len(s, p, next - p);
        else {
            g_string_append_c(s, '_');
            changed = TRUE;
        }
        p = next;
    }
    for (guint i = 0; i < G_N_ELEMENTS(reserved); i++)
        changed = changed || !g_ascii_strcasecmp(s->str, reserved[i]);
    if (!s->len || changed)
        g_string_append_printf(s, "-%08x", nerve_hash(id, strlen(id)));
    return g_string_free(s, FALSE);
}

static char *unescape(const char *s, size_t len)
{
    GString *out = g_string_sized_new(len);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            char c = s[++i];
            g_string_append_c(out, c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c);
        } else
            g_string_append_c(out, s[i]);
    }
    return g_string_free(out, FALSE);
}

static void load_ids(nerve_outdir *d, const char *path)
{
    g_autofree char *data = NULL;
    gsize len;
    if (!g_file_get_contents(path, &data, &len, NULL))
        return;
    char *line = data, *end = data + len;
    while (line < end) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        char *stop = nl ? nl : end;
        char *tab = memchr(line, '\t', (size_t)(stop - line));
        if (tab && line != data) { /* the first line is the header */
            char *id = unescape(line, (size_t)(tab - line));
            char *name = g_strndup(tab + 1, (size_t)(stop - tab - 1));
            GPtrArray *names = g_hash_table_lookup(d->resumed, id);
            if (!names) {
                names = g_ptr_array_new_with_free_func(g_free);
                g_hash_table_insert(d->resumed, g_strdup(id), names);
                g_hash_table_insert(d->recorded, g_strdup(id),
                                    g_ptr_array_new_with_free_func(g_free));
            }
            gboolean seen = FALSE; /* a document written again is listed again */
            for (guint i = 0; i < names->len && !seen; i++)
                seen = !strcmp(g_ptr_array_index(names, i), name);
            if (!seen) {
                g_hash_table_replace(d->used, g_strdup(name), NULL);
                g_ptr_array_add(g_hash_table_lookup(d->recorded, id), g_strdup(name));
                g_ptr_array_add(names, name);
            } else
                g_free(name);
            g_free(id);
        }
        line = stop + 1;
    }
}

nerve_outdir *nerve_outdir_open(const char *dir, gboolean resume, GError **error)
{
    if (g_mkdir_with_parents(dir, 0777) != 0) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: cannot create the directory: %s", dir,
                    g_strerror(errno));
        return NULL;
    }
    nerve_outdir *d = g_new0(nerve_outdir, 1);
    d->dir = g_strdup(dir);
    d->used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    d->resumed =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
    d->recorded =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
    g_autofree char *path = g_build_filename(dir, "ids.tsv", NULL);
    gboolean existed = resume && g_file_test(path, G_FILE_TEST_EXISTS);
    if (existed)
        load_ids(d, path);
    d->ids = fopen(path, existed ? "ab" : "wb");
    if (!d->ids) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: cannot write: %s", path,
                    g_strerror(errno));
        nerve_outdir_close(d, NULL);
        return NULL;
    }
    if (!existed)
        fputs("id\tfile\n", d->ids);
    return d;
}

gboolean nerve_outdir_close(nerve_outdir *d, GError **error)
{
    gboolean ok = !d->failed;
    if (d->ids)
        ok = fclose(d->ids) == 0 && ok;
    if (!ok)
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s/ids.tsv: cannot write", d->dir);
    g_hash_table_destroy(d->used);
    g_hash_table_destroy(d->resumed);
    g_hash_table_destroy(d->recorded);
    g_free(d->dir);
    g_free(d);
    return ok;
}

const char *nerve_outdir_path(const nerve_outdir *d)
{
    return d->dir;
}

const char *nerve_outdir_claim(nerve_outdir *d, const char *id)
{
    GPtrArray *again = g_hash_table_lookup(d->resumed, id);
    if (again && again->len) { /* named by an earlier run (--resume): the same names, in order */
        char *name = g_ptr_array_steal_index(again, 0);
        g_hash_table_replace(d->used, name, name);
        return name;
    }
    char *base = nerve_outdir_safe_name(id);
    char *name = g_strdup(base);
    for (guint k = 2; g_hash_table_contains(d->used, name); k++) {
        g_free(name);
        name = g_strdup_printf("%s~%u", base, k);
    }
    g_free(base);
    g_hash_table_replace(d->used, name, name);
    return name;
}

gboolean nerve_outdir_put(nerve_outdir *d, const char *name, const char *ext, const char *data,
                          size_t len, GError **error)
{
    g_autofree char *final = g_strdup_printf("%s/%s%s", d->dir, name, ext);
    g_autofree char *tmp = g_strdup_printf("%s/.%s%s.tmp-XXXXXX", d->dir, name, ext);
    int fd = g_mkstemp_full(tmp, O_WRONLY, 0666); /* the umask applies, as for fopen */
    gboolean ok = fd >= 0;
    for (size_t off = 0; ok && off < len;) {
        ssize_t k = write(fd, data + off, len - off);
        if (k < 0 && errno == EINTR)
            continue;
        ok = k > 0;
        off += ok ? (size_t)k : 0;
    }
    if (fd >= 0 && close(fd) != 0)
        ok = FALSE;
    if (ok && g_rename(tmp, final) != 0)
        ok = FALSE;
    if (!ok) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: cannot write: %s", final,
                    g_strerror(errno));
        if (fd >= 0)
            g_unlink(tmp);
        d->failed = TRUE;
    }
    return ok;
}

gboolean nerve_outdir_record(nerve_outdir *d, const char *id, const char *name, GError **error)
{
    GString *line = g_string_new(NULL);
    nerve_out_tsv_field(line, id, strlen(id)); /* ids may hold tabs */
    g_string_append_printf(line, "\t%s\n", name);
    gboolean ok = fwrite(line->str, 1, line->len, d->ids) == line->len && fflush(d->ids) == 0;
    g_string_free(line, TRUE);
    if (!ok) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s/ids.tsv: cannot write: %s", d->dir,
                    g_strerror(errno));
        d->failed = TRUE;
    }
    return ok;
}

static gboolean has_files(const nerve_outdir *d, const char *name, const char *const *exts)
{
    for (; *exts; exts++) {
        g_autofree char *path = g_strdup_printf("%s/%s%s", d->dir, name, *exts);
        if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
            return FALSE;
    }
    return TRUE;
}

gboolean nerve_outdir_has(const nerve_outdir *d, const char *id, const char *const *exts)
{
    const GPtrArray *names = g_hash_table_lookup(d->recorded, id);
    if (names) { /* every document with this id, as ids.tsv recorded them */
        for (guint i = 0; i < names->len; i++)
            if (!has_files(d, g_ptr_array_index(names, i), exts))
                return FALSE;
        return TRUE;
    }
    g_autofree char *name = nerve_outdir_safe_name(id);
    return has_files(d, name, exts);
}

/* --- helpers --------------------------------------------------------------------------------- */

const char *nerve_out_label(const nerve_writer_options *opts, const nerve_entity *e)
{
    return e->id ? nerve_label_map(opts->labels, e->label) : NULL;
}

const nerve_entity *nerve_out_arg_entity(const nerve_doc *doc, const nerve_writer_options *opts,
                                         const nerve_arg *a)
{
    if (a->entity < 0)
        return NULL;
    size_t n;
    const nerve_entity *ents = nerve_doc_entities(doc, &n);
    if ((size_t)a->entity >= n)
        return NULL;
    const nerve_entity *e = &ents[a->entity];
    return nerve_out_label(opts, e) ? e : NULL;
}

gboolean nerve_out_entity_tokens(const nerve_doc *doc, const nerve_entity *e, uint32_t *ts,
                                 uint32_t *te)
{
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    if (e->tok_end > e->tok_start && e->tok_end <= n) {
        *ts = e->tok_start;
        *te = e->tok_end;
        return TRUE;
    }
    size_t lo = 0, hi = n; /* first token ending after start */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t[mid].end <= e->start)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < n && t[k].start < e->end)
        k++;
    *ts = (uint32_t)lo;
    *te = (uint32_t)k;
    return k > lo;
}

void nerve_out_meta_fields(const nerve_doc *doc, GString *out)
{
    size_t n;
    const char *m = nerve_doc_meta_json(doc, &n); /* the input's JSON, untouched */
    if (n > 2) {                                  /* "{...}" without its braces */
        g_string_append_c(out, ',');
        g_string_append_len(out, m + 1, (gssize)(n - 2));
    }
}

void nerve_out_tsv_field(GString *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '\t':
            g_string_append(out, "\\t");
            break;
        case '\n':
            g_string_append(out, "\\n");
            break;
        case '\r':
            g_string_append(out, "\\r");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        default:
            g_string_append_c(out, s[i]);
        }
    }
}

void nerve_out_colour(const char *label, char out[8])
{
    /* the usual labels get distinct colours; others one from their hash */
    static const char *const known[][2] = {
        {"PERSON", "#aa9cfc"},   {"PER", "#aa9cfc"},     {"ORG", "#7aecec"},
        {"GPE", "#feca74"},      {"LOC", "#ff9561"},     {"FAC", "#9cc9cc"},
        {"NORP", "#c887fb"},     {"DATE", "#bfe1d9"},    {"TIME", "#bfe1d9"},
        {"MONEY", "#e4e7d2"},    {"PERCENT", "#e4e7d2"}, {"QUANTITY", "#e4e7d2"},
        {"CARDINAL", "#e4e7d2"}, {"ORDINAL", "#e4e7d2"}, {"EVENT", "#ffeb80"},
        {"LAW", "#ff8197"},      {"PRODUCT", "#bfeeb7"}, {"WORK_OF_ART", "#f0d0ff"},
        {"LANGUAGE", "#ff8197"}, {"MISC", "#f0d0ff"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(known); i++)
        if (!strcmp(label, known[i][0])) {
            g_strlcpy(out, known[i][1], 8);
            return;
        }
    uint32_t h = nerve_hash(label, strlen(label));
    double hue = (double)(h % 360) / 60.0, s = 0.62 + (double)((h >> 9) % 16) / 100.0,
           l = 0.78 + (double)((h >> 13) % 8) / 100.0;
    double c = (1.0 - (2.0 * l - 1.0 > 0 ? 2.0 * l - 1.0 : 1.0 - 2.0 * l)) * s;
    double hm = hue - 2.0 * (double)(int)(hue / 2.0);
    double x = c * (1.0 - (hm - 1.0 > 0 ? hm - 1.0 : 1.0 - hm)), m = l - c / 2.0;
    double r = 0, g = 0, b = 0;
    switch ((int)hue) {
    case 0:
        r = c, g = x;
        break;
    case 1:
        r = x, g = c;
        break;
    case 2:
        g = c, b = x;
        break;
    case 3:
        g = x, b = c;
        break;
    case 4:
        r = x, b = c;
        break;
    default:
        r = c, b = x;
        break;
    }
    g_snprintf(out, 8, "#%02x%02x%02x", (unsigned)((r + m) * 255.0 + 0.5),
               (unsigned)((g + m) * 255.0 + 0.5), (unsigned)((b + m) * 255.0 + 0.5));
}

size_t nerve_out_xml_text(GString *out, const char *s, size_t len)
{
    size_t run = 0, bad = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        gboolean ctl = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
        /* U+FFFE, U+FFFF: EF BF BE, EF BF BF */
        gboolean nonchar = c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBF &&
                           ((unsigned char)s[i + 2] & 0xFE) == 0xBE;
        if (!ctl && !nonchar)
            continue;
        g_string_append_len(out, s + run, (gssize)(i - run));
        g_string_append(out, "\xEF\xBF\xBD");
        i += nonchar ? 2 : 0;
        run = i + 1;
        bad++;
    }
    g_string_append_len(out, s + run, (gssize)(len - run));
    return bad;
}

void nerve_out_name(GString *out, const char *s, const char *bad)
{
    for (; *s; s++)
        g_string_append_c(
            out, g_ascii_isspace(*s) || (unsigned char)*s < 0x20 || strchr(bad, *s) ? '_' : *s);
}

const char *nerve_out_attr(const char *attrs, const char *key)
{
    const char *it = attrs, *k, *v;
    while (nerve_attrs_next(&it, &k, &v))
        if (!strcmp(k, key))
            return v;
    return NULL;
}
