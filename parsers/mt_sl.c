/*
 * NAME
 *	mt_sl - split a syslog line into time, host, program, pid and body
 * SUMMARY
 *	#include "mt_sl.h"
 * DESCRIPTION
 *	Recognises the envelopes syslog daemons write:
 *
 *	Nov  2 09:15:01 host prog[pid]: body		BSD (RFC 3164), also
 *							"Nov 2", a fraction,
 *							and a leading <pri>
 *	2026-11-02T09:15:01.123456+01:00 host prog[pid]: body	rsyslog
 *	2026-11-02T09:15:01+0100 host prog[pid]: body	journalctl short-iso
 *	<22>1 2026-11-02T09:15:01Z host prog 1234 - - body	RFC 5424
 *
 *	The program name may contain '/', '-' and '.' ("postfix/submission/
 *	smtpd", "postfix-out/smtp", "sm-mta"); the pid is optional.  The
 *	scanner is hand-written: it never reads past len (lines are not
 *	NUL-terminated) and allocates nothing.
 * DIAGNOSTICS
 *	None: a line that is not syslog yields -MT_ERR_INPUT so that the
 *	caller can try other formats.
 */
#include <string.h>

#include "mt_sl.h"

#define SL_PROG_MAX	128	/* longest program name accepted */
#define SL_HOST_MAX	255

/* token_end - index of the first space at or after i (or len) */
static size_t
token_end(const char *s, size_t len, size_t i)
{
	const char *sp = i < len ? memchr(s + i, ' ', len - i) : NULL;

	return sp ? (size_t)(sp - s) : len;
}

/* parse_pid - decimal pid in s[a..b); -1 if not a sane number */
static long
parse_pid(const char *s, size_t a, size_t b)
{
	long v = 0;

	if (b <= a || b - a > 10)
		return -1;
	for (; a < b; a++) {
		if (s[a] < '0' || s[a] > '9')
			return -1;
		v = v * 10 + (s[a] - '0');
	}
	return v;
}

/* parse_tag - "prog[pid]: body" or "prog: body" starting at i */
static int
parse_tag(const char *s, size_t len, size_t i, struct mt_sl *out)
{
	size_t p0 = i, pe, q;

	for (; i < len; i++)
		if (s[i] == '[' || s[i] == ':' || s[i] == ' ')
			break;
	if (i == p0 || i >= len || s[i] == ' ' || i - p0 > SL_PROG_MAX)
		return -MT_ERR_INPUT;
	pe = i;
	out->pid = -1;
	if (s[i] == '[') {
		q = i + 1;
		while (q < len && q - i <= 12 && s[q] != ']')
			q++;
		if (q >= len || s[q] != ']')
			return -MT_ERR_INPUT;
		out->pid = parse_pid(s, i + 1, q);
		if (out->pid < 0)
			return -MT_ERR_INPUT;
		i = q + 1;
		if (i >= len || s[i] != ':')
			return -MT_ERR_INPUT;
	}
	/* s[i] == ':' */
	i++;
	if (i < len && s[i] == ' ')
		i++;
	out->prog.p = s + p0;
	out->prog.n = pe - p0;
	out->body.p = s + i;
	out->body.n = len - i;
	return 0;
}

/* parse_host - host token at i followed by one space; returns next index */
static int
parse_host(const char *s, size_t len, size_t *ip, struct mt_sl *out)
{
	size_t i = *ip, e;

	if (i >= len || s[i] == ' ')
		return -MT_ERR_INPUT;
	e = token_end(s, len, i);
	if (e >= len || e - i > SL_HOST_MAX)
		return -MT_ERR_INPUT;
	out->host.p = s + i;
	out->host.n = e - i;
	*ip = e + 1;
	return 0;
}

