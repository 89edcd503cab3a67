"""The pitfalls catalogue: scenario files rendered as documentation (docs/pitfalls.md, `authflow docs`)."""
