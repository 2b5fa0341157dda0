"""Fixtures for the deadline tests: the bundled rules and the two reference calendars."""

from __future__ import annotations

import pytest

from clinic_app.domain.deadlines import BusinessCalendar
from clinic_app.services.deadline_rules import LoadedRules, load_rules


@pytest.fixture(scope="session")
def loaded() -> LoadedRules:
    return load_rules()


@pytest.fixture(scope="session")
def on_cal() -> BusinessCalendar:
    return BusinessCalendar("ON")


@pytest.fixture(scope="session")
def qc_cal() -> BusinessCalendar:
    return BusinessCalendar("QC")
