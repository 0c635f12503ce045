/* jsonscan.c - the JSONL record scanner (see jsonscan.h).
 *
 * A hand-written recursive-descent scanner would recurse once per nesting
 * level; this one keeps the open brackets on an explicit stack of at most
 * max_depth entries.  Strings are scanned in runs with memchr-like loops
 * and decoded only for the id and text fields.
 */
#include "formats/jsonscan.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "swar.h"

typedef struct {
    const unsigned char *s, *p, *end;
    const char *error;
} scan;

static gboolean fail(scan *sc, const char *why)
{
    if (!sc->error)
        sc->error = why;
    return FALSE;
}

static inline void skip_ws(scan *sc)
{
    while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r'))
        sc->p++;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value((char)p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Scans a string at sc->p == '"'.  When out is not NULL, appends the
 * decoded string to it.  Lone surrogates are decoded as U+FFFD and
 * counted in *replaced. */
static gboolean scan_string(scan *sc, GString *out, size_t *replaced)
{
    const unsigned char *p = sc->p + 1, *run = p;
    for (;;) {
#ifdef __SSE2__
        while (sc->end - p >= 16) { /* sixteen at a time where SSE2 is (x86-64) */
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
            __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                        _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
            /* below 0x20: unchanged by the unsigned minimum with 0x1F */
            stop = _mm_or_si128(stop, _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x));
            unsigned m = (unsigned)_mm_movemask_epi8(stop);
            if (m) {
                p += __builtin_ctz(m);
                break;
            }
            p += 16;
        }
#endif
        while (sc->end - p >= 8) { /* eight ordinary bytes at a time */
            uint64_t w = swar_load(p);
            if (swar_less(w, 0x20) | swar_eq(w, '"') | swar_eq(w, '\\'))
                break;
            p += 8;
        }
        while (p < sc->end && *p != '"' && *p != '\\' && *p >= 0x20)
            p++;
        if (p >= sc->end) {
            sc->p = p;
            return fail(sc, "unterminated string");
        }
        if (*p < 0x20) {
            sc->p = p;
            return fail(sc, "control character in a string (must be escaped)");
        }
        if (out)
            g_string_append_len(out, (const char *)run, p - run);
        if (*p == '"') {
            sc->p = p + 1;
            return TRUE;
        }
        /* an escape */
        if (p + 1 >= sc->end) {
            sc->p = p;
            return fail(sc, "unterminated string");
        }
        unsigned char e = p[1];
        const char *simple = NULL;
        switch (e) {
        case '"':
            simple = "\"";
            break;
        case '\\':
            simple = "\\";
            break;
        case '/':
            simple = "/";
            break;
        case 'b':
            simple = "\b";
            break;
        case 'f':
            simple = "\f";
            break;
        case 'n':
            simple = "\n";
            break;
        case 'r':
            simple = "\r";
            break;
        case 't':
            simple = "\t";
            break;
        default:
            break;
        }
        if (simple) {
            if (out)
                g_string_append_c(out, simple[0]);
            p += 2;
        } else if (e == 'u') {
            int v = p + 6 <= sc->end ? hex4(p + 2) : -1;
            if (v < 0) {
                sc->p = p;
                return fail(sc, "invalid \\u escape");
            }
            p += 6;
            gunichar c = (gunichar)v;
            if (v >= 0xD800 && v <= 0xDBFF && p + 6 <= sc->end && p[0] == '\\' && p[1] == 'u') {
                int lo = hex4(p + 2);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    c = 0x10000 + (((gunichar)v - 0xD800) << 10) + ((gunichar)lo - 0xDC00);
                    p += 6;
                }
            }
            if (c >= 0xD800 && c <= 0xDFFF) {
                c = 0xFFFD; /* a lone surrogate */
                if (replaced)
                    (*replaced)++;
            }
            if (out) {
                char buf[8];
                g_string_append_len(out, buf, g_unichar_to_utf8(c, buf));
            }
        } else {
            sc->p = p;
            return fail(sc, "invalid escape in a string");
        }
        run = p;
    }
}

