/* nerve.h - the whole public API of libnerve.
 *
 * nerve reads news documents, runs them through stages (normalize,
 * tokenize, sentences, lexicon, gazetteer, rules) and writes standoff
 * annotations whose offsets point exactly into the original text.  See
 * each module's header for its invariants and ownership rules.
 */
#ifndef NERVE_H
#define NERVE_H

#define NERVE_VERSION "0.1.0"

#include "aliases.h"
#include "doc.h"
#include "error.h"
#include "gazetteer.h"
#include "eval.h"
#include "gold.h"
#include "hash.h"
#include "hide.h"
#include "lexicon.h"
#include "model.h"
#include "normalize.h"
#include "offsets.h"
#include "reader.h"
#include "rules.h"
#include "runner.h"
#include "sentences.h"
#include "stage.h"
#include "tokenize.h"
#include "utf8.h"
#include "writer.h"

#endif
