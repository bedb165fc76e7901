/*
 * NAME
 *	mt_bench_gen - deterministic relay and provider workload for make bench
 *
 * SYNOPSIS
 *	mt_bench_gen [-s seed] [-m MB] [-d days] [--start YYYY-MM-DD] dir
 *
 * DESCRIPTION
 *	Writes three files into dir:
 *
 *	maillog		Postfix syslog (BSD timestamps, host relay1) of about
 *			MB megabytes, spanning days days from --start 00:00Z
 *			(default: MB / 50 days, at least 2).  Messages come
 *			from applications over SMTP and from pickup
 *			(newsletter campaigns), are interleaved (hundreds in
 *			flight during campaigns), have one to eight
 *			recipients, go through a content filter on
 *			127.0.0.1:10024 into a second instance (postfix-out)
 *			for a quarter of them, and are mostly relayed to
 *			Amazon SES; a few domains go straight to their MX.
 *			Deferrals (rate limits, timeouts), bounces with real
 *			diagnostics, expiry, non-delivery notices, queue-ID
 *			reuse (inode-style queue IDs from a small pool) and
 *			noise (postscreen, connect/disconnect, TLS, anvil,
 *			warnings) are mixed in.
 *	provider.ndjson	SES event-publishing JSON, one object a line, in
 *			time order: Delivery, Bounce, Complaint and
 *			DeliveryDelay for every recipient handed to SES, with
 *			the message IDs of the relay's "250 Ok <id>" replies.
 *	ids.txt		"kind<TAB>id" lines: a uniform sample (reservoir) of
 *			message-id, queue-id, provider-id and recipient
 *			identifiers over the whole span.
 *
 *	The same seed and size give the same bytes.  Only libc is used; the
 *	output is written through large stdio buffers, and nothing is
 *	allocated per line.
 *
 * DIAGNOSTICS
 *	A summary goes to stderr.  Exit status 0 on success, 1 on an I/O
 *	error, 2 on a usage error.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define GEN_LINE_SIZE	(4095 + 1)	/* one syslog line or JSON object */
#define GEN_ID_SIZE	(127 + 1)	/* one identifier */
#define GEN_MAX_RCPT	8
#define GEN_POOL	(1 << 16)	/* entities in flight */
#define GEN_INO_BASE	0x1B000u	/* queue-file inodes: 0x1B000.. */
#define GEN_INO_COUNT	2048u
#define GEN_REUSE	1000		/* one queue ID in this many is old */
#define GEN_RING	4096		/* remembered old queue IDs */
#define GEN_STRIDE	32		/* one in this many is remembered */
#define GEN_RES		1500		/* sampled identifiers per kind */
#define GEN_IOBUF	(1 << 20)
#define GEN_NOISE_PER_MSG 0.8		/* noise items per message */
#define GEN_MB_PER_DAY	50.0
#define GEN_PI		3.14159265358979323846

enum gen_kind { K_ARRIVAL, K_CAMPAIGN, K_NOISE, K_ANVIL, K_SESSION, K_MSG,
	K_PROV };
enum gen_step {
	S_CONNECT, S_CLIENT, S_PICKUP, S_CLEANUP, S_QMGR, S_DISCONNECT,
	S_DELIVER, S_HOP_QMGR, S_NDR, S_NDR_DELIVER, S_REMOVE
};
enum gen_route { R_SES, R_DIRECT };
enum gen_fate {
	F_SENT, F_UNKNOWN, F_FULL, F_SPAMHAUS, F_RATE, F_TIMEOUT, F_EXPIRE,
	/* provider side, after SES accepted the recipient */
	P_DELIVERY, P_COMPLAINT, P_BOUNCE, P_MAILBOX_FULL, P_SUPPRESSED,
	P_DELAY_DELIVERY, P_DELAY_BOUNCE,
	P_COMPLAINT_LATE	/* the complaint after the delivery */
};
enum gen_rstate { RS_PENDING, RS_SENT, RS_BOUNCED };
enum gen_prog { PR_SMTPD, PR_CLEANUP, PR_QMGR, PR_SMTP, PR_BOUNCE,
	PR_PICKUP, PR_POSTSCREEN, PR_ANVIL, PR_NPROG };
enum gen_variant { V_PASS, V_DNSBL, V_PREGREET, V_AUTHFAIL, V_NVARIANT };
enum gen_idkind { ID_MSGID, ID_QID, ID_PROVIDER, ID_RCPT, ID_NKIND };

struct gen_rcpt {
	uint32_t addr;		/* index in the recipient population */
	uint8_t	 route;
	uint8_t	 fate;		/* relay fate, or provider fate for R_SES */
	uint8_t	 state;
	uint8_t	 pad;
};

struct gen_ent {
	double	 t;		/* seconds after the start */
	uint32_t seq;		/* tie-break: push order */
	uint8_t	 kind;
	uint8_t	 step;
	uint8_t	 app;
	uint8_t	 inst;		/* 0 postfix, 1 postfix-out */
	uint8_t	 nrcpt;
	uint8_t	 filtered;
	uint8_t	 throttled;	/* SES answers 454 on the first try */
	uint8_t	 tries;
	uint8_t	 variant;
	uint8_t	 which;		/* provider event: recipient index */
	uint8_t	 pfate;		/* provider event: what happens */
	uint8_t	 campaign;
	int	 pid;		/* smtpd process of the session */
	uint32_t ino, ino2;	/* queue-file inodes, 0 = none */
	uint32_t serial;	/* message number */
	uint32_t size;
	uint32_t ip;		/* session noise: client address */
	double	 born;
	double	 mailt;		/* provider: time SES accepted the mail */
	char	 qid[16];
	char	 qid2[16];	/* hop or non-delivery notice */
	char	 msgid[GEN_ID_SIZE];
	char	 sesid[64];
	struct gen_rcpt r[GEN_MAX_RCPT];
};

struct gen_pids {
	int	 n;
	int	 pid[24];
};

struct gen_res {
	uint64_t seen;
	char	 id[GEN_RES][GEN_ID_SIZE];
};

struct gen_buf {
	char	*p;
	char	*end;
	char	 buf[GEN_LINE_SIZE];
};

struct gen {
	uint64_t rng;
	uint64_t rng_ids;	/* sampling must not perturb the workload */
	FILE	*log, *js;
	int64_t	 start;		/* UTC seconds of the first day */
	double	 span;		/* seconds */
	uint64_t target;	/* syslog bytes wanted */
	uint64_t written, lines, jbytes, jlines;
	uint64_t msgs, dropped, ses_msgs, bounced, reused;
	uint32_t seq;
	int	 stopped;	/* no more arrivals */
	double	 arr_mean;	/* current mean time between arrivals */
	double	 base_mean;	/* its estimate from the size alone */
	uint32_t population;	/* distinct recipients */
	int	 next_pid;
	struct gen_pids pids[2][PR_NPROG];
	/* entity pool and heap */
	struct gen_ent *pool;
	struct gen_ent **freel;
	size_t	 nfree;
	struct gen_ent **heap;
	size_t	 nheap, inflight, max_inflight;
	/* queue-file inodes */
	uint32_t ino_free[GEN_INO_COUNT];
	size_t	 nino;
	struct gen_old {
		double	 t;
		uint32_t usec, ino;
	} ring[GEN_RING];	/* past queue IDs, for reuse */
	uint64_t nring;
	uint32_t *seen;		/* every queue ID used, to count reuse */
	size_t	 seen_mask, nseen;
	/* timestamp cache */
	int64_t	 tsec;
	char	 tbsd[48];
	char	 tiso[64];
	struct gen_buf lb, jb;
	struct gen_res *res;
};

struct gen_app {
	const char *client;	/* NULL: pickup */
	const char *sender;
	const char *from;	/* From: header */
	const char *domain;	/* Message-ID right-hand side */
	const char *subject;
	int	 weight;
};

static const struct gen_app gen_apps[] = {
	{ "app1.shop.example.com[10.0.0.5]", "noreply@shop.example.com",
	    "Example Shop <noreply@shop.example.com>", "shop.example.com",
	    "Your order has shipped", 45 },
	{ "billing.internal.example.com[10.0.1.12]",
	    "invoices@billing.example.com",
	    "Example Billing <invoices@billing.example.com>",
	    "billing.example.com", "Your invoice is ready", 22 },
	{ "app2.shop.example.com[10.0.0.6]", "no-reply@accounts.example.com",
	    "Example Accounts <no-reply@accounts.example.com>",
	    "accounts.example.com", "Reset your password", 18 },
	{ NULL, "news@news.shop.example.com",
	    "Example Shop News <news@news.shop.example.com>",
	    "news.shop.example.com", "Our autumn collection is here", 15 },
};
#define GEN_NAPPS (sizeof(gen_apps) / sizeof(gen_apps[0]))

struct gen_domain {
	const char *name;
	const char *mx;		/* NULL: relayed to SES */
	const char *ip;
	int	 weight;
};

static const struct gen_domain gen_domains[] = {
	{ "gmail.com", NULL, NULL, 30 },
	{ "yahoo.com", NULL, NULL, 6 },
	{ "outlook.com", NULL, NULL, 7 },
	{ "hotmail.com", NULL, NULL, 6 },
	{ "icloud.com", NULL, NULL, 5 },
	{ "gmx.de", NULL, NULL, 5 },
	{ "web.de", NULL, NULL, 4 },
	{ "orange.fr", NULL, NULL, 4 },
	{ "libero.it", NULL, NULL, 3 },
	{ "yahoo.co.uk", NULL, NULL, 3 },
	{ "t-online.de", NULL, NULL, 3 },
	{ "proton.me", NULL, NULL, 2 },
	{ "aol.com", NULL, NULL, 2 },
	{ "free.fr", NULL, NULL, 2 },
	{ "btinternet.com", NULL, NULL, 2 },
	{ "example.com", "mx1.example.com", "198.51.100.7", 5 },
	{ "example.net", "mx.example.net", "203.0.113.25", 4 },
	{ "partner-a.example", "mail.partner-a.example", "198.51.100.20", 3 },
	{ "corp.example.org", "mx01.corp.example.org", "192.0.2.80", 2 },
	{ "lists.example.edu", "inbound.lists.example.edu", "198.51.100.99",
	    2 },
};
#define GEN_NDOMAINS (sizeof(gen_domains) / sizeof(gen_domains[0]))

