/*
 * test_time.c - unit tests of mt_time: syslog and ISO stamps, year
 * inference, zones, command-line times and durations
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mt_test.h"
#include "mt_time.h"

/* set_tz - switch the process zone */
static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* fmt - format a time into a static buffer */
static const char *
fmt(int64_t us)
{
	static char buf[MT_TIME_BUFSZ];

	return mt_time_format(us, buf);
}

/* iso - parse an RFC 3339 time that must be valid */
static int64_t
iso(const char *s)
{
	int64_t us = 0;
	size_t used;

	if (mt_time_iso(s, strlen(s), &us, &used) != 0 || used != strlen(s))
		printf("  bad test time %s\n", s);
	return us;
}

MT_TEST(test_syslog_year_inference)
{
	static const struct {
		const char *name, *ref, *line, *want;
		int year;
		size_t used;
	} rows[] = {
		{ "same year", "2026-11-03T00:00:00Z", "Nov  2 09:15:01 relay1",
		    "2026-11-02T09:15:01Z", 0, 15 },
		{ "december in january file", "2027-01-05T12:00:00Z",
		    "Dec 31 23:59:59 relay1", "2026-12-31T23:59:59Z", 0, 15 },
		{ "january in january file", "2027-01-05T12:00:00Z",
		    "Jan  1 00:00:01 relay1", "2027-01-01T00:00:01Z", 0, 15 },
		{ "fixed year wins", "2027-01-05T12:00:00Z",
		    "Dec 31 23:59:59 relay1", "2024-12-31T23:59:59Z", 2024, 15 },
		{ "single-space day", "2026-11-03T00:00:00Z", "Nov 2 09:15:01 x",
		    "2026-11-02T09:15:01Z", 0, 14 },
		{ "two-digit day", "2026-11-30T00:00:00Z", "Nov 12 09:15:01 x",
		    "2026-11-12T09:15:01Z", 0, 15 },
		{ "fraction", "2026-11-30T00:00:00Z",
		    "Nov 12 09:15:01.012345 x", "2026-11-12T09:15:01.012345Z", 0,
		    22 },
		{ "short fraction", "2026-11-30T00:00:00Z", "Nov 12 09:15:01.5 x",
		    "2026-11-12T09:15:01.500000Z", 0, 17 },
		{ "leap day in fixed leap year", "2028-03-01T00:00:00Z",
		    "Feb 29 12:00:00 x", "2028-02-29T12:00:00Z", 0, 15 },
	};
	struct mt_time_ctx c;
	int64_t us;
	size_t i, used;

	set_tz("UTC");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		mt_time_ctx_init(&c, rows[i].year, iso(rows[i].ref) / MT_USEC);
		us = 0;
		used = 0;
		MT_EXPECTF(mt_time_syslog(&c, rows[i].line, strlen(rows[i].line),
		    &us, &used) == 0, "%s: not parsed", rows[i].name);
		MT_EXPECTF(strcmp(fmt(us), rows[i].want) == 0,
		    "%s: got %s, want %s", rows[i].name, fmt(us), rows[i].want);
		MT_EXPECTF(used == rows[i].used, "%s: used %zu, want %zu",
		    rows[i].name, used, rows[i].used);
	}
}

