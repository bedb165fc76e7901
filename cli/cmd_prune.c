/*
 * cmd_prune.c - msgtrail prune: the retention job, and msgtrail stats
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "mt_event.h"
#include "mt_ix.h"
#include "mt_msg.h"
#include "mt_parser.h"
#include "mt_time.h"

#define PRUNE_DEFAULT_KEEP "2m"

/* usage - prune's help */
static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: msgtrail prune [--db PATH] [--keep DURATION | --before TIME] [--dry-run]\n"
	    "                      [--rules FILE]... [-q | -v]\n\n"
	    "Delete every record whose event time is before the cutoff: by default two\n"
	    "calendar months before now.  Deleted data is overwritten and the space\n"
	    "returned.  Prints one summary line; safe to run while ingest and trace run,\n"
	    "and safe to interrupt (the next run finishes the job).\n\n"
	    "  --keep DURATION   keep this much history: N followed by s, min, h, d, w,\n"
	    "                    m (calendar months) or y; default 2m\n"
	    "  --before TIME     delete records before TIME (YYYY-MM-DD or RFC 3339)\n"
	    "  --dry-run         say what would be deleted, delete nothing\n"
	    "  --rules FILE      application-log rules used at ingest (repeatable)\n"
	    "  -q, --quiet       print nothing unless something fails\n"
	    "  -v, --verbose     more detail\n");
}

/* prune_keys - keys of a stored record, for blocks rewritten at the cutoff */
static size_t
prune_keys(void *arg, int64_t time, unsigned fmt, const char *rec, size_t n,
    uint64_t *keys, size_t max)
{
	struct mt_parser *p = arg;

	mt_parser_set_time(p, time);
	if (mt_parser_push(p, (enum mt_fmt)fmt, rec, n, 0) <= 0)
		return 0;
	return mt_parser_keys(p, keys, max);
}