static gboolean scan_number(scan *sc)
{
    const unsigned char *p = sc->p;
    if (p < sc->end && *p == '-')
        p++;
    if (p >= sc->end || !g_ascii_isdigit(*p)) {
        sc->p = p;
        return fail(sc, "invalid number");
    }
    if (*p == '0')
        p++;
    else
        while (p < sc->end && g_ascii_isdigit(*p))
            p++;
    if (p < sc->end && *p == '.') {
        p++;
        if (p >= sc->end || !g_ascii_isdigit(*p)) {
            sc->p = p;
            return fail(sc, "invalid number");
        }
        while (p < sc->end && g_ascii_isdigit(*p))
            p++;
    }
    if (p < sc->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < sc->end && (*p == '+' || *p == '-'))
            p++;
        if (p >= sc->end || !g_ascii_isdigit(*p)) {
            sc->p = p;
            return fail(sc, "invalid number");
        }
        while (p < sc->end && g_ascii_isdigit(*p))
            p++;
    }
    sc->p = p;
    return TRUE;
}

static gboolean scan_literal(scan *sc)
{
    static const char *const words[] = {"true", "false", "null"};
    for (guint i = 0; i < G_N_ELEMENTS(words); i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(sc->end - sc->p) >= n && !memcmp(sc->p, words[i], n)) {
            sc->p += n;
            return TRUE;
        }
    }
    return fail(sc, "invalid value");
}

/* Skips one value of any kind, with an explicit stack for nesting:
 * stack[k] is '}' or ']' for the container open at depth k. */
/* An object key and its ':' at sc->p (after whitespace); FALSE (with the
 * error set) when they are not there. */
static gboolean scan_key(scan *sc)
{
    if (sc->p >= sc->end || *sc->p != '"' || !scan_string(sc, NULL, NULL))
        return fail(sc, "expected a key string");
    skip_ws(sc);
    if (sc->p >= sc->end || *sc->p != ':')
        return fail(sc, "expected ':' after a key");
    sc->p++;
    return TRUE;
}

