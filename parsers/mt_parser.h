/*
 * mt_parser.h - records in, normalized events out
 *
 * One parser object handles every input format: it is given one record at
 * a time (a text line or one JSON value, as mt_in hands them out), works
 * out the format, and yields zero or more struct mt_event.
 *
 *	p = mt_parser_new(&cfg);
 *	while (mt_in_next(in, &rec, &len, &line) == 1) {
 *		fmt = mt_parser_push(p, MT_FMT_AUTO, rec, len, line);
 *		while (mt_parser_next(p, &ev) == 1)
 *			...;
 *	}
 *	mt_parser_free(p);
 *
 * Formats: syslog lines are split by mt_sl into time, host, program and
 * body, and the program picks the parser (Postfix, sendmail); lines of
 * other programs and non-syslog lines go to the application rules.  JSON
 * values are provider notifications (SES/SNS/SQS shapes) or journald
 * export records (converted to a syslog line first).
 *
 * The format a record was recognised as is stored with it in the index;
 * the query side pushes the stored record again with that format and the
 * stored time (mt_parser_set_time) to get the same events back.
 *
 * Ownership: events and the canonical record borrow memory owned by the
 * parser until the next push or free.  The rules object is borrowed and
 * must outlive the parser.  Single-threaded.
 */
#ifndef MT_PARSER_H
#define MT_PARSER_H

#include <stddef.h>
#include <stdint.h>
#include "mt_err.h"
#include "mt_event.h"

/* Stored on disk with each record: never renumber. */
enum mt_fmt {
	MT_FMT_AUTO = 0,	/* detect (ingest) */
	MT_FMT_SYSLOG = 1,	/* syslog line: Postfix, sendmail, or app via rules */
	MT_FMT_JSON = 2,	/* provider JSON value */
	MT_FMT_APP = 3		/* non-syslog application log line (rules) */
};

struct mt_rules;		/* parsers/mt_rules.h */

struct mt_parser_cfg {
	int	 year;		/* --year; 0 = infer from ref_time */
	const struct mt_rules *rules;	/* application rules; NULL = none */
	const char *const *smarthosts;	/* provider relay host patterns ("*.amazonaws.com"); NULL = defaults */
	size_t	 nsmarthosts;
};

struct mt_parser;

struct mt_parser *mt_parser_new(const struct mt_parser_cfg *cfg);
void	mt_parser_free(struct mt_parser *p);

/* mt_parser_set_input - file name for messages, mtime (seconds) for the year */
void	mt_parser_set_input(struct mt_parser *p, const char *file, int64_t ref_time);

/* mt_parser_set_time - at query time: the stored time overrides the parsed one
 * for the next push's events (0 = do not override) */
void	mt_parser_set_time(struct mt_parser *p, int64_t us);

/*
 * mt_parser_push - parse one record.  fmt is MT_FMT_AUTO to detect, or the
 * stored format.  Returns the format (> 0) when the record was recognised
 * (it may still yield no events, e.g. "connect from"), 0 when no parser
 * knows it, or -MT_ERR_INPUT when it is malformed (already reported as
 * file:line: reason).
 */
int	mt_parser_push(struct mt_parser *p, enum mt_fmt fmt, const char *rec,
	    size_t len, unsigned long lineno) MT_WUR;

/* mt_parser_next - next event of the last push: 1 and *ev filled, 0 none left */
int	mt_parser_next(struct mt_parser *p, struct mt_event *ev) MT_WUR;

/*
 * mt_parser_keys - the identifier keys (mt_event_keys) of every event of
 * the last push not yet handed out by mt_parser_next, deduplicated, at
 * most max; consumes those events.  What the indexer files a record under.
 */
size_t	mt_parser_keys(struct mt_parser *p, uint64_t *keys, size_t max);

/*
 * mt_parser_record - the canonical form of the last recognised record to
 * store: the line itself, a JSON value re-serialized compactly on one
 * line, or the syslog line built from a journald record.
 */
struct mt_span mt_parser_record(const struct mt_parser *p);

/* mt_parser_record_time - time of the last recognised record (0 unknown) */
int64_t	mt_parser_record_time(const struct mt_parser *p);

/*
 * mt_parser_is_smarthost - does relay=host[ip]:port name a sending
 * provider's SMTP endpoint (default list: Amazon SES "email-smtp.*.amazonaws.com",
 * "*.smtp-out.amazonses.com" and "inbound-smtp.*.amazonaws.com" excluded)?
 */
int	mt_parser_is_smarthost(const struct mt_parser *p, struct mt_span relay);

#endif
