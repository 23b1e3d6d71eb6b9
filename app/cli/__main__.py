"""``python -m app.cli``: the ``ecomap`` command line."""

from app.cli.main import main

main()
