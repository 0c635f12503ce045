/* aliases.c - the aliases stage (aliases.h): a surname, an acronym, a
 * short company name or a one-word name seen after a full mention earlier
 * in the document becomes an entity; in a headline set in capitals, one
 * seen anywhere in it.
 *
 * One pass over the entities collects the definitions (alias string,
 * label, first token where it may be used), sorted by that token so the
 * earliest full mention defines an alias and a later one with another
 * label only closes it.  They go into a small open-addressing table keyed
 * by the tokens' precomputed norm hashes, so the pass over the tokens
 * costs a flag test per token and a probe per capitalised token: no string
 * is hashed per token, and nothing is allocated unless the document has
 * definitions.  Aliases are single tokens; a multi-token repeat of a full
 * name is the rules' business.
 */
#include "nerve/aliases.h"

#include <string.h>

#include "nerve/error.h"
#include "nerve/hash.h"
#include "nerve/utf8.h"

struct nerve_aliases {
    const char **surname, **acronym; /* interned, NULL-terminated */
    const char **repeat;             /* interned, NULL-terminated */
    char **suffixes;                 /* short-name suffixes, NULL-terminated */
    char **heads;                    /* head words of organisations, NULL-terminated */
};

typedef struct {
    const char *s; /* the alias: a token's norm form, or a string in the doc arena */
    uint32_t len, hash;
    const char *label;
    uint32_t from;     /* first token where the alias may be used */
    uint32_t closed;   /* from here on the alias is ambiguous (UINT32_MAX: never) */
    uint32_t ent;      /* index of the full mention */
    uint32_t acr_tok;  /* the ACR token of "Name (ACR)", or UINT32_MAX */
    const char *entry; /* the full mention's text, copied on first use */
    gboolean
        after_the;  /* a head word: an alias only after "the" (the Court, not Court officials) */
    gboolean given; /* a given name: not as a sentence's first word (Will, Grace, Hope) */
    gboolean mixed; /* used in sentences that are not in capitals */
    gboolean caps;  /* used in sentences in capitals (headlines): its text has no lower case */
} def;

typedef struct {
    GArray *defs;  /* def */
    uint32_t *tab; /* 1-based def indexes, 0 empty */
    uint32_t mask;
    uint8_t *cover; /* per token: 0 free, 1 in a hidden entity only, 2 in an entity */
    /* per token: bit 0 in a one-token list entry of a label that is no
       surname label (Sicilia, GPE), bit 1 in another visible entity, bit 2
       the first token of a visible entity of a surname label */
    uint8_t *kind;
} work;

static const char **intern_all(const char *const *labels)
{
    guint n = 0;
    while (labels && labels[n])
        n++;
    const char **out = g_new(const char *, n + 1);
    for (guint i = 0; i < n; i++)
        out[i] = g_intern_string(labels[i]);
    out[n] = NULL;
    return out;
}

nerve_aliases *nerve_aliases_new(const char *const *surname_labels,
                                 const char *const *acronym_labels)
{
    nerve_aliases *al = g_new0(nerve_aliases, 1);
    al->surname = intern_all(surname_labels);
    al->acronym = intern_all(acronym_labels);
    al->suffixes = g_new0(char *, 1);
    al->heads = g_new0(char *, 1);
    al->repeat = intern_all(NULL);
    return al;
}

void nerve_aliases_set_repeat_labels(nerve_aliases *al, const char *const *labels)
{
    g_free(al->repeat);
    al->repeat = intern_all(labels);
}

void nerve_aliases_set_short_suffixes(nerve_aliases *al, const char *const *suffixes)
{
    g_strfreev(al->suffixes);
    al->suffixes = g_strdupv((char **)(suffixes ? suffixes : (const char *const[]){NULL}));
}

void nerve_aliases_set_heads(nerve_aliases *al, const char *const *heads)
{
    g_strfreev(al->heads);
    al->heads = g_strdupv((char **)(heads ? heads : (const char *const[]){NULL}));
}

