/*
 * mt_jd.h - journald export records (journalctl -o json) to syslog lines
 *
 * A journald record is one JSON object with MESSAGE, __REALTIME_TIMESTAMP
 * (microseconds), _HOSTNAME, SYSLOG_IDENTIFIER and _PID (or SYSLOG_PID).
 * mt_jd_to_syslog turns it into the line rsyslog would have written:
 *
 *	2026-11-02T09:15:01.123456+00:00 HOST IDENT[PID]: MESSAGE
 *
 * so that the syslog parsers handle it.  MESSAGE may be a string or an
 * array of byte values; control characters in it are written as '?'.
 *
 * Ownership: out is the caller's (reset, then filled).  No state.
 */
#ifndef MT_JD_H
#define MT_JD_H

#include <stddef.h>
#include "mt_buf.h"
#include "mt_err.h"

/*
 * mt_jd_to_syslog - 1 and out holds the line; 0 when rec is not a
 * journald record (no MESSAGE or __REALTIME_TIMESTAMP); -MT_ERR_INPUT
 * when it is one but malformed (reported as file:line: reason).
 */
int	mt_jd_to_syslog(const char *rec, size_t len, struct mt_buf *out,
	    const char *file, unsigned long line) MT_WUR;

#endif
