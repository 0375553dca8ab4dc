# bash completion for ivshmem-echo (docs/ivshmem.md)
_ivshmem_echo()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}

	case $prev in
	--ping|-n|-s|-t)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "--ping --serve -n -s -t --help" -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$(ls /dev/ivshmem* 2>/dev/null)" -- "$cur"))
	fi
}
complete -F _ivshmem_echo ivshmem-echo
