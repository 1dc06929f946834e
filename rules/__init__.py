"""The shipped rule packs, installed as the data package curate.packs (see pyproject.toml)."""
