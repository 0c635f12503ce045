/* trec.c - TREC/SGML news files made into XML, as a stream filter.
 *
 * TREC collections (AP, WSJ, FT, LA Times, FBIS...) are SGML, not XML: a
 * file holds many <DOC> elements with no common root, "&" and "<" appear
 * unescaped in text (AT&T), entity names come from SGML entity sets
 * (&hyph; &eacute;), attribute values are unquoted (<F P=105>) and end
 * tags are sometimes left out.  libxml2's recovery mode alone turns such
 * input into nested garbage (an unclosed element swallows every later
 * DOC), so --from xml:trec puts the bytes through this filter first:
 *
 * - the stream is wrapped in a synthetic root <NERVE-TREC> (after the
 *   XML declaration, when there is one);
 * - tag and attribute names are upper-cased (TREC uses both cases for the
 *   same tags; the preset's paths are upper-case); unquoted attribute
 *   values are quoted, valueless attributes get their name as value,
 *   repeated attributes are dropped;
 * - "&" that does not start a reference becomes &amp;; names of HTML 4
 *   entities (libxml2's table) become numeric references; other unknown
 *   names keep their text (&amp;name;); numeric references to characters
 *   XML forbids are escaped the same way;
 * - bytes that are not UTF-8 are read as windows-1252 (old collections
 *   are Latin-1 without saying so), unless an XML declaration names the
 *   encoding, which libxml2 then applies;
 * - "<" that does not start a tag, comment or CDATA section becomes
 *   &lt;, ">" in text becomes &gt;, control characters XML forbids are
 *   dropped; comments, processing instructions and declarations (a
 *   DOCTYPE) are dropped;
 * - end tags close what they must: an end tag closes every element opened
 *   after its start tag, an end tag without a start tag is dropped, a
 *   start tag of the element that is innermost open closes it first
 *   (<P>a<P>b), and <DOC> closes an open DOC; at the end everything open
 *   is closed.  So the output is well-formed as to tags whatever the
 *   input, and one broken DOC cannot take the rest of the file with it.
 *
 * Constructs may straddle two reads: the unprocessed tail is kept (up to
 * MAX_TAG bytes for a tag; longer "tags" are text).
 */
#include <libxml/HTMLparser.h>
#include <string.h>

#include "formats/markup.h"

#define ROOT      "NERVE-TREC"
#define MAX_TAG   4096
#define MAX_REF   40
#define MAX_DEPTH 200

enum { M_TEXT, M_COMMENT, M_PI, M_DECL, M_CDATA };

struct nerve_trec_filter {
    GString *buf;     /* input not yet processed */
    GPtrArray *stack; /* open element names (char*) */
    int mode;
    int decl_brackets; /* [ ] depth inside <!DOCTYPE ...> */
    gboolean started;
    gboolean declared; /* bytes pass as they are: an XML declaration names the
                        * encoding, or --strict wants invalid UTF-8 reported */
};

nerve_trec_filter *nerve_trec_filter_new(gboolean transcode)
{
    nerve_trec_filter *f = g_new0(nerve_trec_filter, 1);
    f->declared = !transcode;
    f->buf = g_string_new(NULL);
    f->stack = g_ptr_array_new_with_free_func(g_free);
    return f;
}

void nerve_trec_filter_free(nerve_trec_filter *f)
{
    if (!f)
        return;
    g_string_free(f->buf, TRUE);
    g_ptr_array_free(f->stack, TRUE);
    g_free(f);
}

/* windows-1252 at 0x80..0x9F (0: not assigned); 0xA0.. is Latin-1. */
static const guint16 cp1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* A byte >= 0x80 at p: a whole UTF-8 sequence is copied, any other byte
 * is read as windows-1252.  Returns bytes consumed, 0 when a sequence may
 * go on in the next read. */
static gsize high_byte(const nerve_trec_filter *f, const char *p, const char *end, gboolean eof,
                       GString *out)
{
    unsigned char c = (unsigned char)*p;
    if (f->declared) {
        g_string_append_c(out, (char)c);
        return 1;
    }
    gsize need = c >= 0xC2 && c <= 0xDF   ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    gsize avail = (gsize)(end - p);
    if (need && avail < need && !eof) {
        gboolean cont = TRUE;
        for (gsize i = 1; i < avail; i++)
            cont = cont && ((unsigned char)p[i] & 0xC0) == 0x80;
        if (cont)
            return 0;
    }
    if (need && avail >= need && g_utf8_validate_len(p, need, NULL)) {
        g_string_append_len(out, p, (gssize)need);
        return need;
    }
    gunichar u = c >= 0xA0 ? c : cp1252[c - 0x80];
    g_string_append_unichar(out, u ? u : 0xFFFD);
    return 1;
}

