/*
 * cmd_ingest.c - msgtrail ingest: read inputs, parse, store
 *
 * Inputs are files, directories (their regular files) or "-" (stdin),
 * read oldest first (by modification time, then by rotation number:
 * mail.log.2.gz before mail.log.1 before mail.log).  Each input is
 * recognised by a fingerprint of its first bytes: a file (or its rotated
 * or compressed copy) already ingested resumes where the last committed
 * run stopped, so ingesting twice stores nothing twice.  Records are
 * committed together with the file's offset, in batches.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "mt_alloc.h"
#include "mt_in.h"
#include "mt_ix.h"
#include "mt_msg.h"
#include "mt_parser.h"
#include "mt_time.h"

#define INGEST_BATCH	(64ULL * 1024 * 1024)	/* raw bytes per transaction */
#define INGEST_KEYS	2048			/* keys of one record */
#define INGEST_WARN_MAX	20			/* input warnings shown per file */
#define FOLLOW_COMMIT_US 1000000		/* follow: commit at least this often */
#define FOLLOW_POLL_US	200000
#define QUIET_S		600	/* a plain file unchanged this long is complete */
#define PROG_EVERY_MS	250			/* progress line redraws */
#define PROG_BEGIN	0
#define PROG_UPDATE	1
#define PROG_DONE	2

struct ingest_counts {
	uint64_t lines, recognised, unrecognised, errors, records, skipped;
	uint64_t bytes;
	uint64_t held;		/* inputs whose unfinished tail was held back */
};

struct ingest {
	struct cli_env env;
	struct mt_ix *ix;
	struct mt_parser *parser;
	int	 json, strict, follow, final, progress;
	struct ingest_counts total;
	uint64_t keys[INGEST_KEYS];
	int64_t	 last_progress;	/* progress(): ms, monotonic */
	int64_t	 prog_t0;	/* start of the current input */
	uint64_t prog_b0, prog_l0; /* bytes and lines at its start */
	int	 prog_shown;	/* a status line is on the screen */
	uint64_t batch;		/* raw bytes per transaction */
	uint64_t uncommitted;	/* records put since the last commit */
	uint64_t inflight;	/* records of a commit queued, not confirmed */
	unsigned unreadable;	/* inputs that could not be opened */
};

struct ingest_input {
	char	*path;
	int64_t	 mtime;
	long	 rot;		/* rotation number: mail.log.2.gz -> 2 */
	size_t	 order;		/* position on the command line */
};

static volatile sig_atomic_t ingest_stop;

/* ingest_signal - SIGINT/SIGTERM: finish the current record, commit, stop */
static void
ingest_signal(int sig)
{
	(void)sig;
	ingest_stop = 1;
}

/* usage - ingest's help */
static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: msgtrail ingest [--db PATH] [--year YYYY] [--tz ZONE] [--rules FILE]...\n"
	    "                       [--smarthost PATTERN]... [--json] [--strict]\n"
	    "                       [--follow | --final]\n"
	    "                       [-q | -v] FILE|DIR|- ...\n\n"
	    "Read Postfix and sendmail syslog (BSD, RFC 3339, RFC 5424, journalctl\n"
	    "short-iso or -o json), Amazon SES notification JSON and application logs\n"
	    "(plain, .gz or .zst) into the store.  Inputs already ingested are resumed\n"
	    "where the last run stopped, never stored twice.\n\n"
	    "  --db PATH            store (default: $MSGTRAIL_DB, else ~/.local/share/msgtrail/msgtrail.db)\n"
	    "  --year YYYY          year of year-less syslog stamps (default: from the file's mtime)\n"
	    "  --tz ZONE            zone of local syslog stamps (default: the system's)\n"
	    "  --rules FILE         extra application-log rules (repeatable)\n"
	    "  --smarthost PATTERN  relay host of a sending provider (repeatable; default\n"
	    "                       email-smtp.*.amazonaws.com)\n"
	    "  --json               print the report as one JSON object\n"
	    "  --strict             exit 3 when any input line was malformed or skipped,\n"
	    "                       or held back unfinished\n"
	    "  --follow             keep reading the (single) file as it grows; survives\n"
	    "                       rotation; stop with SIGINT or SIGTERM\n"
	    "  --final              the plain files are complete: store a last line that\n"
	    "                       has no newline (default: hold it back until a later\n"
	    "                       run finds it finished, or the file has not changed\n"
	    "                       for 10 minutes)\n"
	    "  -q, --quiet          no report, no progress, no input warnings\n"
	    "  -v, --verbose        report unrecognised lines\n");
}

