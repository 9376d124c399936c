# Windows: one-folder bundle and its Inno Setup installer, from a clean checkout.
#
#     powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1
#
# -> dist\lehrer-licenses\  (LehrerLicenses.exe windowed, lehrer-licenses.exe console, _internal\)
#    dist\lehrer-licenses-<version>-windows-x64-setup.exe
#
# Needs: Python 3.11+ x64 from python.org (the "py" launcher), Inno Setup 6.3 or newer (ISCC.exe; x64compatible).
# The version comes from pyproject.toml and is handed to Inno Setup as /DAppVersion.
[CmdletBinding()]
param(
    [string]$Python = "py -3.11",
    [string]$Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    # The release workflow signs the executables between the two halves (signtool).
    [switch]$BundleOnly,
    [switch]$InstallerOnly
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

$Venv = Join-Path $Root ".venv"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $VenvPython)) {
    $parts = @($Python -split " " | Where-Object { $_ })
    Invoke-Checked $parts[0] (@($parts | Select-Object -Skip 1) + @("-m", "venv", $Venv))
}
# -e: the installed metadata (the app's --version) always matches pyproject.toml.
Invoke-Checked $VenvPython @("-m", "pip", "install", "--quiet", "--disable-pip-version-check",
    "-e", ".", "-r", "installer\requirements-build.txt")

$Version = & $VenvPython -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])"
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "cannot read the version from pyproject.toml" }
$Version = $Version.Trim()

if (-not $InstallerOnly) {
    foreach ($old in @("build\pyinstaller", "dist\lehrer-licenses")) {
        if (Test-Path $old) { Remove-Item -Recurse -Force $old }
    }
    Invoke-Checked $VenvPython @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", "dist", "--workpath", "build\pyinstaller", "installer\lehrer-licenses.spec")
}

# Quick check of the console executable before packaging it.
Invoke-Checked "dist\lehrer-licenses\lehrer-licenses.exe" @("--version")
if ($BundleOnly) { exit 0 }

if (-not (Test-Path $Iscc)) { throw "Inno Setup 6.3+ not found at $Iscc (install it or pass -Iscc PATH)" }
Invoke-Checked $Iscc @("/Qp", "/DAppVersion=$Version", "installer\windows\lehrer-licenses.iss")
Write-Host "installer: dist\lehrer-licenses-$Version-windows-x64-setup.exe"
