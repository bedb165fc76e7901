/*
 * cmd_trace.c - msgtrail trace: one message's journey by any identifier
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mt_ix.h"
#include "mt_msg.h"
#include "mt_q.h"
#include "mt_rules.h"

/* usage - trace's help */
static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: msgtrail trace [--db PATH] [--json] [--since T] [--until T]\n"
	    "                      [--color WHEN] [--rules FILE]... [--smarthost PATTERN]...\n"
	    "                      [--max N] ID\n\n"
	    "Show every message matching ID across the application, relay, provider and\n"
	    "recipient stages, with a verdict per recipient.  ID is any identifier: a\n"
	    "Message-ID (with or without <>), a relay queue ID, a provider message ID, a\n"
	    "provider request ID, or a recipient address (every message to it, newest\n"
	    "first).\n\n"
	    "  --db PATH           store (default: $MSGTRAIL_DB, else ~/.local/share/msgtrail/msgtrail.db)\n"
	    "  --json              one JSON object (see msgtrail(1) for the fields)\n"
	    "  --since T, --until T  only messages with events in this window\n"
	    "                      (YYYY-MM-DD or an RFC 3339 time)\n"
	    "  --color WHEN        auto (default: on a terminal, unless NO_COLOR), always, never\n"
	    "  --rules FILE        application-log rules used at ingest (repeatable)\n"
	    "  --smarthost PATTERN relay host of a sending provider (repeatable)\n"
	    "  --max N             at most N messages (default 100)\n\n"
	    "Exit status: 0 found, 1 not found, 2 usage, 4 store error.\n");
}

/* cmd_trace - msgtrail trace */
int
cmd_trace(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "color", required_argument, NULL, 'c' },
		{ "colour", required_argument, NULL, 'c' },
		{ "rules", required_argument, NULL, 'r' },
		{ "smarthost", required_argument, NULL, 'H' },
		{ "max", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli_env env;
	struct mt_q_opts qo;
	struct mt_parser_cfg pcfg;
	struct mt_ix *ix = NULL;
	struct mt_q *q = NULL;
	struct mt_trace *t = NULL;
	const char *dbopt = NULL, *color = "auto";
	int ch, json = 0, rc = EXIT_SYSTEM, use_color, verbosity = 1;
	char *end;
	long max;

	memset(&env, 0, sizeof(env));
	memset(&qo, 0, sizeof(qo));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:jqvh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': dbopt = optarg; break;
		case 'j': json = 1; break;
		case 'S':
			if (cli_time("trace", "--since", optarg, &qo.since) != 0)
				goto usage;
			break;
		case 'U':
			if (cli_time("trace", "--until", optarg, &qo.until) != 0)
				goto usage;
			break;
		case 'c':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never")) {
				cli_usage_error("trace", "--color: want auto, "
				    "always or never, not '%s'", optarg);
				goto usage;
			}
			color = optarg;
			break;
		case 'r': cli_add(&env.rules, &env.nrules, optarg); break;
		case 'H': cli_add(&env.smarthosts, &env.nsmarthosts, optarg); break;
		case 'm':
			max = strtol(optarg, &end, 10);
			if (*end != '\0' || end == optarg || max < 1 || max > 100000) {
				cli_usage_error("trace", "--max: want 1..100000, "
				    "not '%s'", optarg);
				goto usage;
			}
			qo.max_messages = (size_t)max;
			break;
		case 'q': verbosity = 0; break;
		case 'v': verbosity++; break;
		case 'h':
			usage(stdout);
			cli_env_free(&env);
			return cli_close_stdout();
		default:
			cli_bad_option("trace");
			goto usage;
		}
	}
	if (argc - optind != 1) {
		cli_usage_error("trace", argc - optind == 0 ? "no ID given" :
		    "one ID at a time");
		goto usage;
	}
	if (qo.since && qo.until && qo.since > qo.until) {
		cli_usage_error("trace", "--since is after --until");
		goto usage;
	}
	mt_msg_set_verbosity(verbosity);
	if (cli_load_rules(&env) != 0)
		goto usage;
	if (mt_ix_open(cli_db_path(dbopt, 0), MT_IX_RDONLY | MT_IX_SNAPSHOT,
	    &ix) != 0)
		goto out;
	cli_parser_cfg(&env, &pcfg);
	q = mt_q_new(ix, &pcfg, &qo);
	if (mt_q_trace(q, argv[optind], &t) != 0)
		goto out;
	use_color = strcmp(color, "always") == 0 || (strcmp(color, "auto") == 0 &&
	    isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL);
	if (json) {
		if (mt_trace_print_json(t, stdout) != 0)
			goto out;
	} else if (mt_trace_count(t) > 0 &&
	    mt_trace_print_text(t, stdout, use_color) != 0)
		goto out;
	if (mt_trace_count(t) == 0) {
		mt_note("%s: no message found", argv[optind]);
		rc = EXIT_NOTFOUND;
	} else
		rc = EXIT_OK;
out:
	mt_trace_free(t);
	mt_q_free(q);
	mt_ix_close(ix);
	cli_env_free(&env);
	ch = cli_close_stdout();
	return rc == EXIT_OK ? ch : rc;
usage:
	cli_env_free(&env);
	return EXIT_USAGE;
}
