/* test-aliases.c - the document-level stages of a model: aliases (surnames
 * and acronyms after a full mention), hide (internal labels), and the
 * event_rules stage that runs after them. */
#include <glib/gstdio.h>
#include <string.h>

#include "rules-test.h"

static const char *const PERSON_ONLY[] = {"PERSON", NULL};
static const char *const ORG_ONLY[] = {"ORG", NULL};

static const char *alias_mark(const nerve_entity *e)
{
    return strncmp(e->source, "rule:a", 6) ? "" : e->source[6] == 'l' ? "(alias)" : "(acronym)";
}

/* Runs the aliases stage al (NULL: PERSON surnames, ORG acronyms) on doc,
 * then finish; returns the written entities with their sources. */
static char *aliases_of(nerve_aliases *al, nerve_doc *doc)
{
    g_autoptr(nerve_aliases) own = al ? NULL : nerve_aliases_new(PERSON_ONLY, ORG_ONLY);
    nerve_aliases_apply(al ? al : own, doc);
    nerve_doc_finish(doc, FALSE);
    return ents_marked(doc, alias_mark);
}

#define ASSERT_ALIASES_WITH(al, doc, want)                                                         \
    do {                                                                                           \
        g_autofree char *got_ = aliases_of(al, doc);                                               \
        g_assert_cmpstr(got_, ==, want);                                                           \
        nerve_doc_free(doc);                                                                       \
    } while (0)
#define ASSERT_ALIASES(doc, want) ASSERT_ALIASES_WITH(NULL, doc, want)

static void test_surname(void)
{
    nerve_doc *doc = prep("The talks began. Modi spoke first. Prime Minister Narendra Modi met "
                          "them. Later Modi said so, and Modi's aides agreed.");
    add_ent(doc, "Narendra Modi", "PERSON");
    /* the mention before the full name stays unrecognised (outside a
       headline: test_headline) */
    ASSERT_ALIASES(doc, "PERSON:Narendra Modi | PERSON:Modi(alias) | PERSON:Modi(alias)");
}

/* the given name too, but not as a sentence's first word (Will, Grace),
 * not an initial, not the first part of a hyphenated name */
static void test_given(void)
{
    nerve_doc *doc = prep("Marilyn Monroe smiled. Warhol painted Marilyn twice. Marilyn, he "
                          "said, agreed. Jean-Pierre Blanc and J. Smith came; then Jean and J. "
                          "left.");
    add_ent(doc, "Marilyn Monroe", "PERSON");
    add_ent(doc, "Jean-Pierre Blanc", "PERSON");
    add_ent(doc, "J. Smith", "PERSON");
    ASSERT_ALIASES(doc,
                   "PERSON:Marilyn Monroe | PERSON:Marilyn(alias) | PERSON:Jean-Pierre Blanc | "
                   "PERSON:J. Smith");
}

/* a headline in capitals takes the aliases of the whole document, in
 * capitals, before their full mention too; not a given name, not in a
 * sentence that is not in capitals, not an alias with two labels */
static void test_caps(void)
{
    nerve_doc *doc = prep("SAMPRAS BEATS IVANISEVIC AND PIB. MARILYN WINS. Pete Sampras beat "
                          "Goran Ivanisevic. The Press Information Bureau (PIB) agreed. Marilyn "
                          "Monroe smiled. Then SAMPRAS said no.");
    add_ent(doc, "Pete Sampras", "PERSON");
    add_ent(doc, "Goran Ivanisevic", "PERSON");
    add_ent(doc, "Press Information Bureau", "ORG");
    add_ent(doc, "Marilyn Monroe", "PERSON");
    ASSERT_ALIASES(doc, "PERSON:SAMPRAS(alias) | PERSON:IVANISEVIC(alias) | ORG:PIB(alias) | "
                        "PERSON:Pete Sampras | PERSON:Goran Ivanisevic | "
                        "ORG:Press Information Bureau | ORG:PIB(acronym) | PERSON:Marilyn Monroe");
    doc = prep("LACY WINS. Alan Lacy spoke. Banco Lacy rose.");
    add_ent(doc, "Alan Lacy", "PERSON");
    add_ent(doc, "Banco Lacy", "ORG");
    const char *const both[] = {"PERSON", "ORG", NULL};
    g_autoptr(nerve_aliases) al = nerve_aliases_new(both, NULL);
    ASSERT_ALIASES_WITH(al, doc, "PERSON:Alan Lacy | ORG:Banco Lacy");
}

