"""``python -m negotiate`` runs the command-line interface."""

from negotiate.cli import main

main()
