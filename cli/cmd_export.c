/*
 * cmd_export.c - msgtrail export failures (CSV) and msgtrail summary
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mt_ix.h"
#include "mt_msg.h"
#include "mt_q.h"

/* export_usage - export's help */
static void
export_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: msgtrail export failures [--db PATH] [--since T] [--until T]\n"
	    "                                [--summary] [--raw] [-o FILE]\n\n"
	    "Write CSV (RFC 4180) of every recipient whose outcome in the window is\n"
	    "bounced, dropped, failed or deferred; with --summary, one row per\n"
	    "(domain, stage, class, outcome) with counts.  Fields that a spreadsheet\n"
	    "would run as a formula (starting with = + - @ TAB CR) get a leading '.\n\n"
	    "  --since T, --until T  window (YYYY-MM-DD or RFC 3339)\n"
	    "  --summary         aggregate rows\n"
	    "  --raw             no formula-injection guard\n"
	    "  -o FILE           write to FILE instead of standard output\n"
	    "  --rules FILE      application-log rules used at ingest (repeatable)\n");
}

/* summary_usage - summary's help */
static void
summary_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: msgtrail summary [--db PATH] [--since T] [--until T] [--json]\n\n"
	    "Totals for a period: messages received; recipients delivered, deferred,\n"
	    "bounced, rejected, per stage; top failing domains, failure classes and\n"
	    "relays.\n");
}

/* report_cmd - shared body of export and summary */
static int
report_cmd(const char *cmd, int argc, char **argv, int is_export)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "summary", no_argument, NULL, 's' },
		{ "raw", no_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "rules", required_argument, NULL, 'r' },
		{ "smarthost", required_argument, NULL, 'H' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli_env env;
	struct mt_q_opts qo;
	struct mt_parser_cfg pcfg;
	struct mt_ix *ix = NULL;
	struct mt_q *q = NULL;
	const char *dbopt = NULL, *outpath = NULL;
	FILE *fp = stdout;
	int ch, flags = 0, json = 0, rc = EXIT_SYSTEM;

	memset(&env, 0, sizeof(env));
	memset(&qo, 0, sizeof(qo));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:o:qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'S':
			if (cli_time(cmd, "--since", optarg, &qo.since) != 0)
				goto usage;
			break;
		case 'U':
			if (cli_time(cmd, "--until", optarg, &qo.until) != 0)
				goto usage;
			break;
		case 's':
		case 'R':
		case 'o':
			if (!is_export) {
				cli_usage_error(cmd, "%s: not an option of "
				    "this command", argv[optind - 1]);
				goto usage;
			}
			if (ch == 's')
				flags |= MT_CSV_SUMMARY;
			else if (ch == 'R')
				flags |= MT_CSV_RAW;
			else
				outpath = optarg;
			break;
		case 'j':
			if (is_export) {
				cli_usage_error(cmd, "%s: not an option of "
				    "this command", argv[optind - 1]);
				goto usage;
			}
			json = 1;
			break;
		case 'r': cli_add(&env.rules, &env.nrules, optarg); break;
		case 'H': cli_add(&env.smarthosts, &env.nsmarthosts, optarg); break;
		case 'q': mt_msg_set_verbosity(0); break;
		case 'h':
			if (is_export)
				export_usage(stdout);
			else
				summary_usage(stdout);
			cli_env_free(&env);
			return cli_close_stdout();
		default:
			cli_bad_option(cmd);
			goto usage;
		}
	}
	if (optind != argc) {
		cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
		goto usage;
	}
	if (qo.since && qo.until && qo.since > qo.until) {
		cli_usage_error(cmd, "--since is after --until");
		goto usage;
	}
	if (cli_load_rules(&env) != 0)
		goto usage;
	if (mt_ix_open(cli_db_path(dbopt, 0), MT_IX_RDONLY, &ix) != 0)
		goto out;
	if (outpath != NULL && (fp = fopen(outpath, "w")) == NULL) {
		mt_warn("%s", outpath);
		fp = stdout;
		goto out;
	}
	cli_parser_cfg(&env, &pcfg);
	q = mt_q_new(ix, &pcfg, &qo);
	if (is_export ? mt_q_export_failures(q, fp, flags) != 0 :
	    mt_q_summary(q, fp, json) != 0)
		goto out;
	rc = EXIT_OK;
out:
	if (fp != stdout) {
		if (fclose(fp) != 0) {
			mt_warn("%s", outpath);
			rc = EXIT_SYSTEM;
		}
	}
	mt_q_free(q);
	mt_ix_close(ix);
	cli_env_free(&env);
	if (rc != EXIT_OK)
		return rc;	/* reported, a write error too */
	return cli_close_stdout();
usage:
	cli_env_free(&env);
	return EXIT_USAGE;
}

/* cmd_export - msgtrail export failures */
int
cmd_export(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		export_usage(stdout);
		return cli_close_stdout();
	}
	if (argc < 2 || strcmp(argv[1], "failures") != 0)
		return cli_usage_error("export", "want 'export failures'");
	argv[1] = argv[0];	/* getopt's messages: "msgtrail export: ..." */
	return report_cmd("export", argc - 1, argv + 1, 1);
}

/* cmd_summary - msgtrail summary */
int
cmd_summary(int argc, char **argv)
{
	return report_cmd("summary", argc, argv, 0);
}
