/*
 * NAME
 *	mt_pf - Postfix syslog lines to normalized events
 * SUMMARY
 *	#include "mt_parser_ops.h"
 *
 *	extern const struct mt_parser_ops mt_pf_ops;
 * DESCRIPTION
 *	push() is given the syslog envelope (mt_sl) and the whole line.  It
 *	claims the line when the program's last path component is a Postfix
 *	daemon and the part before it is a Postfix syslog_name ("postfix",
 *	"postfix/submission", "postfix-out"), or another syslog name when the
 *	body looks like Postfix (a queue ID or NOQUEUE).  It returns 1 for
 *	every line of a shape it knows, including noise it deliberately
 *	ignores (connect/disconnect, TLS, warnings, statistics, postscreen
 *	chatter), 0 for a Postfix line it does not know and for lines of
 *	other programs.
 *
 *	Events borrow the line: every span points into it, so nothing is
 *	allocated per line.  The scanner is hand-written (memchr, memcmp,
 *	memmem) and never reads past the line's length; lines are not
 *	NUL-terminated.
 *
 *	Shapes (QID is a short or long queue ID, 5..24 alphanumerics):
 *
 *	smtpd	QID: client=host[ip][, sasl_...]		received
 *	pickup	QID: uid=N from=<a>				received
 *	cleanup	QID: [resent-]message-id=<id>			message-id
 *	any	QID: [milter-]reject: ...; from=<a> to=<b> ...	rejected
 *	qmgr	QID: from=<a>, size=N, nrcpt=N (queue active)	queued
 *	qmgr	QID: from=<a>, status=expired, returned to sender  expired
 *	qmgr	QID: removed					removed
 *	any	QID: to=<a>, [orig_to=<b>,] relay=..., delay=..., dsn=...,
 *		status=WORD (text)		sent/deferred/bounced/expired
 *	bounce	QID: sender non-delivery notification: NEWQID	notified
 *	postsuper QID: removed / placed on hold / requeued	deleted/hold/other
 *	smtpd	NOQUEUE: [milter-]reject: CMD from host[ip]: text; from=...
 *	smtp	connect to host[ip]:port: reason		connect-error
 *	smtp	QID: lost connection with / conversation with ... timed out
 *								connect-error
 * DIAGNOSTICS
 *	None: unknown lines are counted by the caller, never reported here.
 * BUGS
 *	Single-threaded; events are valid until the next push or free.
 */
#include <stdlib.h>
#include <string.h>

#include "mt_alloc.h"
#include "mt_parser_ops.h"

#define PF_MAXEV	4
#define PF_QID_MIN	5
#define PF_QID_MAX	24
#define PF_ADDR_MAX	(512)		/* longer addresses are dropped */
#define PF_MSGID_MAX	(998)		/* RFC 5322 line limit */

/* Daemon classes: what the last component of the program name says. */
enum pf_daemon {
	PF_D_NONE = 0,
	PF_D_SMTPD,		/* smtpd */
	PF_D_DELIVERY,		/* smtp lmtp local virtual pipe error retry discard relay */
	PF_D_QMGR,		/* qmgr nqmgr oqmgr */
	PF_D_CLEANUP,
	PF_D_PICKUP,
	PF_D_BOUNCE,		/* bounce defer trace */
	PF_D_POSTSUPER,
	PF_D_NOISE,		/* postscreen anvil scache master tlsmgr ...: claimed, no events */
	PF_D_OTHER		/* known daemon, shapes handled generically */
};

struct pf_name {
	const char *name;
	size_t	 len;
	enum pf_daemon d;
};

#define PFN(s, d) { s, sizeof(s) - 1, d }
static const struct pf_name pf_daemons[] = {
	PFN("smtp", PF_D_DELIVERY),
	PFN("smtpd", PF_D_SMTPD),
	PFN("qmgr", PF_D_QMGR),
	PFN("cleanup", PF_D_CLEANUP),
	PFN("lmtp", PF_D_DELIVERY),
	PFN("local", PF_D_DELIVERY),
	PFN("virtual", PF_D_DELIVERY),
	PFN("pipe", PF_D_DELIVERY),
	PFN("error", PF_D_DELIVERY),
	PFN("retry", PF_D_DELIVERY),
	PFN("discard", PF_D_DELIVERY),
	PFN("relay", PF_D_DELIVERY),
	PFN("pickup", PF_D_PICKUP),
	PFN("bounce", PF_D_BOUNCE),
	PFN("defer", PF_D_BOUNCE),
	PFN("trace", PF_D_BOUNCE),
	PFN("postsuper", PF_D_POSTSUPER),
	PFN("nqmgr", PF_D_QMGR),
	PFN("oqmgr", PF_D_QMGR),
	PFN("postscreen", PF_D_NOISE),
	PFN("anvil", PF_D_NOISE),
	PFN("scache", PF_D_NOISE),
	PFN("master", PF_D_NOISE),
	PFN("tlsmgr", PF_D_NOISE),
	PFN("tlsproxy", PF_D_NOISE),
	PFN("dnsblog", PF_D_NOISE),
	PFN("trivial-rewrite", PF_D_NOISE),
	PFN("verify", PF_D_NOISE),
	PFN("proxymap", PF_D_NOISE),
	PFN("spawn", PF_D_NOISE),
	PFN("flush", PF_D_NOISE),
	PFN("showq", PF_D_NOISE),
	PFN("postfix-script", PF_D_NOISE),
	PFN("postlogd", PF_D_NOISE),
	PFN("postlog", PF_D_NOISE),
	PFN("postqueue", PF_D_OTHER),
	PFN("postdrop", PF_D_OTHER),
	PFN("postmap", PF_D_NOISE),
	PFN("postalias", PF_D_NOISE),
	PFN("postconf", PF_D_NOISE),
	PFN("postmulti", PF_D_NOISE),
	PFN("sendmail", PF_D_OTHER),
};

