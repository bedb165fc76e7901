/*
 * NAME
 *	mt_rules - application-log rules and the application parser
 * SUMMARY
 *	#include "mt_rules.h"
 *	const struct mt_parser_ops mt_app_ops;
 * DESCRIPTION
 *	A rules file holds one rule per line:
 *
 *		NAME EVENT[:CLASS] PATTERN
 *			sample TEXT
 *
 *	EVENT is submitted, failed, other, or off (remove the rule NAME);
 *	PATTERN is a PCRE2 pattern running to the end of the line.  An
 *	indented "sample" line gives a line the rule above must match,
 *	checked when the file is loaded.  '#' starts a comment line.
 *	doc/rules.md is the reference.
 *
 *	The application parser runs every rule over a line (the syslog
 *	body when the line came through syslog): user rules first, then
 *	the defaults, each field taken from the first rule that captures
 *	it.  The event is "failed" when a failed rule matched or an error
 *	was captured, "submitted" when a submitted rule matched or a
 *	message or provider ID was found, "other" otherwise; a line with
 *	no identifier that matched only "other" rules is not recognised,
 *	nor a line without a time (a "time" capture, or the syslog stamp).
 * DIAGNOSTICS
 *	Loading: "path:line: reason" and -MT_ERR_INPUT for a bad pattern
 *	("bad pattern at offset N: <PCRE2 message>"), an unknown group
 *	name, an unknown event word or a sample the rule does not match.
 *	Matching: a PCRE2 error (match or depth limit) is reported as
 *	file:line and the rule skipped for that line.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <dirent.h>
#include <errno.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mt_alloc.h"
#include "mt_buf.h"
#include "mt_msg.h"
#include "mt_parser_ops.h"
#include "mt_rules.h"
#include "mt_rules_default.h"
#include "mt_time.h"

#define RULE_NAME_MAX	63
#define RULE_CLASS_MAX	31
#define RULE_MAP_MAX	32		/* named groups in one pattern */
#define RULES_FILE_MAX	(1024 * 1024)	/* bytes in one rules file */
#define RULES_DIR_MAX	256		/* *.rules files in the directory */

enum rule_field {
	RF_TIME, RF_MESSAGE_ID, RF_PROVIDER_ID, RF_REQUEST_ID, RF_RECIPIENT,
	RF_SENDER, RF_STATUS, RF_ERROR, RF_DSN, RF_CLASS, RF__COUNT
};

static const char *const rule_field_names[RF__COUNT] = {
	"time", "message_id", "provider_id", "request_id", "recipient",
	"sender", "status", "error", "dsn", "class"
};

struct rule_map {
	uint32_t group;
	enum rule_field field;
};

struct rule {
	char	*name;
	enum mt_etype type;		/* SUBMITTED, FAILED or OTHER */
	char	*cls;			/* NULL = none */
	int	 is_default;
	pcre2_code *re;
	struct rule_map map[RULE_MAP_MAX];
	size_t	 nmap;
};

struct mt_rules {
	struct rule *v;
	size_t	 n, cap;
	uint32_t maxgroups;		/* largest capture count */
	int	 loading_defaults;
	/*
	 * JIT on first use: parsers on several threads share the set, so
	 * the first use of a rule compiles it under jit_mu and marks it in
	 * jit_done (v[i] is compiled when jit_done[i] is set)
	 */
	atomic_uchar *jit_done;
	pthread_mutex_t *jit_mu;
};

/* rule_clear - release one rule's storage */
static void
rule_clear(struct rule *r)
{
	free(r->name);
	free(r->cls);
	pcre2_code_free(r->re);
	memset(r, 0, sizeof(*r));
}

/* mt_rules_new - an empty rule set */
struct mt_rules *
mt_rules_new(void)
{
	struct mt_rules *rs = mt_calloc(1, sizeof(*rs));

	rs->jit_mu = mt_malloc(sizeof(*rs->jit_mu));
	if (pthread_mutex_init(rs->jit_mu, NULL) != 0)
		mt_panic("pthread_mutex_init: cannot initialise the rules");
	return rs;
}

/* mt_rules_free - release the set; accepts NULL */
void
mt_rules_free(struct mt_rules *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++)
		rule_clear(&rs->v[i]);
	free(rs->v);
	free(rs->jit_done);
	pthread_mutex_destroy(rs->jit_mu);
	free(rs->jit_mu);
	free(rs);
}

