/* aliases.h - the aliases stage: names repeated, in part or in full,
 * later in a document.
 *
 * News names a person or an organisation in full once and then in part:
 * "Prime Minister Narendra Modi ... Modi said", "the Press Information
 * Bureau (PIB) ... PIB added".  Rules match within a sentence and cannot
 * see the earlier full mention, so this stage works on the whole document
 * after the entity rules:
 *
 * - surname: a visible entity of a "surname" label with two or more
 *   tokens defines its last name token (the last token, skipping name
 *   suffixes Jr., Sr., II, III, IV) as an alias, when that token is a
 *   capitalised word of two or more letters; and its first token, the
 *   given name, when that is such a word too, not an initial (J.) and not
 *   the first part of a hyphenated name (Jean-Pierre); a given name is
 *   not taken as its sentence's first word ("Will they ..." after "Will
 *   Smith");
 * - acronym, defined: a visible entity of an "acronym" label followed by
 *   "(" ACR ")" in the same sentence, ACR an upper-case token of 2 to 10
 *   characters (letters, digits, & and -) with at least two letters,
 *   defines ACR; the ACR in the parentheses becomes an entity too (source
 *   "rule:acronym") unless it already lies in one;
 * - acronym, initials: a visible entity of an "acronym" label with two or
 *   more capitalised words defines the string of their initials
 *   ("National Basketball Association" -> NBA; lower-case words, "&" and
 *   punctuation are skipped);
 * - short name: a visible entity of an "acronym" label whose last token is
 *   one of the short-name suffixes (Inc., Corp., Co. ...) and whose first
 *   token is a capitalised word followed by that suffix or by a comma
 *   defines that first token ("Kmart Corp." -> Kmart, "Sears, Roebuck &
 *   Co." -> Sears);
 * - head: a visible entity of an "acronym" label with two or more tokens
 *   whose last token is one of the head words (Commission, Council,
 *   Court ...) defines that word, so "the Commission" after "the European
 *   Commission" is found;
 * - repeat: a visible one-token entity of a "repeat" label defines its own
 *   text, so a name a rule found once from its context ("the ruling
 *   Frelimo party") is found again where the context is missing ("For
 *   Frelimo, 2005 ...").
 *
 * A token whose normalized form equals an alias (case-sensitive) becomes
 * an entity with the label of the full mention (source "rule:alias",
 * entry: the full mention's text) when it comes AFTER the end of that full
 * mention, lies in no visible entity that is not hidden (hide.h), and its
 * neighbours are not capitalised words outside every entity (so "Jackson"
 * from "Stephen Jackson" is not taken out of "Jackson Heights").  One
 * exception: a surname (an alias of a "surname" label) may lie in a
 * one-token list entity (phase 0) of another label, which it then
 * outranks: after "Michael Sicilia", "Sicilia said" is the person, not the
 * region (its entity gets priority 1).  A sentence in capitals (two words
 * of two or more letters in capitals, no word in lower or title case: an
 * agency headline or dateline) takes every alias but a given name in
 * capitals ("SAMPRAS BEATS IVANISEVIC" before "Pete Sampras ... Goran
 * Ivanisevic"), anywhere in the document, before the full mention too,
 * whatever its neighbours, unless the alias has two labels; such a
 * sentence takes no alias in any other case.  A headline in mixed case
 * (the document's first sentence, when it has at most 16 tokens and
 * others follow) takes aliases before their full mention too ("Kohl says
 * EMU on track" before "Helmut Kohl"), but not a given name and not over
 * a list entry, and with the other checks above.  An alias
 * defined by two full mentions with different labels is dropped from the
 * point where the second appears.  The new entities get priority 0 and a
 * phase after every rule phase that ran; entities are resolved afterwards.
 *
 * model.json:  "aliases": {"surname": ["PERSON"], "acronym": ["ORG"],
 *                           "short_name_suffixes": ["Inc.", "Corp.", ...],
 *                           "heads": ["Commission", "Council", ...],
 *                           "repeat": ["PERSON", "ORG", "GPE", ...]}
 * Place "aliases" after the entity rules (and after "hide"), before the
 * rules that should see the aliases (the "event_rules" stage, rules.h).
 */
#ifndef NERVE_ALIASES_H
#define NERVE_ALIASES_H

#include <glib.h>

#include "doc.h"
#include "model.h"
#include "stage.h"

G_BEGIN_DECLS

typedef struct nerve_aliases nerve_aliases;

/* The labels whose multi-token mentions define surname aliases and those
 * whose mentions define acronyms: NULL-terminated arrays (copied), either
 * may be NULL.  Free with nerve_aliases_free(). */
nerve_aliases *nerve_aliases_new(const char *const *surname_labels,
                                 const char *const *acronym_labels);
void nerve_aliases_free(nerve_aliases *al);

/* Sets the labels whose one-token entities define themselves (NULL-
 * terminated, copied; none by default). */
void nerve_aliases_set_repeat_labels(nerve_aliases *al, const char *const *labels);

/* Sets the short-name suffixes (NULL-terminated, copied; none by default):
 * token texts compared exactly. */
void nerve_aliases_set_short_suffixes(nerve_aliases *al, const char *const *suffixes);

/* Sets the head words (NULL-terminated, copied; none by default): token
 * texts compared exactly. */
void nerve_aliases_set_heads(nerve_aliases *al, const char *const *heads);

/* Adds the alias entities of doc (tokens, sentences and the entities of
 * earlier stages must be there); returns how many it added.  Thread-safe:
 * al is only read. */
guint nerve_aliases_apply(const nerve_aliases *al, nerve_doc *doc);

/* A stage running nerve_aliases_apply(); it takes ownership of al. */
nerve_stage *nerve_aliases_stage_new(nerve_aliases *al);

/* The stage factory: model.json's "aliases" section; errors:
 * NERVE_ERROR_MODEL naming model.json. */
nerve_stage *nerve_aliases_stage_from_model(const nerve_model *model, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_aliases, nerve_aliases_free)

G_END_DECLS

#endif
