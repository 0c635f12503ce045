/* fuzz-gazfile.c - the .gaz loader on arbitrary bytes, checksums off so the
 * fuzzer reaches the tables: refused with an error, or loaded and then
 * matching a small document reads nothing outside the file. */
#include "gazcommon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the loader wants 8-byte aligned data, as a mapping is */
    guint64 *copy = g_new(guint64, size / 8 + 1);
    memcpy(copy, data, size);
    GBytes *bytes = g_bytes_new_take(copy, size);
    GError *err = NULL;
    guint flags = size % 2 ? NERVE_GAZ_NO_CHECKSUM | NERVE_GAZ_CHECK_ALL : NERVE_GAZ_NO_CHECKSUM;
    nerve_gaz *g = nerve_gaz_new_from_bytes(bytes, "fuzz.gaz", flags, &err);
    if (g) {
        fuzz_match(g, (flags & NERVE_GAZ_CHECK_ALL) != 0);
        nerve_gaz_free(g);
    } else {
        g_assert(err && g_str_has_prefix(err->message, "fuzz.gaz: "));
        g_error_free(err);
    }
    g_bytes_unref(bytes);
    return 0;
}
