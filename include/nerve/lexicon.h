/* lexicon.h - per-token lemma and shape.
 *
 * The lexicon stage fills nerve_token.lemma and .shape for every token.
 *
 * Lemma (lower-case): the lemma table first (an exception list:
 * "form<TAB>lemma", lower-case, e.g. met -> meet, was -> be); then
 * WordNet-morphy-style detachment of regular inflection, where a candidate
 * is accepted only when it is a known base form (the bases list): plural
 * and third person -s, -es, -ies -> -y, -ses/-xes/-zes/-ches/-shes, -men ->
 * -man; -ed, -ing (with or without a final e, and with a doubled final
 * consonant undone: banned -> ban, planning -> plan); comparative -er and
 * superlative -est of words that are not base forms themselves.  The first
 * accepted candidate wins, in the order noun/verb -s, -men, -ed, -ing,
 * -er/-est.  Otherwise the lemma is the token's lower form itself (the
 * same pointer and hash).  Without part-of-speech tags some nouns are
 * reduced (evening -> even); the table overrides any rule.
 *
 * Shape: spaCy's shape string of the norm form: upper-case letters X,
 * other letters x, digits d, every other character itself, and a run of
 * the same shape character cut after 4 ("London" -> "Xxxxx", "2020" ->
 * "dddd", "U.S." -> "X.X.").
 *
 * Lemmas point into the lexicon's tables or at the token's lower form;
 * shapes into the lexicon's tables, at the token's norm form, or into the
 * document's arena: no allocation per token.  The lexicon must outlive the
 * documents annotated with it.
 */
#ifndef NERVE_LEXICON_H
#define NERVE_LEXICON_H

#include <glib.h>

#include "doc.h"
#include "model.h"
#include "stage.h"

G_BEGIN_DECLS

typedef struct nerve_lexicon nerve_lexicon;

/* An empty lexicon (lemma = lower form).  Free with nerve_lexicon_free(). */
nerve_lexicon *nerve_lexicon_new(void);
void nerve_lexicon_free(nerve_lexicon *lx);

/* Loads a lemma table: "form<TAB>lemma" lines, '#' comments; both fields
 * are lower-cased.  A later entry for the same form replaces an earlier
 * one.  Errors: NERVE_ERROR_MODEL "FILE:LINE:COL: message". */
gboolean nerve_lexicon_load_lemmas(nerve_lexicon *lx, const char *path, GError **error);
/* Loads base forms: one per line, '#' comments. */
gboolean nerve_lexicon_load_bases(nerve_lexicon *lx, const char *path, GError **error);
/* Adds one table entry or base form (NUL-terminated, copied). */
void nerve_lexicon_add_lemma(nerve_lexicon *lx, const char *form, const char *lemma);
void nerve_lexicon_add_base(nerve_lexicon *lx, const char *base);
guint nerve_lexicon_n_lemmas(const nerve_lexicon *lx);
guint nerve_lexicon_n_bases(const nerve_lexicon *lx);

/* The lemma of a lower-case form (lower->hash must be nerve_hash of it):
 * a string owned by lx, or *lower itself. */
nerve_str nerve_lexicon_lemma(const nerve_lexicon *lx, const nerve_str *lower);

/* Writes the shape of (s, len), UTF-8, into out (at most cap bytes, not
 * NUL-terminated) and returns its length; a shape longer than cap is cut
 * at a character boundary. */
size_t nerve_lexicon_shape(const char *s, size_t len, char *out, size_t cap);

/* Fills lemma and shape of every token of doc. */
void nerve_lexicon_annotate(const nerve_lexicon *lx, nerve_doc *doc);

/* A stage running nerve_lexicon_annotate(); lx must outlive it. */
nerve_stage *nerve_lexicon_stage_new(const nerve_lexicon *lx);

/* The stage factory: reads model.json's "lexicon" section,
 *   {"lemmas": "lemmas.tsv", "bases": "lemma-bases.txt"}
 * (paths relative to the model directory).  A key that is absent means
 * the default file name when that file exists in the model directory; a
 * key that names a missing file is an error; null turns the file off.
 * The stage owns its lexicon. */
nerve_stage *nerve_lexicon_stage_from_model(const nerve_model *model, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_lexicon, nerve_lexicon_free)

G_END_DECLS

#endif