static gboolean xml_char_ok(gunichar c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static gboolean sgml_name_char(unsigned char c)
{
    return g_ascii_isalnum(c) || c == '.' || c == '-' || c == '_' || c == ':' || c >= 0x80;
}

/* A "&" at p: writes its XML form and returns the bytes consumed, or 0
 * when more input is needed to decide. */
static gsize ampersand(const char *p, const char *end, gboolean eof, GString *out)
{
    const char *q = p + 1;
    gboolean numeric = q < end && *q == '#';
    if (numeric)
        q++;
    const char *name = q;
    while (q < end && q - p < MAX_REF && (sgml_name_char((unsigned char)*q)))
        q++;
    if (q == end && !eof && q - p < MAX_REF)
        return 0;
    if (q < end && *q == ';' && q > name) {
        gsize n = (gsize)(q - name);
        g_autofree char *nm = g_strndup(name, n);
        if (numeric) {
            gboolean hex = nm[0] == 'x' || nm[0] == 'X';
            char *stop;
            guint64 v = g_ascii_strtoull(nm + hex, &stop, hex ? 16 : 10);
            if (*stop == '\0' && stop != nm + hex && v <= 0x10FFFF && xml_char_ok((gunichar)v)) {
                g_string_append_len(out, p, q + 1 - p);
                return (gsize)(q + 1 - p);
            }
        } else if (!strcmp(nm, "amp") || !strcmp(nm, "lt") || !strcmp(nm, "gt") ||
                   !strcmp(nm, "quot") || !strcmp(nm, "apos")) {
            g_string_append_len(out, p, q + 1 - p);
            return (gsize)(q + 1 - p);
        } else {
            const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)nm);
            if (e) {
                g_string_append_printf(out, "&#%u;", e->value);
                return (gsize)(q + 1 - p);
            }
        }
    }
    g_string_append(out, "&amp;");
    return 1;
}

static void append_upper(GString *out, const char *s, gsize n)
{
    for (gsize i = 0; i < n; i++)
        g_string_append_c(out, g_ascii_toupper(s[i]));
}

static void emit_end(nerve_trec_filter *f, GString *out)
{
    const char *name = g_ptr_array_index(f->stack, f->stack->len - 1);
    g_string_append_printf(out, "</%s>", name);
    g_ptr_array_set_size(f->stack, f->stack->len - 1);
}

/* Closes the open elements down to and including the innermost named
 * name; FALSE (and nothing closed) when it is not open. */
static gboolean close_to(nerve_trec_filter *f, const char *name, GString *out)
{
    guint i = f->stack->len;
    while (i > 0 && strcmp(g_ptr_array_index(f->stack, i - 1), name))
        i--;
    if (i == 0)
        return FALSE;
    while (f->stack->len >= i)
        emit_end(f, out);
    return TRUE;
}

/* Writes one attribute value, quoted and escaped. */
static void attr_value(const nerve_trec_filter *f, const char *v, const char *end, GString *out)
{
    g_string_append_c(out, '"');
    while (v < end) {
        if (*v == '&')
            v += ampersand(v, end, TRUE, out);
        else {
            if (*v == '"')
                g_string_append(out, "&quot;");
            else if (*v == '<')
                g_string_append(out, "&lt;");
            else if ((unsigned char)*v >= 0x80) {
                v += high_byte(f, v, end, TRUE, out);
                continue;
            } else if ((unsigned char)*v >= 0x20 || *v == '\t')
                g_string_append_c(out, *v);
            else
                g_string_append_c(out, ' ');
            v++;
        }
    }
    g_string_append_c(out, '"');
}

/* The attributes of a start tag, from p (after the name) to gt. */
static void attributes(const nerve_trec_filter *f, const char *p, const char *gt, GString *out)
{
    GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
    while (p < gt) {
        if (!g_ascii_isalpha(*p) && *p != '_' && (unsigned char)*p < 0x80) {
            p++;
            continue;
        }
        const char *n = p;
        while (p < gt && sgml_name_char((unsigned char)*p))
            p++;
        char *name = g_ascii_strup(n, p - n);
        while (p < gt && g_ascii_isspace(*p))
            p++;
        const char *v = NULL, *ve = NULL;
        if (p < gt && *p == '=') {
            p++;
            while (p < gt && g_ascii_isspace(*p))
                p++;
            if (p < gt && (*p == '"' || *p == '\'')) {
                char q = *p++;
                v = p;
                while (p < gt && *p != q)
                    p++;
                ve = p;
                if (p < gt)
                    p++;
            } else {
                v = p;
                while (p < gt && !g_ascii_isspace(*p))
                    p++;
                ve = p;
            }
        }
        gboolean dup = FALSE;
        for (guint i = 0; i < seen->len; i++)
            dup = dup || !strcmp(g_ptr_array_index(seen, i), name);
        if (!dup) {
            g_string_append_printf(out, " %s=", name);
            if (v)
                attr_value(f, v, ve, out);
            else
                attr_value(f, name, name + strlen(name), out);
            g_ptr_array_add(seen, name);
        } else
            g_free(name);
    }
    g_ptr_array_free(seen, TRUE);
}

