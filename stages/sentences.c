/* sentences.c - the sentence splitter (see sentences.h for the rules).
 *
 * Decisions are made on tokens, whose flags already say what matters:
 * TERMINAL (. ! ? ... and their CJK forms), ABBREV (a word that owns its
 * period: U.S., Dr., J.), QUOTE/CLOSE, case, and the whitespace before a
 * token (paragraph breaks).  ICU's sentence iterator is not used: measured
 * here, en@ss=standard still splits after Dr., U.S. and p.m.
 *
 * The hard case is a period that may or may not end a sentence.  After an
 * abbreviation the next word decides: lower case continues the sentence;
 * a title (Dr.) never ends one; a month or number abbreviation before a
 * digit does not; otherwise the sentence ends only when the next word is a
 * common sentence starter ("The", "He", "Le", "Der"), the orthographic
 * evidence Punkt-style splitters use, without training.
 */
#include "nerve/sentences.h"

#include <string.h>

struct nerve_splitter {
    const nerve_tokenizer *tk;
    guint max_tokens;
    GHashTable *starters; /* char* set */
    GHashTable *months;   /* lower-case full month names, for "3. Oktober" */
};

static const char *const default_starters[] = {
    /* English */
    "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We", "I",
    "You", "His", "Her", "Their", "Our", "My", "There", "Here", "In", "On", "At", "By", "For",
    "From", "With", "As", "But", "And", "Or", "So", "Yet", "If", "When", "While", "After", "Before",
    "Since", "Although", "Though", "However", "Meanwhile", "Also", "Earlier", "Later", "Today",
    "Yesterday", "Tomorrow", "Now", "Then", "Still", "Some", "Many", "Most", "Both", "All", "Each",
    "Several", "According", "What", "Who", "Why", "How", "Where", "Which", "Not", "Only", "Under",
    "During", "Despite", "Following", "Last", "Next", "Other", "Such", "Another", "Instead", "Thus",
    "Therefore", "Nevertheless", "Officials", "Police", "Authorities", "Witnesses", "Reports",
    "Sources", "Analysts", "Critics", "Experts", "Residents", "Mr.", "Mrs.", "Ms.", "Dr.",
    /* French */
    "Le", "La", "Les", "Il", "Elle", "Ils", "Elles", "Un", "Une", "Des", "Ce", "Cette", "Ces",
    "Selon", "Mais", "Et", "En", "Dans", "Pour", "Nous", "On", "Au", "Aux", "Du", "Lors", "Depuis",
    "Cependant", "Par", "Sur",
    /* German */
    "Der", "Die", "Das", "Ein", "Eine", "Er", "Sie", "Es", "Wir", "Ich", "Im", "Am", "Auch", "Aber",
    "Und", "Nach", "Mit", "Bei", "Zum", "Zur", "Laut", "Dies", "Diese", "Dieser", "Seit", "Doch",
    NULL};

static const char *const month_names[] = {
    "january",   "february", "march",    "april",     "may",     "june",     "july",     "august",
    "september", "october",  "november", "december",  "januar",  "februar",  "märz",     "mai",
    "juni",      "juli",     "oktober",  "dezember",  "janvier", "février",  "mars",     "avril",
    "juin",      "juillet",  "août",     "septembre", "octobre", "novembre", "décembre", NULL};

/* Whether tok is a German article or preposition, after which "N." is
 * an ordinal ("der 1. FC Köln", "zum 2. Mal"), never a sentence end. */
static gboolean ordinal_before(const nerve_token *tok)
{
    static const char *const words[] = {"der", "die", "das", "den", "dem",  "des", "am",
                                        "im",  "vom", "zum", "zur", "beim", "ins", NULL};
    for (const char *const *w = words; *w; w++)
        if (tok->lower.len == strlen(*w) && !memcmp(tok->lower.s, *w, tok->lower.len))
            return TRUE;
    return FALSE;
}

nerve_splitter *nerve_splitter_new(const nerve_tokenizer *tk, const char *const *starters)
{
    nerve_splitter *sp = g_new0(nerve_splitter, 1);
    sp->tk = tk;
    sp->max_tokens = 1000;
    sp->starters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    sp->months = g_hash_table_new(g_str_hash, g_str_equal);
    for (const char *const *s = starters ? starters : default_starters; *s; s++)
        g_hash_table_add(sp->starters, g_strdup(*s));
    for (const char *const *s = month_names; *s; s++)
        g_hash_table_add(sp->months, (gpointer)*s);
    return sp;
}

