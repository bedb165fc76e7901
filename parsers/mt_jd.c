/*
 * NAME
 *	mt_jd - journald export records (journalctl -o json) to syslog lines
 * SUMMARY
 *	r = mt_jd_to_syslog(rec, len, &buf, file, line);
 * DESCRIPTION
 *	A cheap search for "__REALTIME_TIMESTAMP" rejects other JSON before
 *	it is parsed.  The record is parsed with JSON_REJECT_DUPLICATES and
 *	every field's type is checked.  The line is
 *
 *	    2026-11-02T09:15:01.123456+00:00 HOST IDENT[PID]: MESSAGE
 *
 *	with HOST from _HOSTNAME ("localhost" when absent), IDENT from
 *	SYSLOG_IDENTIFIER (else _COMM, else "unknown"), PID from _PID (else
 *	SYSLOG_PID; "[PID]" is left out when neither is there).  journalctl
 *	writes numbers as strings; both forms are accepted.  MESSAGE is a
 *	string, or an array of byte values when it is not valid UTF-8.
 *	Control characters in MESSAGE become '?', blanks and control
 *	characters in HOST and IDENT become '_', so the line stays one line
 *	that the syslog envelope parser splits correctly.
 * DIAGNOSTICS
 *	file:line: JSON error at line L column C: text
 *	file:line: journald: "FIELD" is not a string (and other wrong types)
 *	file:line: journald: MESSAGE left out by journalctl (too large)
 *	file:line: journald: line longer than the buffer allows
 */
#include <inttypes.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "mt_buf.h"
#include "mt_in.h"
#include "mt_jd.h"
#include "mt_msg.h"

#define JD_KEY		"\"__REALTIME_TIMESTAMP\""
#define JD_FIELD_MAX	64		/* a journald field name, with NUL */

/* jd_find - does needle occur in the n bytes at p? */
static int
jd_find(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	const char *q, *e = p + n;

	while (n >= k && (q = memchr(p, needle[0], n - k + 1)) != NULL) {
		if (memcmp(q, needle, k) == 0)
			return 1;
		p = q + 1;
		n = (size_t)(e - p);
	}
	return 0;
}

/*
 * jd_num - a field holding a decimal number (string or integer): 1 and
 * *v, 0 absent, -1 wrong (reported)
 */
static int
jd_num(json_t *o, const char *key, uint64_t max, uint64_t *v,
    const char *file, unsigned long line)
{
	json_t *f = json_object_get(o, key);	/* borrowed */
	const char *s;
	char *end;
	unsigned long long u;

	if (f == NULL)
		return 0;
	if (json_is_integer(f) && json_integer_value(f) >= 0 &&
	    (uint64_t)json_integer_value(f) <= max) {
		*v = (uint64_t)json_integer_value(f);
		return 1;
	}
	if (json_is_string(f)) {
		s = json_string_value(f);
		if (*s >= '0' && *s <= '9' && json_string_length(f) <= 20) {
			errno = 0;
			u = strtoull(s, &end, 10);
			if (errno == 0 && *end == '\0' && u <= max) {
				*v = u;
				return 1;
			}
		}
	}
	mt_msg_input(file, line, "journald: \"%s\" is not a number", key);
	return -1;
}

/* jd_str - string field: 1, 0 absent, -1 wrong type (reported) */
static int
jd_str(json_t *o, const char *key, json_t **out, const char *file,
    unsigned long line)
{
	json_t *f = json_object_get(o, key);	/* borrowed */

	*out = NULL;
	if (f == NULL)
		return 0;
	if (!json_is_string(f)) {
		mt_msg_input(file, line, "journald: \"%s\" is not a string", key);
		return -1;
	}
	*out = f;
	return 1;
}

/* jd_word - append a host or ident, blanks and controls as '_' */
static int
jd_word(struct mt_buf *out, json_t *s)
{
	const char *p = json_string_value(s);
	size_t i, n = json_string_length(s);
	unsigned char c;

	if (n == 0)
		return mt_buf_putc(out, '-');
	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c <= ' ' || c == 0x7f)
			c = '_';
		if (mt_buf_putc(out, c) != 0)
			return -MT_ERR_LIMIT;
	}
	return 0;
}

/* jd_byte - append one MESSAGE byte, controls as '?' */
static int
jd_byte(struct mt_buf *out, unsigned char c)
{
	if (c < ' ' || c == 0x7f)
		c = '?';
	return mt_buf_putc(out, c);
}