enum { TAG_FOUND, TAG_NOT, TAG_MORE };

/* Looks for the end of a tag starting at p ('<'): TAG_FOUND with *gt at
 * the '>' outside quotes; TAG_NOT when a '<' outside quotes comes first or
 * there is no '>' within MAX_TAG bytes; TAG_MORE when the input ends
 * before either (the answer then does not depend on where reads are cut). */
static int tag_end(const char *p, const char *end, const char **gt)
{
    char quote = 0;
    for (const char *q = p + 1; q < end; q++) {
        if (q - p >= MAX_TAG)
            return TAG_NOT;
        if (quote) {
            if (*q == quote)
                quote = 0;
        } else if (*q == '"' || *q == '\'') {
            /* a quote only opens a value right after "=" */
            const char *b = q - 1;
            while (b > p && g_ascii_isspace(*b))
                b--;
            if (*b == '=')
                quote = *q;
        } else if (*q == '>') {
            *gt = q;
            return TAG_FOUND;
        } else if (*q == '<')
            return TAG_NOT; /* a new tag begins: this one was never closed */
    }
    return TAG_MORE;
}

/* A tag at p; returns bytes consumed, 0 to wait for more input, or 1
 * after writing "&lt;" when it is not a tag after all. */
static gsize tag(nerve_trec_filter *f, const char *p, const char *end, gboolean eof, GString *out)
{
    const char *gt = NULL;
    int found = tag_end(p, end, &gt);
    if (found == TAG_MORE && !eof)
        return 0;
    if (found != TAG_FOUND) {
        g_string_append(out, "&lt;");
        return 1;
    }
    gboolean closing = p[1] == '/';
    const char *n = p + 1 + closing, *ne = n;
    while (ne < gt && sgml_name_char((unsigned char)*ne))
        ne++;
    g_autofree char *name = g_ascii_strup(n, ne - n);
    gboolean self_closing = !closing && gt > ne && gt[-1] == '/';
    if (closing) {
        close_to(f, name, out); /* an end tag with no start tag is dropped */
        return (gsize)(gt + 1 - p);
    }
    if (!strcmp(name, "DOC"))
        close_to(f, "DOC", out);
    else if (f->stack->len && !strcmp(g_ptr_array_index(f->stack, f->stack->len - 1), name))
        emit_end(f, out);
    if (f->stack->len >= MAX_DEPTH)
        return (gsize)(gt + 1 - p);
    g_string_append_c(out, '<');
    append_upper(out, n, (gsize)(ne - n));
    attributes(f, ne, self_closing ? gt - 1 : gt, out);
    g_string_append(out, self_closing ? "/>" : ">");
    if (!self_closing)
        g_ptr_array_add(f->stack, g_steal_pointer(&name));
    return (gsize)(gt + 1 - p);
}

/* Skips (or, for CDATA, copies) up to the terminator of the current mode;
 * returns bytes consumed. */
static gsize skip_mode(nerve_trec_filter *f, const char *p, const char *end, gboolean eof,
                       GString *out)
{
    const char *term = f->mode == M_COMMENT ? "-->" : f->mode == M_PI ? "?>" : "]]>";
    gsize tl = strlen(term);
    if (f->mode == M_DECL) {
        for (const char *q = p; q < end; q++) {
            if (*q == '\n')
                g_string_append_c(out, '\n'); /* lines stay where they were */
            else if (*q == '[')
                f->decl_brackets++;
            else if (*q == ']' && f->decl_brackets > 0)
                f->decl_brackets--;
            else if (*q == '>' && f->decl_brackets == 0) {
                f->mode = M_TEXT;
                return (gsize)(q + 1 - p);
            }
        }
        return (gsize)(end - p);
    }
    /* memmem, not strstr: NUL bytes are data here */
    const char *hit = memmem(p, (gsize)(end - p), term, tl);
    gsize avail = (gsize)(end - p);
    /* keep what could be the start of a terminator split between reads */
    gsize take = hit ? (gsize)(hit + tl - p) : eof ? avail : avail - MIN(avail, tl - 1);
    if (f->mode == M_CDATA)
        g_string_append_len(out, p, (gssize)take);
    else
        for (gsize i = 0; i < take; i++)
            if (p[i] == '\n')
                g_string_append_c(out, '\n');
    if (hit || eof) {
        if (!hit && f->mode == M_CDATA)
            g_string_append(out, term); /* unterminated at the end: closed */
        f->mode = M_TEXT;
    }
    return take;
}

