/* fuzz-xml.c - the XML reader (all presets) and the TREC filter on
 * arbitrary bytes.  The first byte picks the settings.  Every record must
 * carry a document with valid UTF-8 text or an error, never both; the
 * TREC filter must give the same output however its input is cut. */
#include <string.h>

#include "formats/markup.h"
#include "nerve/nerve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_filter(const char *s, size_t n, unsigned seed)
{
    GString *whole = g_string_new(NULL), *cut = g_string_new(NULL);
    nerve_trec_filter *f = nerve_trec_filter_new(TRUE);
    nerve_trec_filter_feed(f, s, n, TRUE, whole);
    nerve_trec_filter_free(f);
    f = nerve_trec_filter_new(TRUE);
    size_t at = 0, step = 1 + seed % 7;
    while (at < n) {
        size_t k = MIN(step, n - at);
        nerve_trec_filter_feed(f, s + at, k, FALSE, cut);
        at += k;
        step = 1 + (step * 5 + 3) % 11;
    }
    nerve_trec_filter_feed(f, "", 0, TRUE, cut);
    nerve_trec_filter_free(f);
    g_assert(whole->len == cut->len && !memcmp(whole->str, cut->str, whole->len));
    g_string_free(whole, TRUE);
    g_string_free(cut, TRUE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const presets[] = {NULL, "nitf", "tei", "trec"};
    static const char *const docs[] = {NULL, "//doc", "//*[local-name()='a' or @id]", "/r/*"};
    static const char *const texts[] = {NULL, "./body | p", "string(.)", "count(*)"};
    unsigned sel = size ? data[0] : 0;
    if (size) {
        data++;
        size--;
    }
    const char *meta[] = {"m=@*", "n=.//x", NULL};
    nerve_reader_options o = {0};
    o.format = NERVE_FORMAT_XML;
    o.xml_preset = presets[sel & 3];
    o.xpath_doc = docs[(sel >> 2) & 3];
    o.xpath_text = texts[(sel >> 4) & 3];
    o.xpath_meta = (sel & 0x40) ? meta : NULL;
    o.max_doc_bytes = (sel & 0x80) ? 64 : 1 << 20;
    if ((sel & 3) == 3)
        check_filter((const char *)data, size, sel);

    GInputStream *in =
        g_memory_input_stream_new_from_data(g_memdup2(data, size), (gssize)size, g_free);
    GError *err = NULL;
    gpointer st = nerve_markup_open(in, "fuzz.xml", "fuzz.xml", NERVE_FORMAT_XML, &o, &err);
    if (!st) {
        g_assert(err && err->code == NERVE_ERROR_USAGE);
        g_error_free(err);
        g_object_unref(in);
        return 0;
    }
    nerve_record rec;
    memset(&rec, 0, sizeof rec);
    guint n = 0;
    while (nerve_markup_next(st, &rec, &err)) {
        g_assert(!err);
        g_assert((rec.doc != NULL) != (rec.error != NULL));
        if (rec.doc) {
            size_t len;
            const char *t = nerve_doc_text(rec.doc, &len);
            g_assert(g_utf8_validate(t, (gssize)len, NULL));
            g_assert(nerve_doc_id(rec.doc)[0]);
        }
        nerve_record_clear(&rec);
        g_assert(++n < 100000);
    }
    nerve_markup_close(st);
    g_object_unref(in);
    return 0;
}
