/*
 * mt_msg.c - diagnostics; see mt_msg.h
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mt_msg.h"

static const char *msg_progname = "msgtrail";
static FILE *msg_stream;
static int msg_verbosity = 1;
static unsigned long msg_input_limit;	/* 0 = no limit */
static unsigned long msg_input_count;
/* input messages may come from the query's parser threads */
static pthread_mutex_t msg_input_mu = PTHREAD_MUTEX_INITIALIZER;

/* mt_msg_init - set the program name shown in every message */
void
mt_msg_init(const char *progname)
{
	const char *slash;

	if (progname == NULL)
		return;
	slash = strrchr(progname, '/');
	msg_progname = slash ? slash + 1 : progname;
}

/* mt_msg_set_stream - redirect diagnostics (tests capture them) */
void
mt_msg_set_stream(FILE *fp)
{
	msg_stream = fp;
}

/* mt_msg_set_verbosity - 0 quiet, 1 normal, 2+ verbose */
void
mt_msg_set_verbosity(int level)
{
	msg_verbosity = level;
}

/* mt_msg_verbosity - current level */
int
mt_msg_verbosity(void)
{
	return msg_verbosity;
}

/* mt_msg_progname - name used as prefix */
const char *
mt_msg_progname(void)
{
	return msg_progname;
}

/* msg_vprint - the one place that writes a diagnostic */
static void msg_vprint(const char *, int, const char *, va_list)
    MT_PRINTF(3, 0);

static void
msg_vprint(const char *prefix, int errnum, const char *fmt, va_list ap)
{
	FILE *fp = msg_stream ? msg_stream : stderr;

	fprintf(fp, "%s: ", msg_progname);
	if (prefix)
		fputs(prefix, fp);
	vfprintf(fp, fmt, ap);
	if (errnum)
		fprintf(fp, ": %s", strerror(errnum));
	fputc('\n', fp);
	fflush(fp);
}

/* mt_info - verbose-only information */
void
mt_info(const char *fmt, ...)
{
	va_list ap;

	if (msg_verbosity < 2)
		return;
	va_start(ap, fmt);
	msg_vprint(NULL, 0, fmt, ap);
	va_end(ap);
}

/* mt_note - normal information, silenced by -q */
void
mt_note(const char *fmt, ...)
{
	va_list ap;

	if (msg_verbosity < 1)
		return;
	va_start(ap, fmt);
	msg_vprint(NULL, 0, fmt, ap);
	va_end(ap);
}

/* mt_warn - warning with strerror(errno) */
void
mt_warn(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	msg_vprint(NULL, saved, fmt, ap);
	va_end(ap);
}

/* mt_warnx - warning */
void
mt_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprint(NULL, 0, fmt, ap);
	va_end(ap);
}

/* mt_fatal - report with strerror(errno) and exit */
void
mt_fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	msg_vprint(NULL, saved, fmt, ap);
	va_end(ap);
	exit(MT_EXIT_FATAL);
}

/* mt_fatalx - report and exit */
void
mt_fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprint(NULL, 0, fmt, ap);
	va_end(ap);
	exit(MT_EXIT_FATAL);
}

/* mt_panic - a broken invariant: report and abort */
void
mt_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprint("panic: ", 0, fmt, ap);
	va_end(ap);
	abort();
}

/* mt_msg_input - "file:line: text" for malformed input */
void
mt_msg_input(const char *file, unsigned long line, const char *fmt, ...)
{
	FILE *fp = msg_stream ? msg_stream : stderr;
	va_list ap;

	pthread_mutex_lock(&msg_input_mu);
	msg_input_count++;
	if (msg_verbosity < 1 ||
	    (msg_input_limit && msg_input_count > msg_input_limit)) {
		pthread_mutex_unlock(&msg_input_mu);
		return;
	}
	fprintf(fp, "%s: %s:%lu: ", msg_progname, file ? file : "-", line);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
	pthread_mutex_unlock(&msg_input_mu);
}

/* mt_msg_input_begin - start counting input messages, show at most limit */
void
mt_msg_input_begin(unsigned long limit)
{
	pthread_mutex_lock(&msg_input_mu);
	msg_input_limit = limit;
	msg_input_count = 0;
	pthread_mutex_unlock(&msg_input_mu);
}

/* mt_msg_input_end - stop limiting; how many messages were not shown */
unsigned long
mt_msg_input_end(void)
{
	unsigned long hidden = 0;

	pthread_mutex_lock(&msg_input_mu);
	if (msg_input_limit && msg_input_count > msg_input_limit)
		hidden = msg_input_count - msg_input_limit;
	msg_input_limit = 0;
	pthread_mutex_unlock(&msg_input_mu);
	return hidden;
}

/* mt_msg_input_count - input messages reported since mt_msg_input_begin */
unsigned long
mt_msg_input_count(void)
{
	unsigned long n;

	pthread_mutex_lock(&msg_input_mu);
	n = msg_input_count;
	pthread_mutex_unlock(&msg_input_mu);
	return n;
}
