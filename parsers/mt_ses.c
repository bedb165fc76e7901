/*
 * NAME
 *	mt_ses - Amazon SES notifications and event records -> events
 * SUMMARY
 *	mt_ses_ops.push(st, NULL, json, len); while (mt_ses_ops.next(st, &ev)) ...
 * DESCRIPTION
 *	One push takes one JSON value.  Envelopes are unwrapped first, at
 *	most SES_UNWRAP_MAX levels, each inner JSON string size- and
 *	depth-checked before it is parsed: an SNS notification ("Type":
 *	"Notification", "Message" string), an SQS message ("Body" string),
 *	a captured HTTP request ("body" string) and an EventBridge event
 *	("detail" object).  The innermost object is an SNS notification
 *	(notificationType Delivery, Bounce, Complaint) or an event publishing
 *	record (eventType Send, Delivery, Bounce, Complaint, DeliveryDelay,
 *	Reject, Rendering Failure, Open, Click, Subscription).
 *
 *	Outcomes are per recipient, so one event is made per recipient:
 *	delivery.recipients, bounce.bouncedRecipients,
 *	complaint.complainedRecipients, deliveryDelay.delayedRecipients, and
 *	mail.destination for the types that have no list of their own.
 *	A bounce the provider made without trying the recipient (bounceSubType
 *	Suppressed or OnAccountSuppressionList) is placed at the provider.
 *
 *	Every value's type is checked before it is read; JSON null counts as
 *	absent.  The sender is the address inside <> of mail.source when it
 *	has one; the relay is reportingMTA without its "dsn; " type, with
 *	remoteMtaIp in brackets when known (as Postfix writes relay=).
 *
 *	The canonical record (mt_ses_record) is the innermost object dumped
 *	with JSON_COMPACT: one line, and pushing it again gives the same
 *	events.
 * DIAGNOSTICS
 *	file:line: JSON error at line L column C: text
 *	file:line: SES: "delivery.recipients" is not an array (and other
 *	wrong types), SES: no "mail" object, SES: unknown event type "X",
 *	SES: "Message" nested deeper than 64 levels, ...
 *	The record is skipped (-MT_ERR_INPUT); nothing is fatal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "mt_alloc.h"
#include "mt_in.h"
#include "mt_msg.h"
#include "mt_parser_ops.h"
#include "mt_ses.h"
#include "mt_time.h"

#define SES_UNWRAP_MAX	4		/* envelopes around the notification */
#define SES_EV_MAX	1000		/* events (recipients) per record */
#define SES_RELAY_SIZE	(255 + 64 + 1)
#define SES_PATH_SIZE	128

struct ses {
	const struct mt_parser_ctx *ctx;
	json_t	*keep;			/* innermost object: new reference */
	char	*compact;		/* json_dumps(keep), malloc'd */
	size_t	 ncompact;
	const char *recp;		/* the canonical record: compact, or */
	size_t	 recn;			/* the stored record pushed as it is */
	struct mt_event *ev;
	size_t	 nev, cap, next;
	int	 overflow;
	char	 relay[SES_RELAY_SIZE];
};

/* ses_report - "file:line: SES: ..." */
static void MT_PRINTF(2, 3)
ses_report(struct ses *s, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	mt_msg_input(s->ctx->file, s->ctx->line, "SES: %s", text);
}

/* ses_path - "parent.key" into buf */
static const char *
ses_path(char *buf, const char *parent, const char *key)
{
	if (parent == NULL || *parent == '\0')
		snprintf(buf, SES_PATH_SIZE, "%.100s", key);
	else
		snprintf(buf, SES_PATH_SIZE, "%.60s.%.40s", parent, key);
	return buf;
}

/*
 * ses_get - member key of obj (borrowed) of the wanted json type:
 * 1 found, 0 absent or null, -1 wrong type (reported).
 */
