"""Every script in examples/ runs on every backend (short runs) and writes its figure; the
numbers the scripts print agree across backends wherever they must.

Each selected (example, backend) run is a subprocess of the project's Python, started in its own
temporary directory (so Results/ lands there). The runs are started together, two at a time (the
first import of Brian2 or NEURON in a process is slow, so they overlap), the first time a test
asks for one.
"""
import concurrent.futures
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "examples"
BACKENDS = ("nest", "neuron", "brian2")
WORKERS = 2
TIMEOUT = 400  # s per run; a run that hangs fails instead of blocking the suite

# name -> (script, arguments of a short run, figure name without "_<backend>.png")
EXAMPLES = {
    "simple_network": ("simple_network.py", ["--duration", "300"], "simple_network"),
    "current_injection": ("current_injection.py", [], "current_injection"),
    "cell_type_demonstration": ("cell_type_demonstration.py", ["--duration", "150"],
                                "cell_type_demonstration"),
    "brunel": ("brunel.py", ["--duration", "200", "--order", "100"], "brunel"),
    "va_benchmark_COBA": ("va_benchmark.py", ["--benchmark", "COBA", "--duration", "200",
                                              "--n-cells", "1000"], "va_benchmark_COBA"),
    "va_benchmark_CUBA": ("va_benchmark.py", ["--benchmark", "CUBA", "--duration", "200",
                                              "--n-cells", "1000"], "va_benchmark_CUBA"),
    "spatial": ("spatial.py", ["--duration", "300"], "spatial"),
    "random_distributions": ("random_distributions.py", ["--duration", "300"],
                             "random_distributions"),
    "step_current_source": ("step_current_source.py", ["--duration", "250"],
                            "step_current_source"),
    "izhikevich_patterns": ("izhikevich_patterns.py", ["--duration", "200"],
                            "izhikevich_patterns"),
    # plasticity examples: their numbers are checked by the synapse tests; here they must run
    "stdp": ("stdp.py", ["--duration", "500"], "stdp"),
    "short_term_plasticity": ("short_term_plasticity.py", [], "short_term_plasticity"),
}


def test_every_example_script_is_exercised():
    scripts = {path.name for path in EXAMPLES_DIR.glob("*.py")}
    assert scripts == {script for script, _, _ in EXAMPLES.values()}


# -- running ----------------------------------------------------------------------------------

class Run:
    """The outcome of one example on one backend."""

    def __init__(self, example, backend, directory):
        script, arguments, figure = EXAMPLES[example]
        command = [sys.executable, str(EXAMPLES_DIR / script), backend, "--plot-figure",
                   *arguments]
        environment = {**os.environ, "MPLBACKEND": "Agg"}
        start = time.perf_counter()
        try:
            result = subprocess.run(command, cwd=directory, env=environment, text=True,
                                    capture_output=True, timeout=TIMEOUT)
            self.returncode, self.stdout, self.stderr = (result.returncode, result.stdout,
                                                         result.stderr)
        except subprocess.TimeoutExpired as error:
            self.returncode, self.stdout = None, error.stdout or ""
            self.stderr = f"timed out after {TIMEOUT} s"
        self.seconds = time.perf_counter() - start
        self.figure = Path(directory) / "Results" / f"{figure}_{backend}.png"

    def check(self):
        assert self.returncode == 0, f"exit {self.returncode}\n{self.stdout}\n{self.stderr}"
        return self.stdout