void nerve_aliases_free(nerve_aliases *al)
{
    if (!al)
        return;
    g_free(al->surname);
    g_free(al->acronym);
    g_free(al->repeat);
    g_strfreev(al->suffixes);
    g_strfreev(al->heads);
    g_free(al);
}

static gboolean has_label(const char *const *set, const char *label)
{
    for (; *set; set++)
        if (*set == label)
            return TRUE;
    return FALSE;
}

/* --- token tests -------------------------------------------------------------- */

/* A capitalised word: starts with an upper-case letter, no digits,
 * punctuation or symbols only. */
static gboolean name_word(const nerve_token *t)
{
    if (t->flags & (NERVE_TOKEN_PUNCT | NERVE_TOKEN_DIGIT | NERVE_TOKEN_NUMBER |
                    NERVE_TOKEN_SYMBOL | NERVE_TOKEN_URL | NERVE_TOKEN_EMAIL | NERVE_TOKEN_HASHTAG |
                    NERVE_TOKEN_MENTION | NERVE_TOKEN_EMOJI))
        return FALSE;
    if (!t->norm.len || t->flags & NERVE_TOKEN_LOWER)
        return FALSE;
    return g_unichar_isupper(g_utf8_get_char(t->norm.s));
}

static gboolean same(const nerve_str *s, const char *lit)
{
    return s->len == strlen(lit) && !memcmp(s->s, lit, s->len);
}

static gboolean name_suffix(const nerve_token *t)
{
    static const char *const suffixes[] = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"};
    for (guint i = 0; i < G_N_ELEMENTS(suffixes); i++)
        if (same(&t->norm, suffixes[i]))
            return TRUE;
    return FALSE;
}

/* 2 to 10 ASCII upper-case letters, digits, & and -, two letters at least. */
static gboolean acronym_word(const nerve_token *t)
{
    if (t->norm.len < 2 || t->norm.len > 10 || !(t->flags & NERVE_TOKEN_UPPER))
        return FALSE;
    guint letters = 0;
    for (uint32_t i = 0; i < t->norm.len; i++) {
        char c = t->norm.s[i];
        if (c >= 'A' && c <= 'Z')
            letters++;
        else if (!(c >= '0' && c <= '9') && c != '&' && c != '-')
            return FALSE;
    }
    return letters >= 2;
}

/* --- definitions -------------------------------------------------------------- */

static def *add_def(work *w, const char *s, uint32_t len, const char *label, uint32_t from,
                    uint32_t ent)
{
    def d = {s,     len,        nerve_hash(s, len),
             label, from,       UINT32_MAX,
             ent,   UINT32_MAX, NULL,
             FALSE, FALSE,      TRUE,
             FALSE};
    g_array_append_val(w->defs, d);
    return &g_array_index(w->defs, def, w->defs->len - 1);
}

/* The initials of the capitalised words of e, into the doc arena. */
static void add_initials(work *w, nerve_doc *doc, const nerve_token *toks, const nerve_entity *e,
                         uint32_t ent)
{
    char buf[12];
    guint n = 0;
    for (uint32_t t = e->tok_start; t < e->tok_end; t++) {
        if (!name_word(&toks[t]))
            continue;
        char c = toks[t].norm.s[0];
        if (c < 'A' || c > 'Z' || n == 10)
            return; /* non-ASCII initial or too long: no acronym */
        buf[n++] = c;
    }
    if (n >= 2)
        add_def(w, nerve_doc_strdup(doc, buf, n), n, e->label, e->tok_end, ent);
}

static int by_from(gconstpointer a, gconstpointer b)
{
    const def *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->ent < y->ent ? -1 : x->ent > y->ent;
}

/* Whether t is one of the words of list (NULL-terminated). */
static gboolean in_words(char *const *list, const nerve_token *t)
{
    for (char *const *s = list; *s; s++)
        if (same(&t->norm, *s))
            return TRUE;
    return FALSE;
}

static gboolean short_suffix(const nerve_aliases *al, const nerve_token *t)
{
    return in_words(al->suffixes, t);
}

