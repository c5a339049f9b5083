"""Test configuration.

`tests/cases/` holds eval files: code that the linter reads, never runs and
never collects as tests (see tests/test_cases.py).
"""

collect_ignore = ["cases"]
