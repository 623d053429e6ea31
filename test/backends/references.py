"""Reference values every backend's tests compare with: closed forms and independent
integrations of API.md's equations."""
import numpy as np


def analytic_period(tau_m, cm, i, v_rest, v_reset, v_thresh, tau_refrac):
    """Firing period (ms) of a leaky integrate-and-fire cell driven by a constant current i."""
    r = tau_m / cm
    return tau_refrac + tau_m * np.log((r * i - (v_reset - v_rest)) / (r * i - (v_thresh - v_rest)))


def _hh_derivative(state, current):
    """d/dt of API.md §4.3's HH_cond_exp (defaults) state rows (v, m, h, n), each an array over
    cells, with an extra membrane current (nA)."""
    def linear(x, y):  # x / (exp(x / y) - 1), with its limit y at x = 0
        small = np.abs(x) < 1e-9
        return np.where(small, y, x / np.expm1(np.where(small, 1.0, x) / y))

    v, m, h, n = state
    u = v + 63.0
    am, bm = 0.32 * linear(13 - u, 4), 0.28 * linear(u - 40, 5)
    ah, bh = 0.128 * np.exp((17 - u) / 18), 4 / (1 + np.exp((40 - u) / 5))
    an, bn = 0.032 * linear(15 - u, 5), 0.5 * np.exp((10 - u) / 40)
    current = (0.01 * (-65.0 - v) + 20.0 * m ** 3 * h * (50.0 - v)
               + 6.0 * n ** 4 * (-90.0 - v) + current)
    return np.array([current / 0.2, am * (1 - m) - bm * m, ah * (1 - h) - bh * h,
                     an * (1 - n) - bn * n])


def _rk4(derivative, state, dt):
    k1 = derivative(state)
    k2 = derivative(state + dt / 2 * k1)
    k3 = derivative(state + dt / 2 * k2)
    k4 = derivative(state + dt * k3)
    return state + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


def hh_first_crossing(v0=-64.0, i_offset=1.0, dt=0.001):
    """Time at which API.md §4.3's HH_cond_exp equations (defaults, m = n = 0, h = 1) first
    take v above 0 mV, integrated here with fourth-order Runge-Kutta."""
    state, t = np.array([[v0], [0.0], [1.0], [0.0]]), 0.0
    while state[0, 0] <= 0.0:
        state, t = _rk4(lambda s: _hh_derivative(s, i_offset), state, dt), t + dt
    return t


def hh_gap_traces(conductances, i_offsets, t_stop, dt=0.01, v0=-65.0):
    """v (mV) every dt from 0 to t_stop of HH_cond_exp cells (defaults, m = n = 0, h = 1)
    joined by gap junctions: conductances[a, b] (µS, symmetric) adds g(v_b - v_a) to cell a;
    the coupled system integrated with fourth-order Runge-Kutta."""
    g = np.asarray(conductances, dtype=float)
    i_offsets = np.asarray(i_offsets, dtype=float)

    def derivative(state):
        v = state[0]
        return _hh_derivative(state, i_offsets + g @ v - g.sum(axis=1) * v)

    state = np.array([np.full(len(g), v0), np.zeros(len(g)), np.ones(len(g)), np.zeros(len(g))])
    trace = [state[0]]
    for _ in range(int(round(t_stop / dt))):
        state = _rk4(derivative, state, dt)
        trace.append(state[0])
    return np.array(trace)
