/*
 * mt_parser.c - the format dispatcher: the only place that switches on
 * the input format; see mt_parser.h
 *
 * JSON values: a journald export record is turned into a syslog line and
 * parsed as one; anything else goes to the provider (SES) parser.  Text:
 * a syslog envelope picks Postfix or sendmail by program name; lines of
 * other programs, and lines that are not syslog at all, go to the
 * application rules.  Events of one record are drained from the format
 * parser into a small array at push time, so the record's time is known
 * before the caller stores it.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "mt_alloc.h"
#include "mt_buf.h"
#include "mt_jd.h"
#include "mt_msg.h"
#include "mt_parser.h"
#include "mt_parser_ops.h"
#include "mt_ses.h"
#include "mt_sl.h"
#include "mt_time.h"

#define PARSER_EVENTS_MAX 4096		/* events from one record */

static const char *const default_smarthosts[] = {
	"email-smtp.*.amazonaws.com",
	"email-smtp-fips.*.amazonaws.com",
	"email-smtp.*.amazonaws.com.cn",
	NULL
};

struct mt_parser {
	struct mt_parser_cfg cfg;
	struct mt_parser_ctx ctx;
	struct mt_time_ctx tc;
	char	*file;
	void	*st_pf, *st_sm, *st_ses, *st_app;
	struct mt_buf jd;		/* syslog line built from journald */
	struct mt_event *evs;		/* events of the last record */
	size_t	 nevs, capevs, nextev;
	struct mt_span record;
	int64_t	 rec_time;
};

/* parser_drain - move every event of the current record into p->evs */
static void
parser_drain(struct mt_parser *p, const struct mt_parser_ops *ops, void *st)
{
	struct mt_event ev;

	while (ops->next(st, &ev) == 1) {
		if (p->nevs == PARSER_EVENTS_MAX)
			continue;	/* keep draining; excess dropped */
		if (p->nevs == p->capevs) {
			p->capevs = p->capevs ? p->capevs * 2 : 16;
			p->evs = mt_reallocarray(p->evs, p->capevs, sizeof(*p->evs));
		}
		p->evs[p->nevs++] = ev;
	}
	if (p->nevs == PARSER_EVENTS_MAX)
		mt_msg_input(p->ctx.file, p->ctx.line,
		    "more than %d events in one record, rest dropped",
		    PARSER_EVENTS_MAX);
}

/* mt_parser_new - a parser for every format */
struct mt_parser *
mt_parser_new(const struct mt_parser_cfg *cfg)
{
	struct mt_parser *p = mt_calloc(1, sizeof(*p));

	if (cfg)
		p->cfg = *cfg;
	p->ctx.cfg = &p->cfg;
	p->ctx.file = "-";
	mt_time_ctx_init(&p->tc, p->cfg.year, 0);
	mt_buf_init(&p->jd, 2 * 1024 * 1024);
	p->st_pf = mt_pf_ops.new(&p->ctx);
	p->st_sm = mt_sm_ops.new(&p->ctx);
	p->st_ses = mt_ses_ops.new(&p->ctx);
	p->st_app = mt_app_ops.new(&p->ctx);
	return p;
}

/* mt_parser_free - release everything; accepts NULL */
void
mt_parser_free(struct mt_parser *p)
{
	if (p == NULL)
		return;
	mt_pf_ops.free(p->st_pf);
	mt_sm_ops.free(p->st_sm);
	mt_ses_ops.free(p->st_ses);
	mt_app_ops.free(p->st_app);
	mt_buf_free(&p->jd);
	free(p->evs);
	free(p->file);
	free(p);
}

/* mt_parser_set_input - file name for messages and mtime for the year */
void
mt_parser_set_input(struct mt_parser *p, const char *file, int64_t ref_time)
{
	free(p->file);
	p->file = mt_strdup(file ? file : "-");
	p->ctx.file = p->file;
	mt_time_ctx_init(&p->tc, p->cfg.year, ref_time);
}

/* mt_parser_set_time - stored time overrides parsed times (query side) */
void
mt_parser_set_time(struct mt_parser *p, int64_t us)
{
	p->ctx.time_override = us;
}

/* parser_syslog - a text line: envelope, then Postfix, sendmail or rules */
static int
parser_syslog(struct mt_parser *p, const char *line, size_t len, int want_app)
{
	struct mt_sl env;
	int r;

	if (mt_sl_parse(&p->tc, line, len, &env) != 0) {
		/* not syslog: only the application rules may know it */
		r = mt_app_ops.push(p->st_app, NULL, line, len);
		if (r == 1) {
			parser_drain(p, &mt_app_ops, p->st_app);
			return MT_FMT_APP;
		}
		return r;
	}
	p->rec_time = env.time;
	if (!want_app) {
		if ((r = mt_pf_ops.push(p->st_pf, &env, line, len)) != 0) {
			if (r == 1)
				parser_drain(p, &mt_pf_ops, p->st_pf);
			return r == 1 ? MT_FMT_SYSLOG : r;
		}
		if ((r = mt_sm_ops.push(p->st_sm, &env, line, len)) != 0) {
			if (r == 1)
				parser_drain(p, &mt_sm_ops, p->st_sm);
			return r == 1 ? MT_FMT_SYSLOG : r;
		}
	}
	r = mt_app_ops.push(p->st_app, &env, line, len);
	if (r == 1) {
		parser_drain(p, &mt_app_ops, p->st_app);
		return MT_FMT_SYSLOG;
	}
	return r;
}

