/* cli-stubs.c - subcommands whose modules are not in this build yet.
 * Each later module replaces its stub with a cli-<command>.c of its own. */
#include "cli.h"

int nerve_cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    nerve_cli_error("check is not in this build yet");
    return EXIT_FATAL;
}

int nerve_cmd_eval(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    nerve_cli_error("eval is not in this build yet");
    return EXIT_FATAL;
}