static int
ses_get(struct ses *s, json_t *obj, const char *parent, const char *key,
    json_type want, json_t **out)
{
	static const char *const what[] = {
		[JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array",
		[JSON_STRING] = "a string", [JSON_INTEGER] = "an integer",
		[JSON_REAL] = "a number", [JSON_TRUE] = "a boolean",
		[JSON_FALSE] = "a boolean", [JSON_NULL] = "null"
	};
	char path[SES_PATH_SIZE];
	json_t *v;

	*out = NULL;
	v = json_object_get(obj, key);		/* borrowed */
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_typeof(v) != want) {
		ses_report(s, "\"%s\" is not %s", ses_path(path, parent, key),
		    what[want]);
		return -1;
	}
	*out = v;
	return 1;
}

/* ses_str - string member as a span: 1, 0 absent, -1 wrong type */
static int
ses_str(struct ses *s, json_t *obj, const char *parent, const char *key,
    struct mt_span *sp)
{
	json_t *v;
	int r;

	*sp = MT_SPAN_NONE;
	if ((r = ses_get(s, obj, parent, key, JSON_STRING, &v)) != 1)
		return r;
	sp->p = json_string_value(v);
	sp->n = json_string_length(v);
	return 1;
}

/* ses_need - a required member: missing is reported like a wrong type */
static int
ses_need(struct ses *s, json_t *obj, const char *parent, const char *key,
    json_type want, json_t **out)
{
	char path[SES_PATH_SIZE];
	int r;

	if ((r = ses_get(s, obj, parent, key, want, out)) != 0)
		return r;
	ses_report(s, "no \"%s\"", ses_path(path, parent, key));
	return -1;
}

/* ses_trim - strip white space and one pair of <> */
static struct mt_span
ses_trim(struct mt_span sp)
{
	while (sp.n > 0 && (*sp.p == ' ' || *sp.p == '\t'))
		sp.p++, sp.n--;
	while (sp.n > 0 && (sp.p[sp.n - 1] == ' ' || sp.p[sp.n - 1] == '\t'))
		sp.n--;
	if (sp.n >= 2 && sp.p[0] == '<' && sp.p[sp.n - 1] == '>')
		sp.p++, sp.n -= 2;
	return sp;
}

/* ses_addr - the address inside <> of "Name <addr>", else the whole */
static struct mt_span
ses_addr(struct mt_span sp)
{
	const char *lt, *gt;

	if (sp.n == 0)
		return sp;
	lt = memchr(sp.p, '<', sp.n);
	if (lt != NULL) {
		gt = memchr(lt, '>', sp.n - (size_t)(lt - sp.p));
		if (gt != NULL)
			return (struct mt_span){ lt + 1, (size_t)(gt - lt - 1) };
	}
	return ses_trim(sp);
}

/* ses_digit - ASCII digit */
static int
ses_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * ses_codes - basic SMTP code and enhanced status code of a reply such as
 * "250 2.0.0 OK ..." or "smtp; 550 5.1.1 user unknown"
 */
static void
ses_codes(struct mt_span r, int *code, struct mt_span *dsn)
{
	const char *p, *e, *semi;
	size_t i, k;

	*code = 0;
	if (r.n == 0)
		return;
	p = r.p;
	e = r.p + r.n;
	semi = memchr(p, ';', r.n < 12 ? r.n : 12);	/* "smtp; " */
	if (semi != NULL)
		p = semi + 1;
	while (p < e && *p == ' ')
		p++;
	if (e - p >= 3 && p[0] >= '2' && p[0] <= '5' && ses_digit(p[1]) &&
	    ses_digit(p[2]) && (e - p == 3 || p[3] == ' ' || p[3] == '-')) {
		*code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
		while (p < e && (*p == ' ' || *p == '-'))
			p++;
	}
	/* d.ddd.ddd */
	if (e - p < 5 || !(p[0] >= '2' && p[0] <= '5') || p[1] != '.')
		return;
	i = 2;
	for (k = 0; i < (size_t)(e - p) && ses_digit(p[i]) && k < 3; k++)
		i++;
	if (k == 0 || i >= (size_t)(e - p) || p[i] != '.')
		return;
	i++;
	for (k = 0; i < (size_t)(e - p) && ses_digit(p[i]) && k < 3; k++)
		i++;
	if (k == 0 || (i < (size_t)(e - p) && p[i] != ' '))
		return;
	if (dsn->n == 0) {
		dsn->p = p;
		dsn->n = i;
	}
}