/* Kmart Corp. -> Kmart; Sears, Roebuck & Co. -> Sears */
static void add_short_name(const nerve_aliases *al, work *w, const nerve_token *toks,
                           const nerve_entity *e, uint32_t ent)
{
    const nerve_token *first = &toks[e->tok_start], *next = first + 1;
    if (e->tok_end - e->tok_start < 2 || !short_suffix(al, &toks[e->tok_end - 1]) ||
        !name_word(first) || g_utf8_strlen(first->norm.s, first->norm.len) < 2)
        return;
    if (next == &toks[e->tok_end - 1] || same(&next->norm, ","))
        add_def(w, first->norm.s, first->norm.len, e->label, e->tok_end, ent);
}

/* Per sentence: 1 when it is set in capitals, two words of two letters or
 * more in capitals and no word in lower or title case; NULL when no
 * sentence is.  Most sentences show a lower-case word within a few
 * tokens, where the scan of each stops. */
static uint8_t *caps_sentences(const nerve_doc *doc, const nerve_token *toks, size_t n_tok)
{
    size_t n_sent;
    const nerve_sentence *sents = nerve_doc_sentences(doc, &n_sent);
    uint8_t *caps = NULL;
    for (size_t s = 0; s < n_sent; s++) {
        guint upper = 0;
        uint32_t t = sents[s].tok_start, end = MIN(sents[s].tok_end, (uint32_t)n_tok);
        for (; t < end; t++) {
            uint32_t f = toks[t].flags;
            if (f & NERVE_TOKEN_LOWER || (f & NERVE_TOKEN_TITLE && !(f & NERVE_TOKEN_UPPER)))
                break;
            if (f & NERVE_TOKEN_UPPER && f & NERVE_TOKEN_ALPHA && toks[t].norm.len >= 2)
                upper++;
        }
        if (t < end || upper < 2)
            continue;
        if (!caps)
            caps = g_malloc0(n_sent);
        caps[s] = 1;
    }
    return caps;
}

/* Agency headlines and datelines are set in capitals ("SAMPRAS BEATS
 * IVANISEVIC"): every definition but a given name is also usable in
 * capitals there, by a copy in capitals unless its text already is. */
static void add_caps(nerve_doc *doc, work *w)
{
    guint n = w->defs->len;
    for (guint i = 0; i < n; i++) {
        def d = g_array_index(w->defs, def, i);
        if (d.given)
            continue;
        g_autofree char *up = nerve_utf8_caps_variant(d.s, d.len, 0);
        if (!up) { /* in capitals already: an acronym */
            g_array_index(w->defs, def, i).caps = TRUE;
            continue;
        }
        size_t len = strlen(up);
        def *c = add_def(w, nerve_doc_strdup(doc, up, len), (uint32_t)len, d.label, d.from, d.ent);
        c->after_the = d.after_the;
        c->mixed = FALSE;
        c->caps = TRUE;
    }
}