struct mt_pf {
	const struct mt_parser_ctx *ctx;	/* borrowed */
	const struct mt_sl *env;		/* current line's envelope */
	const char *line;
	size_t	 len;
	struct mt_span qid;			/* current line's queue ID */
	struct mt_event ev[PF_MAXEV];
	int	 nev;
	int	 cur;
};

/* Literal helpers: s/n is a span, lit a string literal. */
#define LIT_LEN(lit)		(sizeof(lit) - 1)
#define HAS_PREFIX(s, n, lit)	((n) >= LIT_LEN(lit) && \
				    memcmp((s), (lit), LIT_LEN(lit)) == 0)
#define FIND(s, n, lit)		mem_find((s), (n), (lit), LIT_LEN(lit))

/* mem_find - first occurrence of w[0..wn) in s[0..n), or NULL (memmem) */
static const char *
mem_find(const char *s, size_t n, const char *w, size_t wn)
{
	const char *p, *end;

	if (s == NULL || wn == 0 || n < wn)
		return NULL;
	end = s + n;
	while ((p = memchr(s, w[0], (size_t)(end - s) - wn + 1)) != NULL) {
		if (memcmp(p + 1, w + 1, wn - 1) == 0)
			return p;
		s = p + 1;
		if ((size_t)(end - s) < wn)
			break;
	}
	return NULL;
}

/* sp - span of s[0..n) */
static struct mt_span
sp(const char *s, size_t n)
{
	struct mt_span r;

	r.p = s;
	r.n = n;
	return r;
}

/* is_alnum - ASCII letter or digit */
static int
is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* is_digit - ASCII digit */
static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * qid_len - length of a queue ID at s followed by ": ", else 0.  A queue
 * ID is 5..24 alphanumerics with at least one digit or upper-case letter
 * (so "warning: " and "statistics: " are not queue IDs).
 */
static size_t
qid_len(const char *s, size_t n)
{
	size_t i;
	int mixed = 0;

	for (i = 0; i < n && i <= PF_QID_MAX && is_alnum((unsigned char)s[i]);
	    i++)
		if (!(s[i] >= 'a' && s[i] <= 'z'))
			mixed = 1;
	if (i < PF_QID_MIN || i > PF_QID_MAX || !mixed || i + 1 >= n ||
	    s[i] != ':' || s[i + 1] != ' ')
		return 0;
	return i;
}

/* token_qid - a bare queue ID token at s (alnum run 5..24), length or 0 */
static size_t
token_qid(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i <= PF_QID_MAX && is_alnum((unsigned char)s[i]);
	    i++)
		;
	if (i < PF_QID_MIN || i > PF_QID_MAX)
		return 0;
	if (i < n && s[i] != ' ' && s[i] != ',' && s[i] != ')' && s[i] != ';' &&
	    s[i] != '.')
		return 0;
	return i;
}

/* new_event - next free event, initialised from the envelope */
static struct mt_event *
new_event(struct mt_pf *pf, enum mt_etype type)
{
	struct mt_event *ev;

	if (pf->nev >= PF_MAXEV)
		return NULL;
	ev = &pf->ev[pf->nev++];
	mt_event_init(ev);
	ev->time = pf->ctx != NULL && pf->ctx->time_override != 0 ?
	    pf->ctx->time_override : pf->env->time;
	ev->src = MT_SRC_POSTFIX;
	ev->stage = MT_STAGE_RELAY;
	ev->type = type;
	ev->raw = sp(pf->line, pf->len);
	ev->host = pf->env->host;
	ev->prog = pf->env->prog;
	ev->qid = pf->qid;
	return ev;
}

