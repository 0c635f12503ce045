/* cli.h - private: the subcommands of the nerve command line.
 *
 * Each returns the process exit status: 0 success, 1 fatal error, 2 usage,
 * 3 some documents failed (annotate). */
#ifndef NERVE_CLI_H
#define NERVE_CLI_H

#include <glib.h>

enum { EXIT_OK = 0, EXIT_FATAL = 1, EXIT_USAGE = 2, EXIT_PARTIAL = 3 };

int nerve_cmd_annotate(int argc, char **argv);
int nerve_cmd_explain(int argc, char **argv);
int nerve_cmd_check(int argc, char **argv);
int nerve_cmd_gazetteer(int argc, char **argv);
int nerve_cmd_eval(int argc, char **argv);

/* Prints "nerve: MESSAGE" on stderr. */
void nerve_cli_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Parses argv with entries; on an unknown option prints the error and
 * returns FALSE (the caller exits 2). */
gboolean nerve_cli_parse(GOptionContext *ctx, int *argc, char ***argv);
/* Exit status for a failed model load, option or output. */
int nerve_cli_status(const GError *error);

#endif
