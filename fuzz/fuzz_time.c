/*
 * fuzz_time.c - libFuzzer: timestamp parsers and the syslog envelope
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mt_sl.h"
#include "mt_time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one fuzz case */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_time_ctx tc;
	struct mt_sl env;
	const char *s = (const char *)data;
	char buf[MT_TIME_BUFSZ], arg[256];
	int64_t us;
	size_t used;

	mt_time_ctx_init(&tc, 0, 1762000000);
	if (mt_time_syslog(&tc, s, size, &us, &used) == 0)
		mt_time_format(us, buf);
	if (mt_time_iso(s, size, &us, &used) == 0)
		mt_time_format(us, buf);
	if (mt_sl_parse(&tc, s, size, &env) == 0)
		mt_time_format(env.time, buf);
	if (size < sizeof(arg)) {
		memcpy(arg, s, size);
		arg[size] = '\0';
		if (mt_time_arg(arg, &us) == 0)
			mt_time_format(us, buf);
		if (mt_time_duration_before(1762074901000000LL, arg, &us) == 0)
			mt_time_format(us, buf);
	}
	return 0;
}
