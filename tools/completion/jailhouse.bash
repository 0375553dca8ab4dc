# bash completion for the jailhouse command (source it, or install as
# /usr/share/bash-completion/completions/jailhouse).  The commands are read from
# `jailhouse --help`, so the completion follows the installed CLI; cell names come from sysfs
# (/sys/devices/jailhouse/cells/<id>/name) wherever a command takes a running cell.

_jailhouse_commands() {	# words of the "Commands:" section of `jailhouse [SUB] --help`
	"$@" --help 2>/dev/null | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'
}

_jailhouse_cells() {	# JAILHOUSE_SYSFS: another sysfs root (tests)
	local f
	for f in "${JAILHOUSE_SYSFS:-/sys/devices/jailhouse}"/cells/*/name; do
		[[ -r $f ]] && cat "$f"
	done
}

_jailhouse_cellnames() {	# _jailhouse_cellnames CUR [WORDS...]: cell names (and WORDS)
	local cur=$1 IFS=$'\n'
	shift
	COMPREPLY=($(compgen -W "$(_jailhouse_cells)"$'\n'"$*" -- "$cur"))
}

_jailhouse_cellfiles() {
	local IFS=$'\n' cur=$1
	compopt -o nospace 2>/dev/null
	COMPREPLY=($(compgen -d -S / -- "$cur") $(compgen -f -X '!*.cell' -- "$cur"))
	if [[ -z $cur && -d /etc/jailhouse ]]; then
		COMPREPLY+=($(compgen -f -X '!*.cell' -- /etc/jailhouse/))
	fi
}

_jailhouse_files() {	# _jailhouse_files CUR [GLOB]: files (matching GLOB) and directories
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	if [[ -n $2 ]]; then
		COMPREPLY=($(compgen -d -- "$1") $(compgen -f -X "!$2" -- "$1"))
	else
		COMPREPLY=($(compgen -f -- "$1"))
	fi
}

# jailhouse cell linux CELL.cell Image [-d DTB] [-i INITRD] [-c CMDLINE] [-n | -w DTB_OUT]
_jailhouse_cell_linux() {
	local cur=$1 prev=$2 i npos=0
	case $prev in
	-d|--dtb) _jailhouse_files "$cur" '*.dtb'; return ;;
	-i|--initrd|-w|--write-params) _jailhouse_files "$cur"; return ;;
	-c|--cmdline) return ;;
	-a|--arch) COMPREPLY=($(compgen -W "arm64" -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-d --dtb -i --initrd -c --cmdline -n --dry-run -w
			--write-params -a --arch --help" -- "$cur"))
		return
	fi
	# the positional arguments before this word: CELL.cell, then the Image
	for ((i = 3; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-d|--dtb|-i|--initrd|-c|--cmdline|-w|--write-params|-a|--arch) ((i++)) ;;
		-*) ;;
		*) ((npos++)) ;;
		esac
	done
	if [[ $npos -eq 0 ]]; then
		_jailhouse_cellfiles "$cur"
	elif [[ $npos -eq 1 ]]; then
		_jailhouse_files "$cur"
	fi
}

_jailhouse() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local jh=${COMP_WORDS[0]}
	COMPREPLY=()
	if [[ $COMP_CWORD -eq 1 ]]; then
		local cmds
		cmds=$(_jailhouse_commands "$jh")
		[[ -n $cmds ]] || cmds="enable disable console status cell hardware config"
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return
	fi
	case ${COMP_WORDS[1]} in
	enable)
		[[ $COMP_CWORD -eq 2 ]] && _jailhouse_cellfiles "$cur" ;;
	console)
		[[ $COMP_CWORD -eq 2 ]] && COMPREPLY=($(compgen -W "-f --follow" -- "$cur")) ;;
	hardware)
		if [[ $COMP_CWORD -eq 2 ]]; then
			COMPREPLY=($(compgen -W "check --help" -- "$cur"))
		elif [[ $prev == --root ]]; then
			compopt -o nospace 2>/dev/null
			COMPREPLY=($(compgen -d -S / -- "$cur"))
		elif [[ $prev == --arch ]]; then
			COMPREPLY=($(compgen -W "arm64 x86" -- "$cur"))
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--root --arch --help" -- "$cur"))
		else
			_jailhouse_cellfiles "$cur"
		fi ;;
	config)
		if [[ $COMP_CWORD -eq 2 ]]; then
			COMPREPLY=($(compgen -W "collect check create --help" -- "$cur"))
			return
		fi
		case ${COMP_WORDS[2]} in
		collect)
			if [[ $prev == --root ]]; then
				compopt -o nospace 2>/dev/null
				COMPREPLY=($(compgen -d -S / -- "$cur"))
			elif [[ $cur == -* ]]; then
				COMPREPLY=($(compgen -W "--root --help" -- "$cur"))
			else
				_jailhouse_files "$cur" '*.tar'
			fi ;;
		check) _jailhouse_cellfiles "$cur" ;;
		create)
			case $prev in
			-r|--root) _jailhouse_files "$cur" '*.tar' ;;
			--mem-hv|--mem-inmates) COMPREPLY=($(compgen -W "8M 16M 64M 120M 256M" -- "$cur")) ;;
			*)
				if [[ $cur == -* ]]; then
					COMPREPLY=($(compgen -W "-r --root --mem-hv --mem-inmates" -- "$cur"))
				else
					_jailhouse_files "$cur" '*.dts'
				fi ;;
			esac ;;
		esac ;;
	cell)
		if [[ $COMP_CWORD -eq 2 ]]; then
			local subs
			subs=$(_jailhouse_commands "$jh" cell)
			[[ -n $subs ]] || subs="create load start shutdown destroy list stats linux"
			COMPREPLY=($(compgen -W "$subs" -- "$cur"))
			return
		fi
		case ${COMP_WORDS[2]} in
		create) [[ $COMP_CWORD -eq 3 ]] && _jailhouse_cellfiles "$cur" ;;
		load)
			if [[ $COMP_CWORD -eq 3 ]]; then
				_jailhouse_cellnames "$cur" --name
			elif [[ $COMP_CWORD -eq 4 && $prev == --name ]]; then
				_jailhouse_cellnames "$cur"
			elif [[ $prev == -s || $prev == --string ]]; then
				:
			elif [[ $prev == -a || $prev == --address ]]; then
				COMPREPLY=($(compgen -W "0x0 0x1000" -- "$cur"))
			elif [[ $cur == -* ]]; then
				COMPREPLY=($(compgen -W "-s --string -a --address" -- "$cur"))
			else
				local IFS=$'\n'
				compopt -o filenames 2>/dev/null
				COMPREPLY=($(compgen -f -- "$cur"))
			fi ;;
		linux) _jailhouse_cell_linux "$cur" "$prev" ;;
		start|shutdown|destroy|stats)
			local first=3
			[[ ${COMP_WORDS[3]} == --name ]] && first=4
			if [[ $COMP_CWORD -eq 3 ]]; then
				_jailhouse_cellnames "$cur" --name
			elif [[ $COMP_CWORD -eq 4 && $first -eq 4 ]]; then
				_jailhouse_cellnames "$cur"
			elif [[ ${COMP_WORDS[2]} == stats && $COMP_CWORD -eq $((first + 1)) ]]; then
				COMPREPLY=($(compgen -W "-n --count --once" -- "$cur"))
			fi ;;
		esac ;;
	esac
}
complete -F _jailhouse jailhouse
