/* tokenize-abbrev.c - the tokenizer's abbreviations: loading them, and
 * the lookup the scanner and the sentence splitter make for every word
 * before a period. */
#include <string.h>

#include "nerve/error.h"
#include "nerve/hash.h"
#include "tokenize-scan.h"

/* Abbreviations are looked up for every word followed by a period (every
 * sentence end), so by the bytes of the token and their nerve_hash, with
 * no copy. */
#define ABBREV_MAX 63

typedef struct {
    size_t len;
    uint32_t hash;
    char s[]; /* NUL-terminated */
} abbrev_key;

static guint abbrev_hash(gconstpointer k)
{
    return ((const abbrev_key *)k)->hash;
}

/* Lookups pass a key of the same layout built on the stack. */
static gboolean abbrev_equal(gconstpointer stored, gconstpointer probe)
{
    const abbrev_key *a = stored;
    const abbrev_key *b = probe;
    return a->len == b->len && a->hash == b->hash && !memcmp(a->s, b->s, a->len);
}

/* Most lookups miss (every word before a sentence's period is looked up),
 * so a bit set answers them first: one bit per abbreviation, from its
 * length and three of its bytes lower-cased (ASCII), as a word and its
 * lower-cased form, which the lookup also tries, have the same bit.  With
 * a few hundred abbreviations in 4096 bits, nine misses in ten stop here. */
static inline unsigned ascii_lower(unsigned char c)
{
    return (unsigned)c - 'A' < 26u ? c + 32u : c;
}

static inline unsigned filter_bit(const char *s, size_t len)
{
    unsigned a = ascii_lower((unsigned char)s[0]), m = ascii_lower((unsigned char)s[len / 2]);
    unsigned z = ascii_lower((unsigned char)s[len - 1]);
    uint32_t h =
        ((uint32_t)len * 0x9E3779B1u) ^ (a * 0x85EBCA77u) ^ (m * 0xC2B2AE3Du) ^ (z * 0x27D4EB2Fu);
    return (h ^ h >> 15) & 4095;
}

GHashTable *nerve_scan_abbrevs_new(void)
{
    return g_hash_table_new_full(abbrev_hash, abbrev_equal, g_free, NULL);
}

void nerve_tokenizer_add_abbreviation(nerve_tokenizer *tk, const char *abbrev,
                                      nerve_abbrev_class cls)
{
    size_t len = strlen(abbrev);
    if (len == 0 || len > ABBREV_MAX)
        return;
    abbrev_key *k = g_malloc(sizeof *k + len + 1);
    memcpy(k->s, abbrev, len + 1);
    k->len = len;
    k->hash = nerve_hash(abbrev, len);
    g_hash_table_replace(tk->abbrevs, k, GINT_TO_POINTER(cls));
    tk->abbrev_max = MAX(tk->abbrev_max, len);
    unsigned bit = filter_bit(abbrev, len);
    tk->abbrev_filter[bit / 64] |= 1ull << (bit % 64);
}

static const char *const class_names[] = {"", "general", "title", "month", "number", "end"};

gboolean nerve_tokenizer_load_abbreviations(nerve_tokenizer *tk, const char *path, GError **error)
{
    g_autofree char *contents = NULL;
    gsize len;
    GError *io = NULL;
    if (!g_file_get_contents(path, &contents, &len, &io)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "%s", io->message);
        g_error_free(io);
        return FALSE;
    }
    g_auto(GStrv) lines = g_strsplit(contents, "\n", -1);
    for (guint n = 0; lines[n]; n++) {
        char *line = lines[n];
        g_strchomp(line);
        if (!*line || *line == '#')
            continue;
        char *tab = strchr(line, '\t');
        nerve_abbrev_class cls = NERVE_ABBREV_GENERAL;
        if (tab) {
            *tab = '\0';
            const char *name = g_strstrip(tab + 1);
            guint k;
            for (k = 1; k < G_N_ELEMENTS(class_names); k++)
                if (!strcmp(name, class_names[k]))
                    break;
            if (k == G_N_ELEMENTS(class_names)) {
                g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                            "%s:%u:%ld: unknown abbreviation class \"%s\" (general, title, "
                            "month, number or end)",
                            path, n + 1, (long)(name - line) + 1, name);
                return FALSE;
            }
            cls = (nerve_abbrev_class)k;
        }
        if (!g_utf8_validate(line, -1, NULL) || strchr(line, ' ')) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                        "%s:%u:1: an abbreviation is one word of valid UTF-8", path, n + 1);
            return FALSE;
        }
        nerve_tokenizer_add_abbreviation(tk, line, cls);
    }
    return TRUE;
}

static gboolean abbrev_lookup(const nerve_tokenizer *tk, const char *s, size_t len,
                              nerve_abbrev_class *cls)
{
    struct {
        size_t len;
        uint32_t hash;
        char s[ABBREV_MAX + 1];
    } probe;
    probe.len = len;
    probe.hash = nerve_hash(s, len);
    memcpy(probe.s, s, len);
    gpointer v;
    if (!g_hash_table_lookup_extended(tk->abbrevs, &probe, NULL, &v))
        return FALSE;
    *cls = (nerve_abbrev_class)GPOINTER_TO_INT(v);
    return TRUE;
}

nerve_abbrev_class nerve_tokenizer_abbrev_class(const nerve_tokenizer *tk, const char *s,
                                                size_t len)
{
    if (len == 0 || len > tk->abbrev_max)
        return NERVE_ABBREV_NONE;
    unsigned bit = filter_bit(s, len);
    if (!(tk->abbrev_filter[bit / 64] & 1ull << (bit % 64)))
        return NERVE_ABBREV_NONE;
    nerve_abbrev_class cls;
    if (abbrev_lookup(tk, s, len, &cls))
        return cls;
    /* "Etc." at a sentence start matches the lower-case entry "etc." */
    char buf[ABBREV_MAX + 1];
    gboolean changed = FALSE;
    for (size_t i = 0; i < len; i++) {
        buf[i] = g_ascii_tolower(s[i]);
        changed |= buf[i] != s[i];
    }
    if (changed && abbrev_lookup(tk, buf, len, &cls))
        return cls;
    return NERVE_ABBREV_NONE;
}
