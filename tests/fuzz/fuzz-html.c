/* fuzz-html.c - the HTML reader on arbitrary bytes: one record per page,
 * a document with valid UTF-8 text or an error. */
#include <string.h>

#include "formats/markup.h"
#include "nerve/nerve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nerve_reader_options o = {0};
    o.format = NERVE_FORMAT_HTML;
    o.max_doc_bytes = size && data[0] == 'L' ? 64 : 1 << 20;
    o.strict = size > 1 && data[1] == 'S';
    GInputStream *in =
        g_memory_input_stream_new_from_data(g_memdup2(data, size), (gssize)size, g_free);
    GError *err = NULL;
    gpointer st = nerve_markup_open(in, "fuzz.html", "fuzz.html", NERVE_FORMAT_HTML, &o, &err);
    g_assert(st && !err);
    nerve_record rec;
    memset(&rec, 0, sizeof rec);
    g_assert(nerve_markup_next(st, &rec, &err));
    g_assert((rec.doc != NULL) != (rec.error != NULL));
    if (rec.doc) {
        size_t len;
        const char *t = nerve_doc_text(rec.doc, &len);
        g_assert(g_utf8_validate(t, (gssize)len, NULL));
        /* outside <pre> and friends, whitespace is laid out by nerve */
        g_autofree char *lower = g_malloc(size + 1); /* NUL bytes are data */
        for (size_t i = 0; i < size; i++)
            lower[i] = g_ascii_tolower((char)data[i]);
        gboolean verbatim = memmem(lower, size, "pre", 3) || memmem(lower, size, "listing", 7) ||
                            memmem(lower, size, "xmp", 3) || memmem(lower, size, "plaintext", 9);
        if (!verbatim) {
            g_assert(len == 0 ||
                     (t[0] != ' ' && t[0] != '\n' && t[len - 1] != ' ' && t[len - 1] != '\n'));
            g_assert(!memmem(t, len, "  ", 2) && !memmem(t, len, "\n\n\n", 3));
        }
    }
    nerve_record_clear(&rec);
    memset(&rec, 0, sizeof rec);
    g_assert(!nerve_markup_next(st, &rec, &err));
    nerve_markup_close(st);
    g_object_unref(in);
    return 0;
}
