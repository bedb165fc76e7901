/*
 * NAME
 *	mt_sm - sendmail syslog lines to normalized events
 * SUMMARY
 *	const struct mt_parser_ops mt_sm_ops;
 * DESCRIPTION
 *	Claims syslog lines whose program is sendmail or one of its
 *	"sm-" daemons (sm-mta, sm-msp-queue, sm-acceptingconnections...)
 *	and turns the body into events of the relay stage:
 *
 *	QID: from=<a>, size=N, ..., msgid=<m>, ..., relay=host [ip]
 *		one "queued" event
 *	QID: to=<a>,<b>, ..., relay=host. [ip], dsn=X.Y.Z, stat=...
 *		one event per recipient: sent, deferred or bounced; the
 *		reply "Ok <id>" yields the provider ID, "QID Message
 *		accepted for delivery" and "queued as QID" the next hop
 *	QID: NEWQID: DSN: text	(return to sender, postmaster notify,
 *		sender notify)	one "notified" event linking the two IDs
 *	[QID:|NOQUEUE:] ruleset=check_*, arg1=..., reject=...
 *		one "rejected" event
 *	QID: <addr>... User unknown	one "rejected" event
 *	and a list of known noise (lost input channel, STARTTLS=, AUTH=,
 *	starting daemon, Milter, collect:, SYSERR, clone, done...) that is
 *	recognised without events.  Anything else is not claimed.
 *
 *	Scanning is done by hand (this is on the ingest hot path): every
 *	step checks the remaining length, nothing is copied.  Event spans
 *	point into the pushed line, which the caller keeps until the next
 *	push.
 * DIAGNOSTICS
 *	A to= list with more than SM_EVENTS_MAX recipients is reported as
 *	file:line and the rest of the list dropped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mt_alloc.h"
#include "mt_msg.h"
#include "mt_parser_ops.h"

#define SM_EVENTS_MAX	256	/* recipients fanned out from one line */
#define SM_FIELDS_MAX	32	/* key=value pairs read from one line */
#define SM_QID_MIN	7	/* 8.x IDs "KAA01234" have 8 characters */
#define SM_QID_MAX	24
#define SM_PROVIDER_ID_MIN 16

struct mt_sm {
	const struct mt_parser_ctx *ctx;
	struct mt_event ev[SM_EVENTS_MAX];
	size_t	 nev;
	size_t	 next;
};

struct sm_kv {
	struct mt_span k;
	struct mt_span v;
};

/* sm_isalnum - ASCII letter or digit, locale independent */
static int
sm_isalnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/* sm_span - span of n bytes at p */
static struct mt_span
sm_span(const char *p, size_t n)
{
	struct mt_span s;

	s.p = n ? p : NULL;
	s.n = n;
	return s;
}

/* sm_prefix - does span s start with the NUL-terminated word w? */
static int
sm_prefix(const char *s, size_t n, const char *w)
{
	size_t wn = strlen(w);

	return n >= wn && memcmp(s, w, wn) == 0;
}

/* sm_find - offset of w in s (length n), or -1 */
static long
sm_find(const char *s, size_t n, const char *w)
{
	size_t wn = strlen(w), i;

	if (wn == 0 || wn > n)
		return -1;
	for (i = 0; i + wn <= n; i++)
		if (s[i] == w[0] && memcmp(s + i, w, wn) == 0)
			return (long)i;
	return -1;
}

/* sm_trim - span without surrounding blanks */
static struct mt_span
sm_trim(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return sm_span(p, n);
}

/* sm_unbracket - an address without its "<>"; "<>" becomes absent */
static struct mt_span
sm_unbracket(struct mt_span a)
{
	a = sm_trim(a.p, a.n);
	if (a.n >= 2 && a.p[0] == '<' && a.p[a.n - 1] == '>')
		return sm_span(a.p + 1, a.n - 2);
	return a;
}

/* sm_sender - an envelope sender without its "<>"; "<>" is the null
 * sender: present and empty (as mt_pf gives it), not absent */
static struct mt_span
sm_sender(struct mt_span a)
{
	a = sm_trim(a.p, a.n);
	if (a.n == 2 && a.p[0] == '<' && a.p[1] == '>') {
		a.p++;
		a.n = 0;
		return a;
	}
	return sm_unbracket(a);
}