/* a short first sentence is a headline: it takes a surname defined later
 * (not a given name); a long one does not */
static void test_headline(void)
{
    nerve_doc *doc = prep("Kohl and Helmut win vote. Chancellor Helmut Kohl won. Later Kohl "
                          "spoke.");
    add_ent(doc, "Helmut Kohl", "PERSON");
    ASSERT_ALIASES(doc, "PERSON:Kohl(alias) | PERSON:Helmut Kohl | PERSON:Kohl(alias)");
    doc = prep("Kohl said on Monday in a long speech to the parliament in Bonn that the budget "
               "would not be cut. Chancellor Helmut Kohl won.");
    add_ent(doc, "Helmut Kohl", "PERSON");
    ASSERT_ALIASES(doc, "PERSON:Helmut Kohl");
}

static void test_surname_entry_and_suffix(void)
{
    nerve_doc *doc = prep("William Henry Gates III founded it. Gates left.");
    add_ent(doc, "William Henry Gates III", "PERSON");
    g_autoptr(nerve_aliases) al = nerve_aliases_new(PERSON_ONLY, NULL);
    g_assert_cmpuint(nerve_aliases_apply(al, doc), ==, 1);
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    g_assert_cmpuint(n, ==, 2);
    g_assert_cmpstr(e[1].label, ==, "PERSON");
    g_assert_cmpstr(e[1].source, ==, "rule:alias");
    g_assert_cmpstr(e[1].entry, ==, "William Henry Gates III");
    g_assert_cmpuint(e[1].phase, >, e[0].phase);
    nerve_doc_free(doc);
}

static void test_not_inside_entities(void)
{
    /* Jackson inside an ORG, beside an unrecognised capitalised word, or
       lower-case is not the person */
    nerve_doc *doc = prep("Stephen Jackson played. Jackson State University won. They met "
                          "in Jackson Heights. A jackson. Jackson scored.");
    add_ent(doc, "Stephen Jackson", "PERSON");
    add_ent(doc, "Jackson State University", "ORG");
    ASSERT_ALIASES(doc, "PERSON:Stephen Jackson | ORG:Jackson State University | "
                        "PERSON:Jackson(alias)");
}

/* a surname that a one-token list entry of another label covers is the
 * person after the full mention; a longer entry or a rule's entity still
 * blocks, and before the full mention the entry stays */
static void test_surname_over_entry(void)
{
    nerve_doc *doc = prep("Sicilia is sunny. Michael Sicilia spoke. Sicilia agreed. The Sicilia "
                          "Region Office replied.");
    add_ent_nth(doc, "Sicilia", 0, "GPE", 0);
    add_ent(doc, "Michael Sicilia", "PERSON");
    add_ent_nth(doc, "Sicilia", 2, "GPE", 0);
    add_ent(doc, "Sicilia Region Office", "ORG");
    ASSERT_ALIASES(doc, "GPE:Sicilia | PERSON:Michael Sicilia | PERSON:Sicilia(alias) | "
                        "ORG:Sicilia Region Office");
}

/* the head word of an organisation after "the": the Commission, not
 * Commission staff at a sentence's start, nor before the full mention */
static void test_heads(void)
{
    nerve_doc *doc = prep("The Commission met. The European Commission said no. Later the "
                          "Commission agreed. Commission staff left. The Court ruled.");
    add_ent(doc, "European Commission", "ORG");
    g_autoptr(nerve_aliases) al = nerve_aliases_new(PERSON_ONLY, ORG_ONLY);
    const char *const heads[] = {"Commission", "Court", NULL};
    nerve_aliases_set_heads(al, heads);
    ASSERT_ALIASES_WITH(al, doc, "ORG:European Commission | ORG:Commission(alias)");
}

