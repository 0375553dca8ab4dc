import sys

from configgen.diag import InputError

try:
    from configgen.cli import main
except InputError as e:  # a build output configgen loads on import is missing (configgen/abi.py)
    e.print(sys.stderr)
    sys.exit(2)

sys.exit(main())