/* sm_qid_len - length of a queue ID at s (7..24 alphanumerics, one digit at least), or 0 */
static size_t
sm_qid_len(const char *s, size_t n)
{
	size_t i;
	int digit = 0;

	for (i = 0; i < n && i <= SM_QID_MAX && sm_isalnum(s[i]); i++)
		if (s[i] >= '0' && s[i] <= '9')
			digit = 1;
	if (i < SM_QID_MIN || i > SM_QID_MAX || !digit)
		return 0;
	return i;
}

/* sm_qid_colon - queue ID followed by ": " at s; returns its length or 0 */
static size_t
sm_qid_colon(const char *s, size_t n)
{
	size_t q = sm_qid_len(s, n);

	if (q == 0 || q + 1 >= n || s[q] != ':' || s[q + 1] != ' ')
		return 0;
	return q;
}

/* sm_keylen - length of "key=" at s (key without the '='), or 0 */
static size_t
sm_keylen(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 32; i++)
		if (!(sm_isalnum(s[i]) || s[i] == '_'))
			break;
	return i > 0 && i < n && s[i] == '=' ? i : 0;
}

/* sm_fields - split "k=v, k=v, ..." into kv; stat= and reject= take the
 * rest of the line.  Returns the number of pairs. */
static size_t
sm_fields(const char *s, size_t n, struct sm_kv *kv, size_t max)
{
	size_t pos = 0, nkv = 0, kl, vs, ve;

	while (pos < n && nkv < max) {
		if ((kl = sm_keylen(s + pos, n - pos)) == 0)
			break;
		kv[nkv].k = sm_span(s + pos, kl);
		vs = pos + kl + 1;
		if ((kl == 4 && memcmp(s + pos, "stat", 4) == 0) ||
		    (kl == 6 && memcmp(s + pos, "reject", 6) == 0)) {
			kv[nkv++].v = sm_trim(s + vs, n - vs);
			break;
		}
		/* the value ends at ", key=" */
		for (ve = vs; ve < n; ve++)
			if (s[ve] == ',' && ve + 1 < n && s[ve + 1] == ' ' &&
			    sm_keylen(s + ve + 2, n - ve - 2) > 0)
				break;
		kv[nkv++].v = sm_trim(s + vs, ve - vs);
		pos = ve + 2;
	}
	return nkv;
}

/* sm_get - value of key in kv (the first one), or an absent span */
static struct mt_span
sm_get(const struct sm_kv *kv, size_t nkv, const char *key)
{
	size_t i;

	for (i = 0; i < nkv; i++)
		if (mt_span_eq(kv[i].k, key))
			return kv[i].v;
	return MT_SPAN_NONE;
}

/* sm_num - checked decimal number of a span; 0 or -1 */
static int
sm_num(struct mt_span s, long long *out)
{
	char buf[24], *end;
	long long v;

	if (s.n == 0 || s.n >= sizeof(buf) || s.p[0] < '0' || s.p[0] > '9')
		return -1;
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return -1;
	*out = v;
	return 0;
}

/* sm_relay - "host [ip]" without a trailing "(may be forged)" */
static struct mt_span
sm_relay(struct mt_span r)
{
	size_t i;

	for (i = 0; i < r.n; i++)
		if (r.p[i] == ']')
			return sm_span(r.p, i + 1);
	return r;
}

/* sm_reply_code - first SMTP code ("451", "550") standing alone in text */
static int
sm_reply_code(struct mt_span t)
{
	size_t i;

	for (i = 0; i + 3 <= t.n; i++) {
		if (i > 0 && t.p[i - 1] != ' ' && t.p[i - 1] != '(' &&
		    t.p[i - 1] != ':')
			continue;
		if (t.p[i] < '2' || t.p[i] > '5' ||
		    t.p[i + 1] < '0' || t.p[i + 1] > '9' ||
		    t.p[i + 2] < '0' || t.p[i + 2] > '9')
			continue;
		if (i + 3 < t.n && t.p[i + 3] != ' ' && t.p[i + 3] != '-')
			continue;
		return (t.p[i] - '0') * 100 + (t.p[i + 1] - '0') * 10 +
		    (t.p[i + 2] - '0');
	}
	return 0;
}

