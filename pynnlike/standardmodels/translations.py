"""Translation tables: how a standard parameter maps to a simulator's native one.

A table is data, built once per model and backend with `build_translations`. Formula items carry
two functions whose argument names are the parameters they read, so the table itself knows which
native values must be recomputed when a standard value changes (e.g. NEST's g_L = 1000*cm/tau_m).
"""
import inspect


class Translation:
    """One standard <-> native mapping.

    `forward` is called with the standard values named in `standard_inputs`, `reverse` with the
    native values named in `native_inputs`, positionally. Without explicit inputs they are the
    functions' argument names.
    """

    def __init__(self, standard_name, native_name, forward, reverse, standard_inputs=None,
                 native_inputs=None):
        self.standard_name = standard_name
        self.native_name = native_name
        self.forward = forward
        self.reverse = reverse
        self.standard_inputs = tuple(standard_inputs or inspect.signature(forward).parameters)
        self.native_inputs = tuple(native_inputs or inspect.signature(reverse).parameters)

    def __repr__(self):
        return f"Translation({self.standard_name!r} -> {self.native_name!r})"


def build_translations(*items):
    """Items -> dict standard name -> Translation. An item is one of

    - `(standard, native)`: same value;
    - `(standard, native, scale)`: native = standard * scale;
    - `(standard, native, forward, reverse)`: functions whose argument names are the standard
      (forward) and native (reverse) parameters they read;
    - `(standard, native, forward, reverse, standard_inputs, native_inputs)`: the same with the
      names given explicitly (for names that are not identifiers, such as 'AMPA.tau_syn').
    """
    table = {}
    for item in items:
        standard, native = item[:2]
        if len(item) in (2, 3):
            scale = item[2] if len(item) == 3 else 1
            table[standard] = Translation(standard, native, lambda x, s=scale: x * s,
                                          lambda y, s=scale: y / s, (standard,), (native,))
        elif len(item) in (4, 6):
            table[standard] = Translation(*item)
        else:
            raise ValueError(f"a translation item has 2, 3, 4 or 6 elements, not {item!r}")
    return table


def translate(table, values, changed=None):
    """Standard values -> native values.

    `values` maps standard names to arrays (all the model's current values, so formulas find their
    inputs); only the native values that depend on a name in `changed` (default: all) are made.
    """
    native = {}
    for translation in table.values():
        if changed is None or set(translation.standard_inputs) & set(changed):
            inputs = [values[name] for name in translation.standard_inputs]
            native[translation.native_name] = translation.forward(*inputs)
    return native


def reverse_translate(table, native, names=None):
    """Native values -> standard values for `names` (default: all the table's names)."""
    names = table if names is None else names
    return {name: table[name].reverse(*[native[n] for n in table[name].native_inputs])
            for name in names}


def native_inputs(table, names):
    """The native names needed to read back the standard `names`."""
    needed = []
    for name in names:
        for native_name in table[name].native_inputs:
            if native_name not in needed:
                needed.append(native_name)
    return needed
