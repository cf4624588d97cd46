/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One line per event on stderr.  Under systemd, stderr goes to the journal,
 * which reads the sd-daemon "<N>" prefix as the line's priority; on a
 * terminal (rzsd --check, by hand) the prefix is left out.
 */
#ifndef RZSD_LOG_H
#define RZSD_LOG_H

#include <syslog.h>

void log_init(int prefix);	/* -1: decide from stderr/JOURNAL_STREAM */
void log_msg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif /* RZSD_LOG_H */
