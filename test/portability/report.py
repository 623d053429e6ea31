"""Writes docs/portability.md and docs/portability/*.png from the portability cases: what each
backend supports (its capabilities()) and how closely every pair of backends agrees on every
case, against the tolerance the suite asserts.

Usage: python test/portability/report.py   (or `make portability`)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import cases  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir)
DOCS = os.path.join(ROOT, "docs")
FIGURES = os.path.join(DOCS, "portability")


def _mark(passed):
    return "✓" if passed else "✗"


def capability_table():
    capabilities = {b: cases.capabilities(b) for b in cases.BACKENDS}
    names = [capabilities[b]["backend"] for b in cases.BACKENDS]
    lines = ["| | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for key, title in (("cell_types", "cell type"), ("synapse_types", "synapse type"),
                       ("electrodes", "electrode")):
        every = list(dict.fromkeys(n for b in cases.BACKENDS for n in capabilities[b][key]))
        every += [n for n in cases.CELL_CASES if key == "cell_types" and n not in every]
        for name in every:
            lines.append(f"| {title}: `{name}` | " + " | ".join(
                "✓" if name in capabilities[b][key] else "—" for b in cases.BACKENDS) + " |")
    for key, title in (("native_connectors", "native connector fast path"),
                       ("parallel", "parallel mode")):
        lines.append(f"| {title} | " + " | ".join(
            ", ".join(capabilities[b][key]) or "—" for b in cases.BACKENDS) + " |")
    return lines


def _cell_entry(name, pair, protocol):
    if not all(cases.supported(b, name) for b in pair):
        return "n/a", None
    a, b = (cases.run_cell_case(backend, name)[protocol] for backend in pair)
    difference = cases.compare_runs(a, b, cases.ARRIVALS if protocol == "synaptic" else (),
                                    cases.CELL_CASES[name].dt)
    limit = cases.tolerance(name, pair)
    rate = abs(difference.counts[0] - difference.counts[1]) / (cases.T / 1000.0)
    rms = max(difference.rms.values(), default=0.0)
    shift = "—" if not np.isfinite(difference.max_spike_shift) else \
        f"{difference.max_spike_shift:.2g}"
    return (f"{_mark(difference.within(limit))} {shift} / {rms:.1g} / {rate:g}", limit)


def cell_tables():
    pairs = [f"{a}–{b}" for a, b in cases.PAIRS]
    lines, reasons = [], {}
    for protocol in ("step", "synaptic"):
        lines += ["", f"### Single cells, {protocol} protocol", "",
                  "Each entry: pass/fail, max spike-time difference (ms) / max trace RMS "
                  "difference outside spike windows (mV, µS, nA) / rate difference (Hz).", "",
                  "| cell type | dt (ms) | " + " | ".join(pairs) + " |",
                  "|---" * (len(pairs) + 2) + "|"]
        for name, case in cases.CELL_CASES.items():
            entries = []
            for pair in cases.PAIRS:
                text, limit = _cell_entry(name, pair, protocol)
                entries.append(text)
                if limit is not None:
                    reasons[limit.reason] = limit
            lines.append(f"| `{name}` | {case.dt:g} | " + " | ".join(entries) + " |")
    entries = []
    for pair in cases.PAIRS:
        difference = cases.gif_difference(*(cases.run_gif_case(b) for b in pair))
        entries.append(f"{_mark(difference < 4.0)} {difference:.2f} standard errors")
    lines += ["", f"`GIF_cond_exp` (stochastic firing, each backend's own streams): difference "
              f"of the mean spike counts of {cases.GIF_CELLS} cells over 1 s (tolerance 4 "
              f"standard errors): " + "; ".join(f"{a}–{b} {e}" for (a, b), e in
                                                zip(cases.PAIRS, entries))]
    return lines, reasons


def input_tables():
    pairs = [f"{a}–{b}" for a, b in cases.PAIRS]
    lines = ["", "### Spike sources (identical trains for one seed)", "",
             "| source | " + " | ".join(pairs) + " |", "|---" * (len(pairs) + 1) + "|"]
    for name in cases.SOURCE_CASES:
        entries = []
        for pair in cases.PAIRS:
            a, b = (cases.run_source_case(backend, name) for backend in pair)
            same = [len(x) == len(y) and np.allclose(x, y, rtol=0, atol=1e-9)
                    for x, y in zip(a, b)]
            entries.append(f"{_mark(all(same))} {sum(same)}/{len(same)} trains identical")
        lines.append(f"| `{name}` | " + " | ".join(entries) + " |")
    lines += ["", "### Electrodes (IF_curr_exp)", "",
              "| electrode | " + " | ".join(pairs) + " |", "|---" * (len(pairs) + 1) + "|"]
    for name in cases.ELECTRODE_CASES:
        entries = []
        for pair in cases.PAIRS:
            a, b = (cases.run_electrode_case(backend, name) for backend in pair)
            difference = cases.compare_runs(a, b)
            entries.append(f"{_mark(difference.within(cases.tolerance(name, pair)))} "
                           f"{difference.max_spike_shift:.2g} / {difference.rms['v']:.1g}")
        lines.append(f"| `{name}` | " + " | ".join(entries) + " |")
    same = [cases.run_data_case(b) == cases.run_data_case(cases.BACKENDS[0])
            for b in cases.BACKENDS[1:]]
    lines += ["", f"**Neo structure of get_data()** (segments, signals, shapes, units, "
              f"sampling, annotations, ids): {_mark(all(same))} identical on "
              f"{', '.join(cases.BACKENDS)}."]
    return lines


def network_tables():
    pairs = [f"{a}–{b}" for a, b in cases.PAIRS]
    lines = ["", "### Networks", "",
             "Each entry: pass/fail, connectivity identical, fraction of cells with identical "
             "spike trains / max relative rate difference / max CV difference, over seeds "
             f"{', '.join(map(str, cases.NETWORK_SEEDS))}.", "",
             "| network | " + " | ".join(pairs) + " |", "|---" * (len(pairs) + 1) + "|"]
    reasons = {}
    for name in cases.NETWORK_CASES:
        entries = []
        for pair in cases.PAIRS:
            limit = cases.network_tolerance(pair)
            reasons[limit.reason] = limit
            worst, passed, connected = [1.0, 0.0, 0.0], True, True
            for seed in cases.NETWORK_SEEDS:
                a, b = (cases.run_network_case(backend, name, seed) for backend in pair)
                same, measures = cases.network_difference(a, b)
                connected &= same
                for identical, rate, cv in measures:
                    worst = [min(worst[0], identical), max(worst[1], rate), max(worst[2], cv)]
                    passed &= (identical >= limit.identical and rate <= limit.rate
                               and cv <= limit.cv)
            entries.append(f"{_mark(passed and connected)} {'same' if connected else 'DIFFERENT'}"
                           f" / {worst[0]:.2f} / {worst[1]:.3f} / {worst[2]:.3f}")
        lines.append(f"| {name} | " + " | ".join(entries) + " |")
    return lines, reasons


def synapse_tables():
    pairs = [f"{a}–{b}" for a, b in cases.PAIRS]
    lines = ["", "### Synaptic plasticity", "",
             "STDP: pass/fail, fraction of post-synaptic cells with identical spike trains / "
             "largest difference (µS) of the final weights onto those cells (tolerance "
             f"{cases.PLASTIC_WEIGHT_TOLERANCE:g}). Tsodyks-Markram: max spike-time difference "
             "/ max RMS difference of v and gsyn_exc.", "",
             "| case | " + " | ".join(pairs) + " |", "|---" * (len(pairs) + 1) + "|"]
    for name in cases.PLASTICITY_CASES:
        entries = []
        for pair in cases.PAIRS:
            a, b = (cases.run_plasticity_case(backend, name) for backend in pair)
            identical, delta = cases.plasticity_difference(a, b)
            passed = identical >= 0.5 and delta <= cases.PLASTIC_WEIGHT_TOLERANCE
            entries.append(f"{_mark(passed)} {identical:.2f} / {delta:.1g}")
        lines.append(f"| STDPMechanism({name}) | " + " | ".join(entries) + " |")
    for name in cases.STP_CASES:
        entries = []
        for pair in cases.PAIRS:
            (a, arrivals), (b, _) = (cases.run_stp_case(backend, name) for backend in pair)
            difference = cases.compare_runs(a, b, arrivals)
            entries.append(f"{_mark(difference.within(cases.tolerance(name, pair)))} "
                           f"{difference.max_spike_shift:.2g} / "
                           f"{max(difference.rms.values()):.1g}")
        lines.append(f"| TsodyksMarkramSynapse, {name} | " + " | ".join(entries) + " |")
    return lines


def figures():
    """One figure per model family: the step-protocol membrane trace of each cell type on every
    backend."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(FIGURES, exist_ok=True)
    families = {}
    for name, case in cases.CELL_CASES.items():
        families.setdefault(case.family, []).append(name)
    written = []
    for family, names in families.items():
        fig, axes = plt.subplots(len(names), 1, figsize=(8, 1.8 * len(names)), sharex=True,
                                 squeeze=False)
        for axis, name in zip(axes[:, 0], names):
            dt = cases.CELL_CASES[name].dt
            for backend in cases.BACKENDS:
                if cases.supported(backend, name):
                    v = cases.run_cell_case(backend, name)["step"]["v"]
                    axis.plot(np.arange(len(v)) * dt, v, linewidth=0.8, label=backend)
            axis.set_title(name, fontsize=8)
            axis.set_ylabel("v (mV)", fontsize=8)
        axes[0, 0].legend(fontsize=7, loc="upper left")
        axes[-1, 0].set_xlabel("time (ms)")
        fig.tight_layout()
        filename = family.split(" ")[0].lower().replace("-", "_") + ".png"
        fig.savefig(os.path.join(FIGURES, filename), dpi=80)
        plt.close(fig)
        written.append((family, filename))
    return written