/* smtp_code - basic reply code (2xx..5xx) at s followed by ' ', '-' or end */
static int
smtp_code(const char *s, size_t n)
{
	if (n < 3 || s[0] < '2' || s[0] > '5' || !is_digit((unsigned char)s[1]) ||
	    !is_digit((unsigned char)s[2]))
		return 0;
	if (n > 3 && s[3] != ' ' && s[3] != '-')
		return 0;
	return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

/* enh_len - length of an enhanced status code "d.ddd.ddd" at s, or 0 */
static size_t
enh_len(const char *s, size_t n)
{
	size_t i = 0, k, part;

	for (part = 0; part < 3; part++) {
		if (part > 0) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
		for (k = 0; i < n && k < 3 && is_digit((unsigned char)s[i]); k++)
			i++;
		if (k == 0 || (part == 0 && (k != 1 || s[0] < '2' ||
		    s[0] > '5')))
			return 0;
	}
	if (i < n && (is_digit((unsigned char)s[i]) || s[i] == '.'))
		return 0;
	return i;
}

/*
 * reply_code - the basic SMTP code in a reply text: at its start, after
 * "said: ", or a 3-digit word followed by an enhanced code.
 */
static int
reply_code(const char *s, size_t n)
{
	const char *p;
	size_t i;
	int c;

	if ((c = smtp_code(s, n)) != 0)
		return c;
	if ((p = FIND(s, n, "said: ")) != NULL &&
	    (c = smtp_code(p + 6, n - (size_t)(p + 6 - s))) != 0)
		return c;
	for (i = 1; i + 5 < n; i++)
		if (s[i - 1] == ' ' && (c = smtp_code(s + i, n - i)) != 0 &&
		    s[i + 3] == ' ' && enh_len(s + i + 4, n - i - 4) != 0)
			return c;
	return 0;
}

/* find_dsn - first enhanced status code word in s */
static struct mt_span
find_dsn(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i + 5 <= n; i++) {
		if ((i == 0 || s[i - 1] == ' ' || s[i - 1] == '(') &&
		    (k = enh_len(s + i, n - i)) != 0)
			return sp(s + i, k);
	}
	return MT_SPAN_NONE;
}

/* reply_links - "queued as X", "forwarded as X" and "250 Ok <provider-id>" */
static void
reply_links(struct mt_event *ev, const char *s, size_t n)
{
	const char *p;
	size_t i, k;

	if ((p = FIND(s, n, "queued as ")) != NULL)
		p += LIT_LEN("queued as ");
	else if ((p = FIND(s, n, "forwarded as ")) != NULL)
		p += LIT_LEN("forwarded as ");
	if (p != NULL && (k = token_qid(p, n - (size_t)(p - s))) != 0)
		ev->qid2 = sp(p, k);
	/* "250 Ok <id>", "250 Ok id", "250 2.0.0 Ok id" */
	if (smtp_code(s, n) != 250 || n < 4)
		return;
	i = 4;
	if ((k = enh_len(s + i, n - i)) != 0) {
		i += k;
		if (i >= n || s[i] != ' ')
			return;
		i++;
	}
	if (n - i < 3 || (s[i] != 'O' && s[i] != 'o') ||
	    (s[i + 1] != 'k' && s[i + 1] != 'K'))
		return;
	i += 2;
	if (i < n && s[i] == ':')
		i++;
	if (i >= n || s[i] != ' ')
		return;
	i++;
	if (i < n && s[i] == '<') {
		p = memchr(s + i + 1, '>', n - i - 1);
		if (p == NULL)
			return;
		k = (size_t)(p - (s + i + 1));
		i++;
	} else {
		for (k = 0; i + k < n && s[i + k] != ' '; k++)
			;
	}
	if (k < 16 || k > PF_ADDR_MAX || (k == 6 && memcmp(s + i, "queued", 6) == 0))
		return;
	ev->provider_id = sp(s + i, k);
}

/*
 * Key/value lists: "to=<a>, orig_to=<b>, relay=x, ..., status=WORD (text)",
 * "from=<a>, size=N, nrcpt=N (queue active)", "uid=N from=<a>",
 * "client=host[ip], sasl_method=PLAIN".
 */
struct pf_kv {
	struct mt_span to, orig_to, from, relay, delay, dsn, status, reply;
	struct mt_span client, size, nrcpt, uid;
	struct mt_span rest;		/* text after status=WORD, or unparsed */
	int	 has_to, has_from, has_status;
};

/* angle_end - index after the '>' closing an <address> opened at s[i], or 0 */
static size_t
angle_end(const char *s, size_t n, size_t i)
{
	const char *p;
	size_t j = i + 1;

	while (j < n && (p = memchr(s + j, '>', n - j)) != NULL) {
		j = (size_t)(p - s) + 1;
		if (j >= n || s[j] == ',' || s[j] == ' ' || s[j] == ';')
			return j;
	}
	return 0;
}

/* addr_value - the address inside <...> (empty for "<>"), dropped when too long */
static struct mt_span
addr_value(const char *s, size_t n)
{
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		s++;
		n -= 2;
	}
	if (n == 0 || n > PF_ADDR_MAX)
		return sp(s, 0);
	return sp(s, n);
}

