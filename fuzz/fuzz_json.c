/*
 * fuzz_json.c - libFuzzer: the JSON stream reader and the provider parser
 *
 * The input is written to a memory file and read through mt_in exactly as
 * ingest reads a file (framing of NDJSON, arrays, concatenated and
 * pretty-printed objects, limits), and each value is parsed.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mt_event.h"
#include "mt_in.h"
#include "mt_msg.h"
#include "mt_parser.h"

#include "fz_touch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one fuzz case */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_parser_cfg cfg;
	struct mt_parser *p;
	struct mt_in *in;
	struct mt_event ev;
	const char *rec;
	size_t len;
	unsigned long line;
	char path[64];
	uint64_t fp;
	uint32_t fplen;
	int fd;
	volatile size_t sum = 0;

	mt_msg_set_verbosity(0);
	fd = memfd_create("fuzz", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(&cfg, 0, sizeof(cfg));
	p = mt_parser_new(&cfg);
	if (mt_in_open(path, &in) == 0) {
		/* odd sizes: a complete file; even: an unfinished tail held */
		mt_in_set_final(in, size & 1);
		if (mt_in_fingerprint(in, &fp, &fplen) == 0)
			while (mt_in_next(in, &rec, &len, &line) == 1)
				if (mt_parser_push(p, MT_FMT_AUTO, rec, len, line) > 0)
					while (mt_parser_next(p, &ev) == 1)
						sum += fz_touch(&ev);
		mt_in_close(in);
	}
	mt_parser_free(p);
	close(fd);
	(void)sum;
	return 0;
}
