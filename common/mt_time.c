/*
 * NAME
 *	mt_time - timestamps to UTC microseconds, and back
 * SUMMARY
 *	#include "mt_time.h"
 * DESCRIPTION
 *	Parses the time stamps found in mail logs: year-less BSD syslog
 *	stamps ("Nov  2 09:15:01"), ISO 8601 / RFC 3339 times with or
 *	without a zone, and command-line times and durations.  Formats
 *	times back as RFC 3339 UTC.
 *
 *	UTC conversion uses the proleptic Gregorian day count (what timegm()
 *	computes, without its per-call overhead on the hot path).  Local
 *	times go through mktime() with tm_isdst = -1; for syslog stamps the
 *	UTC offset is cached per local hour in struct mt_time_ctx, because
 *	mktime() is slow.
 * DIAGNOSTICS
 *	None: functions return -MT_ERR_INPUT or -MT_ERR_USAGE and the
 *	caller reports.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mt_time.h"

#define DAY_SECS	86400LL

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* is_leap - Gregorian leap year */
static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* month_days - days in month m (1..12) of year y */
static int
month_days(int64_t y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && is_leap(y))
		return 29;
	return mdays[m - 1];
}

/* days_from_civil - days since 1970-01-01 of y-m-d (proleptic Gregorian) */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* civil_from_days - inverse of days_from_civil */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* floor_div - division rounding toward minus infinity */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* digits - parse exactly n decimal digits at s; -1 if any is not a digit */
static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* fraction - optional ".ddd..." at s[0..n); microseconds, bytes used */
static int
fraction(const char *s, size_t n, int64_t *usec, size_t *used)
{
	size_t i;
	int64_t v = 0;
	int nd = 0;

	*usec = 0;
	*used = 0;
	if (n < 2 || (s[0] != '.' && s[0] != ',') || s[1] < '0' || s[1] > '9')
		return 0;
	for (i = 1; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (nd < 6) {
			v = v * 10 + (s[i] - '0');
			nd++;
		}
		if (i > 32)
			return -1;
	}
	for (; nd < 6; nd++)
		v *= 10;
	*usec = v;
	*used = i;
	return 0;
}

/* valid_fields - calendar and clock fields in range */
static int
valid_fields(int64_t y, int mo, int d, int h, int mi, int s)
{
	if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > month_days(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    s < 0 || s > 60)
		return 0;
	return 1;
}

/* utc_secs - seconds since the epoch of a UTC wall time (timegm) */
static int64_t
utc_secs(int64_t y, int mo, int d, int h, int mi, int s)
{
	return days_from_civil(y, mo, d) * DAY_SECS + h * 3600LL + mi * 60LL + s;
}

/* local_offset - UTC offset (seconds) of a local wall time via mktime */
static int
local_offset(int64_t y, int mo, int d, int h, int64_t *off)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (y - 1900 > INT_MAX || y < 1)
		return -1;
	tm.tm_year = (int)(y - 1900);
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = 30;		/* mid-hour: away from a transition edge */
	tm.tm_isdst = -1;
	errno = 0;
	t = mktime(&tm);
	if (t == (time_t)-1 && errno != 0)
		return -1;
	*off = utc_secs(y, mo, d, h, 30, 0) - (int64_t)t;
	return 0;
}

/* local_secs - seconds since the epoch of a local wall time, cached per hour */
static int
local_secs(struct mt_time_ctx *c, int64_t y, int mo, int d, int h, int mi,
    int s, int64_t *out)
{
	int64_t key = ((y * 100 + mo) * 100 + d) * 100 + h, off;

	if (c != NULL && c->cache_key == key)
		off = c->cache_off;
	else {
		if (local_offset(y, mo, d, h, &off) == -1)
			return -1;
		if (c != NULL) {
			c->cache_key = key;
			c->cache_off = off;
		}
	}
	*out = utc_secs(y, mo, d, h, mi, s) - off;
	return 0;
}

/* mt_time_ctx_init - fixed year (0 = infer) and reference time (seconds) */
void
mt_time_ctx_init(struct mt_time_ctx *c, int year, int64_t ref)
{
	struct tm tm;
	time_t t;

	memset(c, 0, sizeof(*c));
	c->year = year;
	if (ref <= 0)
		ref = mt_time_now() / MT_USEC;
	c->ref = ref;
	t = (time_t)ref;
	if (localtime_r(&t, &tm) != NULL) {
		c->ref_year = tm.tm_year + 1900;
		c->ref_month = tm.tm_mon + 1;
	} else {
		c->ref_year = 1970;
		c->ref_month = 1;
	}
	c->cache_key = -1;
	c->cache_off = 0;
}

