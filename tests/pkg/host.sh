#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Host tests of the packaging, no VM: builds the Debian packages (make deb)
# and the RPMs (make rpm) of this machine, lints them, checks what each
# package holds and runs, that every place that states the version agrees
# with VERSION, and that the DKMS source tree as packaged builds the module
# (with dkms itself and with a plain make) against the host's headers.
# Prints "PASS name" or "FAIL name: why" per check and "N passed, N failed"
# last; exits 1 if anything failed.
#
#   tests/pkg/host.sh            (TEST_KVER=<release> picks the headers)
set -uo pipefail
cd "$(dirname "$0")/../.."
top=$PWD

cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
export RAMZSWAP_CACHE=$cache
version=$(cat VERSION)
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-unknown}")
debs=$cache/pkg/debs/$suite
rpmtop=$cache/pkg/rpm
kver=${TEST_KVER:-$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null |
	sed 's|.*/linux-headers-||' | sort -V | tail -n 1)}
logdir=$cache/logs
mkdir -p "$logdir"
tmp=$(mktemp -d /tmp/ramzswap-pkg.XXXXXX)

passed=0
failed=0
# However it ends (set -u included), the last line is the summary: an
# early end counts as one more failure, so that make check sees it.
done=0
finish() {
	local rc=$?
	rm -rf "$tmp"
	[ "$done" = 1 ] && return
	echo "FAIL host.sh: stopped early (exit $rc)"
	echo "$passed passed, $((failed + 1)) failed"
	exit 1
}
trap finish EXIT
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
# check NAME WHY-IF-FAILED CMD...: PASS if CMD succeeds.
check() {
	local name=$1 why=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}
# missing LIST-FILE PATH...: prints the PATHs (extended regexps, anchored)
# that no line of LIST-FILE matches.
missing() {
	local list=$1 p
	shift
	for p in "$@"; do
		grep -qE "^$p\$" "$list" || echo "$p"
	done
}
# has_all NAME LIST-FILE PATH...: a check that LIST-FILE has every PATH.
has_all() {
	local name=$1 list=$2 m
	shift 2
	m=$(missing "$list" "$@" | tr '\n' ' ')
	if [ -z "$m" ]; then pass "$name"; else fail "$name" "missing: $m"; fi
}

# ---- Debian packages ---------------------------------------------------------

