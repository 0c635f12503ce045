/* runner.h - the streaming runner: one reader, a pool of workers, one
 * ordered writer.
 *
 * The calling thread reads records and writes results; a GThreadPool of
 * workers parses, annotates and renders.  Results are written in input
 * order, so the output is byte-identical for any number of threads.  At
 * most max_in_flight records (and about max_bytes_in_flight bytes) are in
 * the pipe at once, so memory does not grow with the corpus.  With one
 * thread everything runs in the calling thread.
 */
#ifndef NERVE_RUNNER_H
#define NERVE_RUNNER_H

#include <glib.h>

#include "model.h"
#include "reader.h"
#include "writer.h"

G_BEGIN_DECLS

typedef struct {
    guint64 read;        /* records read */
    guint64 written;     /* documents annotated and written */
    guint64 failed;      /* error records written */
    guint64 skipped;     /* records not for this shard, or already done (--resume) */
    guint64 bytes;       /* input bytes consumed */
    guint64 bytes_total; /* input size when known, else 0 */
    guint64 tokens;      /* tokens annotated */
    guint64 dropped;     /* entities that lost overlap resolution */
    double seconds;
    /* with timing on: nanoseconds (all threads) spent turning records into
     * documents (JSON parsing, UTF-8 checks) and rendering the output */
    guint64 parse_ns, render_ns;
} nerve_run_stats;

typedef struct {
    guint threads;          /* workers; 0: number of cores */
    guint max_in_flight;    /* 0: 8 per thread */
    guint shard_k, shard_n; /* --shard K/N (1-based K); n == 0: no sharding */
    /* Called in the calling thread for every failed record (for stderr). */
    void (*on_error)(const nerve_record *rec, const GError *err, gpointer user_data);
    /* Called in the calling thread about every 0.5 s and once at the end. */
    void (*on_progress)(const nerve_run_stats *stats, gboolean final, gpointer user_data);
    gpointer user_data;
    /* Set to TRUE (from a signal handler) to stop reading; documents in
     * flight are finished and written. */
    volatile gint *stop;
    gboolean timing; /* measure parse_ns and render_ns */
} nerve_runner_options;

/* Runs every record of reader through model into writer.  Returns FALSE
 * with error only on a fatal failure (an input or the output failing);
 * failed records are counted in stats, not errors.  stats may be NULL. */
gboolean nerve_run(const nerve_model *model, nerve_reader *reader, nerve_writer *writer,
                   const nerve_runner_options *opts, nerve_run_stats *stats, GError **error);

/* The shard (0-based) of a document id among n, stable across runs and
 * machines. */
guint nerve_shard_of(const char *id, guint n);

G_END_DECLS

#endif
