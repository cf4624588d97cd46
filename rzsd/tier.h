/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tier below RAM: rzsd's policy for idle marking and writeback to a
 * device's backing device.  Everything here is a pure function of its
 * arguments (the values of ramzswap.conf's keys, the clock as a number, a
 * /proc/pressure file given by path), so the unit tests check every
 * decision; tier_exec.c carries them out with librzs.
 */
#ifndef RZSD_TIER_H
#define RZSD_TIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* writeback-after: the bounds a duration must keep. */
#define TIER_AFTER_MIN_MS	(10ULL * 1000)			/* 10s */
#define TIER_AFTER_MAX_MS	(30ULL * 24 * 3600 * 1000)	/* 30d */
#define TIER_AFTER_DEFAULT_MS	(3600ULL * 1000)		/* 1h */
/* writeback-limit = SIZE/PERIOD: a period from a minute to a week. */
#define TIER_PERIOD_MIN_MS	(60ULL * 1000)
#define TIER_PERIOD_MAX_MS	(7ULL * 24 * 3600 * 1000)
/* Memory pressure ("some avg10", percent) above which rzsd hurries. */
#define TIER_PSI_THRESHOLD	10.0
/* How much faster it marks then: the interval is divided by this. */
#define TIER_PSI_SPEEDUP	4
/* The idle age writeback asks for: RAMZSWAP_IDLE_AGE_MAX. */
#define TIER_WB_AGE		3
/*
 * Pages per DEV_WRITEBACK call (64 MiB of 4 KiB pages): the kernel holds
 * the device's command lock for a call, so rzsctl and rzsd's own DEV_GET
 * wait for it; batches let them in between.
 */
#define TIER_WB_BATCH		16384
/* Batches per tick at most: a tick never writes for ever. */
#define TIER_WB_BATCHES		64
/* writeback-limit = none. */
#define TIER_LIMIT_NONE		UINT64_MAX

/* writeback-limit: none, a fixed budget, or one that refills. */
struct tier_limit {
	uint64_t bytes;		/* TIER_LIMIT_NONE: no limit */
	uint64_t period_ms;	/* 0: fixed, never refilled */
};

/*
 * The value parsers of ramzswap.conf's keys: 0, or -1 with the reason in
 * err (no file:line: the caller adds it).
 *   tier_parse_duration: "90s", "30min", "1h", "2d" (a unit is required:
 *     a bare "30" could be seconds or minutes), within the bounds above;
 *   tier_parse_kinds: "idle,huge,incompressible" (any of them, comma
 *     separated, blanks allowed) into RZS_WB_* bits, or "none" (0);
 *   tier_parse_limit: "none", a size ("10G": ram allowed, as in every
 *     size), or "SIZE/PERIOD" with PERIOD one of min, h, hour, d, day, w,
 *     week, or a number and one of those ("2G/12h").
 */
int tier_parse_duration(const char *s, uint64_t *ms, char *err, size_t errlen);
int tier_parse_kinds(const char *s, uint32_t *kinds, char *err, size_t errlen);
int tier_parse_limit(const char *s, uint64_t ram, struct tier_limit *lim,
		     char *err, size_t errlen);
/* "idle,huge", "none"; "1h", "90s", "1h30min"; "2.0G/1d", "none". */
void tier_format_kinds(uint32_t kinds, char *buf, size_t len);
void tier_format_duration(uint64_t ms, char *buf, size_t len);
void tier_format_limit(const struct tier_limit *lim, char *buf, size_t len);

/*
 * How often to mark idle (and write back right after): half of
 * writeback-after, and TIER_PSI_SPEEDUP times more often under memory
 * pressure.  See tier.c for why half.
 */
uint64_t tier_interval(uint64_t after_ms, bool pressure);

/*
 * The kernel's WB_LIMIT at init: what a fixed budget allows, one period's
 * worth of a refilling one, or RAMZSWAP_WB_LIMIT_NONE.
 */
uint64_t tier_initial_limit(const struct tier_limit *lim);

/*
 * A fixed budget changed by a reload: what is left of the new one after
 * written bytes (the disk's blocks written so far, in bytes) went.
 */
uint64_t tier_fixed_left(const struct tier_limit *lim, uint64_t written);

/*
 * A refilling budget: the WB_LIMIT to set after elapsed_ms since the last
 * refill when left bytes are left, raised by bytes * elapsed / period and
 * capped at one period's worth (bytes); a limit above the cap (raised by
 * hand) is left alone.  *carry keeps the fraction of a byte between calls
 * (start it at 0).
 */
uint64_t tier_refill(const struct tier_limit *lim, uint64_t left,
		     uint64_t elapsed_ms, uint64_t *carry);

/* "some avg10=" of a /proc/pressure file, percent; 0 or -errno. */
int tier_psi_some_avg10(const char *path, double *avg10);

#endif /* RZSD_TIER_H */