static const char *const gen_first[] = {
	"anna", "ben", "clara", "david", "emma", "felix", "greta", "hugo",
	"ines", "jonas", "karin", "lukas", "maria", "niklas", "olga", "paul",
	"quinn", "rosa", "stefan", "tina", "ulrich", "vera", "walter",
	"xenia", "yusuf", "zoe", "amelie", "bruno", "chloe", "dmitri",
	"elena", "fabio", "giulia", "henrik", "isabel", "jakob", "lea",
	"marco", "nora", "oscar",
};
static const char *const gen_last[] = {
	"schmidt", "martin", "rossi", "garcia", "smith", "jones", "muller",
	"dubois", "bianchi", "novak", "kowalski", "jansen", "peeters",
	"silva", "nielsen", "berg", "horvat", "popescu", "murphy", "walsh",
	"brown", "taylor", "moreau", "lefebvre", "romano", "fischer",
	"weber", "meyer", "wagner", "becker", "hoffmann", "schulz", "koch",
	"richter", "klein", "wolf", "neumann", "schwarz", "braun", "zimmer",
};
#define GEN_NFIRST (sizeof(gen_first) / sizeof(gen_first[0]))
#define GEN_NLAST (sizeof(gen_last) / sizeof(gen_last[0]))

static const char *const gen_month[] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const gen_progname[PR_NPROG] = { "smtpd", "cleanup",
	"qmgr", "smtp", "bounce", "pickup", "postscreen", "anvil" };
static const char *const gen_instname[2] = { "postfix", "postfix-out" };
static const char *const gen_kindname[ID_NKIND] = { "message-id",
	"queue-id", "provider-id", "recipient" };

#define SES_RELAY	"email-smtp.eu-west-1.amazonaws.com[52.48.11.22]:587"
#define SES_HOST	"email-smtp.eu-west-1.amazonaws.com[52.48.11.22]"
#define FILTER_RELAY	"127.0.0.1[127.0.0.1]:10024"
#define RELAY_HOST	"relay1"
#define RELAY_FQDN	"relay1.example.com"
#define RELAY_IP	"203.0.113.10"

/* ---- random numbers ---- */

