# Vérifie la présence des outils et affiche un tableau récapitulatif.
$outils = @(
  @{ Nom = "git";    Cmd = { git --version } },
  @{ Nom = "node";   Cmd = { node --version } },
  @{ Nom = "python"; Cmd = { python --version } },
  @{ Nom = "code";   Cmd = { code --version | Select-Object -First 1 } },
  @{ Nom = "wsl";    Cmd = { (wsl --status) -join " " } }
)
$resultat = foreach ($o in $outils) {
  try { $v = & $o.Cmd 2>$null; [pscustomobject]@{ Outil = $o.Nom; Etat = "OK"; Version = "$v" } }
  catch { [pscustomobject]@{ Outil = $o.Nom; Etat = "ABSENT"; Version = "" } }
}
$resultat | Format-Table -AutoSize
