; The asio2wasapi installer and uninstaller (NSIS 3, Unicode, 64-bit).
;
; Built by scripts/dist.sh (`make dist`), which defines:
;   VERSION   the project version, x.y.z (from CMake: build/win64/version.txt)
;   STAGE     the folder holding the files to install (the zip's contents)
;   OUTFILE   where to write asio2wasapi-<version>-setup.exe
;
; The installer is a 64-bit program (Target amd64-unicode), for 64-bit
; Windows, where it installs both DLLs: asio2wasapi_x64.dll for 64-bit hosts
; and asio2wasapi_x86.dll for 32-bit hosts. Each is registered by the
; regsvr32 of its own bitness: System32\regsvr32.exe (64-bit) and
; SysWOW64\regsvr32.exe (32-bit, which writes the 32-bit registry view).
; A Windows without its 32-bit subsystem (no SysWOW64\regsvr32.exe: Windows
; Server with WOW64 removed, or Wine without wine32) gets the 64-bit driver
; only; the installer says so and goes on.
;
; Command line (both programs):
;   /S              silent: no window, no questions
;   /D=<folder>     (installer) where to install, instead of
;                   C:\Program Files\asio2wasapi; must be the last argument
;   /REMOVECONFIG   (uninstaller) also delete the settings files and logs in
;                   %LOCALAPPDATA%\asio2wasapi of the user who runs it; without
;                   it they are kept (interactively: a checkbox, off by default)
;
; What it writes, all of which the uninstaller removes:
;   <folder>\ the files of STAGE, uninstall.exe and install.log (what the
;             registrations gave)
;   the driver's registrations (regsvr32; docs/DRIVER.md lists the keys);
;   regsvr32 /u also removes every named instance (a2w-instances add)
;   HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\asio2wasapi
;   the Start Menu folder "ASIO2WASAPI" (all users)
;
; Exit status: 0, or 2 when the 64-bit driver could not be registered or
; unregistered (the log and the Details list say why), as NSIS does for a
; failed or cancelled install.

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel admin
ManifestDPIAware true

!ifndef VERSION | STAGE | OUTFILE
  !error "build with scripts/dist.sh (it defines VERSION, STAGE and OUTFILE)"
!endif

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include Sections.nsh

!define PRODUCT "ASIO2WASAPI Universal"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\asio2wasapi"
!define MENU_FOLDER "ASIO2WASAPI"
!define REGSVR64 "$SYSDIR\regsvr32.exe"          ; System32 (the installer is 64-bit: no redirection)
!define REGSVR32 "$WINDIR\SysWOW64\regsvr32.exe"

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\asio2wasapi"
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "asio2wasapi"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${PRODUCT} ASIO driver setup"
VIAddVersionKey /LANG=1033 "LegalCopyright" "the asio2wasapi authors"

!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "This installs the ${PRODUCT} ASIO driver ${VERSION} for 64-bit and 32-bit ASIO programs on 64-bit Windows.$\r$\n$\r$\nAfterwards, choose $\"${PRODUCT}$\" as the ASIO device in your DAW. Close programs that use the driver before you go on."
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TEXT "${PRODUCT} is installed.$\r$\n$\r$\nChoose $\"${PRODUCT}$\" as the ASIO device in your DAW. Its settings (device, mode, buffer) are in the Start Menu: ${MENU_FOLDER} > ASIO2WASAPI Settings."
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_COMPONENTSPAGE_NODESC
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; --- install.log: one line per step that can fail, for support requests and
; the Wine test (tests/e2e/installer.sh).
Var LogFile

!macro A2W_LOG TEXT
  DetailPrint "${TEXT}"
  ${If} $LogFile != ""
    FileWrite $LogFile "${TEXT}$\r$\n"
  ${EndIf}
!macroend
!define A2W_LOG "!insertmacro A2W_LOG"

Function .onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "${PRODUCT}" SEC_DRIVER
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; The list is the one of scripts/dist.sh (the zip's contents).
  File "${STAGE}\asio2wasapi_x64.dll"
  File "${STAGE}\asio2wasapi_x86.dll"
  File "${STAGE}\asio2wasapi-panel.exe"
  File "${STAGE}\asiohost.exe"
  File "${STAGE}\a2w-instances.exe"
  File "${STAGE}\README.txt"
  File "${STAGE}\README.md"
  SetOutPath "$INSTDIR\x86"
  File "${STAGE}\x86\a2w-instances.exe"
  SetOutPath "$INSTDIR\docs"
  File "${STAGE}\docs\*.md"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  FileOpen $LogFile "$INSTDIR\install.log" w
  ${A2W_LOG} "asio2wasapi ${VERSION} installed in $INSTDIR"

  ; 64-bit hosts: the 64-bit regsvr32.
  ClearErrors
  ExecWait '"${REGSVR64}" /s "$INSTDIR\asio2wasapi_x64.dll"' $0
  ${If} ${Errors}
    ${A2W_LOG} "x64: FAILED: ${REGSVR64} could not be started"
    SetErrorLevel 2
    MessageBox MB_OK|MB_ICONSTOP "The 64-bit driver could not be registered: ${REGSVR64} could not be started." /SD IDOK
  ${ElseIf} $0 <> 0
    ${A2W_LOG} "x64: FAILED: regsvr32 asio2wasapi_x64.dll exited with $0"
    SetErrorLevel 2
    MessageBox MB_OK|MB_ICONSTOP "The 64-bit driver could not be registered (regsvr32 exited with $0)." /SD IDOK
  ${Else}
    ${A2W_LOG} "x64: registered (${REGSVR64})"
  ${EndIf}

  ; 32-bit hosts: the 32-bit regsvr32, which writes the 32-bit registry view.
  ${If} ${FileExists} "${REGSVR32}"
    ClearErrors
    ExecWait '"${REGSVR32}" /s "$INSTDIR\asio2wasapi_x86.dll"' $0
    ${If} ${Errors}
      ${A2W_LOG} "x86: FAILED: ${REGSVR32} could not be started; 32-bit hosts will not see the driver"
      MessageBox MB_OK|MB_ICONEXCLAMATION "The 32-bit driver could not be registered (${REGSVR32} could not be started). 64-bit programs can use the driver; 32-bit programs cannot." /SD IDOK
    ${ElseIf} $0 <> 0
      ${A2W_LOG} "x86: FAILED: regsvr32 asio2wasapi_x86.dll exited with $0; 32-bit hosts will not see the driver"
      MessageBox MB_OK|MB_ICONEXCLAMATION "The 32-bit driver could not be registered (regsvr32 exited with $0). 64-bit programs can use the driver; 32-bit programs cannot." /SD IDOK
    ${Else}
      ${A2W_LOG} "x86: registered (${REGSVR32})"
    ${EndIf}
  ${Else}
    ${A2W_LOG} "x86: skipped: ${REGSVR32} does not exist (no 32-bit subsystem); 32-bit hosts will not see the driver"
  ${EndIf}

  ; The Start Menu, for all users.
  CreateDirectory "$SMPROGRAMS\${MENU_FOLDER}"
  CreateShortcut "$SMPROGRAMS\${MENU_FOLDER}\ASIO2WASAPI Settings.lnk" "$INSTDIR\asio2wasapi-panel.exe" "" "" 0 SW_SHOWNORMAL "" "Choose the device, mode and buffer of ${PRODUCT}"
  CreateShortcut "$SMPROGRAMS\${MENU_FOLDER}\Read me.lnk" "$INSTDIR\README.txt"
  CreateShortcut "$SMPROGRAMS\${MENU_FOLDER}\Uninstall ASIO2WASAPI.lnk" "$INSTDIR\uninstall.exe"

  ; Apps & features.
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${PRODUCT} (ASIO driver)"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "asio2wasapi"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0

  FileClose $LogFile
  StrCpy $LogFile ""
SectionEnd

; --- The uninstaller (un.onInit is at the end: it needs the sections' indexes).

; Off unless ticked (or /REMOVECONFIG). It runs before the driver section
; because that one removes the Uninstall key last, so the key's disappearing
; means the whole uninstall is done: the uninstaller runs from a copy in
; %TEMP%, so whoever starts it cannot wait for its process
; (tests/e2e/installer.sh waits for the key).
Section /o "un.My settings and logs (%LOCALAPPDATA%\asio2wasapi)" SEC_UN_CONFIG
  ; The files of the user running the uninstaller (docs/CONFIGURATION.md).
  SetShellVarContext current
  Delete "$LOCALAPPDATA\asio2wasapi\*.toml"
  Delete "$LOCALAPPDATA\asio2wasapi\*.toml.bak"
  Delete "$LOCALAPPDATA\asio2wasapi\*.toml.tmp"
  Delete "$LOCALAPPDATA\asio2wasapi\*.log"
  Delete "$LOCALAPPDATA\asio2wasapi\*.log.1"
  Delete "$LOCALAPPDATA\asio2wasapi\*.log.2"
  Delete "$LOCALAPPDATA\asio2wasapi\*.log.3"
  RMDir "$LOCALAPPDATA\asio2wasapi"
  DetailPrint "settings and logs removed from $LOCALAPPDATA\asio2wasapi"
  SetShellVarContext all
SectionEnd

Section "un.${PRODUCT}" SEC_UN_DRIVER
  SectionIn RO
  ; Unregister while the DLLs are still there: each one's DllUnregisterServer
  ; removes its default and named instances' keys and the Instances list.
  ${If} ${FileExists} "$INSTDIR\asio2wasapi_x86.dll"
  ${AndIf} ${FileExists} "${REGSVR32}"
    ClearErrors
    ExecWait '"${REGSVR32}" /u /s "$INSTDIR\asio2wasapi_x86.dll"' $0
    ${If} ${Errors}
      DetailPrint "x86: ${REGSVR32} could not be started"
    ${ElseIf} $0 <> 0
      DetailPrint "x86: regsvr32 /u exited with $0"
    ${Else}
      DetailPrint "x86: unregistered"
    ${EndIf}
  ${EndIf}
  ${If} ${FileExists} "$INSTDIR\asio2wasapi_x64.dll"
    ClearErrors
    ExecWait '"${REGSVR64}" /u /s "$INSTDIR\asio2wasapi_x64.dll"' $0
    ${If} ${Errors}
    ${OrIf} $0 <> 0
      DetailPrint "x64: regsvr32 /u failed ($0)"
      SetErrorLevel 2
      MessageBox MB_OK|MB_ICONSTOP "The 64-bit driver could not be unregistered (regsvr32 /u: $0). Its registry keys may remain (docs/DRIVER.md lists them)." /SD IDOK
    ${Else}
      DetailPrint "x64: unregistered"
    ${EndIf}
  ${EndIf}

  ; Only what the installer put there: a folder the user chose may hold
  ; other files, and those stay (and so does the folder then).
  ; /REBOOTOK: a DLL still loaded by a running host goes at the next restart.
  Delete /REBOOTOK "$INSTDIR\asio2wasapi_x64.dll"
  Delete /REBOOTOK "$INSTDIR\asio2wasapi_x86.dll"
  Delete "$INSTDIR\asio2wasapi-panel.exe"
  Delete "$INSTDIR\asiohost.exe"
  Delete "$INSTDIR\a2w-instances.exe"
  Delete "$INSTDIR\README.txt"
  Delete "$INSTDIR\README.md"
  Delete "$INSTDIR\install.log"
  Delete "$INSTDIR\x86\a2w-instances.exe"
  RMDir "$INSTDIR\x86"
  Delete "$INSTDIR\docs\*.md"
  RMDir "$INSTDIR\docs"
  Delete "$INSTDIR\uninstall.exe"
  RMDir /REBOOTOK "$INSTDIR"

  Delete "$SMPROGRAMS\${MENU_FOLDER}\ASIO2WASAPI Settings.lnk"
  Delete "$SMPROGRAMS\${MENU_FOLDER}\Read me.lnk"
  Delete "$SMPROGRAMS\${MENU_FOLDER}\Uninstall ASIO2WASAPI.lnk"
  RMDir "$SMPROGRAMS\${MENU_FOLDER}"

  ${If} ${RebootFlag}
    MessageBox MB_OK|MB_ICONINFORMATION "A program still has the driver loaded: the rest of $INSTDIR goes when Windows restarts." /SD IDOK
  ${EndIf}

  ; regsvr32 /u removed the Instances list; its parent goes once empty.
  DeleteRegKey /ifempty HKLM "Software\asio2wasapi"
  ; Last: Apps & features lists the driver until everything else is gone.
  DeleteRegKey HKLM "${UNINST_KEY}"
SectionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
  ; /REMOVECONFIG ticks the "settings and logs" section (for silent mode).
  ${un.GetParameters} $R0
  ClearErrors
  ${un.GetOptions} $R0 "/REMOVECONFIG" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SEC_UN_CONFIG}
  ${EndIf}
FunctionEnd