def _needed(session):
    """(example, backend) pairs the selected tests of this module use."""
    pairs = []
    for item in session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.module.__name__ != __name__ or "example" not in params:
            continue
        backends = [params["backend"]] if "backend" in params else BACKENDS
        pairs += [(params["example"], backend) for backend in backends]
    # the slowest backend first, so that the two workers finish together
    return sorted(dict.fromkeys(pairs), key=lambda pair: BACKENDS[::-1].index(pair[1]))


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory):
    """(example, backend) -> Future of a Run; all selected runs start at once."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS)
    futures = {pair: pool.submit(Run, *pair, tmp_path_factory.mktemp("_".join(pair)))
               for pair in _needed(request.session)}
    yield futures
    pool.shutdown(cancel_futures=True)


def outputs(runs, example):
    """stdout of the example on every backend (each run must have succeeded)."""
    return {backend: runs[example, backend].result().check() for backend in BACKENDS}


def numbers(pattern, text):
    """{first group: following groups as floats} for every match of `pattern` in `text`."""
    return {m.group(1): tuple(float(x) for x in m.groups()[1:])
            for m in re.finditer(pattern, text, re.MULTILINE)}


# -- every example on every backend: exit status and figure ------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("example", EXAMPLES)
def test_example_runs_and_writes_its_figure(runs, example, backend):
    import matplotlib.image

    run = runs[example, backend].result()
    stdout = run.check()
    assert f"figure written to Results/{run.figure.name}" in stdout
    assert run.figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run.figure.stat().st_size > 20_000
    image = matplotlib.image.imread(run.figure)
    height, width = image.shape[:2]
    assert width >= 500 and height >= 300
    drawn = np.any(image[..., :3] < 0.9, axis=-1)  # pixels clearly darker than white
    assert 0.01 < drawn.mean() < 0.9, "the figure is (almost) blank or (almost) filled"


# -- the numbers agree across backends ----------------------------------------------------------

SPIKES = r"^(.+?): (\d+) spikes"


def _same_on_every_backend(per_backend):
    reference = per_backend["nest"]
    assert reference, "nothing was parsed from the output"
    for backend, values in per_backend.items():
        assert values == reference, f"{backend} differs from nest"


@pytest.mark.parametrize("example", ["current_injection", "step_current_source"])
def test_deterministic_single_cells_fire_identically(runs, example):
    pattern = SPIKES if example == "current_injection" else r"^(\w+): ([\d ]+)$"
    per_backend = {b: {k: v for k, v in re.findall(pattern, text, re.MULTILINE)}
                   for b, text in outputs(runs, example).items()}
    _same_on_every_backend(per_backend)
    if example == "step_current_source":
        ascending = [int(n) for n in per_backend["nest"]["ascending"].split()]
        descending = [int(n) for n in per_backend["nest"]["descending"].split()]
        assert ascending[0] == 0 and ascending == sorted(ascending) and ascending[-1] > 0
        assert descending[0] > 0 and descending == sorted(descending, reverse=True)


# HH_cond_exp's spike count depends on each backend's integration scheme at dt = 0.1 ms; GIF
# fires stochastically, from per-backend streams
TOLERANT = {"HH_cond_exp": 0.2}
STOCHASTIC = {"GIF_cond_exp"}


@pytest.mark.parametrize("example", ["cell_type_demonstration"])
def test_cell_types_fire_alike_on_every_backend(runs, example):
    counts = {b: {k: v[0] for k, v in numbers(SPIKES, text).items()}
              for b, text in outputs(runs, example).items()}
    names = set(counts["nest"])
    assert len(names) == 18 and all(set(c) == names for c in counts.values())
    for name in sorted(names - STOCHASTIC):
        values = [c[name] for c in counts.values()]
        if name in TOLERANT:
            assert max(values) - min(values) <= TOLERANT[name] * max(values), (name, values)
        else:
            assert len(set(values)) == 1, (name, counts)
    assert counts["nest"]["IF_curr_exp"] > 0 and counts["nest"]["SpikeSourcePoisson"] > 0


@pytest.mark.parametrize("example", ["izhikevich_patterns"])
def test_izhikevich_patterns(runs, example):
    per_backend = {b: numbers(r"^(.+?): (\d+) spikes, first at ([\d.]+) ms", text)
                   for b, text in outputs(runs, example).items()}
    nest = per_backend["nest"]
    assert len(nest) == 7
    # Brian2 integrates with NEST's forward Euler scheme: identical spikes
    assert per_backend["brian2"] == nest
    # NEURON's integration differs slightly: counts within 10 %, first spikes within 0.3 ms
    for name, (count, first) in per_backend["neuron"].items():
        assert abs(count - nest[name][0]) <= 0.1 * nest[name][0], name
        assert abs(first - nest[name][1]) <= 0.3, name
    # the patterns differ: fast spiking fires far more often than regular spiking, and no cell
    # fires before the step starts at 20 ms
    assert nest["fast spiking"][0] > 2 * nest["regular spiking"][0]
    assert all(first > 20.0 for _, first in nest.values())


@pytest.mark.parametrize("example", ["spatial"])
def test_spatial_connectivity_identical_and_activity_local(runs, example):
    texts = outputs(runs, example)
    _same_on_every_backend({b: re.search(r"^connections: .*$", t, re.MULTILINE).group()
                            for b, t in texts.items()})
    rates = {b: numbers(r"^distance (\S+): rate ([\d.]+) Hz", t) for b, t in texts.items()}
    for values in rates.values():
        centre, middle, far = (values[k][0] for k in ("0-3", "3-6", "6-15"))
        assert centre > 5.0 and centre > 5 * middle and far == 0.0
    centres = [values["0-3"][0] for values in rates.values()]
    assert max(centres) - min(centres) <= 0.1 * max(centres)


@pytest.mark.parametrize("example", ["random_distributions"])
def test_random_parameters_identical_on_every_backend(runs, example):
    texts = outputs(runs, example)
    _same_on_every_backend({b: re.findall(r"^\w+: n \d+, mean .*$", t, re.MULTILINE)
                            for b, t in texts.items()})
    stats = numbers(r"^(\w+): n \d+, mean (\S+), sd (\S+)", texts["nest"])
    assert abs(stats["tau_m"][0] - 20.0) < 1.5 and abs(stats["delay"][0] - 3.0) < 0.2
    rates = [numbers(r"^(mean rate) ([\d.]+) Hz", t)["mean rate"][0] for t in texts.values()]
    assert 2.0 < min(rates) and max(rates) - min(rates) <= 0.1 * max(rates)


# networks: each population's rate in a plausible range, the backends within a tolerance
NETWORKS = {
    # example: (line pattern, (low, high) Hz, relative spread allowed across backends)
    "simple_network": (r"^\s*(\w+): \d+ cells, mean rate ([\d.]+) Hz", (5.0, 100.0), 0.1),
    "brunel": (r"^(\w+): rate ([\d.]+) Hz, CV of ISI ([\d.]+)", (20.0, 150.0), 0.25),
    "va_benchmark_COBA": (r"^(\w+): rate ([\d.]+) Hz", (1.0, 100.0), 0.5),
    "va_benchmark_CUBA": (r"^(\w+): rate ([\d.]+) Hz", (1.0, 100.0), 0.5),
}


@pytest.mark.parametrize("example", NETWORKS)
def test_network_rates_plausible_and_alike(runs, example):
    pattern, (low, high), spread = NETWORKS[example]
    per_backend = {b: numbers(pattern, t) for b, t in outputs(runs, example).items()}
    for population in ("excitatory", "inhibitory"):
        rates = [values[population][0] for values in per_backend.values()]
        assert low < min(rates) and max(rates) < high, (population, rates)
        assert max(rates) - min(rates) <= spread * max(rates), (population, rates)
    if example == "brunel":  # asynchronous irregular: irregular firing
        cvs = [v[1] for values in per_backend.values() for v in values.values()]
        assert 0.3 < min(cvs) and max(cvs) < 1.5
    if example.startswith("va_benchmark"):  # connectivity is drawn by pynnlike
        _same_on_every_backend({b: re.search(r"\d+ connections", t).group()
                                for b, t in outputs(runs, example).items()})
