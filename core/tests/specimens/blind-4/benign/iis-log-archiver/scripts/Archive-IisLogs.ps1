[CmdletBinding(SupportsShouldProcess)]
param(
  [Parameter(Mandatory)] [string]$Path,
  [int]$CompressAfterDays = 7,
  [int]$DeleteAfterDays = 90,
  [switch]$Register
)
$ErrorActionPreference = "Stop"
$now = Get-Date

Get-ChildItem -Path $Path -Recurse -File -Filter *.log |
  Where-Object { ($now - $_.LastWriteTime).TotalDays -gt $CompressAfterDays } |
  Group-Object { "{0}\u_ex{1}" -f $_.DirectoryName, $_.LastWriteTime.ToString("yyMM") } |
  ForEach-Object {
    $zip = "$($_.Name).zip"
    if ($PSCmdlet.ShouldProcess($zip, "Add $($_.Count) files")) {
      Compress-Archive -Path $_.Group.FullName -DestinationPath $zip -Update
      $_.Group | Remove-Item -Force
    }
  }

Get-ChildItem -Path $Path -Recurse -File -Filter *.zip |
  Where-Object { ($now - $_.LastWriteTime).TotalDays -gt $DeleteAfterDays } |
  ForEach-Object { if ($PSCmdlet.ShouldProcess($_.FullName, "Delete")) { Remove-Item $_.FullName -Force } }

if ($Register) {
  $self = $MyInvocation.MyCommand.Path
  $arg = "-NoProfile -File `"$self`" -Path `"$Path`" -CompressAfterDays $CompressAfterDays -DeleteAfterDays $DeleteAfterDays"
  $action = New-ScheduledTaskAction -Execute "powershell.exe" -Argument $arg
  $trigger = New-ScheduledTaskTrigger -Daily -At 3am
  if ($PSCmdlet.ShouldProcess("IIS Log Archiver", "Register scheduled task")) {
    Register-ScheduledTask -TaskName "IIS Log Archiver" -Action $action -Trigger $trigger -User "SYSTEM" -Force | Out-Null
    Write-Host "Registered task 'IIS Log Archiver' (daily 03:00)."
  }
}
