"""regcode_verifier.py works on its own, copied into a licensed program.

The verifier is run in a child interpreter started with ``-I -S``: isolated mode (no PYTHONPATH,
no user site, not the current folder) and no ``site`` module, so neither the venv's
site-packages nor the editable install of lehrer_licenses (a .pth finder) is on sys.path. The
child then adds exactly two folders: a temporary folder holding only the copied
regcode_verifier.py, and a folder of symlinks to the venv's ``cryptography``, ``cffi`` and
``_cffi_backend*`` entries, nothing else. That is what a licensed program would ship, without
building a fresh venv (which would need the network and take long).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import cryptography
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lehrer_licenses.domain import regcode_verifier
from lehrer_licenses.domain.regcode import Licence, LicenceKind, issue_code

VERIFIER = Path(regcode_verifier.__file__)
SITE_PACKAGES = Path(cryptography.__file__).resolve().parent.parent

CHILD = r"""
import json, sys
sys.path.append(sys.argv[1])
sys.path.append(sys.argv[2])
result = {}
try:
    import lehrer_licenses  # noqa: F401
except ModuleNotFoundError:
    result["lehrer_licenses_importable"] = False
else:
    result["lehrer_licenses_importable"] = True
import datetime
from regcode_verifier import CodeRejected, verify
request = json.loads(sys.stdin.read())
today = datetime.date.fromisoformat(request["today"])
licence = verify(request["code"], request["pem"], product="LO", today=today)
result["licence"] = {
    "product": licence.product, "school": licence.school, "kind": int(licence.kind),
    "quantity": licence.quantity, "valid_until": licence.valid_until.isoformat(),
    "issued_on": licence.issued_on.isoformat(), "serial": licence.serial,
}
try:
    verify(request["tampered"], request["pem"], today=today)
except CodeRejected as err:
    result["tampered"] = [err.reason, err.block]
result["modules"] = sorted(
    name for name in sys.modules if name.split(".")[0] in {"lehrer_licenses", "hypothesis"}
)
result["sys_path"] = sys.path
print(json.dumps(result))
"""


def test_verifier_imports_only_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(VERIFIER.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            roots.add((node.module or "").split(".")[0])
    assert roots - set(sys.stdlib_module_names) == {"cryptography"}


@pytest.mark.skipif(os.name != "posix", reason="symlinks into site-packages: POSIX only")
def test_L6_copied_verifier_checks_a_code_in_a_clean_interpreter(tmp_path: Path) -> None:
    program = tmp_path / "program"
    program.mkdir()
    shutil.copy(VERIFIER, program / "regcode_verifier.py")
    deps = tmp_path / "deps"
    deps.mkdir()
    linked = []
    for entry in SITE_PACKAGES.iterdir():
        if entry.name in {"cryptography", "cffi"} or entry.name.startswith("_cffi_backend"):
            (deps / entry.name).symlink_to(entry)
            linked.append(entry.name)
    assert "cryptography" in linked

    key = Ed25519PrivateKey.generate()
    pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    licence = Licence(
        product="LO",
        school="100042",
        kind=LicenceKind.SEATS,
        quantity=5,
        issued_on=date(2026, 9, 15),
        valid_until=date(2026, 12, 31),
        serial=7,
    )
    code = issue_code(licence, key)
    tampered = code[:13] + ("Z" if code[13] != "Z" else "Y") + code[14:]  # in block 3
    request = {"code": code, "pem": pem, "tampered": tampered, "today": "2026-10-01"}

    env = {"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", CHILD, str(program), str(deps)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["lehrer_licenses_importable"] is False
    assert result["modules"] == []
    assert not any("site-packages" in entry for entry in result["sys_path"])
    assert result["licence"] == {
        "product": "LO",
        "school": "100042",
        "kind": 1,
        "quantity": 5,
        "valid_until": "2026-12-31",
        "issued_on": "2026-09-15",
        "serial": 7,
    }
    assert result["tampered"] == ["typo", 3]
