/* fuzz-model.c - model.json on arbitrary bytes: loading a model directory
 * whose model.json is the input (the data files it may name are a small
 * abbreviation list and a list beside it) must load or fail with an error,
 * never crash or leak. */
#include <glib/gstdio.h>
#include <string.h>

#include "nerve/nerve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *dir, *json, *cache;
    if (!dir) {
        dir = g_dir_make_tmp("nerve-fuzz-model-XXXXXX", NULL);
        json = g_build_filename(dir, "model.json", NULL);
        cache = g_build_filename(dir, "cache", NULL);
        g_autofree char *abbr = g_build_filename(dir, "abbr.txt", NULL);
        g_autofree char *list = g_build_filename(dir, "list.tsv", NULL);
        g_autofree char *rules = g_build_filename(dir, "r.rules", NULL);
        g_file_set_contents(abbr, "Dr.\ttitle\nInc.\tend\n", -1, NULL);
        g_file_set_contents(list, "Lyon\tGPE\tkb=x:1\nAiko Tan\tPERSON\n", -1, NULL);
        g_file_set_contents(rules, "rule r\n  entity X\n  pattern \"lyon\"\n", -1, NULL);
    }
    if (!g_file_set_contents(json, (const char *)data, (gssize)size, NULL))
        return 0;
    nerve_model_options mo = {.cache_dir = cache};
    GError *err = NULL;
    nerve_model *m = nerve_model_load(dir, &mo, &err);
    if (m) {
        nerve_doc *d = nerve_doc_new("f", "Dr. Aiko Tan went to Lyon.", 26, NULL);
        if (nerve_model_annotate(m, d, &err))
            nerve_doc_finish(d, FALSE);
        g_clear_error(&err);
        nerve_doc_free(d);
        nerve_model_free(m);
    } else {
        g_assert(err && err->message[0]);
        g_error_free(err);
    }
    return 0;
}
