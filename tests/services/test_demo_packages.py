"""The demo ships a fictional matter for each situation in product.md, and each of its
packages builds (forced: the demo cannot hold the signed and sworn items a filing needs)."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from clinic_app.services import packages
from clinic_app.services.demo import DEMO_ADMIN, DEMO_PASSPHRASE, create_demo
from clinic_app.services.session import unlock

SITUATIONS = [  # product.md situations 1-5
    ("m-reyes-hc", "hc_application"), ("m-reyes-deferral", "deferral_request"),
    ("m-cruz-rpd", "rpd_disclosure"), ("m-flores-rpd", "rpd_disclosure"),
    ("m-diallo-deferral", "deferral_request"), ("m-diallo-stay", "stay_motion"),
    ("m-petrov-mr", "ministerial_relief"), ("m-li-stca", "stca_exception"),
    ("m-haddad-mandamus", "mandamus_record"),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create_demo(tmp_path_factory.mktemp("demo") / "vault", kdf_profile="fast").folder


@pytest.mark.parametrize("matter, package", SITUATIONS)
def test_every_demo_package_builds(demo: Path, tmp_path: Path, matter: str, package: str) -> None:
    with unlock(demo, user=DEMO_ADMIN, passphrase=DEMO_PASSPHRASE) as session:
        assert package in [p.type.value for p in packages.available_packages(session, matter)]
        packages.build_package(session, matter, package, tmp_path / "out.pdf", force=True)
    with pikepdf.open(tmp_path / "out.pdf") as pdf:
        assert len(pdf.pages) >= 3
