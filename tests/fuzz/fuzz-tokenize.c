/* fuzz-tokenize.c - normalize, tokenize and split arbitrary (repaired)
 * UTF-8; checks the invariants every later stage relies on: tokens are
 * non-empty, in order, inside the text, on character boundaries, and the
 * sentences cover every token exactly once. */
#include <string.h>

#include "nerve/nerve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static nerve_tokenizer *tk;
    static nerve_splitter *sp;
    if (!tk) {
        tk = nerve_tokenizer_new();
        nerve_tokenizer_add_abbreviation(tk, "Dr.", NERVE_ABBREV_TITLE);
        nerve_tokenizer_add_abbreviation(tk, "Inc.", NERVE_ABBREV_END);
        nerve_tokenizer_add_abbreviation(tk, "Oct.", NERVE_ABBREV_MONTH);
        sp = nerve_splitter_new(tk, NULL);
    }
    GString *text = g_string_new(NULL);
    nerve_utf8_repair((const char *)data, size, text);
    nerve_doc *doc = nerve_doc_new("fuzz", text->str, text->len, NULL);
    nerve_normalize_options no = {size > 0 && (data[0] & 1), TRUE};
    nerve_normalize(&no, doc);
    nerve_tokenize(tk, doc);
    nerve_split_sentences(sp, doc);
    size_t n, ns, len;
    const char *t = nerve_doc_text(doc, &len);
    const nerve_token *tok = nerve_doc_tokens(doc, &n);
    const nerve_sentence *s = nerve_doc_sentences(doc, &ns);
    uint32_t prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        g_assert(tok[i].start < tok[i].end && tok[i].end <= len);
        g_assert(tok[i].start >= prev_end);
        g_assert(((unsigned char)t[tok[i].start] & 0xC0) != 0x80);
        g_assert(tok[i].end == len || ((unsigned char)t[tok[i].end] & 0xC0) != 0x80);
        g_assert(tok[i].norm.len > 0 && tok[i].lower.len > 0);
        prev_end = tok[i].end;
    }
    uint32_t next = 0;
    for (size_t k = 0; k < ns; k++) {
        g_assert(s[k].tok_start == next && s[k].tok_end > s[k].tok_start);
        next = s[k].tok_end;
    }
    g_assert(next == n);
    nerve_doc_free(doc);
    g_string_free(text, TRUE);
    return 0;
}
