/* hide.c - the hide stage (hide.h): flags the entities of a model's
 * internal labels so that they stay usable by rules but are never written.
 *
 * Labels are interned once when the stage is built, so the per-document
 * work is a pointer comparison per entity and label (a model has a
 * handful of internal labels).  Flagging instead of removing keeps the
 * document's add-only invariant (doc.h).
 */
#include "nerve/hide.h"

#include "nerve/error.h"

typedef struct {
    const char **labels; /* interned */
    guint n;
} hide;

guint nerve_hide_labels(nerve_doc *doc, const char *const *labels, guint n)
{
    size_t n_ent;
    nerve_entity *ents = nerve_doc_entities(doc, &n_ent);
    guint flagged = 0;
    for (size_t i = 0; i < n_ent; i++)
        for (guint k = 0; k < n; k++)
            if (ents[i].label == labels[k]) {
                flagged += !(ents[i].flags & NERVE_ENTITY_HIDDEN);
                ents[i].flags |= NERVE_ENTITY_HIDDEN;
                break;
            }
    return flagged;
}

static gboolean process(const void *self, nerve_doc *doc, GError **error)
{
    (void)error;
    const hide *h = self;
    nerve_hide_labels(doc, h->labels, h->n);
    return TRUE;
}

static void hide_free(gpointer p)
{
    hide *h = p;
    g_free(h->labels);
    g_free(h);
}

nerve_stage *nerve_hide_stage_new(const char *const *labels)
{
    hide *h = g_new0(hide, 1);
    while (labels && labels[h->n])
        h->n++;
    h->labels = g_new(const char *, h->n + 1);
    for (guint k = 0; k < h->n; k++)
        h->labels[k] = g_intern_string(labels[k]);
    h->labels[h->n] = NULL;
    return nerve_stage_new("hide", process, h, hide_free);
}

nerve_stage *nerve_hide_stage_from_model(const nerve_model *model, GError **error)
{
    json_t *sec = nerve_model_section(model, "hide");
    json_t *labels = json_object_get(sec, "labels");
    if ((sec && !json_is_object(sec)) || (labels && !json_is_array(labels))) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                    "%s/model.json: \"hide\" must be {\"labels\": [LABEL, ...]}",
                    nerve_model_dir(model));
        return NULL;
    }
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    size_t i;
    json_t *v;
    json_array_foreach(labels, i, v)
    {
        if (!json_is_string(v) || !*json_string_value(v)) {
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                        "%s/model.json: hide.labels[%zu] must be a label", nerve_model_dir(model),
                        i);
            return NULL;
        }
        g_ptr_array_add(names, (gpointer)json_string_value(v));
    }
    g_ptr_array_add(names, NULL);
    return nerve_hide_stage_new((const char *const *)names->pdata);
}