/* sm_dsn - "X.Y.Z" enhanced status code at the start of t, length or 0 */
static size_t
sm_dsn(const char *s, size_t n)
{
	size_t i = 0, part;

	for (part = 0; part < 3; part++) {
		size_t d = 0;

		while (i < n && s[i] >= '0' && s[i] <= '9' && d < 3) {
			i++;
			d++;
		}
		if (d == 0)
			return 0;
		if (part < 2) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
	}
	if (s[0] < '2' || s[0] > '5' || (i < n && s[i] != ' '))
		return 0;
	return i;
}

/* sm_event - next event slot, initialised with the line's common fields */
static struct mt_event *
sm_event(struct mt_sm *sm, const struct mt_sl *env, const char *rec,
    size_t len, struct mt_span qid)
{
	struct mt_event *ev;

	if (sm->nev >= SM_EVENTS_MAX)
		return NULL;
	ev = &sm->ev[sm->nev++];
	mt_event_init(ev);
	ev->time = sm->ctx->time_override ? sm->ctx->time_override : env->time;
	ev->src = MT_SRC_SENDMAIL;
	ev->stage = MT_STAGE_RELAY;
	ev->raw = sm_span(rec, len);
	ev->host = env->host;
	ev->prog = env->prog;
	ev->qid = qid;
	return ev;
}

/* sm_from - "from=<a>, size=N, ..., msgid=<m>, ..., relay=..." */
static void
sm_from(struct mt_sm *sm, const struct mt_sl *env, const char *rec,
    size_t len, struct mt_span qid, const struct sm_kv *kv, size_t nkv)
{
	struct mt_event *ev = sm_event(sm, env, rec, len, qid);
	long long v;

	ev->type = MT_EV_QUEUED;
	ev->sender = sm_sender(sm_get(kv, nkv, "from"));
	ev->message_id = sm_unbracket(sm_get(kv, nkv, "msgid"));
	ev->client = sm_relay(sm_get(kv, nkv, "relay"));
	if (sm_num(sm_get(kv, nkv, "size"), &v) == 0)
		ev->size = v;
	if (sm_num(sm_get(kv, nkv, "nrcpts"), &v) == 0 && v <= 1000000)
		ev->nrcpt = (int)v;
}

/* sm_handoff - provider ID or next-hop queue ID from a "Sent (...)" reply */
static void
sm_handoff(struct mt_event *ev, struct mt_span stat)
{
	const char *p;
	size_t n, i, tl;
	long at;

	if (stat.n < 6 || memcmp(stat.p, "Sent (", 6) != 0)
		return;
	p = stat.p + 6;
	n = stat.n - 6;
	if (n > 0 && p[n - 1] == ')')
		n--;
	if ((at = sm_find(p, n, "queued as ")) >= 0) {
		/* Postfix IDs may be all letters: any 6..24 alphanumerics */
		i = (size_t)at + 10;
		for (tl = 0; i + tl < n && tl <= SM_QID_MAX &&
		    sm_isalnum(p[i + tl]); tl++)
			;
		if (tl >= 6 && tl <= SM_QID_MAX)
			ev->qid2 = sm_span(p + i, tl);
		return;
	}
	/* "Ok <id>", "Ok id", "Ok: <id>" */
	if (n >= 3 && (p[0] == 'O' || p[0] == 'o') &&
	    (p[1] == 'k' || p[1] == 'K')) {
		i = 2;
		if (i < n && p[i] == ':')
			i++;
		if (i >= n || p[i] != ' ')
			return;
		while (i < n && p[i] == ' ')
			i++;
		if (i < n && p[i] == '<')
			i++;
		for (tl = 0; i + tl < n && (sm_isalnum(p[i + tl]) ||
		    p[i + tl] == '-' || p[i + tl] == '.' || p[i + tl] == '_');
		    tl++)
			;
		if (tl >= SM_PROVIDER_ID_MIN && tl <= 255 &&
		    (i + tl == n || p[i + tl] == '>' || p[i + tl] == ' '))
			ev->provider_id = sm_span(p + i, tl);
		return;
	}
	/* "[2.0.0 ]<QID> Message accepted for delivery" */
	if ((at = sm_find(p, n, "Message accepted for delivery")) > 0) {
		size_t end = (size_t)at;

		i = 0;
		while (i < end && p[i] == ' ')
			i++;
		if ((tl = sm_dsn(p + i, end - i)) > 0) {
			i += tl;
			while (i < end && p[i] == ' ')
				i++;
		}
		if (i < end && p[i] == '<')
			i++;
		tl = sm_qid_len(p + i, end - i);
		if (tl > 0 && (p[i + tl] == ' ' || p[i + tl] == '>' ||
		    p[i + tl] == ':'))
			ev->qid2 = sm_span(p + i, tl);
	}
}

