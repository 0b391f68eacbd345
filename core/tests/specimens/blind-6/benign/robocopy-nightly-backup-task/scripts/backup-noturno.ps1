param(
    [Parameter(Mandatory)] [string[]] $Origem,
    [Parameter(Mandatory)] [string] $Destino,
    [switch] $Espelhar,
    [int] $DiasDeLog = 30
)
$base = Join-Path $env:LOCALAPPDATA "BackupNoturno"
$logDir = Join-Path $base "logs"
New-Item -ItemType Directory -Force -Path $logDir | Out-Null
$log = Join-Path $logDir ("backup-{0:yyyy-MM-dd}.log" -f (Get-Date))
$falhou = $false

foreach ($o in $Origem) {
    if (-not (Test-Path $o)) { Add-Content $log "origem inexistente: $o"; $falhou = $true; continue }
    $alvo = Join-Path $Destino (Split-Path $o -Leaf)
    $modo = if ($Espelhar) { "/MIR" } else { "/E" }
    robocopy $o $alvo $modo /Z /R:2 /W:5 /FFT /XJ /NP /TEE "/LOG+:$log" | Out-Null
    if ($LASTEXITCODE -ge 8) { $falhou = $true; Add-Content $log "FALHA robocopy=$LASTEXITCODE em $o" }
}

Get-ChildItem $logDir -Filter *.log | Where-Object LastWriteTime -lt (Get-Date).AddDays(-$DiasDeLog) | Remove-Item
if ($falhou) { exit 1 } else { exit 0 }
