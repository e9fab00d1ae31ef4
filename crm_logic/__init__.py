"""CRM Lens logic: pure functions over Polars frames, no UI.

Modules, one concern each: `config` (every threshold), `store` (DuckDB), `ingest` (file
import), `sample` (synthetic data), `models` (BG/NBD, MBG/NBD, Gamma-Gamma), `segmentation`
(customer summary, value pyramid, RFM), `lifecycle`, `churn`, `complaints`, `export`
(safe CSV), `report` (the CLI's JSON), `charts` (Plotly figures), `i18n` (both languages).
"""
