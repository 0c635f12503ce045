/* fuzz-jsonl.c - the JSONL record parser and writer on arbitrary bytes:
 * every line must give a document or an error, never a crash. */
#include <string.h>

#include "formats/formats.h"
#include "nerve/nerve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static nerve_tokenizer *tk;
    static nerve_splitter *sp;
    if (!tk) {
        tk = nerve_tokenizer_new();
        nerve_tokenizer_add_abbreviation(tk, "Dr.", NERVE_ABBREV_TITLE);
        sp = nerve_splitter_new(tk, NULL);
    }
    nerve_reader_options ro = {.text_field = "text",
                               .id_field = "id",
                               .max_doc_bytes = 1 << 20,
                               .strict = size > 0 && data[0] == 's'};
    nerve_writer_options wo = {.unit = (nerve_unit)(size % 3), .tokens = TRUE};
    nerve_record rec = {0};
    rec.data = g_memdup2(data, size);
    rec.len = size;
    rec.source = "fuzz";
    rec.line = 1;
    rec.format = NERVE_FORMAT_JSONL;
    GError *err = NULL;
    GString *out = g_string_new(NULL);
    nerve_doc *doc = nerve_record_parse(&rec, &ro, &err);
    if (doc) {
        nerve_normalize_options no = {FALSE, TRUE};
        nerve_normalize(&no, doc);
        nerve_tokenize(tk, doc);
        nerve_split_sentences(sp, doc);
        nerve_doc_finish(doc, FALSE);
        nerve_jsonl_writer.render(NULL, &wo, doc, out);
        nerve_doc_free(doc);
    } else {
        g_assert(err);
        nerve_writer_render_error(&rec, rec.id, err, out);
        g_error_free(err);
    }
    g_assert(out->len > 0 && out->str[out->len - 1] == '\n');
    g_assert(g_utf8_validate(out->str, (gssize)out->len, NULL));
    g_string_free(out, TRUE);
    nerve_record_clear(&rec);
    return 0;
}
