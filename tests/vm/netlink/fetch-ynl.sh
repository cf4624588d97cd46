#!/bin/bash
# Fetches the kernel's generic YNL client (tools/net/ynl: cli.py and lib/)
# and the genetlink*.yaml schemas from Debian trixie's linux-source-6.12,
# with a private apt configuration (the host's own sources stay untouched).
#
#   tests/vm/netlink/fetch-ynl.sh      -> prints the directory it fills
#
# Result: ${RAMZSWAP_CACHE:-~/.cache/ramzswap}/ynl/{cli.py,lib/,genetlink*.yaml}
# A no-op when that is already there.
set -euo pipefail

cache=${RAMZSWAP_CACHE:-$HOME/.cache/ramzswap}
dest=$cache/ynl
pkg=linux-source-6.12

if [ -f "$dest/lib/ynl.py" ] && [ -f "$dest/lib/nlspec.py" ] &&
   [ -f "$dest/cli.py" ] && [ -f "$dest/genetlink-c.yaml" ]; then
	echo "$dest"
	exit 0
fi

apt=$cache/apt-trixie
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
	>"$apt/sources.list"
aptopts=(-o "Dir::Etc::sourcelist=$apt/sources.list"
	 -o Dir::Etc::sourceparts=/nonexistent
	 -o "Dir::State::Lists=$apt/lists"
	 -o "Dir::Cache=$apt/cache"
	 -o APT::Get::List-Cleanup=0
	 -o Debug::NoLocking=1)

deb=$(ls "$apt/cache/${pkg}"_*_all.deb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$deb" ]; then
	echo "fetch-ynl: downloading $pkg from trixie" >&2
	apt-get "${aptopts[@]}" -qq update >&2
	(cd "$apt/cache" && apt-get "${aptopts[@]}" -qq download "$pkg" >&2)
	deb=$(ls "$apt/cache/${pkg}"_*_all.deb | sort -V | tail -n 1)
fi

tmp=$(mktemp -d "$cache/ynl.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The package holds /usr/src/linux-source-6.12.tar.xz; take only what YNL
# needs out of it, streaming, without unpacking the whole tree.
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO "./usr/src/$pkg.tar.xz" |
	tar -xJ -C "$tmp" --wildcards \
		"$pkg/tools/net/ynl/*" "$pkg/Documentation/netlink/genetlink*.yaml"
[ -f "$tmp/$pkg/tools/net/ynl/lib/ynl.py" ] ||
	{ echo "fetch-ynl: no tools/net/ynl/lib/ynl.py in $deb" >&2; exit 1; }
rm -rf "$dest"
mkdir -p "$dest"
cp -a "$tmp/$pkg/tools/net/ynl/." "$dest/"
cp "$tmp/$pkg/Documentation/netlink/"genetlink*.yaml "$dest/"
chmod -R a+rX "$dest"
echo "$dest"
