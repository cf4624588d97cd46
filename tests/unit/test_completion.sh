#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The bash completion offers subcommands, per-command options and columns.
comp=$1
bc=/usr/share/bash-completion/bash_completion
[ -r "$bc" ] || { echo "completion: SKIP (no bash-completion)"; exit 77; }
# shellcheck disable=SC1090
source "$bc" && source "$comp" || exit 1
compopt() { :; }	# only valid inside a real completion
fails=0

# complete LINE EXPECTED: the completions offered for LINE (cursor at end)
complete_is() {
	read -r -a COMP_WORDS <<<"$1"
	[[ $1 == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$1
	COMP_POINT=${#1}
	COMPREPLY=()
	"$3"
	if [[ "${COMPREPLY[*]}" != "$2" ]]; then
		echo "FAIL: '$1': got '${COMPREPLY[*]}', expected '$2'"
		fails=$((fails + 1))
	fi
}

complete_is "rzsctl in" "init info" _rzsctl
complete_is "rzsctl re" "remove reset" _rzsctl
complete_is "rzsctl init 0 --d" "--disksize" _rzsctl
complete_is "rzsctl set 0 --" "--help --version --memlimit --writeback-limit" _rzsctl
complete_is "rzsctl init 0 --b" "--backing-dev" _rzsctl
complete_is "rzsctl w" "writeback" _rzsctl
complete_is "rzsctl i" "init idle info" _rzsctl
complete_is "rzsctl idle 0 --" "--help --version --min-age" _rzsctl
complete_is "rzsctl writeback 0 --i" "--idle --incompressible" _rzsctl
complete_is "rzsctl writeback 0 --min-age " "0 1 2 3" _rzsctl
complete_is "rzsctl set 0 --writeback-limit n" "none" _rzsctl
complete_is "rzsctl -o NAME,DI" "NAME,DISKSIZE NAME,DISK NAME,DISK-PAGES" _rzsctl
complete_is "rzsctl -o +WB" "+WB-LIMIT" _rzsctl
complete_is "rzsctl -o NAME,ME" "NAME,MEM-LIMIT NAME,MEM-USED" _rzsctl
complete_is "rzsctl -o +LE" "+LEVEL" _rzsctl
complete_is "rzsctl --no" "--noheadings" _rzsctl
complete_is "rzscontrol /dev/ramzswap0 --i" "--init" _rzscontrol

[ "$fails" -eq 0 ] && echo "completion: all passed"
[ "$fails" -eq 0 ]
