"""Session fixtures of tests/build: the installed trees (installs.py)."""
from installs import installed_arm64, installed_x86  # noqa: F401
