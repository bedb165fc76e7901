/*
 * fuzz_parser.c - libFuzzer: every line format through the dispatcher
 *
 * The input is split into lines; each is pushed with format detection
 * (syslog envelope, Postfix, sendmail, application rules, JSON) and again
 * as each stored format, as the query side does.  Events are drained and
 * their keys computed, and the ends of every span are read.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mt_event.h"
#include "mt_msg.h"
#include "mt_parser.h"
#include "mt_rules.h"

#include "fz_touch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mt_rules *fz_rules;

/* drain - consume and check the events of the last push */
static void
drain(struct mt_parser *p)
{
	struct mt_event ev;
	volatile size_t sum = 0;

	while (mt_parser_next(p, &ev) == 1)
		sum += fz_touch(&ev);
	(void)sum;
}

/* LLVMFuzzerTestOneInput - one fuzz case */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_parser_cfg cfg;
	struct mt_parser *p;
	const char *s = (const char *)data, *nl;
	size_t off = 0, len;
	unsigned long line = 0;
	int f;

	if (fz_rules == NULL) {
		mt_msg_set_verbosity(0);
		fz_rules = mt_rules_new();
		if (mt_rules_add_defaults(fz_rules) != 0)
			return 0;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.rules = fz_rules;
	p = mt_parser_new(&cfg);
	mt_parser_set_input(p, "fuzz", 1762000000);
	while (off < size) {
		nl = memchr(s + off, '\n', size - off);
		len = nl ? (size_t)(nl - (s + off)) : size - off;
		line++;
		if (mt_parser_push(p, MT_FMT_AUTO, s + off, len, line) > 0)
			drain(p);
		for (f = MT_FMT_SYSLOG; f <= MT_FMT_APP; f++) {
			mt_parser_set_time(p, 1762074901000000LL);
			if (mt_parser_push(p, (enum mt_fmt)f, s + off, len, line) > 0)
				drain(p);
			mt_parser_set_time(p, 0);
		}
		off += len + 1;
	}
	mt_parser_free(p);
	return 0;
}
