"""Small building blocks shared by several modules."""
import abc


class IndexBasedExpression(abc.ABC):
    """A function of (pre index, post index) giving a probability or a synapse parameter value.

    Subclasses implement `__call__(i, j)` for int arrays `i`, `j` of equal length (or
    broadcastable against each other). Before evaluation, a copy of the expression gets its
    `projection` attribute set, so expressions can look at positions, sizes or labels while the
    user's object stays untouched.
    """

    projection = None

    @abc.abstractmethod
    def __call__(self, i, j):
        """Values for the index pairs (i, j)."""
