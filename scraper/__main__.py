"""`python -m scraper` is the same as the `scraper` command."""

from scraper.cli import main

if __name__ == "__main__":  # not when a worker process imports this module as __mp_main__
    main()
