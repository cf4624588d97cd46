// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sd_notify messages.  Type=notify on systemd 252 has no notify-reload:
 * the reload protocol is RELOADING=1 with MONOTONIC_USEC (without it
 * systemd cannot tell this reload's READY=1 from an older one), then
 * READY=1 when the new configuration is applied or refused.
 */
#include <stdio.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "log.h"
#include "notify.h"

void notify_ready(const char *status)
{
	sd_notifyf(0, "READY=1\nSTATUS=%s", status);
}

void notify_reloading(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading",
		   (unsigned long long)ts.tv_sec * 1000000ULL +
		   (unsigned long long)ts.tv_nsec / 1000);
}

void notify_stopping(void)
{
	sd_notify(0, "STOPPING=1\nSTATUS=stopping: tearing down");
}

void notify_status(const char *status)
{
	sd_notifyf(0, "STATUS=%s", status);
}
