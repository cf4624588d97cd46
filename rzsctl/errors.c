// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Failure messages.  Each names what failed, says in plain words what the
 * errno means for that command (EBUSY means different things to init and
 * reset), and adds the kernel's own explanation when it sent one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "out.h"

const char *progname = "rzsctl";

void warnx(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *busy_text(enum verb verb)
{
	switch (verb) {
	case VERB_INIT:
		return "device busy: already initialized (reset it first)";
	case VERB_REMOVE:
		return "device busy: initialized or in use (swapoff or umount "
		       "it, then reset it)";
	case VERB_RESET:
	case VERB_COMPAT:
		return "device busy: swapped on or mounted";
	default:
		return "device busy";
	}
}

static const char *errno_text(enum verb verb, int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return "not permitted: run as root";
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return "no such device";
	case EBUSY:
		return busy_text(verb);
	case EEXIST:
		return "device already exists";
	case ENOSPC:
		if (verb == VERB_WRITEBACK)
			return "nothing written: the writeback limit is spent or "
			       "the backing device is full";
		return verb == VERB_ADD ? "no free device number" : strerror(err);
	case EINVAL:
		return "invalid argument";
	case ERANGE:
		return "value out of range";
	case EOPNOTSUPP:
		return "not supported by this ramzswap module";
	case EPROTO:
	case EBADMSG:
		return "unexpected reply from the kernel (do the module and "
		       "rzsctl versions match?)";
	default:
		return strerror(err);
	}
}

int report(struct rzs_ctx *ctx, enum verb verb, const char *dev, int err)
{
	const char *why = errno_text(verb, err < 0 ? -err : err);
	const char *kernel = rzs_last_error(ctx);
	char what[64];

	if (dev)
		snprintf(what, sizeof(what), "%s %s", verb_name(verb), dev);
	else
		snprintf(what, sizeof(what), "%s", verb_name(verb));
	if (verb == VERB_LIST && !dev)
		snprintf(what, sizeof(what), "listing devices");
	if (verb == VERB_COMPAT)
		snprintf(what, sizeof(what), "%s", dev ? dev : "rzscontrol");
	if (kernel && *kernel)
		warnx("%s: %s; kernel: %s", what, why, kernel);
	else
		warnx("%s: %s", what, why);
	return EXIT_FAIL;
}