static void test_title_neighbour(void)
{
    /* a neighbour inside an entity (even a hidden one) does not block; a
       sentence's first word does not either */
    nerve_doc *doc = prep("Paul Martin spoke. Premier Martin agreed. The Martin plan.");
    add_ent(doc, "Paul Martin", "PERSON");
    add_ent(doc, "Premier", "TITLE");
    const char *const hidden[] = {g_intern_string("TITLE")};
    nerve_hide_labels(doc, hidden, 1);
    ASSERT_ALIASES(doc, "PERSON:Paul Martin | PERSON:Martin(alias) | PERSON:Martin(alias)");
}

static void test_before_person(void)
{
    /* a surname right before another person's name is a title there (King
       Charles III); with a word between, or before a place, it is the
       surname again */
    nerve_doc *doc = prep("Stephen King wrote. King Charles III spoke. King said. King Kenya.");
    add_ent(doc, "Stephen King", "PERSON");
    add_ent(doc, "Charles III", "PERSON");
    add_ent(doc, "Kenya", "GPE");
    ASSERT_ALIASES(doc, "PERSON:Stephen King | PERSON:Charles III | PERSON:King(alias) | "
                        "PERSON:King(alias) | GPE:Kenya");
}

static void test_hidden_never_blocks(void)
{
    nerve_doc *doc = prep("Ben Wallace shoved him. Wallace left.");
    add_ent(doc, "Ben Wallace", "PERSON");
    add_ent_nth(doc, "Wallace", 1, "GIVEN", -1);
    const char *const hidden[] = {g_intern_string("GIVEN")};
    g_assert_cmpuint(nerve_hide_labels(doc, hidden, 1), ==, 1);
    ASSERT_ALIASES(doc, "PERSON:Ben Wallace | PERSON:Wallace(alias)");
}

static void test_acronym_defined(void)
{
    nerve_doc *doc = prep("The talks began. PIB said so. The Press Information Bureau (PIB) "
                          "said it. PIB added that the PIB-run site (PIB) works.");
    add_ent(doc, "Press Information Bureau", "ORG");
    ASSERT_ALIASES(doc, "ORG:Press Information Bureau | ORG:PIB(acronym) | ORG:PIB(alias) | "
                        "ORG:PIB(alias) | ORG:PIB(alias)");
}

static void test_acronym_not_initials(void)
{
    /* a defined acronym need not be the initials; one in parentheses after
       something that is no ORG defines nothing */
    nerve_doc *doc = prep("The Landless Workers Movement (MST) grew. The farm (NFA) is big. "
                          "MST members came. NFA staff left.");
    add_ent(doc, "Landless Workers Movement", "ORG");
    ASSERT_ALIASES(doc, "ORG:Landless Workers Movement | ORG:MST(acronym) | ORG:MST(alias)");
}

static void test_initials(void)
{
    nerve_doc *doc = prep("The NBA fined him. The National Basketball Association said the "
                          "NBA and the NB would act.");
    add_ent(doc, "National Basketball Association", "ORG");
    ASSERT_ALIASES(doc, "ORG:National Basketball Association | ORG:NBA(alias)");
}

static void test_short_name(void)
{
    nerve_doc *doc = prep("Kmart Corp. will buy Sears, Roebuck & Co. and General Motors Corp. "
                          "Sears rose, Kmart fell and General gained.");
    add_ent(doc, "Kmart Corp.", "ORG");
    add_ent(doc, "Sears, Roebuck & Co.", "ORG");
    add_ent(doc, "General Motors Corp.", "ORG");
    const char *const suffixes[] = {"Corp.", "Co.", NULL};
    g_autoptr(nerve_aliases) al = nerve_aliases_new(NULL, ORG_ONLY);
    nerve_aliases_set_short_suffixes(al, suffixes);
    g_assert_cmpuint(nerve_aliases_apply(al, doc), ==, 2);
    nerve_doc_finish(doc, FALSE);
    g_autofree char *got = ents_of(doc);
    g_assert_cmpstr(got, ==,
                    "ORG:Kmart Corp. | ORG:Sears, Roebuck & Co. | "
                    "ORG:General Motors Corp. | ORG:Sears | ORG:Kmart");
    nerve_doc_free(doc);
}