# The DKMS tree as both packages install it: the module's sources as in
# the repository.
src=usr/src/ramzswap-$version
srcs=()
for f in src/*.c src/*.h; do
	case $f in *.mod.c) continue ;; esac
	srcs+=("$src/$f")
done

deb() { echo "$debs/${1}_${version}_$2.deb"; }
make deb >"$logdir/pkg-deb.log" 2>&1
rc=$?
if [ -f "$(deb ramzswap-dkms all)" ] && [ -f "$(deb librzs1 amd64)" ] &&
	[ -f "$(deb librzs-dev amd64)" ] && [ -f "$(deb ramzswap-tools amd64)" ] &&
	! grep -q 'dpkg-buildpackage failed' "$logdir/pkg-deb.log"; then
	pass deb-build
	deb_ok=1
else
	fail deb-build "make deb failed (see $logdir/pkg-deb.log)"
	tail -n 20 "$logdir/pkg-deb.log"
	deb_ok=0
fi

if [ "$deb_ok" = 1 ]; then
	if [ $rc -eq 0 ] && [ -f "$debs/lintian.log" ] &&
		! grep -qE '^E: ' "$debs/lintian.log"; then
		pass deb-lintian
	else
		fail deb-lintian "$(grep -cE '^E: ' "$debs/lintian.log" 2>/dev/null) errors (see $debs/lintian.log)"
		grep -E '^E: ' "$debs/lintian.log"
	fi

	# The file list of each package, paths without "./", symlinks as "a -> b".
	for p in ramzswap-dkms:all librzs1:amd64 librzs-dev:amd64 ramzswap-tools:amd64; do
		dpkg-deb -c "$(deb "${p%%:*}" "${p##*:}")" |
			awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); sub(/^\.\//, ""); print }' \
			>"$tmp/${p%%:*}.list"
		mkdir -p "$tmp/${p%%:*}.ctl"
		dpkg-deb -e "$(deb "${p%%:*}" "${p##*:}")" "$tmp/${p%%:*}.ctl"
	done

	# ramzswap-dkms: the module's sources as in the repository, and the
	# DKMS files, version filled in.
	has_all deb-dkms-files "$tmp/ramzswap-dkms.list" "$src/dkms.conf" "$src/Makefile" \
		"$src/VERSION" "$src/src/Kbuild" "$src/include/uapi/linux/ramzswap.h" "${srcs[@]}"
	if grep -qE '\.(o|ko|cmd)$|\.mod\.c$' "$tmp/ramzswap-dkms.list"; then
		fail deb-dkms-clean "build products in the package"
	else
		pass deb-dkms-clean
	fi
	dpkg-deb --fsys-tarfile "$(deb ramzswap-dkms all)" |
		tar -xOf - "./$src/dkms.conf" >"$tmp/deb-dkms.conf" 2>/dev/null
	check deb-dkms-conf "dkms.conf does not name ramzswap $version with AUTOINSTALL" \
		sh -c 'grep -qxF "PACKAGE_VERSION=\"$1\"" "$2" &&
			grep -qxF "PACKAGE_NAME=\"ramzswap\"" "$2" &&
			grep -qxF "AUTOINSTALL=\"yes\"" "$2"' sh "$version" "$tmp/deb-dkms.conf"
	check deb-dkms-scripts "postinst/prerm do not run dkms for ramzswap $version" \
		grep -q "DKMS_VERSION=$version" "$tmp/ramzswap-dkms.ctl/postinst" \
		"$tmp/ramzswap-dkms.ctl/prerm"
	check deb-dkms-depends "does not depend on dkms" \
		sh -c "dpkg-deb -f '$(deb ramzswap-dkms all)' Depends | grep -qw dkms"

	# librzs1: the shared library and nothing else but its docs.
	other=$(grep -vE '^$|/$|^usr/share/doc/librzs1/|^usr/lib/[^/]+/librzs\.so\.1( -> librzs\.so\.1\.0\.0)?$|^usr/lib/[^/]+/librzs\.so\.1\.0\.0$' \
		"$tmp/librzs1.list" | tr '\n' ' ')
	if [ -z "$other" ] && grep -qE '^usr/lib/[^/]+/librzs\.so\.1\.0\.0$' "$tmp/librzs1.list"; then
		pass deb-librzs1-files
	else
		fail deb-librzs1-files "not only the library: ${other:-library missing}"
	fi
	check deb-librzs1-symbols "the symbols file is not packaging/gen-symbols' output" \
		sh -c "packaging/gen-symbols | diff -u - debian/librzs1.symbols >/dev/null &&
			diff -q debian/librzs1.symbols '$tmp/librzs1.ctl/symbols' >/dev/null"

	has_all deb-librzs-dev-files "$tmp/librzs-dev.list" usr/include/rzs/rzs.h \
		'usr/lib/[^/]+/librzs\.so -> librzs\.so\.1' 'usr/lib/[^/]+/pkgconfig/rzs\.pc' \
		'usr/share/man/man3/librzs\.3\.gz' usr/share/doc/librzs-dev/examples/example.c

	has_all deb-tools-files "$tmp/ramzswap-tools.list" usr/sbin/rzsctl usr/sbin/rzsd \
		'usr/sbin/rzscontrol -> rzsctl' '(usr/)?lib/systemd/system/rzsd\.service' \
		'(usr/)?lib/udev/rules\.d/60-ramzswap\.rules' etc/ramzswap.conf etc/ramzswap.conf.d/ \
		'usr/share/man/man8/rzsctl\.8\.gz' 'usr/share/man/man8/rzsd\.8\.gz' \
		'usr/share/man/man8/rzscontrol\.8\.gz -> rzsctl\.8\.gz' \
		'usr/share/man/man5/ramzswap\.conf\.5\.gz' \
		usr/share/bash-completion/completions/rzsctl \
		'usr/share/bash-completion/completions/rzscontrol -> rzsctl'
	check deb-tools-conffile "/etc/ramzswap.conf is not a conffile" \
		grep -qx /etc/ramzswap.conf "$tmp/ramzswap-tools.ctl/conffiles"
	# Not enabled at installation: the enable in postinst is only for a
	# unit that was installed (and enabled) before.
	check deb-tools-not-enabled "postinst enables rzsd.service on installation" \
		grep -q "deb-systemd-helper debian-installed 'rzsd.service'" \
		"$tmp/ramzswap-tools.ctl/postinst"
	check deb-tools-stop-on-remove "prerm does not stop rzsd.service at removal" \
		grep -q "deb-systemd-invoke stop 'rzsd.service'" "$tmp/ramzswap-tools.ctl/prerm"
	# An upgrade must not swap off the devices under a running system.
	check deb-tools-no-restart-on-upgrade "an upgrade stops or restarts rzsd.service" \
		sh -c "! grep -qE 'deb-systemd-invoke (restart|try-restart)' '$tmp/ramzswap-tools.ctl/postinst' &&
			grep -B3 \"deb-systemd-invoke stop 'rzsd.service'\" '$tmp/ramzswap-tools.ctl/prerm' |
			grep -q '= remove'"
	check deb-tools-recommends "does not recommend ramzswap-dkms" \
		sh -c "dpkg-deb -f '$(deb ramzswap-tools amd64)' Recommends | grep -qw ramzswap-dkms"

	# The tools run from the packages: the library they load and their
	# version are those of the packages.
	mkdir -p "$tmp/root"
	for p in librzs1:amd64 ramzswap-tools:amd64 librzs-dev:amd64; do
		dpkg-deb -x "$(deb "${p%%:*}" "${p##*:}")" "$tmp/root"
	done
	libdir=$(dirname "$(ls "$tmp"/root/usr/lib/*/librzs.so.1)")
	out=$(LD_LIBRARY_PATH=$libdir "$tmp/root/usr/sbin/rzsctl" --version 2>&1)
	check deb-rzsctl-runs "rzsctl --version says '$out'" test "$out" = "rzsctl $version"
	out=$(LD_LIBRARY_PATH=$libdir "$tmp/root/usr/sbin/rzsd" --version 2>&1)
	check deb-rzsd-runs "rzsd --version says '$out'" test "$out" = "rzsd $version"
