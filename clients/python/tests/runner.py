"""Lists and runs test cases with machine-readable results, for gateway/test/python-client.test.ts.

  python3 -m tests.runner --list        JSON array of test ids (module.Class.method)
  python3 -m tests.runner ID [ID ...]   runs them; the last stdout line is "RESULTS <json>": one
                                        {id, outcome, seconds, details} per test, outcome one of
                                        passed, failed, error, skipped; exit status 0 iff none
                                        failed or errored

A module that fails to import is listed under its own id (unittest's _FailedTest), so it shows up
as a failing test instead of vanishing from the list.
"""

from __future__ import annotations

import json
import os
import sys
import time
import unittest
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def _flatten(suite: unittest.TestSuite) -> list[unittest.TestCase]:
    out: list[unittest.TestCase] = []
    for t in suite:
        out.extend(_flatten(t) if isinstance(t, unittest.TestSuite) else [t])
    return out


_FAILED_PREFIX = "unittest.loader._FailedTest."


def _id(test: unittest.TestCase) -> str:
    # A module that failed to import is named by the module, so the id can be run again.
    return getattr(test, "_runner_id", None) or test.id().removeprefix(_FAILED_PREFIX)


def list_ids() -> list[str]:
    return [_id(t) for t in _flatten(unittest.defaultTestLoader.discover(HERE, top_level_dir=ROOT))]


class _Result(unittest.TestResult):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self._started = 0.0

    def startTest(self, test: unittest.TestCase) -> None:
        super().startTest(test)
        self._started = time.monotonic()
        print(f"--- {_id(test)}", file=sys.stderr, flush=True)

    def _row(self, test: Any, outcome: str, details: str = "") -> None:
        self.rows.append({"id": _id(test), "outcome": outcome, "seconds": round(time.monotonic() - self._started, 3),
                          "details": details})

    def addSuccess(self, test: unittest.TestCase) -> None:
        super().addSuccess(test)
        self._row(test, "passed")

    def addFailure(self, test: unittest.TestCase, err: Any) -> None:
        super().addFailure(test, err)
        self._row(test, "failed", self.failures[-1][1])

    def addError(self, test: Any, err: Any) -> None:
        super().addError(test, err)
        self._row(test, "error", self.errors[-1][1])

    def addSkip(self, test: unittest.TestCase, reason: str) -> None:
        super().addSkip(test, reason)
        self._row(test, "skipped", reason)

    def addSubTest(self, test: unittest.TestCase, subtest: Any, err: Any) -> None:
        # A failing subTest fails its test; passing ones add nothing.
        super().addSubTest(test, subtest, err)
        if err is not None:
            kind = "failed" if issubclass(err[0], test.failureException) else "error"
            self._row(test, kind, f"{subtest.id()}\n{self._exc_info_to_string(err, test)}")

    def addExpectedFailure(self, test: unittest.TestCase, err: Any) -> None:
        super().addExpectedFailure(test, err)
        self._row(test, "passed", "expected failure")

    def addUnexpectedSuccess(self, test: unittest.TestCase) -> None:
        super().addUnexpectedSuccess(test)
        self._row(test, "failed", "unexpected success")


def run(ids: list[str]) -> int:
    result = _Result()
    suite = unittest.TestSuite()
    for name in ids:
        tests = _flatten(unittest.defaultTestLoader.loadTestsFromName(name))
        for t in tests:
            if isinstance(t, unittest.loader._FailedTest):  # type: ignore[attr-defined]
                t._runner_id = name  # type: ignore[attr-defined]
        suite.addTests(tests)
    suite.run(result)
    print("RESULTS " + json.dumps(result.rows), flush=True)
    return 0 if result.wasSuccessful() else 1


def main(argv: list[str]) -> int:
    if argv == ["--list"]:
        print(json.dumps(list_ids()))
        return 0
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    return run(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
