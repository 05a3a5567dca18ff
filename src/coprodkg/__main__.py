"""``python -m coprodkg``."""

from coprodkg.cli import main

main()
