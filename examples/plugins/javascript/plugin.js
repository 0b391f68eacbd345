// word-flagger: a safety scanner that flags the words in its `words` setting (default: TODO), at
// the severity in its `severity` setting (default: high; critical blocks a publish); with
// `only_changed = "true"`, only in files new or changed since the previous version.

import * as spm from "./spm-plugin.js";

export function info() {
  return spm.pluginInfo("word-flagger", "0.1.0", "flags configured words");
}

export function scan(pkg, previous) {
  const words = spm.configList("words");
  const files = spm.config("only_changed") === "true" ? spm.changedTextFiles(pkg, previous) : spm.textFiles(pkg);
  const findings = [];
  for (const [path, text] of files) {
    for (const word of words.length ? words : ["TODO"]) {
      let at = text.indexOf(word);
      while (at >= 0) {
        const severity = spm.config("severity", "high");
        findings.push(spm.finding(`word-flagger/${word}`, `\`${word}\` found`, path, spm.lineOf(text, at), severity));
        at = text.indexOf(word, at + 1);
      }
    }
  }
  spm.info(`${findings.length} findings in ${pkg.author}/${pkg.name}`);
  return findings;
}