/* rotation_number - N of "name.N" or "name.N.gz"; 0 without one */
static long
rotation_number(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *s, *dot;
	long n = 0;

	base = base ? base + 1 : path;
	for (s = base; (dot = strchr(s, '.')) != NULL; s = dot + 1) {
		char *end;
		long v;

		errno = 0;
		v = strtol(dot + 1, &end, 10);
		if (errno == 0 && end != dot + 1 && v >= 0 &&
		    (*end == '\0' || *end == '.'))
			n = v;
	}
	return n;
}

/* input_cmp - oldest first: mtime, then higher rotation number, then order */
static int
input_cmp(const void *a, const void *b)
{
	const struct ingest_input *x = a, *y = b;

	if (strcmp(x->path, "-") == 0 || strcmp(y->path, "-") == 0)
		return x->order < y->order ? -1 : x->order > y->order;
	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	if (x->rot != y->rot)
		return x->rot > y->rot ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* input_add - append one input */
static void
input_add(struct ingest_input **v, size_t *n, const char *path, int64_t mtime)
{
	*v = mt_reallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].path = mt_strdup(path);
	(*v)[*n].mtime = mtime;
	(*v)[*n].rot = rotation_number(path);
	(*v)[*n].order = *n;
	(*n)++;
}

/* expand_dir - the regular files in dir (not hidden), sorted by name */
static int
expand_dir(const char *dir, struct ingest_input **v, size_t *n)
{
	struct dirent **names = NULL;
	char path[PATH_MAX];
	struct stat st;
	int i, k, rc = 0;

	k = scandir(dir, &names, NULL, alphasort);
	if (k < 0) {
		mt_warn("%s", dir);
		return -1;
	}
	for (i = 0; i < k; i++) {
		if (names[i]->d_name[0] == '.')
			goto next;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]->d_name) >= sizeof(path)) {
			mt_warnx("%s/%s: path too long", dir, names[i]->d_name);
			rc = -1;
			goto next;
		}
		if (stat(path, &st) != 0) {
			mt_warn("%s", path);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (expand_dir(path, v, n) != 0)
				rc = -1;
		} else if (S_ISREG(st.st_mode) &&
		    strstr(names[i]->d_name, ".rules") == NULL &&
		    strstr(names[i]->d_name, ".md") == NULL)
			input_add(v, n, path, (int64_t)st.st_mtime);
next:
		free(names[i]);
	}
	free(names);
	return rc;
}

/*
 * drop_store - take the store itself (and its -wal, -shm, -journal) out
 * of the inputs: a directory argument may hold it
 */
static void
drop_store(struct ingest_input *v, size_t *n, const char *db)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char path[PATH_MAX];
	struct stat st, sst[4];
	int have[4];
	size_t i, j, k;

	for (k = 0; k < 4; k++) {
		have[k] = (size_t)snprintf(path, sizeof(path), "%s%s", db,
		    sfx[k]) < sizeof(path) && stat(path, &sst[k]) == 0;
	}
	for (i = j = 0; i < *n; i++) {
		for (k = 0; k < 4; k++)
			if (have[k] && strcmp(v[i].path, "-") != 0 &&
			    stat(v[i].path, &st) == 0 &&
			    st.st_dev == sst[k].st_dev &&
			    st.st_ino == sst[k].st_ino)
				break;
		if (k < 4) {
			mt_info("%s: the store itself, not read", v[i].path);
			free(v[i].path);
			continue;
		}
		v[j++] = v[i];
	}
	*n = j;
}

/*
 * progress - the status line on a terminal: PROG_BEGIN notes the start of
 * an input, PROG_UPDATE redraws it at most every PROG_EVERY_MS (bytes,
 * percent and ETA where the size is known, lines and lines/s), PROG_DONE
 * erases it.
 */
