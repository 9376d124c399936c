; Inno Setup 6 script for lehrer-licenses. Built by installer\build-windows.ps1, which passes the
; version from pyproject.toml:   ISCC.exe /DAppVersion=x.y.z installer\windows\lehrer-licenses.iss
; Input: the PyInstaller one-folder bundle in dist\lehrer-licenses\. Output: dist\*-setup.exe.
;
; - Installs per user by default (%LOCALAPPDATA%\Programs\Lehrer Licenses, no admin rights
;   needed); an administrator can choose "all users" (Program Files) in the first dialog.
; - Start-menu entry (and optionally a desktop icon) for LehrerLicenses.exe, the windowed app.
;   lehrer-licenses.exe next to it is the command line (console) version of the same program.
; - User data (database, signing keys) lives in %LOCALAPPDATA%\lehrer-licenses and the settings
;   in the registry (HKCU\Software\lehrer-licenses): the installer never writes there, so
;   updates and uninstalling keep them.
; - An update replaces the program folder's _internal\ completely, so that no file of the old
;   version (an old migration script, say) stays behind.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=x.y.z (installer\build-windows.ps1 does)
#endif
#define AppName "Lehrer Licenses"
#define AppExe "LehrerLicenses.exe"
#define BundleDir "..\..\dist\lehrer-licenses"

[Setup]
; AppId identifies the installation for updates and uninstall: never change it.
AppId={{3D72B349-471E-436A-A679-4F22B0382151}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=lehrer-licenses
; Windows file versions are numeric: keep pyproject's version as x.y.z.
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\..\resources\icons\app-icon.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=lehrer-licenses-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Ask a running app to close before files are replaced.
CloseApplications=yes
ChangesAssociations=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "de"; MessagesFile: "compiler:Languages\German.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "it"; MessagesFile: "compiler:Languages\Italian.isl"
Name: "nl"; MessagesFile: "compiler:Languages\Dutch.isl"

[CustomMessages]
en.AssocBackups=Show .llbackup backup files with the app icon
de.AssocBackups=.llbackup-Sicherungen mit dem Programmsymbol anzeigen
fr.AssocBackups=Afficher les sauvegardes .llbackup avec l'icône du programme
it.AssocBackups=Mostra i backup .llbackup con l'icona del programma
nl.AssocBackups=.llbackup-back-ups met het programmapictogram tonen
en.BackupType=Lehrer Licenses backup
de.BackupType=Lehrer-Licenses-Sicherung
fr.BackupType=Sauvegarde Lehrer Licenses
it.BackupType=Backup Lehrer Licenses
nl.BackupType=Lehrer Licenses-back-up

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "associate"; Description: "{cm:AssocBackups}"; Flags: unchecked

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The optional association gives backups (store/backup.py: SUFFIX = ".llbackup") a name and the
; app icon. It has no "open" command: the app does not take a backup file on its command line, and
; a restore replaces the database, so it stays an explicit step (`lehrer-licenses restore FILE`).
Root: HKA; Subkey: "Software\Classes\.llbackup"; ValueType: string; ValueName: ""; ValueData: "LehrerLicenses.Backup"; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\LehrerLicenses.Backup"; ValueType: string; ValueName: ""; ValueData: "{cm:BackupType}"; Flags: uninsdeletekey; Tasks: associate
Root: HKA; Subkey: "Software\Classes\LehrerLicenses.Backup\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"",0"; Tasks: associate

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
