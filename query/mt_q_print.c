/*
 * NAME
 *	mt_q_print.c - a trace as one JSON object or as a readable timeline
 *
 * SUMMARY
 *	mt_trace_print_json(t, stdout);
 *	mt_trace_print_text(t, stdout, isatty(1));
 *
 * DESCRIPTION
 *	JSON is built with jansson and dumped with JSON_PRESERVE_ORDER, so
 *	the key order is the CLI contract's and escaping is jansson's:
 *
 *	{"query", "messages": [{"ids": {"message_id", "queue_ids",
 *	 "provider_ids", "request_ids"}, "from", "recipients": [{"address",
 *	 "outcome", "stage", "dsn", "reply", "class", "hint"}], "events":
 *	 [{"time", "stage", "source", "host", "type", "recipient", "dsn",
 *	 "detail", "raw", "queue_id"}]}]}
 *
 *	Absent values are null.  The text form masks control characters
 *	(C0, DEL, C1) and bytes that are not UTF-8 with '?' and uses ANSI
 *	colour only when asked.
 *
 * DIAGNOSTICS
 *	A write error is reported and returned as -MT_ERR_IO.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mt_alloc.h"
#include "mt_buf.h"
#include "mt_msg.h"
#include "mt_q.h"
#include "mt_q_int.h"
#include "mt_q_msg.h"
#include "mt_time.h"

#define DETAIL_MAX	4096

/* jstr - a new JSON string, or null for NULL */
static json_t *
jstr(const char *s)
{
	json_t *j;

	if (s == NULL)
		return json_null();
	/* invalid UTF-8 from a log: keep the bytes visible, not the call */
	if ((j = json_string(s)) == NULL) {
		char *c = mt_strdup(s), *p;

		for (p = c; *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		j = json_string(c);
		free(c);
	}
	return j ? j : json_null();
}

/* jstr_nz - like jstr, but "" is null too */
static json_t *
jstr_nz(const char *s)
{
	return s && *s ? jstr(s) : json_null();
}

/* is_report - an event whose detail is the reply text */
static int
is_report(enum mt_etype t)
{
	switch (t) {
	case MT_EV_SENT:
	case MT_EV_DEFERRED:
	case MT_EV_BOUNCED:
	case MT_EV_EXPIRED:
	case MT_EV_REJECTED:
	case MT_EV_CONNECT_ERROR:
	case MT_EV_FAILED:
	case MT_EV_DELIVERY:
	case MT_EV_BOUNCE:
	case MT_EV_COMPLAINT:
	case MT_EV_DELIVERYDELAY:
	case MT_EV_REJECT:
	case MT_EV_RENDERING_FAILURE:
		return 1;
	default:
		return 0;
	}
}

/* event_detail - the reply, or a short summary of the line, into b */
static void
event_detail(const struct mt_q_event *e, struct mt_buf *b)
{
	int rc = 0;

	mt_buf_reset(b);
	if (is_report(e->type) && e->reply != NULL && *e->reply != '\0') {
		size_t n = strlen(e->reply);

		if (n > DETAIL_MAX - 1)
			n = DETAIL_MAX - 1;	/* keep what fits */
		if (mt_buf_append(b, e->reply, n) != 0)
			mt_buf_reset(b);
		return;
	}
	switch (e->type) {
	case MT_EV_RECEIVED:
		if (e->client != NULL)
			rc = mt_buf_printf(b, "client=%s", e->client);
		else if (e->sender != NULL)
			rc = mt_buf_printf(b, "from=<%s>", e->sender);
		break;
	case MT_EV_QUEUED:
		if (e->sender != NULL)
			rc = mt_buf_printf(b, "from=<%s>", e->sender);
		if (rc == 0 && e->size >= 0)
			rc = mt_buf_printf(b, "%ssize=%" PRId64,
			    b->len ? " " : "", e->size);
		if (rc == 0 && e->nrcpt >= 0)
			rc = mt_buf_printf(b, "%snrcpt=%d", b->len ? " " : "",
			    e->nrcpt);
		break;
	case MT_EV_MESSAGE_ID:
		if (e->message_id != NULL)
			rc = mt_buf_printf(b, "message-id=<%s>", e->message_id);
		break;
	case MT_EV_NOTIFIED:
		if (e->qid2 != NULL)
			rc = mt_buf_printf(b, "queued as %s", e->qid2);
		break;
	case MT_EV_COMPLAINT:
		if (e->subtype != NULL)
			rc = mt_buf_printf(b, "feedback-type=%s", e->subtype);
		break;
	case MT_EV_SUBMITTED:
	case MT_EV_SEND:
		if (e->provider_id != NULL)
			rc = mt_buf_printf(b, "provider-id=%s", e->provider_id);
		else if (e->message_id != NULL)
			rc = mt_buf_printf(b, "message-id=<%s>", e->message_id);
		break;
	default:
		break;
	}
	if (rc == 0 && b->len == 0 && e->reply != NULL && *e->reply != '\0')
		rc = mt_buf_printf(b, "%.*s", DETAIL_MAX - 1, e->reply);
	if (rc == 0 && b->len == 0 && e->relay != NULL) {
		rc = mt_buf_printf(b, "relay=%s", e->relay);
		if (rc == 0 && e->delay != NULL)
			rc = mt_buf_printf(b, " delay=%s", e->delay);
	}
	if (rc == 0 && b->len == 0 && e->status != NULL)
		rc = mt_buf_printf(b, "%s", e->status);
	if (rc != 0)		/* over DETAIL_MAX: no summary */
		mt_buf_reset(b);
}

/* json_event - one event object (new reference) */
static json_t *
json_event(const struct mt_q_event *e, struct mt_buf *b)
{
	json_t *o = json_object();
	char tb[MT_TIME_BUFSZ];

	event_detail(e, b);
	json_object_set_new(o, "time", json_string(mt_time_format(e->time,
	    tb)));
	json_object_set_new(o, "stage", jstr_nz(mt_stage_to_text(e->stage)));
	json_object_set_new(o, "source", jstr_nz(mt_src_to_text(e->src)));
	json_object_set_new(o, "host", jstr(e->host));
	json_object_set_new(o, "type", jstr(mt_etype_to_text(e->type)));
	json_object_set_new(o, "recipient", jstr(e->recipient));
	json_object_set_new(o, "dsn", jstr(e->dsn));
	json_object_set_new(o, "detail", b->len ? jstr(b->data) : json_null());
	json_object_set_new(o, "raw", jstr(e->raw));
	json_object_set_new(o, "queue_id", jstr(e->qid));
	return o;
}

/* json_list - array of strings (new reference) */
static json_t *
json_list(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, jstr(v[i]));
	return a;
}