MT_TEST(test_syslog_rejects)
{
	static const char *const bad[] = {
		"Nob  2 09:15:01 x", "Nov 31 09:15:01 x", "Nov  0 09:15:01 x",
		"Nov  2 24:00:00 x", "Nov  2 09:60:01 x", "Nov  2 9:15:01 x",
		"Nov  2 09:15", "Feb 29 12:00:00 x", "", "2026-11-02T09:15:01Z",
		"Nov  2  09:15:01 x", "Nov 123 09:15:01 x",
	};
	struct mt_time_ctx c;
	int64_t us;
	size_t i, used;

	set_tz("UTC");
	/* 2026 is not a leap year: Feb 29 is rejected */
	mt_time_ctx_init(&c, 2026, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		MT_EXPECTF(mt_time_syslog(&c, bad[i], strlen(bad[i]), &us,
		    &used) == -MT_ERR_INPUT, "accepted \"%s\"", bad[i]);
}

MT_TEST(test_syslog_zones)
{
	struct mt_time_ctx c;
	int64_t us;
	size_t used;
	const char *l;

	/* Europe/Berlin: CET (+01) in November, CEST (+02) in July */
	set_tz("Europe/Berlin");
	mt_time_ctx_init(&c, 2026, 0);
	l = "Nov  2 09:15:01 relay1";
	MT_EXPECT(mt_time_syslog(&c, l, strlen(l), &us, &used) == 0);
	MT_EXPECT_STR(fmt(us), "2026-11-02T08:15:01Z");
	/* same hour again: served from the cache */
	l = "Nov  2 09:59:59 relay1";
	MT_EXPECT(mt_time_syslog(&c, l, strlen(l), &us, &used) == 0);
	MT_EXPECT_STR(fmt(us), "2026-11-02T08:59:59Z");
	l = "Jul 14 12:00:00 relay1";
	MT_EXPECT(mt_time_syslog(&c, l, strlen(l), &us, &used) == 0);
	MT_EXPECT_STR(fmt(us), "2026-07-14T10:00:00Z");

	set_tz("America/New_York");
	mt_time_ctx_init(&c, 2026, 0);
	l = "Jan 10 23:30:00 relay1";
	MT_EXPECT(mt_time_syslog(&c, l, strlen(l), &us, &used) == 0);
	MT_EXPECT_STR(fmt(us), "2026-01-11T04:30:00Z");

	/* ISO without an offset is local as well */
	MT_EXPECT_STR(fmt(iso("2026-01-10T23:30:00")), "2026-01-11T04:30:00Z");
	set_tz("UTC");
}

MT_TEST(test_iso)
{
	static const struct {
		const char *in, *want;
		size_t used;
	} rows[] = {
		{ "2026-11-02T09:15:01Z", "2026-11-02T09:15:01Z", 20 },
		{ "2026-11-02T09:15:01.123456+01:00 relay3",
		    "2026-11-02T08:15:01.123456Z", 32 },
		{ "2026-11-02T09:15:01+0100 relay3", "2026-11-02T08:15:01Z", 24 },
		{ "2026-11-02T09:15:01-05:30", "2026-11-02T14:45:01Z", 25 },
		{ "2026-11-02 09:15:01.5Z", "2026-11-02T09:15:01.500000Z", 22 },
		{ "2026-11-02T00:15:01.123456789+02:00",
		    "2026-11-01T22:15:01.123456Z", 35 },
		{ "2022-01-08T19:42:12.572958+00:00 mail",
		    "2022-01-08T19:42:12.572958Z", 32 },
		{ "2028-02-29T23:00:00-01:00", "2028-03-01T00:00:00Z", 25 },
	};
	static const char *const bad[] = {
		"2026-13-02T09:15:01Z", "2026-02-30T09:15:01Z",
		"2026-11-02T24:00:00Z", "2026-11-02T09:15Z", "2026-11-02",
		"2026-11-2T09:15:01Z", "2026-11-02X09:15:01Z",
		"2026-11-02T09:15:01+25:00", "26-11-02T09:15:01Z",
		"2026-00-10T09:15:01Z",
	};
	int64_t us;
	size_t i, used;

	set_tz("UTC");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		us = 0;
		MT_EXPECTF(mt_time_iso(rows[i].in, strlen(rows[i].in), &us,
		    &used) == 0, "%s: not parsed", rows[i].in);
		MT_EXPECTF(strcmp(fmt(us), rows[i].want) == 0,
		    "%s: got %s, want %s", rows[i].in, fmt(us), rows[i].want);
		MT_EXPECTF(used == rows[i].used, "%s: used %zu want %zu",
		    rows[i].in, used, rows[i].used);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		MT_EXPECTF(mt_time_iso(bad[i], strlen(bad[i]), &us, &used) ==
		    -MT_ERR_INPUT, "accepted %s", bad[i]);
}

MT_TEST(test_arg)
{
	int64_t us;

	set_tz("Europe/Berlin");
	MT_EXPECT(mt_time_arg("2026-11-02", &us) == 0);
	MT_EXPECT_STR(fmt(us), "2026-11-01T23:00:00Z");
	MT_EXPECT(mt_time_arg("2026-11-02 09:15", &us) == 0);
	MT_EXPECT_STR(fmt(us), "2026-11-02T08:15:00Z");
	MT_EXPECT(mt_time_arg("2026-11-02 09:15:30", &us) == 0);
	MT_EXPECT_STR(fmt(us), "2026-11-02T08:15:30Z");
	MT_EXPECT(mt_time_arg("2026-11-02T09:15:30Z", &us) == 0);
	MT_EXPECT_STR(fmt(us), "2026-11-02T09:15:30Z");
	MT_EXPECT(mt_time_arg("2026-11-02T09:15:30+05:00", &us) == 0);
	MT_EXPECT_STR(fmt(us), "2026-11-02T04:15:30Z");
	MT_EXPECT_INT(mt_time_arg("2026-13-01", &us), -MT_ERR_USAGE);
	MT_EXPECT_INT(mt_time_arg("2026-02-30", &us), -MT_ERR_USAGE);
	MT_EXPECT_INT(mt_time_arg("2026-11-02 24:00", &us), -MT_ERR_USAGE);
	MT_EXPECT_INT(mt_time_arg("2026-11-02 09:15 junk", &us), -MT_ERR_USAGE);
	MT_EXPECT_INT(mt_time_arg("yesterday", &us), -MT_ERR_USAGE);
	MT_EXPECT_INT(mt_time_arg("", &us), -MT_ERR_USAGE);
	set_tz("UTC");
}

MT_TEST(test_duration)
{
	static const struct {
		const char *now, *dur, *want;
	} rows[] = {
		{ "2026-11-23T10:00:00Z", "2m", "2026-09-23T10:00:00Z" },
		{ "2026-03-31T10:00:00Z", "1m", "2026-02-28T10:00:00Z" },
		{ "2028-03-31T10:00:00Z", "1m", "2028-02-29T10:00:00Z" },
		{ "2026-05-31T10:00:00Z", "1m", "2026-04-30T10:00:00Z" },
		{ "2026-01-15T00:00:00Z", "3m", "2025-10-15T00:00:00Z" },
		{ "2026-01-15T00:00:00Z", "13m", "2024-12-15T00:00:00Z" },
		{ "2028-02-29T06:00:00Z", "1y", "2027-02-28T06:00:00Z" },
		{ "2026-11-23T10:00:00Z", "90s", "2026-11-23T09:58:30Z" },
		{ "2026-11-23T10:00:00Z", "15min", "2026-11-23T09:45:00Z" },
		{ "2026-11-23T10:00:00Z", "36h", "2026-11-21T22:00:00Z" },
		{ "2026-11-23T10:00:00Z", "30d", "2026-10-24T10:00:00Z" },
		{ "2026-11-23T10:00:00Z", "2w", "2026-11-09T10:00:00Z" },
		{ "2026-11-23T10:00:00Z", "0d", "2026-11-23T10:00:00Z" },
	};
	static const char *const bad[] = {
		"", "m", "-1d", "5", "5x", "5 d", "5mins", "1.5h", "9999999999y",
	};
	int64_t us;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		us = 0;
		MT_EXPECTF(mt_time_duration_before(iso(rows[i].now), rows[i].dur,
		    &us) == 0, "%s: rejected", rows[i].dur);
		MT_EXPECTF(strcmp(fmt(us), rows[i].want) == 0,
		    "%s - %s: got %s, want %s", rows[i].now, rows[i].dur, fmt(us),
		    rows[i].want);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		MT_EXPECTF(mt_time_duration_before(0, bad[i], &us) ==
		    -MT_ERR_USAGE, "accepted \"%s\"", bad[i]);
}

MT_TEST(test_format_day_now)
{
	char buf[MT_TIME_BUFSZ];

	MT_EXPECT_STR(mt_time_format(0, buf), "1970-01-01T00:00:00Z");
	MT_EXPECT_STR(mt_time_format(-1, buf), "1969-12-31T23:59:59.999999Z");
	MT_EXPECT_STR(mt_time_format(iso("2026-11-02T09:15:01.000001Z"), buf),
	    "2026-11-02T09:15:01.000001Z");
	MT_EXPECT_INT(mt_time_day(iso("2026-11-02T23:59:59Z")), 20759);
	MT_EXPECT_INT(mt_time_day(-1), -1);
	setenv("MSGTRAIL_NOW", "2026-11-23T10:00:00+01:00", 1);
	MT_EXPECT_STR(mt_time_format(mt_time_now(), buf),
	    "2026-11-23T09:00:00Z");
	unsetenv("MSGTRAIL_NOW");
	MT_EXPECT(mt_time_now() > iso("2024-01-01T00:00:00Z"));
}

int
main(void)
{
	MT_RUN(test_syslog_year_inference);
	MT_RUN(test_syslog_rejects);
	MT_RUN(test_syslog_zones);
	MT_RUN(test_iso);
	MT_RUN(test_arg);
	MT_RUN(test_duration);
	MT_RUN(test_format_day_now);
	return MT_DONE();
}