def main():
    cell_lines, cell_reasons = cell_tables()
    network_lines, network_reasons = network_tables()
    lines = ["# Portability report", "",
             "Generated by `python test/portability/report.py` (`make portability`) from the "
             "cases in `test/portability/cases.py`; the tests in `test/portability/` assert the "
             "same tolerances. Do not edit by hand.", "",
             f"Backends: {', '.join(cases.BACKENDS)}; every case runs the same script on each, "
             f"with `setup({', '.join(f'{k}={v!r}' for k, v in cases.SETUP.items())})`.", "",
             "## What each backend supports", "", *capability_table(), "",
             "## Agreement between backends", *cell_lines, *input_tables(), *network_lines,
             *synapse_tables(), "",
             "## Tolerances and why", ""]
    for limit in cell_reasons.values():
        special = "".join(f", {k} ≤ {v:g}" for k, v in limit.rms.items())
        lines.append(f"- spike times within {limit.spike_shift:g} ms, trace RMS ≤ "
                     f"{limit.rms_default:g}{special}: {limit.reason}")
    for limit in network_reasons.values():
        lines.append(f"- networks: ≥ {limit.identical:.0%} of the trains identical, rates "
                     f"within {limit.rate:.0%}, CV within {limit.cv:g}: {limit.reason}")
    lines += ["", "## Figures", ""]
    for family, filename in figures():
        lines.append(f"- {family}: ![{family}](portability/{filename})")
    with open(os.path.join(DOCS, "portability.md"), "w") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"wrote {os.path.join(DOCS, 'portability.md')}")


if __name__ == "__main__":
    main()