/* mt_rules_count - number of rules */
size_t
mt_rules_count(const struct mt_rules *rs)
{
	return rs ? rs->n : 0;
}

/* rules_find - index of the rule called name, or -1 */
static long
rules_find(const struct mt_rules *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* rule_field_lookup - field of a group name, or -1 */
static int
rule_field_lookup(const char *name)
{
	int i;

	for (i = 0; i < RF__COUNT; i++)
		if (strcmp(rule_field_names[i], name) == 0)
			return i;
	return -1;
}

/* rule_compile - compile pattern into r and map its named groups */
static int
rule_compile(struct rule *r, const char *pat, size_t patlen,
    const char *file, unsigned long line)
{
	PCRE2_UCHAR ebuf[256];
	PCRE2_SPTR tab;
	PCRE2_SIZE eoff;
	uint32_t count, esize, i;
	int ecode;

	r->re = pcre2_compile((PCRE2_SPTR)pat, patlen, 0, &ecode, &eoff, NULL);
	if (r->re == NULL) {
		pcre2_get_error_message(ecode, ebuf, sizeof(ebuf));
		mt_msg_input(file, line, "bad pattern at offset %zu: %s",
		    (size_t)eoff, (const char *)ebuf);
		return -MT_ERR_INPUT;
	}
	if (pcre2_pattern_info(r->re, PCRE2_INFO_NAMECOUNT, &count) != 0 ||
	    pcre2_pattern_info(r->re, PCRE2_INFO_NAMEENTRYSIZE, &esize) != 0 ||
	    pcre2_pattern_info(r->re, PCRE2_INFO_NAMETABLE, &tab) != 0)
		count = 0;
	if (count > RULE_MAP_MAX) {
		mt_msg_input(file, line, "rule %s: more than %d named groups",
		    r->name, RULE_MAP_MAX);
		return -MT_ERR_INPUT;
	}
	for (i = 0; i < count; i++) {
		PCRE2_SPTR e = tab + (size_t)i * esize;
		const char *gname = (const char *)(e + 2);
		int f = rule_field_lookup(gname);

		if (f < 0) {
			mt_msg_input(file, line, "rule %s: unknown group name "
			    "\"%s\" (known: time, message_id, provider_id, "
			    "request_id, recipient, sender, status, error, dsn, "
			    "class)", r->name, gname);
			return -MT_ERR_INPUT;
		}
		r->map[r->nmap].group = ((uint32_t)e[0] << 8) | e[1];
		r->map[r->nmap++].field = (enum rule_field)f;
	}
	/* JIT compiling waits for the rule's first line (app_rule) */
	return 0;
}

/* rule_check_sample - does r match the sample text? 0 or -MT_ERR_INPUT */
static int
rule_check_sample(const struct rule *r, const char *s, size_t n,
    const char *file, unsigned long line)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(r->re, NULL);
	int rc;

	if (md == NULL)
		mt_panic("pcre2_match_data_create: out of memory");
	rc = pcre2_match(r->re, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	if (rc < 0) {
		mt_msg_input(file, line, "rule %s does not match its sample",
		    r->name);
		return -MT_ERR_INPUT;
	}
	return 0;
}

/* rules_isname - rule name character */
static int
rules_isname(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.';
}

/* rules_word - next blank-separated word of s[*pos..n) */
static size_t
rules_word(const char *s, size_t n, size_t *pos, const char **w)
{
	size_t i = *pos, st;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	st = i;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	*w = s + st;
	*pos = i;
	return i - st;
}

/* rules_parse_type - "submitted", "failed[:class]", "other", "off" */
static int
rules_parse_type(const char *w, size_t wn, enum mt_etype *type, int *off,
    const char **cls, size_t *clsn)
{
	size_t i, tn = wn;

	*cls = NULL;
	*clsn = 0;
	*off = 0;
	for (i = 0; i < wn; i++)
		if (w[i] == ':') {
			tn = i;
			*cls = w + i + 1;
			*clsn = wn - i - 1;
			break;
		}
	if (*cls != NULL) {
		if (*clsn == 0 || *clsn > RULE_CLASS_MAX)
			return -1;
		for (i = 0; i < *clsn; i++)
			if (!rules_isname((*cls)[i]))
				return -1;
	}
	if (tn == 9 && memcmp(w, "submitted", 9) == 0)
		*type = MT_EV_SUBMITTED;
	else if (tn == 6 && memcmp(w, "failed", 6) == 0)
		*type = MT_EV_FAILED;
	else if (tn == 5 && memcmp(w, "other", 5) == 0)
		*type = MT_EV_OTHER;
	else if (tn == 3 && memcmp(w, "off", 3) == 0 && *cls == NULL)
		*off = 1;
	else
		return -1;
	return 0;
}

/* rules_line - one rule line; *last is set to the rule it defines */
static int
rules_line(struct mt_rules *rs, const char *s, size_t n, const char *file,
    unsigned long line, long *last)
{
	struct rule r;
	const char *w, *tw, *cls;
	size_t pos = 0, wn, twn, clsn, i;
	enum mt_etype type;
	long at;
	int off, err;

	*last = -1;
	wn = rules_word(s, n, &pos, &w);
	twn = rules_word(s, n, &pos, &tw);
	if (wn == 0 || wn > RULE_NAME_MAX) {
		mt_msg_input(file, line, "bad rule name");
		return -MT_ERR_INPUT;
	}
	for (i = 0; i < wn; i++)
		if (!rules_isname(w[i])) {
			mt_msg_input(file, line, "bad rule name \"%.*s\"",
			    (int)wn, w);
			return -MT_ERR_INPUT;
		}
	if (twn == 0 || rules_parse_type(tw, twn, &type, &off, &cls,
	    &clsn) != 0) {
		mt_msg_input(file, line, "rule %.*s: bad event word \"%.*s\" "
		    "(submitted, failed, other, off; class as failed:quota)",
		    (int)wn, w, (int)twn, tw);
		return -MT_ERR_INPUT;
	}
	while (pos < n && (s[pos] == ' ' || s[pos] == '\t'))
		pos++;
	memset(&r, 0, sizeof(r));
	r.name = mt_strndup(w, wn);
	at = rules_find(rs, r.name);
	if (off) {
		if (at >= 0) {
			rule_clear(&rs->v[at]);
			memmove(&rs->v[at], &rs->v[at + 1],
			    (rs->n - (size_t)at - 1) * sizeof(*rs->v));
			rs->n--;
		}
		free(r.name);
		return 0;
	}
	if (pos >= n) {
		mt_msg_input(file, line, "rule %s: missing pattern", r.name);
		free(r.name);
		return -MT_ERR_INPUT;
	}
	r.type = type;
	r.cls = cls ? mt_strndup(cls, clsn) : NULL;
	r.is_default = rs->loading_defaults;
	if ((err = rule_compile(&r, s + pos, n - pos, file, line)) != 0) {
		rule_clear(&r);
		return err;
	}
	if (at >= 0) {
		rule_clear(&rs->v[at]);
		rs->v[at] = r;
		atomic_store(&rs->jit_done[at], 0);
	} else {
		if (rs->n >= MT_RULES_MAX) {
			mt_msg_input(file, line, "more than %d rules",
			    MT_RULES_MAX);
			rule_clear(&r);
			return -MT_ERR_LIMIT;
		}
		if (rs->n == rs->cap) {
			rs->cap = rs->cap ? rs->cap * 2 : 32;
			rs->v = mt_reallocarray(rs->v, rs->cap, sizeof(*rs->v));
			rs->jit_done = mt_reallocarray(rs->jit_done, rs->cap,
			    sizeof(*rs->jit_done));
		}
		at = (long)rs->n++;
		rs->v[at] = r;
		atomic_init(&rs->jit_done[at], 0);
	}
	{
		uint32_t cc = 0;

		if (pcre2_pattern_info(r.re, PCRE2_INFO_CAPTURECOUNT, &cc) == 0 &&
		    cc > rs->maxgroups)
			rs->maxgroups = cc;
	}
	*last = at;
	return 0;
}

/* mt_rules_load_text - rules from a string; name is used in messages */
int
mt_rules_load_text(struct mt_rules *rs, const char *name, const char *text,
    size_t len)
{
	size_t pos = 0, n, i;
	unsigned long line = 0;
	long last = -1;
	int err;

	while (pos < len) {
		const char *s = text + pos;

		for (n = 0; pos + n < len && s[n] != '\n'; n++)
			;
		pos += n + 1;
		line++;
		if (n > MT_RULES_LINE_MAX) {
			mt_msg_input(name, line, "line longer than %d bytes",
			    MT_RULES_LINE_MAX);
			return -MT_ERR_INPUT;
		}
		while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' ||
		    s[n - 1] == '\t'))
			n--;
		for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		if (i == n || s[i] == '#')
			continue;
		if (i > 0) {
			/* indented: "sample TEXT" for the rule above */
			if (n - i < 7 || memcmp(s + i, "sample ", 7) != 0) {
				mt_msg_input(name, line, "indented line is not "
				    "\"sample TEXT\"");
				return -MT_ERR_INPUT;
			}
			if (last < 0) {
				mt_msg_input(name, line, "sample without a rule");
				return -MT_ERR_INPUT;
			}
			if ((err = rule_check_sample(&rs->v[last], s + i + 7,
			    n - i - 7, name, line)) != 0)
				return err;
			continue;
		}
		if ((err = rules_line(rs, s, n, name, line, &last)) != 0)
			return err;
	}
	return 0;
}

