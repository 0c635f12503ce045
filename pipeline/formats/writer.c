/* writer.c - the writer registry, error records and shared helpers.
 *
 * Each output format is a nerve_writer_class; this file finds it by name
 * and wraps it with what all writers share: error records (inline for
 * jsonl, errors.jsonl beside the output otherwise), the label scheme and
 * JSON string escaping.
 */
#include "nerve/writer.h"

#include <errno.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "formats/jsonout.h"
#include "nerve/error.h"
#include "nerve/utf8.h"
#include "swar.h"

/* Bytes of the input kept in the error record of an over-limit record. */
#define ERROR_INPUT_KEEP 4096

static const nerve_writer_class *const registry[] = {
    &nerve_jsonl_writer,   &nerve_brat_writer,    &nerve_conll_writer, &nerve_labelstudio_writer,
    &nerve_doccano_writer, &nerve_prodigy_writer, &nerve_tsv_writer,   &nerve_xmi_writer,
    &nerve_gate_writer,    &nerve_webanno_writer, &nerve_html_writer,
};

struct nerve_writer {
    const nerve_writer_class *klass;
    nerve_writer_options opts;
    char *output;
    void *state;
    FILE *errors; /* errors.jsonl, opened at the first error record */
};

const char *const *nerve_writer_formats(void)
{
    static const char *names[G_N_ELEMENTS(registry) + 1];
    for (guint i = 0; i < G_N_ELEMENTS(registry); i++)
        names[i] = registry[i]->name;
    return names;
}

nerve_writer *nerve_writer_new(const char *format, const nerve_writer_options *opts, GError **error)
{
    const nerve_writer_class *k = NULL;
    for (guint i = 0; i < G_N_ELEMENTS(registry); i++)
        if (!strcmp(registry[i]->name, format))
            k = registry[i];
    if (!k) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_USAGE, "unknown output format \"%s\"", format);
        return NULL;
    }
    if (k->to_directory && (!opts->output || !strcmp(opts->output, "-"))) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_USAGE,
                    "--to %s writes a directory: give it with -o DIR", format);
        return NULL;
    }
    nerve_writer *w = g_new0(nerve_writer, 1);
    w->klass = k;
    w->opts = *opts;
    w->output = g_strdup(opts->output);
    w->opts.output = w->output;
    w->state = k->open(&w->opts, error);
    if (!w->state) {
        g_free(w->output);
        g_free(w);
        return NULL;
    }
    return w;
}

const nerve_writer_options *nerve_writer_get_options(const nerve_writer *w)
{
    return &w->opts;
}

gboolean nerve_writer_close(nerve_writer *w, GError **error)
{
    gboolean ok = w->klass->close(w->state, error);
    if (w->errors && fclose(w->errors) != 0 && ok) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "cannot write errors.jsonl: %s",
                    g_strerror(errno));
        ok = FALSE;
    }
    g_free(w->output);
    g_free(w);
    return ok;
}

void nerve_writer_render(const nerve_writer *w, const nerve_doc *doc, GString *out)
{
    if (w->klass->render)
        w->klass->render(w->state, &w->opts, doc, out);
}

gboolean nerve_writer_write(nerve_writer *w, const nerve_doc *doc, const GString *rendered,
                            GError **error)
{
    return w->klass->write(w->state, doc, rendered, error);
}

gboolean nerve_writer_done(const nerve_writer *w, const char *id)
{
    return w->opts.resume && w->klass->done && w->klass->done(w->state, id);
}

