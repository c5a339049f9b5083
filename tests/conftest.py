"""Test configuration.

`tests/cases/` holds eval files: code that the linter reads, never runs and
never collects as tests (see tests/test_cases.py).
"""

import sys
from pathlib import Path

collect_ignore = ["cases"]

# Packages that eval files import as if they were installed (see tests/test_cases.py).
sys.path.insert(0, str(Path(__file__).parent / "site"))
