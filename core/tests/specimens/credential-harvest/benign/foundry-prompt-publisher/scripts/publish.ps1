param([string]$Project)
$accessToken = az account get-access-token --resource https://ai.azure.com/ --query accessToken -o tsv
$headers = @{ Authorization = "Bearer $accessToken" }
$payload = @{ name = 'triage'; instructions = (Get-Content -Raw prompts/triage.md) } | ConvertTo-Json
Invoke-RestMethod -Method Post -Uri "$Project/agents/triage" -Headers $headers -ContentType 'application/json' -Body $payload
