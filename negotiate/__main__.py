"""``python -m negotiate`` runs the command-line interface."""

from negotiate.cli.main import main

main()