/* ses_relay - "host[ip]" from reportingMTA ("dsn; host") and remoteMtaIp */
static struct mt_span
ses_relay(struct ses *s, struct mt_span mta, struct mt_span ip)
{
	const char *semi;
	int n;

	if (mta.n > 0 && (semi = memchr(mta.p, ';', mta.n)) != NULL) {
		mta.n -= (size_t)(semi + 1 - mta.p);
		mta.p = semi + 1;
	}
	mta = ses_trim(mta);
	if (mta.n == 0 && ip.n == 0)
		return MT_SPAN_NONE;
	if (ip.n == 0)
		return mta;
	n = snprintf(s->relay, sizeof(s->relay), "%.*s[%.*s]", (int)mta.n,
	    mta.p, (int)ip.n, ip.p);
	if (n < 0 || (size_t)n >= sizeof(s->relay))
		return mta;
	return (struct mt_span){ s->relay, (size_t)n };
}

/* ses_add - a new event copied from the template; NULL past the cap */
static struct mt_event *
ses_add(struct ses *s, const struct mt_event *tmpl)
{
	if (s->nev == SES_EV_MAX) {
		if (!s->overflow)
			ses_report(s, "more than %d recipients, the rest "
			    "ignored", SES_EV_MAX);
		s->overflow = 1;
		return NULL;
	}
	if (s->nev == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->ev = mt_reallocarray(s->ev, s->cap, sizeof(*s->ev));
	}
	s->ev[s->nev] = *tmpl;
	return &s->ev[s->nev++];
}

/* ses_time - "parent.timestamp" as UTC microseconds: 1, 0 absent, -1 bad */
static int
ses_time(struct ses *s, json_t *obj, const char *parent, int64_t *us)
{
	struct mt_span t;
	size_t used;
	int r;

	if ((r = ses_str(s, obj, parent, "timestamp", &t)) != 1)
		return r;
	if (mt_time_iso(t.p, t.n, us, &used) != 0 || used != t.n) {
		ses_report(s, "\"%s.timestamp\" is not a valid time: \"%.*s\"",
		    parent, (int)(t.n > 64 ? 64 : t.n), t.p);
		return -1;
	}
	return 1;
}

/* ses_dest - one event per mail.destination entry */
static int
ses_dest(struct ses *s, json_t *mail, const struct mt_event *tmpl)
{
	char path[SES_PATH_SIZE];
	struct mt_event *ev;
	json_t *dest, *v;
	size_t i;

	if (ses_need(s, mail, "mail", "destination", JSON_ARRAY, &dest) != 1)
		return -1;
	json_array_foreach(dest, i, v) {
		if (!json_is_string(v)) {
			snprintf(path, sizeof(path), "mail.destination[%zu]", i);
			ses_report(s, "\"%s\" is not a string", path);
			return -1;
		}
		if ((ev = ses_add(s, tmpl)) == NULL)
			break;
		ev->recipient.p = json_string_value(v);
		ev->recipient.n = json_string_length(v);
	}
	return 0;
}

/*
 * ses_rcpts - one event per entry of detail.key: strings (delivery) or
 * objects with emailAddress, status and diagnosticCode
 */
