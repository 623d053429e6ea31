"""Reference values every backend's tests compare with: closed forms and independent
integrations of API.md's equations."""
import numpy as np


def analytic_period(tau_m, cm, i, v_rest, v_reset, v_thresh, tau_refrac):
    """Firing period (ms) of a leaky integrate-and-fire cell driven by a constant current i."""
    r = tau_m / cm
    return tau_refrac + tau_m * np.log((r * i - (v_reset - v_rest)) / (r * i - (v_thresh - v_rest)))


def hh_first_crossing(v0=-64.0, i_offset=1.0, dt=0.001):
    """Time at which API.md §4.3's HH_cond_exp equations (defaults, m = n = 0, h = 1) first
    take v above 0 mV, integrated here with fourth-order Runge-Kutta."""
    def linear(x, y):  # x / (exp(x / y) - 1), with its limit y at x = 0
        return y if abs(x) < 1e-9 else x / np.expm1(x / y)

    def derivative(state):
        v, m, h, n = state
        u = v + 63.0
        am, bm = 0.32 * linear(13 - u, 4), 0.28 * linear(u - 40, 5)
        ah, bh = 0.128 * np.exp((17 - u) / 18), 4 / (1 + np.exp((40 - u) / 5))
        an, bn = 0.032 * linear(15 - u, 5), 0.5 * np.exp((10 - u) / 40)
        current = (0.01 * (-65.0 - v) + 20.0 * m ** 3 * h * (50.0 - v)
                   + 6.0 * n ** 4 * (-90.0 - v) + i_offset)
        return np.array([current / 0.2, am * (1 - m) - bm * m, ah * (1 - h) - bh * h,
                         an * (1 - n) - bn * n])

    state, t = np.array([v0, 0.0, 1.0, 0.0]), 0.0
    while state[0] <= 0.0:
        k1 = derivative(state)
        k2 = derivative(state + dt / 2 * k1)
        k3 = derivative(state + dt / 2 * k2)
        k4 = derivative(state + dt * k3)
        state, t = state + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4), t + dt
    return t
