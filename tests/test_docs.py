"""The examples in the docstrings run, and print what they say they print."""

import doctest
import importlib

import pytest

MODULES = [
    "lstmcast.data.load",
    "lstmcast.datasets",
    "lstmcast.transforms",
    "lstmcast.transforms.windows",
    "lstmcast.forecast.local_lstm",
    "lstmcast.classify.lstm",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no example"
    assert result.failed == 0