static int
ses_rcpts(struct ses *s, json_t *detail, const char *dname, const char *key,
    const struct mt_event *tmpl)
{
	char path[SES_PATH_SIZE], epath[SES_PATH_SIZE];
	struct mt_event *ev;
	struct mt_span addr, st, diag;
	json_t *arr, *v;
	size_t i;

	if (ses_need(s, detail, dname, key, JSON_ARRAY, &arr) != 1)
		return -1;
	ses_path(path, dname, key);
	json_array_foreach(arr, i, v) {
		snprintf(epath, sizeof(epath), "%.80s[%zu]", path, i);
		st = diag = MT_SPAN_NONE;
		if (json_is_string(v)) {
			addr.p = json_string_value(v);
			addr.n = json_string_length(v);
		} else if (json_is_object(v)) {
			if (ses_need(s, v, epath, "emailAddress", JSON_STRING,
			    &v) != 1)
				return -1;
			addr.p = json_string_value(v);
			addr.n = json_string_length(v);
			v = json_array_get(arr, i);
			if (ses_str(s, v, epath, "status", &st) < 0 ||
			    ses_str(s, v, epath, "diagnosticCode", &diag) < 0)
				return -1;
		} else {
			ses_report(s, "\"%s\" is not an object", epath);
			return -1;
		}
		if ((ev = ses_add(s, tmpl)) == NULL)
			break;
		ev->recipient = addr;
		if (st.n > 0)
			ev->dsn = st;
		if (diag.n > 0) {
			ev->reply = diag;
			ses_codes(diag, &ev->reply_code, &ev->dsn);
		}
	}
	return 0;
}

/* ses_msgid - Message-ID: commonHeaders.messageId, else headers[] */
static int
ses_msgid(struct ses *s, json_t *mail, struct mt_span *mid)
{
	char path[SES_PATH_SIZE];
	struct mt_span name, val;
	json_t *ch, *hdrs, *h;
	size_t i;
	int r;

	*mid = MT_SPAN_NONE;
	if ((r = ses_get(s, mail, "mail", "commonHeaders", JSON_OBJECT,
	    &ch)) < 0)
		return -1;
	if (r == 1 && (r = ses_str(s, ch, "mail.commonHeaders", "messageId",
	    mid)) != 0)
		goto out;
	if ((r = ses_get(s, mail, "mail", "headers", JSON_ARRAY, &hdrs)) < 0)
		return -1;
	if (r == 0)
		return 0;
	json_array_foreach(hdrs, i, h) {
		snprintf(path, sizeof(path), "mail.headers[%zu]", i);
		if (!json_is_object(h)) {
			ses_report(s, "\"%s\" is not an object", path);
			return -1;
		}
		if (ses_str(s, h, path, "name", &name) < 0 ||
		    ses_str(s, h, path, "value", &val) < 0)
			return -1;
		if (name.n == 10 && strncasecmp(name.p, "Message-ID", 10) == 0) {
			*mid = val;
			r = 1;
			break;
		}
	}
out:
	if (r < 0)
		return -1;
	*mid = ses_trim(*mid);
	return 0;
}

/* ses_type - the event type words, notification and event publishing */
static const struct {
	const char *word;
	const char *detail;	/* the object holding the details */
	enum mt_etype type;
	enum mt_stage stage;
} ses_types[] = {
	{ "Send", "send", MT_EV_SEND, MT_STAGE_PROVIDER },
	{ "Delivery", "delivery", MT_EV_DELIVERY, MT_STAGE_RECIPIENT },
	{ "Bounce", "bounce", MT_EV_BOUNCE, MT_STAGE_RECIPIENT },
	{ "Complaint", "complaint", MT_EV_COMPLAINT, MT_STAGE_RECIPIENT },
	{ "DeliveryDelay", "deliveryDelay", MT_EV_DELIVERYDELAY,
	    MT_STAGE_RECIPIENT },
	{ "Reject", "reject", MT_EV_REJECT, MT_STAGE_PROVIDER },
	{ "Rendering Failure", "failure", MT_EV_RENDERING_FAILURE,
	    MT_STAGE_PROVIDER },
	{ "Open", "open", MT_EV_OPEN, MT_STAGE_RECIPIENT },
	{ "Click", "click", MT_EV_CLICK, MT_STAGE_RECIPIENT },
	{ "Subscription", "subscription", MT_EV_SUBSCRIPTION,
	    MT_STAGE_RECIPIENT },
};

