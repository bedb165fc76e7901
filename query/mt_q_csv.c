/*
 * mt_q_csv.c - failed recipients of a window as RFC 4180 CSV; see mt_q.h
 *
 * SUMMARY
 *	mt_q_export_failures(q, stdout, 0);
 *	mt_q_export_failures(q, stdout, MT_CSV_SUMMARY);
 *
 * DESCRIPTION
 *	Without MT_CSV_SUMMARY: one row per recipient whose outcome is
 *	bounced, dropped, failed or deferred and whose deciding event lies
 *	in the window, written as mt_q_each_message hands out messages
 *	(constant memory).  Columns: time, recipient, domain, outcome,
 *	stage, class, dsn, detail, message_id, provider_id, queue_ids,
 *	hint.  When the deciding event carries no reply, or is a qmgr
 *	"expired" ("returned to sender"), detail and dsn come from the
 *	recipient's latest earlier event with a reply, so the row says why.
 *
 *	With MT_CSV_SUMMARY: one row per (domain, stage, class, outcome)
 *	with count, first_seen, last_seen and sample_message_id, sorted by
 *	count descending, then domain, stage, class, outcome.  Memory is
 *	bounded by the number of distinct groups (at most SUMMARY_MAX).
 *
 *	An empty window writes the header row alone.
 *
 * DIAGNOSTICS
 *	Write errors (mt_csv); "too many groups" once when SUMMARY_MAX is
 *	reached (later groups are left out).
 */
#include <string.h>
#include <strings.h>

#include "mt_csv.h"
#include "mt_msg.h"
#include "mt_q.h"
#include "mt_q_msg.h"
#include "mt_tally.h"
#include "mt_time.h"

#define SUMMARY_MAX	1000000		/* distinct (domain, stage, class, outcome) */
#define QIDS_MAX	4096		/* bytes of the queue_ids field */
#define GROUP_PART_MAX	255		/* bytes kept of each group field */

struct csv_state {
	struct mt_csv csv;
	const struct mt_q_opts *opts;
	struct mt_tally *tally;		/* summary only */
	int	 full_warned;
	int	 rc;
};

/* csv_failure_outcome - is the outcome one the export lists */
static int
csv_failure_outcome(enum mt_outcome o)
{
	return o == MT_OUT_BOUNCED || o == MT_OUT_DROPPED ||
	    o == MT_OUT_FAILED || o == MT_OUT_DEFERRED;
}

/* csv_domain - the part after the last '@', "" if none */
static const char *
csv_domain(const char *addr)
{
	const char *at;

	if (addr == NULL || (at = strrchr(addr, '@')) == NULL)
		return "";
	return at + 1;
}

/* csv_reason - the event that explains a recipient's outcome */
static const struct mt_q_event *
csv_reason(const struct mt_q_msg *m, const struct mt_q_rcpt *r)
{
	const struct mt_q_event *e, *best = NULL;
	size_t i;

	if (r->reply != NULL && r->reply[0] != '\0' && (r->decider == NULL ||
	    r->decider->type != MT_EV_EXPIRED))
		return r->decider;
	for (i = 0; i < m->nevents; i++) {
		e = &m->events[i];
		if (r->time != 0 && e->time > r->time)
			break;
		if (e->reply == NULL || e->reply[0] == '\0' ||
		    e->type == MT_EV_EXPIRED)
			continue;
		if (e->recipient != NULL && r->address != NULL &&
		    strcasecmp(e->recipient, r->address) != 0)
			continue;
		best = e;
	}
	return best != NULL ? best : r->decider;
}

/* csv_qids - queue IDs joined by spaces into buf (truncated at a name) */
static void
csv_qids(const struct mt_q_msg *m, char *buf, size_t bufsz)
{
	size_t i, len = 0, n;

	buf[0] = '\0';
	for (i = 0; i < m->nqueue_ids; i++) {
		n = strlen(m->queue_ids[i]);
		if (len + (len > 0) + n + 1 > bufsz)
			break;
		if (len > 0)
			buf[len++] = ' ';
		memcpy(buf + len, m->queue_ids[i], n + 1);
		len += n;
	}
}

/* csv_row - one failed recipient */
static int
csv_row(struct csv_state *st, const struct mt_q_msg *m,
    const struct mt_q_rcpt *r)
{
	const struct mt_q_event *why = csv_reason(m, r);
	const char *dsn = r->dsn, *detail = r->reply;
	char tbuf[MT_TIME_BUFSZ], qids[QIDS_MAX];
	const char *f[12];

	if (why != NULL && why != r->decider) {
		detail = why->reply;
		if (why->dsn != NULL && why->dsn[0] != '\0')
			dsn = why->dsn;
	}
	csv_qids(m, qids, sizeof(qids));
	f[0] = r->time ? mt_time_format(r->time, tbuf) : "";
	f[1] = r->address;
	f[2] = csv_domain(r->address);
	f[3] = mt_outcome_to_text(r->outcome);
	f[4] = mt_stage_to_text(r->stage);
	f[5] = r->cls;
	f[6] = dsn;
	f[7] = detail;
	f[8] = m->message_id;
	f[9] = m->nprovider_ids ? m->provider_ids[0] : NULL;
	f[10] = qids;
	f[11] = r->hint;
	return mt_csv_row(&st->csv, f, 12);
}

