/*
 * mt_q_summary.c - the totals a postmaster reads every morning; see mt_q.h
 *
 * SUMMARY
 *	mt_q_summary(q, stdout, 0);	aligned text
 *	mt_q_summary(q, stdout, 1);	one JSON object
 *
 * DESCRIPTION
 *	One pass over mt_q_each_message.  Two kinds of numbers:
 *
 *	Relay log totals count relay (Postfix, sendmail) events whose time
 *	is in the window, the way pflogsumm counts log lines, so that the
 *	two agree on the same Postfix log: received = smtpd "client=" and
 *	pickup lines; delivered = delivery lines with status=sent, content-
 *	filter hops included, local "forwarded as" excluded; deferred =
 *	queue IDs deferred at least once (and deferrals = deferred lines);
 *	bounced = status=bounced lines; rejected = NOQUEUE, smtpd and
 *	cleanup "reject:" and cleanup "milter-reject:" lines (pflogsumm
 *	leaves smtpd milter-reject out, and so do we).  Expired counts
 *	qmgr "status=expired" lines (pflogsumm has no such number).
 *
 *	Recipient verdicts count each recipient once, by its final outcome
 *	and the stage that decided it, when the deciding event is in the
 *	window; "deferred at least once" counts recipients with a deferral
 *	or delivery delay event before the verdict.  Top lists: failing
 *	recipient domains and failure classes (bounced, dropped, failed,
 *	deferred), and relay hosts of sent events (the name before "[").
 *
 *	Terminal output masks control characters; JSON strings that are
 *	not valid UTF-8 are masked the same way.
 *
 * DIAGNOSTICS
 *	Write errors; store errors come from mt_q_each_message.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "mt_alloc.h"
#include "mt_msg.h"
#include "mt_q.h"
#include "mt_q_msg.h"
#include "mt_tally.h"
#include "mt_time.h"

#define SUM_TOP		10		/* rows of each top list */
#define SUM_KEYS_MAX	100000		/* distinct keys per top list */
#define SUM_NAME_MAX	255		/* bytes kept of a domain or relay */

struct sum_state {
	const struct mt_q_opts *opts;
	int64_t	 first, last;		/* events seen in the window */
	int64_t	 messages;
	/* relay log totals */
	int64_t	 received, delivered, deferred, deferrals, bounced;
	int64_t	 rejected, expired;
	/* recipient verdicts */
	int64_t	 by_stage[MT_STAGE__COUNT][MT_OUT__COUNT];
	int64_t	 deferred_once, still_deferred;
	struct mt_tally *domains, *classes, *relays;
};

/* sum_is_failure - outcomes the top lists count */
static int
sum_is_failure(enum mt_outcome o)
{
	return o == MT_OUT_BOUNCED || o == MT_OUT_DROPPED ||
	    o == MT_OUT_FAILED || o == MT_OUT_DEFERRED;
}

/* sum_smtpd_milter - an smtpd milter-reject (pflogsumm skips those) */
static int
sum_smtpd_milter(const struct mt_q_event *e)
{
	size_t n;

	if (e->src != MT_SRC_POSTFIX || e->prog == NULL || e->raw == NULL)
		return 0;
	n = strlen(e->prog);
	return n >= 5 && strcmp(e->prog + n - 5, "smtpd") == 0 &&
	    strstr(e->raw, ": milter-reject: ") != NULL;
}

