/*
 * mt_msg.h - diagnostics
 *
 * Every message goes to one stream (stderr unless mt_msg_set_stream says
 * otherwise) as "progname: text".  Input problems are reported with
 * mt_msg_input() as "progname: file:line: text".  mt_warn and mt_fatal
 * append strerror(errno); the ...x variants do not.  mt_fatal and
 * mt_fatalx are for the CLI only; library code returns errors instead.
 *
 * This module holds the program's only global state: the program name,
 * the verbosity and the output stream.  Single-threaded.
 */
#ifndef MT_MSG_H
#define MT_MSG_H

#include <stdio.h>
#include "mt_err.h"

/* Verbosity: 0 = quiet (errors only), 1 = normal, 2+ = verbose. */
void	mt_msg_init(const char *progname);
void	mt_msg_set_stream(FILE *fp);
void	mt_msg_set_verbosity(int level);
int	mt_msg_verbosity(void);
const char *mt_msg_progname(void);

void	mt_info(const char *fmt, ...) MT_PRINTF(1, 2);	/* verbosity >= 2 */
void	mt_note(const char *fmt, ...) MT_PRINTF(1, 2);	/* verbosity >= 1 */
void	mt_warn(const char *fmt, ...) MT_PRINTF(1, 2);
void	mt_warnx(const char *fmt, ...) MT_PRINTF(1, 2);
void	mt_fatal(const char *fmt, ...) MT_PRINTF(1, 2) MT_NORETURN;
void	mt_fatalx(const char *fmt, ...) MT_PRINTF(1, 2) MT_NORETURN;
void	mt_panic(const char *fmt, ...) MT_PRINTF(1, 2) MT_NORETURN;

/* mt_msg_input - "file:line: text", always shown unless verbosity is 0. */
void	mt_msg_input(const char *file, unsigned long line, const char *fmt, ...)
	    MT_PRINTF(3, 4);

/*
 * Per-input warning cap: after mt_msg_input_begin(limit), only the first
 * limit input messages are shown; mt_msg_input_end returns how many more
 * were suppressed (the caller prints one summary line).
 */
void	mt_msg_input_begin(unsigned long limit);
unsigned long mt_msg_input_end(void);
unsigned long mt_msg_input_count(void);	/* input messages since begin */

/* Exit status used by mt_fatal/mt_fatalx (the CLI's "system error"). */
#define MT_EXIT_FATAL 4

#endif
