/* fuzz-gazruler.c - the EntityRuler / Prodigy JSONL parser on arbitrary
 * bytes: an error with FILE:LINE:COL, or patterns that compile, load fully
 * checked and match. */
#include "gazcommon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FUZZ_PARSER(
        nerve_gazlist_parse_ruler(b, "fuzz.jsonl", (const char *)data, size, NULL, 0, &err));
    return 0;
}