/* month_index - 1..12 for an English month abbreviation, 0 if none */
static int
month_index(const char *s)
{
	int i;

	for (i = 0; i < 12; i++)
		if (s[0] == months[3 * i] && s[1] == months[3 * i + 1] &&
		    s[2] == months[3 * i + 2])
			return i + 1;
	return 0;
}

/* mt_time_syslog - "Mmm dd hh:mm:ss[.ffffff]" as local time */
int
mt_time_syslog(struct mt_time_ctx *c, const char *s, size_t n, int64_t *us,
    size_t *used)
{
	int mo, d, h, mi, sec;
	size_t i, fl;
	int64_t y, frac, secs;

	if (n < 14 || (mo = month_index(s)) == 0 || s[3] != ' ')
		return -MT_ERR_INPUT;
	i = 4;
	if (s[i] == ' ')
		i++;
	if (s[i] < '0' || s[i] > '9')
		return -MT_ERR_INPUT;
	d = s[i++] - '0';
	if (s[i] >= '0' && s[i] <= '9')
		d = d * 10 + (s[i++] - '0');
	if (i + 9 > n || s[i] != ' ')
		return -MT_ERR_INPUT;
	i++;
	if ((h = digits(s + i, 2)) < 0 || s[i + 2] != ':' ||
	    (mi = digits(s + i + 3, 2)) < 0 || s[i + 5] != ':' ||
	    (sec = digits(s + i + 6, 2)) < 0)
		return -MT_ERR_INPUT;
	i += 8;
	if (fraction(s + i, n - i, &frac, &fl) == -1)
		return -MT_ERR_INPUT;
	i += fl;
	if (c->year != 0)
		y = c->year;
	else {
		y = c->ref_year;
		if (mo > c->ref_month)
			y--;
	}
	if (!valid_fields(y, mo, d, h, mi, sec))
		return -MT_ERR_INPUT;
	if (local_secs(c, y, mo, d, h, mi, sec, &secs) == -1)
		return -MT_ERR_INPUT;
	*us = secs * MT_USEC + frac;
	*used = i;
	return 0;
}

