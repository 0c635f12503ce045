/* fuzz-gaztsv.c - the TSV list parser on arbitrary bytes: an error with
 * FILE:LINE:COL, or a list that compiles, loads fully checked and matches. */
#include "gazcommon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FUZZ_PARSER(nerve_gazlist_parse_tsv(b, "fuzz.tsv", (const char *)data, size, NULL, 0, &err));
    return 0;
}