/* mt_rules_add_defaults - the shipped rules */
int
mt_rules_add_defaults(struct mt_rules *rs)
{
	int err;

	rs->loading_defaults = 1;
	err = mt_rules_load_text(rs, "(default rules)", mt_rules_default,
	    sizeof(mt_rules_default) - 1);
	rs->loading_defaults = 0;
	return err;
}

/* mt_rules_load_file - the rules of one file */
int
mt_rules_load_file(struct mt_rules *rs, const char *path)
{
	struct mt_buf b;
	char chunk[8192];
	FILE *fp;
	size_t got;
	int err = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		mt_warn("%s", path);
		return -MT_ERR_IO;
	}
	mt_buf_init(&b, RULES_FILE_MAX);
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (mt_buf_append(&b, chunk, got) != 0) {
			mt_warnx("%s: larger than %d bytes", path,
			    RULES_FILE_MAX);
			err = -MT_ERR_LIMIT;
			goto out;
		}
	if (ferror(fp)) {
		mt_warn("%s", path);
		err = -MT_ERR_IO;
		goto out;
	}
	if (b.len > 0 && memchr(b.data, '\0', b.len) != NULL) {
		mt_warnx("%s: binary file", path);
		err = -MT_ERR_INPUT;
		goto out;
	}
	err = mt_rules_load_text(rs, path, b.data ? b.data : "", b.len);