/* parse_date - "YYYY-MM-DD" at s (needs 10 bytes) */
static int
parse_date(const char *s, size_t n, int64_t *y, int *mo, int *d)
{
	int v;

	if (n < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if ((v = digits(s, 4)) < 0)
		return -1;
	*y = v;
	if ((*mo = digits(s + 5, 2)) < 0 || (*d = digits(s + 8, 2)) < 0)
		return -1;
	return 0;
}

/* parse_zone - "Z", "+hh:mm", "+hhmm" or "+hh"; offset seconds, bytes used;
 * 0 found, 1 none, -1 malformed */
static int
parse_zone(const char *s, size_t n, int64_t *off, size_t *used)
{
	int hh, mm = 0, sign;
	size_t i;

	if (n >= 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*off = 0;
		*used = 1;
		return 0;
	}
	if (n < 3 || (s[0] != '+' && s[0] != '-'))
		return 1;
	sign = s[0] == '-' ? -1 : 1;
	if ((hh = digits(s + 1, 2)) < 0)
		return -1;
	i = 3;
	if (n >= 6 && s[3] == ':') {
		if ((mm = digits(s + 4, 2)) < 0)
			return -1;
		i = 6;
	} else if (n >= 5 && s[3] >= '0' && s[3] <= '9') {
		if ((mm = digits(s + 3, 2)) < 0)
			return -1;
		i = 5;
	}
	if (hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 3600LL + mm * 60LL);
	*used = i;
	return 0;
}

/*
 * iso_parse - date, separator, "HH:MM[:SS][.f][zone]"; seconds optional
 * only when allow_nosec.  Local time without a zone.
 */
static int
iso_parse(const char *s, size_t n, int allow_nosec, int64_t *us, size_t *used)
{
	int64_t y, frac = 0, off = 0, secs;
	int mo, d, h, mi, sec = 0, zr;
	size_t i, fl = 0, zl = 0;

	if (parse_date(s, n, &y, &mo, &d) == -1)
		return -1;
	if (n < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return -1;
	if ((h = digits(s + 11, 2)) < 0 || s[13] != ':' ||
	    (mi = digits(s + 14, 2)) < 0)
		return -1;
	i = 16;
	if (n >= 19 && s[16] == ':' && (sec = digits(s + 17, 2)) >= 0) {
		i = 19;
		if (fraction(s + i, n - i, &frac, &fl) == -1)
			return -1;
		i += fl;
	} else if (!allow_nosec)
		return -1;
	else
		sec = 0;
	if (!valid_fields(y, mo, d, h, mi, sec))
		return -1;
	zr = parse_zone(s + i, n - i, &off, &zl);
	if (zr == -1)
		return -1;
	if (zr == 0) {
		secs = utc_secs(y, mo, d, h, mi, sec) - off;
		i += zl;
	} else if (local_secs(NULL, y, mo, d, h, mi, sec, &secs) == -1)
		return -1;
	*us = secs * MT_USEC + frac;
	*used = i;
	return 0;
}

/* mt_time_iso - ISO 8601 / RFC 3339 time; local without a zone */
int
mt_time_iso(const char *s, size_t n, int64_t *us, size_t *used)
{
	if (iso_parse(s, n, 0, us, used) == -1)
		return -MT_ERR_INPUT;
	return 0;
}

/* mt_time_arg - a command-line time: date, RFC 3339, "date HH:MM[:SS]" */
int
mt_time_arg(const char *s, int64_t *us)
{
	size_t n = strlen(s), used;
	int64_t y, secs;
	int mo, d;

	if (n == 10) {
		if (parse_date(s, n, &y, &mo, &d) == -1 ||
		    !valid_fields(y, mo, d, 0, 0, 0) ||
		    local_secs(NULL, y, mo, d, 0, 0, 0, &secs) == -1)
			return -MT_ERR_USAGE;
		*us = secs * MT_USEC;
		return 0;
	}
	if (iso_parse(s, n, 1, us, &used) == -1 || used != n)
		return -MT_ERR_USAGE;
	return 0;
}

/* mt_time_duration_before - now minus "N" + unit (s min h d w m y) */
int
mt_time_duration_before(int64_t now_us, const char *dur, int64_t *us)
{
	char *end;
	long long v;
	int64_t mult, days, y, ym, tod;
	int mo, d;

	if (dur == NULL || dur[0] < '0' || dur[0] > '9')
		return -MT_ERR_USAGE;
	errno = 0;
	v = strtoll(dur, &end, 10);
	if (errno != 0 || end == dur || v < 0 || v > 1000000)
		return -MT_ERR_USAGE;
	if (strcmp(end, "m") == 0 || strcmp(end, "y") == 0) {
		ym = strcmp(end, "y") == 0 ? v * 12 : v;
		days = floor_div(now_us, DAY_SECS * MT_USEC);
		tod = now_us - days * DAY_SECS * MT_USEC;
		civil_from_days(days, &y, &mo, &d);
		ym = y * 12 + (mo - 1) - ym;
		y = floor_div(ym, 12);
		mo = (int)(ym - y * 12) + 1;
		if (y < 1)
			return -MT_ERR_USAGE;
		if (d > month_days(y, mo))
			d = month_days(y, mo);
		*us = days_from_civil(y, mo, d) * DAY_SECS * MT_USEC + tod;
		return 0;
	}
	if (strcmp(end, "s") == 0)
		mult = 1;
	else if (strcmp(end, "min") == 0)
		mult = 60;
	else if (strcmp(end, "h") == 0)
		mult = 3600;
	else if (strcmp(end, "d") == 0)
		mult = DAY_SECS;
	else if (strcmp(end, "w") == 0)
		mult = 7 * DAY_SECS;
	else
		return -MT_ERR_USAGE;
	*us = now_us - (int64_t)v * mult * MT_USEC;
	return 0;
}

/* mt_time_format - RFC 3339 UTC, fraction only when non-zero */
char *
mt_time_format(int64_t us, char *out)
{
	int64_t days, rem, y;
	int mo, d, frac;

	days = floor_div(us, DAY_SECS * MT_USEC);
	rem = us - days * DAY_SECS * MT_USEC;
	civil_from_days(days, &y, &mo, &d);
	frac = (int)(rem % MT_USEC);
	rem /= MT_USEC;
	if (frac != 0)
		snprintf(out, MT_TIME_BUFSZ,
		    "%04lld-%02d-%02dT%02d:%02d:%02d.%06dZ", (long long)y, mo,
		    d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
		    frac);
	else
		snprintf(out, MT_TIME_BUFSZ, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
		    (long long)y, mo, d, (int)(rem / 3600), (int)(rem / 60 % 60),
		    (int)(rem % 60));
	return out;
}

/* mt_time_now - current time, or MSGTRAIL_NOW (RFC 3339) when set */
int64_t
mt_time_now(void)
{
	const char *e = getenv("MSGTRAIL_NOW");
	struct timespec ts;
	int64_t us;
	size_t used;

	if (e != NULL && *e != '\0' &&
	    mt_time_iso(e, strlen(e), &us, &used) == 0 && used == strlen(e))
		return us;
	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return 0;
	return (int64_t)ts.tv_sec * MT_USEC + ts.tv_nsec / 1000;
}

/* mt_time_day - UTC day number of a time */
int64_t
mt_time_day(int64_t us)
{
	return floor_div(us, DAY_SECS * MT_USEC);
}
