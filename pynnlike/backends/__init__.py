"""Simulator drivers: one package per backend, the only place that imports a simulator."""