/* ses_events - the events of one notification object */
static int
ses_events(struct ses *s, json_t *n)
{
	struct mt_event t;
	struct mt_span word, mta, ip, src, sub;
	const char *tkey = "eventType", *dn;
	json_t *mail, *d;
	int64_t us;
	size_t i;
	int r;

	if ((r = ses_str(s, n, NULL, "eventType", &word)) == 0) {
		tkey = "notificationType";
		r = ses_str(s, n, NULL, tkey, &word);
	}
	if (r < 0)
		return -1;
	for (i = 0; i < sizeof(ses_types) / sizeof(ses_types[0]); i++)
		if (mt_span_eq(word, ses_types[i].word))
			break;
	if (i == sizeof(ses_types) / sizeof(ses_types[0])) {
		ses_report(s, "unknown event type \"%.*s\"",
		    (int)(word.n > 64 ? 64 : word.n), word.p);
		return -1;
	}
	dn = ses_types[i].detail;
	if ((r = ses_get(s, n, NULL, "mail", JSON_OBJECT, &mail)) <= 0) {
		if (r == 0)
			ses_report(s, "no \"mail\" object");
		return -1;
	}

	mt_event_init(&t);
	t.src = MT_SRC_SES;
	t.type = ses_types[i].type;
	t.stage = ses_types[i].stage;
	if (ses_str(s, mail, "mail", "messageId", &t.provider_id) < 0 ||
	    ses_msgid(s, mail, &t.message_id) < 0 ||
	    ses_str(s, mail, "mail", "source", &src) < 0)
		return -1;
	t.sender = ses_addr(src);

	/* the detail object: required where it holds the recipients */
	if (t.type == MT_EV_DELIVERY || t.type == MT_EV_BOUNCE ||
	    t.type == MT_EV_COMPLAINT || t.type == MT_EV_DELIVERYDELAY)
		r = ses_need(s, n, NULL, dn, JSON_OBJECT, &d);
	else
		r = ses_get(s, n, NULL, dn, JSON_OBJECT, &d);
	if (r < 0)
		return -1;

	r = 0;
	if (d != NULL)
		r = ses_time(s, d, dn, &us);
	if (r == 0)
		r = ses_time(s, mail, "mail", &us);
	if (r < 0)
		return -1;
	t.time = r == 1 ? us : 0;
	if (s->ctx->time_override != 0)
		t.time = s->ctx->time_override;

	mta = ip = MT_SPAN_NONE;
	if (d != NULL && (ses_str(s, d, dn, "reportingMTA", &mta) < 0 ||
	    ses_str(s, d, dn, "remoteMtaIp", &ip) < 0))
		return -1;
	t.relay = ses_relay(s, mta, ip);

	switch (t.type) {
	case MT_EV_SEND:
		return ses_dest(s, mail, &t);
	case MT_EV_DELIVERY:
		if (ses_str(s, d, dn, "smtpResponse", &t.reply) < 0)
			return -1;
		ses_codes(t.reply, &t.reply_code, &t.dsn);
		return ses_rcpts(s, d, dn, "recipients", &t);
	case MT_EV_BOUNCE:
		if (ses_str(s, d, dn, "bounceType", &t.status) < 0 ||
		    ses_str(s, d, dn, "bounceSubType", &t.subtype) < 0)
			return -1;
		if (mt_span_eq(t.subtype, "Suppressed") ||
		    mt_span_eq(t.subtype, "OnAccountSuppressionList"))
			t.stage = MT_STAGE_PROVIDER;
		return ses_rcpts(s, d, dn, "bouncedRecipients", &t);
	case MT_EV_COMPLAINT:
		if (ses_str(s, d, dn, "complaintFeedbackType", &t.subtype) < 0 ||
		    ses_str(s, d, dn, "complaintSubType", &sub) < 0)
			return -1;
		if (t.subtype.n == 0)
			t.subtype = sub;
		return ses_rcpts(s, d, dn, "complainedRecipients", &t);
	case MT_EV_DELIVERYDELAY:
		if (ses_str(s, d, dn, "delayType", &t.status) < 0)
			return -1;
		return ses_rcpts(s, d, dn, "delayedRecipients", &t);
	case MT_EV_REJECT:
		if (d != NULL && ses_str(s, d, dn, "reason", &t.reply) < 0)
			return -1;
		return ses_dest(s, mail, &t);
	case MT_EV_RENDERING_FAILURE:
		if (d != NULL && (ses_str(s, d, dn, "errorMessage",
		    &t.reply) < 0 ||
		    ses_str(s, d, dn, "templateName", &t.subtype) < 0))
			return -1;
		return ses_dest(s, mail, &t);
	case MT_EV_OPEN:
		if (d != NULL && ses_str(s, d, dn, "userAgent", &t.reply) < 0)
			return -1;
		return ses_dest(s, mail, &t);
	case MT_EV_CLICK:
		if (d != NULL && ses_str(s, d, dn, "link", &t.reply) < 0)
			return -1;
		return ses_dest(s, mail, &t);
	default:	/* MT_EV_SUBSCRIPTION */
		if (d != NULL && ses_str(s, d, dn, "source", &t.reply) < 0)
			return -1;
		return ses_dest(s, mail, &t);
	}
}