fi

# ---- RPM packages --------------------------------------------------------------

rpmf() { ls "$rpmtop"/RPMS/*/"$1-$version-"*."$2".rpm 2>/dev/null | head -n 1; }
make rpm >"$logdir/pkg-rpm.log" 2>&1
rc=$?
if [ -n "$(rpmf dkms-ramzswap noarch)" ] && [ -n "$(rpmf librzs x86_64)" ] &&
	[ -n "$(rpmf librzs-devel x86_64)" ] && [ -n "$(rpmf ramzswap x86_64)" ] &&
	ls "$rpmtop"/SRPMS/ramzswap-"$version"-*.src.rpm >/dev/null 2>&1 &&
	! grep -q 'rpmbuild failed' "$logdir/pkg-rpm.log"; then
	pass rpm-build
	rpm_ok=1
else
	fail rpm-build "make rpm failed (see $logdir/pkg-rpm.log)"
	tail -n 20 "$logdir/pkg-rpm.log"
	rpm_ok=0
fi

if [ "$rpm_ok" = 1 ]; then
	if [ $rc -eq 0 ] && grep -qE ' 0 errors' "$rpmtop/rpmlint.log"; then
		pass rpm-rpmlint
	else
		fail rpm-rpmlint "errors (see $rpmtop/rpmlint.log)"
		grep -E ': E: ' "$rpmtop/rpmlint.log"
	fi

	for p in dkms-ramzswap:noarch librzs:x86_64 librzs-devel:x86_64 ramzswap:x86_64; do
		rpm -qpl "$(rpmf "${p%%:*}" "${p##*:}")" 2>/dev/null >"$tmp/${p%%:*}.rlist"
		rpm -qp --scripts "$(rpmf "${p%%:*}" "${p##*:}")" 2>/dev/null >"$tmp/${p%%:*}.scripts"
	done

	rsrcs=()
	for f in "${srcs[@]}"; do rsrcs+=("/$f"); done
	has_all rpm-dkms-files "$tmp/dkms-ramzswap.rlist" "/$src/dkms.conf" "/$src/Makefile" \
		"/$src/VERSION" "/$src/src/Kbuild" "/$src/include/uapi/linux/ramzswap.h" "${rsrcs[@]}"
	mkdir -p "$tmp/rpmroot"
	(cd "$tmp/rpmroot" && rpm2cpio "$(rpmf dkms-ramzswap noarch)" | cpio -idm --quiet 2>/dev/null)
	check rpm-dkms-conf "dkms.conf does not say PACKAGE_VERSION=\"$version\"" \
		grep -qxF "PACKAGE_VERSION=\"$version\"" "$tmp/rpmroot/$src/dkms.conf"
	check rpm-dkms-scripts "no dkms add/build/install in %post or no erase-only remove in %preun" \
		awk '/^postinstall scriptlet/ { s = "post" } /^preuninstall scriptlet/ { s = "preun" }
			s == "post" && /dkms add -m ramzswap/ { a = 1 }
			s == "post" && /dkms build -m ramzswap/ { b = 1 }
			s == "post" && /dkms install -m ramzswap/ { i = 1 }
			s == "preun" && /\$1" -eq 0|\$1 -eq 0/ { e = 1 }
			s == "preun" && e && /dkms remove -m ramzswap .*--all/ { r = 1 }
			END { exit !(a && b && i && r) }' "$tmp/dkms-ramzswap.scripts"

	other=$(grep -vE '^/usr/lib64/librzs\.so\.1(\.0\.0)?$|^/usr/lib/\.build-id(/|$)' \
		"$tmp/librzs.rlist" | tr '\n' ' ')
	if [ -z "$other" ] && grep -q librzs.so.1.0.0 "$tmp/librzs.rlist"; then
		pass rpm-librzs-files
	else
		fail rpm-librzs-files "not only the library: ${other:-library missing}"
	fi
	has_all rpm-librzs-devel-files "$tmp/librzs-devel.rlist" /usr/include/rzs/rzs.h \
		/usr/lib64/librzs.so /usr/lib64/pkgconfig/rzs.pc '/usr/share/man/man3/librzs\.3.*'
	has_all rpm-tools-files "$tmp/ramzswap.rlist" /usr/sbin/rzsctl /usr/sbin/rzsd \
		/usr/sbin/rzscontrol /usr/lib/systemd/system/rzsd.service \
		/usr/lib/udev/rules.d/60-ramzswap.rules /etc/ramzswap.conf /etc/ramzswap.conf.d \
		'/usr/share/man/man8/rzsctl\.8.*' '/usr/share/man/man8/rzsd\.8.*' \
		'/usr/share/man/man8/rzscontrol\.8.*' '/usr/share/man/man5/ramzswap\.conf\.5.*' \
		/usr/share/bash-completion/completions/rzsctl
	check rpm-tools-config "/etc/ramzswap.conf is not %config(noreplace)" \
		sh -c "rpm -qp --qf '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' '$(rpmf ramzswap x86_64)' |
			grep -qxE '/etc/ramzswap.conf [a-z]*c[a-z]*n[a-z]*'"
	check rpm-tools-scripts "systemd scriptlets wrong (preset / stop on erase / no restart on upgrade)" \
		awk '/^postinstall scriptlet/ { s = "post" } /^preuninstall scriptlet/ { s = "preun" }
			/^postuninstall scriptlet/ { s = "postun" }
			s == "post" && /(preset|install-system-units).*rzsd\.service/ { p = 1 }
			s == "preun" && /(disable --now|remove-system-units|stop).*rzsd\.service/ { r = 1 }
			s == "postun" && /(try-restart|restart).*rzsd\.service/ { t = 1 }
			END { exit !(p && r && !t) }' "$tmp/ramzswap.scripts"
fi

# ---- one version -----------------------------------------------------------------

versions="VERSION=$version"
bad=""
note() { # note WHERE VALUE
	versions+=" $1=$2"
	[ "$2" = "$version" ] || bad+=" $1=$2"
}
note debian/changelog "$(dpkg-parsechangelog -l debian/changelog -SVersion)"
note spec-Version "$(rpmspec -q --srpm --qf '%{version}' ramzswap.spec 2>/dev/null)"
note spec-changelog "$(sed -n '/^%changelog/{n;s/.* - \([^-]*\)-[^-]*$/\1/p;q}' ramzswap.spec)"
if [ "$deb_ok" = 1 ]; then
	for p in ramzswap-dkms:all librzs1:amd64 librzs-dev:amd64 ramzswap-tools:amd64; do
		note "${p%%:*}.deb" "$(dpkg-deb -f "$(deb "${p%%:*}" "${p##*:}")" Version)"
	done
	note deb-dkms.conf "$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$tmp/deb-dkms.conf")"
	note rzs.pc "$(sed -n 's/^Version: //p' "$tmp"/root/usr/lib/*/pkgconfig/rzs.pc)"
