/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The service manager's side: sd_notify(3) READY/RELOADING/STOPPING and
 * STATUS.  Without NOTIFY_SOCKET (run by hand) these do nothing.
 */
#ifndef RZSD_NOTIFY_H
#define RZSD_NOTIFY_H

void notify_ready(const char *status);
void notify_reloading(void);
void notify_stopping(void);
void notify_status(const char *status);

#endif /* RZSD_NOTIFY_H */