static gboolean skip_value(scan *sc, guint max_depth, guint depth0)
{
    char stack[64];
    char *st = max_depth - depth0 <= sizeof stack ? stack : g_malloc(max_depth - depth0 + 1);
    guint depth = 0, room = max_depth > depth0 ? max_depth - depth0 : 0;
    gboolean ok = FALSE, need_value = TRUE;
    for (;;) {
        skip_ws(sc);
        if (sc->p >= sc->end) {
            fail(sc, "unexpected end of the record");
            break;
        }
        if (need_value) {
            unsigned char c = *sc->p;
            if (c == '{' || c == '[') {
                if (depth >= room) {
                    fail(sc, "nested deeper than the limit");
                    break;
                }
                st[depth++] = c == '{' ? '}' : ']';
                sc->p++;
                skip_ws(sc);
                if (sc->p < sc->end && *sc->p == st[depth - 1]) { /* {} or [] */
                    sc->p++;
                    depth--;
                    need_value = FALSE;
                } else if (c == '{' && !scan_key(sc)) {
                    break;
                }
                if (depth == 0 && !need_value) {
                    ok = TRUE;
                    break;
                }
                continue;
            }
            gboolean got = c == '"'                           ? scan_string(sc, NULL, NULL)
                           : (c == '-' || g_ascii_isdigit(c)) ? scan_number(sc)
                                                              : scan_literal(sc);
            if (!got)
                break;
            need_value = FALSE;
            if (depth == 0) {
                ok = TRUE;
                break;
            }
            continue;
        }
        /* after a value inside a container: ',' or the closing bracket */
        unsigned char c = *sc->p;
        if (c == st[depth - 1]) {
            sc->p++;
            if (--depth == 0) {
                ok = TRUE;
                break;
            }
        } else if (c == ',') {
            sc->p++;
            need_value = TRUE;
            if (st[depth - 1] == '}') {
                skip_ws(sc);
                if (!scan_key(sc))
                    break;
            }
        } else {
            fail(sc, st[depth - 1] == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
            break;
        }
    }
    if (st != stack)
        g_free(st);
    return ok;
}

void nerve_json_record_clear(nerve_json_record *r)
{
    g_free(r->id);
    g_free(r->text);
    if (r->meta)
        g_string_free(r->meta, TRUE);
    memset(r, 0, sizeof *r);
}

/* Compares the key string at p (a '"') with name without decoding, for
 * the common case of a key without escapes. */
static gboolean key_is(const unsigned char *p, const unsigned char *end, const char *name)
{
    size_t n = strlen(name);
    return (size_t)(end - p) > n + 1 && !memcmp(p + 1, name, n) && p[n + 1] == '"';
}

gboolean nerve_json_scan_record(const char *s, size_t len, const char *id_field,
                                const char *text_field, guint max_depth, nerve_json_record *r,
                                size_t *column, const char **message)
{
    if (!s || !len)
        s = "", len = 0; /* no arithmetic on a NULL pointer */
    scan sc = {(const unsigned char *)s, (const unsigned char *)s, (const unsigned char *)s + len,
               NULL};
    memset(r, 0, sizeof *r);
    r->meta = g_string_new(NULL);
    skip_ws(&sc);
    if (sc.p >= sc.end || *sc.p != '{') {
        fail(&sc,
             sc.p < sc.end && *sc.p == '[' ? "the record is not a JSON object" : "expected '{'");
        goto bad;
    }
    sc.p++;
    skip_ws(&sc);
    if (sc.p < sc.end && *sc.p == '}') {
        sc.p++;
        goto done;
    }
    for (;;) {
        skip_ws(&sc);
        if (sc.p >= sc.end || *sc.p != '"') {
            fail(&sc, "expected a key string");
            goto bad;
        }
        const unsigned char *key = sc.p;
        gboolean is_id = key_is(key, sc.end, id_field), is_text = key_is(key, sc.end, text_field);
        if (!scan_string(&sc, NULL, NULL))
            goto bad;
        const unsigned char *key_end = sc.p;
        skip_ws(&sc);
        if (sc.p >= sc.end || *sc.p != ':') {
            fail(&sc, "expected ':' after a key");
            goto bad;
        }
        sc.p++;
        skip_ws(&sc);
        const unsigned char *value = sc.p;
        if (is_text && sc.p < sc.end && *sc.p == '"') {
            /* decoding never lengthens: the rest of the line is enough */
            GString *t = g_string_sized_new((gsize)(sc.end - sc.p));
            gboolean ok = scan_string(&sc, t, &r->replaced);
            g_free(r->text);
            r->text_len = t->len;
            r->text = g_string_free(t, FALSE);
            r->has_text_field = TRUE;
            if (!ok)
                goto bad;
        } else if (is_id && sc.p < sc.end && *sc.p == '"') {
            GString *t = g_string_new(NULL);
            gboolean ok = scan_string(&sc, t, &r->replaced);
            g_free(r->id);
            r->id = g_string_free(t, FALSE);
            if (!ok)
                goto bad;
        } else {
            if (!skip_value(&sc, max_depth, 1))
                goto bad;
            if (is_text)
                r->has_text_field = TRUE; /* present, not a string */
            else if (is_id) {
                /* an integer id is written in decimal; other types are refused */
                const unsigned char *q = value;
                gboolean integer = q < sc.p && (*q == '-' || g_ascii_isdigit(*q));
                for (q = value + (*value == '-'); q < sc.p && integer; q++)
                    integer = g_ascii_isdigit(*q);
                g_free(r->id);
                r->id = integer ? g_strndup((const char *)value, sc.p - value) : NULL;
                r->id_bad = !integer && !(sc.p - value == 4 && !memcmp(value, "null", 4));
            } else {
                if (r->meta->len)
                    g_string_append_c(r->meta, ',');
                g_string_append_len(r->meta, (const char *)key, key_end - key);
                g_string_append_c(r->meta, ':');
                g_string_append_len(r->meta, (const char *)value, sc.p - value);
            }
        }
        skip_ws(&sc);
        if (sc.p < sc.end && *sc.p == ',') {
            sc.p++;
            continue;
        }
        if (sc.p < sc.end && *sc.p == '}') {
            sc.p++;
            break;
        }
        fail(&sc, "expected ',' or '}'");
        goto bad;
    }
done:
    skip_ws(&sc);
    if (sc.p < sc.end) {
        fail(&sc, "text after the end of the object");
        goto bad;
    }
    return TRUE;
bad:
    *column = (size_t)(sc.p - sc.s) + 1;
    *message = sc.error ? sc.error : "malformed JSON";
    return FALSE;
}