/* kv_parse - fill kv from s; returns 0, or -1 when nothing was parsed */
static int
kv_parse(const char *s, size_t n, struct pf_kv *kv)
{
	size_t i = 0, k0, ke, v0, ve;
	const char *p, *close;
	struct mt_span key, val;
	int any = 0;

	memset(kv, 0, sizeof(*kv));
	while (i < n) {
		k0 = i;
		while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' ||
		    s[i] == '-'))
			i++;
		if (i == k0 || i >= n || s[i] != '=') {
			i = k0;
			break;
		}
		ke = i++;
		key = sp(s + k0, ke - k0);
		v0 = i;
		if (i < n && s[i] == '<') {
			ve = angle_end(s, n, i);
			if (ve == 0) {
				i = k0;
				break;
			}
		} else if (key.n == 6 && memcmp(key.p, "status", 6) == 0) {
			for (ve = i; ve < n && s[ve] != ' ' && s[ve] != ','; ve++)
				;
		} else {
			for (ve = i; ve < n && s[ve] != ' ' && s[ve] != ','; ve++)
				;
		}
		val = sp(s + v0, ve - v0);
		i = ve;
		any = 1;
		switch (key.n) {
		case 2:
			if (memcmp(key.p, "to", 2) == 0) {
				kv->to = addr_value(val.p, val.n);
				kv->has_to = 1;
			}
			break;
		case 3:
			if (memcmp(key.p, "dsn", 3) == 0)
				kv->dsn = val;
			else if (memcmp(key.p, "uid", 3) == 0)
				kv->uid = val;
			break;
		case 4:
			if (memcmp(key.p, "from", 4) == 0) {
				kv->from = addr_value(val.p, val.n);
				kv->has_from = 1;
			} else if (memcmp(key.p, "size", 4) == 0)
				kv->size = val;
			break;
		case 5:
			if (memcmp(key.p, "relay", 5) == 0)
				kv->relay = val;
			else if (memcmp(key.p, "delay", 5) == 0)
				kv->delay = val;
			else if (memcmp(key.p, "nrcpt", 5) == 0)
				kv->nrcpt = val;
			break;
		case 6:
			if (memcmp(key.p, "client", 6) == 0)
				kv->client = val;
			else if (memcmp(key.p, "status", 6) == 0) {
				kv->status = val;
				kv->has_status = 1;
			}
			break;
		case 7:
			if (memcmp(key.p, "orig_to", 7) == 0)
				kv->orig_to = addr_value(val.p, val.n);
			break;
		}
		if (kv->has_status) {
			/* "status=WORD (text)": text to the last ')' */
			if (i + 1 < n && s[i] == ' ' && s[i + 1] == '(') {
				p = s + i + 2;
				close = NULL;
				for (ve = n; ve > i + 2; ve--)
					if (s[ve - 1] == ')') {
						close = s + ve - 1;
						break;
					}
				if (close == NULL)
					close = s + n;
				kv->reply = sp(p, (size_t)(close - p));
				i = n;
			} else if (i + 1 < n && s[i] == ',' && s[i + 1] == ' ')
				i += 2;
			break;
		}
		if (i + 1 < n && s[i] == ',' && s[i + 1] == ' ')
			i += 2;
		else if (i < n && s[i] == ' ')
			i++;
		else
			break;
	}
	kv->rest = sp(s + i, n - i);
	return any ? 0 : -1;
}

/* parse_num - checked decimal span to int64; -1 on error */
static int64_t
parse_num(struct mt_span v)
{
	int64_t r = 0;
	size_t i;

	if (v.n == 0 || v.n > 18)
		return -1;
	for (i = 0; i < v.n; i++) {
		if (!is_digit((unsigned char)v.p[i]))
			return i > 0 ? r : -1;
		r = r * 10 + (v.p[i] - '0');
	}
	return r;
}

/* status_type - event type for a delivery status word */
static enum mt_etype
status_type(struct mt_span w)
{
	if (mt_span_eq(w, "sent"))
		return MT_EV_SENT;
	if (mt_span_eq(w, "deferred"))
		return MT_EV_DEFERRED;
	if (mt_span_eq(w, "bounced"))
		return MT_EV_BOUNCED;
	if (mt_span_eq(w, "expired"))
		return MT_EV_EXPIRED;
	return MT_EV_OTHER;
}

/* do_delivery - "to=<a>, ..., status=WORD (text)" */
static int
do_delivery(struct mt_pf *pf, const char *s, size_t n)
{
	struct pf_kv kv;
	struct mt_event *ev;

	if (kv_parse(s, n, &kv) == -1 || !kv.has_to || !kv.has_status)
		return 0;
	if ((ev = new_event(pf, status_type(kv.status))) == NULL)
		return 1;
	ev->recipient = kv.to;
	ev->orig_recipient = kv.orig_to;
	ev->relay = kv.relay;
	ev->delay = kv.delay;
	ev->dsn = kv.dsn;
	ev->status = kv.status;
	ev->reply = kv.reply;
	ev->reply_code = reply_code(kv.reply.p, kv.reply.n);
	reply_links(ev, kv.reply.p, kv.reply.n);
	return 1;
}

/* do_from - qmgr "from=<a>, size=N, nrcpt=N (queue active)" / expired */
static int
do_from(struct mt_pf *pf, const char *s, size_t n)
{
	struct pf_kv kv;
	struct mt_event *ev;
	int64_t v;

	if (kv_parse(s, n, &kv) == -1 || !kv.has_from)
		return 0;
	if (kv.has_status) {
		ev = new_event(pf, status_type(kv.status) == MT_EV_EXPIRED ?
		    MT_EV_EXPIRED : MT_EV_OTHER);
		if (ev != NULL) {
			ev->sender = kv.from;
			ev->status = kv.status;
			ev->reply = kv.rest;
		}
		return 1;
	}
	if (kv.size.n == 0) {
		/* e.g. "from=<a>, to=<b>, ..." without status: unknown */
		return 0;
	}
	if ((ev = new_event(pf, MT_EV_QUEUED)) == NULL)
		return 1;
	ev->sender = kv.from;
	ev->size = parse_num(kv.size);
	v = parse_num(kv.nrcpt);
	ev->nrcpt = v >= 0 && v <= 1000000000 ? (int)v : -1;
	return 1;
}