static void test_repeat(void)
{
    nerve_doc *doc = prep("The vote ended. Frelimo won. The ruling Frelimo party won. For "
                          "Frelimo, it is the 30th year. Cabixi is near. Renamo lost.");
    add_ent_nth(doc, "Frelimo", 1, "ORG", 0);
    add_ent(doc, "Renamo", "ORG");
    g_autoptr(nerve_aliases) al = nerve_aliases_new(NULL, NULL);
    g_assert_cmpuint(nerve_aliases_apply(al, doc), ==, 0);
    const char *const labels[] = {"ORG", NULL};
    nerve_aliases_set_repeat_labels(al, labels);
    g_assert_cmpuint(nerve_aliases_apply(al, doc), ==, 1);
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    g_assert_cmpuint(n, ==, 3);
    g_assert_cmpuint(e[2].start, ==, 63); /* the third Frelimo, not the first */
    nerve_doc_free(doc);
}

static void test_ambiguous(void)
{
    /* the same alias from a PERSON and then an ORG: closed from the second */
    nerve_doc *doc = prep("Alan Lacy spoke. Lacy agreed. Banco Lacy rose. Lacy fell.");
    add_ent(doc, "Alan Lacy", "PERSON");
    add_ent(doc, "Banco Lacy", "ORG");
    const char *const both[] = {"PERSON", "ORG", NULL};
    g_autoptr(nerve_aliases) al = nerve_aliases_new(both, NULL);
    g_assert_cmpuint(nerve_aliases_apply(al, doc), ==, 1);
    nerve_doc_free(doc);
    /* labels that are not configured define nothing */
    doc = prep("Hu Jintao came. Jintao left.");
    add_ent(doc, "Hu Jintao", "GPE");
    g_assert_cmpuint(nerve_aliases_apply(al, doc), ==, 0);
    nerve_doc_free(doc);
}

static void test_hide(void)
{
    nerve_doc *doc = prep("Mark Twain wrote.");
    add_ent_nth(doc, "Mark", 0, "GIVEN", -1);
    add_ent(doc, "Mark Twain", "PERSON");
    add_ent_nth(doc, "Twain", 0, "LOC", 5);
    const char *const hidden[] = {g_intern_string("GIVEN"), g_intern_string("TITLE")};
    g_assert_cmpuint(nerve_hide_labels(doc, hidden, 2), ==, 1);
    g_assert_cmpuint(nerve_hide_labels(doc, hidden, 2), ==, 0);
    /* hidden entities take no part in resolution and are never written,
       not even with --overlaps keep */
    nerve_doc_resolve_entities(doc);
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    g_assert_false(e[0].flags & NERVE_ENTITY_DROPPED);
    g_assert_true(e[1].flags & NERVE_ENTITY_DROPPED);
    g_assert_false(e[2].flags & NERVE_ENTITY_DROPPED);
    nerve_doc_finish(doc, TRUE);
    e = nerve_doc_entities(doc, &n);
    for (size_t i = 0; i < n; i++)
        g_assert_cmpuint(e[i].id == 0, ==, e[i].label == g_intern_string("GIVEN"));
    g_assert_cmpuint(nerve_doc_n_dropped(doc), ==, 1);
    nerve_doc_free(doc);
}

/* --- the stages in a model ------------------------------------------------------ */

static char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static const char MODEL_JSON[] =
    "{\"name\": \"t\", \"stages\": [\"normalize\", \"tokenize\", \"sentences\", \"lexicon\","
    " \"rules\", \"hide\", \"aliases\", \"event_rules\"],"
    " \"lexicon\": {\"lemmas\": null, \"bases\": null},"
    " \"rules\": [\"names.rules\"], \"event_rules\": [\"events.rules\"],"
    " \"hide\": {\"labels\": [\"TITLE\"]},"
    " \"aliases\": {\"surname\": [\"PERSON\"], \"acronym\": [\"ORG\"]}}";

