"""The loopback news site of the run tests, reused: runs archive it, extract reads it back."""

from tests.integration.run.conftest import (  # noqa: F401 - fixtures, found by name
    config_path,
    data_dir,
    gazette,
    site,
)
