/* fuzz-rules.c - the rule parser and compiler on arbitrary bytes: every
 * input must compile or give FILE:LINE:COL errors, never crash; what
 * compiles gets its notes listed and is run over a small document with
 * entities, so the matcher sees the odd programs too. */
#include <string.h>

#include "nerve/nerve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);
const char *__asan_default_options(void);

/* Labels and rule names are interned (g_intern_string): GLib's quark table
 * grows with every new name and keeps its old arrays for lock-free
 * readers, which LeakSanitizer sees as leaks after many inputs. */
/* The suppression needs whole stacks: GLib has no frame pointers. */
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0:malloc_context_size=16";
}

const char *__lsan_default_suppressions(void)
{
    return "leak:g_intern_string\nleak:g_quark_from_string\n";
}

static const char text[] = "President Ines Ortega met officials in Lyon on Oct. 3, 2020. The U.S. "
                           "envoy signed a trade agreement with Acme Corp. Nobody attacked.";

static void add(nerve_doc *doc, uint32_t a, uint32_t b, const char *label)
{
    size_t n;
    nerve_doc_tokens(doc, &n);
    if (b > n || a >= b)
        return;
    nerve_entity *e = nerve_doc_add_entity(doc);
    e->tok_start = a;
    e->tok_end = b;
    nerve_doc_entity_span(doc, e);
    e->label = g_intern_string(label);
    e->source = g_intern_string("gazetteer:fuzz");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static nerve_tokenizer *tk;
    static nerve_splitter *sp;
    static nerve_lexicon *lx;
    if (!tk) {
        tk = nerve_tokenizer_new();
        nerve_tokenizer_add_abbreviation(tk, "Oct.", NERVE_ABBREV_MONTH);
        sp = nerve_splitter_new(tk, NULL);
        lx = nerve_lexicon_new();
        nerve_lexicon_add_lemma(lx, "met", "meet");
        nerve_lexicon_add_base(lx, "sign");
    }
    nerve_rules *rs = nerve_rules_new(tk, NULL);
    GError *err = NULL;
    if (nerve_rules_add_string(rs, "fuzz.rules", (const char *)data, (gssize)size, &err)) {
        GPtrArray *notes = g_ptr_array_new_with_free_func(g_free);
        if (nerve_rules_notes(rs, notes) != notes->len)
            __builtin_trap();
        g_ptr_array_free(notes, TRUE);
        nerve_doc *doc = nerve_doc_new("f", text, sizeof text - 1, NULL);
        nerve_normalize_options no = {FALSE, TRUE};
        nerve_normalize(&no, doc);
        nerve_tokenize(tk, doc);
        nerve_split_sentences(sp, doc);
        nerve_lexicon_annotate(lx, doc);
        add(doc, 1, 3, "PERSON");
        add(doc, 7, 8, "GPE");
        add(doc, 6, 8, "LOC");
        add(doc, 24, 26, "ORG");
        nerve_rules_apply(rs, doc, NULL);
        nerve_doc_finish(doc, size % 2);
        nerve_doc_free(doc);
    } else {
        g_assert(err && strncmp(err->message, "fuzz.rules:", 11) == 0);
        g_error_free(err);
    }
    nerve_rules_free(rs);
    return 0;
}