/* csv_group - count a failed recipient in its summary group */
static void
csv_group(struct csv_state *st, const struct mt_q_msg *m,
    const struct mt_q_rcpt *r)
{
	const char *parts[4], *sample;
	char key[4 * (GROUP_PART_MAX + 1)];
	size_t len = 0, n, i;

	parts[0] = csv_domain(r->address);
	parts[1] = mt_stage_to_text(r->stage);
	parts[2] = r->cls ? r->cls : "";
	parts[3] = mt_outcome_to_text(r->outcome);
	for (i = 0; i < 4; i++) {
		n = strnlen(parts[i], GROUP_PART_MAX);	/* cut over-long */
		memcpy(key + len, parts[i], n);
		len += n;
		key[len++] = '\0';
	}
	sample = m->message_id;
	if (sample == NULL && m->nprovider_ids)
		sample = m->provider_ids[0];
	if (sample == NULL && m->nqueue_ids)
		sample = m->queue_ids[0];
	if (mt_tally_add(st->tally, key, len - 1, r->time, sample) == NULL &&
	    !st->full_warned) {
		mt_warnx("more than %d failure groups: the rest are left out",
		    SUMMARY_MAX);
		st->full_warned = 1;
	}
}

/* csv_message - the callback of mt_q_each_message */
static int
csv_message(void *arg, const struct mt_q_msg *m)
{
	struct csv_state *st = arg;
	size_t i;

	for (i = 0; i < m->nrcpts; i++) {
		const struct mt_q_rcpt *r = &m->rcpts[i];

		if (!csv_failure_outcome(r->outcome) ||
		    !mt_q_opts_covers(st->opts, r->time))
			continue;
		if (st->tally != NULL)
			csv_group(st, m, r);
		else if ((st->rc = csv_row(st, m, r)) != 0)
			return 1;
	}
	return 0;
}

/* csv_summary_rows - the sorted groups */
static int
csv_summary_rows(struct csv_state *st)
{
	struct mt_tally_ent *const *ents = mt_tally_sorted(st->tally);
	char first[MT_TIME_BUFSZ], last[MT_TIME_BUFSZ];
	const char *f[4], *p;
	size_t i, k;
	int rc;

	for (i = 0; ents[i] != NULL; i++) {
		p = ents[i]->key;
		for (k = 0; k < 4; k++) {
			f[k] = p;
			p += strlen(p) + 1;
		}
		for (k = 0; k < 4; k++)
			if ((rc = mt_csv_field(&st->csv, f[k])) != 0)
				return rc;
		if ((rc = mt_csv_field_int(&st->csv, ents[i]->count)) != 0 ||
		    (rc = mt_csv_field(&st->csv, ents[i]->first ?
		    mt_time_format(ents[i]->first, first) : "")) != 0 ||
		    (rc = mt_csv_field(&st->csv, ents[i]->last ?
		    mt_time_format(ents[i]->last, last) : "")) != 0 ||
		    (rc = mt_csv_field(&st->csv, ents[i]->sample)) != 0 ||
		    (rc = mt_csv_end(&st->csv)) != 0)
			return rc;
	}
	return 0;
}

/* mt_q_export_failures - RFC 4180 CSV of failed recipients in the window */
int
mt_q_export_failures(struct mt_q *q, FILE *fp, int flags)
{
	static const char *const hdr[] = {
		"time", "recipient", "domain", "outcome", "stage", "class",
		"dsn", "detail", "message_id", "provider_id", "queue_ids",
		"hint"
	};
	static const char *const shdr[] = {
		"domain", "stage", "class", "outcome", "count", "first_seen",
		"last_seen", "sample_message_id"
	};
	struct csv_state st;
	int rc;

	memset(&st, 0, sizeof(st));
	mt_csv_init(&st.csv, fp, (flags & MT_CSV_RAW) != 0);
	st.opts = mt_q_opts_of(q);
	if (flags & MT_CSV_SUMMARY) {
		st.tally = mt_tally_new(SUMMARY_MAX);
		rc = mt_csv_row(&st.csv, shdr, 8);
	} else
		rc = mt_csv_row(&st.csv, hdr, 12);
	if (rc != 0)
		goto out;
	rc = mt_q_each_message(q, csv_message, &st);
	if (st.rc != 0) {
		rc = st.rc;
		goto out;
	}
	if (rc != 0)
		goto out;
	if (st.tally != NULL && (rc = csv_summary_rows(&st)) != 0)
		goto out;
	rc = mt_csv_flush(&st.csv);
out:
	mt_tally_free(st.tally);
	return rc;
}
