"""Sub-command modules of the ``logistics`` command line (argument parsing only)."""