/* do_msgid - cleanup "message-id=<id>"; empty or "<>" gives no id */
static int
do_msgid(struct mt_pf *pf, const char *s, size_t n)
{
	struct mt_event *ev;

	/* the value runs to the end of the line (it may hold spaces) */
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		s++;
		n -= 2;
	}
	if ((ev = new_event(pf, MT_EV_MESSAGE_ID)) == NULL)
		return 1;
	if (n > 0 && n <= PF_MSGID_MAX)
		ev->message_id = sp(s, n);
	return 1;
}

/* find_client - "... from host[ip][:port]: " in s: client span, index after */
static int
find_client(const char *s, size_t n, struct mt_span *client, size_t *after)
{
	const char *p = s, *br;
	size_t i, rem = n;

	while ((p = FIND(p, rem, " from ")) != NULL) {
		p += 6;
		rem = n - (size_t)(p - s);
		br = memchr(p, ']', rem);
		if (br == NULL)
			return -1;
		if (memchr(p, ' ', (size_t)(br - p)) != NULL)
			continue;
		*client = sp(p, (size_t)(br - p) + 1);
		i = (size_t)(br - s) + 1;
		if (i < n && s[i] == ':' && i + 1 < n && is_digit((unsigned char)s[i + 1])) {
			for (i++; i < n && is_digit((unsigned char)s[i]); i++)
				;
		}
		if (i + 1 < n && s[i] == ':' && s[i + 1] == ' ')
			*after = i + 2;
		else
			*after = n;
		return 0;
	}
	return -1;
}

/* env_start - where "; from=<", "; to=<" or "; proto=" begins, or n */
static size_t
env_start(const char *s, size_t n)
{
	const char *p;

	if ((p = FIND(s, n, "; from=<")) != NULL ||
	    (p = FIND(s, n, "; to=<")) != NULL ||
	    (p = FIND(s, n, "; proto=")) != NULL)
		return (size_t)(p - s);
	return n;
}

/*
 * do_reject - "[milter-]reject: CMD from host[ip]: reply; from=<a> to=<b>
 * proto=P helo=<h>" (smtpd, postscreen with ", " separators), or cleanup
 * "reject: header X from host[ip]; from=<a> to=<b> proto=P helo=<h>: text"
 */
static int
do_reject(struct mt_pf *pf, const char *s, size_t n, enum mt_etype type)
{
	struct mt_event *ev;
	struct mt_span client = MT_SPAN_NONE, reply = MT_SPAN_NONE;
	size_t e, after = 0, i;
	const char *p, *q, *env;
	size_t envn;

	e = env_start(s, n);
	if (find_client(s, e, &client, &after) == 0 && after < e)
		reply = sp(s + after, e - after);
	if ((ev = new_event(pf, type)) == NULL)
		return 1;
	ev->client = client;
	if (e < n) {
		env = s + e + 2;
		envn = n - e - 2;
		if ((p = FIND(env, envn, "from=<")) != NULL) {
			i = (size_t)(p - env) + 5;
			if ((q = memchr(env + i, '>', envn - i)) != NULL)
				ev->sender = addr_value(env + i,
				    (size_t)(q - (env + i)) + 1);
		}
		if ((p = FIND(env, envn, "to=<")) != NULL) {
			i = (size_t)(p - env) + 3;
			if ((q = memchr(env + i, '>', envn - i)) != NULL)
				ev->recipient = addr_value(env + i,
				    (size_t)(q - (env + i)) + 1);
		}
		/* cleanup: "... helo=<h>: 5.7.1 text" */
		if (reply.n == 0 && (p = FIND(env, envn, ">: ")) != NULL)
			reply = sp(p + 3, envn - (size_t)(p + 3 - env));
	}
	ev->reply = reply;
	ev->reply_code = reply_code(reply.p, reply.n);
	ev->dsn = find_dsn(reply.p, reply.n);
	return 1;
}

/* relay_of - "host[ip]" or "host[ip]:port" at s: its length, or 0 */
static size_t
relay_of(const char *s, size_t n)
{
	const char *br = memchr(s, ']', n);
	size_t i;

	if (br == NULL || memchr(s, ' ', (size_t)(br - s)) != NULL)
		return 0;
	i = (size_t)(br - s) + 1;
	if (i + 1 < n && s[i] == ':' && is_digit((unsigned char)s[i + 1]))
		for (i++; i < n && is_digit((unsigned char)s[i]); i++)
			;
	return i;
}

/* do_conn - "lost connection with X while", "conversation with X timed out" */
static int
do_conn(struct mt_pf *pf, const char *s, size_t n, size_t hostoff,
    enum mt_etype type)
{
	struct mt_event *ev;
	size_t k;

	if ((ev = new_event(pf, type)) == NULL)
		return 1;
	k = relay_of(s + hostoff, n - hostoff);
	if (k != 0)
		ev->relay = sp(s + hostoff, k);
	ev->reply = sp(s, n);
	ev->reply_code = reply_code(s, n);
	return 1;
}

/* do_said - "host X said: 550 5.1.1 ... (in reply to RCPT TO command)" */
static int
do_said(struct mt_pf *pf, const char *s, size_t n)
{
	struct mt_event *ev;
	const char *p;
	size_t k;

	if ((p = FIND(s, n, " said: ")) == NULL &&
	    (p = FIND(s, n, " refused to talk to me: ")) == NULL)
		return 0;
	if ((ev = new_event(pf, MT_EV_OTHER)) == NULL)
		return 1;
	k = relay_of(s + 5, n - 5);
	if (k != 0)
		ev->relay = sp(s + 5, k);
	ev->reply = sp(s, n);
	ev->reply_code = reply_code(s, n);
	ev->dsn = find_dsn(s, n);
	return 1;
}