/* sm_status - the stat word(s) before " (" or ":" */
static struct mt_span
sm_status(struct mt_span stat)
{
	size_t i;

	for (i = 0; i < stat.n; i++)
		if (stat.p[i] == ':' || (stat.p[i] == '(' && i > 0))
			break;
	return sm_trim(stat.p, i);
}

/* sm_to - "to=<a>,<b>, ..., dsn=X.Y.Z, stat=...": one event per recipient */
static void
sm_to(struct mt_sm *sm, const struct mt_sl *env, const char *rec, size_t len,
    struct mt_span qid, const struct sm_kv *kv, size_t nkv)
{
	struct mt_span to = sm_get(kv, nkv, "to");
	struct mt_span stat = sm_get(kv, nkv, "stat");
	struct mt_span dsn = sm_get(kv, nkv, "dsn");
	struct mt_event proto, *ev;
	enum mt_etype type;
	size_t i, start;
	int quote = 0, angle = 0;

	if (stat.n > 0) {
		if (sm_prefix(stat.p, stat.n, "Sent"))
			type = MT_EV_SENT;
		else if (sm_prefix(stat.p, stat.n, "Deferred") ||
		    sm_prefix(stat.p, stat.n, "queued"))
			type = MT_EV_DEFERRED;
		else
			type = MT_EV_BOUNCED;
	} else if (dsn.n > 0 && dsn.p[0] == '2')
		type = MT_EV_SENT;
	else if (dsn.n > 0 && dsn.p[0] == '4')
		type = MT_EV_DEFERRED;
	else if (dsn.n > 0 && dsn.p[0] == '5')
		type = MT_EV_BOUNCED;
	else
		type = MT_EV_OTHER;

	mt_event_init(&proto);
	proto.type = type;
	proto.dsn = dsn;
	proto.relay = sm_relay(sm_get(kv, nkv, "relay"));
	proto.delay = sm_get(kv, nkv, "delay");
	proto.orig_recipient = sm_unbracket(sm_get(kv, nkv, "orig_to"));
	if (stat.n > 0) {
		proto.status = sm_status(stat);
		proto.reply = stat;
		proto.reply_code = sm_reply_code(stat);
		if (type == MT_EV_SENT)
			sm_handoff(&proto, stat);
	}

	if (to.n == 0)
		return;
	/* split the list on commas outside quotes and angle brackets */
	for (i = start = 0; i <= to.n; i++) {
		struct mt_span a;

		if (i < to.n) {
			char c = to.p[i];

			if (c == '"')
				quote = !quote;
			else if (c == '<' && !quote)
				angle = 1;
			else if (c == '>' && !quote)
				angle = 0;
			if (c != ',' || quote || angle)
				continue;
		}
		a = sm_trim(to.p + start, i - start);
		start = i + 1;
		if (a.n >= 2 && a.p[a.n - 1] == '>') {
			/* "Name" <addr>: keep the address; a '>' without
			 * its '<' is left as it is */
			size_t lt = a.n - 1;

			while (lt > 0 && a.p[lt - 1] != '<')
				lt--;
			if (lt > 0)
				a = sm_span(a.p + lt, a.n - 1 - lt);
		}
		if (a.n == 0)
			continue;
		if ((ev = sm_event(sm, env, rec, len, qid)) == NULL) {
			mt_msg_input(sm->ctx->file, sm->ctx->line,
			    "sendmail: more than %d recipients in to=, rest "
			    "ignored", SM_EVENTS_MAX);
			break;
		}
		proto.time = ev->time;
		proto.src = ev->src;
		proto.stage = ev->stage;
		proto.raw = ev->raw;
		proto.host = ev->host;
		proto.prog = ev->prog;
		proto.qid = ev->qid;
		*ev = proto;
		ev->recipient = a;
	}
}

