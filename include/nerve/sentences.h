/* sentences.h - the sentence splitter.
 *
 * Works on tokens.  A sentence ends after a terminal token (. ! ? ...),
 * together with the closing quotes and brackets that follow it without a
 * space, unless the next word starts in lower case, or the terminal is the
 * period of an abbreviation that does not end sentences (see
 * nerve_abbrev_class) and the next word is not a common sentence starter.
 * A paragraph break (blank line) always ends a sentence; a single line
 * break does where the line before ends in a number or a colon and the
 * next begins with no lower-case word (the lines of a results table or a
 * scorecard, a dateline "LONDON 1996-08-31", a heading "Results on
 * Saturday:"), which prose wrapped at a width rarely does.  Sentences are
 * never empty and cover every token.
 */
#ifndef NERVE_SENTENCES_H
#define NERVE_SENTENCES_H

#include <glib.h>

#include "doc.h"
#include "stage.h"
#include "tokenize.h"

G_BEGIN_DECLS

typedef struct nerve_splitter nerve_splitter;

/* A splitter using tk's abbreviations (tk must outlive it) and the given
 * sentence starters (capitalised words that begin sentences: "The", "He";
 * NULL-terminated, copied; NULL for the built-in English, French and
 * German set). */
nerve_splitter *nerve_splitter_new(const nerve_tokenizer *tk, const char *const *starters);
void nerve_splitter_free(nerve_splitter *sp);

/* Sentences longer than max tokens are cut, with a warning in the
 * document naming --max-sentence-tokens, so that later stages see bounded
 * sentences whatever the input.  Default 1000. */
void nerve_splitter_set_max_tokens(nerve_splitter *sp, guint max);

/* Appends doc's sentences; the tokens must be there. */
void nerve_split_sentences(const nerve_splitter *sp, nerve_doc *doc);

/* A stage running nerve_split_sentences(); sp must outlive it. */
nerve_stage *nerve_sentences_stage_new(const nerve_splitter *sp);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_splitter, nerve_splitter_free)

G_END_DECLS

#endif
