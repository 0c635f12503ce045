/* fuzz-gold.c - the gold readers (jsonl, conll, brat, xmi) on arbitrary
 * bytes: an error or documents, never a crash; and whatever is read
 * scores 1.0 against itself. */
#include <glib/gstdio.h>
#include <string.h>

#include "nerve/nerve.h"
#include "nerve/eval.h"
#include "nerve/gold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *dir;
    if (!dir)
        dir = g_dir_make_tmp("nerve-fuzz-gold-XXXXXX", NULL);
    if (!size || !dir)
        return 0;
    static const char *const ext[] = {".jsonl", ".conll", ".ann", ".xmi"};
    nerve_gold_format f = (nerve_gold_format)(1 + data[0] % 4);
    data++;
    size--;
    g_autofree char *path = g_strdup_printf("%s/d%s", dir, ext[f - 1]);
    size_t cut = size;
    if (f == NERVE_GOLD_BRAT) { /* .ann, then a NUL, then the .txt */
        const uint8_t *nul = memchr(data, 0, size);
        cut = nul ? (size_t)(nul - data) : size;
        g_autofree char *txt = g_strdup_printf("%s/d.txt", dir);
        g_file_set_contents(txt, cut < size ? (const char *)data + cut + 1 : "",
                            cut < size ? (gssize)(size - cut - 1) : 0, NULL);
    }
    g_file_set_contents(path, (const char *)data, (gssize)cut, NULL);
    GError *err = NULL;
    GPtrArray *docs = nerve_gold_read(path, f, &err);
    if (docs) {
        for (guint i = 0; i < docs->len; i++) {
            const nerve_gold_doc *d = g_ptr_array_index(docs, i);
            g_assert(g_utf8_validate(d->text, (gssize)d->len, NULL) || memchr(d->text, 0, d->len));
            for (guint k = 0; k < d->entities->len; k++) {
                const nerve_gold_entity *e = &g_array_index(d->entities, nerve_gold_entity, k);
                g_assert(e->start <= e->end && e->end <= d->len);
            }
        }
        nerve_eval *ev = nerve_eval_new(NERVE_LABELS_NATIVE);
        nerve_eval_run(ev, docs, docs);
        nerve_score s = nerve_eval_micro(ev);
        g_assert(s.fp == 0 && s.fn == 0 && s.f1 == 1.0);
        g_assert(nerve_eval_argument(ev).f1 == 1.0);
        nerve_eval_free(ev);
        g_ptr_array_unref(docs);
    } else {
        g_assert(err);
        g_error_free(err);
    }
    return 0;
}
