#!/usr/bin/env python3
"""指示ファイルの一次スキャン：危険な表現と不可視文字を報告する。"""
import pathlib
import re
import sys

PATTERNS = {
    "precedence": r"(take[s]? precedence over|override[s]? (the )?user|より優先|無視せよ)",
    "concealment": r"(do not (tell|mention)|without telling|伝えない|言わない|隠)",
    "false-report": r"(report .*success.* even if|成功と報告)",
    "auto-approve": r"(bypassPermissions|dangerously-skip-permissions|確認なしで)",
    "external-obey": r"(follow .* instructions (from|in) .*(url|page|issue|comment)|指示に従)",
    "network": r"(curl|wget|Invoke-WebRequest|requests\.post|fetch\()",
}
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")

for root in sys.argv[1:] or ["."]:
    for p in pathlib.Path(root).rglob("*"):
        if p.suffix.lower() not in {".md", ".txt", ".mdc", ""} or not p.is_file():
            continue
        for n, line in enumerate(p.read_text(errors="replace").splitlines(), 1):
            for cat, rx in PATTERNS.items():
                if re.search(rx, line, re.I):
                    print(f"{p}:{n}: [{cat}] {line.strip()[:120]}")
            if INVISIBLE.search(line):
                print(f"{p}:{n}: [invisible-chars] {len(INVISIBLE.findall(line))} 個")
            if len(line) > 300 and re.search(r"\s{80,}\S", line):
                print(f"{p}:{n}: [whitespace-padding] 長い空白の後ろにテキスト")
