/*
 * cli.h - the msgtrail command line: subcommands and shared helpers
 *
 * Exit status (documented in msgtrail(1)): 0 ok, 1 message not found,
 * 2 usage or configuration error, 3 input errors under --strict,
 * 4 system or store error.
 */
#ifndef CLI_H
#define CLI_H

#include <stdint.h>
#include <stdio.h>

#include "mt_parser.h"

#define EXIT_OK		0
#define EXIT_NOTFOUND	1
#define EXIT_USAGE	2
#define EXIT_INPUT	3
#define EXIT_SYSTEM	4

struct mt_rules;

/* Options shared by the subcommands that read rules and the store. */
struct cli_env {
	const char *db;			/* --db, MSGTRAIL_DB, or the default */
	const char **rules;		/* --rules FILE (repeatable) */
	size_t	 nrules;
	const char **smarthosts;	/* --smarthost PATTERN (repeatable) */
	size_t	 nsmarthosts;
	int	 year;
	struct mt_rules *rs;		/* loaded rules */
};

int	cmd_ingest(int argc, char **argv);
int	cmd_trace(int argc, char **argv);
int	cmd_prune(int argc, char **argv);
int	cmd_export(int argc, char **argv);
int	cmd_summary(int argc, char **argv);
int	cmd_stats(int argc, char **argv);

/* cli_usage_error - "msgtrail CMD: text" plus a pointer to --help; returns 2 */
int	cli_usage_error(const char *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* cli_bad_option - after getopt's own message: where to look; returns 2 */
int	cli_bad_option(const char *cmd);
/* cli_db_path - --db, else $MSGTRAIL_DB, else the default (creating its directory) */
const char *cli_db_path(const char *opt, int create);
/* cli_set_tz - validate and apply --tz; 0 or -1 (reported) */
int	cli_set_tz(const char *zone);
/* cli_time - parse --since/--until/--before; 0 or -1 (reported) */
int	cli_time(const char *cmd, const char *opt, const char *arg, int64_t *us);
/* cli_load_rules - defaults, the rules directory, then --rules files */
int	cli_load_rules(struct cli_env *env);
/* cli_parser_cfg - parser configuration from env */
void	cli_parser_cfg(const struct cli_env *env, struct mt_parser_cfg *cfg);
void	cli_env_free(struct cli_env *env);
/* cli_add - append to a growable argument list */
void	cli_add(const char ***list, size_t *n, const char *s);
/* cli_close_stdout - flush and check stdout; 0 or EXIT_SYSTEM */
int	cli_close_stdout(void);
/* cli_parse_year - --year YYYY; 0 or -1 */
int	cli_parse_year(const char *s, int *year);

#endif