static void
progress(struct ingest *g, struct mt_in *in, const struct ingest_counts *c,
    int what)
{
	struct timespec ts;
	int64_t now, size;
	uint64_t bytes = mt_in_bytes_read(in);
	double secs, lps, bps, mb, eta;
	char etas[32] = "";

	if (!g->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (what == PROG_BEGIN) {
		g->prog_t0 = g->last_progress = now;
		g->prog_b0 = bytes;
		g->prog_l0 = c->lines;
		return;
	}
	if (what == PROG_DONE) {
		if (g->prog_shown)
			fprintf(stderr, "\r\033[K");
		fflush(stderr);
		g->prog_shown = 0;
		return;
	}
	if (now - g->last_progress < PROG_EVERY_MS)
		return;
	g->last_progress = now;
	secs = (double)(now - g->prog_t0) / 1000.0;
	lps = secs > 0 ? (double)(c->lines - g->prog_l0) / secs : 0;
	bps = secs > 0 ? (double)(bytes - g->prog_b0) / secs : 0;
	mb = (double)bytes / 1e6;
	size = g->follow ? -1 : mt_in_size(in);	/* a followed file grows */
	if (size > 0 && bps > 0 && (uint64_t)size > bytes) {
		eta = (double)((uint64_t)size - bytes) / bps;
		if (eta < 360000)
			snprintf(etas, sizeof(etas), ", ETA %d:%02d:%02d",
			    (int)eta / 3600, (int)eta / 60 % 60, (int)eta % 60);
	}
	if (size > 0)
		fprintf(stderr, "\r\033[K%s: %.1f MB (%.0f%%), %llu lines, "
		    "%.0f lines/s%s", mt_in_name(in), mb, bytes >= (uint64_t)size ?
		    100.0 : 100.0 * (double)bytes / (double)size,
		    (unsigned long long)c->lines, lps, etas);
	else
		fprintf(stderr, "\r\033[K%s: %.1f MB, %llu lines, %.0f lines/s",
		    mt_in_name(in), mb, (unsigned long long)c->lines, lps);
	fflush(stderr);
	g->prog_shown = 1;
}

/* store_record - keys of the parsed record's events, then put */
static int
store_record(struct ingest *g, int fmt, struct ingest_counts *c)
{
	struct mt_span rec;
	size_t nk;

	nk = mt_parser_keys(g->parser, g->keys, INGEST_KEYS);
	if (nk == 0)
		return 0;	/* nothing to find it by: not stored */
	rec = mt_parser_record(g->parser);
	if (mt_ix_put(g->ix, mt_parser_record_time(g->parser), (unsigned)fmt,
	    rec.p, rec.n, g->keys, nk) != 0)
		return -1;
	c->records++;
	g->uncommitted++;
	return 0;
}

/*
 * commit - write the batch with the file's progress; async: queue it and
 * go on reading while the store writes it (the commit before it must have
 * succeeded, or both are rolled back)
 */
static int
commit(struct ingest *g, struct mt_in *in, uint64_t fp, uint32_t fp_len,
    const char *name, int async)
{
	struct mt_ix_file f;
	int rc;

	f.fp = fp;
	f.fp_len = fp_len;
	f.offset = mt_in_offset(in);
	f.line = mt_in_line(in);
	f.name = name;
	/* an empty input has nothing to resume: no row */
	if (async)
		rc = mt_ix_commit_async(g->ix, fp_len ? &f : NULL);
	else
		rc = mt_ix_commit(g->ix, fp_len ? &f : NULL);
	if (rc != 0) {
		g->uncommitted += g->inflight;
		g->inflight = 0;
		return -1;
	}
	g->inflight = async ? g->uncommitted : 0;
	g->uncommitted = 0;
	return 0;
}

/* identify - fingerprint of the input; resume point if already known */
static int
identify(struct ingest *g, struct mt_in *in, uint64_t *fp, uint32_t *fp_len,
    uint64_t *offset, uint64_t *line)
{
	uint32_t lens[64];
	size_t nlens = 0, i;
	struct mt_ix_file f;
	uint64_t h;

	*offset = *line = 0;
	if (mt_in_fingerprint(in, fp, fp_len) != 0)
		return -1;
	if (*fp_len == 0)
		return 0;	/* empty input */
	if (mt_ix_fp_lens(g->ix, lens, 64, &nlens) != 0)
		return -1;
	for (i = 0; i < nlens; i++) {
		if (lens[i] == 0 || lens[i] > *fp_len)
			continue;	/* (an empty input's row matches nothing) */
		if (mt_in_hash_prefix(in, lens[i], &h) != 0)
			continue;
		switch (mt_ix_file_find(g->ix, h, lens[i], &f)) {
		case 1:
			*fp = h;
			*fp_len = lens[i];
			*offset = f.offset;
			*line = f.line;
			return 0;
		case 0:
			break;
		default:
			return -1;
		}
	}
	return 0;
}

/*
 * follow_wait - follow mode: wait for path to exist (after a rename) and,
 * when it is a regular file, to hold its first bytes (an empty file has no
 * fingerprint yet).  0 ready, 1 stopped by a signal.
 */
static int
follow_wait(const char *path, int must_exist)
{
	struct stat st;

	while (!ingest_stop) {
		if (stat(path, &st) != 0) {
			if (must_exist)
				return 0;	/* mt_in_open reports it */
		} else if (!S_ISREG(st.st_mode) || st.st_size > 0)
			return 0;
		usleep(FOLLOW_POLL_US);
	}
	return 1;
}

/*
 * ingest_one - one input from where the store says it stopped.  With
 * --follow, at end of input: commit at least every FOLLOW_COMMIT_US, poll
 * for growth, and on rotation (rename or copytruncate) read the old file
 * to its end, commit it, and go on with the file now under the name.  A
 * line still being written is held back by mt_in (follow mode) and never
 * committed half.
 */
static int
ingest_one(struct ingest *g, const char *path, struct ingest_counts *c)
{
	struct mt_in *in = NULL;
	const char *rec;
	size_t len;
	unsigned long lineno;
	uint64_t fp, off, line, h;
	uint32_t fp_len, h_len;
	int64_t last_commit = 0, now;
	int r = 0, rc = -1, reopen = 0, draining;

again:
	draining = 0;
	if (g->follow && follow_wait(path, !reopen) != 0)
		return 0;
	if (mt_in_open(path, &in) != 0) {
		c->errors++;
		return 1;	/* reported; go on with the others */
	}
	mt_in_set_follow(in, g->follow);
	/* a writer does not stop mid-line for minutes: a file untouched for
	 * QUIET_S (a rotated log whose writer died) has its tail stored */
	mt_in_set_final(in, g->final || (!g->follow &&
	    mt_time_now() / MT_USEC - mt_in_mtime(in) >= QUIET_S));
	mt_parser_set_input(g->parser, mt_in_name(in), mt_in_mtime(in));
	if (identify(g, in, &fp, &fp_len, &off, &line) != 0)
		goto out;
	if (off > 0) {
		mt_info("%s: known input, resuming at byte %llu (line %llu)",
		    mt_in_name(in), (unsigned long long)off,
		    (unsigned long long)line);
		r = mt_in_skip(in, off, line);
		if (r == -MT_ERR_INPUT && strcmp(path, "-") != 0) {
			/* same first bytes, but shorter: another input */
			mt_warnx("%s: reading it from the start", path);
			mt_in_close(in);
			in = NULL;
			if (mt_in_open(path, &in) != 0) {
				c->errors++;
				return 1;
			}
			if (mt_in_fingerprint(in, &h, &h_len) != 0)
				goto out;
		} else if (r != 0)
			goto out;
	}
	progress(g, in, c, PROG_BEGIN);
	for (;;) {
		while (!ingest_stop &&
		    (r = mt_in_next(in, &rec, &len, &lineno)) == 1) {
			c->lines++;
			r = mt_parser_push(g->parser, MT_FMT_AUTO, rec, len,
			    lineno);
			if (r > 0) {
				c->recognised++;
				if (store_record(g, r, c) != 0)
					goto out;
			} else if (r == 0) {
				c->unrecognised++;
				if (mt_msg_verbosity() >= 2)
					mt_msg_input(mt_in_name(in), lineno,
					    "unrecognised line");
			} else
				c->errors++;
			if (mt_ix_pending(g->ix) >= g->batch &&
			    commit(g, in, fp, fp_len, path, 1) != 0)
				goto out;
			if ((c->lines & 0x3fff) == 0)
				progress(g, in, c, PROG_UPDATE);
		}
		if (!ingest_stop && r < 0) {
			c->errors++;	/* read error, reported by mt_in */
			if (commit(g, in, fp, fp_len, path, 0) != 0)
				goto out;
			rc = 0;
			goto out;
		}
		if (!g->follow || ingest_stop)
			break;
		now = mt_time_now();
		if (mt_ix_pending(g->ix) > 0 &&
		    now - last_commit >= FOLLOW_COMMIT_US) {
			if (commit(g, in, fp, fp_len, path, 0) != 0)
				goto out;
			last_commit = now;
		}
		progress(g, in, c, PROG_UPDATE);
		r = mt_in_poll(in);
		if (r == 2 && !draining) {
			/* rotated: first read what the old file still holds */
			mt_in_set_follow(in, 0);
			mt_in_set_final(in, 1);	/* its writer moved on */
			draining = 1;
			continue;
		}
		if (r == 2) {		/* then go on with the file under the name */
			if (commit(g, in, fp, fp_len, path, 0) != 0)
				goto out;
			last_commit = mt_time_now();
			progress(g, in, c, PROG_DONE);
			c->skipped += mt_in_skipped(in);
			c->bytes += mt_in_bytes_read(in);
			mt_in_close(in);
			in = NULL;
			reopen = 1;
			mt_info("%s: rotated, reopening", path);
			goto again;
		}
		if (r == 0)
			usleep(FOLLOW_POLL_US);
	}
	if (commit(g, in, fp, fp_len, path, 0) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		/* a failed batch is rolled back: its records are not stored */
		if (g->inflight > 0 && mt_ix_wait(g->ix) != 0)
			g->uncommitted += g->inflight;
		c->records -= g->uncommitted;
		g->uncommitted = g->inflight = 0;
	}
	if (in != NULL) {
		progress(g, in, c, PROG_DONE);
		c->skipped += mt_in_skipped(in);
		c->bytes += mt_in_bytes_read(in);
		c->held += mt_in_held(in) != 0;
	}
	mt_in_close(in);
	return rc;
}

/* report - what ingest did, as text or JSON, on stdout */
static void
report(const char *name, const struct ingest_counts *c, double secs, int last)
{
	printf("%s: %llu lines, %llu recognised, %llu unrecognised, "
	    "%llu errors, %llu records stored",
	    name, (unsigned long long)(c->lines + c->skipped),
	    (unsigned long long)c->recognised,
	    (unsigned long long)c->unrecognised,
	    (unsigned long long)(c->errors + c->skipped),
	    (unsigned long long)c->records);
	if (last)
		printf(", %.2f s", secs);
	printf("\n");
}

/* cmd_ingest - msgtrail ingest */
int
cmd_ingest(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "year", required_argument, NULL, 'Y' },
		{ "tz", required_argument, NULL, 'Z' },
		{ "rules", required_argument, NULL, 'r' },
		{ "smarthost", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "strict", no_argument, NULL, 's' },
		{ "follow", no_argument, NULL, 'f' },
		{ "final", no_argument, NULL, 'F' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ingest g;
	struct ingest_input *inputs = NULL;
	struct mt_parser_cfg pcfg;
	struct ingest_counts c;
	struct sigaction sa;
	struct timespec t0, t1;
	const char *tz = NULL, *dbopt = NULL, *dbpath;
	int lockfd = -1;
	size_t ninputs = 0, i;
	unsigned long hidden;
	int ch, rc = EXIT_OK, verbosity = 1, r;
	struct stat st;
	double secs;

	memset(&g, 0, sizeof(g));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:qvh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'Y':
			if (cli_parse_year(optarg, &g.env.year) != 0)
				return cli_usage_error("ingest",
				    "--year: bad year '%s'", optarg);
			break;
		case 'Z': tz = optarg; break;
		case 'r': cli_add(&g.env.rules, &g.env.nrules, optarg); break;
		case 'S': cli_add(&g.env.smarthosts, &g.env.nsmarthosts, optarg); break;
		case 'j': g.json = 1; break;
		case 's': g.strict = 1; break;
		case 'f': g.follow = 1; break;
		case 'F': g.final = 1; break;
		case 'q': verbosity = 0; break;
		case 'v': verbosity++; break;
		case 'h':
			usage(stdout);
			cli_env_free(&g.env);
			return cli_close_stdout();
		default:
			cli_env_free(&g.env);
			return cli_bad_option("ingest");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		cli_env_free(&g.env);
		return cli_usage_error("ingest", "no input (give files, "
		    "directories or - for standard input)");
	}
	if (g.follow && g.final) {
		cli_env_free(&g.env);
		return cli_usage_error("ingest", "--follow and --final "
		    "cannot be used together");
	}
	if (g.follow && (argc != 1 || strcmp(argv[0], "-") == 0)) {
		cli_env_free(&g.env);
		return cli_usage_error("ingest", "--follow takes exactly one file");
	}
	mt_msg_set_verbosity(verbosity);
	if (cli_set_tz(tz) != 0 || cli_load_rules(&g.env) != 0) {
		cli_env_free(&g.env);
		return EXIT_USAGE;
	}
	for (i = 0; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			input_add(&inputs, &ninputs, "-", 0);
			continue;
		}
		if (stat(argv[i], &st) != 0) {
			mt_warn("%s", argv[i]);
			g.unreadable++;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			size_t before = ninputs;

			if (expand_dir(argv[i], &inputs, &ninputs) != 0)
				g.unreadable++;
			else if (ninputs == before)
				mt_note("%s: no files in directory", argv[i]);
		} else
			input_add(&inputs, &ninputs, argv[i], (int64_t)st.st_mtime);
	}
	if (ninputs > 1)
		qsort(inputs, ninputs, sizeof(*inputs), input_cmp);

	/* MSGTRAIL_BATCH_BYTES: smaller transactions (tests, follow) */
	g.batch = INGEST_BATCH;
	if (getenv("MSGTRAIL_BATCH_BYTES") != NULL) {
		char *end;
		unsigned long long v = strtoull(getenv("MSGTRAIL_BATCH_BYTES"),
		    &end, 10);

		if (*end == '\0' && v >= 1024)
			g.batch = v;
	}
	g.progress = verbosity >= 1 && isatty(STDERR_FILENO) && !g.json;
	dbpath = cli_db_path(dbopt, 1);
	if (mt_ix_open(dbpath, MT_IX_CREATE, &g.ix) != 0) {
		rc = EXIT_SYSTEM;
		goto out;
	}
	drop_store(inputs, &ninputs, dbpath);
	/*
	 * One ingest at a time per store: two runs over the same file would
	 * both start from the same committed offset.  The lock is taken
	 * before any input is identified and held to the end.
	 */
	if ((lockfd = open(dbpath, O_RDONLY | O_CLOEXEC)) < 0 ||
	    (flock(lockfd, LOCK_EX | LOCK_NB) != 0 &&
	    (errno != EWOULDBLOCK || (mt_note("%s: waiting for another "
	    "ingest to finish", dbpath), flock(lockfd, LOCK_EX) != 0)))) {
		mt_warn("%s: lock", dbpath);
		rc = EXIT_SYSTEM;
		goto out;
	}
	cli_parser_cfg(&g.env, &pcfg);
	g.parser = mt_parser_new(&pcfg);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ingest_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < ninputs && !ingest_stop; i++) {
		memset(&c, 0, sizeof(c));
		mt_msg_input_begin(INGEST_WARN_MAX);
		r = ingest_one(&g, inputs[i].path, &c);
		if (r == 1)
			g.unreadable++;
		hidden = mt_msg_input_end();
		if (hidden)
			mt_warnx("%s: %lu more input warnings not shown",
			    inputs[i].path, hidden);
		g.total.lines += c.lines;
		g.total.recognised += c.recognised;
		g.total.unrecognised += c.unrecognised;
		g.total.errors += c.errors;
		g.total.skipped += c.skipped;
		g.total.records += c.records;
		g.total.bytes += c.bytes;
		g.total.held += c.held;
		if (verbosity >= 1 && !g.json && ninputs > 1)
			report(strcmp(inputs[i].path, "-") ? inputs[i].path :
			    "(stdin)", &c, 0, 0);
		if (r < 0) {
			rc = EXIT_SYSTEM;
			break;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (g.json)
		printf("{\"files\": %zu, \"lines\": %llu, \"recognised\": %llu, "
		    "\"unrecognised\": %llu, \"errors\": %llu, \"records\": %llu, "
		    "\"held\": %llu, \"bytes\": %llu, \"seconds\": %.3f}\n",
		    ninputs, (unsigned long long)(g.total.lines + g.total.skipped),
		    (unsigned long long)g.total.recognised,
		    (unsigned long long)g.total.unrecognised,
		    (unsigned long long)(g.total.errors + g.total.skipped),
		    (unsigned long long)g.total.records,
		    (unsigned long long)g.total.held,
		    (unsigned long long)g.total.bytes, secs);
	else if (verbosity >= 1)
		report(ninputs != 1 ? "total" : (ninputs == 1 &&
		    strcmp(inputs[0].path, "-") ? inputs[0].path : "(stdin)"),
		    &g.total, secs, 1);
	if (rc == EXIT_OK && g.unreadable > 0)
		rc = EXIT_SYSTEM;	/* an input could not be read at all */
	else if (rc == EXIT_OK && g.strict &&
	    g.total.errors + g.total.skipped + g.total.held > 0)
		rc = EXIT_INPUT;
out:
	mt_parser_free(g.parser);
	mt_ix_close(g.ix);
	if (lockfd >= 0)
		close(lockfd);
	for (i = 0; i < ninputs; i++)
		free(inputs[i].path);
	free(inputs);
	cli_env_free(&g.env);
	r = cli_close_stdout();
	return rc != EXIT_OK ? rc : r;
}
