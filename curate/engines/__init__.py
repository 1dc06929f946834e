"""The pipeline's engines: `local` (supervised worker processes: `supervised`, `worker`), `dask`
(a Dask cluster: `dask`, `dask_dedup`) and `progress` (what has been read)."""
