"""capabilities(): what a backend supports is asked of its driver, so the documentation
generated from it cannot disagree with the code."""
import pytest

from fakedriver import Face
from pynnlike.standardmodels import electrodes
from pynnlike.standardmodels.cells import list_standard_models


def test_capabilities_need_setup():
    with pytest.raises(RuntimeError, match="setup"):
        Face().capabilities()


def test_a_driver_that_takes_every_model_supports_everything(sim):
    found = sim.capabilities()
    assert found["backend"] == "Fake"
    standard = [n for n in list_standard_models() if n != "PointNeuron"]
    assert found["cell_types"][:len(standard)] == standard
    assert len(found["cell_types"]) == len(standard) + 8  # PointNeuron: 2 neurons x 4 PSRs
    assert found["recordables"]["IF_cond_exp"] == ["spikes", "v", "gsyn_exc", "gsyn_inh"]
    # every synapse type, and each STDP combination API.md §5 allows (Vogels: additive only)
    assert len(found["synapse_types"]) == 6 + 4 + 1
    assert found["electrodes"] == electrodes.__all__
    assert found["parallel"] == [] and found["native_connectors"] == []


def test_what_the_driver_refuses_is_left_out(sim, monkeypatch):
    driver = sim.state.driver
    original = driver.cell_model

    def refusing(celltype):
        if type(celltype).__name__ == "Izhikevich":
            raise NotImplementedError("Fake has no Izhikevich")
        return original(celltype)

    def no_plasticity(synapse_type, post_model, receptor_type):
        if type(synapse_type).__name__ == "STDPMechanism":
            raise NotImplementedError("Fake has no STDP")
        return type(driver).synapse_model(driver, synapse_type, post_model, receptor_type)

    monkeypatch.setattr(driver, "cell_model", refusing)
    monkeypatch.setattr(driver, "synapse_model", no_plasticity)
    found = sim.capabilities()
    assert "Izhikevich" not in found["cell_types"] and "IF_cond_exp" in found["cell_types"]
    assert not any(name.startswith("STDP") for name in found["synapse_types"])
    assert "TsodyksMarkramSynapse" in found["synapse_types"]