out:
	fclose(fp);
	mt_buf_free(&b);
	return err;
}

/* rules_namecmp - qsort order of file names */
static int
rules_namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* mt_rules_load_dir - every *.rules file of dir, in name order */
int
mt_rules_load_dir(struct mt_rules *rs, const char *dir)
{
	struct dirent *de;
	char **names = NULL, *path = NULL;
	size_t n = 0, i, nl, pl;
	DIR *d;
	int err = 0;

	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		mt_warn("%s", dir);
		return -MT_ERR_IO;
	}
	names = mt_reallocarray(NULL, RULES_DIR_MAX, sizeof(*names));
	while ((de = readdir(d)) != NULL) {
		nl = strlen(de->d_name);
		if (de->d_name[0] == '.' || nl < 7 ||
		    strcmp(de->d_name + nl - 6, ".rules") != 0)
			continue;
		if (n == RULES_DIR_MAX) {
			mt_warnx("%s: more than %d rules files", dir,
			    RULES_DIR_MAX);
			err = -MT_ERR_LIMIT;
			goto out;
		}
		names[n++] = mt_strdup(de->d_name);
	}
	qsort(names, n, sizeof(*names), rules_namecmp);
	for (i = 0; i < n && err == 0; i++) {
		pl = strlen(dir) + strlen(names[i]) + 2;
		path = mt_malloc(pl);
		snprintf(path, pl, "%s/%s", dir, names[i]);
		err = mt_rules_load_file(rs, path);
		free(path);
		path = NULL;
	}
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return err;
}

/*
 * The application parser.
 */