/* do_notify - "sender non-delivery notification: NEWQID" */
static int
do_notify(struct mt_pf *pf, const char *s, size_t n, const char *p)
{
	struct mt_event *ev;
	size_t k, off = (size_t)(p - s) + LIT_LEN(" notification: ");

	k = token_qid(s + off, n - off);
	if (k == 0)
		return 0;
	if ((ev = new_event(pf, MT_EV_NOTIFIED)) == NULL)
		return 1;
	ev->qid2 = sp(s + off, k);
	ev->status = sp(s, (size_t)(p - s) + LIT_LEN(" notification"));
	return 1;
}

/* other_event - a recognised line about a queue ID with no outcome */
static int
other_event(struct mt_pf *pf, enum mt_etype type, const char *s, size_t n)
{
	struct mt_event *ev;

	if ((ev = new_event(pf, type)) != NULL && n > 0)
		ev->reply = sp(s, n);
	return 1;
}

/* Queue-ID lines whose text starts with one of these: an "other" event. */
static const struct pf_name pf_qid_other[] = {
	PFN("reject_warning: ", PF_D_NONE),
	PFN("discard: ", PF_D_NONE),
	PFN("milter-discard: ", PF_D_NONE),
	PFN("filter: ", PF_D_NONE),
	PFN("redirect: ", PF_D_NONE),
	PFN("replace: ", PF_D_NONE),
	PFN("prepend: ", PF_D_NONE),
	PFN("info: ", PF_D_NONE),
	PFN("warning: ", PF_D_NONE),
	PFN("bcc: ", PF_D_NONE),
	PFN("strip: ", PF_D_NONE),
	PFN("enabling PIX workarounds", PF_D_NONE),
	PFN("breaking line > ", PF_D_NONE),
	PFN("skipped, still being delivered", PF_D_NONE),
	PFN("released from hold", PF_D_NONE),
	PFN("requeued", PF_D_NONE),
	PFN("Cannot start TLS", PF_D_NONE),
	PFN("TLS is required", PF_D_NONE),
	PFN("SASL authentication failed", PF_D_NONE),
	PFN("sender=", PF_D_NONE),
	PFN("host ", PF_D_NONE),		/* "host X said" handled first */
	PFN("Server certificate not ", PF_D_NONE),
	PFN("server certificate verification failed", PF_D_NONE),
	PFN("certificate verification failed", PF_D_NONE),
	PFN("bounce or trace service failure", PF_D_NONE),
	PFN("status=", PF_D_NONE),
	PFN("orig_queue_id=", PF_D_NONE),
	PFN("recipient limit", PF_D_NONE),
	PFN("message size", PF_D_NONE),
	PFN("milter-", PF_D_NONE),
};

/* prefix_in - does s start with a name from tab? */
static int
prefix_in(const struct pf_name *tab, size_t ntab, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ntab; i++)
		if (n >= tab[i].len && s[0] == tab[i].name[0] &&
		    memcmp(s, tab[i].name, tab[i].len) == 0)
			return 1;
	return 0;
}

/* do_qid - the text after "QID: " */
static int
do_qid(struct mt_pf *pf, enum pf_daemon d, const char *s, size_t n)
{
	const char *p;

	if (n == 0)
		return 0;
	switch (s[0]) {
	case 't':
		if (HAS_PREFIX(s, n, "to="))
			return do_delivery(pf, s, n);
		break;
	case 'f':
		if (HAS_PREFIX(s, n, "from="))
			return do_from(pf, s, n);
		break;
	case 'c':
		if (HAS_PREFIX(s, n, "client=")) {
			struct mt_event *ev;
			struct pf_kv kv;

			if (kv_parse(s, n, &kv) == -1)
				return 0;
			if ((ev = new_event(pf, MT_EV_RECEIVED)) != NULL)
				ev->client = kv.client;
			return 1;
		}
		if (HAS_PREFIX(s, n, "conversation with ") &&
		    FIND(s, n, " timed out") != NULL)
			return do_conn(pf, s, n, LIT_LEN("conversation with "),
			    MT_EV_CONNECT_ERROR);
		break;
	case 'u':
		if (HAS_PREFIX(s, n, "uid=")) {
			struct mt_event *ev;
			struct pf_kv kv;

			if (kv_parse(s, n, &kv) == -1)
				return 0;
			if ((ev = new_event(pf, MT_EV_RECEIVED)) != NULL)
				ev->sender = kv.from;
			return 1;
		}
		break;
	case 'm':
		if (HAS_PREFIX(s, n, "message-id="))
			return do_msgid(pf, s + 11, n - 11);
		if (HAS_PREFIX(s, n, "milter-reject: "))
			return do_reject(pf, s + 15, n - 15, MT_EV_REJECTED);
		if (HAS_PREFIX(s, n, "milter-hold: "))
			return other_event(pf, MT_EV_HOLD, s, n);
		break;
	case 'r':
		if (HAS_PREFIX(s, n, "resent-message-id="))
			return do_msgid(pf, s + 18, n - 18);
		if (HAS_PREFIX(s, n, "reject: "))
			return do_reject(pf, s + 8, n - 8, MT_EV_REJECTED);
		if (n == 7 && memcmp(s, "removed", 7) == 0)
			return other_event(pf, d == PF_D_POSTSUPER ?
			    MT_EV_DELETED : MT_EV_REMOVED, NULL, 0);
		break;
	case 'p':
		if (HAS_PREFIX(s, n, "placed on hold"))
			return other_event(pf, MT_EV_HOLD, NULL, 0);
		break;
	case 'h':
		if (HAS_PREFIX(s, n, "hold: "))
			return other_event(pf, MT_EV_HOLD, s, n);
		if (HAS_PREFIX(s, n, "host ") && do_said(pf, s, n))
			return 1;
		break;
	case 'l':
		if (HAS_PREFIX(s, n, "lost connection with "))
			return do_conn(pf, s, n, LIT_LEN("lost connection with "),
			    MT_EV_CONNECT_ERROR);
		break;
	}
	if ((p = FIND(s, n, " notification: ")) != NULL &&
	    (HAS_PREFIX(s, n, "sender ") || HAS_PREFIX(s, n, "postmaster ")))
		return do_notify(pf, s, n, p);
	if (prefix_in(pf_qid_other, sizeof(pf_qid_other) /
	    sizeof(pf_qid_other[0]), s, n))
		return other_event(pf, MT_EV_OTHER, s, n);
	return 0;
}

