# bash completion for configgen (source it, or install as
# /usr/share/bash-completion/completions/configgen).  Every sub-command and option here is
# checked against configgen's argument parser by tests/configgen/test_completion.py.

_configgen_files() {	# _configgen_files CUR EXT...: complete directories and files with EXT
	local cur=$1 ext; shift
	local IFS=$'\n'
	COMPREPLY+=($(compgen -d -S / -- "$cur"))
	for ext in "$@"; do
		COMPREPLY+=($(compgen -f -X "!*.$ext" -- "$cur"))
	done
}

_configgen() {
	local cur prev words cword
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmds="check compile dump decompile guest-dt map import create"
	local common="--kconfig -I --bindings --arch -Werror -h --help"
	local i cmd=""
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$cmds -h --help" -- "$cur"))
		return
	fi
	case $prev in
	--kconfig) _configgen_files "$cur" config; COMPREPLY+=($(compgen -f -X '!*.config' -- "$cur")); return ;;
	-I|--bindings|--root) compopt -o nospace 2>/dev/null; COMPREPLY=($(compgen -d -S / -- "$cur")); return ;;
	--hypervisor-size|--cell-size) COMPREPLY=($(compgen -W "4M 8M 16M 32M 64M 120M 256M" -- "$cur")); return ;;
	--arch) COMPREPLY=($(compgen -W "arm arm64 x86" -- "$cur")); return ;;
	--gic-lines) COMPREPLY=($(compgen -W "64 96 128 160 192 224 256 288 320 352 384 416 448 480 512 1024" -- "$cur")); return ;;
	-o|--output|--root-dtb|--root-cmdline)
		compopt -o nospace 2>/dev/null
		case $cmd in
		guest-dt) _configgen_files "$cur" dtb ;;
		map) _configgen_files "$cur" svg ;;
		import|create) _configgen_files "$cur" dts dtso ;;
		*) _configgen_files "$cur" cfg cell dtb dts dtso ;;
		esac
		return ;;
	--board) compopt -o nospace 2>/dev/null; _configgen_files "$cur" dts; return ;;
	--sets) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	local opts
	case $cmd in
	check) opts="$common --sets" ;;
	compile) opts="$common -o --output --root-dtb --root-cmdline --cells --sets" ;;
	dump) opts="-h --help" ;;
	decompile) opts="-h --help -o --output" ;;
	guest-dt) opts="$common -o --output --cells --sets" ;;
	map) opts="$common -o --output" ;;
	import) opts="-h --help -o --output --board --mem --strict" ;;
	create) opts="-h --help --root -o --output --hypervisor-size --hypervisor-address --cell-size --gic-lines --arch" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	compopt -o nospace 2>/dev/null
	case $cmd in
	dump|decompile|import) _configgen_files "$cur" cfg cell ;;
	create) ;;
	*) _configgen_files "$cur" dts dtso ;;
	esac
}
complete -F _configgen configgen