/* sum_relay_events - count one message's relay events in the window */
static void
sum_relay_events(struct sum_state *st, const struct mt_q_msg *m)
{
	const struct mt_q_event *e, *d;
	size_t i, k, n;

	for (i = 0; i < m->nevents; i++) {
		e = &m->events[i];
		if (!mt_q_opts_covers(st->opts, e->time))
			continue;
		if (e->time != 0) {
			if (st->first == 0 || e->time < st->first)
				st->first = e->time;
			if (e->time > st->last)
				st->last = e->time;
		}
		if (e->src != MT_SRC_POSTFIX && e->src != MT_SRC_SENDMAIL)
			continue;
		switch (e->type) {
		case MT_EV_RECEIVED:
			st->received++;
			break;
		case MT_EV_SENT:
			if (e->reply != NULL &&
			    strncmp(e->reply, "forwarded as ", 13) == 0)
				break;
			st->delivered++;
			if (e->relay != NULL) {
				n = strcspn(e->relay, "[:");
				if (n > SUM_NAME_MAX)
					n = SUM_NAME_MAX;
				(void)mt_tally_add(st->relays, e->relay, n,
				    e->time, NULL);
			}
			break;
		case MT_EV_DEFERRED:
			st->deferrals++;
			/* a queue ID counts once: its first deferral */
			for (k = 0; k < i; k++) {
				d = &m->events[k];
				if (d->type == MT_EV_DEFERRED &&
				    mt_q_opts_covers(st->opts, d->time) &&
				    (d->src == MT_SRC_POSTFIX ||
				    d->src == MT_SRC_SENDMAIL) &&
				    d->qid != NULL && e->qid != NULL &&
				    strcmp(d->qid, e->qid) == 0 &&
				    (d->host == NULL) == (e->host == NULL) &&
				    (d->host == NULL ||
				    strcmp(d->host, e->host) == 0))
					break;
			}
			if (k == i)
				st->deferred++;
			break;
		case MT_EV_BOUNCED:
			st->bounced++;
			break;
		case MT_EV_REJECTED:
			if (!sum_smtpd_milter(e))
				st->rejected++;
			break;
		case MT_EV_EXPIRED:
			st->expired++;
			break;
		default:
			break;
		}
	}
}

/* sum_was_deferred - did the recipient see a deferral before its verdict */
static int
sum_was_deferred(const struct mt_q_msg *m, const struct mt_q_rcpt *r)
{
	const struct mt_q_event *e;
	size_t i;

	if (r->outcome == MT_OUT_DEFERRED)
		return 1;
	for (i = 0; i < m->nevents; i++) {
		e = &m->events[i];
		if (r->time != 0 && e->time > r->time)
			break;
		if (e->type != MT_EV_DEFERRED &&
		    e->type != MT_EV_DELIVERYDELAY)
			continue;
		if (e->recipient != NULL && r->address != NULL &&
		    strcasecmp(e->recipient, r->address) == 0)
			return 1;
	}
	return 0;
}

/* sum_message - the callback of mt_q_each_message */
static int
sum_message(void *arg, const struct mt_q_msg *m)
{
	struct sum_state *st = arg;
	const struct mt_q_rcpt *r;
	const char *dom;
	size_t i, n;

	st->messages++;
	sum_relay_events(st, m);
	for (i = 0; i < m->nrcpts; i++) {
		r = &m->rcpts[i];
		if (!mt_q_opts_covers(st->opts, r->time))
			continue;
		if ((unsigned)r->stage < MT_STAGE__COUNT &&
		    (unsigned)r->outcome < MT_OUT__COUNT)
			st->by_stage[r->stage][r->outcome]++;
		if (r->outcome == MT_OUT_DEFERRED)
			st->still_deferred++;
		if (sum_was_deferred(m, r))
			st->deferred_once++;
		if (!sum_is_failure(r->outcome))
			continue;
		dom = r->address ? strrchr(r->address, '@') : NULL;
		dom = dom ? dom + 1 : "";
		n = strnlen(dom, SUM_NAME_MAX);
		(void)mt_tally_add(st->domains, dom, n, r->time, NULL);
		if (r->cls != NULL && r->cls[0] != '\0')
			(void)mt_tally_add(st->classes, r->cls,
			    strnlen(r->cls, SUM_NAME_MAX), r->time, NULL);
	}
	return 0;
}

/* sum_mask - copy s into buf with control characters as '?' */
static const char *
sum_mask(const char *s, char *buf, size_t bufsz, int ascii)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < bufsz; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[i] = (c < 0x20 || c == 0x7f || (ascii && c >= 0x80)) ?
		    '?' : (char)c;
	}
	buf[i] = '\0';
	return buf;
}

