"""The synapse references agree with each other and with closed forms where the equations
reduce to one, so the backends are compared with something that is itself checked."""
import math

import numpy as np

from synapse_references import (multiquantal_mean, stdp, stochastic_tsodyks_markram_mean,
                                tsodyks_markram, vogels2011)

TIMES = [10.0, 30.0, 35.0, 80.0, 81.0, 200.0]


def test_depression_reaches_the_closed_form_steady_state():
    # regular spikes, no facilitation, delta receptor: x_ss = (1 - e) / (1 - (1 - U) e)
    U, tau_rec, interval = 0.4, 150.0, 20.0
    e = math.exp(-interval / tau_rec)
    out = tsodyks_markram(np.arange(200) * interval, U=U, tau_rec=tau_rec, tau_psc=0.0)
    assert out[0] == U
    assert math.isclose(out[-1], U * (1 - e) / (1 - (1 - U) * e), rel_tol=1e-12)


def test_the_psc_limit_is_continuous():
    a = tsodyks_markram(TIMES, tau_rec=100.0, tau_psc=100.0, tau_facil=50.0)
    b = tsodyks_markram(TIMES, tau_rec=100.0, tau_psc=100.0 * (1 + 1e-7), tau_facil=50.0)
    np.testing.assert_allclose(a, b, rtol=1e-5)


def test_the_stochastic_means_equal_the_deterministic_model_with_a_delta_receptor():
    # the expected fraction of available sites follows x of the three-state model at tau_psc=0
    tm = tsodyks_markram(TIMES, U=0.3, tau_rec=60.0, tau_facil=40.0, tau_psc=0.0)
    np.testing.assert_allclose(stochastic_tsodyks_markram_mean(TIMES, 0.3, 60.0, 40.0), tm,
                               rtol=1e-12)
    for n in (1, 5):
        np.testing.assert_allclose(multiquantal_mean(TIMES, 0.3, n, 60.0, 40.0), tm,
                                   rtol=1e-12)


def test_one_pair_of_the_spike_pair_rule():
    # post 10 ms after pre: potentiation A_plus * w_max * e^(-10/tau_plus); then a pre spike
    # 5 ms after that post: depression A_minus * w_max * e^(-5/tau_minus)
    transmitted, w = stdp([0.0, 15.0], [10.0], 0.5, delay=0.0, A_plus=0.1, A_minus=0.05,
                          tau_plus=20.0, tau_minus=10.0)
    potentiated = 0.5 + 0.1 * math.exp(-10 / 20)
    assert transmitted[0] == 0.5
    assert math.isclose(transmitted[1], potentiated - 0.05 * math.exp(-5 / 10))
    assert w == transmitted[1]


def test_dendritic_fraction_shifts_the_pairing():
    # pre at 0, post at 2, delay 4: f = 1 sees post at 6 (after pre at 0); f = 0 sees pre at
    # 4, after post at 2: depression instead of potentiation
    assert stdp([0.0], [2.0], 0.5, delay=4.0, dendritic_delay_fraction=1.0)[1] > 0.5
    assert stdp([0.0, 10.0], [2.0], 0.5, delay=4.0, dendritic_delay_fraction=0.0)[1] < 0.5


def test_simultaneous_spikes_do_not_pair_and_bounds_clip():
    assert stdp([5.0], [4.0], 0.5, delay=1.0)[1] == 0.5
    assert stdp([0.0], [1.0], 0.99, A_plus=1.0)[1] == 1.0
    _, w = stdp([0.0, 1.0], [0.5], -0.2, delay=0.0, A_plus=0.0, A_minus=1.0, w_min=0.1)
    assert w == -0.1  # sign kept, |w| clipped at w_min


def test_gutig_with_mu_one_is_multiplicative():
    args = ([0.0, 12.0, 30.0], [5.0, 20.0], 0.3)
    multiplicative = stdp(*args, weight_dependence="MultiplicativeWeightDependence")
    gutig = stdp(*args, weight_dependence="GutigWeightDependence", mu_plus=1.0, mu_minus=1.0)
    np.testing.assert_array_equal(multiplicative[0], gutig[0])
    assert multiplicative[1] == gutig[1] != 0.3


def test_vogels_rule_single_pre_spike_depresses_by_eta_alpha():
    _, w = vogels2011([0.0], [], 0.5, eta=0.01, rho=10.0, tau=20.0)
    assert math.isclose(w, 0.5 - 0.01 * 2 * 10.0 * 20.0 / 1000.0)


def test_an_initial_u_decays_from_time_zero():
    # first spike at t: u = u0 e^(-t/tau_facil) + U (1 - u0 e^(-t/tau_facil)), x = 1
    e = math.exp(-10.0 / 50.0)
    first = tsodyks_markram([10.0], U=0.2, tau_facil=50.0, u0=0.6)[0]
    assert math.isclose(first, 0.6 * e + 0.2 * (1 - 0.6 * e))
    assert tsodyks_markram([10.0], U=0.2, tau_facil=50.0)[0] == 0.2


def test_potentiation_comes_first_when_both_sides_are_seen_together():
    # pre at 0 and 20, post at 10 and 20 (delay 0): at t = 20 both; post's potentiation
    # (x_pre read before the pre increment) is applied before the pre's depression
    _, w = stdp([0.0, 20.0], [10.0, 20.0], 0.5, delay=0.0, A_plus=0.1, A_minus=0.1,
                weight_dependence="MultiplicativeWeightDependence")
    w1 = 0.5 + 0.1 * (1 - 0.5) * math.exp(-10 / 20)
    x_pre, x_post = math.exp(-20 / 20), math.exp(-10 / 20)
    w2 = w1 + 0.1 * (1 - w1) * x_pre
    assert math.isclose(w, w2 - 0.1 * w2 * x_post)
