/*
 * mt_q.h - questions asked of the store: trace, failure export, summary
 *
 * A query context holds the open store, a parser to re-read stored
 * records, and a cache of decompressed blocks.  mt_q_trace starts from any
 * identifier (Message-ID with or without <>, queue ID, provider message ID,
 * request ID, recipient address), follows the links between records
 * (queue ID <-> Message-ID <-> provider ID, "queued as" hops) to a fixed
 * point, splits reused queue IDs into separate message instances, and
 * decides a verdict per recipient (outcome, stage, class, hint).
 *
 * Ownership: the store and parser configuration are borrowed and must
 * outlive the context; a trace belongs to the caller (mt_trace_free).
 * Errors: 0 or -MT_ERR_* after reporting.  Single-threaded.
 */
#ifndef MT_Q_H
#define MT_Q_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "mt_err.h"
#include "mt_ix.h"
#include "mt_parser.h"

struct mt_q_opts {
	int64_t	 since;		/* 0 = unbounded */
	int64_t	 until;		/* 0 = unbounded */
	size_t	 max_messages;	/* 0 = default (100) */
	int	 workers;	/* parser threads of a whole-window read
				   (mt_q_each_message): 0 = one per CPU,
				   N = at most N, -1 = none */
};

struct mt_q;
struct mt_trace;

struct mt_q *mt_q_new(struct mt_ix *ix, const struct mt_parser_cfg *pcfg,
	    const struct mt_q_opts *opts);
void	mt_q_free(struct mt_q *q);

/* mt_q_trace - trace one identifier; *out has zero or more messages */
int	mt_q_trace(struct mt_q *q, const char *id, struct mt_trace **out) MT_WUR;
size_t	mt_trace_count(const struct mt_trace *t);
/* exactly one JSON object (the CLI contract), newline-terminated */
int	mt_trace_print_json(const struct mt_trace *t, FILE *fp) MT_WUR;
/* readable timeline; colour only when color != 0; ends with one verdict
 * line per recipient */
int	mt_trace_print_text(const struct mt_trace *t, FILE *fp, int color) MT_WUR;
void	mt_trace_free(struct mt_trace *t);

#define MT_CSV_SUMMARY	0x1	/* one row per (domain, stage, class, outcome) */
#define MT_CSV_RAW	0x2	/* no formula-injection guard */

/* mt_q_export_failures - RFC 4180 CSV of failed recipients in the window */
int	mt_q_export_failures(struct mt_q *q, FILE *fp, int flags) MT_WUR;

/* mt_q_summary - postmaster totals; JSON object when json != 0 */
int	mt_q_summary(struct mt_q *q, FILE *fp, int json) MT_WUR;

#endif