/* sum_text_top - one top list as text */
static void
sum_text_top(FILE *fp, const char *title, struct mt_tally *t)
{
	struct mt_tally_ent *const *ents = mt_tally_sorted(t);
	char buf[SUM_NAME_MAX + 1];
	size_t i;

	fprintf(fp, "\n%s\n", title);
	if (ents[0] == NULL)
		fprintf(fp, "  (none)\n");
	for (i = 0; i < SUM_TOP && ents[i] != NULL; i++)
		fprintf(fp, "  %8lld  %s\n", (long long)ents[i]->count,
		    ents[i]->key[0] ? sum_mask(ents[i]->key, buf, sizeof(buf),
		    0) : "(no domain)");
}

/* sum_text - the report as aligned text */
static void
sum_text(const struct sum_state *st, FILE *fp)
{
	char a[MT_TIME_BUFSZ], b[MT_TIME_BUFSZ];
	int64_t tot[MT_OUT__COUNT];
	int s, o;

	if (st->first)
		fprintf(fp, "Period       %s .. %s\n",
		    mt_time_format(st->first, a), mt_time_format(st->last, b));
	else
		fprintf(fp, "Period       (no events)\n");
	fprintf(fp, "Messages     %lld\n", (long long)st->messages);
	fprintf(fp, "\nRelay log totals (counted as pflogsumm counts them)\n");
	fprintf(fp, "  %8lld  received   smtpd client= and pickup lines\n",
	    (long long)st->received);
	fprintf(fp, "  %8lld  delivered  delivery lines with status=sent\n",
	    (long long)st->delivered);
	fprintf(fp, "  %8lld  deferred   queue IDs deferred at least once "
	    "(%lld deferrals)\n", (long long)st->deferred,
	    (long long)st->deferrals);
	fprintf(fp, "  %8lld  bounced    delivery lines with status=bounced\n",
	    (long long)st->bounced);
	fprintf(fp, "  %8lld  rejected   NOQUEUE and cleanup rejects\n",
	    (long long)st->rejected);
	fprintf(fp, "  %8lld  expired    returned after the queue lifetime\n",
	    (long long)st->expired);

	fprintf(fp, "\nRecipients by final outcome and deciding stage\n");
	fprintf(fp, "  %-12s", "stage");
	for (o = 1; o < MT_OUT__COUNT; o++)
		fprintf(fp, " %10s", mt_outcome_to_text((enum mt_outcome)o));
	fprintf(fp, "\n");
	memset(tot, 0, sizeof(tot));
	for (s = 1; s < MT_STAGE__COUNT; s++) {
		fprintf(fp, "  %-12s", mt_stage_to_text((enum mt_stage)s));
		for (o = 1; o < MT_OUT__COUNT; o++) {
			fprintf(fp, " %10lld", (long long)st->by_stage[s][o]);
			tot[o] += st->by_stage[s][o];
		}
		fprintf(fp, "\n");
	}
	fprintf(fp, "  %-12s", "total");
	for (o = 1; o < MT_OUT__COUNT; o++)
		fprintf(fp, " %10lld", (long long)tot[o]);
	fprintf(fp, "\n");
	fprintf(fp, "  deferred at least once: %lld; still deferred: %lld\n",
	    (long long)st->deferred_once, (long long)st->still_deferred);

	sum_text_top(fp, "Top failing recipient domains", st->domains);
	sum_text_top(fp, "Top failure classes", st->classes);
	sum_text_top(fp, "Top relays (sent)", st->relays);
}

/* sum_jstr - a JSON string, masked when not valid UTF-8 */
static json_t *
sum_jstr(const char *s)
{
	char buf[SUM_NAME_MAX + 1];
	json_t *j;

	if ((j = json_string(s)) != NULL)
		return j;
	return json_string(sum_mask(s, buf, sizeof(buf), 1));
}