/* parser_json - a JSON value: journald record or provider notification */
static int
parser_json(struct mt_parser *p, const char *rec, size_t len, int auto_fmt)
{
	int r;

	if (auto_fmt) {
		mt_buf_reset(&p->jd);
		r = mt_jd_to_syslog(rec, len, &p->jd, p->ctx.file, p->ctx.line);
		if (r < 0)
			return r;
		if (r == 1) {
			r = parser_syslog(p, p->jd.data, p->jd.len, 0);
			if (r > 0) {
				p->record.p = p->jd.data;
				p->record.n = p->jd.len;
			}
			return r;
		}
	}
	r = mt_ses_ops.push(p->st_ses, NULL, rec, len);
	if (r != 1)
		return r;
	parser_drain(p, &mt_ses_ops, p->st_ses);
	p->record = mt_ses_record(p->st_ses);
	return MT_FMT_JSON;
}

/* mt_parser_push - parse one record of the given (or detected) format */
int
mt_parser_push(struct mt_parser *p, enum mt_fmt fmt, const char *rec,
    size_t len, unsigned long lineno)
{
	size_t i;
	int r;

	p->ctx.line = lineno;
	p->ctx.stored = fmt != MT_FMT_AUTO;
	p->nevs = p->nextev = 0;
	p->rec_time = 0;
	p->record.p = rec;
	p->record.n = len;
	switch (fmt) {
	case MT_FMT_AUTO:
		for (i = 0; i < len && (rec[i] == ' ' || rec[i] == '\t'); i++)
			;
		if (i < len && (rec[i] == '{' || rec[i] == '['))
			r = parser_json(p, rec, len, 1);
		else
			r = parser_syslog(p, rec, len, 0);
		break;
	case MT_FMT_SYSLOG:
		r = parser_syslog(p, rec, len, 0);
		break;
	case MT_FMT_JSON:
		r = parser_json(p, rec, len, 0);
		break;
	case MT_FMT_APP:
		r = mt_app_ops.push(p->st_app, NULL, rec, len);
		if (r == 1) {
			parser_drain(p, &mt_app_ops, p->st_app);
			r = MT_FMT_APP;
		}
		break;
	default:
		mt_msg_input(p->ctx.file, lineno, "unknown stored format %d",
		    (int)fmt);
		r = -MT_ERR_INPUT;
		break;
	}
	if (r <= 0) {
		p->nevs = 0;
		p->record = MT_SPAN_NONE;
		return r;
	}
	if (p->nevs > 0 && p->evs[0].time != 0)
		p->rec_time = p->evs[0].time;
	if (p->ctx.time_override)
		p->rec_time = p->ctx.time_override;
	return r;
}

/* mt_parser_next - hand out the next event of the last record */
int
mt_parser_next(struct mt_parser *p, struct mt_event *ev)
{
	if (p->nextev >= p->nevs)
		return 0;
	*ev = p->evs[p->nextev++];
	return 1;
}

/* mt_parser_keys - deduplicated keys of the remaining events */
size_t
mt_parser_keys(struct mt_parser *p, uint64_t *keys, size_t max)
{
	struct mt_event ev;
	uint64_t evk[8];
	size_t nk = 0, i, j, k;

	while (mt_parser_next(p, &ev) == 1) {
		k = mt_event_keys(&ev, evk, 8);
		for (i = 0; i < k && nk < max; i++) {
			for (j = 0; j < nk; j++)
				if (keys[j] == evk[i])
					break;
			if (j == nk)
				keys[nk++] = evk[i];
		}
	}
	return nk;
}

/* mt_parser_record - canonical text of the last recognised record */
struct mt_span
mt_parser_record(const struct mt_parser *p)
{
	return p->record;
}

/* mt_parser_record_time - time of the last recognised record */
int64_t
mt_parser_record_time(const struct mt_parser *p)
{
	return p->rec_time;
}

/* relay_host - the host name of "host[ip]:port" or "host. [ip]" */
static size_t
relay_host(struct mt_span relay, char *out, size_t outsz)
{
	size_t i, n = 0;

	for (i = 0; i < relay.n && n + 1 < outsz; i++) {
		char c = relay.p[i];

		if (c == '[' || c == ' ' || c == ':' || c == ',')
			break;
		out[n++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	while (n > 0 && out[n - 1] == '.')
		n--;
	out[n] = '\0';
	return n;
}

/* mt_parser_is_smarthost - does relay name a sending provider's endpoint? */
int
mt_parser_is_smarthost(const struct mt_parser *p, struct mt_span relay)
{
	const char *const *pats = default_smarthosts;
	char host[256];
	size_t i, n = (size_t)-1;

	if (relay_host(relay, host, sizeof(host)) == 0)
		return 0;
	if (p && p->cfg.smarthosts) {
		pats = p->cfg.smarthosts;
		n = p->cfg.nsmarthosts;
	}
	for (i = 0; i < n && pats[i] != NULL; i++)
		if (fnmatch(pats[i], host, 0) == 0)
			return 1;
	return 0;
}
