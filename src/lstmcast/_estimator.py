"""scikit-learn's estimator habits without depending on scikit-learn.

``__init__`` only stores its keyword arguments; ``get_params``/``set_params`` read them back from
the signature, so ``clone``-style copies and grid searches need no wrapper.
"""

from __future__ import annotations

import inspect
from typing import Any

from lstmcast.errors import InvalidInputError, NotFittedError


class Estimator:
    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [p.name for p in signature.parameters.values() if p.name != "self" and p.kind == p.KEYWORD_ONLY]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> "Estimator":
        unknown = set(params) - set(self._param_names())
        if unknown:
            raise InvalidInputError(f"unknown parameters {sorted(unknown)} for {type(self).__name__}; valid: {self._param_names()}")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def _check_fitted(self, attribute: str) -> None:
        if not hasattr(self, attribute):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet; call fit(y) first")

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()}
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if defaults.get(k) != v]
        return f"{type(self).__name__}({', '.join(changed)})"


def clone(estimator: Estimator) -> Estimator:
    """An unfitted copy with the same parameters."""
    return type(estimator)(**estimator.get_params())
