"""Composing transforms (``chain``), and rebuilding any transform from its saved config."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lstmcast.errors import InvalidInputError
from lstmcast.transforms.base import Transform, as_positions, as_values, require_length
from lstmcast.transforms.difference import Difference
from lstmcast.transforms.pointwise import Log, MinMaxScale, StandardScale

_TRANSFORMS = {kind.__name__: kind for kind in (Difference, Log, MinMaxScale, StandardScale)}


@dataclass(frozen=True)
class Pipeline:
    """Transforms applied in order, inverted in reverse; itself a transform.

    Each step is fitted on the output of the steps before it (a scaler after a difference
    learns the scale of the differences). The state is the list of the steps' states.

    Parameters
    ----------
    steps : tuple of Transform, default ()
        The transforms, in the order they are applied.
    """

    steps: tuple[Transform, ...] = ()

    def __post_init__(self) -> None:
        steps = tuple(self.steps)
        needed = ("fit", "apply", "invert", "invert_one_step", "history_length", "to_config")
        for step in steps:
            if not all(hasattr(step, attribute) for attribute in needed):
                raise InvalidInputError(f"a pipeline step must be a transform, got {step!r}")
        object.__setattr__(self, "steps", steps)

    @property
    def history_length(self) -> int:
        """How many original values come before the first fully transformed one."""
        return sum(step.history_length for step in self.steps)

    def fit(self, y: ArrayLike) -> list:
        """Fit each step on the output of the steps before it.

        Parameters
        ----------
        y : array-like
            The training values, which the first step is fitted on.

        Returns
        -------
        list
            The steps' states, in order.
        """
        y = as_values(y, "y")
        states = []
        for step in self.steps:
            states.append(step.fit(y))
            y = step.apply(y, states[-1])
        return states

    def apply(self, y: ArrayLike, state: list) -> np.ndarray:
        y = as_values(y, "y")
        for step, step_state in zip(self.steps, self._check_state(state)):
            y = step.apply(y, step_state)
        return y

    def invert(self, z: ArrayLike, state: list, history: ArrayLike) -> np.ndarray:
        state = self._check_state(state)
        history = as_values(history, "history")
        require_length(history, self.history_length, "history", self)
        inputs = self._step_inputs(history[len(history) - self.history_length :], state)
        z = as_values(z, "z")
        for step, step_state, step_history in reversed(list(zip(self.steps, state, inputs))):
            z = step.invert(z, step_state, step_history)
        return z

    def invert_one_step(self, z: ArrayLike, state: list, y_true: ArrayLike, positions: ArrayLike) -> np.ndarray:
        state = self._check_state(state)
        z, y_true = as_values(z, "z"), as_values(y_true, "y_true")
        positions = as_positions(positions, len(z), self.history_length, len(y_true))
        inputs = self._step_inputs(y_true, state)
        # A step's input is shorter than y_true by the history the steps before it used up.
        dropped = np.cumsum([0] + [step.history_length for step in self.steps[:-1]])
        for step, step_state, step_input, offset in reversed(list(zip(self.steps, state, inputs, dropped))):
            z = step.invert_one_step(z, step_state, step_input, positions - offset)
        return z

    def to_config(self) -> dict:
        return {"name": "Pipeline", "steps": [step.to_config() for step in self.steps]}

    def _step_inputs(self, y: np.ndarray, state: list) -> list[np.ndarray]:
        """What each step sees as its input when the pipeline transforms ``y``."""
        inputs = [y]
        for step, step_state in zip(self.steps[:-1], state[:-1]):
            inputs.append(step.apply(inputs[-1], step_state))
        return inputs

    def _check_state(self, state: list) -> list:
        if not isinstance(state, (list, tuple)) or len(state) != len(self.steps):
            raise InvalidInputError(
                f"a state for this pipeline is a list of {len(self.steps)} step states, got "
                f"{state!r}; use the state that this pipeline's fit returned"
            )
        return list(state)


def chain(*steps: Transform) -> Pipeline:
    """``Pipeline(steps)``: e.g. ``chain(Log(), Difference(12), MinMaxScale((-1, 1)))``.

    Parameters
    ----------
    *steps : Transform
        The transforms, in the order they are applied.

    Returns
    -------
    Pipeline
    """
    return Pipeline(steps)


def from_config(config: dict) -> Transform:
    """Rebuild a transform or pipeline from its ``to_config()`` (e.g. after a JSON round trip).

    Parameters
    ----------
    config : dict
        What ``to_config()`` returned: a ``name`` and the settings.

    Returns
    -------
    Transform

    Raises
    ------
    InvalidInputError
        Not a config, an unknown transform, or invalid settings.
    """
    if not isinstance(config, dict) or "name" not in config:
        raise InvalidInputError(f"a transform config is a dict with a 'name', got {config!r}")
    settings = {key: value for key, value in config.items() if key != "name"}
    name = config["name"]
    if name == "Pipeline":
        if set(settings) != {"steps"} or not isinstance(settings["steps"], list):
            raise InvalidInputError(f"a Pipeline config has one list of 'steps', got {config!r}")
        return Pipeline(tuple(from_config(step) for step in settings["steps"]))
    if name not in _TRANSFORMS:
        raise InvalidInputError(f"unknown transform {name!r}; the transforms are {', '.join(_TRANSFORMS)}, Pipeline")
    try:
        return _TRANSFORMS[name](**settings)
    except TypeError as error:
        raise InvalidInputError(f"invalid settings for {name} in {config!r}: {error}") from None
