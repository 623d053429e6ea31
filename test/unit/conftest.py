import sys

import pytest

from fakedriver import Face


@pytest.fixture
def sim():
    """A face on the in-memory driver, set up with dt = 0.1 ms."""
    face = Face()
    sys.modules["fakeface"] = face
    face.setup(timestep=0.1)
    yield face
    del sys.modules["fakeface"]
