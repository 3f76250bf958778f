"""Settings for the test suite: the normal settings in test mode."""

import os

os.environ["CIVICFLOW_MODE"] = "test"

from civicflow.config.settings import *  # noqa: F403
