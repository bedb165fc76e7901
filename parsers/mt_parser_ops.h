/*
 * mt_parser_ops.h - the interface every format parser implements
 *
 * Internal to parsers/: mt_parser.c owns the table and is the only place
 * that switches on the input format.  A format parser is a set of
 * functions over its own opaque state:
 *
 *	new	allocate state (cfg is borrowed for the parser's life)
 *	push	parse one record; env is the syslog envelope for syslog
 *		formats, NULL otherwise.  Returns 1 recognised, 0 not mine,
 *		-MT_ERR_INPUT malformed (reported with file:line).
 *	next	1 and *ev filled, 0 no more events for this record
 *	free	release state; accepts NULL
 */
#ifndef MT_PARSER_OPS_H
#define MT_PARSER_OPS_H

#include "mt_event.h"
#include "mt_parser.h"
#include "mt_sl.h"

struct mt_parser_ctx {
	const struct mt_parser_cfg *cfg;
	const char *file;		/* for messages */
	unsigned long line;		/* line of the current record */
	int64_t	 time_override;		/* 0 = none */
	int	 stored;		/* the record was read back from the store:
					   it is already in canonical form */
};

struct mt_parser_ops {
	const char *name;
	void	*(*new)(const struct mt_parser_ctx *ctx);
	int	 (*push)(void *st, const struct mt_sl *env, const char *rec, size_t len);
	int	 (*next)(void *st, struct mt_event *ev);
	void	 (*free)(void *st);
};

extern const struct mt_parser_ops mt_pf_ops;	/* Postfix (mt_pf.c) */
extern const struct mt_parser_ops mt_sm_ops;	/* sendmail (mt_sm.c) */
extern const struct mt_parser_ops mt_ses_ops;	/* SES/SNS JSON (mt_ses.c) */
extern const struct mt_parser_ops mt_app_ops;	/* application rules (mt_rules.c) */

#endif
