/*
 * main.c - msgtrail: trace an email across application, relay and
 * provider logs.  The subcommand table and the shared CLI helpers.
 */
#include <errno.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "mt_alloc.h"
#include "mt_msg.h"
#include "mt_rules.h"
#include "mt_time.h"

#ifndef MT_SYSCONFDIR
#define MT_SYSCONFDIR "/etc"
#endif
#define MT_VERSION "0.1.0"

struct cli_cmd {
	const char *name;
	int	 (*fn)(int, char **);
	const char *summary;
};

static const struct cli_cmd cli_cmds[] = {
	{ "ingest", cmd_ingest, "read logs and provider JSON into the store" },
	{ "trace", cmd_trace, "show one message's journey by any identifier" },
	{ "prune", cmd_prune, "delete records older than the retention period" },
	{ "export", cmd_export, "write failure reports as CSV" },
	{ "summary", cmd_summary, "print delivery totals for a period" },
	{ "stats", cmd_stats, "describe the store" },
	{ NULL, NULL, NULL }
};

/* usage - the top-level help */
static void
usage(FILE *fp)
{
	const struct cli_cmd *c;

	fprintf(fp, "usage: msgtrail COMMAND [options] [arguments]\n\n"
	    "Trace an email across application, relay (Postfix, sendmail) and\n"
	    "provider (Amazon SES) logs: where was it lost, and why.\n\n"
	    "commands:\n");
	for (c = cli_cmds; c->name; c++)
		fprintf(fp, "  %-8s %s\n", c->name, c->summary);
	fprintf(fp, "\n'msgtrail COMMAND --help' describes a command's options.\n"
	    "The store is --db PATH, else $MSGTRAIL_DB, else\n"
	    "$XDG_DATA_HOME/msgtrail/msgtrail.db (~/.local/share/msgtrail/msgtrail.db).\n"
	    "Exit status: 0 ok, 1 not found, 2 usage, 3 input errors (--strict),\n"
	    "4 system or store error.  See msgtrail(1).\n");
}

/*
 * heap_tune - keep the heap from returning memory to the kernel only to
 * fault it in again, and let its first MiBs use transparent huge pages:
 * on virtual machines a 4 KiB page fault costs about 10 us, and a trace
 * or an ingest would otherwise spend a third of its time faulting.
 * Advice only: nothing changes where the C library or kernel says no.
 */
static void
heap_tune(void)
{
#if defined(__GLIBC__) && defined(M_TOP_PAD) && defined(MADV_HUGEPAGE)
	const uintptr_t huge = 2 * 1024 * 1024;
	uintptr_t lo, hi;
	void *p;

	(void)mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	(void)mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
	(void)mallopt(M_TOP_PAD, 16 * 1024 * 1024);
	if ((p = malloc(1)) == NULL)
		return;
	lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	hi = (uintptr_t)sbrk(0) & ~(huge - 1);
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	free(p);
#endif
}

/* main - dispatch to a subcommand */
int
main(int argc, char **argv)
{
	const struct cli_cmd *c;

	mt_msg_init("msgtrail");
	heap_tune();
	/* a file size limit (ulimit -f) is a write error, not a kill */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return cli_close_stdout();
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("msgtrail %s\n", MT_VERSION);
		return cli_close_stdout();
	}
	for (c = cli_cmds; c->name; c++)
		if (strcmp(argv[1], c->name) == 0) {
			/* getopt names the command in its messages:
			 * "msgtrail ingest: unrecognized option '--x'" */
			static char name[64];

			snprintf(name, sizeof(name), "msgtrail %s", c->name);
			argv[1] = name;
			return c->fn(argc - 1, argv + 1);
		}
	mt_warnx("unknown command '%s' (try 'msgtrail --help')", argv[1]);
	return EXIT_USAGE;
}

/* cli_usage_error - report a usage error for cmd */
int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "msgtrail %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(try 'msgtrail %s --help')\n", cmd);
	return EXIT_USAGE;
}

/* cli_bad_option - getopt has said what was wrong; say where to look */
int
cli_bad_option(const char *cmd)
{
	fprintf(stderr, "(try 'msgtrail %s --help')\n", cmd);
	return EXIT_USAGE;
}

