"""This repository's scenarios run through the authflow pytest plugin, installed as a `pytest11` entry point
(`pip install -e .`).

The plugin loads the scenario layer, the engine and the reports only when a scenario file is collected, so
that pytest runs without scenarios do not pay for them. The tests' in-process pytester runs drop every module
first imported inside them when they end (pytester restores sys.modules), which would leave the next run with
two copies of those modules: they are loaded here, once, before any test runs.
"""

from harness.pytest_plugin import load_scenario_layer

load_scenario_layer()
