"""The shipped rule packs (the `*.yaml` files here), installed as the data package `curate.packs`.

This file holds no code. It exists because setuptools' editable install cannot map a package-dir
onto a sub-package that has no __init__.py (pypa/setuptools#4943), so importlib.resources could
not find `curate.packs` in a development checkout without it.
"""
