/* error.c - the NERVE_ERROR domain. */
#include "nerve/error.h"

G_DEFINE_QUARK(nerve - error - quark, nerve_error)
