/* text.c - plain text input, and the checks every reader shares. */
#include <string.h>

#include "formats/formats.h"
#include "nerve/error.h"
#include "nerve/utf8.h"

nerve_doc *nerve_make_doc(const char *id, const char *text, size_t len, json_t *meta,
                          const nerve_reader_options *opts, GError **error)
{
    if (opts->max_doc_bytes && len > opts->max_doc_bytes) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_LIMIT,
                    "document is %zu bytes, over the limit --max-doc-bytes=%zu", len,
                    opts->max_doc_bytes);
        json_decref(meta);
        return NULL;
    }
    size_t first_bad;
    size_t bad = nerve_utf8_count_invalid(text, len, &first_bad);
    if (!bad)
        return nerve_doc_new(id, text, len, meta);
    if (opts->strict) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT,
                    "invalid UTF-8 at byte %zu of the text (--strict)", first_bad);
        json_decref(meta);
        return NULL;
    }
    GString *fixed = g_string_sized_new(len + 16);
    nerve_utf8_repair(text, len, fixed);
    nerve_doc *doc = nerve_doc_new(id, fixed->str, fixed->len, meta);
    g_string_free(fixed, TRUE);
    nerve_doc_add_warning(doc,
                          "replaced %zu invalid UTF-8 sequence%s with U+FFFD (the first at byte "
                          "%zu of the input)",
                          bad, bad == 1 ? "" : "s", first_bad);
    return doc;
}

nerve_doc *nerve_text_parse(nerve_record *rec, const nerve_reader_options *opts, GError **error)
{
    const char *s = rec->data;
    size_t len = rec->len;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) { /* a byte order mark is not text */
        s += 3;
        len -= 3;
    }
    return nerve_make_doc(rec->id ? rec->id : "", s, len, NULL, opts, error);
}
