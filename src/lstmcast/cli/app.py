"""The command-line application and its sub-application for recipes (commands register on them)."""

import typer

app = typer.Typer(
    help="Forecast and classify sequences with LSTMs, always beside honest baselines.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
recipe_app = typer.Typer(help="The classic Keras LSTM tutorials, one command each.", no_args_is_help=True)
app.add_typer(recipe_app, name="recipe")