fi
if [ "$rpm_ok" = 1 ]; then
	for p in dkms-ramzswap:noarch librzs:x86_64 librzs-devel:x86_64 ramzswap:x86_64; do
		note "${p%%:*}.rpm" "$(rpm -qp --qf '%{version}' "$(rpmf "${p%%:*}" "${p##*:}")" 2>/dev/null)"
	done
fi
if [ -z "$bad" ]; then pass version-agrees; else fail version-agrees "differ from VERSION:$bad"; fi

# ---- the packaged DKMS tree builds the module ---------------------------------------

if [ -z "$kver" ] || [ ! -e "/lib/modules/$kver/build/Makefile" ]; then
	fail dkms-make "no kernel headers (linux-headers-*-amd64) to build against"
	fail dkms-build "no kernel headers"
elif [ "$deb_ok" != 1 ]; then
	fail dkms-make "no ramzswap-dkms package to take the tree from"
	fail dkms-build "no ramzswap-dkms package"
else
	# The tree as the package installs it, built with a plain make.
	dpkg-deb -x "$(deb ramzswap-dkms all)" "$tmp/dkms"
	cp -a "$tmp/dkms/$src" "$tmp/staged"
	if nice make -C "$tmp/staged" KVER="$kver" >"$logdir/pkg-dkms-make.log" 2>&1 &&
		[ "$(modinfo -F version "$tmp/staged/src/ramzswap.ko" 2>/dev/null)" = "$version" ]; then
		pass dkms-make
	else
		fail dkms-make "make -C <tree> KVER=$kver (see $logdir/pkg-dkms-make.log)"
		tail -n 5 "$logdir/pkg-dkms-make.log"
	fi

	# dkms itself with that dkms.conf, in private trees (nothing under
	# /var/lib/dkms or /lib/modules is touched; its signing key is ours).
	d=$tmp/dkmsroot
	mkdir -p "$d/source" "$d/tree"
	cp -a "$tmp/dkms/$src" "$d/source/"
	if env mok_signing_key="$d/mok.key" mok_certificate="$d/mok.pub" sh -c "
		nice dkms add -m ramzswap -v '$version' --sourcetree '$d/source' --dkmstree '$d/tree' &&
		nice dkms build -m ramzswap -v '$version' -k '$kver' --sourcetree '$d/source' --dkmstree '$d/tree'
		" >"$logdir/pkg-dkms-build.log" 2>&1; then
		ko=$(ls "$d/tree/ramzswap/$version/$kver"/*/module/ramzswap.ko* 2>/dev/null | head -n 1)
		if [ -n "$ko" ] && [ "$(modinfo -F version "$ko")" = "$version" ]; then
			pass dkms-build
		else
			fail dkms-build "dkms built no ramzswap.ko of version $version"
		fi
	else
		fail dkms-build "dkms add/build failed (see $logdir/pkg-dkms-build.log)"
		tail -n 15 "$logdir/pkg-dkms-build.log"
	fi

	# BUILD_EXCLUSIVE_KERNEL: 5.10 and later, nothing older.
	bad=$(bash -c '
		kernelver=x kernel_source_dir=x; . "$1"
		for k in 5.10.0-30-amd64 5.15.0 5.19.17 6.1.0-56-amd64 6.12.48+deb13-amd64 \
			7.2.0-1-amd64 10.0.1; do
			[[ $k =~ $BUILD_EXCLUSIVE_KERNEL ]] || echo "refuses $k"
		done
		for k in 5.9.16 5.4.0-150-generic 4.19.0-27-amd64 3.10.0-1160.el7.x86_64 2.6.32; do
			[[ $k =~ $BUILD_EXCLUSIVE_KERNEL ]] && echo "accepts $k"
		done' sh "$tmp/deb-dkms.conf")
	if [ -z "$bad" ]; then pass dkms-exclusive; else fail dkms-exclusive "$(echo $bad)"; fi
fi

done=1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
