/* gazcommon.h - shared by the gazetteer fuzz targets: a tokenizer like the
 * default model's, a small document to match, and the property every list
 * parser must keep: what it accepts compiles into a .gaz that loads with
 * every check on and matches without error. */
#ifndef NERVE_FUZZ_GAZCOMMON_H
#define NERVE_FUZZ_GAZCOMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nerve/gazcompile.h"
#include "nerve/gazfile.h"
#include "nerve/gazlist.h"
#include "nerve/nerve.h"

static const nerve_normalize_options fuzz_norm = {FALSE, TRUE};

/* Interning the labels and list names of fuzzed files grows GLib's quark
 * table, which leaks its old arrays on purpose (readers may still use
 * them): not a leak of nerve's. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:g_intern_string\nleak:_dl_init\n";
}

/* GLib has no frame pointers: without the slow unwinder the stacks stop at
 * g_malloc and the suppressions cannot see g_intern_string. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}

/* abort(), not g_error(): libFuzzer saves the input on SIGABRT. */
static void fuzz_fail(const char *what, const GError *err)
{
    fprintf(stderr, "%s: %s\n", what, err ? err->message : "");
    abort();
}

static nerve_tokenizer *fuzz_tokenizer(void)
{
    static nerve_tokenizer *tk;
    if (!tk) {
        tk = nerve_tokenizer_new();
        nerve_tokenizer_add_abbreviation(tk, "Dr.", NERVE_ABBREV_TITLE);
        nerve_tokenizer_add_abbreviation(tk, "Inc.", NERVE_ABBREV_END);
    }
    return tk;
}

/* Matches g on a small document with names, case and accent variants. */
static void fuzz_match(const nerve_gaz *g, gboolean must_succeed)
{
    static const char text[] = "Aiko Tan met U.S. Steel officials in New York City and Lyon. "
                               "STRASSE \xC4\xB0stanbul S\xC3\xA3o Paulo, silicon Valley; "
                               "a b c a b c d. Dr. No & Co. Inc. 3.5 AT&T #tag";
    nerve_doc *doc = nerve_doc_new("f", text, sizeof text - 1, NULL);
    nerve_normalize(&fuzz_norm, doc);
    nerve_tokenize(fuzz_tokenizer(), doc);
    GError *err = NULL;
    gboolean ok = nerve_gaz_match(g, NULL, doc, &err);
    if (must_succeed && !ok)
        fuzz_fail("match failed on a checked file", err);
    g_clear_error(&err);
    nerve_doc_resolve_entities(doc);
    nerve_doc_finish(doc, TRUE);
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    for (size_t i = 0; i < n; i++) {
        g_assert(e[i].start < e[i].end && e[i].end <= sizeof text - 1);
        g_assert(g_utf8_validate(e[i].label, -1, NULL) && g_utf8_validate(e[i].entry, -1, NULL));
        const char *it = e[i].attrs, *k, *v;
        while (nerve_attrs_next(&it, &k, &v))
            g_assert(g_utf8_validate(k, -1, NULL) && g_utf8_validate(v, -1, NULL));
    }
    nerve_doc_free(doc);
}

/* After a parser accepted the input: compile, load fully checked, match. */
static void fuzz_compile_and_match(nerve_gaz_builder *b)
{
    GError *err = NULL;
    GBytes *bytes = nerve_gaz_builder_to_bytes(b, 1, 2, &err);
    if (!bytes)
        fuzz_fail("compile failed", err);
    nerve_gaz *g = nerve_gaz_new_from_bytes(bytes, "fuzz.gaz", NERVE_GAZ_CHECK_ALL, &err);
    if (!g)
        fuzz_fail("a compiled list does not load", err);
    fuzz_match(g, TRUE);
    nerve_gaz_free(g);
    g_bytes_unref(bytes);
}

/* Runs parse on (data, size); errors must be FILE:LINE:COL messages. */
#define FUZZ_PARSER(call)                                                                          \
    do {                                                                                           \
        nerve_gaz_builder *b = nerve_gaz_builder_new(fuzz_tokenizer(), &fuzz_norm);                \
        GError *err = NULL;                                                                        \
        if (call)                                                                                  \
            fuzz_compile_and_match(b);                                                             \
        else {                                                                                     \
            g_assert(err && err->domain == NERVE_ERROR && err->code == NERVE_ERROR_MODEL);         \
            g_assert(g_str_has_prefix(err->message, "fuzz"));                                     \
            g_error_free(err);                                                                     \
        }                                                                                          \
        nerve_gaz_builder_free(b);                                                                 \
    } while (0)

#endif
