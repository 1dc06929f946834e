"""Checks of rule packs and runs that read the pipeline from above: `rules lint` (`lint`, with
the texts it probes in `probes`), `rules test --dry-run` (`dryrun`) and `curate audit` (`audit`)."""
