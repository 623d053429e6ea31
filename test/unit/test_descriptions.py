"""pynnlike.descriptions: built-in templates, engines, template files."""
import pytest

from pynnlike import descriptions
from pynnlike.descriptions import StringTemplateEngine, render

POPULATION = {
    "label": "exc", "celltype": "IF_cond_exp",
    "structure": {"name": "Line", "parameters": {"dx": 1.0}},
    "size": 80, "size_local": 40, "first_id": 0, "last_id": 79, "local_first_id": 0,
    "cell_parameters": {"tau_m": 20.0, "cm": 1.0}, "experiment": "annotations are ignored",
}

POPULATION_TEXT = """\
Population 'exc'
    Structure       :
        name: Line
        parameters:
            dx: 1.0
    Cells           : 80 (40 local)
    Cell type       : IF_cond_exp
    ID range        : 0-79
    First local ID  : 0
    Cell parameters :
        tau_m: 20.0
        cm: 1.0"""


@pytest.mark.parametrize("engine", ["default", StringTemplateEngine, StringTemplateEngine(),
                                    descriptions.Jinja2TemplateEngine])
def test_population_description(engine):
    # built-in templates give the same text whatever the engine
    assert render(engine, "population_default.txt", POPULATION) == POPULATION_TEXT


def test_template_none_returns_context_itself():
    assert render("default", None, POPULATION) is POPULATION


def test_assembly_lists_members():
    context = {"label": "all", "populations": [{"label": "exc", "size": 80}, "inh\n  (view)"]}
    assert render("default", "assembly_default.txt", context) == (
        "Assembly 'all'\n"
        "    Populations :\n"
        "        - label: exc\n"
        "          size: 80\n"
        "        - inh\n"
        "            (view)")


def test_projection_description():
    context = {"label": "exc→inh", "pre": "exc", "post": "inh", "source": None,
               "receptor_type": "excitatory", "size_local": 12, "size": 30,
               "connector": {"name": "FixedProbabilityConnector", "parameters": {"p_connect": 0.1}},
               "plasticity": None}
    assert render("default", "projection_default.txt", context) == (
        "Projection 'exc→inh'\n"
        "    Presynaptic   : exc\n"
        "    Postsynaptic  : inh\n"
        "    Source        : None\n"
        "    Receptor type : excitatory\n"
        "    Connections   : 12 local, 30 in total\n"
        "    Connector     :\n"
        "        name: FixedProbabilityConnector\n"
        "        parameters:\n"
        "            p_connect: 0.1\n"
        "    Plasticity    : None")


@pytest.mark.parametrize("template, first_line", [
    ("modeltype_default.txt", "SpikePairRule"),
    ("connector_default.txt", "Connector SpikePairRule"),
    ("structure_default.txt", "Structure SpikePairRule"),
    ("synapsedynamics_default.txt", "Synapse type SpikePairRule"),
])
def test_name_and_parameters_templates(template, first_line):
    context = {"name": "SpikePairRule", "parameters": {"tau_plus": 20.0, "A_plus": 0.01}}
    assert render("default", template, context).split("\n") == [
        first_line, "    Parameters :", "        tau_plus: 20.0", "        A_plus: 0.01"]


def test_empty_parameters():
    text = render("default", "modeltype_default.txt", {"name": "X", "parameters": {}})
    assert text == "X\n    Parameters : (none)"


def test_missing_context_key_is_named():
    with pytest.raises(KeyError, match="needs the context key 'parameters'"):
        render("default", "connector_default.txt", {"name": "AllToAllConnector"})


def test_unknown_template_name():
    with pytest.raises(ValueError, match="unknown template 'nothing_default.txt'"):
        render("default", "nothing_default.txt", {})


def test_bad_engine():
    with pytest.raises(TypeError, match="TemplateEngine"):
        render("mustache", "population_default.txt", POPULATION)


def test_template_files(tmp_path):
    string_file = tmp_path / "mine.txt"
    string_file.write_text("$label has $size cells")
    assert render(StringTemplateEngine, str(string_file), POPULATION) == "exc has 80 cells"
    jinja_file = tmp_path / "mine.j2"
    jinja_file.write_text("{{ label }}:{% for k, v in cell_parameters.items() %} {{ k }}={{ v }}"
                          "{% endfor %}")
    assert render(descriptions.Jinja2TemplateEngine, str(jinja_file), POPULATION) == \
        "exc: tau_m=20.0 cm=1.0"


def test_default_engine(monkeypatch):
    # jinja2 is installed in the project's environment, so it is the default as in PyNN
    assert descriptions.get_default_template_engine() is descriptions.Jinja2TemplateEngine
    monkeypatch.setattr(descriptions, "DEFAULT_TEMPLATE_ENGINE", StringTemplateEngine)
    assert descriptions.get_default_template_engine() is StringTemplateEngine