/* jd_message - append MESSAGE (string or byte array) */
static int
jd_message(struct mt_buf *out, json_t *m, const char *file,
    unsigned long line)
{
	const char *p;
	json_t *b;
	json_int_t v;
	size_t i, n;

	if (json_is_string(m)) {
		p = json_string_value(m);
		n = json_string_length(m);
		for (i = 0; i < n; i++)
			if (jd_byte(out, (unsigned char)p[i]) != 0)
				return -MT_ERR_LIMIT;
		return 0;
	}
	json_array_foreach(m, i, b) {
		v = json_is_integer(b) ? json_integer_value(b) : -1;
		if (v < 0 || v > 255) {
			mt_msg_input(file, line, "journald: \"MESSAGE[%zu]\" is "
			    "not a byte value", i);
			return -MT_ERR_INPUT;
		}
		if (jd_byte(out, (unsigned char)v) != 0)
			return -MT_ERR_LIMIT;
	}
	return 0;
}

/* mt_jd_to_syslog - journald record -> syslog line */
int
mt_jd_to_syslog(const char *rec, size_t len, struct mt_buf *out,
    const char *file, unsigned long line)
{
	json_error_t err;
	json_t *o, *msg, *host, *ident;
	uint64_t us, pid;
	struct tm tm;
	time_t secs;
	int r, havepid, ret = -MT_ERR_INPUT;

	if (len > MT_IN_JSON_MAX || !jd_find(rec, len, JD_KEY))
		return 0;
	o = json_loadb(rec, len, JSON_REJECT_DUPLICATES, &err);	/* new */
	if (o == NULL) {
		mt_msg_input(file, line, "JSON error at line %d column %d: %s",
		    err.line, err.column, err.text);
		return -MT_ERR_INPUT;
	}
	if (!json_is_object(o) ||
	    (msg = json_object_get(o, "MESSAGE")) == NULL ||	/* borrowed */
	    json_object_get(o, "__REALTIME_TIMESTAMP") == NULL) {
		ret = 0;
		goto out;
	}
	if (json_is_null(msg)) {
		mt_msg_input(file, line, "journald: MESSAGE left out by "
		    "journalctl (too large; use journalctl --all)");
		goto out;
	}
	if (!json_is_string(msg) && !json_is_array(msg)) {
		mt_msg_input(file, line, "journald: \"MESSAGE\" is not a string "
		    "or a byte array");
		goto out;
	}
	/* up to the year 9999 */
	if (jd_num(o, "__REALTIME_TIMESTAMP", UINT64_C(253402300799999999),
	    &us, file, line) != 1)
		goto out;
	if ((r = jd_num(o, "_PID", INT32_MAX, &pid, file, line)) == 0)
		r = jd_num(o, "SYSLOG_PID", INT32_MAX, &pid, file, line);
	if (r < 0)
		goto out;
	havepid = r == 1;
	if (jd_str(o, "_HOSTNAME", &host, file, line) < 0)
		goto out;
	if ((r = jd_str(o, "SYSLOG_IDENTIFIER", &ident, file, line)) == 0)
		r = jd_str(o, "_COMM", &ident, file, line);
	if (r < 0)
		goto out;

	secs = (time_t)(us / 1000000);
	if (gmtime_r(&secs, &tm) == NULL) {
		mt_msg_input(file, line, "journald: time out of range");
		goto out;
	}
	mt_buf_reset(out);
	if (mt_buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02d.%06u+00:00 ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (unsigned)(us % 1000000)) != 0 ||
	    (host ? jd_word(out, host) :
	    mt_buf_append(out, "localhost", 9)) != 0 ||
	    mt_buf_putc(out, ' ') != 0 ||
	    (ident ? jd_word(out, ident) :
	    mt_buf_append(out, "unknown", 7)) != 0 ||
	    (havepid && mt_buf_printf(out, "[%" PRIu64 "]", pid) != 0) ||
	    mt_buf_append(out, ": ", 2) != 0)
		goto toolong;
	if ((r = jd_message(out, msg, file, line)) == -MT_ERR_LIMIT)
		goto toolong;
	if (r < 0)
		goto out;
	ret = 1;
	goto out;
toolong:
	mt_msg_input(file, line, "journald: line longer than %zu bytes",
	    out->max);
	ret = -MT_ERR_INPUT;
out:
	json_decref(o);
	return ret;
}
