/* fuzz-gazgate.c - GATE lists.def and .lst parsing on arbitrary bytes.  The
 * input is a lists.def, a line "====", and the text every .lst it names
 * reads as (the reader never touches the disk). */
#include "gazcommon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const char *lst;
    size_t len;
} lst_text;

static gboolean read_lst(const char *path, char **out, size_t *len, gpointer user, GError **error)
{
    const lst_text *t = user;
    if (g_str_has_suffix(path, "missing.lst")) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no such file");
        return FALSE;
    }
    *out = g_memdup2(t->lst, t->len);
    *len = t->len;
    return TRUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *sep = g_strstr_len(s, (gssize)size, "\n====\n");
    size_t def_len = sep ? (size_t)(sep - s) : size;
    lst_text t = {sep ? sep + 6 : "", sep ? size - def_len - 6 : 0};
    FUZZ_PARSER(
        nerve_gazlist_parse_def(b, "fuzz/lists.def", s, def_len, NULL, 0, read_lst, &t, &err));
    FUZZ_PARSER(nerve_gazlist_parse_lst(b, "fuzz/alone.lst", t.lst, t.len, NULL, NULL, 0, &err));
    return 0;
}