/* gen_splitmix - one splitmix64 step (seeding) */
static uint64_t
gen_splitmix(uint64_t *x)
{
	uint64_t z;

	z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* gen_next - xorshift64* */
static uint64_t
gen_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* gen_unit - uniform double in [0, 1) */
static double
gen_unit(uint64_t *s)
{
	return (double)(gen_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* gen_below - uniform integer in [0, n) */
static uint32_t
gen_below(uint64_t *s, uint32_t n)
{
	return (uint32_t)(((gen_next(s) >> 32) * (uint64_t)n) >> 32);
}

/* gen_range - uniform double in [lo, hi) */
static double
gen_range(uint64_t *s, double lo, double hi)
{
	return lo + (hi - lo) * gen_unit(s);
}

/* gen_exp - exponential with the given mean */
static double
gen_exp(uint64_t *s, double mean)
{
	return -mean * log(1.0 - gen_unit(s));
}

/* gen_chance - true with probability p */
static int
gen_chance(struct gen *g, double p)
{
	return gen_unit(&g->rng) < p;
}

/* gen_mix - hash an integer (recipient index to domain) */
static uint32_t
gen_mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

/* ---- line buffers ---- */

/* buf_reset - empty a line buffer */
static void
buf_reset(struct gen_buf *b)
{
	b->p = b->buf;
	b->end = b->buf + sizeof(b->buf) - 1;	/* room for the newline */
}

/* buf_mem - append n bytes, truncating at the cap */
static void
buf_mem(struct gen_buf *b, const char *s, size_t n)
{
	size_t room = (size_t)(b->end - b->p);

	if (n > room)
		n = room;
	memcpy(b->p, s, n);
	b->p += n;
}

/* buf_str - append a string */
static void
buf_str(struct gen_buf *b, const char *s)
{
	buf_mem(b, s, strlen(s));
}

/* buf_chr - append one character */
static void
buf_chr(struct gen_buf *b, char c)
{
	if (b->p < b->end)
		*b->p++ = c;
}

/* buf_uint - append a decimal number, zero-padded to width */
static void
buf_uint(struct gen_buf *b, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && n < (int)sizeof(tmp));
	while (n < width && n < (int)sizeof(tmp))
		tmp[n++] = '0';
	while (n > 0)
		buf_chr(b, tmp[--n]);
}

/* buf_hex - append v as width hex digits */
static void
buf_hex(struct gen_buf *b, uint64_t v, int width, int upper)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int i;

	for (i = width - 1; i >= 0; i--)
		buf_chr(b, dig[(v >> (4 * i)) & 0xf]);
}

/* buf_fix - append a non-negative number with decimals (delay=1.2) */
static void
buf_fix(struct gen_buf *b, double v, int decimals)
{
	uint64_t scale = 1, n;
	int i;

	for (i = 0; i < decimals; i++)
		scale *= 10;
	if (v < 0)
		v = 0;
	n = (uint64_t)(v * (double)scale + 0.5);
	buf_uint(b, n / scale, 0);
	if (decimals > 0) {
		buf_chr(b, '.');
		buf_uint(b, n % scale, decimals);
	}
}

/* ---- time ---- */

/* gen_clock - refresh the cached BSD and ISO forms of second sec */
static void
gen_clock(struct gen *g, int64_t sec)
{
	struct tm tm;
	time_t tt;

	if (sec == g->tsec)
		return;
	g->tsec = sec;
	tt = (time_t)(g->start + sec);
	gmtime_r(&tt, &tm);
	snprintf(g->tbsd, sizeof(g->tbsd), "%s %2d %02d:%02d:%02d",
	    gen_month[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	snprintf(g->tiso, sizeof(g->tiso), "%04d-%02d-%02dT%02d:%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
}

/* buf_iso - append t as an SES timestamp, 2026-10-01T00:00:01.123Z */
static void
buf_iso(struct gen *g, struct gen_buf *b, double t)
{
	int64_t sec = (int64_t)floor(t);

	gen_clock(g, sec);
	buf_str(b, g->tiso);
	buf_chr(b, '.');
	buf_uint(b, (uint64_t)((t - (double)sec) * 1000.0) % 1000, 3);
	buf_chr(b, 'Z');
}

/* ---- output ---- */

/* log_begin - start a syslog line: time host instance/prog[pid]: */
static struct gen_buf *
log_begin(struct gen *g, double t, int inst, const char *prog, int pid)
{
	struct gen_buf *b = &g->lb;

	buf_reset(b);
	gen_clock(g, (int64_t)floor(t));
	buf_str(b, g->tbsd);
	buf_str(b, " " RELAY_HOST " ");
	buf_str(b, gen_instname[inst]);
	buf_chr(b, '/');
	buf_str(b, prog);
	buf_chr(b, '[');
	buf_uint(b, (uint64_t)pid, 0);
	buf_str(b, "]: ");
	return b;
}

/* log_end - finish and write the syslog line */
static void
log_end(struct gen *g)
{
	struct gen_buf *b = &g->lb;
	size_t n;

	*b->p++ = '\n';
	n = (size_t)(b->p - b->buf);
	fwrite(b->buf, 1, n, g->log);
	g->written += n;
	g->lines++;
}

/* json_end - finish and write the provider JSON line */
static void
json_end(struct gen *g)
{
	struct gen_buf *b = &g->jb;
	size_t n;

	*b->p++ = '\n';
	n = (size_t)(b->p - b->buf);
	fwrite(b->buf, 1, n, g->js);
	g->jbytes += n;
	g->jlines++;
}

/* ---- identifiers ---- */

/* gen_sample - offer an identifier to the reservoir of its kind */
static void
gen_sample(struct gen *g, int kind, const char *id)
{
	struct gen_res *r = &g->res[kind];
	uint64_t j;

	r->seen++;
	if (r->seen <= GEN_RES)
		j = r->seen - 1;
	else {
		j = gen_next(&g->rng_ids) % r->seen;
		if (j >= GEN_RES)
			return;
	}
	snprintf(r->id[j], GEN_ID_SIZE, "%s", id);
}

/* gen_pid - a process id for prog in instance inst (processes recycle) */
static int
gen_pid(struct gen *g, int inst, int prog)
{
	struct gen_pids *p = &g->pids[inst][prog];
	uint32_t i = gen_below(&g->rng, (uint32_t)p->n);
	double churn = (prog == PR_QMGR || prog == PR_PICKUP) ? 1e-6 : 2e-3;

	if (gen_chance(g, churn)) {
		p->pid[i] = g->next_pid;
		g->next_pid += 1 + (int)gen_below(&g->rng, 40);
		if (g->next_pid > 4000000)
			g->next_pid = 1000;
	}
	return p->pid[i];
}

/* gen_seen - remember queue ID code c (non-zero); count repeats */
static void
gen_seen(struct gen *g, uint32_t c)
{
	size_t i;

	if (g->nseen * 2 > g->seen_mask)
		return;		/* table full: stop counting */
	for (i = gen_mix(c) & g->seen_mask; g->seen[i] != 0;
	    i = (i + 1) & g->seen_mask)
		if (g->seen[i] == c) {
			g->reused++;
			return;
		}
	g->seen[i] = c;
	g->nseen++;
}

/* gen_old - a queue ID from half a day ago or more whose inode is free */
/*
 * Sets *slot (in ino_free) and *usec.  Real queues repeat IDs because the
 * inode and the microsecond part both recur; a small pool alone would make
 * that too rare at small sizes.
 */
static int
gen_old(struct gen *g, double t, uint32_t *slot, uint32_t *usec)
{
	const struct gen_old *o;
	uint64_t n;
	size_t k;
	uint32_t i;

	n = (g->nring + GEN_STRIDE - 1) / GEN_STRIDE;
	if (n == 0)
		return 0;
	o = &g->ring[gen_below(&g->rng, n < GEN_RING ? (uint32_t)n :
	    GEN_RING)];
	if (t - o->t < 43200.0)
		return 0;
	for (k = 0; k < g->nino; k++)
		if (g->ino_free[k] == o->ino)
			break;
	if (k == g->nino)
		return 0;
	i = (uint32_t)k;
	*slot = i;
	*usec = o->usec;
	return 1;
}

/* gen_qid - allocate a queue file: 5 hex of microseconds + inode hex */
static uint32_t
gen_qid(struct gen *g, double t, char qid[16])
{
	uint32_t i, ino, usec;
	size_t k;

	if (g->nino == 0)
		return 0;
	i = gen_below(&g->rng, (uint32_t)g->nino);
	ino = g->ino_free[i];
	usec = (uint32_t)((t - floor(t)) * 1e6) & 0xfffff;
	if (gen_below(&g->rng, GEN_REUSE) == 0 && gen_old(g, t, &i, &usec))
		ino = g->ino_free[i];
	else if (g->nring++ % GEN_STRIDE == 0) {
		k = (size_t)(g->nring / GEN_STRIDE % GEN_RING);
		g->ring[k].t = t;
		g->ring[k].usec = usec;
		g->ring[k].ino = ino;
	}
	g->ino_free[i] = g->ino_free[--g->nino];
	snprintf(qid, 16, "%05X%05X", (unsigned)usec, (unsigned)ino);
	gen_seen(g, (usec << 11 | (ino - GEN_INO_BASE)) + 1);
	return ino;
}

/* gen_qid_free - the queue file is removed; its inode can be reused */
static void
gen_qid_free(struct gen *g, uint32_t *ino)
{
	if (*ino != 0 && g->nino < GEN_INO_COUNT)
		g->ino_free[g->nino++] = *ino;
	*ino = 0;
}

/* gen_sesid - an SES message id for time t */
static void
gen_sesid(struct gen *g, double t, char out[64])
{
	uint64_t ms = (uint64_t)((double)g->start * 1000.0 + t * 1000.0);
	uint64_t a = gen_next(&g->rng), c = gen_next(&g->rng);

	snprintf(out, 64, "0102%012llx-%08x-%04x-4%03x-8%03x-%012llx-000000",
	    (unsigned long long)(ms & 0xffffffffffffULL),
	    (unsigned)(a >> 32), (unsigned)((a >> 16) & 0xffff),
	    (unsigned)(a & 0xfff), (unsigned)((c >> 48) & 0xfff),
	    (unsigned long long)(c & 0xffffffffffffULL));
}

/* buf_addr - append the address of recipient index i */
static void
buf_addr(struct gen_buf *b, uint32_t i)
{
	uint32_t n = i / (uint32_t)(GEN_NFIRST * GEN_NLAST);

	buf_str(b, gen_first[i % GEN_NFIRST]);
	buf_chr(b, '.');
	buf_str(b, gen_last[(i / GEN_NFIRST) % GEN_NLAST]);
	if (n > 0)
		buf_uint(b, n, 0);
	buf_chr(b, '@');
	buf_str(b, gen_domains[gen_mix(i) % 1000 % GEN_NDOMAINS].name);
}

/* gen_domain_of - the domain entry of recipient index i */
static const struct gen_domain *
gen_domain_of(uint32_t i)
{
	return &gen_domains[gen_mix(i) % 1000 % GEN_NDOMAINS];
}

/* gen_pick_addr - draw a recipient: domains weighted, people uniform */
static uint32_t
gen_pick_addr(struct gen *g)
{
	uint32_t i, w, sum = 0, k;

	/*
	 * The domain of index i is fixed by gen_mix(i); draw indices until
	 * one has the domain we want, so that domain weights hold.
	 */
	for (k = 0; k < GEN_NDOMAINS; k++)
		sum += (uint32_t)gen_domains[k].weight;
	w = gen_below(&g->rng, sum);
	for (k = 0; k < GEN_NDOMAINS - 1; k++) {
		if (w < (uint32_t)gen_domains[k].weight)
			break;
		w -= (uint32_t)gen_domains[k].weight;
	}
	for (;;) {
		i = gen_below(&g->rng, g->population);
		if (gen_domain_of(i) == &gen_domains[k])
			return i;
	}
}

/* ---- entities and the event heap ---- */

/* ent_before - heap order: time, then push order */
static int
ent_before(const struct gen_ent *a, const struct gen_ent *b)
{
	if (a->t != b->t)
		return a->t < b->t;
	return a->seq < b->seq;
}

/* heap_push - schedule e at e->t */
static void
heap_push(struct gen *g, struct gen_ent *e)
{
	size_t i = g->nheap++, up;

	e->seq = g->seq++;
	while (i > 0) {
		up = (i - 1) / 2;
		if (!ent_before(e, g->heap[up]))
			break;
		g->heap[i] = g->heap[up];
		i = up;
	}
	g->heap[i] = e;
}

/* heap_pop - the next entity due */
static struct gen_ent *
heap_pop(struct gen *g)
{
	struct gen_ent *top, *last;
	size_t i = 0, c;

	if (g->nheap == 0)
		return NULL;
	top = g->heap[0];
	last = g->heap[--g->nheap];
	for (;;) {
		c = 2 * i + 1;
		if (c >= g->nheap)
			break;
		if (c + 1 < g->nheap && ent_before(g->heap[c + 1], g->heap[c]))
			c++;
		if (!ent_before(g->heap[c], last))
			break;
		g->heap[i] = g->heap[c];
		i = c;
	}
	if (g->nheap > 0)
		g->heap[i] = last;
	return top;
}

/* ent_new - take an entity from the pool; NULL when the pool is empty */
static struct gen_ent *
ent_new(struct gen *g, int kind, double t)
{
	struct gen_ent *e;

	if (g->nfree == 0)
		return NULL;
	e = g->freel[--g->nfree];
	memset(e, 0, sizeof(*e));
	e->kind = (uint8_t)kind;
	e->t = t;
	return e;
}

/* ent_free - return an entity to the pool */
static void
ent_free(struct gen *g, struct gen_ent *e)
{
	g->freel[g->nfree++] = e;
}

/* ---- provider JSON ---- */

/* json_str - append a JSON string (our strings need no escapes) */
static void
json_str(struct gen_buf *b, const char *s)
{
	buf_chr(b, '"');
	buf_str(b, s);
	buf_chr(b, '"');
}

/* json_addr - append a recipient address as a JSON string */
static void
json_addr(struct gen_buf *b, uint32_t addr)
{
	buf_chr(b, '"');
	buf_addr(b, addr);
	buf_chr(b, '"');
}

/* json_mail - append the "mail" object of a provider event */
static void
json_mail(struct gen *g, struct gen_ent *e)
{
	struct gen_buf *b = &g->jb;
	const struct gen_app *a = &gen_apps[e->app];
	int i, first;

	buf_str(b, "\"mail\":{\"timestamp\":\"");
	buf_iso(g, b, e->mailt);
	buf_str(b, "\",\"source\":");
	json_str(b, a->sender);
	buf_str(b, ",\"sourceArn\":\"arn:aws:ses:eu-west-1:123456789012:"
	    "identity/");
	buf_str(b, a->domain);
	buf_str(b, "\",\"sendingAccountId\":\"123456789012\",\"messageId\":");
	json_str(b, e->sesid);
	buf_str(b, ",\"destination\":[");
	for (i = 0, first = 1; i < e->nrcpt; i++) {
		if (e->r[i].route != R_SES)
			continue;
		if (!first)
			buf_chr(b, ',');
		first = 0;
		json_addr(b, e->r[i].addr);
	}
	buf_str(b, "],\"headersTruncated\":false,\"headers\":["
	    "{\"name\":\"From\",\"value\":");
	json_str(b, a->from);
	buf_str(b, "},{\"name\":\"To\",\"value\":");
	json_addr(b, e->r[e->which].addr);
	buf_str(b, "},{\"name\":\"Message-ID\",\"value\":\"<");
	buf_str(b, e->msgid);
	buf_str(b, ">\"},{\"name\":\"Subject\",\"value\":");
	json_str(b, a->subject);
	buf_str(b, "},{\"name\":\"MIME-Version\",\"value\":\"1.0\"},"
	    "{\"name\":\"Content-Type\",\"value\":\"text/html; "
	    "charset=UTF-8\"}],\"commonHeaders\":{\"from\":[");
	json_str(b, a->from);
	buf_str(b, "],\"to\":[");
	json_addr(b, e->r[e->which].addr);
	buf_str(b, "],\"messageId\":\"<");
	buf_str(b, e->msgid);
	buf_str(b, ">\",\"subject\":");
	json_str(b, a->subject);
	buf_str(b, "},\"tags\":{\"ses:configuration-set\":[\"relay1\"],"
	    "\"ses:source-ip\":[\"" RELAY_IP "\"],\"ses:from-domain\":[");
	json_str(b, a->domain);
	buf_str(b, "],\"ses:caller-identity\":[\"relay1-smtp\"],"
	    "\"ses:outgoing-ip\":[\"54.240.4.");
	buf_uint(b, 1 + gen_mix(e->serial) % 250, 0);
	buf_str(b, "\"]}}");
}

/* json_event - write one provider event for e of the given type */
static void
json_event(struct gen *g, struct gen_ent *e, int what)
{
	struct gen_buf *b = &g->jb;
	uint32_t addr = e->r[e->which].addr;
	char fb[64];

	buf_reset(b);
	switch (what) {
	case P_DELIVERY:
		buf_str(b, "{\"eventType\":\"Delivery\",");
		json_mail(g, e);
		buf_str(b, ",\"delivery\":{\"timestamp\":\"");
		buf_iso(g, b, e->t);
		buf_str(b, "\",\"processingTimeMillis\":");
		buf_uint(b, (uint64_t)((e->t - e->mailt) * 1000.0), 0);
		buf_str(b, ",\"recipients\":[");
		json_addr(b, addr);
		buf_str(b, "],\"smtpResponse\":\"250 2.0.0 OK  ");
		buf_uint(b, (uint64_t)(g->start + (int64_t)e->t), 0);
		buf_str(b, " ");
		buf_hex(b, gen_mix(e->serial * 7u + e->which), 8, 0);
		buf_str(b, "si");
		buf_uint(b, gen_mix(e->serial) % 10000000, 7);
		buf_str(b, " - gsmtp\",\"reportingMTA\":\"a7-");
		buf_uint(b, 10 + e->serial % 80, 0);
		buf_str(b, ".smtp-out.eu-west-1.amazonses.com\"}}");
		break;
	case P_BOUNCE:
	case P_MAILBOX_FULL:
	case P_SUPPRESSED:
		gen_sesid(g, e->t, fb);
		buf_str(b, "{\"eventType\":\"Bounce\",\"bounce\":{"
		    "\"feedbackId\":");
		json_str(b, fb);
		if (what == P_BOUNCE)
			buf_str(b, ",\"bounceType\":\"Permanent\","
			    "\"bounceSubType\":\"General\"");
		else if (what == P_MAILBOX_FULL)
			buf_str(b, ",\"bounceType\":\"Transient\","
			    "\"bounceSubType\":\"MailboxFull\"");
		else
			buf_str(b, ",\"bounceType\":\"Permanent\","
			    "\"bounceSubType\":\"OnAccountSuppressionList\"");
		buf_str(b, ",\"bouncedRecipients\":[{\"emailAddress\":");
		json_addr(b, addr);
		buf_str(b, ",\"action\":\"failed\",\"status\":");
		if (what == P_BOUNCE) {
			buf_str(b, "\"5.1.1\",\"diagnosticCode\":\"smtp; "
			    "550 5.1.1 <");
			buf_addr(b, addr);
			buf_str(b, ">: Recipient address rejected: User "
			    "unknown in virtual mailbox table\"");
		} else if (what == P_MAILBOX_FULL) {
			buf_str(b, "\"5.2.2\",\"diagnosticCode\":\"smtp; "
			    "552 5.2.2 The email account that you tried to "
			    "reach is over quota.\"");
		} else
			buf_str(b, "\"5.1.1\",\"diagnosticCode\":\"Amazon "
			    "SES did not send the message to this address "
			    "because it is on the suppression list for your "
			    "account.\"");
		buf_str(b, "}],\"timestamp\":\"");
		buf_iso(g, b, e->t);
		buf_str(b, "\",\"reportingMTA\":\"dsn; a7-");
		buf_uint(b, 10 + e->serial % 80, 0);
		buf_str(b, ".smtp-out.eu-west-1.amazonses.com\"},");
		json_mail(g, e);
		buf_chr(b, '}');
		break;
	case P_COMPLAINT:
		gen_sesid(g, e->t, fb);
		buf_str(b, "{\"eventType\":\"Complaint\",\"complaint\":{"
		    "\"feedbackId\":");
		json_str(b, fb);
		buf_str(b, ",\"complaintSubType\":null,"
		    "\"complainedRecipients\":[{\"emailAddress\":");
		json_addr(b, addr);
		buf_str(b, "}],\"timestamp\":\"");
		buf_iso(g, b, e->t);
		buf_str(b, "\",\"userAgent\":\"Yahoo!-Mail-Feedback/2.0\","
		    "\"complaintFeedbackType\":\"abuse\",\"arrivalDate\":\"");
		buf_iso(g, b, e->t - 2.0);
		buf_str(b, "\"},");
		json_mail(g, e);
		buf_chr(b, '}');
		break;
	default:	/* the delay of P_DELAY_* */
		buf_str(b, "{\"eventType\":\"DeliveryDelay\",");
		json_mail(g, e);
		buf_str(b, ",\"deliveryDelay\":{\"timestamp\":\"");
		buf_iso(g, b, e->t);
		buf_str(b, "\",\"delayType\":\"TransientCommunicationFailure\","
		    "\"expirationTime\":\"");
		buf_iso(g, b, e->mailt + 14.0 * 3600.0);
		buf_str(b, "\",\"delayedRecipients\":[{\"emailAddress\":");
		json_addr(b, addr);
		buf_str(b, ",\"status\":\"4.4.1\",\"diagnosticCode\":\"smtp; "
		    "421 4.4.1 Unable to connect to remote host\"}],"
		    "\"reportingMTA\":\"a7-");
		buf_uint(b, 10 + e->serial % 80, 0);
		buf_str(b, ".smtp-out.eu-west-1.amazonses.com\"}}");
		break;
	}
	json_end(g);
}

/* prov_step - a provider event is due; write it, maybe schedule more */
static void
prov_step(struct gen *g, struct gen_ent *e)
{
	switch (e->pfate) {
	case P_DELAY_DELIVERY:
	case P_DELAY_BOUNCE:
		json_event(g, e, P_DELAY_DELIVERY);
		e->pfate = e->pfate == P_DELAY_DELIVERY ? P_DELIVERY :
		    P_BOUNCE;
		e->t += gen_range(&g->rng, 1800.0, 4.0 * 3600.0);
		heap_push(g, e);
		return;
	case P_COMPLAINT:
		json_event(g, e, P_DELIVERY);
		e->pfate = P_COMPLAINT_LATE;
		e->t += gen_range(&g->rng, 600.0, 20.0 * 3600.0);
		heap_push(g, e);
		return;
	case P_COMPLAINT_LATE:
		json_event(g, e, P_COMPLAINT);
		break;
	default:
		json_event(g, e, e->pfate);
		break;
	}
	g->inflight--;
	ent_free(g, e);
}

/* prov_spawn - schedule the provider events of SES recipient i of m */
static void
prov_spawn(struct gen *g, struct gen_ent *m, int i)
{
	struct gen_ent *p;
	double dt;

	dt = gen_range(&g->rng, 0.4, 6.0);
	if (m->r[i].fate == P_BOUNCE || m->r[i].fate == P_MAILBOX_FULL)
		dt += gen_range(&g->rng, 0.5, 40.0);
	else if (m->r[i].fate == P_SUPPRESSED)
		dt = gen_range(&g->rng, 0.05, 0.5);
	else if (m->r[i].fate == P_DELAY_DELIVERY ||
	    m->r[i].fate == P_DELAY_BOUNCE)
		dt = gen_range(&g->rng, 600.0, 1200.0);
	if ((p = ent_new(g, K_PROV, m->t + dt)) == NULL) {
		g->dropped++;
		return;
	}
	p->app = m->app;
	p->nrcpt = m->nrcpt;
	p->which = (uint8_t)i;
	p->pfate = m->r[i].fate;
	p->serial = m->serial;
	p->mailt = m->t;
	memcpy(p->r, m->r, sizeof(p->r));
	memcpy(p->msgid, m->msgid, sizeof(p->msgid));
	memcpy(p->sesid, m->sesid, sizeof(p->sesid));
	g->inflight++;
	heap_push(g, p);
}

/* ---- Postfix message lifecycles ---- */

/* msg_new - a message arrives from an application at time t */
static void
msg_new(struct gen *g, double t, int app, int campaign)
{
	struct gen_ent *e;
	const struct gen_domain *d;
	uint64_t x;
	uint32_t n, i, j;
	double u;

	if ((e = ent_new(g, K_MSG, t)) == NULL) {
		g->dropped++;
		return;
	}
	if ((e->ino = gen_qid(g, t, e->qid)) == 0) {
		ent_free(g, e);
		g->dropped++;
		return;
	}
	e->app = (uint8_t)app;
	e->inst = 0;
	e->born = t;
	e->serial = (uint32_t)g->msgs++;
	e->campaign = (uint8_t)campaign;
	e->size = 2000 + gen_below(&g->rng, 60000);
	e->step = gen_apps[app].client == NULL ? S_PICKUP : S_CONNECT;
	e->filtered = !campaign && gen_chance(g, 0.25);
	e->throttled = gen_chance(g, campaign ? 0.35 : 0.02);
	/* recipients */
	u = gen_unit(&g->rng);
	n = campaign || u < 0.75 ? 1 : u < 0.93 ? 2 + gen_below(&g->rng, 2) :
	    4 + gen_below(&g->rng, GEN_MAX_RCPT - 3);
	e->nrcpt = (uint8_t)n;
	for (i = 0; i < n; i++) {
again:
		e->r[i].addr = gen_pick_addr(g);
		for (j = 0; j < i; j++)
			if (e->r[j].addr == e->r[i].addr)
				goto again;
		d = gen_domain_of(e->r[i].addr);
		e->r[i].state = RS_PENDING;
		u = gen_unit(&g->rng);
		if (d->mx == NULL) {
			e->r[i].route = R_SES;
			e->r[i].fate = u < 0.025 ? P_BOUNCE :
			    u < 0.032 ? P_MAILBOX_FULL :
			    u < 0.040 ? P_SUPPRESSED :
			    u < 0.050 ? P_DELAY_DELIVERY :
			    u < 0.052 ? P_DELAY_BOUNCE :
			    u < 0.056 ? P_COMPLAINT : P_DELIVERY;
		} else {
			e->r[i].route = R_DIRECT;
			e->r[i].fate = u < 0.04 ? F_UNKNOWN :
			    u < 0.06 ? F_FULL :
			    u < 0.08 ? F_SPAMHAUS :
			    u < 0.13 ? F_RATE :
			    u < 0.145 ? F_TIMEOUT :
			    u < 0.150 ? F_EXPIRE : F_SENT;
		}
	}
	/* the Message-ID */
	switch (app) {
	case 0:
		snprintf(e->msgid, sizeof(e->msgid), "order-%u.%08x@%s",
		    (unsigned)(100000 + e->serial), (unsigned)gen_mix(e->serial),
		    gen_apps[app].domain);
		break;
	case 1:
		gen_clock(g, (int64_t)t);
		snprintf(e->msgid, sizeof(e->msgid), "inv-%u-%.4s%.2s%.2s@%s",
		    (unsigned)(500000 + e->serial), g->tiso, g->tiso + 5,
		    g->tiso + 8, gen_apps[app].domain);
		break;
	case 2:
		snprintf(e->msgid, sizeof(e->msgid), "CA+%08X%08x%04X@%s",
		    (unsigned)gen_mix(e->serial ^ 0x5bd1e995u),
		    (unsigned)gen_next(&g->rng), (unsigned)(e->serial & 0xffff),
		    gen_apps[app].domain);
		break;
	default:
		/* one draw per statement: argument order is unspecified */
		x = gen_next(&g->rng);
		snprintf(e->msgid, sizeof(e->msgid),
		    "%08x-%04x-4%03x-a%03x-%012llx@%s",
		    (unsigned)gen_mix(e->serial), (unsigned)(e->serial >> 16),
		    (unsigned)(e->serial & 0xfff), (unsigned)(x >> 52),
		    (unsigned long long)(x & 0xffffffffffffULL),
		    gen_apps[app].domain);
		break;
	}
	gen_sample(g, ID_MSGID, e->msgid);
	gen_sample(g, ID_QID, e->qid);
	for (i = 0; i < n; i++) {
		buf_reset(&g->jb);
		buf_addr(&g->jb, e->r[i].addr);
		*g->jb.p = '\0';
		gen_sample(g, ID_RCPT, g->jb.buf);
	}
	g->inflight++;
	if (g->inflight > g->max_inflight)
		g->max_inflight = g->inflight;
	heap_push(g, e);
}

/* msg_qline - begin "inst/prog[pid]: QID: " */
static struct gen_buf *
msg_qline(struct gen *g, struct gen_ent *e, int inst, int prog,
    const char *qid)
{
	struct gen_buf *b;

	b = log_begin(g, e->t, inst, gen_progname[prog],
	    prog == PR_SMTPD ? e->pid : gen_pid(g, inst, prog));
	buf_str(b, qid);
	buf_str(b, ": ");
	return b;
}

/* msg_to - begin a delivery line "QID: to=<r>, relay=R, delay=..." */
static struct gen_buf *
msg_to(struct gen *g, struct gen_ent *e, int i, const char *relay,
    const char *dsn)
{
	struct gen_buf *b;
	double age = e->t - e->born, d1, d3;

	b = msg_qline(g, e, e->inst, PR_SMTP, e->qid);
	buf_str(b, "to=<");
	buf_addr(b, e->r[i].addr);
	buf_str(b, ">, relay=");
	buf_str(b, relay);
	buf_str(b, ", delay=");
	buf_fix(b, age + 0.05, age < 100 ? 2 : 0);
	d1 = age * 0.7;
	d3 = 0.01 + (e->serial % 37) * 0.013;
	buf_str(b, ", delays=");
	buf_fix(b, d1, 2);
	buf_str(b, "/0.01/");
	buf_fix(b, d3, 2);
	buf_chr(b, '/');
	buf_fix(b, age - d1 - d3 > 0.02 ? age - d1 - d3 : 0.02, 2);
	buf_str(b, ", dsn=");
	buf_str(b, dsn);
	buf_str(b, ", status=");
	return b;
}

/* msg_smtpd - smtpd connect, disconnect or the client= line */
static void
msg_smtpd(struct gen *g, struct gen_ent *e, int inst, const char *client,
    int what)
{
	struct gen_buf *b;

	if (what == S_CLIENT) {
		b = msg_qline(g, e, inst, PR_SMTPD, e->qid);
		buf_str(b, "client=");
		buf_str(b, client);
		if (e->app == 1 && inst == 0)
			buf_str(b, ", sasl_method=LOGIN, "
			    "sasl_username=billing-app");
	} else if (what == S_CONNECT) {
		b = log_begin(g, e->t, inst, "smtpd", e->pid);
		buf_str(b, "connect from ");
		buf_str(b, client);
	} else {
		b = log_begin(g, e->t, inst, "smtpd", e->pid);
		buf_str(b, "disconnect from ");
		buf_str(b, client);
		buf_str(b, " ehlo=");
		buf_str(b, inst == 0 ? "2 starttls=1" : "1");
		if (e->app == 1 && inst == 0)
			buf_str(b, " auth=1");
		buf_str(b, " mail=1 rcpt=");
		buf_uint(b, e->nrcpt, 0);
		buf_str(b, " data=1 quit=1 commands=");
		buf_uint(b, (uint64_t)e->nrcpt + (inst == 0 ? 6 : 4) +
		    (e->app == 1 && inst == 0), 0);
	}
	log_end(g);
}

/* msg_deliver_ses - one SMTP transaction to SES for the pending group */
static void
msg_deliver_ses(struct gen *g, struct gen_ent *e)
{
	struct gen_buf *b;
	int i, any = 0;

	for (i = 0; i < e->nrcpt; i++)
		if (e->r[i].route == R_SES && e->r[i].state == RS_PENDING)
			any = 1;
	if (!any)
		return;
	if (gen_chance(g, 0.25)) {
		b = log_begin(g, e->t, e->inst, "smtp",
		    gen_pid(g, e->inst, PR_SMTP));
		buf_str(b, "Trusted TLS connection established to " SES_RELAY
		    ": TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 "
		    "bits) key-exchange X25519 server-signature RSA-PSS "
		    "(2048 bits) server-digest SHA256");
		log_end(g);
	}
	if (e->throttled && e->tries == 0) {
		for (i = 0; i < e->nrcpt; i++) {
			if (e->r[i].route != R_SES ||
			    e->r[i].state != RS_PENDING)
				continue;
			b = msg_to(g, e, i, SES_RELAY, "4.7.0");
			buf_str(b, "deferred (host " SES_HOST " said: 454 "
			    "4.7.0 Throttling failure: Maximum sending rate "
			    "exceeded. (in reply to end of DATA command))");
			log_end(g);
		}
		return;
	}
	gen_sesid(g, e->t, e->sesid);
	gen_sample(g, ID_PROVIDER, e->sesid);
	g->ses_msgs++;
	for (i = 0; i < e->nrcpt; i++) {
		if (e->r[i].route != R_SES || e->r[i].state != RS_PENDING)
			continue;
		b = msg_to(g, e, i, SES_RELAY, "2.0.0");
		buf_str(b, "sent (250 Ok ");
		buf_str(b, e->sesid);
		buf_chr(b, ')');
		log_end(g);
		e->r[i].state = RS_SENT;
		prov_spawn(g, e, i);
	}
}

/* msg_deliver_direct - one delivery attempt to a recipient's MX */
static void
msg_deliver_direct(struct gen *g, struct gen_ent *e, int i)
{
	const struct gen_domain *d = gen_domain_of(e->r[i].addr);
	struct gen_buf *b;
	char relay[128];
	int fate = e->r[i].fate;

	snprintf(relay, sizeof(relay), "%s[%s]:25", d->mx, d->ip);
	switch (fate) {
	case F_RATE:
	case F_TIMEOUT:
	case F_EXPIRE:
		if (fate != F_EXPIRE && e->tries >= 1 + e->serial % 3)
			goto sent;
		b = msg_to(g, e, i, relay, fate == F_RATE ? "4.7.0" : "4.4.1");
		if (fate == F_RATE) {
			buf_str(b, "deferred (host ");
			buf_str(b, d->mx);
			buf_chr(b, '[');
			buf_str(b, d->ip);
			buf_str(b, "] said: 421 4.7.0 Try again later, "
			    "closing connection: too many messages from "
			    RELAY_IP ", rate limited (in reply to MAIL FROM "
			    "command))");
		} else {
			buf_str(b, "deferred (connect to ");
			buf_str(b, d->mx);
			buf_chr(b, '[');
			buf_str(b, d->ip);
			buf_str(b, "]:25: Connection timed out)");
		}
		log_end(g);
		return;
	case F_UNKNOWN:
	case F_FULL:
	case F_SPAMHAUS:
		b = msg_to(g, e, i, relay, fate == F_UNKNOWN ? "5.1.1" :
		    fate == F_FULL ? "5.2.2" : "5.7.1");
		buf_str(b, "bounced (host ");
		buf_str(b, d->mx);
		buf_chr(b, '[');
		buf_str(b, d->ip);
		buf_str(b, "] said: ");
		if (fate == F_UNKNOWN) {
			buf_str(b, "550 5.1.1 <");
			buf_addr(b, e->r[i].addr);
			buf_str(b, ">: Recipient address rejected: User "
			    "unknown in local recipient table (in reply to "
			    "RCPT TO command))");
		} else if (fate == F_FULL)
			buf_str(b, "552 5.2.2 Mailbox full: user is over "
			    "quota (in reply to end of DATA command))");
		else
			buf_str(b, "554 5.7.1 Service unavailable; Client "
			    "host [" RELAY_IP "] blocked using "
			    "zen.spamhaus.org; https://www.spamhaus.org/query/"
			    "ip/" RELAY_IP " (in reply to RCPT TO command))");
		log_end(g);
		e->r[i].state = RS_BOUNCED;
		return;
	default:
		break;
	}
sent:
	b = msg_to(g, e, i, relay, "2.0.0");
	buf_str(b, "sent (250 2.0.0 Ok: queued as ");
	buf_hex(b, gen_mix(e->serial * 31u + (uint32_t)i), 8, 1);
	buf_hex(b, (uint64_t)gen_below(&g->rng, 1u << 20), 5, 1);
	buf_chr(b, ')');
	log_end(g);
	e->r[i].state = RS_SENT;
}

/* msg_hop - through the content filter into the second instance */
static void
msg_hop(struct gen *g, struct gen_ent *e)
{
	static const char lo[] = "localhost[127.0.0.1]";
	struct gen_ent tmp;

	if ((e->ino2 = gen_qid(g, e->t, e->qid2)) == 0) {
		e->filtered = 0;	/* no queue file: skip the filter */
		return;
	}
	gen_sample(g, ID_QID, e->qid2);
	tmp = *e;
	memcpy(tmp.qid, e->qid2, sizeof(tmp.qid));
	tmp.pid = gen_pid(g, 1, PR_SMTPD);
	msg_smtpd(g, &tmp, 1, lo, S_CONNECT);
	msg_smtpd(g, &tmp, 1, lo, S_CLIENT);
	e->pid = tmp.pid;
	msg_qline(g, e, 1, PR_CLEANUP, e->qid2);
	buf_str(&g->lb, "message-id=<");
	buf_str(&g->lb, e->msgid);
	buf_chr(&g->lb, '>');
	log_end(g);
}

/* msg_hop_done - the filter's reply, old queue file gone, new one active */
static void
msg_hop_done(struct gen *g, struct gen_ent *e)
{
	struct gen_buf *b;
	int i;

	b = msg_qline(g, e, 1, PR_QMGR, e->qid2);
	buf_str(b, "from=<");
	buf_str(b, gen_apps[e->app].sender);
	buf_str(b, ">, size=");
	buf_uint(b, e->size + 712, 0);
	buf_str(b, ", nrcpt=");
	buf_uint(b, e->nrcpt, 0);
	buf_str(b, " (queue active)");
	log_end(g);
	for (i = 0; i < e->nrcpt; i++) {
		b = msg_to(g, e, i, FILTER_RELAY, "2.0.0");
		buf_str(b, "sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): "
		    "250 2.0.0 Ok: queued as ");
		buf_str(b, e->qid2);
		buf_chr(b, ')');
		log_end(g);
	}
	msg_smtpd(g, e, 1, "localhost[127.0.0.1]", S_DISCONNECT);
	msg_qline(g, e, 0, PR_QMGR, e->qid);
	buf_str(&g->lb, "removed");
	log_end(g);
	gen_qid_free(g, &e->ino);
	memcpy(e->qid, e->qid2, sizeof(e->qid));
	e->ino = e->ino2;
	e->ino2 = 0;
	e->inst = 1;
	e->size += 712;
}

/* msg_deliver - one delivery attempt; returns 1 while recipients pend */
static int
msg_deliver(struct gen *g, struct gen_ent *e)
{
	struct gen_buf *b;
	int i, pend = 0, expire = 0;

	msg_deliver_ses(g, e);
	for (i = 0; i < e->nrcpt; i++)
		if (e->r[i].route == R_DIRECT && e->r[i].state == RS_PENDING)
			msg_deliver_direct(g, e, i);
	e->tries++;
	for (i = 0; i < e->nrcpt; i++) {
		if (e->r[i].state != RS_PENDING)
			continue;
		pend = 1;
		if (e->r[i].fate == F_EXPIRE && e->tries >= 6)
			expire = 1;
	}
	if (expire) {
		b = msg_qline(g, e, e->inst, PR_QMGR, e->qid);
		buf_str(b, "from=<");
		buf_str(b, gen_apps[e->app].sender);
		buf_str(b, ">, status=expired, returned to sender");
		log_end(g);
		for (i = 0; i < e->nrcpt; i++)
			if (e->r[i].state == RS_PENDING)
				e->r[i].state = RS_BOUNCED;
		pend = 0;
	}
	return pend;
}

/* msg_step - the message's next line(s) are due */
static void
msg_step(struct gen *g, struct gen_ent *e)
{
	const struct gen_app *a = &gen_apps[e->app];
	struct gen_buf *b;
	double next = 0;
	int i, bounced;

	switch (e->step) {
	case S_CONNECT:
		e->pid = gen_pid(g, 0, PR_SMTPD);
		msg_smtpd(g, e, 0, a->client, S_CONNECT);
		b = log_begin(g, e->t, 0, "smtpd", e->pid);
		buf_str(b, "Anonymous TLS connection established from ");
		buf_str(b, a->client);
		buf_str(b, ": TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 "
		    "(256/256 bits) key-exchange X25519 server-signature "
		    "RSA-PSS (2048 bits) server-digest SHA256");
		log_end(g);
		e->step = S_CLIENT;
		next = gen_range(&g->rng, 0.01, 0.2);
		break;
	case S_CLIENT:
		msg_smtpd(g, e, 0, a->client, S_CLIENT);
		e->step = S_CLEANUP;
		next = gen_range(&g->rng, 0.005, 0.05);
		break;
	case S_PICKUP:
		b = msg_qline(g, e, 0, PR_PICKUP, e->qid);
		buf_str(b, "uid=33 from=<");
		buf_str(b, a->sender);
		buf_chr(b, '>');
		log_end(g);
		e->step = S_CLEANUP;
		next = gen_range(&g->rng, 0.001, 0.02);
		break;
	case S_CLEANUP:
		b = msg_qline(g, e, 0, PR_CLEANUP, e->qid);
		buf_str(b, "message-id=<");
		buf_str(b, e->msgid);
		buf_chr(b, '>');
		log_end(g);
		e->step = S_QMGR;
		next = gen_range(&g->rng, 0.01, 0.1);
		break;
	case S_QMGR:
		b = msg_qline(g, e, 0, PR_QMGR, e->qid);
		buf_str(b, "from=<");
		buf_str(b, a->sender);
		buf_str(b, ">, size=");
		buf_uint(b, e->size, 0);
		buf_str(b, ", nrcpt=");
		buf_uint(b, e->nrcpt, 0);
		buf_str(b, " (queue active)");
		log_end(g);
		e->step = a->client != NULL ? S_DISCONNECT : S_DELIVER;
		next = gen_range(&g->rng, 0.01, 0.08);
		break;
	case S_DISCONNECT:
		msg_smtpd(g, e, 0, a->client, S_DISCONNECT);
		e->step = S_DELIVER;
		next = gen_range(&g->rng, 0.1, 2.0);
		break;
	case S_DELIVER:
		if (e->filtered && e->inst == 0) {
			msg_hop(g, e);
			if (e->filtered) {
				e->step = S_HOP_QMGR;
				next = gen_range(&g->rng, 0.05, 0.6);
				break;
			}
		}
		if (msg_deliver(g, e)) {
			/* Postfix backoff: 300s doubling up to 4000s */
			next = 300.0 * (double)(1u << (e->tries < 4 ?
			    e->tries - 1 : 3));
			if (next > 4000.0)
				next = 4000.0;
			next = gen_range(&g->rng, next * 0.8, next * 1.3);
			break;
		}
		bounced = 0;
		for (i = 0; i < e->nrcpt; i++)
			if (e->r[i].state == RS_BOUNCED)
				bounced = 1;
		if (bounced) {
			g->bounced++;
			e->step = S_NDR;
			next = gen_range(&g->rng, 0.005, 0.05);
		} else {
			e->step = S_REMOVE;
			next = gen_range(&g->rng, 0.001, 0.01);
		}
		break;
	case S_HOP_QMGR:
		msg_hop_done(g, e);
		e->step = S_DELIVER;
		next = gen_range(&g->rng, 0.1, 1.5);
		break;
	case S_NDR:
		if ((e->ino2 = gen_qid(g, e->t, e->qid2)) == 0) {
			e->step = S_REMOVE;
			next = 0.001;
			break;
		}
		b = msg_qline(g, e, e->inst, PR_CLEANUP, e->qid2);
		gen_clock(g, (int64_t)e->t);
		buf_str(b, "message-id=<");
		buf_mem(b, g->tiso, 4);
		buf_mem(b, g->tiso + 5, 2);
		buf_mem(b, g->tiso + 8, 2);
		buf_mem(b, g->tiso + 11, 2);
		buf_mem(b, g->tiso + 14, 2);
		buf_mem(b, g->tiso + 17, 2);
		buf_chr(b, '.');
		buf_str(b, e->qid2);
		buf_str(b, "@" RELAY_FQDN ">");
		log_end(g);
		b = msg_qline(g, e, e->inst, PR_QMGR, e->qid2);
		buf_str(b, "from=<>, size=");
		buf_uint(b, 2400 + e->size / 8, 0);
		buf_str(b, ", nrcpt=1 (queue active)");
		log_end(g);
		b = msg_qline(g, e, e->inst, PR_BOUNCE, e->qid);
		buf_str(b, "sender non-delivery notification: ");
		buf_str(b, e->qid2);
		log_end(g);
		b = msg_qline(g, e, e->inst, PR_QMGR, e->qid);
		buf_str(b, "removed");
		log_end(g);
		gen_qid_free(g, &e->ino);
		e->step = S_NDR_DELIVER;
		next = gen_range(&g->rng, 0.1, 1.0);
		break;
	case S_NDR_DELIVER:
		b = msg_qline(g, e, e->inst, PR_SMTP, e->qid2);
		buf_str(b, "to=<");
		buf_str(b, a->sender);
		buf_str(b, ">, relay=mail.internal.example.com[10.0.0.25]:25, "
		    "delay=0.12, delays=0.01/0/0.05/0.06, dsn=2.0.0, "
		    "status=sent (250 2.0.0 Ok: queued as ");
		buf_hex(b, gen_mix(e->serial ^ 0xabcdu), 8, 1);
		buf_str(b, "1F)");
		log_end(g);
		b = msg_qline(g, e, e->inst, PR_QMGR, e->qid2);
		buf_str(b, "removed");
		log_end(g);
		gen_qid_free(g, &e->ino2);
		goto done;
	case S_REMOVE:
	default:
		b = msg_qline(g, e, e->inst, PR_QMGR, e->qid);
		buf_str(b, "removed");
		log_end(g);
		gen_qid_free(g, &e->ino);
		goto done;
	}
	e->t += next;
	heap_push(g, e);
	return;
done:
	g->inflight--;
	ent_free(g, e);
}

/* ---- noise ---- */

/* buf_ip - append a client address (documentation and random ranges) */
static void
buf_ip(struct gen_buf *b, uint32_t ip)
{
	buf_uint(b, 1 + (ip >> 24) % 222, 0);
	buf_chr(b, '.');
	buf_uint(b, (ip >> 16) & 0xff, 0);
	buf_chr(b, '.');
	buf_uint(b, (ip >> 8) & 0xff, 0);
	buf_chr(b, '.');
	buf_uint(b, ip & 0xff, 0);
}

/* buf_client - append "[ip]:port" */
static void
buf_client(struct gen_buf *b, const struct gen_ent *e)
{
	buf_chr(b, '[');
	buf_ip(b, e->ip);
	buf_str(b, "]:");
	buf_uint(b, e->size, 0);
}

/* buf_unknown - append "unknown[ip]" */
static void
buf_unknown(struct gen_buf *b, const struct gen_ent *e)
{
	buf_str(b, "unknown[");
	buf_ip(b, e->ip);
	buf_chr(b, ']');
}

/* session_step - a client from the internet: postscreen, smtpd, reject */
static void
session_step(struct gen *g, struct gen_ent *e)
{
	struct gen_buf *b;
	double next = gen_range(&g->rng, 0.05, 3.0);
	int ps = gen_pid(g, 0, PR_POSTSCREEN), end = 0;

	switch (e->step++) {
	case 0:
		if (e->variant == V_AUTHFAIL) {
			b = log_begin(g, e->t, 0, "smtpd", e->pid);
			buf_str(b, "connect from ");
			buf_unknown(b, e);
		} else {
			b = log_begin(g, e->t, 0, "postscreen", ps);
			buf_str(b, "CONNECT from ");
			buf_client(b, e);
			buf_str(b, " to [" RELAY_IP "]:25");
		}
		break;
	case 1:
		if (e->variant == V_PASS) {
			b = log_begin(g, e->t, 0, "postscreen", ps);
			buf_str(b, e->serial & 1 ? "PASS OLD " : "PASS NEW ");
			buf_client(b, e);
		} else if (e->variant == V_DNSBL) {
			b = log_begin(g, e->t, 0, "postscreen", ps);
			buf_str(b, "DNSBL rank ");
			buf_uint(b, 3 + e->serial % 5, 0);
			buf_str(b, " for ");
			buf_client(b, e);
		} else if (e->variant == V_PREGREET) {
			b = log_begin(g, e->t, 0, "postscreen", ps);
			buf_str(b, "PREGREET 14 after 0.");
			buf_uint(b, 10 + e->serial % 80, 0);
			buf_str(b, " from ");
			buf_client(b, e);
			buf_str(b, ": EHLO User\\r\\n");
		} else {
			b = log_begin(g, e->t, 0, "smtpd", e->pid);
			buf_str(b, "warning: ");
			buf_unknown(b, e);
			buf_str(b, ": SASL LOGIN authentication failed: "
			    "UGFzc3dvcmQ6, sasl_username=admin@" RELAY_FQDN);
		}
		break;
	case 2:
		if (e->variant == V_PASS) {
			b = log_begin(g, e->t, 0, "smtpd", e->pid);
			buf_str(b, "connect from ");
			buf_unknown(b, e);
		} else if (e->variant == V_AUTHFAIL) {
			b = log_begin(g, e->t, 0, "smtpd", e->pid);
			buf_str(b, "lost connection after AUTH from ");
			buf_unknown(b, e);
		} else {
			b = log_begin(g, e->t, 0, "postscreen", ps);
			buf_str(b, "DISCONNECT ");
			buf_client(b, e);
			end = 1;
		}
		break;
	case 3:
		if (e->variant == V_PASS) {
			b = log_begin(g, e->t, 0, "smtpd", e->pid);
			buf_str(b, "NOQUEUE: reject: RCPT from ");
			buf_unknown(b, e);
			buf_str(b, ": 554 5.7.1 <");
			buf_addr(b, gen_mix(e->serial) % g->population);
			buf_str(b, ">: Relay access denied; from=<info@");
			buf_hex(b, e->ip, 8, 0);
			buf_str(b, ".example.biz> to=<");
			buf_addr(b, gen_mix(e->serial) % g->population);
			buf_str(b, "> proto=ESMTP helo=<User>");
			break;
		}
		/* FALLTHROUGH */
	default:
		b = log_begin(g, e->t, 0, "smtpd", e->pid);
		buf_str(b, "disconnect from ");
		buf_unknown(b, e);
		buf_str(b, e->variant == V_PASS ? " ehlo=1 mail=1 rcpt=0/1 "
		    "rset=1 quit=1 commands=4/5" : " ehlo=1 auth=0/1 "
		    "commands=1/2");
		end = 1;
		break;
	}
	log_end(g);
	if (end) {
		ent_free(g, e);
		return;
	}
	e->t += next;
	heap_push(g, e);
}

/* noise_line - one stand-alone warning or TLS line */
static void
noise_line(struct gen *g, double t)
{
	struct gen_buf *b;
	struct gen_ent tmp;
	const struct gen_domain *d;
	uint32_t u = gen_below(&g->rng, 4);

	memset(&tmp, 0, sizeof(tmp));
	tmp.ip = (uint32_t)gen_next(&g->rng);
	switch (u) {
	case 0:
		b = log_begin(g, t, 0, "smtpd", gen_pid(g, 0, PR_SMTPD));
		buf_str(b, "warning: hostname ");
		buf_hex(b, tmp.ip, 8, 0);
		buf_str(b, ".dyn.example.net does not resolve to address ");
		buf_ip(b, tmp.ip);
		buf_str(b, ": Name or service not known");
		break;
	case 1:
		b = log_begin(g, t, 1, "smtp", gen_pid(g, 1, PR_SMTP));
		buf_str(b, "warning: TLS library problem: error:0A000126:SSL "
		    "routines::unexpected eof while reading:../ssl/record/"
		    "rec_layer_s3.c:317:");
		break;
	case 2:
		d = &gen_domains[GEN_NDOMAINS - 1 - gen_below(&g->rng, 5)];
		b = log_begin(g, t, 1, "smtp", gen_pid(g, 1, PR_SMTP));
		buf_str(b, "Untrusted TLS connection established to ");
		buf_str(b, d->mx);
		buf_chr(b, '[');
		buf_str(b, d->ip);
		buf_str(b, "]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-"
		    "SHA384 (256/256 bits)");
		break;
	default:
		b = log_begin(g, t, 0, "smtpd", gen_pid(g, 0, PR_SMTPD));
		buf_str(b, "warning: non-SMTP command from ");
		buf_unknown(b, &tmp);
		buf_str(b, ": GET / HTTP/1.1");
		break;
	}
	log_end(g);
}

/* noise_step - the noise source fires: a session or a single line */
static void
noise_step(struct gen *g, struct gen_ent *e)
{
	struct gen_ent *s;

	if (g->stopped) {
		ent_free(g, e);
		return;
	}
	if (gen_chance(g, 0.3))
		noise_line(g, e->t);
	else if ((s = ent_new(g, K_SESSION, e->t)) != NULL) {
		s->ip = (uint32_t)gen_next(&g->rng);
		s->size = 1024 + gen_below(&g->rng, 64000);	/* port */
		s->serial = (uint32_t)gen_next(&g->rng);
		s->variant = (uint8_t)gen_below(&g->rng, V_NVARIANT);
		s->pid = gen_pid(g, 0, PR_SMTPD);
		heap_push(g, s);
	}
	e->t += gen_exp(&g->rng, g->arr_mean / GEN_NOISE_PER_MSG);
	heap_push(g, e);
}

/* anvil_step - connection statistics every ten minutes */
static void
anvil_step(struct gen *g, struct gen_ent *e)
{
	static const char *const what[] = { "max connection rate ",
		"max connection count ", "max cache size " };
	struct gen_buf *b;
	char at[48];
	int i, pid = gen_pid(g, 0, PR_ANVIL);

	if (g->stopped) {
		ent_free(g, e);
		return;
	}
	gen_clock(g, (int64_t)(e->t - gen_range(&g->rng, 10.0, 590.0)));
	memcpy(at, g->tbsd, sizeof(at));
	for (i = 0; i < 3; i++) {
		b = log_begin(g, e->t, 0, "anvil", pid);
		buf_str(b, "statistics: ");
		buf_str(b, what[i]);
		buf_uint(b, 1 + gen_below(&g->rng, 12), 0);
		if (i == 0)
			buf_str(b, "/60s");
		if (i < 2)
			buf_str(b, " for (smtp:10.0.0.5)");
		buf_str(b, " at ");
		buf_str(b, at);
		log_end(g);
	}
	e->t += 600.0;
	heap_push(g, e);
}

/* ---- arrivals ---- */

/* gen_curve - integral of the day/night rate shape up to t */
static double
gen_curve(double t)
{
	return t - 0.5 * 86400.0 / (2.0 * GEN_PI) *
	    sin(2.0 * GEN_PI * t / 86400.0);
}

/* arrival_step - messages arrive; the rate follows the bytes still due */
static void
arrival_step(struct gen *g, struct gen_ent *e)
{
	struct gen_ent *c;
	double f, want, ratio, mean;
	uint32_t w;

	if (g->written + (uint64_t)g->inflight * 1500 >= g->target ||
	    e->t >= g->span) {
		g->stopped = 1;
		ent_free(g, e);
		return;
	}
	if (gen_chance(g, g->arr_mean / (8.0 * 3600.0))) {
		/* a newsletter campaign through pickup */
		if ((c = ent_new(g, K_CAMPAIGN, e->t)) != NULL) {
			c->serial = 200 + gen_below(&g->rng, 1000);
			c->mailt = gen_range(&g->rng, 0.02, 0.1);
			heap_push(g, c);
		}
	} else {
		w = gen_below(&g->rng, 100);
		msg_new(g, e->t, w < 45 ? 0 : w < 67 ? 1 : w < 85 ? 2 : 3, 0);
	}
	/*
	 * Keep the bytes written on the curve target * F(t) / F(span), F
	 * the integral of a day/night rate 1 - 0.5 cos(2 pi t / day): the
	 * mean gap follows the time of day and shrinks or grows by how far
	 * the output is behind or ahead of the curve (campaigns, deferrals).
	 */
	f = 1.0 - 0.5 * cos(2.0 * GEN_PI * e->t / 86400.0);
	want = (double)g->target * gen_curve(e->t) / gen_curve(g->span);
	ratio = ((double)g->written + 1e5) / (want + 1e5);
	ratio *= ratio * ratio;
	if (ratio < 0.3)
		ratio = 0.3;
	if (ratio > 3.0)
		ratio = 3.0;
	mean = g->base_mean / f * ratio;
	g->arr_mean = mean;
	e->t += gen_exp(&g->rng, mean);
	heap_push(g, e);
}

/* campaign_step - pickup submits the next newsletter of a campaign */
static void
campaign_step(struct gen *g, struct gen_ent *e)
{
	msg_new(g, e->t, 3, 1);
	if (--e->serial == 0) {
		ent_free(g, e);
		return;
	}
	e->t += gen_range(&g->rng, 0.5, 1.5) * e->mailt;
	heap_push(g, e);
}

/* ---- main ---- */

/* usage - print the synopsis and exit 2 */
static void
usage(void)
{
	fprintf(stderr, "usage: mt_bench_gen [-s seed] [-m MB] [-d days] "
	    "[--start YYYY-MM-DD] dir\n");
	exit(2);
}

/* parse_num - checked non-negative number */
static double
parse_num(const char *s, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0) || v > max)
		usage();
	return v;
}

/* parse_date - YYYY-MM-DD to UTC seconds */
static int64_t
parse_date(const char *s)
{
	int y, m, d;
	int64_t days;
	char c;

	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &c) != 3 || y < 1970 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		usage();
	/* days from civil (H. Hinnant) */
	y -= m <= 2;
	days = (int64_t)(y / 400) * 146097 + (int64_t)((y % 400) * 365 +
	    (y % 400) / 4 - (y % 400) / 100 +
	    (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1) - 719468;
	return days * 86400;
}

/* open_out - open dir/name for writing with a large buffer */
static FILE *
open_out(const char *dir, const char *name, char *iobuf)
{
	char path[4096];
	FILE *fp;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		fprintf(stderr, "mt_bench_gen: %s: path too long\n", dir);
		exit(1);
	}
	if ((fp = fopen(path, "w")) == NULL) {
		fprintf(stderr, "mt_bench_gen: %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	if (iobuf != NULL)
		setvbuf(fp, iobuf, _IOFBF, GEN_IOBUF);
	return fp;
}

/* close_out - flush and close, exit 1 on a write error */
static void
close_out(FILE *fp, const char *name)
{
	if (ferror(fp) || fclose(fp) != 0) {
		fprintf(stderr, "mt_bench_gen: %s: write error\n", name);
		exit(1);
	}
}

/* gen_init - allocate the pools and seed the generator */
static void
gen_init(struct gen *g, uint64_t seed)
{
	static const int npid[PR_NPROG] = { 12, 4, 1, 16, 2, 1, 1, 1 };
	uint64_t x = seed, est;
	size_t i, tab;
	int in, p, k;

	g->rng = gen_splitmix(&x) | 1;
	g->rng_ids = gen_splitmix(&x) | 1;
	g->tsec = -1;
	g->next_pid = 1200 + (int)(seed % 1000);
	for (in = 0; in < 2; in++)
		for (p = 0; p < PR_NPROG; p++) {
			g->pids[in][p].n = npid[p];
			for (k = 0; k < npid[p]; k++) {
				g->pids[in][p].pid[k] = g->next_pid;
				g->next_pid += 1 + (int)gen_below(&g->rng, 300);
			}
		}
	g->pool = calloc(GEN_POOL, sizeof(*g->pool));
	g->freel = calloc(GEN_POOL, sizeof(*g->freel));
	g->heap = calloc(GEN_POOL, sizeof(*g->heap));
	g->res = calloc(ID_NKIND, sizeof(*g->res));
	est = g->target / 1850 + 100;	/* bytes a message, noise included */
	for (tab = 1 << 16; tab < est * 8; tab <<= 1)
		continue;
	g->seen = calloc(tab, sizeof(*g->seen));
	g->seen_mask = tab - 1;
	if (g->pool == NULL || g->freel == NULL || g->heap == NULL ||
	    g->res == NULL || g->seen == NULL) {
		fprintf(stderr, "mt_bench_gen: out of memory\n");
		exit(1);
	}
	for (i = 0; i < GEN_POOL; i++)
		g->freel[g->nfree++] = &g->pool[GEN_POOL - 1 - i];
	for (i = 0; i < GEN_INO_COUNT; i++)
		g->ino_free[g->nino++] = GEN_INO_BASE + (uint32_t)i;
	g->population = (uint32_t)(est / 3 > 5000 ? est / 3 : 5000);
	g->arr_mean = g->base_mean = g->span / (double)est;
}

/* write_ids - the sampled identifiers, kind by kind */
static void
write_ids(struct gen *g, const char *dir)
{
	FILE *fp = open_out(dir, "ids.txt", NULL);
	uint64_t k, i, n;

	for (k = 0; k < ID_NKIND; k++) {
		n = g->res[k].seen < GEN_RES ? g->res[k].seen : GEN_RES;
		for (i = 0; i < n; i++)
			fprintf(fp, "%s\t%s\n", gen_kindname[k],
			    g->res[k].id[i]);
	}
	close_out(fp, "ids.txt");
}

/* main - parse the options, run the event loop, write the three files */
int
main(int argc, char *argv[])
{
	static struct gen g;
	static char logbuf[GEN_IOBUF], jsbuf[GEN_IOBUF];
	struct gen_ent *e;
	const char *dir = NULL;
	double mb = 200, days = -1;
	uint64_t seed = 1;
	int64_t start = parse_date("2026-10-01");
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			seed = (uint64_t)parse_num(argv[++i], 1e18);
		else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc)
			mb = parse_num(argv[++i], 1e6);
		else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
			days = parse_num(argv[++i], 3650);
		else if (strcmp(argv[i], "--start") == 0 && i + 1 < argc)
			start = parse_date(argv[++i]);
		else if (argv[i][0] == '-' || dir != NULL)
			usage();
		else
			dir = argv[i];
	}
	if (dir == NULL || mb <= 0)
		usage();
	if (days <= 0)
		days = mb / GEN_MB_PER_DAY < 2 ? 2 : mb / GEN_MB_PER_DAY;
	if (mkdir(dir, 0777) == -1 && errno != EEXIST) {
		fprintf(stderr, "mt_bench_gen: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	g.start = start;
	g.span = days * 86400.0;
	g.target = (uint64_t)(mb * 1e6);
	gen_init(&g, seed);
	g.log = open_out(dir, "maillog", logbuf);
	g.js = open_out(dir, "provider.ndjson", jsbuf);

	if ((e = ent_new(&g, K_ARRIVAL, 0.0)) != NULL)
		heap_push(&g, e);
	if ((e = ent_new(&g, K_NOISE, 0.5)) != NULL)
		heap_push(&g, e);
	if ((e = ent_new(&g, K_ANVIL, 600.0)) != NULL)
		heap_push(&g, e);
	while ((e = heap_pop(&g)) != NULL) {
		switch (e->kind) {
		case K_ARRIVAL:
			arrival_step(&g, e);
			break;
		case K_CAMPAIGN:
			campaign_step(&g, e);
			break;
		case K_NOISE:
			noise_step(&g, e);
			break;
		case K_ANVIL:
			anvil_step(&g, e);
			break;
		case K_SESSION:
			session_step(&g, e);
			break;
		case K_MSG:
			msg_step(&g, e);
			break;
		default:
			prov_step(&g, e);
			break;
		}
	}
	close_out(g.log, "maillog");
	close_out(g.js, "provider.ndjson");
	write_ids(&g, dir);
	fprintf(stderr, "mt_bench_gen: seed %llu, %.2f days from %lld: "
	    "maillog %llu bytes, %llu lines; %llu messages, %llu to SES, "
	    "%llu with bounces; provider.ndjson %llu bytes, %llu events; "
	    "max %zu in flight; %llu queue IDs reused; %llu dropped\n",
	    (unsigned long long)seed, days, (long long)start,
	    (unsigned long long)g.written, (unsigned long long)g.lines,
	    (unsigned long long)g.msgs, (unsigned long long)g.ses_msgs,
	    (unsigned long long)g.bounced, (unsigned long long)g.jbytes,
	    (unsigned long long)g.jlines, g.max_inflight,
	    (unsigned long long)g.reused, (unsigned long long)g.dropped);
	free(g.pool);
	free(g.freel);
	free(g.heap);
	free(g.res);
	free(g.seen);
	return 0;
}
