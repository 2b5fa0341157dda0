# Build Haven for Windows into dist\clinic-app\ (PyInstaller, one folder), then check it.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1            reuse the build venv
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1 -Fresh     make it again
#   ... -Installer   also make the installer with Inno Setup 6 (iscc.exe on PATH)
#
# The build venv belongs to the build alone (build\packaging-venv, or $env:HAVEN_BUILD_VENV):
# Haven's dependencies (read from pyproject.toml) and PyInstaller, never the project's .venv.
# Python: $env:PYTHON, else the "py -3" launcher (3.11 or newer, from python.org).
# Result: dist\clinic-app\clinic-app.exe (command line) and dist\clinic-app\Haven.exe (window).
param([switch]$Fresh, [switch]$Installer)
$ErrorActionPreference = "Stop"

$Root = (Resolve-Path (Join-Path $PSScriptRoot "..")).Path
$Venv = if ($env:HAVEN_BUILD_VENV) { $env:HAVEN_BUILD_VENV } else { Join-Path $Root "build\packaging-venv" }
if ($env:PYTHON) { $Python = $env:PYTHON; $PyArgs = @() } else { $Python = "py"; $PyArgs = @("-3") }

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$Started = Get-Date
if ($Fresh -or -not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) {
    Write-Host "==> creating the build venv in $Venv"
    if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
    Invoke-Checked $Python ($PyArgs + @("-m", "venv", $Venv))
}
$Py = Join-Path $Venv "Scripts\python.exe"
Invoke-Checked $Py @("-c", "import sys; assert sys.version_info >= (3, 11), 'Python 3.11 or newer is needed'")

Write-Host "==> installing Haven's dependencies and PyInstaller into the build venv"
$Deps = & $Py -c "import sys, tomllib; print('\n'.join(tomllib.load(open(sys.argv[1], 'rb'))['project']['dependencies']))" (Join-Path $Root "pyproject.toml")
New-Item -ItemType Directory -Force (Join-Path $Root "build") | Out-Null
Invoke-Checked $Py (@("-m", "pip", "install", "--disable-pip-version-check", "--quiet") + $Deps + @("-r", (Join-Path $Root "packaging\requirements-build.txt")))
& $Py -m pip freeze --disable-pip-version-check | Set-Content (Join-Path $Root "build\packaging-freeze.txt")

Write-Host "==> running PyInstaller (packaging\haven.spec)"
$Clean = if ($Fresh) { @("--clean") } else { @() }
Invoke-Checked $Py (@("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN") + $Clean + @("--distpath", (Join-Path $Root "dist"), "--workpath", (Join-Path $Root "build\pyinstaller"), (Join-Path $Root "packaging\haven.spec")))

Write-Host "==> writing the licences of everything bundled"
Invoke-Checked $Py @((Join-Path $Root "packaging\third_party_notices.py"), (Join-Path $Root "dist\clinic-app"))

$Exe = Join-Path $Root "dist\clinic-app\clinic-app.exe"
$Version = (& $Exe --version).Trim()
Write-Host "==> built $Version in $([int]((Get-Date) - $Started).TotalSeconds) s"
Write-Host "==> self-check"
Invoke-Checked $Exe @("--self-check")

if ($Installer) {
    $Number = $Version -replace "^Haven ", ""
    Write-Host "==> Inno Setup installer for $Number"
    Invoke-Checked "iscc" @("/DAppVersion=$Number", (Join-Path $Root "packaging\windows\haven.iss"))
    Write-Host "==> dist\Haven-$Number-setup.exe (sign it: packaging\README.md)"
}
