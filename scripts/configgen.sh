#!/bin/sh
# configgen as `make install` puts it into PREFIX/bin: the package, its validator library, the
# bindings and the Kconfig limits of the installed hypervisor (jailhouse.config) are in
# PREFIX/lib/jailhouse, found from this script's own place so that a tree staged with DESTDIR
# works where it lies.
here=$(dirname "$(readlink -f "$0")")
PYTHONPATH=$here/../lib/jailhouse${PYTHONPATH:+:$PYTHONPATH} exec /usr/bin/python3 -m configgen "$@"
