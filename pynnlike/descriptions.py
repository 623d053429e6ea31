"""Human-readable descriptions of network objects: `describe()` renders a context dict with a
template.

The built-in templates (names in `TEMPLATES`) are `string.Template` texts and are always rendered
as such, by every engine, so `describe()` gives the same text whether or not jinja2 is installed.
Any other template must be a file path; its text is rendered by the chosen engine.

In a string.Template, a context value that is a dict becomes indented `name: value` lines, a list
of dicts or of multi-line texts becomes `- ` items, and anything else is `str(value)`; trailing
spaces are removed from every line.
"""
import os
import string
from collections.abc import Mapping

try:
    import jinja2
except ImportError:  # jinja2 is optional
    jinja2 = None

DEFAULT_TEMPLATE_ENGINE = None  # None: Jinja2TemplateEngine when jinja2 imports, else string

_INDENT = "    "

TEMPLATES = {
    "population_default.txt": (
        "Population '$label'\n"
        "    Structure       : $structure\n"
        "    Cells           : $size ($size_local local)\n"
        "    Cell type       : $celltype\n"
        "    ID range        : $first_id-$last_id\n"
        "    First local ID  : $local_first_id\n"
        "    Cell parameters : $cell_parameters"
    ),
    "assembly_default.txt": (
        "Assembly '$label'\n"
        "    Populations : $populations"
    ),
    "projection_default.txt": (
        "Projection '$label'\n"
        "    Presynaptic   : $pre\n"
        "    Postsynaptic  : $post\n"
        "    Source        : $source\n"
        "    Receptor type : $receptor_type\n"
        "    Connections   : $size_local local, $size in total\n"
        "    Connector     : $connector\n"
        "    Plasticity    : $plasticity"
    ),
    "modeltype_default.txt": (
        "$name\n"
        "    Parameters : $parameters"
    ),
    "connector_default.txt": (
        "Connector $name\n"
        "    Parameters : $parameters"
    ),
    "structure_default.txt": (
        "Structure $name\n"
        "    Parameters : $parameters"
    ),
    "synapsedynamics_default.txt": (
        "Synapse type $name\n"
        "    Parameters : $parameters"
    ),
}


def _as_text(value, indent):
    """One context value as text placed after a label; nested lines are indented by `indent`."""
    if isinstance(value, Mapping):
        if not value:
            return "(none)"
        return "".join(f"\n{indent}{key}: {_as_text(item, indent + _INDENT)}"
                       for key, item in value.items())
    if isinstance(value, (list, tuple)) and any(
            isinstance(item, Mapping) or "\n" in str(item) for item in value):
        items = (_as_text(item, indent + "  ").lstrip("\n ") for item in value)
        return "".join(f"\n{indent}- {item}" for item in items)
    return str(value).replace("\n", "\n" + indent)


class TemplateEngine:
    """Base engine: finds a template (built-in name or file) and renders a context dict."""

    @classmethod
    def render(cls, template, context):
        if template in TEMPLATES:
            return StringTemplateEngine.render_text(TEMPLATES[template], context, template)
        if not os.path.isfile(template):
            raise ValueError(f"unknown template {template!r}: neither a built-in template "
                             f"({', '.join(TEMPLATES)}) nor an existing file")
        with open(template, encoding="utf-8") as f:
            return cls.render_text(f.read(), context, template)

    @classmethod
    def render_text(cls, text, context, name):
        raise NotImplementedError


class StringTemplateEngine(TemplateEngine):
    """`string.Template` ($name placeholders); a missing key raises KeyError."""

    @classmethod
    def render_text(cls, text, context, name):
        values = {key: _as_text(value, 2 * _INDENT) for key, value in context.items()}
        try:
            text = string.Template(text).substitute(values)
        except KeyError as error:
            raise KeyError(f"template {name!r} needs the context key {error.args[0]!r}") from None
        return "\n".join(line.rstrip() for line in text.split("\n"))


if jinja2 is not None:
    class Jinja2TemplateEngine(TemplateEngine):
        """Jinja2 syntax for template files; nested context values stay Python objects."""

        @classmethod
        def render_text(cls, text, context, name):
            return jinja2.Template(text).render(context)


def get_default_template_engine():
    """`DEFAULT_TEMPLATE_ENGINE` if set, else Jinja2TemplateEngine when jinja2 imports, else
    StringTemplateEngine."""
    if DEFAULT_TEMPLATE_ENGINE is not None:
        return DEFAULT_TEMPLATE_ENGINE
    return StringTemplateEngine if jinja2 is None else Jinja2TemplateEngine


def render(engine, template, context):
    """Text of `template` filled from `context`; `template=None` returns `context` itself.

    `engine`: 'default' or a TemplateEngine class or instance.
    """
    if template is None:
        return context
    if engine == "default":
        engine = get_default_template_engine()
    if not (isinstance(engine, TemplateEngine)
            or isinstance(engine, type) and issubclass(engine, TemplateEngine)):
        raise TypeError(f"engine must be 'default' or a TemplateEngine, not {engine!r}")
    return engine.render(template, context)
