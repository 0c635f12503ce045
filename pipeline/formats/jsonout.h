/* jsonout.h - private: appending output to a GString by hand.
 *
 * The JSONL writer appends tens of pieces per entity and per token pair
 * (a comma, a literal key, a number).  Through g_string_append() each
 * piece costs a function call, a strlen and a capacity check; here the
 * writer asks once for room for a whole group of pieces, writes them
 * through a plain char pointer and sets the length at the end:
 *
 *     char *p = nerve_out_room(out, 64);
 *     p = NERVE_OUT_LIT(p, ",\"start\":");
 *     p = nerve_out_uint(p, start);
 *     nerve_out_set_end(out, p);
 *
 * Between nerve_out_room() and nerve_out_set_end() the string is not
 * NUL-terminated; the GString functions do not need it to be, and
 * nerve_out_set_end() (or any GString append afterwards) restores it.
 */
#ifndef NERVE_PRIVATE_JSONOUT_H
#define NERVE_PRIVATE_JSONOUT_H

#include <glib.h>
#include <stdint.h>
#include <string.h>

/* Digits of a uint64_t in decimal, at most. */
#define NERVE_OUT_UINT_MAX 20

/* Grows out so that n more bytes (and the NUL after them) fit; out->len
 * stays as it was. */
static inline void nerve_out_grow(GString *out, size_t n)
{
    size_t len = out->len;
    g_string_set_size(out, len + n); /* reallocates to a power of two */
    out->len = len;
}

/* Where the next n bytes of out go; at most n may be written there. */
static inline char *nerve_out_room(GString *out, size_t n)
{
    if (G_UNLIKELY(out->len + n >= out->allocated_len))
        nerve_out_grow(out, n);
    return out->str + out->len;
}

/* Ends out at p (a pointer from nerve_out_room() moved by what was
 * written) and NUL-terminates it. */
static inline void nerve_out_set_end(GString *out, char *p)
{
    *p = '\0';
    out->len = (size_t)(p - out->str);
}

/* Writes a string literal at p; returns the end. */
#define NERVE_OUT_LIT(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

/* "00" to "99", for two digits at a time. */
static const char nerve_out_digits[] = "00010203040506070809101112131415161718192021222324"
                                       "25262728293031323334353637383940414243444546474849"
                                       "50515253545556575859606162636465666768697071727374"
                                       "75767778798081828384858687888990919293949596979899";

/* Writes v in decimal at p (room for NERVE_OUT_UINT_MAX bytes); returns
 * the end. */
static inline char *nerve_out_uint(char *p, uint64_t v)
{
    int n; /* the number of digits: compared, as offsets in order mostly keep theirs */
    if (v < 10000)
        n = v < 100 ? 1 + (v >= 10) : 3 + (v >= 1000);
    else if (v < 100000000)
        n = v < 1000000 ? 5 + (v >= 100000) : 7 + (v >= 10000000);
    else {
        n = 9;
        for (uint64_t t = v / 1000000000; t; t /= 10)
            n++;
    }
    char *end = p + n, *q = end;
    while (v >= 100) {
        q -= 2;
        memcpy(q, nerve_out_digits + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10) {
        q -= 2;
        memcpy(q, nerve_out_digits + 2 * v, 2);
    } else
        *--q = (char)('0' + v);
    return end;
}

#endif