/* Collects every definition of the document and marks token coverage. */
static void collect(const nerve_aliases *al, nerve_doc *doc, work *w, gboolean caps)
{
    size_t n_ent, n_tok;
    const nerve_entity *ents = nerve_doc_entities(doc, &n_ent);
    const nerve_token *toks = nerve_doc_tokens(doc, &n_tok);
    for (size_t i = 0; i < n_ent; i++) {
        const nerve_entity *e = &ents[i];
        if (e->flags & NERVE_ENTITY_DROPPED || e->tok_end > n_tok)
            continue;
        uint8_t c = e->flags & NERVE_ENTITY_HIDDEN ? 1 : 2;
        for (uint32_t t = e->tok_start; t < e->tok_end; t++)
            w->cover[t] = MAX(w->cover[t], c);
        if (c == 1)
            continue;
        gboolean entry =
            e->phase == 0 && e->tok_end - e->tok_start == 1 && !has_label(al->surname, e->label);
        for (uint32_t t = e->tok_start; t < e->tok_end; t++)
            w->kind[t] |= entry ? 1 : 2;
        if (has_label(al->surname, e->label))
            w->kind[e->tok_start] |= 4;
        if (has_label(al->surname, e->label) && e->tok_end - e->tok_start >= 2) {
            uint32_t last = e->tok_end - 1;
            while (last > e->tok_start + 1 && name_suffix(&toks[last]))
                last--;
            const nerve_token *t = &toks[last];
            if (name_word(t) && g_utf8_strlen(t->norm.s, t->norm.len) >= 2 && !name_suffix(t))
                add_def(w, t->norm.s, t->norm.len, e->label, e->tok_end, (uint32_t)i);
            /* the given name too (Marilyn Monroe ... Marilyn), unless it is
               an initial or the first part of a hyphenated one (Jean-Pierre) */
            const nerve_token *g = &toks[e->tok_start];
            if (name_word(g) && !(g->flags & (NERVE_TOKEN_INITIAL | NERVE_TOKEN_ABBREV)) &&
                g_utf8_strlen(g->norm.s, g->norm.len) >= 2 && !same(&g[1].norm, "-"))
                add_def(w, g->norm.s, g->norm.len, e->label, e->tok_end, (uint32_t)i)->given = TRUE;
        }
        const nerve_token *one = &toks[e->tok_start];
        if (e->tok_end - e->tok_start == 1 && has_label(al->repeat, e->label) && name_word(one) &&
            g_utf8_strlen(one->norm.s, one->norm.len) >= 2)
            add_def(w, one->norm.s, one->norm.len, e->label, e->tok_end, (uint32_t)i);
        if (!has_label(al->acronym, e->label))
            continue;
        uint32_t p = e->tok_end;
        if (p + 2 < n_tok && toks[p].sentence == toks[p + 2].sentence && same(&toks[p].norm, "(") &&
            acronym_word(&toks[p + 1]) && same(&toks[p + 2].norm, ")")) {
            add_def(w, toks[p + 1].norm.s, toks[p + 1].norm.len, e->label, p + 1, (uint32_t)i)
                ->acr_tok = p + 1;
        }
        if (e->tok_end - e->tok_start >= 2)
            add_initials(w, doc, toks, e, (uint32_t)i);
        add_short_name(al, w, toks, e, (uint32_t)i);
        const nerve_token *last = &toks[e->tok_end - 1];
        if (e->tok_end - e->tok_start >= 2 && in_words(al->heads, last))
            add_def(w, last->norm.s, last->norm.len, e->label, e->tok_end, (uint32_t)i)->after_the =
                TRUE;
    }
    if (caps)
        add_caps(doc, w);
    g_array_sort(w->defs, by_from);
}

/* Builds the table: the earliest definition of a string wins; a later one
 * with another label closes it. */
static void build_table(work *w)
{
    uint32_t size = 16;
    while (size < 2 * w->defs->len)
        size *= 2;
    w->mask = size - 1;
    w->tab = g_new0(uint32_t, size);
    for (guint i = 0; i < w->defs->len; i++) {
        def *d = &g_array_index(w->defs, def, i);
        uint32_t h = d->hash & w->mask;
        for (;; h = (h + 1) & w->mask) {
            uint32_t k = w->tab[h];
            if (!k) {
                w->tab[h] = i + 1;
                break;
            }
            def *o = &g_array_index(w->defs, def, k - 1);
            if (o->hash == d->hash && o->len == d->len && !memcmp(o->s, d->s, d->len)) {
                if (o->label != d->label && o->closed == UINT32_MAX)
                    o->closed = d->from;
                else if (o->label == d->label && d->acr_tok != UINT32_MAX)
                    o->acr_tok = d->acr_tok; /* initials defined in the text as well */
                if (o->label == d->label) {
                    o->mixed |= d->mixed;
                    o->caps |= d->caps;
                }
                break;
            }
        }
    }
}

static def *lookup(const work *w, const nerve_str *s)
{
    for (uint32_t h = s->hash & w->mask;; h = (h + 1) & w->mask) {
        uint32_t k = w->tab[h];
        if (!k)
            return NULL;
        def *d = &g_array_index(w->defs, def, k - 1);
        if (d->hash == s->hash && d->len == s->len && !memcmp(d->s, s->s, s->len))
            return d;
    }
}

