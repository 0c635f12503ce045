/* tokenize.h - the tokenizer.
 *
 * Splits the normalized view of a document into tokens whose spans are
 * byte offsets into the original text.  Rules, in order of precedence:
 * whitespace separates; URLs, e-mail addresses, #hashtags and @mentions are
 * one token; numbers with decimal and thousands separators, times (10:30)
 * and fractions are one token; a word followed by a period is one token
 * when the word and the period are a model abbreviation, a run of single
 * letters with periods (U.S., a.m.), or an initial (J.); clitics given by
 * the model ('s, n't) are split off; hyphens between letters are tokens of
 * their own, but a hyphen before digits stays (F-16, COVID-19); every other
 * punctuation or symbol character is a token (runs of . ! ? - as one);
 * emoji are tokens of one grapheme cluster each.  No token ever splits a
 * grapheme cluster.  Runs of CJK, Thai, Lao, Khmer or Myanmar letters are
 * segmented by ICU's dictionary-based word break iterator; everything else
 * by the scanner in tokenize.c, which never converts text to UTF-16.
 */
#ifndef NERVE_TOKENIZE_H
#define NERVE_TOKENIZE_H

#include <glib.h>

#include "doc.h"
#include "stage.h"

G_BEGIN_DECLS

/* Classes of abbreviations, as the sentence splitter uses them. */
typedef enum {
    NERVE_ABBREV_NONE = 0,
    NERVE_ABBREV_GENERAL, /* may end a sentence (etc., approx.) */
    NERVE_ABBREV_TITLE,   /* precedes a name, never ends a sentence (Dr., Gen.) */
    NERVE_ABBREV_MONTH,   /* precedes a day or year (Oct.) */
    NERVE_ABBREV_NUMBER,  /* precedes a number (No., Art., pp.) */
    NERVE_ABBREV_END,     /* often ends a sentence (Inc., Ltd., Jr.) */
} nerve_abbrev_class;

typedef struct nerve_tokenizer nerve_tokenizer;

/* A tokenizer with no abbreviations and the English clitics.  Free with
 * nerve_tokenizer_free(). */
nerve_tokenizer *nerve_tokenizer_new(void);
void nerve_tokenizer_free(nerve_tokenizer *tk);

/* Loads abbreviations: one per line, "abbreviation[<TAB>class]", class one
 * of general title month number end; '#' comments.  Errors name
 * FILE:LINE:COL. */
gboolean nerve_tokenizer_load_abbreviations(nerve_tokenizer *tk, const char *path, GError **error);
void nerve_tokenizer_add_abbreviation(nerve_tokenizer *tk, const char *abbrev,
                                      nerve_abbrev_class cls);
/* Replaces the clitics split off the end of words (NULL-terminated array of
 * lower-case suffixes, straight apostrophes, e.g. "'s", "n't"). */
void nerve_tokenizer_set_clitics(nerve_tokenizer *tk, const char *const *clitics);

/* Tokens longer than max bytes are cut into pieces of at most max bytes
 * (on grapheme cluster boundaries), with a warning in the document naming
 * --max-token-bytes.  Default 65536. */
void nerve_tokenizer_set_max_token_bytes(nerve_tokenizer *tk, guint max);

/* The class of (s, len), a token's normalized text, e.g. "Dr.". */
nerve_abbrev_class nerve_tokenizer_abbrev_class(const nerve_tokenizer *tk, const char *s,
                                                size_t len);

/* Appends the tokens of doc's normalized view (nerve_normalize must have
 * run; an identity view is fine).  Sets norm and lower forms and flags. */
void nerve_tokenize(const nerve_tokenizer *tk, nerve_doc *doc);

/* A stage running nerve_tokenize(); tk must outlive it. */
nerve_stage *nerve_tokenize_stage_new(const nerve_tokenizer *tk);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_tokenizer, nerve_tokenizer_free)

G_END_DECLS

#endif
