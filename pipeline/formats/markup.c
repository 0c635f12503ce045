/* markup.c - XML and HTML input (not in this build yet).
 *
 * The readers for --from xml and --from html come with the inputs issue;
 * until then asking for them is a clear error, not a silent skip. */
#include "formats/formats.h"
#include "nerve/error.h"

gpointer nerve_markup_open(GInputStream *stream, const char *path, const char *id,
                           nerve_input_format format, const nerve_reader_options *opts,
                           GError **error)
{
    (void)stream;
    (void)id;
    (void)opts;
    g_set_error(error, NERVE_ERROR, NERVE_ERROR_USAGE, "%s: %s input is not supported yet", path,
                format == NERVE_FORMAT_XML ? "xml" : "html");
    return NULL;
}

gboolean nerve_markup_next(gpointer state, nerve_record *rec, GError **error)
{
    (void)state;
    (void)rec;
    (void)error;
    return FALSE;
}

void nerve_markup_close(gpointer state)
{
    (void)state;
}