/* --- matching ----------------------------------------------------------------- */

/* The end of the document's headline: its first sentence when that is
 * short (HEADLINE_MAX tokens at most) and others follow; 0 when there is
 * none.  A headline names people before the text does in full ("Kohl says
 * EMU on track" before "German Chancellor Helmut Kohl said"). */
#define HEADLINE_MAX 16
static uint32_t headline_end(const nerve_doc *doc)
{
    size_t n_sent;
    const nerve_sentence *sents = nerve_doc_sentences(doc, &n_sent);
    if (n_sent < 2 || sents[0].tok_end - sents[0].tok_start > HEADLINE_MAX)
        return 0;
    return sents[0].tok_end;
}

/* A capitalised word next to t (same sentence) outside every entity: t is
 * then part of a longer name nobody recognised.  A sentence's first word
 * does not count ("The", "But"). */
static gboolean loose_neighbour(const nerve_token *toks, size_t n_tok, const uint8_t *cover,
                                uint32_t t)
{
    if (t > 0 && toks[t - 1].sentence == toks[t].sentence && !cover[t - 1] &&
        name_word(&toks[t - 1]) && (t < 2 || toks[t - 2].sentence == toks[t].sentence))
        return TRUE;
    return t + 1 < n_tok && toks[t + 1].sentence == toks[t].sentence && !cover[t + 1] &&
           name_word(&toks[t + 1]);
}

static nerve_entity *add_alias(nerve_doc *doc, def *d, uint32_t t, const char *source,
                               uint32_t phase)
{
    if (!d->entry) {
        size_t len, n_ent;
        const char *text = nerve_doc_text(doc, &len);
        const nerve_entity *full = &nerve_doc_entities(doc, &n_ent)[d->ent];
        d->entry = nerve_doc_strdup(doc, text + full->start, full->end - full->start);
    }
    nerve_entity *e = nerve_doc_add_entity(doc);
    e->tok_start = t;
    e->tok_end = t + 1;
    nerve_doc_entity_span(doc, e);
    e->label = d->label;
    e->source = source;
    e->entry = d->entry;
    e->phase = phase;
    e->order = t;
    return e;
}

static uint32_t next_phase(const nerve_doc *doc)
{
    size_t n;
    const nerve_entity *ents = nerve_doc_entities(doc, &n);
    uint32_t phase = 0;
    for (size_t i = 0; i < n; i++)
        phase = MAX(phase, ents[i].phase);
    return phase + 1;
}

guint nerve_aliases_apply(const nerve_aliases *al, nerve_doc *doc)
{
    size_t n_tok;
    const nerve_token *toks = nerve_doc_tokens(doc, &n_tok);
    if (!n_tok || (!al->surname[0] && !al->acronym[0] && !al->repeat[0]))
        return 0;
    uint8_t *marks = g_malloc0(2 * n_tok); /* cover, then kind */
    work w = {g_array_new(FALSE, FALSE, sizeof(def)), NULL, 0, marks, marks + n_tok};
    uint8_t *caps = caps_sentences(doc, toks, n_tok);
    collect(al, doc, &w, caps != NULL);
    guint added = 0;
    if (w.defs->len) {
        build_table(&w);
        uint32_t phase = next_phase(doc);
        const char *src_alias = g_intern_static_string("rule:alias");
        const char *src_acr = g_intern_static_string("rule:acronym");
        uint32_t head_end = headline_end(doc);
        for (uint32_t t = 0; t < n_tok; t++) {
            /* a surname met alone in a list entry (Michael Sicilia ...
               Sicilia) is the person in this document: the alias outranks
               the entry */
            gboolean over = w.cover[t] == 2 && w.kind[t] == 1;
            if ((w.cover[t] == 2 && !over) || !name_word(&toks[t]))
                continue;
            def *d = lookup(&w, &toks[t].norm);
            if (!d || (over && !has_label(al->surname, d->label)) ||
                (d->after_the && (t == 0 || !same(&toks[t - 1].lower, "the"))))
                continue;
            /* no surname right before another person's name: King Charles
               III after Stephen King (the word is a title there) */
            if (has_label(al->surname, d->label) && t + 1 < n_tok &&
                toks[t + 1].sentence == toks[t].sentence && w.kind[t + 1] & 4)
                continue;
            /* a headline in capitals comes before the full mention and
               all its words are capitalised: the alias holds anywhere in
               the document unless it is ambiguous */
            if (caps && caps[toks[t].sentence]
                    ? !d->caps || d->closed != UINT32_MAX
                    : !d->mixed || (t < d->from && (t >= head_end || d->given || over)) ||
                          t >= d->closed || loose_neighbour(toks, n_tok, w.cover, t) ||
                          (d->given && (t == 0 || toks[t - 1].sentence != toks[t].sentence)))
                continue;
            add_alias(doc, d, t, t == d->acr_tok ? src_acr : src_alias, phase)->priority = over;
            w.cover[t] = 2;
            w.kind[t] = 2;
            added++;
        }
    }
    g_free(caps);
    if (added)
        nerve_doc_resolve_entities(doc);
    g_array_free(w.defs, TRUE);
    g_free(w.tab);
    g_free(marks);
    return added;
}

