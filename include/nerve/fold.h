/* fold.h - case- and accent-insensitive keys ("fold" matching).
 *
 * The fold key of a string is: ICU full case folding (ß -> ss, İ -> i +
 * U+0307, final sigma -> sigma), then NFD, then every non-spacing mark
 * (general category Mn) removed, then a few letters that carry their
 * "accent" inside the base letter mapped to it (ı -> i, ł -> l, ø -> o,
 * đ -> d, ħ -> h, ŧ -> t), then NFC.  So "STRASSE" and "Straße",
 * "DIYARBAKIR" and "Diyarbakır", "Sao Paulo" and "São Paulo" have the same
 * key.  For ASCII the key is the ASCII lower-case form, which is the
 * tokenizer's lower form: callers may take the token's lower form (and its
 * hash) for ASCII tokens and call nerve_fold() only for the others.
 */
#ifndef NERVE_FOLD_H
#define NERVE_FOLD_H

#include <glib.h>
#include <stddef.h>

G_BEGIN_DECLS

/* Scratch space for nerve_fold(): one per thread (not thread-safe).  Free
 * with nerve_folder_free(). */
typedef struct nerve_folder nerve_folder;

nerve_folder *nerve_folder_new(void);
void nerve_folder_free(nerve_folder *f);

/* The fold key of (s, len), valid UTF-8.  Returns s itself when the key is
 * s (lower-case ASCII), else a string in f valid until the next call on f;
 * *out_len receives the key's length in bytes.  Allocates only when f's
 * buffers must grow. */
const char *nerve_fold(nerve_folder *f, const char *s, size_t len, size_t *out_len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_folder, nerve_folder_free)

G_END_DECLS

#endif