/* parse_5424 - "<pri>1 TS HOST APP PROCID MSGID SD [MSG]" after the "1 " */
static int
parse_5424(const char *s, size_t len, size_t i, struct mt_sl *out)
{
	size_t used, e;
	int depth;

	if (i + 2 <= len && s[i] == '-' && s[i + 1] == ' ') {
		out->time = 0;
		i += 2;
	} else {
		if (mt_time_iso(s + i, len - i, &out->time, &used) != 0)
			return -MT_ERR_INPUT;
		i += used;
		if (i >= len || s[i] != ' ')
			return -MT_ERR_INPUT;
		i++;
	}
	if (parse_host(s, len, &i, out) != 0)
		return -MT_ERR_INPUT;
	if (out->host.n == 1 && out->host.p[0] == '-')
		out->host = MT_SPAN_NONE;
	/* APP-NAME */
	e = token_end(s, len, i);
	if (e >= len || e == i || e - i > SL_PROG_MAX)
		return -MT_ERR_INPUT;
	out->prog.p = s + i;
	out->prog.n = e - i;
	if (out->prog.n == 1 && out->prog.p[0] == '-')
		out->prog = MT_SPAN_NONE;
	i = e + 1;
	/* PROCID */
	e = token_end(s, len, i);
	if (e >= len || e == i)
		return -MT_ERR_INPUT;
	out->pid = (e - i == 1 && s[i] == '-') ? -1 : parse_pid(s, i, e);
	i = e + 1;
	/* MSGID */
	e = token_end(s, len, i);
	if (e == i)
		return -MT_ERR_INPUT;
	i = e + 1;
	if (e >= len) {
		out->body.p = s + len;
		out->body.n = 0;
		return 0;
	}
	/* STRUCTURED-DATA: "-" or one or more "[...]" with \] escapes */
	if (i >= len)
		return -MT_ERR_INPUT;
	if (s[i] == '-')
		i++;
	else if (s[i] == '[') {
		while (i < len && s[i] == '[') {
			depth = 0;
			for (; i < len; i++) {
				if (s[i] == '\\' && i + 1 < len) {
					i++;
					continue;
				}
				if (s[i] == '"')
					depth = !depth;
				else if (s[i] == ']' && !depth)
					break;
			}
			if (i >= len)
				return -MT_ERR_INPUT;
			i++;
		}
	} else
		return -MT_ERR_INPUT;
	if (i < len && s[i] != ' ')
		return -MT_ERR_INPUT;
	if (i < len)
		i++;
	/* optional UTF-8 BOM */
	if (len - i >= 3 && (unsigned char)s[i] == 0xef &&
	    (unsigned char)s[i + 1] == 0xbb && (unsigned char)s[i + 2] == 0xbf)
		i += 3;
	out->body.p = s + i;
	out->body.n = len - i;
	return 0;
}

/* mt_sl_parse - split line; 0 or -MT_ERR_INPUT when it is not syslog */
int
mt_sl_parse(struct mt_time_ctx *tc, const char *line, size_t len,
    struct mt_sl *out)
{
	size_t i = 0, used;
	int r;

	memset(out, 0, sizeof(*out));
	out->pid = -1;
	if (len == 0)
		return -MT_ERR_INPUT;
	if (line[0] == '<') {
		for (i = 1; i < len && i <= 4 && line[i] >= '0' &&
		    line[i] <= '9'; i++)
			;
		if (i == 1 || i >= len || line[i] != '>')
			return -MT_ERR_INPUT;
		i++;
		if (len - i >= 2 && line[i] == '1' && line[i + 1] == ' ')
			return parse_5424(line, len, i + 2, out);
		if (i >= len)
			return -MT_ERR_INPUT;
	}
	if (line[i] >= '0' && line[i] <= '9')
		r = mt_time_iso(line + i, len - i, &out->time, &used);
	else
		r = mt_time_syslog(tc, line + i, len - i, &out->time, &used);
	if (r != 0)
		return -MT_ERR_INPUT;
	i += used;
	if (i >= len || line[i] != ' ')
		return -MT_ERR_INPUT;
	i++;
	if (parse_host(line, len, &i, out) != 0)
		return -MT_ERR_INPUT;
	return parse_tag(line, len, i, out);
}
