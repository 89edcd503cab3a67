"""This repository's scenarios run through the authflow pytest plugin, installed as a `pytest11` entry point
(`pip install -e .`); nothing else is needed here."""