/* mkdirs - mkdir -p for the default store's directory */
static int
mkdirs(const char *dir)
{
	char buf[PATH_MAX];
	char *s;

	if (strlen(dir) >= sizeof(buf))
		return -1;
	strcpy(buf, dir);
	for (s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	if (mkdir(buf, 0700) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* cli_db_path - the store path from the option, environment or default */
const char *
cli_db_path(const char *opt, int create)
{
	static char path[PATH_MAX];
	const char *env, *home;
	int n;

	if (opt != NULL)
		return opt;
	env = getenv("MSGTRAIL_DB");
	if (env != NULL && *env != '\0')
		return env;
	env = getenv("XDG_DATA_HOME");
	if (env != NULL && *env == '/')
		n = snprintf(path, sizeof(path), "%s/msgtrail", env);
	else {
		home = getenv("HOME");
		n = snprintf(path, sizeof(path), "%s/.local/share/msgtrail",
		    home && *home ? home : ".");
	}
	if (n < 0 || (size_t)n >= sizeof(path) - 16)
		mt_fatalx("store path too long");
	if (create && mkdirs(path) != 0)
		mt_warn("%s", path);
	strcat(path, "/msgtrail.db");
	return path;
}

/* cli_set_tz - apply --tz ZONE after checking that the zone exists */
int
cli_set_tz(const char *zone)
{
	char path[PATH_MAX];
	struct stat st;
	const char *dir = getenv("TZDIR");

	if (zone == NULL)
		return 0;
	if (*zone == '\0' || strstr(zone, "..") != NULL) {
		mt_warnx("--tz: bad time zone '%s'", zone);
		return -1;
	}
	if (strcmp(zone, "UTC") != 0 && strcmp(zone, "GMT") != 0 &&
	    zone[0] != '<' && !(zone[0] >= 'A' && zone[0] <= 'Z' &&
	    strpbrk(zone, "+-0123456789") != NULL && strchr(zone, '/') == NULL)) {
		snprintf(path, sizeof(path), "%s/%s",
		    dir ? dir : "/usr/share/zoneinfo", zone[0] == ':' ? zone + 1 : zone);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			mt_warnx("--tz: unknown time zone '%s' (no %s)", zone, path);
			return -1;
		}
	}
	if (setenv("TZ", zone, 1) != 0) {
		mt_warn("setenv TZ");
		return -1;
	}
	tzset();
	return 0;
}

/* cli_time - parse a time option */
int
cli_time(const char *cmd, const char *opt, const char *arg, int64_t *us)
{
	if (mt_time_arg(arg, us) != 0) {
		cli_usage_error(cmd, "%s: bad time '%s' (want YYYY-MM-DD or "
		    "an RFC 3339 time such as 2026-11-02T09:15:00Z)", opt, arg);
		return -1;
	}
	return 0;
}

/* cli_parse_year - --year YYYY */
int
cli_parse_year(const char *s, int *year)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end != '\0' || end == s || v < 1970 || v > 9999)
		return -1;
	*year = (int)v;
	return 0;
}

/* cli_add - append s to a list */
void
cli_add(const char ***list, size_t *n, const char *s)
{
	*list = mt_reallocarray(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = s;
}

/* cli_load_rules - built-in rules, the rules directory, then --rules */
int
cli_load_rules(struct cli_env *env)
{
	const char *dir = getenv("MSGTRAIL_RULES_DIR");
	size_t i;

	env->rs = mt_rules_new();
	if (mt_rules_add_defaults(env->rs) != 0)
		return -1;
	if (dir == NULL)
		dir = MT_SYSCONFDIR "/msgtrail/rules.d";
	if (*dir != '\0' && mt_rules_load_dir(env->rs, dir) != 0)
		return -1;
	for (i = 0; i < env->nrules; i++)
		if (mt_rules_load_file(env->rs, env->rules[i]) != 0)
			return -1;
	return 0;
}

/* cli_parser_cfg - the parser configuration of this run */
void
cli_parser_cfg(const struct cli_env *env, struct mt_parser_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->year = env->year;
	cfg->rules = env->rs;
	if (env->nsmarthosts > 0) {
		cfg->smarthosts = env->smarthosts;
		cfg->nsmarthosts = env->nsmarthosts;
	}
}

/* cli_env_free - release what the options collected */
void
cli_env_free(struct cli_env *env)
{
	free(env->rules);
	free(env->smarthosts);
	mt_rules_free(env->rs);
	memset(env, 0, sizeof(*env));
}

/* cli_close_stdout - make sure everything written reached its destination */
int
cli_close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		mt_warn("write error on standard output");
		return EXIT_SYSTEM;
	}
	return EXIT_OK;
}