/* cmd_prune - msgtrail prune */
int
cmd_prune(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "keep", required_argument, NULL, 'k' },
		{ "before", required_argument, NULL, 'b' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "rules", required_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli_env env;
	struct mt_parser_cfg pcfg;
	struct mt_parser *p = NULL;
	struct mt_ix *ix = NULL;
	struct mt_ix_prune_stats st;
	struct timespec t0, t1;
	const char *dbopt = NULL, *keep = NULL, *before = NULL;
	char tbuf[MT_TIME_BUFSZ];
	int64_t cutoff;
	int ch, dry = 0, verbosity = 1, rc = EXIT_SYSTEM;

	memset(&env, 0, sizeof(env));
	memset(&st, 0, sizeof(st));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:nqvh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'k': keep = optarg; break;
		case 'b': before = optarg; break;
		case 'n': dry = 1; break;
		case 'r': cli_add(&env.rules, &env.nrules, optarg); break;
		case 'q': verbosity = 0; break;
		case 'v': verbosity++; break;
		case 'h':
			usage(stdout);
			cli_env_free(&env);
			return cli_close_stdout();
		default:
			cli_env_free(&env);
			return cli_bad_option("prune");
		}
	}
	if (optind != argc) {
		cli_env_free(&env);
		return cli_usage_error("prune", "unexpected argument '%s'",
		    argv[optind]);
	}
	if (keep && before) {
		cli_env_free(&env);
		return cli_usage_error("prune", "--keep and --before exclude each other");
	}
	if (before) {
		if (cli_time("prune", "--before", before, &cutoff) != 0) {
			cli_env_free(&env);
			return EXIT_USAGE;
		}
	} else if (mt_time_duration_before(mt_time_now(),
	    keep ? keep : PRUNE_DEFAULT_KEEP, &cutoff) != 0) {
		cli_env_free(&env);
		return cli_usage_error("prune", "--keep: bad duration '%s' (want "
		    "e.g. 60d, 8w, 2m)", keep);
	}
	mt_msg_set_verbosity(verbosity);
	if (cli_load_rules(&env) != 0) {
		cli_env_free(&env);
		return EXIT_USAGE;
	}
	if (mt_ix_open(cli_db_path(dbopt, 0), 0, &ix) != 0)
		goto out;
	cli_parser_cfg(&env, &pcfg);
	p = mt_parser_new(&pcfg);
	mt_time_format(cutoff, tbuf);
	mt_info("pruning records before %s", tbuf);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (mt_ix_prune(ix, cutoff, dry, prune_keys, p, &st) != 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (verbosity >= 1)
		printf("%s %llu records (%llu blocks, %llu bytes) before %s "
		    "in %.2f s; store %llu -> %llu bytes\n",
		    dry ? "would prune" : "pruned",
		    (unsigned long long)st.records,
		    (unsigned long long)st.blocks,
		    (unsigned long long)st.bytes, tbuf,
		    (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		    (unsigned long long)st.db_before,
		    (unsigned long long)st.db_after);
	rc = EXIT_OK;
out:
	mt_parser_free(p);
	mt_ix_close(ix);
	cli_env_free(&env);
	ch = cli_close_stdout();
	return rc == EXIT_OK ? ch : rc;
}

/* cmd_stats - msgtrail stats: what the store holds */
int
cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct mt_ix *ix = NULL;
	struct mt_ix_stats st;
	const char *dbopt = NULL;
	char a[MT_TIME_BUFSZ], b[MT_TIME_BUFSZ];
	char ja[MT_TIME_BUFSZ + 2], jb[MT_TIME_BUFSZ + 2];
	int ch, json = 0, rc = EXIT_SYSTEM;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:jh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'j': json = 1; break;
		case 'h':
			printf("usage: msgtrail stats [--db PATH] [--json]\n\n"
			    "Describe the store: records, blocks, keys, sizes, time span.\n");
			return cli_close_stdout();
		default:
			return cli_bad_option("stats");
		}
	}
	if (optind != argc)
		return cli_usage_error("stats", "unexpected argument '%s'",
		    argv[optind]);
	if (mt_ix_open(cli_db_path(dbopt, 0), MT_IX_RDONLY, &ix) != 0)
		goto out;
	if (mt_ix_stats(ix, &st) != 0)
		goto out;
	/* an empty store has no time span: "-" (JSON null), not the epoch */
	strcpy(a, "-");
	strcpy(b, "-");
	strcpy(ja, "null");
	strcpy(jb, "null");
	if (st.records > 0) {
		mt_time_format(st.tmin, a);
		mt_time_format(st.tmax, b);
		snprintf(ja, sizeof(ja), "\"%s\"", a);
		snprintf(jb, sizeof(jb), "\"%s\"", b);
	}
	if (json)
		printf("{\"records\": %llu, \"blocks\": %llu, \"keys\": %llu, "
		    "\"raw_bytes\": %llu, \"compressed_bytes\": %llu, "
		    "\"files\": %llu, \"db_bytes\": %llu, \"first\": %s, "
		    "\"last\": %s}\n",
		    (unsigned long long)st.records, (unsigned long long)st.blocks,
		    (unsigned long long)st.keys, (unsigned long long)st.raw_bytes,
		    (unsigned long long)st.comp_bytes, (unsigned long long)st.files,
		    (unsigned long long)st.db_bytes, ja, jb);
	else
		printf("store:      %s\nrecords:    %llu\nblocks:     %llu\n"
		    "keys:       %llu\nraw:        %llu bytes\n"
		    "compressed: %llu bytes\nfile size:  %llu bytes\n"
		    "inputs:     %llu\nfirst:      %s\nlast:       %s\n",
		    mt_ix_path(ix), (unsigned long long)st.records,
		    (unsigned long long)st.blocks, (unsigned long long)st.keys,
		    (unsigned long long)st.raw_bytes,
		    (unsigned long long)st.comp_bytes,
		    (unsigned long long)st.db_bytes, (unsigned long long)st.files,
		    a, b);
	rc = EXIT_OK;
out:
	mt_ix_close(ix);
	ch = cli_close_stdout();
	return rc == EXIT_OK ? ch : rc;
}
