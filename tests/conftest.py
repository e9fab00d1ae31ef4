"""Shared fixtures: a small sample store for page and end-to-end tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SMALL_SAMPLE_CUSTOMERS = 600


@pytest.fixture(scope="session")
def sample_db_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB store loaded once per test session with a small seeded sample."""
    from crm_logic import store
    from crm_logic.sample import load_sample

    path = tmp_path_factory.mktemp("store") / "crm.duckdb"
    con = store.connect(path)
    load_sample(con, n_customers=SMALL_SAMPLE_CUSTOMERS, seed=11)
    con.close()
    return path


@pytest.fixture()
def sample_db(sample_db_master: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the sample store, exported as CRM_DB for the app under test."""
    path = tmp_path / "crm.duckdb"
    shutil.copy(sample_db_master, path)
    monkeypatch.setenv("CRM_DB", str(path))
    return path


@pytest.fixture(scope="session")
def base(sample_db_master: Path):  # -> (store.CrmData, pipeline.Analysis)
    """The sample store's data (lines held) and its analysis at the latest date, with the
    default config: what the stage tests re-label or split."""
    from crm_logic import pipeline, store
    from crm_logic.config import CrmConfig

    with store.reading(sample_db_master) as con:
        data = store.load_data(con)
    as_of = pipeline.resolve_as_of(data, None)
    return data, pipeline.analyse(data, CrmConfig(), as_of)
