"""Every faulty and hostile file of the corpus (tests/faults.py), uploaded on a company's private page: the
same reader and checks as ``controler``, the same verdict in French, never an error page or a stack trace."""

from __future__ import annotations

import time

import pytest

from tests.faults import FAULTS, Ctx
from tests.helpers import ACCEPTED, REJECTED, WARNED
from tests.web_site import csrf, make_site, text
from pipeline.demo import sample_figures
from pipeline.read.folder import display_name

# Faults about the folder rather than the file (two files of one company, entries that are no regular file).
UPLOADABLE = [f for f in FAULTS if f.name not in {"deux fichiers pour une société", "dossier", "lien cassé"}]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("corpus") / "projet")


@pytest.mark.parametrize("fault", UPLOADABLE, ids=[f.name for f in UPLOADABLE])
def test_hostile_upload(fault, site, tmp_path):
    figures = sample_figures(site.campaign)
    ctx = Ctx(site.campaign, "acta", tmp_path, figures["acta"], other="ima")
    path = fault.build(ctx)
    if not path.is_file():
        pytest.skip("not a regular file")
    client = site.client()
    token = site.links["acta"]
    page = client.get(f"/societe/{token}")
    start = time.perf_counter()
    r = client.post(f"/societe/{token}/depot", data={"csrf": csrf(page.text)},
                    files={"fichier": (display_name(path.name), path.read_bytes())})
    assert time.perf_counter() - start < 5
    assert r.status_code in (200, 422), r.status_code
    page = text(r.text)
    assert "Traceback" not in r.text and "Résultat du contrôle" in page
    if fault.read_as_other:
        assert r.status_code == 422 and "le modèle d'une autre société" in page
    elif fault.status == REJECTED:
        assert r.status_code == 422 and "Fichier refusé" in page
        if fault.fragment:
            assert fault.fragment in page, page[:2000]
    elif fault.status in (ACCEPTED, WARNED):
        assert r.status_code == 200, page[:2000]