void nerve_splitter_set_max_tokens(nerve_splitter *sp, guint max)
{
    sp->max_tokens = max ? max : 1000;
}

void nerve_splitter_free(nerve_splitter *sp)
{
    if (!sp)
        return;
    g_hash_table_destroy(sp->starters);
    g_hash_table_destroy(sp->months);
    g_free(sp);
}

static gboolean in_set(GHashTable *set, const nerve_str *s)
{
    char buf[48];
    if (s->len >= sizeof buf)
        return FALSE;
    memcpy(buf, s->s, s->len);
    buf[s->len] = '\0';
    return g_hash_table_contains(set, buf);
}

static gboolean starts_lower(const nerve_token *t)
{
    if (t->flags & NERVE_TOKEN_LOWER)
        return TRUE;
    unsigned char b = t->norm.len ? (unsigned char)t->norm.s[0] : 0x80;
    if (b < 0x80)
        return b >= 'a' && b <= 'z'; /* the lower-case letters of ASCII */
    /* "iPhone", "eBay": the first letter decides */
    gunichar c = g_utf8_get_char_validated(t->norm.s, t->norm.len);
    return c != (gunichar)-1 && c != (gunichar)-2 && g_unichar_islower(c);
}

static gboolean starts_upper(const nerve_token *t)
{
    gunichar c = g_utf8_get_char_validated(t->norm.s, t->norm.len);
    return c != (gunichar)-1 && c != (gunichar)-2 && (g_unichar_isupper(c) || g_unichar_istitle(c));
}

/* The first word-like token at or after j (skipping opening quotes and
 * brackets), or NULL. */
static const nerve_token *next_word(const nerve_token *t, size_t n, size_t j)
{
    for (; j < n; j++)
        if (!(t[j].flags & (NERVE_TOKEN_QUOTE | NERVE_TOKEN_OPEN)))
            return &t[j];
    return NULL;
}

/* Does a sentence end after the terminal or abbreviation token i, whose
 * trailing quotes and brackets end at j (exclusive)? */
static gboolean ends_here(const nerve_splitter *sp, const nerve_token *t, size_t n, size_t i,
                          size_t j)
{
    if (j >= n)
        return TRUE;
    const nerve_token *cur = &t[i], *w = next_word(t, n, j);
    if (t[j].flags & NERVE_TOKEN_PARA_BEFORE)
        return TRUE;
    if (!w)
        return TRUE;
    gboolean cjk = cur->norm.len && (unsigned char)cur->norm.s[0] >= 0x80;
    if (cjk)
        return TRUE; /* 。！？ need no space */
    if (!(t[j].flags & NERVE_TOKEN_SPACE_BEFORE) && !(t[j].flags & NERVE_TOKEN_QUOTE))
        return FALSE; /* "Yahoo!News", "end.Next": no space, no break */
    if (starts_lower(w))
        return FALSE;
    gboolean quoted = j > i + 1; /* a quote or bracket closed after the period */

    if (cur->flags & NERVE_TOKEN_TERMINAL) {
        if (cur->norm.s[0] == '.' && cur->norm.len == 1 && i > 0 &&
            (t[i - 1].flags & NERVE_TOKEN_DIGIT) && t[i - 1].norm.len <= 2 &&
            !(cur->flags & NERVE_TOKEN_SPACE_BEFORE)) {
            /* German and Danish ordinals: "am 3. Oktober", "der 2. Bundesliga" */
            char buf[16];
            if (w->lower.len < sizeof buf) {
                memcpy(buf, w->lower.s, w->lower.len);
                buf[w->lower.len] = '\0';
                if (g_hash_table_contains(sp->months, buf))
                    return FALSE;
            }
            if (i > 1 && ordinal_before(&t[i - 2]))
                return FALSE;
        }
        return TRUE;
    }

    /* an abbreviation that owns its period */
    nerve_abbrev_class cls = nerve_tokenizer_abbrev_class(sp->tk, cur->norm.s, cur->norm.len);
    if (cls == NERVE_ABBREV_TITLE)
        return FALSE;
    if ((cls == NERVE_ABBREV_MONTH || cls == NERVE_ABBREV_NUMBER) &&
        (w->flags & (NERVE_TOKEN_DIGIT | NERVE_TOKEN_NUMBER)))
        return FALSE;
    if (quoted)
        return TRUE; /* etc." Then */
    if (in_set(sp->starters, &w->norm))
        return TRUE;
    if (cls == NERVE_ABBREV_END && starts_upper(w) && !(cur->flags & NERVE_TOKEN_INITIAL))
        return !(w->flags & NERVE_TOKEN_ABBREV); /* "Inc. Chairman" is rarer than "etc. Next" */
    return FALSE;
}

