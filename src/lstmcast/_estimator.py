"""scikit-learn's estimator habits without depending on scikit-learn.

An estimator's parameters are its annotated class attributes: every subclass of ``Estimator`` is
made a keyword-only dataclass, so ``__init__`` is written for it and only stores its keyword
arguments (a subclass that writes its own ``__init__`` keeps it). Parameters shared by several
estimators are declared once, on a common base class, and inherited with their documentation; a
subclass redeclares a parameter to change its default. Class attributes that are not parameters
are ``ClassVar``. ``__init__`` only stores; ``get_params``/``set_params`` read them back from
the signature (nested ``step__param`` keys reach estimators held as parameters), so ``clone`` and
grid searches need no wrapper. ``clone`` deep-copies the parameters, as scikit-learn's does, so a
list given to one estimator is never shared with its copy, and it refuses a class whose
``__init__`` alters what it is given (validation belongs in ``fit``).
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
from typing import Any

from lstmcast.errors import EstimatorError, InvalidInputError, NotFittedError


class Estimator:
    """Base class: parameters are the keyword-only arguments of ``__init__``, stored unchanged."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(kw_only=True, eq=False, repr=False)(cls)

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [p.name for p in signature.parameters.values() if p.name != "self" and p.kind == p.KEYWORD_ONLY]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters by name; with ``deep``, also ``name__sub`` for estimators held as parameters."""
        params = {}
        for name in self._param_names():
            value = getattr(self, name)
            params[name] = value
            if deep and isinstance(value, Estimator):
                params.update({f"{name}__{key}": sub for key, sub in value.get_params(deep=True).items()})
        return params

    def set_params(self, **params: Any) -> Estimator:
        """Set parameters (``name__sub`` sets a parameter of an estimator held as a parameter).
        Every name is checked before anything is set: a typo changes nothing."""
        valid = self._param_names()
        direct: dict[str, Any] = {}
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise InvalidInputError(f"unknown parameter {name!r} for {type(self).__name__}; valid: {valid}")
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                direct[name] = value
        for name in nested:
            holder = direct.get(name, getattr(self, name))
            if not isinstance(holder, Estimator):
                raise InvalidInputError(
                    f"{name!r} of {type(self).__name__} is not an estimator, so {name}__... cannot be set"
                )
            unknown = {key.partition("__")[0] for key in nested[name]} - set(holder._param_names())
            if unknown:
                raise InvalidInputError(
                    f"unknown parameter {sorted(unknown)[0]!r} for {type(holder).__name__}; "
                    f"valid: {holder._param_names()}"
                )
        for name, value in direct.items():
            setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def _check_fitted(self, attribute: str) -> None:
        if not hasattr(self, attribute):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet; call fit first")

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()}
        changed = [f"{k}={v!r}" for k, v in self.get_params(deep=False).items() if not _same(defaults.get(k), v)]
        return f"{type(self).__name__}({', '.join(changed)})"


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # arrays and the like: shown
        return False


def clone(estimator: Estimator) -> Estimator:
    """An unfitted copy with deep copies of the same parameters (estimators cloned in turn).

    Parameters
    ----------
    estimator : Estimator
        The lstmcast estimator to copy, fitted or not.

    Returns
    -------
    Estimator
        A new, unfitted estimator of the same class.

    Raises
    ------
    InvalidInputError
        ``estimator`` is not an lstmcast estimator.
    EstimatorError
        The class's ``__init__`` did not store a parameter as given.
    """
    if not isinstance(estimator, Estimator):
        raise InvalidInputError(f"clone takes an lstmcast estimator, got {type(estimator).__name__}")
    given = {
        name: clone(value) if isinstance(value, Estimator) else copy.deepcopy(value)
        for name, value in estimator.get_params(deep=False).items()
    }
    copied = type(estimator)(**given)
    stored = copied.get_params(deep=False)
    for name, value in given.items():
        if stored[name] is not value:
            raise EstimatorError(
                f"{type(estimator).__name__}.__init__ changed its parameter {name!r} (got {value!r}, stored "
                f"{stored[name]!r}); an estimator's __init__ must store its arguments unchanged and validate in fit"
            )
    return copied