struct mt_app {
	const struct mt_parser_ctx *ctx;
	pcre2_match_data *md;
	uint32_t mdsize;
	pcre2_match_context *mc;
	struct mt_event ev;
	int	 have;
	int	 nojit;		/* MSGTRAIL_PCRE2_NOJIT: interpret (valgrind) */
	unsigned long match_errors;
};

/* app_new - parser state */
static void *
app_new(const struct mt_parser_ctx *ctx)
{
	struct mt_app *a = mt_calloc(1, sizeof(*a));

	a->ctx = ctx;
	/* valgrind cannot follow JIT-compiled code: the test suite turns it off */
	a->nojit = getenv("MSGTRAIL_PCRE2_NOJIT") != NULL;
	if ((a->mc = pcre2_match_context_create(NULL)) == NULL)
		mt_panic("pcre2_match_context_create: out of memory");
	pcre2_set_match_limit(a->mc, MT_RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(a->mc, MT_RULES_DEPTH_LIMIT);
	return a;
}

/* app_free - release state; accepts NULL */
static void
app_free(void *st)
{
	struct mt_app *a = st;

	if (a == NULL)
		return;
	pcre2_match_data_free(a->md);
	pcre2_match_context_free(a->mc);
	free(a);
}

/* app_strip - a span without surrounding "<>" */
static struct mt_span
app_strip(struct mt_span s)
{
	if (s.n >= 2 && s.p[0] == '<' && s.p[s.n - 1] == '>') {
		s.p++;
		s.n -= 2;
	}
	return s;
}

/* app_time - parse a captured time ("," as decimal mark too); 0 or -1 */
static int
app_time(struct mt_span t, int64_t *us)
{
	char buf[64];
	size_t i, used;

	if (t.n == 0 || t.n >= sizeof(buf))
		return -1;
	for (i = 0; i < t.n; i++)
		buf[i] = t.p[i] == ',' ? '.' : t.p[i];
	buf[t.n] = '\0';
	if (mt_time_iso(buf, t.n, us, &used) != 0 || used != t.n)
		return -1;
	return 0;
}

/*
 * rule_jit - JIT-compile rule i on its first use (optional: a command that
 * reads no application line pays nothing for it).  The set is shared by
 * the parsers of every thread, and compiling writes into the pattern, so
 * the first use compiles under the set's lock; later ones only read the
 * flag.  A pattern the JIT refuses is interpreted.
 */
static void
rule_jit(const struct mt_rules *rs, size_t i)
{
	if (atomic_load_explicit(&rs->jit_done[i], memory_order_acquire))
		return;
	pthread_mutex_lock(rs->jit_mu);
	if (!atomic_load_explicit(&rs->jit_done[i], memory_order_relaxed)) {
		(void)pcre2_jit_compile(rs->v[i].re, PCRE2_JIT_COMPLETE);
		atomic_store_explicit(&rs->jit_done[i], 1,
		    memory_order_release);
	}
	pthread_mutex_unlock(rs->jit_mu);
}

/* app_rule - run one rule; merge what it captures into f and the rest */
static void
app_rule(struct mt_app *a, const struct rule *r, const char *s, size_t n,
    struct mt_span *f, int64_t *t, int *matched, enum mt_etype *type,
    struct mt_span *cls)
{
	PCRE2_UCHAR ebuf[128];
	PCRE2_SIZE *ov;
	size_t i;
	int rc;

	rc = pcre2_match(r->re, (PCRE2_SPTR)s, n, 0, 0, a->md, a->mc);
	if (rc == PCRE2_ERROR_NOMATCH)
		return;
	if (rc < 0) {
		a->match_errors++;
		pcre2_get_error_message(rc, ebuf, sizeof(ebuf));
		mt_msg_input(a->ctx->file, a->ctx->line, "rule %s skipped: %s",
		    r->name, (const char *)ebuf);
		return;
	}
	*matched = 1;
	ov = pcre2_get_ovector_pointer(a->md);
	for (i = 0; i < r->nmap; i++) {
		uint32_t g = r->map[i].group;
		enum rule_field fl = r->map[i].field;
		struct mt_span v;

		if (g >= (uint32_t)rc || ov[2 * g] == PCRE2_UNSET ||
		    ov[2 * g + 1] <= ov[2 * g])
			continue;
		v.p = s + ov[2 * g];
		v.n = ov[2 * g + 1] - ov[2 * g];
		if (fl == RF_TIME) {
			if (*t == 0 && app_time(v, t) != 0)
				*t = 0;
			continue;
		}
		if (f[fl].n == 0)
			f[fl] = v;
	}
	if (r->type == MT_EV_FAILED ||
	    (r->type == MT_EV_SUBMITTED && *type != MT_EV_FAILED))
		*type = r->type;
	if (cls->n == 0 && r->cls != NULL) {
		cls->p = r->cls;
		cls->n = strlen(r->cls);
	}
}

/* app_push - run the rules over one line; 1 recognised, 0 not */
static int
app_push(void *st, const struct mt_sl *env, const char *rec, size_t len)
{
	struct mt_app *a = st;
	const struct mt_rules *rs = a->ctx->cfg ? a->ctx->cfg->rules : NULL;
	struct mt_span f[RF__COUNT], cls = MT_SPAN_NONE;
	struct mt_event *ev = &a->ev;
	enum mt_etype type = MT_EV_OTHER;
	const char *s = rec;
	size_t n = len, i;
	int64_t t = 0;
	int pass, matched = 0;

	a->have = 0;
	if (rs == NULL || rs->n == 0)
		return 0;
	if (env != NULL && env->body.p != NULL) {
		s = env->body.p;
		n = env->body.n;
	}
	if (a->md == NULL || a->mdsize < rs->maxgroups + 1) {
		pcre2_match_data_free(a->md);
		a->mdsize = rs->maxgroups + 1;
		if ((a->md = pcre2_match_data_create(a->mdsize, NULL)) == NULL)
			mt_panic("pcre2_match_data_create: out of memory");
	}
	memset(f, 0, sizeof(f));
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < rs->n; i++)
			if (rs->v[i].is_default == pass) {
				if (!a->nojit)
					rule_jit(rs, i);
				app_rule(a, &rs->v[i], s, n, f, &t, &matched,
				    &type, &cls);
			}
	if (!matched)
		return 0;
	if (f[RF_CLASS].n > 0)
		cls = f[RF_CLASS];
	if (f[RF_ERROR].n > 0)
		type = MT_EV_FAILED;
	else if (type == MT_EV_OTHER &&
	    (f[RF_MESSAGE_ID].n > 0 || f[RF_PROVIDER_ID].n > 0))
		type = MT_EV_SUBMITTED;
	if (type == MT_EV_OTHER && f[RF_MESSAGE_ID].n == 0 &&
	    f[RF_PROVIDER_ID].n == 0 && f[RF_REQUEST_ID].n == 0 &&
	    f[RF_RECIPIENT].n == 0)
		return 0;
	if (a->ctx->time_override)
		t = a->ctx->time_override;
	else if (t == 0 && env != NULL)
		t = env->time;
	if (t == 0)
		return 0;

	mt_event_init(ev);
	ev->time = t;
	ev->src = MT_SRC_APP;
	ev->stage = MT_STAGE_APPLICATION;
	ev->type = type;
	ev->raw.p = rec;
	ev->raw.n = len;
	if (env != NULL) {
		ev->host = env->host;
		ev->prog = env->prog;
	}
	ev->message_id = app_strip(f[RF_MESSAGE_ID]);
	ev->provider_id = app_strip(f[RF_PROVIDER_ID]);
	ev->request_id = f[RF_REQUEST_ID];
	ev->recipient = app_strip(f[RF_RECIPIENT]);
	ev->sender = app_strip(f[RF_SENDER]);
	ev->status = f[RF_STATUS];
	ev->reply = f[RF_ERROR];
	ev->dsn = f[RF_DSN];
	ev->cls = type == MT_EV_FAILED ? cls : MT_SPAN_NONE;
	a->have = 1;
	return 1;
}

/* app_next - the line's one event */
static int
app_next(void *st, struct mt_event *ev)
{
	struct mt_app *a = st;

	if (!a->have)
		return 0;
	*ev = a->ev;
	a->have = 0;
	return 1;
}

const struct mt_parser_ops mt_app_ops = {
	"application", app_new, app_push, app_next, app_free
};