/* Lines without a queue ID that are known noise (claimed, no events). */
static const struct pf_name pf_noise[] = {
	PFN("connect from ", PF_D_NONE),
	PFN("disconnect from ", PF_D_NONE),
	PFN("lost connection after ", PF_D_NONE),
	PFN("timeout after ", PF_D_NONE),
	PFN("too many errors after ", PF_D_NONE),
	PFN("improper command pipelining after ", PF_D_NONE),
	PFN("Anonymous TLS connection established ", PF_D_NONE),
	PFN("Trusted TLS connection established ", PF_D_NONE),
	PFN("Untrusted TLS connection established ", PF_D_NONE),
	PFN("Verified TLS connection established ", PF_D_NONE),
	PFN("SSL_accept error from ", PF_D_NONE),
	PFN("SSL_connect error to ", PF_D_NONE),
	PFN("setting up TLS connection ", PF_D_NONE),
	PFN("TLS ", PF_D_NONE),
	PFN("non-SMTP command from ", PF_D_NONE),
	PFN("discarding EHLO keywords", PF_D_NONE),
	PFN("warning: ", PF_D_NONE),
	PFN("fatal: ", PF_D_NONE),
	PFN("panic: ", PF_D_NONE),
	PFN("error: ", PF_D_NONE),
	PFN("statistics: ", PF_D_NONE),
	PFN("daemon started", PF_D_NONE),
	PFN("terminating on signal", PF_D_NONE),
	PFN("reload", PF_D_NONE),
	PFN("table ", PF_D_NONE),
	PFN("certificate verification failed", PF_D_NONE),
	PFN("server certificate verification failed", PF_D_NONE),
	PFN("Host offered STARTTLS", PF_D_NONE),
	PFN("host ", PF_D_NONE),
	PFN("proxy-accept: ", PF_D_NONE),
	PFN("proxy-reject: ", PF_D_NONE),
	PFN("NOQUEUE: ", PF_D_NONE),
	PFN("match_", PF_D_NONE),
	PFN("SASL ", PF_D_NONE),
	PFN("xsasl_", PF_D_NONE),
	PFN("enabling PIX workarounds", PF_D_NONE),
	PFN("mail for ", PF_D_NONE),
	PFN("refreshing the Postfix mail system", PF_D_NONE),
	PFN("starting the Postfix mail system", PF_D_NONE),
	PFN("stopping the Postfix mail system", PF_D_NONE),
	PFN("Postfix is ", PF_D_NONE),
	PFN("Deleted: ", PF_D_NONE),
	PFN("Requeued: ", PF_D_NONE),
	PFN("Placed on hold: ", PF_D_NONE),
	PFN("Released from hold: ", PF_D_NONE),
	PFN("flush ", PF_D_NONE),
	PFN("dict_", PF_D_NONE),
	PFN("hostname ", PF_D_NONE),
	PFN("address ", PF_D_NONE),
	PFN("cannot ", PF_D_NONE),
	PFN("unknown ", PF_D_NONE),
	PFN("abort: ", PF_D_NONE),
	PFN("sql_", PF_D_NONE),
	PFN("cleanup", PF_D_NONE),
};

/* do_connect_to - smtp "connect to host[ip]:25: Connection timed out" */
static int
do_connect_to(struct mt_pf *pf, const char *s, size_t n)
{
	return do_conn(pf, s, n, LIT_LEN("connect to "), MT_EV_CONNECT_ERROR);
}

