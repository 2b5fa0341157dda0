; Inno Setup 6 script for Haven on Windows (64-bit).
;
;   iscc /DAppVersion=0.1.0 packaging\windows\haven.iss
;
; (packaging\build.ps1 -Installer runs that after the build.) Packs dist\clinic-app\ into
; dist\Haven-<version>-setup.exe. Installs for the current user by default (no administrator
; needed; the installer offers "all users" too), adds a Start menu entry for Haven.exe and,
; if asked, a desktop icon. Uninstalling removes the program only: vaults, backups and
; settings stay where they are. Sign both Haven.exe/clinic-app.exe and the setup file
; (packaging\README.md, "Windows").

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=0.1.0 packaging\windows\haven.iss
#endif

#define AppName "Haven"
#define Root AddBackslash(SourcePath) + "..\.."

[Setup]
AppId={{6E1F3B8A-4C2D-4F7E-9A51-2B7C0D9E8F14}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Haven contributors
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription=Haven installer
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist
OutputBaseFilename=Haven-{#AppVersion}-setup
SetupIconFile={#Root}\resources\icons\haven.ico
UninstallDisplayIcon={app}\Haven.exe
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Uncomment after configuring a sign tool named "haven" in the Inno Setup IDE
; (Tools > Configure Sign Tools), e.g.  signtool sign /fd sha256 /tr http://timestamp.example /td sha256 $f
; SignTool=haven

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\clinic-app\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\Haven.exe"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\Haven.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\Haven.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