/* ses_depth_ok - nesting of a JSON text (outside strings) within the limit */
static int
ses_depth_ok(const char *p, size_t n)
{
	size_t i, depth = 0;
	int in_str = 0, esc = 0;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > MT_IN_JSON_DEPTH)
				return 0;
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return 1;
}

/* ses_reset - forget the last record */
static void
ses_reset(struct ses *s)
{
	json_decref(s->keep);
	s->keep = NULL;
	free(s->compact);
	s->compact = NULL;
	s->ncompact = 0;
	s->recp = NULL;
	s->recn = 0;
	s->nev = s->next = 0;
	s->overflow = 0;
}

/* ses_new - parser state; ctx is borrowed */
static void *
ses_new(const struct mt_parser_ctx *ctx)
{
	struct ses *s = mt_calloc(1, sizeof(*s));

	s->ctx = ctx;
	return s;
}

/* ses_free - release state; accepts NULL */
static void
ses_free(void *st)
{
	struct ses *s = st;

	if (s == NULL)
		return;
	ses_reset(s);
	free(s->ev);
	free(s);
}

/* ses_inner - the wrapped JSON string of an envelope, or NULL */
static const char *
ses_inner(json_t *o, json_t **v)
{
	static const char *const keys[] = { "Message", "Body", "body" };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((*v = json_object_get(o, keys[i])) != NULL)	/* borrowed */
			return keys[i];
	return NULL;
}