/* sum_json_top - one top list as an array of {name: count} objects */
static json_t *
sum_json_top(struct mt_tally *t, const char *name)
{
	struct mt_tally_ent *const *ents = mt_tally_sorted(t);
	json_t *arr = json_array(), *o;
	size_t i;

	for (i = 0; i < SUM_TOP && ents[i] != NULL; i++) {
		o = json_object();
		json_object_set_new(o, name, sum_jstr(ents[i]->key));
		json_object_set_new(o, "count", json_integer(ents[i]->count));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* sum_json - the report as one JSON object */
static int
sum_json(const struct sum_state *st, FILE *fp)
{
	char a[MT_TIME_BUFSZ];
	json_t *root = json_object(), *relay, *rc, *stages, *so, *tot;
	int64_t t[MT_OUT__COUNT];
	int s, o, rv;

	json_object_set_new(root, "first", st->first ?
	    json_string(mt_time_format(st->first, a)) : json_null());
	json_object_set_new(root, "last", st->first ?
	    json_string(mt_time_format(st->last, a)) : json_null());
	json_object_set_new(root, "messages", json_integer(st->messages));
	relay = json_object();
	json_object_set_new(relay, "received", json_integer(st->received));
	json_object_set_new(relay, "delivered", json_integer(st->delivered));
	json_object_set_new(relay, "deferred", json_integer(st->deferred));
	json_object_set_new(relay, "deferrals", json_integer(st->deferrals));
	json_object_set_new(relay, "bounced", json_integer(st->bounced));
	json_object_set_new(relay, "rejected", json_integer(st->rejected));
	json_object_set_new(relay, "expired", json_integer(st->expired));
	json_object_set_new(root, "relay", relay);

	rc = json_object();
	stages = json_object();
	memset(t, 0, sizeof(t));
	for (s = 1; s < MT_STAGE__COUNT; s++) {
		so = json_object();
		for (o = 1; o < MT_OUT__COUNT; o++) {
			json_object_set_new(so,
			    mt_outcome_to_text((enum mt_outcome)o),
			    json_integer(st->by_stage[s][o]));
			t[o] += st->by_stage[s][o];
		}
		json_object_set_new(stages, mt_stage_to_text((enum mt_stage)s),
		    so);
	}
	tot = json_object();
	for (o = 1; o < MT_OUT__COUNT; o++)
		json_object_set_new(tot, mt_outcome_to_text((enum mt_outcome)o),
		    json_integer(t[o]));
	json_object_set_new(rc, "by_stage", stages);
	json_object_set_new(rc, "total", tot);
	json_object_set_new(rc, "deferred_once",
	    json_integer(st->deferred_once));
	json_object_set_new(rc, "still_deferred",
	    json_integer(st->still_deferred));
	json_object_set_new(root, "recipients", rc);
	json_object_set_new(root, "top_domains",
	    sum_json_top(st->domains, "domain"));
	json_object_set_new(root, "top_classes",
	    sum_json_top(st->classes, "class"));
	json_object_set_new(root, "top_relays",
	    sum_json_top(st->relays, "relay"));
	rv = json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rv != 0 || fputc('\n', fp) == EOF)
		return -1;
	return 0;
}

/* mt_q_summary - postmaster totals; JSON object when json != 0 */
int
mt_q_summary(struct mt_q *q, FILE *fp, int json)
{
	struct sum_state st;
	int rc;

	memset(&st, 0, sizeof(st));
	st.opts = mt_q_opts_of(q);
	st.domains = mt_tally_new(SUM_KEYS_MAX);
	st.classes = mt_tally_new(SUM_KEYS_MAX);
	st.relays = mt_tally_new(SUM_KEYS_MAX);
	if ((rc = mt_q_each_message(q, sum_message, &st)) != 0)
		goto out;
	if (json) {
		if (sum_json(&st, fp) != 0)
			rc = -MT_ERR_IO;
	} else
		sum_text(&st, fp);
	if (rc == 0 && (fflush(fp) == EOF || ferror(fp)))
		rc = -MT_ERR_IO;
	if (rc == -MT_ERR_IO)
		mt_warn("write error");
out:
	mt_tally_free(st.domains);
	mt_tally_free(st.classes);
	mt_tally_free(st.relays);
	return rc;
}
