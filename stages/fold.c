/* fold.c - fold keys: ICU full case folding, NFD, marks removed (fold.h).
 *
 * Why full case folding and not per-character upper- or lower-casing:
 * folding is the operation Unicode defines for caseless matching, and only
 * the full form maps ß to "ss", so that "STRASSE" and "Straße" meet.  The
 * default (non-Turkic) folding maps İ to "i" + U+0307, and removing marks
 * after NFD leaves "i"; dotless ı has no folding, so it is mapped to "i"
 * here with the other letters whose diacritic is part of the base letter
 * (ł ø đ ħ ŧ), which NFD cannot separate.
 *
 * ASCII never reaches ICU: its key is its ASCII lower case, computed in
 * place of the UTF-16 round trip.  The UTF-16 buffers live in the folder
 * and only grow, so folding a token allocates nothing in the steady state.
 */
#include "nerve/fold.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

struct nerve_folder {
    UChar *a, *b; /* UTF-16 work buffers */
    int32_t cap_a, cap_b;
    char *out; /* the key in UTF-8 */
    size_t cap_out;
    const UNormalizer2 *nfd, *nfc;
};

nerve_folder *nerve_folder_new(void)
{
    nerve_folder *f = g_new0(nerve_folder, 1);
    UErrorCode st = U_ZERO_ERROR;
    f->nfd = unorm2_getNFDInstance(&st);
    f->nfc = unorm2_getNFCInstance(&st);
    g_assert(U_SUCCESS(st));
    return f;
}

void nerve_folder_free(nerve_folder *f)
{
    if (!f)
        return;
    g_free(f->a);
    g_free(f->b);
    g_free(f->out);
    g_free(f);
}

static void grow_u16(UChar **buf, int32_t *cap, int32_t need)
{
    if (need <= *cap)
        return;
    *cap = MAX(need, 64);
    g_free(*buf);
    *buf = g_new(UChar, *cap);
}

static void grow_out(nerve_folder *f, size_t need)
{
    if (need <= f->cap_out)
        return;
    f->cap_out = MAX(need, 128);
    g_free(f->out);
    f->out = g_malloc(f->cap_out);
}

static const char *fold_ascii(nerve_folder *f, const char *s, size_t len, size_t *out_len)
{
    size_t i = 0;
    while (i < len && !g_ascii_isupper(s[i]))
        i++;
    *out_len = len;
    if (i == len)
        return s;
    grow_out(f, len);
    memcpy(f->out, s, i);
    for (; i < len; i++)
        f->out[i] = g_ascii_tolower(s[i]);
    return f->out;
}

/* The base letter of letters whose diacritic NFD does not separate. */
static UChar32 strip_inner(UChar32 c)
{
    switch (c) {
    case 0x0131:
        return 'i'; /* ı */
    case 0x0142:
        return 'l'; /* ł */
    case 0x00F8:
        return 'o'; /* ø */
    case 0x0111:
        return 'd'; /* đ */
    case 0x0127:
        return 'h'; /* ħ */
    case 0x0167:
        return 't'; /* ŧ */
    default:
        return c;
    }
}

/* Removes non-spacing marks from (u, n) in place; returns the new length.
 * Marks alone (a token of combining marks only) are kept: a key is never
 * empty. */
static int32_t drop_marks(UChar *u, int32_t n)
{
    int32_t r = 0, w = 0;
    while (r < n) {
        UChar32 c;
        U16_NEXT(u, r, n, c);
        if (u_charType(c) != U_NON_SPACING_MARK)
            break;
        if (r == n)
            return n;
    }
    r = 0;
    while (r < n) {
        UChar32 c;
        U16_NEXT(u, r, n, c);
        if (u_charType(c) == U_NON_SPACING_MARK)
            continue;
        c = strip_inner(c);
        UBool err = false;
        U16_APPEND(u, w, n, c, err);
        (void)err; /* w <= r: never overflows */
    }
    return w;
}

/* Runs one ICU step from (src, n) into *dst, growing it once if needed. */
typedef int32_t (*u16_step)(nerve_folder *f, const UChar *src, int32_t n, UChar *dst, int32_t cap,
                            UErrorCode *st);

static int32_t step_fold(nerve_folder *f, const UChar *src, int32_t n, UChar *dst, int32_t cap,
                         UErrorCode *st)
{
    (void)f;
    return u_strFoldCase(dst, cap, src, n, U_FOLD_CASE_DEFAULT, st);
}

static int32_t step_nfd(nerve_folder *f, const UChar *src, int32_t n, UChar *dst, int32_t cap,
                        UErrorCode *st)
{
    return unorm2_normalize(f->nfd, src, n, dst, cap, st);
}

static int32_t step_nfc(nerve_folder *f, const UChar *src, int32_t n, UChar *dst, int32_t cap,
                        UErrorCode *st)
{
    return unorm2_normalize(f->nfc, src, n, dst, cap, st);
}

static int32_t run_step(nerve_folder *f, u16_step step, const UChar *src, int32_t n, UChar **dst,
                        int32_t *cap)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t got = step(f, src, n, *dst, *cap, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING) {
        grow_u16(dst, cap, got + 1);
        st = U_ZERO_ERROR;
        got = step(f, src, n, *dst, *cap, &st);
    }
    return U_FAILURE(st) ? -1 : got;
}

const char *nerve_fold(nerve_folder *f, const char *s, size_t len, size_t *out_len)
{
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i == len || len > G_MAXINT32 / 4)
        return fold_ascii(f, s, len, out_len);

    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    grow_u16(&f->a, &f->cap_a, (int32_t)len + 1);
    u_strFromUTF8(f->a, f->cap_a, &n, s, (int32_t)len, &st);
    if (U_FAILURE(st))
        return fold_ascii(f, s, len, out_len); /* not valid UTF-8: keep the bytes */
    n = run_step(f, step_fold, f->a, n, &f->b, &f->cap_b);
    if (n >= 0)
        n = run_step(f, step_nfd, f->b, n, &f->a, &f->cap_a);
    if (n >= 0) {
        n = drop_marks(f->a, n);
        n = run_step(f, step_nfc, f->a, n, &f->b, &f->cap_b);
    }
    if (n < 0)
        return fold_ascii(f, s, len, out_len);
    int32_t m = 0;
    st = U_ZERO_ERROR;
    grow_out(f, (size_t)n * 3 + 1);
    u_strToUTF8(f->out, (int32_t)f->cap_out, &m, f->b, n, &st);
    g_assert(U_SUCCESS(st));
    *out_len = (size_t)m;
    return f->out;
}
