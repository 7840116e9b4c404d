"""Recipes: the variants' settings (the tutorial's leak in ``faithful`` only, ``improved`` from the
training part only) and the run's summary, checked against values computed here."""

import numpy as np
import pytest

from lstmcast import recipes
from lstmcast.datasets import load
from lstmcast.errors import InvalidInputError
from lstmcast.forecast import recommended_params


@pytest.mark.parametrize("name", ["airline", "milk", "sunspots"])
def test_faithful_leaks_the_whole_series_range_and_fixed_does_not(name):
    recipe = recipes.get(name)
    values = np.arange(10.0) * 3 + 7
    faithful, fixed = recipe.params("faithful", values, 6), recipe.params("fixed", values, 6)
    assert recipe.leaky_scaler
    assert faithful["scale_range"] == (values.min(), values.max())  # the tutorial's scaler.fit(dataset)
    assert "scale_range" not in fixed  # fitted on the training part by the forecaster
    assert {k: v for k, v in faithful.items() if k != "scale_range"} == fixed


def test_a_recipe_without_the_leak_has_equal_faithful_and_fixed_settings():
    recipe = recipes.get("shampoo")
    values = np.arange(36.0)
    assert not recipe.leaky_scaler
    assert recipe.params("faithful", values, 24) == recipe.params("fixed", values, 24)


def test_improved_settings_look_at_the_training_part_only():
    recipe = recipes.get("airline")
    values = load("airline").to_numpy()
    improved = recipe.params("improved", values, 96)
    expected = recommended_params(values[:96], 12)
    expected.pop("n_models")
    assert improved == expected
    changed = values.copy()
    changed[96:] *= 10  # the test part cannot change the settings
    assert recipe.params("improved", changed, 96) == improved


def test_unknown_variant_and_recipe():
    with pytest.raises(InvalidInputError, match="variant"):
        recipes.get("airline").params("best", np.arange(10.0), 5)
    with pytest.raises(InvalidInputError, match="airline"):
        recipes.get("airplane")


def test_fixed_deviations_drop_only_the_leak():
    summary = recipes.run("airline", variant="fixed", seeds=2, epochs=1, out_root=None, verbose=0)
    faithful = recipes.get("airline").deviations
    assert summary["deviations"] == [d for d in faithful if "whole series" not in d]
    assert len(summary["deviations"]) == len(faithful) - 1
    assert "scale_range" not in summary["settings"]