void nerve_writer_render_error(const nerve_record *rec, const char *id, const GError *err,
                               GString *out)
{
    g_string_append(out, "{\"id\":");
    if (id)
        nerve_json_append_string(out, id, strlen(id));
    else
        g_string_append(out, "null");
    g_string_append(out, ",\"error\":{\"message\":");
    nerve_json_append_string(out, err->message, strlen(err->message));
    g_string_append(out, ",\"source\":");
    const char *src = rec->source ? rec->source : "-";
    nerve_json_append_string(out, src, strlen(src));
    g_string_append_printf(
        out,
        ",\"line\":%" G_GUINT64_FORMAT ",\"record\":%" G_GUINT64_FORMAT "},\"input\":", rec->line,
        rec->number);
    /* the raw input, repaired where it is not UTF-8; cut to its first
     * bytes when the record is over a size limit */
    size_t len = rec->data ? rec->len : 0;
    gboolean cut = FALSE;
    if (err->domain == NERVE_ERROR && err->code == NERVE_ERROR_LIMIT && len > ERROR_INPUT_KEEP) {
        len = ERROR_INPUT_KEEP;
        while (len > 0 && ((unsigned char)rec->data[len] & 0xC0) == 0x80)
            len--;
        cut = TRUE;
    }
    if (!rec->data)
        g_string_append(out, "null");
    else if (!nerve_utf8_count_invalid(rec->data, len, NULL))
        nerve_json_append_string(out, rec->data, len);
    else {
        GString *fixed = g_string_sized_new(len + 16);
        nerve_utf8_repair(rec->data, len, fixed);
        nerve_json_append_string(out, fixed->str, fixed->len);
        g_string_free(fixed, TRUE);
    }
    if (cut)
        g_string_append(out, ",\"input_truncated\":true");
    g_string_append(out, "}\n");
}

static FILE *open_errors(nerve_writer *w, GError **error)
{
    g_autofree char *path = NULL;
    if (w->klass->to_directory)
        path = g_build_filename(w->output, "errors.jsonl", NULL);
    else if (w->output && strcmp(w->output, "-")) {
        g_autofree char *dir = g_path_get_dirname(w->output);
        path = g_build_filename(dir, "errors.jsonl", NULL);
    } else
        path = g_strdup("errors.jsonl");
    FILE *f = fopen(path, "wb");
    if (!f)
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: cannot write: %s", path,
                    g_strerror(errno));
    return f;
}

gboolean nerve_writer_write_error(nerve_writer *w, const GString *rendered, GError **error)
{
    if (w->klass == &nerve_jsonl_writer)
        return w->klass->write(w->state, NULL, rendered, error);
    if (!w->errors && !(w->errors = open_errors(w, error)))
        return FALSE;
    if (fwrite(rendered->str, 1, rendered->len, w->errors) != rendered->len) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "cannot write errors.jsonl: %s",
                    g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

/* Bytes that stop a run of ordinary ones in a JSON string: control
 * characters, '"', '\\', and the lead bytes of U+0085 (C2 85) and of
 * U+2028, U+2029 (E2 80 A8, E2 80 A9). */
/* clang-format off */
static const unsigned char json_stop[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00-0x1F */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1, [0xC2] = 1, [0xE2] = 1,
};
/* clang-format on */

/* Appends (s, len) as a JSON string.  Besides what JSON requires, U+0085,
 * U+2028 and U+2029 are escaped: they are legal in JSON strings but end
 * lines for JavaScript and for Python's str.splitlines(), which would cut
 * a JSONL record in two.
 *
 * Room for the string as it is (plus quotes) is taken once; an escape,
 * which is longer than what it replaces, takes room for the rest again.
 * Ordinary bytes are copied eight at a time: a word is tested for control
 * characters, '"' and '\\', and only when it holds a byte >= 0x80 also for
 * 0xC2 and 0xE2. */
void nerve_json_append_string(GString *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    char *p = nerve_out_room(out, len + 2);
    *p++ = '"';
    size_t i = 0;
    for (;;) {
#ifdef __SSE2__
        /* sixteen at a time where SSE2 is (always, on x86-64); the same
         * tests as the eight-byte ones below */
        while (i + 16 <= len) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                        _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
            /* below 0x20: unchanged by the unsigned minimum with 0x1F */
            stop = _mm_or_si128(stop, _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x));
            if (_mm_movemask_epi8(x))
                stop =
                    _mm_or_si128(stop, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xC2)),
                                                    _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xE2))));
            _mm_storeu_si128((__m128i *)(void *)p, x); /* in the room taken */
            unsigned m = (unsigned)_mm_movemask_epi8(stop);
            if (m) {
                size_t k = (size_t)__builtin_ctz(m);
                p += k;
                i += k;
                break;
            }
            p += 16;
            i += 16;
        }
