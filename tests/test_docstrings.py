"""The public API documents itself in numpydoc form: every parameter of every public function,
method and estimator in a ``Parameters`` section, and what a function returns in ``Returns``.

A parameter inherited from a base class (the network and training settings every network
estimator shares) is documented once, on the class that declares it.
"""

import importlib
import inspect
import re

import pytest

PACKAGES = [
    "lstmcast",
    "lstmcast.data",
    "lstmcast.datasets",
    "lstmcast.transforms",
    "lstmcast.nn",
    "lstmcast.train",
    "lstmcast.forecast",
    "lstmcast.classify",
    "lstmcast.evaluate",
    "lstmcast.search",
    "lstmcast.report",
    "lstmcast.recipes",
    "lstmcast.parallel",
]
SKIPPED_PARAMETERS = {"self", "cls", "args", "kwargs", "options"}
METHODS = ("fit", "predict", "predict_one_step", "predict_proba", "score", "save", "load", "forecast_panel", "table")


def _section(doc: str, title: str) -> str | None:
    match = re.search(rf"^\s*{title}\n\s*-{{3,}}\n(.*?)(?=^\s*\w[\w ]*\n\s*-{{3,}}\n|\Z)", doc, re.S | re.M)
    return None if match is None else match.group(1)


def _documented(doc: str) -> set[str]:
    names: set[str] = set()
    for title in ("Parameters", "Other Parameters", "Attributes"):
        section = _section(doc, title)
        if section:
            for line in section.splitlines():
                head = re.match(r"^\s{0,8}\*{0,2}([A-Za-z_][\w, ]*?)\s*(:|$)", line)
                if head and line.strip() and not line.startswith(" " * 9):
                    names.update(name.strip() for name in head.group(1).split(","))
    return names


def _public() -> list[tuple[str, object]]:
    found = {}
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return sorted(found.items())


def _class_parameters(cls) -> tuple[list[str], set[str]]:
    """A class's constructor parameters, and those documented on it or on the base declaring them."""
    parameters = [p for p in inspect.signature(cls).parameters if p not in SKIPPED_PARAMETERS]
    documented = set()
    for klass in cls.__mro__:
        documented |= _documented(inspect.getdoc(klass) or "") if klass.__doc__ else set()
    return parameters, documented


def _callables():
    for qualname, obj in _public():
        if inspect.isclass(obj):
            if issubclass(obj, Exception):
                continue
            yield qualname, obj
            for method in METHODS:
                member = obj.__dict__.get(method)
                if member is not None:
                    yield f"{qualname}.{method}", getattr(obj, method)
        else:
            yield qualname, obj


CALLABLES = list(_callables())


@pytest.mark.parametrize("qualname, obj", CALLABLES, ids=[name for name, _ in CALLABLES])
def test_every_parameter_is_documented(qualname, obj):
    if inspect.isclass(obj):
        parameters, documented = _class_parameters(obj)
    else:
        doc = inspect.getdoc(obj) or ""
        parameters = [p for p in inspect.signature(obj).parameters if p not in SKIPPED_PARAMETERS]
        documented = _documented(doc)
    missing = [p for p in parameters if p not in documented]
    assert not missing, f"{qualname}: undocumented parameters {missing} (numpydoc 'Parameters' section)"


@pytest.mark.parametrize("qualname, obj", CALLABLES, ids=[name for name, _ in CALLABLES])
def test_what_is_returned_is_documented(qualname, obj):
    if inspect.isclass(obj):
        return
    returns = inspect.signature(obj).return_annotation
    if returns in (None, "None", inspect.Signature.empty) or str(returns).startswith("Iterator"):
        return
    doc = inspect.getdoc(obj) or ""
    assert _section(doc, "Returns") or _section(doc, "Yields"), f"{qualname}: no 'Returns' section"
