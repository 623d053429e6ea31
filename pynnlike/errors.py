"""The exceptions users catch: each one names the model, parameter or backend involved."""


class InvalidParameterValueError(ValueError):
    """A value has the wrong type or is out of range."""


class NonExistentParameterError(KeyError):
    """An unknown parameter name; the message lists the valid names."""

    def __init__(self, parameter_name, model_name, valid_parameter_names=('unknown',)):
        self.parameter_name = parameter_name
        self.model_name = model_name
        self.valid_parameter_names = sorted(valid_parameter_names)
        super().__init__(parameter_name)

    def __str__(self):
        return (f"{self.model_name} has no parameter {self.parameter_name!r}; valid names are: "
                f"{', '.join(self.valid_parameter_names)}")


class InvalidDimensionsError(ValueError):
    """An array's size or shape does not match the population or projection."""


class ConnectionError(Exception):  # noqa: A001 - PyNN's name, shadows the builtin on purpose
    """An invalid projection or connection (receptor type, weight sign, delay range, sizes)."""


class InvalidModelError(Exception):
    """An inconsistent model composition."""


class NoModelAvailableError(Exception):
    """A combination of model components that has no definition."""


class NotLocalError(Exception):
    """Parameters of a cell that lives on another MPI rank were accessed."""


class RecordingError(Exception):
    """A variable the cell type cannot record was asked for; the message lists the recordables."""

    def __init__(self, variable, cell_type):
        self.variable = variable
        self.cell_type = cell_type
        super().__init__(variable, cell_type)

    def __str__(self):
        name = getattr(self.cell_type, "__name__", type(self.cell_type).__name__)
        recordable = getattr(self.cell_type, "recordable", [])
        return (f"{name} cannot record {self.variable!r}; "
                f"recordable variables are: {', '.join(recordable)}")


class NothingToWriteError(OSError):
    """Data were to be written, but nothing was recorded."""


class InvalidWeightError(ValueError):
    """Reserved, kept for compatibility with PyNN."""


class RoundingWarning(Warning):
    """A time was rounded to the time grid."""