/* A "<" in text at p: returns bytes consumed (0: wait for more). */
static gsize markup(nerve_trec_filter *f, const char *p, const char *end, gboolean eof,
                    GString *out)
{
    static const char cdata[] = "<![CDATA[";
    gsize avail = (gsize)(end - p);
    if (avail < 2 && !eof)
        return 0;
    char c = avail >= 2 ? p[1] : ' ';
    if (c == '!') {
        if (avail < sizeof cdata - 1 && !eof)
            return 0;
        if (avail >= 4 && !memcmp(p, "<!--", 4)) {
            f->mode = M_COMMENT;
            return 4;
        }
        if (avail >= sizeof cdata - 1 && !memcmp(p, cdata, sizeof cdata - 1)) {
            f->mode = M_CDATA;
            g_string_append(out, cdata);
            return sizeof cdata - 1;
        }
        f->mode = M_DECL;
        f->decl_brackets = 0;
        return 2;
    }
    if (c == '?') {
        f->mode = M_PI;
        return 2;
    }
    if (c == '/' && avail < 3 && !eof)
        return 0;
    if (g_ascii_isalpha(c) || (c == '/' && avail >= 3 && g_ascii_isalpha(p[2])))
        return tag(f, p, end, eof, out);
    g_string_append(out, "&lt;");
    return 1;
}

/* The start of the stream: a byte order mark and an XML declaration stay
 * in front of the synthetic root.  Returns bytes consumed, or 0 to wait. */
static gsize start(nerve_trec_filter *f, const char *p, const char *end, gboolean eof, GString *out)
{
    gsize avail = (gsize)(end - p), used = 0;
    if (avail < 8 && !eof)
        return 0;
    if (avail >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
        g_string_append_len(out, p, 3);
        used = 3;
    }
    if (avail - used >= 5 && !memcmp(p + used, "<?xml", 5)) {
        gsize look = MIN(avail - used, (gsize)MAX_TAG);
        const char *e = memmem(p + used, look, "?>", 2);
        if (!e && !eof && avail - used < MAX_TAG)
            return 0;
        if (e) {
            g_string_append_len(out, p + used, e + 2 - (p + used));
            g_autofree char *decl = g_ascii_strdown(p + used, e - (p + used));
            const char *enc = strstr(decl, "encoding");
            f->declared = f->declared || (enc && !strstr(enc, "utf-8") && !strstr(enc, "utf8"));
            used = (gsize)(e + 2 - p);
        }
    }
    g_string_append(out, "<" ROOT ">");
    f->started = TRUE;
    return used;
}

void nerve_trec_filter_feed(nerve_trec_filter *f, const char *in, gsize len, gboolean eof,
                            GString *out)
{
    g_string_append_len(f->buf, in, (gssize)len);
    const char *p = f->buf->str, *end = p + f->buf->len;
    if (!f->started) {
        gsize n = start(f, p, end, eof, out);
        if (!f->started)
            return;
        p += n;
    }
    while (p < end) {
        gsize n;
        if (f->mode != M_TEXT) {
            n = skip_mode(f, p, end, eof, out);
        } else if (*p == '<') {
            n = markup(f, p, end, eof, out);
        } else if (*p == '&') {
            n = ampersand(p, end, eof, out);
        } else if (*p == '>') {
            g_string_append(out, "&gt;");
            n = 1;
        } else {
            const char *q = p;
            while (q < end && *q != '<' && *q != '&' && *q != '>' &&
                   (((unsigned char)*q >= 0x20 && (unsigned char)*q < 0x80) || *q == '\t' ||
                    *q == '\n' || *q == '\r'))
                q++;
            g_string_append_len(out, p, q - p);
            n = (gsize)(q - p);
            if (n == 0 && (unsigned char)*p >= 0x80)
                n = high_byte(f, p, end, eof, out);
            else if (n == 0)
                n = 1; /* a control character XML does not allow */
        }
        if (n == 0)
            break;
        p += n;
    }
    g_string_erase(f->buf, 0, p - f->buf->str);
    if (eof) {
        while (f->stack->len)
            emit_end(f, out);
        g_string_append(out, "</" ROOT ">");
        g_string_truncate(f->buf, 0);
    }
}
