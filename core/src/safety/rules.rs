//! The built-in detection rules, as data: one regex per rule, grouped for one-pass matching.
//!
//! `Prose` rules look for instructions aimed at the agent (impersonation, overrides); they are
//! judged in context (quoted, fenced, negated or taught text is not an attack). `Behaviour`
//! rules look for what code or commands would do (exfiltration, escalation, dangerous
//! scripts); what a skill tells an agent to run is behaviour wherever it is written.

use super::{Category, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Prose,
    Behaviour,
}

pub struct Rule {
    pub id: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub kind: Kind,
    pub pattern: &'static str,
    pub explanation: &'static str,
}

use Category::*;
use Kind::*;
use Severity::*;

pub const RULES: &[Rule] = &[
    // --- System-prompt impersonation ---
    Rule {
        id: "impersonation/chat-markup",
        category: Impersonation,
        severity: Critical,
        kind: Prose,
        pattern: r"(?i)<\|im_start\|>\s*(system|assistant)|<\|(system|endoftext)\|>|\[/?INST\]|<<SYS>>|<\|start_header_id\|>\s*system",
        explanation: "chat-template control tokens pretend to start a system or assistant turn",
    },
    Rule {
        id: "impersonation/role-line",
        category: Impersonation,
        severity: High,
        kind: Prose,
        pattern: r"(?im)^\s*(#+\s*)?(system|system prompt|assistant)\s*(message|override)?\s*:\s*(you|ignore|from now|new|the user)",
        explanation: "a line dressed up as a system or assistant message",
    },
    Rule {
        id: "impersonation/authority",
        category: Impersonation,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\b(as your (developer|creator|administrator|system administrator|operator|owner)\b|(this|the following) is an? (official )?(system|developer|admin(istrator)?) (message|instruction|notice|override)|(new|updated) system prompt)\b",
        explanation: "claims the authority of the developer or the system",
    },
    // --- Instruction override ---
    Rule {
        id: "override/ignore-previous",
        category: Override,
        severity: Critical,
        kind: Prose,
        pattern: r"(?i)\b(ignore|disregard|forget)\s+((all|any|the|your|every|of|these|those)\s+)*(previous|prior|above|earlier|preceding|former|original|system|initial|all|your|the|any)\s+(\w+\s+)?(instructions?|directions?|rules|prompts?|guidelines|guardrails|context|tasks?|assignments?)\b|\b(forget|disregard)\s+(about\s+)?(everything|all)\b|\bignore\s+(everything|all)\s+(above|before|previous|prior|earlier)\b|\b(oubliez|ignorez|olvida|ignora)\s+(toutes?\s+|todas?\s+)?(les\s+|las\s+)?(instructions|consignes|instrucciones|r.gles|reglas)\b",
        explanation: "tells the agent to drop its instructions",
    },
    Rule {
        id: "override/ignore-previous-de",
        category: Override,
        severity: Critical,
        kind: Prose,
        pattern: r"(?i)\b(ignorier\w*|vergiss\w*|missachte\w*)\b.{0,30}\b(anweisungen|instruktionen|vorgaben|regeln|alles)\b",
        explanation: "tells the agent to drop its instructions (German)",
    },
    Rule {
        id: "override/mode-switch",
        category: Override,
        severity: Critical,
        kind: Prose,
        pattern: r"(?i)\byou are now\b.{0,30}\b(mode|dan|jailbroken|unrestricted|unfiltered|free)\b|\b(developer|god|dan|jailbreak) mode (enabled|activated|on)\b|\benable (developer|god|dan|jailbreak) mode\b",
        explanation: "tries to switch the agent into an unrestricted persona",
    },
    Rule {
        id: "override/role-reset",
        category: Override,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\b(from now on|henceforth|starting now),? you (are|will|must|shall)\b|\byour new (role|task|instructions?|goal) (is|are)\b|\bpretend (that )?you are\b|\bact as if you (have|had) no\b",
        explanation: "redefines who the agent is or what it must do",
    },
    Rule {
        id: "override/prompt-extraction",
        category: Override,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\b(show|reveal|print|tell|repeat|output|display|give)\s+(me\s+)?(all\s+)?your\s+(system\s+|initial\s+|original\s+|hidden\s+)?(prompt|prompts|prompt texts?|instructions|system message)\b",
        explanation: "tries to extract the agent's own prompt or instructions",
    },
    Rule {
        id: "override/new-task",
        category: Override,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\bnow\s+(focus on|comes|here is|follows)\s+(your|a|the)\s+new\s+(task|instruction|assignment|role)\b",
        explanation: "replaces the agent's task mid-stream",
    },
    Rule {
        id: "override/hide-from-user",
        category: Override,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\b(do not|don't|never) (tell|inform|mention|reveal|show|disclose)\b.{0,30}\b(the user|the human)\b|\bwithout (telling|informing|asking|notifying) the user\b",
        explanation: "asks the agent to act behind the user's back",
    },
    // --- Data exfiltration ---
    Rule {
        id: "exfiltration/env-dump",
        category: Exfiltration,
        severity: Medium,
        kind: Behaviour,
        pattern: r"(?i)\bdict\(\s*os\.environ\s*\)|\bos\.environ\.copy\(\)|\bJSON\.stringify\(\s*process\.env\s*\)|(^|[\s;|`$(])(printenv|env)\s*(\||>|$)|\bset\s*\|\s*(curl|nc|base64)",
        explanation: "collects the whole environment, where credentials live",
    },
    Rule {
        id: "exfiltration/secret-read",
        category: Exfiltration,
        severity: Low,
        kind: Behaviour,
        pattern: r#"(?i)(\bos\.environ(\.get)?\s*[\[(]\s*["'][A-Z0-9_]*(TOKEN|SECRET|PASSWORD|PASSWD|KEY|PRIVATE|CREDENTIAL|DATABASE_URL|DSN)[A-Z0-9_]*["']|\bprocess\.env\.[A-Z0-9_]*(TOKEN|SECRET|PASSWORD|KEY|CREDENTIAL)|(?-i:\$\{?\(?[A-Z0-9_]*(TOKEN|SECRET|PASSWORD|API_KEY|ACCESS_KEY|PRIVATE_KEY|ACCOUNT_KEY)[A-Z0-9_]*\)?\}?))"#,
        explanation: "reads a secret from the environment",
    },
    Rule {
        id: "exfiltration/credential-files",
        category: Exfiltration,
        severity: Medium,
        kind: Behaviour,
        pattern: r"(?i)(~|\$HOME|/home/\w+|/root)/\.(aws|gnupg|docker|kube|netrc|npmrc|pypirc|git-credentials)\b|\.aws/credentials",
        explanation: "reads credential files",
    },
    Rule {
        id: "exfiltration/private-keys",
        category: Exfiltration,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)\.ssh/(id_(rsa|ed25519|ecdsa|dsa)\b|\*)|(~|\$HOME)/\.ssh\b[^\n]*\b(cat|cp|tar|zip|scp|curl|base64)\b|\b(cat|cp|tar|zip|scp|curl|base64)\b[^\n]*(~|\$HOME)/\.ssh\b|/etc/(shadow|sudoers)\b|login\.keychain|\bsecurity (find|dump)-(generic-password|internet-password|keychain)\b",
        explanation: "reads SSH private keys, system password files or the keychain",
    },
    Rule {
        id: "exfiltration/network-send",
        category: Exfiltration,
        severity: Low,
        kind: Behaviour,
        pattern: r#"(?i)\brequests\.(post|put|patch)\s*\(|\bhttpx\.(post|put)\s*\(|\burllib\.request\.urlopen\s*\(|\bcurl\b[^\n]*\s(-d|--data(-\w+)?|-F|--form|-T|--upload-file|-X\s*(POST|PUT))\b|\bwget\b[^\n]*--post-(data|file)|\bfetch\([^)]*method:\s*["'](POST|PUT)|\bInvoke-(WebRequest|RestMethod)\b[^\n]*-Method\s+Post"#,
        explanation: "sends data to a server",
    },
    Rule {
        id: "exfiltration/encode",
        category: Exfiltration,
        severity: Info,
        kind: Behaviour,
        pattern: r"(?i)\b(b64encode|urlsafe_b64encode|json\.dumps|JSON\.stringify|btoa|hexlify)\s*\(|\|\s*base64\b|\.encode\(\s*\)\.hex\(",
        explanation: "encodes or serialises data (a signal, not a finding by itself)",
    },
    Rule {
        id: "exfiltration/dns",
        category: Exfiltration,
        severity: High,
        kind: Behaviour,
        pattern: r#"(?i)(^|[\s;|`(\x22'])(dig|nslookup|drill)\s[^\n]*(\$\(|\{[a-z_]+\}|\$\{?[A-Z_]+)[^\n]*\.[a-z0-9-]+\.[a-z]{2,}"#,
        explanation: "encodes data into DNS lookups",
    },
    Rule {
        id: "exfiltration/image-beacon",
        category: Exfiltration,
        severity: High,
        kind: Prose,
        pattern: r"!\[[^\]]*\]\(https?://[^)\s]*[?&][^)\s]*=(\{|\$|%7[bB]|<)[^)]*\)",
        explanation: "a markdown image whose URL carries data to a server when rendered",
    },
    Rule {
        id: "exfiltration/conversation",
        category: Exfiltration,
        severity: Critical,
        kind: Prose,
        pattern: r"(?i)\b(send|post|upload|forward|transmit|copy|leak|exfiltrate)\b.{0,30}\b(conversation|chat|session) (history|log|transcript|contents)|\b(send|post|upload|forward|transmit|exfiltrate)\b.{0,40}\b(api keys?|credentials|secrets|passwords|tokens|private keys?|environment variables)\b.{0,30}\b(to|at)\b",
        explanation: "asks the agent to send conversation data or secrets elsewhere",
    },
    Rule {
        id: "exfiltration/forward-data",
        category: Exfiltration,
        severity: Critical,
        kind: Prose,
        pattern: r"(?i)\b(forward|send|post|upload|transmit|report|copy)\s+(all|the|every|any|your|each)\s+(\w+\s+)?(data|files?|output|results|contents|information|tokens?|keys|secrets|messages)\s+to\s+(https?://|ftp://|\w+@)",
        explanation: "tells the agent to send data to an outside address",
    },
    Rule {
        id: "exfiltration/collector-host",
        category: Exfiltration,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)\bhttps?://([a-z0-9-]+\.)*(exfil\w*|c2|cnc|command-and-control|attacker|evil|malicious|malware|stealer|phish\w*|backdoor|keylogger)[.:/]|\bhttps?://([a-z0-9-]+\.)*(webhook\.site|requestbin\.(com|net)|pipedream\.net|burpcollaborator\.net|interact\.sh|oast\.(fun|live|me|online|pro|site))\b",
        explanation: "points at a host named for collecting stolen data or controlling malware, or at a request-capture service",
    },
    Rule {
        id: "exfiltration/reverse-shell",
        category: Exfiltration,
        severity: Critical,
        kind: Behaviour,
        pattern: r"(?i)\bnc(at)?\b[^\n]*\s-(e|c)\s|\bnc(at)?\s+-\w*l\w*\b[^\n]*\|\s*(/bin/)?(ba)?sh\b|/dev/tcp/\S+|\bbash -i\b[^\n]*>&|\bsocat\b[^\n]*exec:|\bpty\.spawn\(",
        explanation: "opens a shell for a remote party",
    },
    // --- Privilege escalation and persistence ---
    Rule {
        id: "escalation/disable-safety",
        category: Escalation,
        severity: Critical,
        kind: Prose,
        pattern: r"(?i)\b(disable|turn off|bypass|skip|ignore|circumvent)\b.{0,20}\b(safety|security|content) (checks?|filters?|policies|guardrails|restrictions|review)\b|\b(approve|allow|accept) (all|every|any) (tool calls?|commands|actions|permissions)\b|--dangerously-skip-permissions",
        explanation: "asks to switch off safety checks or approvals",
    },
    Rule {
        id: "escalation/agent-config",
        category: Escalation,
        severity: High,
        kind: Behaviour,
        pattern: r#"(?i)(>>?|\btee\s+(-a\s+)?|\bsed\s+-i\S*\s+\S+\s+)\s*["']?[~$\w./-]*(\.claude/settings[\w.]*|\.claude\.json|CLAUDE\.md|\.cursor/rules|\.github/copilot[\w./-]*|\.codex/config[\w.]*)\b|\bopen\([^)]*(\.claude/settings|\.claude\.json|\.cursor/rules)[^)]*["'](w|a)"#,
        explanation: "rewrites the agent's own configuration or permissions",
    },
    Rule {
        id: "escalation/persistence",
        category: Escalation,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)>>?\s*(~|\$HOME)?/?\.(bashrc|zshrc|profile|bash_profile|zprofile|config/fish/config\.fish)\b|\bcrontab\s+(-\w+\s+)*-?\s*<|\(crontab -l|\bsystemctl (--user )?enable\b|\bauthorized_keys\b|\blaunchctl load\b",
        explanation: "installs itself to run again later (shell rc, cron, services, SSH keys)",
    },
    Rule {
        id: "escalation/sudo",
        category: Escalation,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)(^|[\s;&|`(])sudo\s+(-\w+\s+)*(chown|chmod|rm|cp|mv|tee|sh|bash|su|visudo|usermod|passwd)\b",
        explanation: "runs a privileged command that changes ownership, permissions or system files",
    },
    Rule {
        id: "escalation/world-writable",
        category: Escalation,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)\bchmod\s+(-R\s+)?(0?777|a\+rwx|[ug]\+s|[0-7]?[4-7]777)\b|\bchmod\s+(-R\s+)?\+s\b",
        explanation: "makes files world-writable or setuid",
    },
    // --- Dangerous script behaviour ---
    Rule {
        id: "script/pipe-to-shell",
        category: DangerousScript,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)\b(curl|wget)\b[^\n|]*\|\s*(sudo\s+)?(ba|z|k|da)?sh\b|\b(curl|wget)\b[^\n|]*\|\s*python[0-9.]*\s*(-\s*)?($|[;&)])|\bbase64\s+(-d|--decode)[^\n|]*\|\s*(ba)?sh\b",
        explanation: "downloads or decodes a script and runs it unseen",
    },
    Rule {
        id: "script/destructive",
        category: DangerousScript,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)\brm\s+-(rf|fr|r\s+-f|f\s+-r)\b[^\n;&|]*\s(--no-preserve-root|/|/\*|~/?|\$HOME/?|/var/log\S*|/etc\S*|/usr\S*|/home\S*|/boot\S*)(\s|$)|\bmkfs\.\w+\s+/dev/|\bdd\s+if=\S+\s+of=/dev/(sd|nvme|disk)",
        explanation: "deletes or overwrites system or home data",
    },
    Rule {
        id: "script/obfuscated-exec",
        category: DangerousScript,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)\b(eval|exec)\s*\(\s*(compile\s*\(|__import__\s*\(\s*[\x22']base64|base64\.b64decode|bytes\.fromhex|codecs\.decode|zlib\.decompress|marshal\.loads|atob\s*\(|Buffer\.from\s*\()|\bexec\s*\(\s*open\s*\(|\bpython[0-9.]*\s+-c\s+[^\n]*exec\s*\(|\bnew Function\s*\(\s*atob",
        explanation: "runs code that is hidden or loaded at run time",
    },
    Rule {
        id: "script/cryptominer",
        category: DangerousScript,
        severity: Critical,
        kind: Behaviour,
        pattern: r"(?i)\bstratum\+(tcp|ssl)://|\b(xmrig|cpuminer|minerd|ethminer|nbminer)\b",
        explanation: "runs a cryptocurrency miner",
    },
    Rule {
        id: "script/encoded-endpoint",
        category: DangerousScript,
        severity: Medium,
        kind: Behaviour,
        pattern: r#"(?i)\b(b64decode|atob|base64\s+-d)\s*\(?\s*["']aHR0c"#,
        explanation: "hides a URL in base64",
    },
    // --- Supply chain ---
    Rule {
        id: "supply-chain/internal-registry",
        category: SupplyChain,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)\b(install|fetch|pull|download)\w*\b[^\n.]{0,40}\bfrom\s+(the\s+|an?\s+|your\s+|our\s+)?(internal|private|corporate|company)\s+(package\s+|npm\s+|pypi\s+|python\s+)?(registry|index|mirror|feed)\b|\b(wrapper|wraps|shim|client|requires|depends on|built on|loads [a-z]+ from)\s+(for\s+|the\s+|our\s+|an?\s+)*(internal|private|in-house|proprietary)\s+(package|library|module|dependency|sdk)\s+`?[a-z0-9][a-z0-9_.-]+",
        explanation: "depends on an internal package or registry: a public package of the same name can be installed instead (dependency confusion)",
    },
];
