// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon: apply at start, SIGHUP reloads, SIGTERM/SIGINT stop, and the
 * monitor group in between.
 *
 * Changes made behind rzsd's back (a device reset, removed or initialized
 * by someone else) are logged and shown in STATUS, and not undone at once:
 * whoever did it probably meant it (an admin freeing the memory, a test),
 * and fighting them in a loop helps nobody.  The next reload re-applies
 * the configuration, since every plan starts from what is observed.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "expr.h"
#include "log.h"
#include "notify.h"
#include "rzsd.h"

/* At most one memory-limit line per device in this many seconds. */
#define MEMLIMIT_LOG_INTERVAL	10

static int load(struct rzsd *d, struct conf *conf, char *first_err,
		size_t errlen)
{
	struct conf_errors errs;
	struct conf_env env;
	size_t i;
	int ret;

	ret = rzsd_env(d, &env);
	if (ret) {
		snprintf(first_err, errlen, "cannot read /proc/meminfo: %s",
			 strerror(-ret));
		log_err("%s", first_err);
		return -1;
	}
	ret = conf_load(d->conf_path, d->dropin_dir, &env, conf, &errs);
	rzsd_env_free(&env);
	if (ret) {
		for (i = 0; i < errs.nr; i++)
			log_err("%s", errs.msgs[i]);
		snprintf(first_err, errlen, "%s%s", errs.nr ? errs.msgs[0] : "?",
			 errs.nr > 1 ? " (and more)" : "");
		conf_errors_free(&errs);
		return -1;
	}
	for (i = 0; i < conf->nr_skipped; i++)
		log_info("ramzswap%u: not set up: %s", conf->skipped[i].index,
			 conf->skipped[i].why);
	return 0;
}

/* Plans from what is there and carries it out; cur becomes the result. */
static int apply(struct rzsd *d, struct conf *new)
{
	struct conf applied;
	struct plan plan;
	struct obs obs;
	int ret;

	ret = rzsd_observe(d, &obs);
	if (ret) {
		log_err("cannot list the devices: %s", strerror(-ret));
		return ret;
	}
	ret = plan_apply(d->have_cur ? &d->cur : NULL, &obs, new, &plan);
	if (ret) {
		rzsd_obs_free(&obs);
		log_err("out of memory");
		return -ENOMEM;
	}
	d->problems = rzsd_execute(d, &plan, d->have_cur ? &d->cur : NULL,
				   new, &applied);
	rzsd_obs_free(&obs);
	if (d->have_cur)
		conf_free(&d->cur);
	d->cur = applied;
	d->have_cur = true;
	/* The tier follows what is applied: live keys change here. */
	tier_sync(d, &plan);
	plan_free(&plan);
	memset(d->drifted, 0, sizeof(d->drifted));
	return 0;
}

static void ready(struct rzsd *d)
{
	char status[1024];

	rzsd_status(d, status, sizeof(status));
	notify_ready(status);
}

static void reload(struct rzsd *d)
{
	struct conf new;

	notify_reloading();
	log_info("reloading %s", d->conf_path);
	if (load(d, &new, d->last_error, sizeof(d->last_error))) {
		log_err("reload refused: the configuration has errors; the running one stays");
		ready(d);
		return;
	}
	d->last_error[0] = '\0';
	apply(d, &new);
	conf_free(&new);
	log_info("reload done%s", d->problems ? " with problems" : "");
	ready(d);
}

static int stop(struct rzsd *d)
{
	struct plan plan;
	struct obs obs;
	unsigned int problems;
	int ret;

	notify_stopping();
	ret = rzsd_observe(d, &obs);
	if (ret) {
		log_err("cannot list the devices: %s", strerror(-ret));
		return 1;
	}
	ret = plan_stop(&d->cur, &obs, &plan);
	rzsd_obs_free(&obs);
	if (ret)
		return 1;
	problems = rzsd_execute(d, &plan, NULL, &d->cur, NULL);
	plan_free(&plan);
	if (problems)
		log_err("stopped; %u device%s could not be torn down", problems,
			problems == 1 ? "" : "s");
	else
		log_info("stopped");
	return problems ? 1 : 0;
}

/* After lost events: compare what rzsd owns with what is there. */
static void check_drift(struct rzsd *d)
{
	struct obs obs;
	const struct obs_dev *o;
	size_t i;

	if (rzsd_observe(d, &obs))
		return;
	for (i = 0; i < d->cur.nr; i++) {
		uint32_t idx = d->cur.devs[i].index;

		o = obs_find(&obs, idx);
		if (!o || !o->initialized || !o->swap_on) {
			if (!d->drifted[idx])
				log_warn("ramzswap%u: %s behind rzsd's back; the next reload sets it up again",
					 idx, !o ? "removed" : !o->initialized ?
					 "reset" : "swapped off");
			d->drifted[idx] = true;
		}
	}
	rzsd_obs_free(&obs);
}