/* sm_ruleset - "ruleset=check_rcpt, arg1=<x>, relay=..., reject=..." */
static void
sm_ruleset(struct mt_sm *sm, const struct mt_sl *env, const char *rec,
    size_t len, struct mt_span qid, const struct sm_kv *kv, size_t nkv)
{
	struct mt_span rs = sm_get(kv, nkv, "ruleset");
	struct mt_span rej = sm_get(kv, nkv, "reject");
	struct mt_event *ev;
	size_t i = 0, dl;

	if (rej.n == 0)
		return;		/* discard, quarantine: recognised, no event */
	ev = sm_event(sm, env, rec, len, qid);
	ev->type = MT_EV_REJECTED;
	ev->client = sm_relay(sm_get(kv, nkv, "relay"));
	ev->reply = rej;
	ev->reply_code = sm_reply_code(rej);
	while (i < rej.n && rej.p[i] >= '0' && rej.p[i] <= '9')
		i++;
	while (i < rej.n && rej.p[i] == ' ')
		i++;
	if ((dl = sm_dsn(rej.p + i, rej.n - i)) > 0)
		ev->dsn = sm_span(rej.p + i, dl);
	if (mt_span_eq(rs, "check_rcpt"))
		ev->recipient = sm_unbracket(sm_get(kv, nkv, "arg1"));
	else if (mt_span_eq(rs, "check_mail"))
		ev->sender = sm_unbracket(sm_get(kv, nkv, "arg1"));
}

/* Text after the queue ID (or without one) known to carry nothing to trace. */
static const char *const sm_noise_prefix[] = {
	"lost input channel", "timeout waiting for input", "STARTTLS",
	"AUTH=", "AUTH failure", "alias database", "starting daemon",
	"Milter", "milter", "collect:", "SYSERR", "done;", "SMTP outgoing",
	"rejecting commands from", "rejecting connections on daemon",
	"accepting connections again", "File descriptors missing",
	"grew WorkList", "Syntax error in mailbox address", "Fixed MIME",
	"Authentication-Warning", "tcpwrappers", "connect from",
	"discarded", "headers too large", "Losing ", "low on space",
	"restarting ", "stopping daemon", "unable to qualify",
	"setsender", "error connecting to filter", NULL
};

/* Phrases found after "host [ip]" at the start of the text. */
static const char *const sm_noise_infix[] = {
	"did not issue MAIL/EXPN/VRFY/ETRN", ": possible SMTP attack",
	"]: ETRN ", "]: EXPN ", "]: VRFY ", "]: expn ", "]: vrfy ",
	"]: etrn ", "protocol error:", "[rejected]", "]: Connection",
	"]: Too many", NULL
};

/* sm_noise - known text without events? */
static int
sm_noise(const char *s, size_t n)
{
	size_t i;

	for (i = 0; sm_noise_prefix[i] != NULL; i++)
		if (sm_prefix(s, n, sm_noise_prefix[i]))
			return 1;
	for (i = 0; sm_noise_infix[i] != NULL; i++)
		if (sm_find(s, n, sm_noise_infix[i]) >= 0)
			return 1;
	return 0;
}

/* Second-ID kinds: "QID: NEWQID: kind: text". */
static const char *const sm_dsn_kinds[] = {
	"DSN", "return to sender", "postmaster notify", "sender notify", NULL
};

/* sm_linked - "NEWQID: DSN: text" after the first queue ID; 1 handled */
static int
sm_linked(struct mt_sm *sm, const struct mt_sl *env, const char *rec,
    size_t len, struct mt_span qid, const char *s, size_t n)
{
	struct mt_event *ev;
	size_t q = sm_qid_colon(s, n), i, kl;

	if (q == 0)
		return 0;
	s += q + 2;
	n -= q + 2;
	if (sm_prefix(s, n, "clone:"))
		return 1;
	for (i = 0; sm_dsn_kinds[i] != NULL; i++) {
		kl = strlen(sm_dsn_kinds[i]);
		if (n > kl + 1 && memcmp(s, sm_dsn_kinds[i], kl) == 0 &&
		    s[kl] == ':' && s[kl + 1] == ' ')
			break;
	}
	if (sm_dsn_kinds[i] == NULL)
		return 0;
	ev = sm_event(sm, env, rec, len, qid);
	ev->type = MT_EV_NOTIFIED;
	ev->qid2 = sm_span(s - q - 2, q);
	ev->status = sm_span(s, kl);
	ev->reply = sm_trim(s + kl + 2, n - kl - 2);
	ev->reply_code = sm_reply_code(ev->reply);
	return 1;
}

