/*
 * mt_time.h - timestamps to UTC microseconds, and back
 *
 * Times are int64 microseconds since the Unix epoch, UTC.  Year-less
 * syslog stamps ("Nov  2 09:15:01") are local time in the process's
 * time zone (the CLI sets TZ from --tz before parsing) and take their
 * year from a reference time (the input file's mtime) unless a fixed year
 * is given; a month after the reference month belongs to the year before
 * (a December line in a log written in January).  Single-threaded: the
 * context caches the zone offset per hour.
 */
#ifndef MT_TIME_H
#define MT_TIME_H

#include <stddef.h>
#include <stdint.h>
#include "mt_err.h"

#define MT_USEC 1000000LL

struct mt_time_ctx {
	int	 year;		/* fixed year (--year), 0 = infer */
	int64_t	 ref;		/* reference time, seconds since epoch (mtime) */
	int	 ref_year;	/* derived from ref, local time */
	int	 ref_month;	/* 1..12 */
	int64_t	 cache_key;	/* local hour cached (yyyymmddhh), -1 none */
	int64_t	 cache_off;	/* its UTC offset in seconds */
};

/* mt_time_ctx_init - fixed year (0 = infer) and reference time (seconds) */
void	mt_time_ctx_init(struct mt_time_ctx *c, int year, int64_t ref);

/*
 * mt_time_syslog - "Mmm dd hh:mm:ss" (day may be space-padded, optional
 * ".ffffff" fraction).  Stores the time and the number of bytes used.
 * Returns 0, or -MT_ERR_INPUT if s does not start with such a stamp.
 */
int	mt_time_syslog(struct mt_time_ctx *c, const char *s, size_t n,
	    int64_t *us, size_t *used) MT_WUR;

/*
 * mt_time_iso - ISO 8601 / RFC 3339: "YYYY-MM-DDTHH:MM:SS[.f...][Z|+hh:mm|+hhmm]",
 * 'T' or one space between date and time.  Without a zone the time is
 * local (process zone).  Returns 0 or -MT_ERR_INPUT; stores bytes used.
 */
int	mt_time_iso(const char *s, size_t n, int64_t *us, size_t *used) MT_WUR;

/*
 * mt_time_arg - a command-line time: "YYYY-MM-DD" (local midnight), an
 * RFC 3339 time, or "YYYY-MM-DD HH:MM[:SS]".  Returns 0 or -MT_ERR_USAGE.
 */
int	mt_time_arg(const char *s, int64_t *us) MT_WUR;

/*
 * mt_time_duration_before - now minus a duration "N" + unit: s, min, h, d,
 * w, m (calendar months), y.  "2m" from 2026-11-23T10:00Z is
 * 2026-09-23T10:00Z.  Returns 0 or -MT_ERR_USAGE.
 */
int	mt_time_duration_before(int64_t now_us, const char *dur, int64_t *us) MT_WUR;

/* mt_time_format - RFC 3339 UTC, "2026-11-02T09:15:01Z", with ".ffffff"
 * only when the fraction is non-zero; out needs MT_TIME_BUFSZ bytes. */
#define MT_TIME_BUFSZ 40
char	*mt_time_format(int64_t us, char *out);

/* mt_time_now - current time, or MSGTRAIL_NOW (RFC 3339) when set (tests) */
int64_t	mt_time_now(void);

/* mt_time_day - UTC day number (days since epoch) of a time */
int64_t	mt_time_day(int64_t us);

#endif
