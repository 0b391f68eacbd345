"""word-flagger: a safety scanner that flags the words in its `words` setting (default: TODO), at
the severity in its `severity` setting (default: high; critical blocks a publish); with
`only_changed = "true"`, only in files new or changed since the previous version."""

from typing import Optional

import wit_world
from wit_world.imports import types

import spm_plugin as spm


class WitWorld(wit_world.WitWorld):
    def info(self) -> types.PluginInfo:
        return spm.plugin_info("word-flagger", "0.1.0", "flags configured words")

    def scan(self, pkg: types.SkillPackage, previous: Optional[types.PreviousVersion]):
        words = spm.config_list("words") or ["TODO"]
        if spm.config("only_changed") == "true":
            files = spm.changed_text_files(pkg, previous)
        else:
            files = spm.text_files(pkg)
        findings = []
        for path, text in files:
            for word in words:
                start = text.find(word)
                while start >= 0:
                    findings.append(spm.finding(f"word-flagger/{word}", f"`{word}` found", path,
                                                spm.line_of(text, start),
                                                severity=spm.config("severity", "high")))
                    start = text.find(word, start + 1)
        spm.info(f"{len(findings)} findings in {pkg.author}/{pkg.name}")
        return findings