/* sm_addr_reply - "<addr>... User unknown": 1 handled */
static int
sm_addr_reply(struct mt_sm *sm, const struct mt_sl *env, const char *rec,
    size_t len, struct mt_span qid, const char *s, size_t n)
{
	struct mt_event *ev;
	long at;

	if (n < 6 || s[0] != '<' || (at = sm_find(s, n, ">... ")) < 0)
		return 0;
	ev = sm_event(sm, env, rec, len, qid);
	ev->type = MT_EV_REJECTED;
	ev->recipient = sm_span(s + 1, (size_t)at - 1);
	ev->reply = sm_trim(s + at + 5, n - (size_t)at - 5);
	ev->status = ev->reply;
	ev->reply_code = sm_reply_code(ev->reply);
	return 1;
}

/* sm_new - parser state */
static void *
sm_new(const struct mt_parser_ctx *ctx)
{
	struct mt_sm *sm = mt_calloc(1, sizeof(*sm));

	sm->ctx = ctx;
	return sm;
}

/* sm_is_mine - program sendmail* or sm-* */
static int
sm_is_mine(struct mt_span prog)
{
	return sm_prefix(prog.p ? prog.p : "", prog.n, "sendmail") ||
	    sm_prefix(prog.p ? prog.p : "", prog.n, "sm-");
}

/* sm_push - parse one syslog line; 1 recognised, 0 not sendmail */
static int
sm_push(void *st, const struct mt_sl *env, const char *rec, size_t len)
{
	struct mt_sm *sm = st;
	struct sm_kv kv[SM_FIELDS_MAX];
	struct mt_span qid = MT_SPAN_NONE;
	const char *s;
	size_t n, q, nkv;

	sm->nev = sm->next = 0;
	if (env == NULL || !sm_is_mine(env->prog) || env->body.p == NULL)
		return 0;
	s = env->body.p;
	n = env->body.n;
	if ((q = sm_qid_colon(s, n)) > 0) {
		qid = sm_span(s, q);
		s += q + 2;
		n -= q + 2;
	} else if (sm_prefix(s, n, "NOQUEUE: ")) {
		s += 9;
		n -= 9;
	}
	if (n == 0)
		return 0;
	if (sm_prefix(s, n, "from=") || sm_prefix(s, n, "to=") ||
	    sm_prefix(s, n, "ruleset=")) {
		nkv = sm_fields(s, n, kv, SM_FIELDS_MAX);
		if (s[0] == 'f')
			sm_from(sm, env, rec, len, qid, kv, nkv);
		else if (s[0] == 't')
			sm_to(sm, env, rec, len, qid, kv, nkv);
		else
			sm_ruleset(sm, env, rec, len, qid, kv, nkv);
		return 1;
	}
	if (qid.n > 0 && sm_linked(sm, env, rec, len, qid, s, n))
		return 1;
	if (sm_addr_reply(sm, env, rec, len, qid, s, n))
		return 1;
	if (qid.n > 0 && sm_prefix(s, n, "message size (")) {
		struct mt_event *ev = sm_event(sm, env, rec, len, qid);

		ev->type = MT_EV_REJECTED;
		ev->reply = sm_trim(s, n);
		return 1;
	}
	return sm_noise(s, n);
}

/* sm_next - hand out the events of the last line */
static int
sm_next(void *st, struct mt_event *ev)
{
	struct mt_sm *sm = st;

	if (sm->next >= sm->nev)
		return 0;
	*ev = sm->ev[sm->next++];
	return 1;
}

/* sm_free - release state; accepts NULL */
static void
sm_free(void *st)
{
	free(st);
}

const struct mt_parser_ops mt_sm_ops = {
	"sendmail", sm_new, sm_push, sm_next, sm_free
};
