"""`python -m scraper` is the same as the `scraper` command."""

from scraper.cli import main

main()