#endif
        while (i + 8 <= len) {
            uint64_t w = swar_load(s + i);
            uint64_t stop = swar_less(w, 0x20) | swar_eq(w, '"') | swar_eq(w, '\\');
            if (w & SWAR_HIGH)
                stop |= swar_eq(w, 0xC2) | swar_eq(w, 0xE2);
            memcpy(p, s + i, 8); /* in the room taken: one byte out per byte in */
            if (stop) {
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
                /* the tests are exact up to the first byte found */
                size_t k = (size_t)__builtin_ctzll(stop) / 8;
                p += k;
                i += k;
#endif
                break;
            }
            p += 8;
            i += 8;
        }
        while (i < len && !json_stop[u[i]])
            *p++ = s[i++];
        if (i >= len)
            break;
        unsigned char c = u[i];
        const char *esc = NULL;
        size_t skip = 1;
        if (c == 0xC2 || c == 0xE2) {
            if (c == 0xC2 && i + 1 < len && u[i + 1] == 0x85) {
                esc = "\\u0085";
                skip = 2;
            } else if (c == 0xE2 && i + 2 < len && u[i + 1] == 0x80 &&
                       (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)) {
                esc = u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
                skip = 3;
            } else {
                *p++ = (char)c; /* another character */
                i++;
                continue;
            }
        }
        /* at most six bytes for this one, one for each byte after it and
         * the closing quote */
        nerve_out_set_end(out, p);
        p = nerve_out_room(out, len - i + 6);
        i += skip;
        if (esc) {
            memcpy(p, esc, 6);
            p += 6;
            continue;
        }
        *p++ = '\\';
        switch (c) {
        case '"':
            *p++ = '"';
            break;
        case '\\':
            *p++ = '\\';
            break;
        case '\n':
            *p++ = 'n';
            break;
        case '\r':
            *p++ = 'r';
            break;
        case '\t':
            *p++ = 't';
            break;
        default:
            p = NERVE_OUT_LIT(p, "u00");
            *p++ = hex[c >> 4];
            *p++ = hex[c & 15];
        }
    }
    *p++ = '"';
    nerve_out_set_end(out, p);
}

gboolean nerve_label_scheme_parse(const char *name, nerve_label_scheme *scheme)
{
    if (!strcmp(name, "native"))
        *scheme = NERVE_LABELS_NATIVE;
    else if (!strcmp(name, "conll"))
        *scheme = NERVE_LABELS_CONLL;
    else
        return FALSE;
    return TRUE;
}

const char *nerve_label_map(nerve_label_scheme scheme, const char *label)
{
    if (scheme == NERVE_LABELS_NATIVE || !label)
        return label;
    static const struct {
        const char *from, *to;
    } conll[] = {
        {"PERSON", "PER"},    {"PER", "PER"},   {"GPE", "LOC"},      {"LOC", "LOC"},
        {"FAC", "LOC"},       {"ORG", "ORG"},   {"NORP", "MISC"},    {"EVENT", "MISC"},
        {"LAW", "MISC"},      {"MISC", "MISC"}, {"PRODUCT", "MISC"}, {"WORK_OF_ART", "MISC"},
        {"LANGUAGE", "MISC"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(conll); i++)
        if (!strcmp(conll[i].from, label))
            return conll[i].to;
    return NULL; /* DATE, TIME, MONEY, PERCENT, CARDINAL, ORDINAL, QUANTITY, others */
}

void nerve_append_uint(GString *out, uint64_t v)
{
    nerve_out_set_end(out, nerve_out_uint(nerve_out_room(out, NERVE_OUT_UINT_MAX), v));
}
