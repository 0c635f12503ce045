/* fuzz-annotate.c - the default English model (models/en: gazetteer, entity
 * rules, hide, aliases, event rules) on arbitrary text: annotation never
 * crashes, and every written entity and event argument lies inside the
 * text on token boundaries, with no helper label (GIVEN, TITLE) written. */
#include <string.h>

#include "nerve/nerve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);
const char *__asan_default_options(void);

const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0:malloc_context_size=16";
}

/* The model lives for the whole run (loaded once, as the command line
 * does); interned strings grow GLib's quark table. */
const char *__lsan_default_suppressions(void)
{
    return "leak:g_intern_string\nleak:g_quark_from_string\nleak:nerve_model_load\n";
}

static void check(const nerve_doc *doc)
{
    size_t len, n, n_tok;
    nerve_doc_text(doc, &len);
    const nerve_token *toks = nerve_doc_tokens(doc, &n_tok);
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    for (size_t i = 0; i < n; i++) {
        if (!e[i].id)
            continue;
        if (e[i].tok_start >= e[i].tok_end || e[i].tok_end > n_tok || e[i].end > len ||
            e[i].start != toks[e[i].tok_start].start || e[i].end != toks[e[i].tok_end - 1].end ||
            (e[i].flags & NERVE_ENTITY_HIDDEN) || !strcmp(e[i].label, "GIVEN") ||
            !strcmp(e[i].label, "TITLE"))
            __builtin_trap();
    }
    const nerve_event *ev = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    for (size_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < ev[i].n_args; k++) {
            const nerve_arg *a = &args[ev[i].arg_first + k];
            if (a->start >= a->end || a->end > len || !a->role)
                __builtin_trap();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static nerve_model *model;
    if (!model) {
        g_autofree char *dir = nerve_model_default_dir();
        GError *err = NULL;
        model = nerve_model_load(dir, NULL, &err);
        if (!model)
            g_error("fuzz-model: %s", err->message);
    }
    GString *text = g_string_new(NULL);
    nerve_utf8_repair((const char *)data, size, text);
    nerve_doc *doc = nerve_doc_new("f", text->str, text->len, NULL);
    g_string_free(text, TRUE);
    GError *err = NULL;
    if (nerve_model_annotate(model, doc, &err)) {
        nerve_doc_finish(doc, size % 2 == 0);
        check(doc);
    }
    g_clear_error(&err);
    nerve_doc_free(doc);
    return 0;
}