static void on_memlimit(struct rzsd *d, const struct rzs_event *ev)
{
	uint32_t i = ev->dev.index;
	char lim[32], used[32];
	time_t now = time(NULL);

	if (i >= RZSD_MAX_DEVICES)
		return;
	if (now - d->memlimit_logged[i] < MEMLIMIT_LOG_INTERVAL) {
		d->memlimit_quiet[i]++;
		return;
	}
	expr_format_size(ev->dev.memlimit, lim, sizeof(lim));
	expr_format_size(ev->mem_used, used, sizeof(used));
	if (d->memlimit_quiet[i])
		log_warn("ramzswap%u: memory limit %s reached (%s used; %u more times since the last report)",
			 i, lim, used, d->memlimit_quiet[i]);
	else
		log_warn("ramzswap%u: memory limit %s reached (%s used): writes to it fail until pages are freed",
			 i, lim, used);
	d->memlimit_logged[i] = now;
	d->memlimit_quiet[i] = 0;
}

static void on_event(struct rzsd *d, const struct rzs_event *ev)
{
	uint32_t i = ev->dev.index;
	char status[1024];

	if (ev->type == RZS_EVENT_MEMLIMIT) {
		on_memlimit(d, ev);
		return;
	}
	if (ev->type == RZS_EVENT_WB_LIMIT) {
		tier_on_wb_limit(d, i);
		return;
	}
	if (i >= RZSD_MAX_DEVICES || ev->type >= RZSD_NR_EVENTS)
		return;
	if (d->expect[i][ev->type]) {
		d->expect[i][ev->type]--;	/* rzsd's own doing */
		return;
	}
	if (!d->have_cur || !conf_find(&d->cur, i)) {
		log_debug("ramzswap%u: %s (not configured here)", i,
			  rzs_event_name(ev->type));
		return;
	}
	log_warn("ramzswap%u: %s behind rzsd's back; the next reload (systemctl reload rzsd) sets it up again",
		 i, rzs_event_name(ev->type));
	d->drifted[i] = true;
	rzsd_status(d, status, sizeof(status));
	notify_status(status);
}

static void drain_monitor(struct rzsd *d)
{
	struct rzs_event ev;
	int ret;

	for (;;) {
		ret = rzs_monitor_read(d->mon, &ev);
		if (ret == 1) {
			on_event(d, &ev);
			continue;
		}
		if (ret == -ENOBUFS) {
			log_warn("monitor: the kernel dropped events; checking the devices");
			memset(d->expect, 0, sizeof(d->expect));
			check_drift(d);
			continue;
		}
		if (ret != -EAGAIN && ret != -EINTR)
			log_warn("monitor: %s", strerror(-ret));
		return;
	}
}

int rzsd_run(struct rzsd *d)
{
	struct signalfd_siginfo si;
	struct pollfd pfd[2];
	struct conf conf;
	sigset_t mask;
	int sfd, ret;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		log_err("signalfd: %s", strerror(errno));
		return 1;
	}
	/* Open before the first change, so its events are all seen. */
	ret = rzs_monitor_open(&d->mon, RZS_MONITOR_NONBLOCK);
	if (ret)
		log_warn("cannot watch the devices (monitor: %s): changes behind rzsd's back go unnoticed",
			 strerror(-ret));

	if (load(d, &conf, d->last_error, sizeof(d->last_error))) {
		log_err("not starting: the configuration has errors");
		notify_status("configuration refused, see the log");
		close(sfd);
		return 1;
	}
	d->last_error[0] = '\0';
	log_info("starting: %zu device%s configured", conf.nr,
		 conf.nr == 1 ? "" : "s");
	apply(d, &conf);
	conf_free(&conf);
	ready(d);

	pfd[0].fd = sfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = d->mon ? rzs_monitor_fd(d->mon) : -1;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, tier_poll_timeout(d)) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			break;
		}
		if (pfd[1].revents)
			drain_monitor(d);
		tier_run_due(d);
		if (!(pfd[0].revents & POLLIN))
			continue;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGHUP) {
			reload(d);
			/* Events of the reload's own changes, before the next. */
			if (d->mon)
				drain_monitor(d);
			continue;
		}
		log_info("signal %d: stopping", (int)si.ssi_signo);
		break;
	}
	ret = stop(d);
	close(sfd);
	return ret;
}