/* json_msg - one message object (new reference) */
static json_t *
json_msg(const struct mt_q_msg *m, struct mt_buf *b)
{
	json_t *o = json_object(), *ids = json_object(), *rc, *ev;
	size_t i;

	json_object_set_new(ids, "message_id", jstr(m->message_id));
	json_object_set_new(ids, "queue_ids", json_list(m->queue_ids,
	    m->nqueue_ids));
	json_object_set_new(ids, "provider_ids", json_list(m->provider_ids,
	    m->nprovider_ids));
	json_object_set_new(ids, "request_ids", json_list(m->request_ids,
	    m->nrequest_ids));
	json_object_set_new(o, "ids", ids);
	json_object_set_new(o, "from", jstr(m->from));
	rc = json_array();
	for (i = 0; i < m->nrcpts; i++) {
		const struct mt_q_rcpt *r = &m->rcpts[i];
		json_t *ro = json_object();

		json_object_set_new(ro, "address", jstr(r->address));
		json_object_set_new(ro, "outcome",
		    jstr_nz(mt_outcome_to_text(r->outcome)));
		json_object_set_new(ro, "stage",
		    jstr_nz(mt_stage_to_text(r->stage)));
		json_object_set_new(ro, "dsn", jstr(r->dsn));
		json_object_set_new(ro, "reply", jstr(r->reply));
		json_object_set_new(ro, "class", jstr_nz(r->cls));
		json_object_set_new(ro, "hint", jstr_nz(r->hint));
		json_array_append_new(rc, ro);
	}
	json_object_set_new(o, "recipients", rc);
	ev = json_array();
	for (i = 0; i < m->nevents; i++)
		json_array_append_new(ev, json_event(&m->events[i], b));
	json_object_set_new(o, "events", ev);
	return o;
}

