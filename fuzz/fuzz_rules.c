/*
 * fuzz_rules.c - libFuzzer: the rules-file loader
 *
 * Arbitrary rules text must load or be refused with a message, never
 * crash; whatever loads is run over the input's own lines.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mt_event.h"
#include "mt_msg.h"
#include "mt_parser.h"
#include "mt_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one fuzz case */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_parser_cfg cfg;
	struct mt_rules *r;
	struct mt_parser *p;
	struct mt_event ev;
	const char *s = (const char *)data, *nl;
	size_t off = 0, len;

	mt_msg_set_verbosity(0);
	r = mt_rules_new();
	if (mt_rules_load_text(r, "fuzz", s, size) == 0) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.rules = r;
		p = mt_parser_new(&cfg);
		while (off < size) {
			nl = memchr(s + off, '\n', size - off);
			len = nl ? (size_t)(nl - (s + off)) : size - off;
			if (mt_parser_push(p, MT_FMT_APP, s + off, len, 1) > 0)
				while (mt_parser_next(p, &ev) == 1)
					;
			off += len + 1;
		}
		mt_parser_free(p);
	}
	mt_rules_free(r);
	return 0;
}
