"""The step kinds, one module each; every module here that defines ``KIND`` is a kind (see ``harness.steps``)."""
