"""The package as the real Loket writes it: its name, deflate level 9, the two files under cleaned names and the
borderel, element for element as the real service's XML builder (xmlbuilder 10, run by Node) writes it, and
valid against borderel.xsd."""

import hashlib
import io
import json
import shutil
import subprocess
import zipfile
import zlib
from datetime import UTC, datetime

import pytest
from django.core.files.storage import default_storage

from loket.reports import packaging
from loket.reports.models import Report
from loket.reports.services import report_package
from tests.forms.differential import NODE_MODULES, unavailable
from tests.reports.conftest import AALST_KBO

SCRIPT = __file__.rsplit("/", 1)[0] + "/real_borderel.cjs"


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("jaarrekening 2025.xml", "jaarrekening2025.xml"),
        ("Rapport-Ø-é.xbrl", "Rapport.xbrl"),  # a hyphen is outside "." … "_" (the real one drops it too)
        ("a:b;c<d>=e?f@g[h]^i_j.xml", "a:b;c<d>=e?f@g[h]^i_j.xml"),  # kept, as by the real one
        ("../../etc/passwd.xml", "....etcpasswd.xml"),  # but "/" and "\\" are dropped, unlike the real one
        ("map\\rapport.xml", "maprapport.xml"),
        ("éèà €", "rapport.xml"),  # nothing left: the fallback
    ],
)
def test_file_names_are_cleaned_as_the_real_service_does_but_without_slashes(name, cleaned):  # type: ignore[no-untyped-def]
    assert packaging.clean_name(name, fallback="rapport.xml") == cleaned


def test_the_package_name_has_the_kbo_number_the_iso_time_and_a_uuid():  # type: ignore[no-untyped-def]
    moment = datetime(2026, 3, 1, 9, 5, 7, 123456, tzinfo=UTC)
    name = packaging.package_name(kbo=AALST_KBO, moment=moment, package_uuid="5c7e…")
    assert name == "BBCDR_0207451227_2026-03-01T09_05_07_123Z_5c7e….zip"  # toISOString(), '.' and ':' → '_'


def _real_borderel(kbo: str, names: list[str]) -> bytes:
    if shutil.which("node") is None:
        unavailable("node is not installed")
    if not (NODE_MODULES / "xmlbuilder").is_dir():
        unavailable(f"xmlbuilder is not installed in {NODE_MODULES} (run `make node`)")
    completed = subprocess.run(
        ["node", SCRIPT, json.dumps({"kbo": kbo, "names": names})],
        capture_output=True,
        check=True,
        env={"LOKET_NODE_MODULES": str(NODE_MODULES), "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    return completed.stdout


@pytest.mark.parametrize(
    "names", [["jaarrekening2025.xml", "jaarrekening2025.xbrl"], ["a<b>.xml", "rapport.xbrl"], ["x.xml"]]
)
def test_the_borderel_is_byte_for_byte_what_the_real_services_builder_writes(names):  # type: ignore[no-untyped-def]
    ours = packaging.borderel_xml(kbo=AALST_KBO, names=names)
    assert ours == _real_borderel(AALST_KBO, names)
    assert packaging.borderel_problems(ours) == []


def test_the_xsd_refuses_a_borderel_that_is_not_one():  # type: ignore[no-untyped-def]
    good = packaging.borderel_xml(kbo=AALST_KBO, names=["a.xml", "b.xbrl"])
    assert packaging.borderel_problems(good.replace(b"<Entiteit>ABB</Entiteit>", b"<Entiteit>XYZ</Entiteit>"))
    assert packaging.borderel_problems(
        good.replace(b"<ns1:Bestanden>", b"<Bestanden>").replace(b"</ns1:Bestanden>", b"</Bestanden>")
    )
    assert packaging.borderel_problems(good.replace(b"a.xml", b"a b.xml"))  # a space never survives the cleaning


@pytest.mark.django_db
def test_golden_package(sent_report):  # type: ignore[no-untyped-def]
    report = report_package(report_id=sent_report.pk)
    assert report.delivery_status == Report.Delivery.PACKAGED
    assert report.package_name.startswith(f"BBCDR_{AALST_KBO}_") and report.package_name.endswith(".zip")
    with default_storage.open(report.package_storage_name, "rb") as stream:
        package = stream.read()
    assert hashlib.sha256(package).hexdigest() == report.package_sha256 and len(package) == report.package_size
    files = {f.kind: f for f in report.files.all()}
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        # the real cleaning drops the hyphen of "jaarrekening-2025.xml"
        assert archive.namelist() == ["jaarrekening2025.xml", "jaarrekening2025.xbrl", "borderel.xml"]
        assert [i.filename for i in archive.infolist()] == archive.namelist()
        for info in archive.infolist():
            content = archive.read(info)
            assert info.compress_type == zipfile.ZIP_DEFLATED
            level9 = zlib.compressobj(9, zlib.DEFLATED, -15)
            assert info.compress_size == len(level9.compress(content) + level9.flush())  # level 9, as the real one
        assert hashlib.sha256(archive.read("jaarrekening2025.xml")).hexdigest() == files["xml"].sha256
        assert hashlib.sha256(archive.read("jaarrekening2025.xbrl")).hexdigest() == files["xbrl"].sha256
        borderel = archive.read("borderel.xml")
    assert borderel == packaging.borderel_xml(kbo=AALST_KBO, names=["jaarrekening2025.xml", "jaarrekening2025.xbrl"])
    assert b"<ParameterWaarde>0207451227</ParameterWaarde>" in borderel
    assert b"<ParameterWaarde>AANLEVERING GEDAAN</ParameterWaarde>" in borderel
    assert packaging.borderel_problems(borderel) == []
    # built once: packaging again changes nothing
    again = report_package(report_id=sent_report.pk)
    assert (again.package_name, again.package_sha256) == (report.package_name, report.package_sha256)


def test_a_package_file_a_killed_worker_left_unrecorded_is_removed_once_the_package_is_recorded(
    sent_report, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    """A worker killed between writing its package and recording it (a window of the worker-kill rig, tests/faults)
    left a whole or partial zip under a name no report holds; packaging again writes another name. The report's
    folder ends with only the package it names."""
    folder = f"bbcdr/pakketten/{sent_report.uuid}"
    stray = default_storage.save(f"{folder}/{AALST_KBO}-onderbroken.zip", io.BytesIO(b"PK\x03\x04 half"))
    with django_capture_on_commit_callbacks(execute=True):
        packaged = report_package(report_id=sent_report.pk)
    assert packaged.package_storage_name != stray
    assert default_storage.listdir(folder)[1] == [packaged.package_storage_name.rsplit("/", 1)[-1]]
    with default_storage.open(packaged.package_storage_name, "rb") as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == packaged.package_sha256