/* Does a line break before token i end a sentence?  Where the line
 * before ends in a number or a colon and the next begins with no lower-case
 * word: the lines of a results table or scorecard, a dateline ("LONDON
 * 1996-08-31"), a heading with a colon.  Prose wrapped at a line width
 * rarely breaks there. */
static gboolean line_ends(const nerve_token *t, size_t n, size_t i)
{
    const nerve_token *p = &t[i - 1], *w = next_word(t, n, i);
    if (!w || starts_lower(w) || !p->norm.len)
        return FALSE;
    char last = p->norm.s[p->norm.len - 1];
    return (last >= '0' && last <= '9') || (p->norm.len == 1 && last == ':');
}

void nerve_split_sentences(const nerve_splitter *sp, nerve_doc *doc)
{
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    size_t start = 0, i = 0;
    gboolean cut = FALSE;
    while (i < n) {
        /* Most tokens are no period and start no paragraph: skip them
         * (up to the length limit), then look at the one found. */
        size_t limit = MIN(n, start + sp->max_tokens);
        while (i < limit && !(t[i].flags & (NERVE_TOKEN_TERMINAL | NERVE_TOKEN_ABBREV |
                                            NERVE_TOKEN_PARA_BEFORE | NERVE_TOKEN_NEWLINE_BEFORE)))
            i++;
        if (i == n)
            break;
        if (i - start >= sp->max_tokens) {
            nerve_doc_add_sentence(doc, (uint32_t)start, (uint32_t)i);
            t = nerve_doc_tokens(doc, &n);
            start = i;
            cut = TRUE;
        }
        if (i > start && ((t[i].flags & NERVE_TOKEN_PARA_BEFORE) ||
                          ((t[i].flags & NERVE_TOKEN_NEWLINE_BEFORE) && line_ends(t, n, i)))) {
            nerve_doc_add_sentence(doc, (uint32_t)start, (uint32_t)i);
            t = nerve_doc_tokens(doc, &n);
            start = i;
        }
        gboolean period = (t[i].flags & NERVE_TOKEN_TERMINAL) ||
                          ((t[i].flags & NERVE_TOKEN_ABBREV) && t[i].norm.len &&
                           t[i].norm.s[t[i].norm.len - 1] == '.');
        if (!period) {
            i++;
            continue;
        }
        /* closing quotes and brackets right after the terminal stay */
        size_t j = i + 1;
        while (j < n && (t[j].flags & (NERVE_TOKEN_QUOTE | NERVE_TOKEN_CLOSE)) &&
               !(t[j].flags & NERVE_TOKEN_SPACE_BEFORE))
            j++;
        /* a straight quote after a space that closes the quote ("...said. " Also") is
         * rare; one that opens the next sentence is common: leave it */
        if (ends_here(sp, t, n, i, j)) {
            nerve_doc_add_sentence(doc, (uint32_t)start, (uint32_t)j);
            t = nerve_doc_tokens(doc, &n);
            start = j;
        }
        i = j;
    }
    if (start < n)
        nerve_doc_add_sentence(doc, (uint32_t)start, (uint32_t)n);
    if (cut)
        nerve_doc_add_warning(doc, "a sentence longer than --max-sentence-tokens=%u tokens was cut",
                              sp->max_tokens);
}

static gboolean sentences_stage(const void *self, nerve_doc *doc, GError **error)
{
    (void)error;
    nerve_split_sentences(self, doc);
    return TRUE;
}

nerve_stage *nerve_sentences_stage_new(const nerve_splitter *sp)
{
    return nerve_stage_new("sentences", sentences_stage, (void *)sp, NULL);
}
