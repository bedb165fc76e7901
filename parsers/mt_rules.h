/*
 * mt_rules.h - application-log rules: PCRE2 patterns with named groups
 *
 * A rule set is a list of rules, each a PCRE2 pattern whose named groups
 * (time, message_id, provider_id, request_id, recipient, sender, status,
 * error, dsn, class) say which event fields a match provides, an event
 * word (submitted, failed, other) and an optional failure class.  The
 * file format is described in doc/rules.md.  The application parser
 * (mt_app_ops) runs every rule over a line; see mt_rules.c.
 *
 * Rules come from the built-in defaults (mt_rules_add_defaults), files
 * and a directory of *.rules files.  A rule with the name of an earlier
 * one replaces it; the event word "off" removes it.  User rules are tried
 * before the defaults.  Patterns are compiled once (JIT when available).
 *
 * Errors: the load functions report problems as "path:line: reason" and
 * return -MT_ERR_INPUT (bad rule) or -MT_ERR_IO (unreadable file); the
 * rule set keeps the rules loaded before the failing line.
 *
 * Ownership: the rule set owns its compiled patterns; parsers borrow it
 * (it must outlive them) and never change it.  Single-threaded.
 */
#ifndef MT_RULES_H
#define MT_RULES_H

#include <stddef.h>
#include "mt_err.h"

#define MT_RULES_LINE_MAX	4096	/* longest line in a rules file */
#define MT_RULES_MAX		1024	/* rules in one set */
#define MT_RULES_MATCH_LIMIT	100000	/* PCRE2 match limit per rule */
#define MT_RULES_DEPTH_LIMIT	1000	/* PCRE2 depth limit per rule */

struct mt_rules;

/* mt_rules_new - an empty rule set */
struct mt_rules *mt_rules_new(void);

/* mt_rules_add_defaults - add the shipped rules (mt_rules_default.h) */
int	mt_rules_add_defaults(struct mt_rules *r) MT_WUR;

/* mt_rules_load_file - add the rules of one file */
int	mt_rules_load_file(struct mt_rules *r, const char *path) MT_WUR;

/* mt_rules_load_dir - every *.rules file of dir in name order; a missing
 * dir is fine (returns 0) */
int	mt_rules_load_dir(struct mt_rules *r, const char *dir) MT_WUR;

/* mt_rules_load_text - add rules from a string; name is used in messages */
int	mt_rules_load_text(struct mt_rules *r, const char *name,
	    const char *text, size_t len) MT_WUR;

/* mt_rules_count - number of rules in the set */
size_t	mt_rules_count(const struct mt_rules *r);

/* mt_rules_free - release the set; accepts NULL */
void	mt_rules_free(struct mt_rules *r);

#endif
