"""Test-wide settings: tests always run with TESTING=1 (synchronous tasks, test secret)."""

import os

os.environ.setdefault("TESTING", "1")