/* dump_cb - jansson output callback to a stdio stream */
static int
dump_cb(const char *buf, size_t n, void *arg)
{
	return fwrite(buf, 1, n, arg) == n ? 0 : -1;
}

/* mt_trace_print_json - exactly one JSON object, newline-terminated */
int
mt_trace_print_json(const struct mt_trace *t, FILE *fp)
{
	json_t *root, *msgs;
	struct mt_buf b;
	size_t i;
	int rc = 0;

	mt_buf_init(&b, DETAIL_MAX);
	root = json_object();
	json_object_set_new(root, "query", jstr(mt_q_trace_query(t)));
	msgs = json_array();
	for (i = 0; i < mt_trace_count(t); i++)
		json_array_append_new(msgs, json_msg(mt_q_trace_msg(t, i), &b));
	json_object_set_new(root, "messages", msgs);
	if (json_dump_callback(root, dump_cb, fp, JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', fp) == EOF || ferror(fp)) {
		mt_warn("write trace");
		rc = -MT_ERR_IO;
	}
	json_decref(root);
	mt_buf_free(&b);
	return rc;
}

/*
 * utf8_ok - length of the valid UTF-8 sequence at s that is not a control
 * character (C1: U+0080..U+009F), or 0
 */
static size_t
utf8_ok(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

/*
 * put - s with control characters and bytes that are not UTF-8 masked
 * as '?' (one per byte, so the width in bytes is kept); "-" for NULL or ""
 */
static void
put(FILE *fp, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n;

	if (s == NULL || *s == '\0') {
		fputc('-', fp);
		return;
	}
	while (*u) {
		if ((n = utf8_ok(u)) == 0) {
			fputc('?', fp);
			u++;
			continue;
		}
		fwrite(u, 1, n, fp);
		u += n;
	}
}

/* shown_len - bytes put() writes for s */
static size_t
shown_len(const char *s)
{
	return s == NULL || *s == '\0' ? 1 : strlen(s);
}

/* put_col - put() then spaces up to width w, then the column gap */
static void
put_col(FILE *fp, const char *s, size_t w)
{
	size_t n = shown_len(s);

	put(fp, s);
	for (; n < w; n++)
		fputc(' ', fp);
	fputs("  ", fp);
}

/* widen - *w = max(*w, shown_len(s)) */
static void
widen(size_t *w, const char *s)
{
	size_t n = shown_len(s);

	if (n > *w)
		*w = n;
}

/* frac_digits - fraction digits that show every time of m: 0, 3 or 6 */
static int
frac_digits(const struct mt_q_msg *m)
{
	int d = 0;
	size_t i;

	for (i = 0; i < m->nevents; i++) {
		int64_t f = m->events[i].time % MT_USEC;

		if (f < 0)
			f += MT_USEC;
		if (f % 1000 != 0)
			return 6;
		if (f != 0)
			d = 3;
	}
	return d;
}

/* time_fixed - RFC 3339 UTC with exactly digits fraction digits */
static char *
time_fixed(int64_t us, int digits, char *out)
{
	int64_t f = us % MT_USEC;
	size_t n;

	if (f < 0)
		f += MT_USEC;
	mt_time_format(us - f, out);	/* "...:SSZ" */
	if (digits == 0)
		return out;
	n = strlen(out) - 1;		/* at the 'Z' */
	snprintf(out + n, MT_TIME_BUFSZ - n, ".%0*dZ", digits,
	    (int)(digits == 3 ? f / 1000 : f));
	return out;
}

/* put_list - comma-separated identifiers */
static void
put_list(FILE *fp, char *const *v, size_t n)
{
	size_t i;

	if (n == 0)
		fputc('-', fp);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", fp);
		put(fp, v[i]);
	}
}

/* outcome_color - ANSI colour of an outcome */
static const char *
outcome_color(enum mt_outcome o)
{
	switch (o) {
	case MT_OUT_DELIVERED:
		return "\033[32m";
	case MT_OUT_DEFERRED:
	case MT_OUT_PENDING:
		return "\033[33m";
	default:
		return "\033[31m";
	}
}

/* ev_where - the host of an event, else its source */
static const char *
ev_where(const struct mt_q_event *e)
{
	return e->host ? e->host : mt_src_to_text(e->src);
}

/* print_events - the timeline of m, one line per event, in columns */
static void
print_events(const struct mt_q_msg *m, FILE *fp, struct mt_buf *b)
{
	size_t j, ws = 0, wt = 0, wh = 0, wr = 0, wd = 0;
	int digits = frac_digits(m);

	for (j = 0; j < m->nevents; j++) {
		const struct mt_q_event *e = &m->events[j];

		widen(&ws, mt_stage_to_text(e->stage));
		widen(&wt, mt_etype_to_text(e->type));
		widen(&wh, ev_where(e));
		widen(&wr, e->recipient);
		widen(&wd, e->dsn);
	}
	for (j = 0; j < m->nevents; j++) {
		const struct mt_q_event *e = &m->events[j];
		char tb[MT_TIME_BUFSZ];

		event_detail(e, b);
		fprintf(fp, "  %s  ", time_fixed(e->time, digits, tb));
		put_col(fp, mt_stage_to_text(e->stage), ws);
		put_col(fp, mt_etype_to_text(e->type), wt);
		put_col(fp, ev_where(e), wh);
		put_col(fp, e->recipient, wr);
		put_col(fp, e->dsn, wd);
		put(fp, b->len ? b->data : NULL);
		fputc('\n', fp);
	}
}

/* print_verdicts - one line per recipient of m, in columns */
static void
print_verdicts(const struct mt_q_msg *m, FILE *fp, int color)
{
	const char *off = color ? "\033[0m" : "";
	size_t j, wa = 0, wo = 0, ws = 0, wc = 0;

	for (j = 0; j < m->nrcpts; j++) {
		widen(&wa, m->rcpts[j].address);
		widen(&wo, mt_outcome_to_text(m->rcpts[j].outcome));
		widen(&ws, mt_stage_to_text(m->rcpts[j].stage));
		widen(&wc, m->rcpts[j].cls);
	}
	for (j = 0; j < m->nrcpts; j++) {
		const struct mt_q_rcpt *r = &m->rcpts[j];

		fputs("  verdict  ", fp);
		put_col(fp, r->address, wa);
		fputs(color ? outcome_color(r->outcome) : "", fp);
		put(fp, mt_outcome_to_text(r->outcome));
		fputs(off, fp);
		fprintf(fp, "%*s at ", (int)(wo -
		    shown_len(mt_outcome_to_text(r->outcome))), "");
		put_col(fp, mt_stage_to_text(r->stage), ws);
		put_col(fp, r->cls, wc);
		put(fp, r->hint);
		fputc('\n', fp);
	}
}

/* mt_trace_print_text - readable timeline and verdicts */
int
mt_trace_print_text(const struct mt_trace *t, FILE *fp, int color)
{
	const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
	struct mt_buf b;
	size_t i;
	int rc = 0;

	mt_buf_init(&b, DETAIL_MAX);
	for (i = 0; i < mt_trace_count(t); i++) {
		const struct mt_q_msg *m = mt_q_trace_msg(t, i);

		if (i)
			fputc('\n', fp);
		fprintf(fp, "%sMessage-ID:%s   ", bold, off);
		if (m->message_id) {
			fputc('<', fp);
			put(fp, m->message_id);
			fputc('>', fp);
		} else
			fputc('-', fp);
		fprintf(fp, "\n%sQueue IDs:%s    ", bold, off);
		put_list(fp, m->queue_ids, m->nqueue_ids);
		fprintf(fp, "\n%sProvider IDs:%s ", bold, off);
		put_list(fp, m->provider_ids, m->nprovider_ids);
		if (m->nrequest_ids > 0) {
			fprintf(fp, "\n%sRequest IDs:%s  ", bold, off);
			put_list(fp, m->request_ids, m->nrequest_ids);
		}
		fprintf(fp, "\n%sFrom:%s         ", bold, off);
		if (m->from == NULL)
			fputc('-', fp);
		else {
			fputc('<', fp);
			if (*m->from)
				put(fp, m->from);
			fputc('>', fp);
		}
		fputs("\n\n", fp);
		print_events(m, fp, &b);
		fputc('\n', fp);
		print_verdicts(m, fp, color);
	}
	if (fflush(fp) == EOF || ferror(fp)) {
		mt_warn("write trace");
		rc = -MT_ERR_IO;
	}
	mt_buf_free(&b);
	return rc;
}
