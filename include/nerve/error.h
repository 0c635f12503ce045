/* error.h - the library's error domain.
 *
 * Every recoverable failure in libnerve is reported through a GError in the
 * NERVE_ERROR domain.  The command line maps the codes to exit statuses:
 * NERVE_ERROR_MODEL and NERVE_ERROR_IO on a model or option are fatal (1),
 * NERVE_ERROR_INPUT and NERVE_ERROR_LIMIT on a document become an error
 * record for that document (exit 3 at the end).
 */
#ifndef NERVE_ERROR_H
#define NERVE_ERROR_H

#include <glib.h>

G_BEGIN_DECLS

#define NERVE_ERROR (nerve_error_quark())

typedef enum {
    NERVE_ERROR_IO,    /* a file could not be read or written */
    NERVE_ERROR_INPUT, /* an input record is malformed (bad JSON, no text, bad UTF-8 under --strict)
                        */
    NERVE_ERROR_LIMIT, /* an input is over a named limit (--max-doc-bytes, ...) */
    NERVE_ERROR_MODEL, /* a model, list, rule file or .gaz is unreadable or invalid */
    NERVE_ERROR_USAGE, /* a bad option value */
} nerve_error_code;

GQuark nerve_error_quark(void);

G_END_DECLS

#endif