/* ses_push - parse one JSON value: 1 recognised, 0 not SES, -MT_ERR_INPUT */
static int
ses_push(void *st, const struct mt_sl *env, const char *rec, size_t len)
{
	struct ses *s = st;
	json_error_t err;
	json_t *own = NULL, *cur, *v, *nxt;
	const char *key, *what = NULL;
	struct mt_span type;
	int level, ret = -MT_ERR_INPUT;

	(void)env;
	ses_reset(s);
	if (len > MT_IN_JSON_MAX) {
		ses_report(s, "record larger than %d bytes", MT_IN_JSON_MAX);
		return -MT_ERR_INPUT;
	}
	if (!ses_depth_ok(rec, len)) {
		ses_report(s, "JSON nested deeper than %d levels",
		    MT_IN_JSON_DEPTH);
		return -MT_ERR_INPUT;
	}
	own = json_loadb(rec, len, JSON_REJECT_DUPLICATES, &err);	/* new */
	if (own == NULL) {
		mt_msg_input(s->ctx->file, s->ctx->line,
		    "JSON error at line %d column %d: %s", err.line, err.column,
		    err.text);
		return -MT_ERR_INPUT;
	}
	cur = own;
	for (level = 0;; level++) {
		if (!json_is_object(cur)) {
			if (level == 0) {
				ret = 0;
				goto out;
			}
			ses_report(s, "\"%s\" does not hold a JSON object", what);
			goto out;
		}
		if (json_object_get(cur, "eventType") != NULL ||
		    json_object_get(cur, "notificationType") != NULL)
			break;
		/* SNS subscription messages: recognised, no events */
		if (ses_str(s, cur, NULL, "Type", &type) < 0)
			goto out;
		if (type.n > 0 && !mt_span_eq(type, "Notification") &&
		    json_object_get(cur, "TopicArn") != NULL) {
			ret = 1;
			break;
		}
		nxt = NULL;
		if ((key = ses_inner(cur, &v)) == NULL) {
			if (ses_get(s, cur, NULL, "detail", JSON_OBJECT,
			    &nxt) < 0)
				goto out;
			if (nxt == NULL) {
				if (level == 0) {
					ret = 0;
					goto out;
				}
				ses_report(s, "no \"eventType\" or "
				    "\"notificationType\" in \"%s\"", what);
				goto out;
			}
			key = "detail";
		} else if (!json_is_string(v)) {
			ses_report(s, "\"%s\" is not a string", key);
			goto out;
		}
		if (level == SES_UNWRAP_MAX) {
			ses_report(s, "more than %d levels of wrapped JSON",
			    SES_UNWRAP_MAX);
			goto out;
		}
		what = key;
		if (nxt != NULL) {
			json_incref(nxt);
			json_decref(own);
			own = cur = nxt;
			continue;
		}
		if (json_string_length(v) > MT_IN_JSON_MAX) {
			ses_report(s, "\"%s\" larger than %d bytes", key,
			    MT_IN_JSON_MAX);
			goto out;
		}
		if (!ses_depth_ok(json_string_value(v), json_string_length(v))) {
			ses_report(s, "\"%s\" nested deeper than %d levels", key,
			    MT_IN_JSON_DEPTH);
			goto out;
		}
		nxt = json_loadb(json_string_value(v), json_string_length(v),
		    JSON_REJECT_DUPLICATES, &err);	/* new */
		if (nxt == NULL) {
			mt_msg_input(s->ctx->file, s->ctx->line,
			    "JSON error in \"%s\" at line %d column %d: %s",
			    key, err.line, err.column, err.text);
			goto out;
		}
		json_decref(own);
		own = cur = nxt;
	}
	if (ret != 1 && ses_events(s, cur) < 0) {
		s->nev = 0;
		goto out;
	}
	s->keep = json_incref(cur);
	if (s->ctx->stored && level == 0) {
		/* read back from the store: already the canonical form */
		s->recp = rec;
		s->recn = len;
	} else {
		s->compact = json_dumps(cur, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s->compact == NULL)
			mt_fatalx("out of memory");
		s->ncompact = strlen(s->compact);
		s->recp = s->compact;
		s->recn = s->ncompact;
	}
	for (s->next = 0; s->next < s->nev; s->next++) {
		s->ev[s->next].raw.p = s->recp;
		s->ev[s->next].raw.n = s->recn;
	}
	s->next = 0;
	ret = 1;
out:
	json_decref(own);
	if (ret != 1)
		s->nev = 0;
	return ret;
}

/* ses_next - next event of the last push */
static int
ses_next(void *st, struct mt_event *ev)
{
	struct ses *s = st;

	if (s->next >= s->nev)
		return 0;
	*ev = s->ev[s->next++];
	return 1;
}

/* mt_ses_record - the canonical one-line record of the last push */
struct mt_span
mt_ses_record(void *st)
{
	struct ses *s = st;

	if (s == NULL || s->recp == NULL)
		return MT_SPAN_NONE;
	return (struct mt_span){ s->recp, s->recn };
}

const struct mt_parser_ops mt_ses_ops = {
	"ses", ses_new, ses_push, ses_next, ses_free
};
