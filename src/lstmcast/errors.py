"""Named errors: every failure a user can cause says what is wrong and how to fix it.

The CLI prints any ``LstmcastError`` as one line and exits with status 2; library users can catch
the base class or a specific one. Subclasses also derive from the matching built-in exception so
code written against ``ValueError``/``OSError`` keeps working.
"""


class LstmcastError(Exception):
    """Base class of every error lstmcast raises on purpose."""


class InvalidInputError(LstmcastError, ValueError):
    """Data or arguments that cannot be used as given (NaN, too short, wrong shape, bad option)."""


class DataFileError(LstmcastError, OSError):
    """A data file that cannot be read or parsed."""


class ModelFileError(LstmcastError, OSError):
    """A saved model file that is missing, corrupt, truncated, foreign or from a newer format."""


class OutputExistsError(LstmcastError, FileExistsError):
    """Refusing to overwrite a user's file without being asked to."""


class TrainingDivergedError(LstmcastError, FloatingPointError):
    """Training produced a NaN or infinite loss; the weights are not usable."""


class NotFittedError(LstmcastError, AttributeError):
    """A method that needs a fitted estimator was called before ``fit``."""


class EstimatorError(LstmcastError, RuntimeError):
    """An estimator class breaks the estimator contract (its ``__init__`` changes a parameter)."""


class BaselineFitError(LstmcastError, RuntimeError):
    """A statistical baseline (AutoETS, AutoARIMA, AutoTheta) could not be fitted or applied."""