static void test_model(void)
{
    g_autofree char *dir = g_dir_make_tmp("nerve-aliases-XXXXXX", NULL);
    g_autofree char *json = write_file(dir, "model.json", MODEL_JSON);
    g_autofree char *names = write_file(dir, "names.rules",
                                        "rule title\n  entity TITLE\n  pattern \"general\"\n"
                                        "rule person\n  entity PERSON\n"
                                        "  pattern (p: \"Ann\" \"Lee\")\n  span p\n");
    g_autofree char *events = write_file(dir, "events.rules",
                                         "rule meet\n  event Contact.Meet\n"
                                         "  pattern (Entity: @PERSON) (trigger: \"met\")\n");
    g_autofree char *extra = write_file(dir, "extra.rules",
                                        "rule seen\n  event Test.Seen\n"
                                        "  pattern (trigger: @PERSON)\n");
    const char *rfiles[] = {extra, NULL};
    nerve_model_options opts = {.rules = rfiles};
    g_autoptr(GError) err = NULL;
    g_autoptr(nerve_model) m = nerve_model_load(dir, &opts, &err);
    g_assert_no_error(err);
    const char text[] = "General Ann Lee met us. Later Lee met them.";
    g_autoptr(nerve_doc) doc = nerve_doc_new("t", text, sizeof text - 1, NULL);
    g_assert_true(nerve_model_annotate(m, doc, &err));
    nerve_doc_finish(doc, FALSE);
    g_autofree char *ents = ents_of(doc);
    g_autofree char *evs = events_of(doc);
    /* the -r file runs last, so it sees the alias; TITLE is hidden */
    g_assert_cmpstr(ents, ==, "PERSON:Ann Lee | PERSON:Lee");
    g_assert_cmpstr(evs, ==,
                    "Test.Seen:Ann Lee() | Contact.Meet:met(Entity=@Ann Lee) | "
                    "Test.Seen:Lee() | Contact.Meet:met(Entity=@Lee)");
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    for (size_t i = 0; i < n; i++)
        if (e[i].label == g_intern_string("TITLE"))
            g_assert_true(e[i].flags & NERVE_ENTITY_HIDDEN);
    g_autofree char *bad = write_file(dir, "model.json",
                                      "{\"name\": \"t\", \"stages\": [\"aliases\"],"
                                      " \"aliases\": {\"surname\": \"PERSON\"}}");
    g_autoptr(nerve_model) m2 = nerve_model_load(dir, NULL, &err);
    g_assert_null(m2);
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_MODEL);
    g_assert_nonnull(strstr(err->message, "aliases.surname"));
    g_clear_error(&err);
    g_autofree char *bad2 =
        write_file(dir, "model.json", "{\"name\": \"t\", \"stages\": [\"hide\"], \"hide\": [1]}");
    g_autoptr(nerve_model) m3 = nerve_model_load(dir, NULL, &err);
    g_assert_null(m3);
    g_assert_nonnull(strstr(err->message, "\"hide\""));
    const char *files[] = {"model.json", "names.rules", "events.rules", "extra.rules"};
    for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *p = g_build_filename(dir, files[i], NULL);
        g_unlink(p);
    }
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    setup();
    nerve_tokenizer_add_abbreviation(tk, "Corp.", NERVE_ABBREV_END);
    nerve_tokenizer_add_abbreviation(tk, "Co.", NERVE_ABBREV_END);
    g_test_add_func("/aliases/surname", test_surname);
    g_test_add_func("/aliases/given", test_given);
    g_test_add_func("/aliases/caps", test_caps);
    g_test_add_func("/aliases/headline", test_headline);
    g_test_add_func("/aliases/surname-entry-suffix", test_surname_entry_and_suffix);
    g_test_add_func("/aliases/not-inside-entities", test_not_inside_entities);
    g_test_add_func("/aliases/title-neighbour", test_title_neighbour);
    g_test_add_func("/aliases/before-person", test_before_person);
    g_test_add_func("/aliases/heads", test_heads);
    g_test_add_func("/aliases/surname-over-entry", test_surname_over_entry);
    g_test_add_func("/aliases/hidden-never-blocks", test_hidden_never_blocks);
    g_test_add_func("/aliases/acronym-defined", test_acronym_defined);
    g_test_add_func("/aliases/acronym-not-initials", test_acronym_not_initials);
    g_test_add_func("/aliases/initials", test_initials);
    g_test_add_func("/aliases/short-name", test_short_name);
    g_test_add_func("/aliases/repeat", test_repeat);
    g_test_add_func("/aliases/ambiguous", test_ambiguous);
    g_test_add_func("/aliases/hide", test_hide);
    g_test_add_func("/aliases/model", test_model);
    int rc = g_test_run();
    teardown();
    return rc;
}