/* --- stage -------------------------------------------------------------------- */

static gboolean process(const void *self, nerve_doc *doc, GError **error)
{
    (void)error;
    nerve_aliases_apply(self, doc);
    return TRUE;
}

nerve_stage *nerve_aliases_stage_new(nerve_aliases *al)
{
    return nerve_stage_new("aliases", process, al, (GDestroyNotify)nerve_aliases_free);
}

/* The labels of key in sec as a NULL-terminated array of borrowed strings. */
static GPtrArray *labels_of(const nerve_model *model, json_t *sec, const char *key, GError **error)
{
    json_t *arr = json_object_get(sec, key);
    g_autoptr(GPtrArray) out = g_ptr_array_new();
    gboolean ok = !arr || json_is_array(arr);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        ok = ok && json_is_string(v) && *json_string_value(v);
        if (ok)
            g_ptr_array_add(out, (gpointer)json_string_value(v));
    }
    if (!ok) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                    "%s/model.json: aliases.%s must be an array of strings", nerve_model_dir(model),
                    key);
        return NULL;
    }
    g_ptr_array_add(out, NULL);
    return g_steal_pointer(&out);
}

nerve_stage *nerve_aliases_stage_from_model(const nerve_model *model, GError **error)
{
    json_t *sec = nerve_model_section(model, "aliases");
    if (sec && !json_is_object(sec)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                    "%s/model.json: \"aliases\" must be an object", nerve_model_dir(model));
        return NULL;
    }
    enum { SURNAME, ACRONYM, SUFFIXES, HEADS, REPEAT, N_KEYS };
    static const char *const keys[N_KEYS] = {"surname", "acronym", "short_name_suffixes", "heads",
                                             "repeat"};
    GPtrArray *lists[N_KEYS] = {NULL};
    gboolean ok = TRUE;
    for (int k = 0; k < N_KEYS && ok; k++)
        ok = (lists[k] = labels_of(model, sec, keys[k], error)) != NULL;
    nerve_aliases *al = NULL;
    if (ok) {
#define WORDS(k) ((const char *const *)lists[k]->pdata)
        al = nerve_aliases_new(WORDS(SURNAME), WORDS(ACRONYM));
        nerve_aliases_set_short_suffixes(al, WORDS(SUFFIXES));
        nerve_aliases_set_heads(al, WORDS(HEADS));
        nerve_aliases_set_repeat_labels(al, WORDS(REPEAT));
#undef WORDS
    }
    for (int k = 0; k < N_KEYS; k++)
        if (lists[k])
            g_ptr_array_free(lists[k], TRUE);
    if (!al)
        return NULL;
    return nerve_aliases_stage_new(al);
}
