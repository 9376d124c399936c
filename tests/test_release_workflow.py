"""The release workflow (.github/workflows/release.yml), checked as text: PyYAML is not a
dependency, and the file is written in a plain block style that a line reader can follow.

It cannot run here (no GitHub Actions); these checks keep its shape honest: the tag trigger,
one job per platform on the intended runner, the smoke test in every build job, and no signing
step that runs without its secret.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"

_SIGNING = re.compile(r"\b(signtool|codesign|notarytool|stapler|security import)\b")


def _jobs() -> dict[str, str]:
    """job name -> its text (the lines indented under it in ``jobs:``)."""
    text = WORKFLOW.read_text(encoding="utf-8")
    body = text.split("\njobs:\n", 1)[1]
    jobs: dict[str, list[str]] = {}
    current = None
    for line in body.splitlines():
        match = re.fullmatch(r"  ([a-z][\w-]*):", line)
        if match:
            current = match.group(1)
            jobs[current] = []
        elif current:
            jobs[current].append(line)
    return {name: "\n".join(lines) for name, lines in jobs.items()}


def _steps(job: str) -> list[str]:
    return re.split(r"\n      - ", job.split("\n    steps:\n", 1)[1])


def _flags(job: str) -> dict[str, str]:
    """HAS_... -> the secret it tests, from the job's env."""
    return dict(re.findall(r"(HAS_\w+): \$\{\{ secrets\.(\w+) != '' \}\}", job))


def test_runs_on_a_version_tag_only():
    text = WORKFLOW.read_text(encoding="utf-8")
    assert re.search(r'\non:\n  push:\n    tags: \["v\*"\]\n', text)
    assert "pull_request" not in text and "branches" not in text
    assert "permissions:\n  contents: write" in text


def test_one_job_per_platform_on_its_runner():
    jobs = _jobs()
    assert set(jobs) == {"windows", "macos", "linux", "release"}
    assert "runs-on: windows-latest" in jobs["windows"]
    assert "runner: [macos-14, macos-15-intel]" in jobs["macos"]  # arm64 and x86_64
    assert "runs-on: ${{ matrix.runner }}" in jobs["macos"]
    assert "runs-on: ubuntu-22.04" in jobs["linux"]  # the oldest glibc GitHub offers
    assert "needs: [windows, macos, linux]" in jobs["release"]
    assert "gh release upload" in jobs["release"]


def test_every_build_job_builds_and_smoke_tests_its_bundle():
    jobs = _jobs()
    assert "build-windows.ps1" in jobs["windows"] and "ISCC.exe" in jobs["windows"]
    assert '[version]"6.3"' in jobs["windows"]  # x64compatible needs Inno Setup 6.3+
    assert "installer/build-macos.sh" in jobs["macos"]
    assert "installer/build-linux.sh" in jobs["linux"]
    for name in ("windows", "macos", "linux"):
        assert "installer/smoke-test.sh" in jobs[name], name
        assert "actions/upload-artifact" in jobs[name], name


def test_every_signing_step_is_guarded_by_its_secret():
    signing_steps = 0
    for name, job in _jobs().items():
        flags = _flags(job)
        for step in _steps(job) if "\n    steps:\n" in job else []:
            if not _SIGNING.search(step):
                continue
            signing_steps += 1
            guard = re.search(r"\n        if: (.+)", step)
            assert guard, f"{name}: unguarded signing step: {step.splitlines()[0]}"
            used = re.findall(r"env\.(HAS_\w+) == 'true'", guard.group(1))
            assert used and all(flag in flags for flag in used), (name, guard.group(1))
    assert signing_steps == 4  # signtool twice, the keychain import, notarytool and stapler


def test_macos_signs_inside_out_with_the_entitlements():
    script = (ROOT / "installer" / "build-macos.sh").read_text(encoding="utf-8")
    assert "--deep" not in script
    assert "--entitlements installer/macos/entitlements.plist" in script
    assert "--options runtime" in script
    assert script.index('"$binary"') < script.index('sign "$APP"')
    plist = (ROOT / "installer" / "macos" / "entitlements.plist").read_text(encoding="utf-8")
    assert "com.apple.security.cs.allow-unsigned-executable-memory" in plist
    assert "com.apple.security.cs.disable-library-validation" in plist