/* do_noqueue - "NOQUEUE: [milter-]reject: ...", other NOQUEUE shapes */
static int
do_noqueue(struct mt_pf *pf, const char *s, size_t n)
{
	if (HAS_PREFIX(s, n, "reject: "))
		return do_reject(pf, s + 8, n - 8, MT_EV_REJECTED);
	if (HAS_PREFIX(s, n, "milter-reject: "))
		return do_reject(pf, s + 15, n - 15, MT_EV_REJECTED);
	if (HAS_PREFIX(s, n, "reject_warning: ") || HAS_PREFIX(s, n, "filter: ") ||
	    HAS_PREFIX(s, n, "discard: ") || HAS_PREFIX(s, n, "hold: ") ||
	    HAS_PREFIX(s, n, "redirect: ") || HAS_PREFIX(s, n, "warning: ") ||
	    HAS_PREFIX(s, n, "client=") || HAS_PREFIX(s, n, "milter-discard: ") ||
	    HAS_PREFIX(s, n, "milter-hold: ") || HAS_PREFIX(s, n, "info: ") ||
	    HAS_PREFIX(s, n, "lost connection"))
		return 1;
	return 0;
}

/* daemon_of - class of the program's last component; prefix must fit */
static enum pf_daemon
daemon_of(struct mt_span prog, const char *body, size_t bn)
{
	const char *slash = NULL, *last;
	size_t i, lastn, pren;
	enum pf_daemon d = PF_D_NONE;
	int postfix;

	for (i = prog.n; i > 0; i--)
		if (prog.p[i - 1] == '/') {
			slash = prog.p + i - 1;
			break;
		}
	if (slash == NULL || slash == prog.p)
		return PF_D_NONE;
	last = slash + 1;
	lastn = prog.n - (size_t)(last - prog.p);
	pren = (size_t)(slash - prog.p);
	for (i = 0; i < sizeof(pf_daemons) / sizeof(pf_daemons[0]); i++)
		if (pf_daemons[i].len == lastn &&
		    memcmp(pf_daemons[i].name, last, lastn) == 0) {
			d = pf_daemons[i].d;
			break;
		}
	if (d == PF_D_NONE)
		return PF_D_NONE;
	postfix = pren >= 7 && memcmp(prog.p, "postfix", 7) == 0;
	if (lastn == 8 && memcmp(last, "sendmail", 8) == 0)
		return postfix || mem_find(prog.p, pren, "postfix", 7) != NULL ?
		    d : PF_D_NONE;
	if (postfix)
		return d;
	/* another syslog_name: the body must look like Postfix */
	for (i = 0; i < pren; i++)
		if (!is_alnum((unsigned char)prog.p[i]) && prog.p[i] != '-' &&
		    prog.p[i] != '_' && prog.p[i] != '.' && prog.p[i] != '/')
			return PF_D_NONE;
	if (qid_len(body, bn) != 0 || HAS_PREFIX(body, bn, "NOQUEUE: ") ||
	    HAS_PREFIX(body, bn, "connect from ") ||
	    HAS_PREFIX(body, bn, "disconnect from ") ||
	    HAS_PREFIX(body, bn, "connect to "))
		return d;
	return PF_D_NONE;
}

/* pf_new - parser state; ctx is borrowed for the parser's life */
static void *
pf_new(const struct mt_parser_ctx *ctx)
{
	struct mt_pf *pf = mt_calloc(1, sizeof(*pf));

	pf->ctx = ctx;
	return pf;
}

/* pf_push - parse one syslog line: 1 recognised, 0 not known */
static int
pf_push(void *st, const struct mt_sl *env, const char *rec, size_t len)
{
	struct mt_pf *pf = st;
	const char *b;
	size_t n, q;
	enum pf_daemon d;

	pf->nev = pf->cur = 0;
	pf->qid = MT_SPAN_NONE;
	if (env == NULL || env->prog.n == 0)
		return 0;
	b = env->body.p;
	n = env->body.n;
	if ((d = daemon_of(env->prog, b, n)) == PF_D_NONE)
		return 0;
	pf->env = env;
	pf->line = rec;
	pf->len = len;
	if ((q = qid_len(b, n)) != 0 &&
	    !(q == 7 && memcmp(b, "NOQUEUE", 7) == 0)) {
		pf->qid = sp(b, q);
		if (d == PF_D_NOISE)
			return 1;
		if (do_qid(pf, d, b + q + 2, n - q - 2))
			return 1;
		/* "Deleted: 3 messages" looks like a queue ID */
		pf->nev = 0;
		pf->qid = MT_SPAN_NONE;
		return prefix_in(pf_noise, sizeof(pf_noise) /
		    sizeof(pf_noise[0]), b, n);
	}
	if (HAS_PREFIX(b, n, "NOQUEUE: ")) {
		if (do_noqueue(pf, b + 9, n - 9))
			return 1;
		return d == PF_D_NOISE;
	}
	if (d == PF_D_NOISE)
		return 1;
	if (HAS_PREFIX(b, n, "connect to "))
		return do_connect_to(pf, b, n);
	return prefix_in(pf_noise, sizeof(pf_noise) / sizeof(pf_noise[0]), b, n);
}

/* pf_next - next event of the last push */
static int
pf_next(void *st, struct mt_event *ev)
{
	struct mt_pf *pf = st;

	if (pf->cur >= pf->nev)
		return 0;
	*ev = pf->ev[pf->cur++];
	return 1;
}

/* pf_free - release state; accepts NULL */
static void
pf_free(void *st)
{
	free(st);
}

const struct mt_parser_ops mt_pf_ops = {
	"postfix", pf_new, pf_push, pf_next, pf_free
};
