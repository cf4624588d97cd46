#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages format without a single groff warning.
dir=$1
fails=0
for page in "$dir"/*.[0-9]; do
	out=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
	if [ -n "$out" ]; then
		echo "FAIL: $page:"; echo "$out"
		fails=$((fails + 1))
	fi
	if [ "$(wc -l <"$page")" -lt 20 ]; then
		echo "FAIL: $page: hardly any content"
		fails=$((fails + 1))
	fi
done
[ "$fails" -eq 0 ] && echo "man: all passed"
[ "$fails" -eq 0 ]
