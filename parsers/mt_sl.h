/*
 * mt_sl.h - the syslog envelope shared by every syslog-borne format
 *
 *	Nov  2 09:15:01 host prog[pid]: body              (BSD / RFC 3164)
 *	2026-11-02T09:15:01.123456+01:00 host prog[pid]: body   (RFC 3339, rsyslog)
 *	<22>1 2026-11-02T09:15:01Z host prog pid - - body (RFC 5424)
 *	2026-11-02T09:15:01+0100 host prog[pid]: body     (journalctl -o short-iso)
 *
 * Spans borrow the line.  Single-threaded; no state beyond the time context.
 */
#ifndef MT_SL_H
#define MT_SL_H

#include <stddef.h>
#include <stdint.h>
#include "mt_err.h"
#include "mt_event.h"
#include "mt_time.h"

struct mt_sl {
	int64_t	 time;		/* UTC microseconds */
	struct mt_span host;
	struct mt_span prog;	/* "postfix/smtp", "sendmail", "sm-mta" */
	long	 pid;		/* -1 when absent */
	struct mt_span body;	/* after "prog[pid]: " */
};

/* mt_sl_parse - split line; 0 or -MT_ERR_INPUT when it is not syslog */
int	mt_sl_parse(struct mt_time_ctx *tc, const char *line, size_t len,
	    struct mt_sl *out) MT_WUR;

#endif
