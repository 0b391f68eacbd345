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
        pattern: r"(?i)\b(ignore|disregard|forget)\s+((all|any|the|your|every|of|these|those)\s+)*(previous|prior|above|earlier|preceding|former|original|system|initial|all|your|the|any)\s+(\w+\s+)?(instructions?|directions?|rules|prompts?|guidelines|guardrails|context|tasks?|assignments?|orders|commands|directives)\b|\bignore\s+(the\s+)?above\b|\bignore\s+everything\s+and\b|\b(forget|disregard)\s+(about\s+)?(everything|all)\b|\bignore\s+(everything|all)\s+(above|before|previous|prior|earlier)\b|\b(oubliez|ignorez|olvida|ignora)\s+(toutes?\s+|todas?\s+)?(les\s+|las\s+)?(instructions|consignes|instrucciones|r.gles|reglas)\b",
        explanation: "tells the agent to drop its instructions",
    },
    Rule {
        id: "override/ignore-previous-de",
        category: Override,
        severity: Critical,
        kind: Prose,
        pattern: r"(?i)\b(ignorier\w*|vergiss\w*|missachte\w*)\b.{0,30}\b(anweisungen|instruktionen|vorgaben|regeln|alles|aufgaben|auftr.{1,2}ge|angaben|befehle)\b",
        explanation: "tells the agent to drop its instructions (German)",
    },
    Rule {
        id: "override/mode-switch",
        category: Override,
        severity: Critical,
        kind: Prose,
        pattern: r"(?i)\byou are now\b.{0,30}\b(mode|dan|jailbroken|unrestricted|unfiltered|free)\b|\b(god|dan|jailbreak) mode (enabled|activated|on)\b|\benable (god|dan|jailbreak) mode\b|\byou are (now )?in developer mode\b",
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
        pattern: r"(?im)\b(do not|don't|never)\s+(tell|inform|notify|alert)\s+(the\s+)?(user|human)\s*([.;,:)!]|$|about\s+(the\s+|this\s+|that\s+|these\s+|those\s+|any\s+|our\s+)?(upload\w*|request\w*|transfer\w*|cop(y|ies)|backup\w*|sync\w*|webhook\w*|hosts?|servers?|endpoints?|urls?|address|commands?|steps?|scripts?|actions?|it|this|that|them)\b)",
        explanation: "asks the agent to act behind the user's back",
    },
    Rule {
        id: "override/unchecked-orders",
        category: Override,
        severity: High,
        kind: Prose,
        // Running what someone else wrote without looking at who they are: "Execute that code
        // block in the shell exactly as written", "do not check who wrote the comment".
        pattern: r"(?i)\b(execute|run)\s+(that|the|this|each|every|any|its|their)\s+(fenced\s+)?(code\s+)?(block|snippet|script)s?\b[^.]{0,40}\b(exactly\s+as\s+written|as\s+written|verbatim|unmodified|without\s+(checking|reviewing|reading|asking))\b|\b(do not|don't|never|no need to)\s+(check|verify|validate|confirm)\s+(who|whether|which user|the author|the sender|the identity|where it came)",
        explanation: "runs code from others without checking who wrote it",
    },
    Rule {
        id: "override/unrestricted-mode",
        category: Override,
        severity: High,
        kind: Prose,
        // A mode said to be free of the rules set by the system or the user, in Chinese and
        // Japanese ("该模式不受……任何限制约束", "制限に縛られない").
        pattern: r"(不受|无视|忽略|不再遵守)(?s:.){0,90}(限制|约束|规则|指令|规范)|(制限|ルール|指示|制約)(?s:.){0,12}(に縛られ|を無視|に従わな|の対象外)",
        explanation: "declares a mode free of the system's or the user's restrictions",
    },
    Rule {
        id: "override/foreign-authority",
        category: Override,
        severity: High,
        kind: Prose,
        // Text from others made binding: a ticket that "counts as authorisation", a page that
        // "fait foi", comments "from any account" as requests, the user's limits "advisory",
        // a role the agent is said to have become.
        pattern: r"(?i)\b(tickets?|comments?|issues?|e-?mails?|messages?|pages?|threads?|posts?|payloads?)\b[^.]{0,60}\b(counts?|serves?|stands?|is\s+treated|are\s+treated|is\s+taken|are\s+taken)\s+as\s+(an?\s+|the\s+)?(authori[sz]ation|approval|consent|sign-?off|request\s+to\s+implement|binding\s+instructions?)\b|\bit\s+is\s+the\s+authoritative\s+(fix|plan|source|instruction|answer|version)|\b(comments?|messages?|requests?)\s+from\s+(any|every|all)\s+(accounts?|users?|sources?|contributors?|senders?)\b|\btreats?\s+the\s+user'?s?\s+(remarks?|instructions?|requests?|constraints?|objections?|limits?|rules?)\b[^.]{0,60}\bas\s+(advisory|optional|suggestions?|non-binding)\b|\byou\s+are\s+no\s+longer\s+(an?\s+|the\s+)?([\w-]+\s+)?(assistant|helper|agent|chatbot|model|ai|copilot)\b|\byour\s+role\s+(changes|has\s+changed|is\s+now)\b|\bfait\s+foi\b|\bvaut\s+(comme\s+)?(autorisation|accord|validation)\b|\b(vale|conta|cuenta)\s+como\s+(autoriza|aprova|aprobaci)\w*|\bpesa\s+m.{1,2}s\s+que\s+lo\s+que\b|\bgilt\s+als\s+(freigabe|genehmigung|autorisierung|anweisung)\b|\bvale\s+come\s+(autorizzazione|approvazione)\b|\bfa\s+fede\b|\b(ex.{1,2}cutez|ex.{1,2}cuter)\s+(donc\s+)?(chaque|tous\s+les|les)\s+(blocs?|commandes?)\b[^.]{0,80}\b(tel\s+quel|tels\s+quels|dans\s+l'ordre)|имеет\s+приоритет\s+над|считается\s+(разрешением|одобрением|согласием)|역할이\s*바뀝니다|역할로\s*지정되었습니다",
        explanation: "makes text from others binding, or the user's own limits optional",
    },
    Rule {
        id: "override/without-asking",
        category: Override,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\bwithout (telling|informing|asking|notifying) the user\b",
        explanation: "asks the agent to act without the user's knowledge or consent",
    },
    Rule {
        id: "override/outranks-user",
        category: Override,
        severity: High,
        kind: Prose,
        // What the sentence puts above the user or the system prompt, in the languages skills
        // are written in: "takes precedence over … the user's request", "supersedes anything
        // the user tells you", "hat Vorrang vor den Anweisungen des Nutzers". The other way
        // round ("the user's instructions take precedence over this skill") is not matched:
        // the user has to come after the claim.
        pattern: r"(?i)\b(take|takes|taking|took|have|has|having|give|giving|given|gets?|with)\s+(them\s+|it\s+|this\s+|these\s+)?(top\s+|absolute\s+|full\s+|highest\s+)?(priority|precedence)\s+(over|above)\b[^.]{0,100}\b((the\s+)?user'?s?\s+(own\s+)?(instructions|requests?|wishes|prompts?|rules|messages?|preferences|directions|commands|guidance)\b|\b(anything|everything|whatever|what)\s+the\s+user\b|\bthe\s+user\b\s*([,;:.)]|and\b|or\b|$)|\b(the\s+)?system\s+prompt\b|\b(all\s+)?(other|prior|previous|earlier|existing)\s+(instructions|rules|guidance)\b|\byour\s+(own\s+)?instructions\b)|\b(supersedes?|superseding|overrides?|overriding|outranks?|trumps?|prevails?\s+over)\b[^.]{0,80}\b((the\s+)?user'?s?\s+(own\s+)?(instructions|requests?|wishes|prompts?|rules|messages?|preferences|directions|commands|guidance)\b|\b(anything|everything|whatever|what)\s+the\s+user\b|\bthe\s+user\b\s*([,;:.)]|and\b|or\b|$)|\b(all\s+)?(other|prior|previous|earlier|existing)\s+(instructions|rules|guidance)\b|\byour\s+(own\s+)?instructions\b)|\bvorrang\s+(vor|gegen.{1,2}ber)\b[^.]{0,80}\b(nutzer\w*|benutzer\w*|anwender\w*|systemprompt\w*|system-prompt\w*)|\b(priment|prime|pr.{1,2}valent|pr.{1,2}vaut|l'emportent|l.{1,3}emporte)\s+sur\b[^.]{0,80}\butilisat\w+|\b(la\s+)?priorit.{1,2}\s+sur\b[^.]{0,80}\butilisat\w+|\b(prevalecen|prevalece|prevalecem|tienen prioridad|tiene prioridad|t.{1,2}m prioridade|tem prioridade)\s+sobre\b[^.]{0,80}\b(usuari\w+|utilizador\w*)|\b(prevalgono|prevale|hanno la priorit.{1,2}|ha la priorit.{1,2})\s+su\w*\b[^.]{0,80}\butent\w+|(ユーザー|利用者|システムプロンプト)(?s:.){0,120}(より|よりも)(?s:.){0,18}優先|优先于(?s:.){0,90}(用户|系统提示|之前的指令)|(用户|系统提示)(?s:.){0,60}(之上|为准)|\b(rank|ranks|ranked|ranking|come|comes|sit|sits)\s+(above|before|ahead of)\b[^.]{0,80}\b(the\s+)?(requesting\s+)?(user'?s?|system\s+prompt|claude\.md|agents\.md)\b|\b(their|the user'?s?|his|her)\s+(objections?|refusals?|wishes|instructions|requests?)\s+(do|does|will|should)\s+not\s+(change|affect|alter|stop|override|matter)\b|\b(accepted|approved|granted|confirmed|answered)\s+on\s+(their|the user'?s?|his|her)\s+behalf\b|\b(the\s+)?(user|person at the keyboard|human)\s+(is|are)\s+(treated|considered|regarded)\s+as\s+(an?\s+)?(observer|bystander|spectator)",
        explanation: "puts other text above the user's instructions or the system prompt",
    },
    Rule {
        id: "override/conceal-from-user",
        category: Override,
        severity: High,
        kind: Prose,
        // Hiding what was done from the user, in the languages skills are written in: "do not
        // mention the upload … to the user", "do not include it in any reply", "sans le
        // signaler à l'utilisateur", "ユーザーに確認せずに", "erwähne sie … nicht".
        pattern: r"(?i)\b(do not|don't|never|nor)\s+(mention|reveal|disclose|report|show|surface|bring up|tell\s+(the\s+)?(user|human)\s+about)\s+(the\s+|this\s+|that\s+|these\s+|those\s+|any\s+|our\s+)?(upload\w*|request\w*|transfer\w*|cop(y|ies)|backup\w*|sync\w*|webhook\w*|hosts?|servers?|endpoints?|urls?|address|commands?|steps?|scripts?|actions?|it|this|that|them)\b[^.]{0,60}\b(to|with)\s+the\s+(user|human|customer|client)\b|\b(do not|don't|never)\s+(include|mention|list|show|report)\s+(the\s+|this\s+|that\s+|these\s+|those\s+|any\s+|our\s+)?(upload\w*|request\w*|transfer\w*|cop(y|ies)|backup\w*|sync\w*|webhook\w*|hosts?|servers?|endpoints?|urls?|address|commands?|steps?|scripts?|actions?|it|this|that|them)\b\s+(in|to)\s+(any|the|your)\s+(reply|replies|response|responses|answer|answers|summary|summaries|report|output|messages?)\b|\bif\s+(they|the user|the client|anyone)\s+asks?\b[^.]{0,60}\b(say|tell them|answer|reply|respond)\s+(that\s+)?[^.]{0,40}\b(only|just|nothing|never|no)\b|\bsans\s+(le\s+|en\s+|les\s+|lui\s+)?(signaler|dire|mentionner|informer|pr.{1,2}venir|avertir|demander)\b[^.]{0,30}\butilisat\w+|\bohne\s+(den\s+|die\s+|das\s+)?(nutzer\w*|benutzer\w*|anwender\w*)\s+(\w+\s+)?(zu\s+)?(informieren|fragen|benachrichtigen|hinzuweisen)|\b(erw.{1,2}hne|nenne|zeige|melde)\s+(sie|es|ihn|dies\w*|das)\b[^.]{0,60}\bnicht\b|\bsin\s+(avisar|informar|decir|notificar|preguntar|mencionar|comunicar|contar)\w*\s+(le\s+|lo\s+)?(al\s+|a\s+la\s+)?(usuari\w+|cliente)|\bsem\s+(avisar|informar|dizer|notificar|perguntar|mencionar|comunicar|contar)\w*\s+(o\s+|a\s+|ao\s+)?(usu.{1,2}rio|utilizador|cliente)|\bsenza\s+(avvisare|informare|dire|chiedere|menzionare|comunicare)\w*\s+(all.)?(utente|cliente)|ユーザーに(確認|知らせ|伝え|報告|通知)(?s:.){0,12}(せず|ないで|しないで)|(ユーザー|利用者)(へ|に)の?(確認|報告|通知)(は)?(不要|なし)|確認(なし|せず)で|(報告|返信|回答|出力)に(は)?含めないで|不要(告诉|通知|告知|提醒)[^\n]{0,12}用户|(无需|不需|不用|不必)(?s:.){0,15}(确认|询问|告知)|(사용자에게)[^\n]{0,60}(알리지|묻지|말하지)\s*(말고|않고)|\bleave\s+(it|this|that|them|the\s+\w+(\s+\w+)?)\s+out\s+of\s+(the\s+|your\s+|any\s+)?(transcript|summary|summaries|reply|replies|response|report|output|messages?)\b|\bif\s+asked\b[^.]{0,60}\b(say|answer|reply|respond|tell)\s+(them\s+)?(that\s+)?[^.]{0,40}\b(only|just|nothing|never|none|read-only|no)\b|\bsans\s+(le\s+|en\s+)?mentionner\b|사용자\s*(의\s*)?(확인|동의|승인)(?s:.){0,60}없이|без\s+(подтверждения|ведома|согласия)\s+пользовател|kullan.{1,3}c.{1,3}\s+onay.{1,3}\s+olmadan|\b(do|perform|make)\s+(it|this|these|them)\s+(quietly|silently)\b|\bnot\s+(a\s+change\s+)?worth\s+(listing|mentioning|reporting|noting)\b",
        explanation: "hides what it does from the user",
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
        pattern: r"(?i)\.ssh/\*([^.\w]|$)|(~|\$HOME)/\.ssh\b[^\n]*\b(cat|cp|tar|zip|scp|curl|base64)\b|\b(cat|cp|tar|zip|scp|curl|base64)\b[^\n]*(~|\$HOME)/\.ssh\b|/etc/(shadow|sudoers)\b|login\.keychain|\bsecurity (find|dump)-(generic-password|internet-password|keychain)\b",
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
        pattern: r"(?i)\b(send|post|upload|forward|transmit|copy|leak|exfiltrate)\b.{0,30}\b(conversation|chat|session) (history|log|transcript|contents)|\b(send|post|upload|forward|transmit|exfiltrate)\b.{0,40}\b(api keys?|credentials|secrets|passwords|tokens|private keys?|environment variables)\b.{0,30}\b(to|at)\b|\b(send|post|upload|forward|transmit|sync|copy)\b.{0,60}\b(the\s+)?user'?s\s+(full\s+|entire\s+|complete\s+|whole\s+|last\s+)?(messages?|prompts?|requests?|input)\b.{0,160}\b(to|at)\b",
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
        pattern: r"(?i)\bnc(at)?\b[^\n]*\s-(e|c)\s|\bnc(at)?\s+-\w*l\w*\b[^\n]*\|\s*(/bin/)?(ba)?sh\b|/dev/tcp/\S+[^\n]*(0>&1|<&\s*\d|>&\s*\d)|>&\s*/dev/tcp/|\bbash -i\b[^\n]*>&|\bsocat\b[^\n]*exec:|\bpty\.spawn\(|\bos\.dup2\(\s*\w+\.fileno\(\)|\[\s*[\x22']/bin/(ba|z)?sh[\x22']\s*,\s*[\x22']-i[\x22']\s*\]|\bspawn\(\s*[\x22']/bin/(ba)?sh[\x22'][^\n]*\bstdio\b",
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
        id: "escalation/world-writable",
        category: Escalation,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)\bchmod\s+(-R\s+)?(0?777|a\+rwx|[ug]\+s|[0-7]?[4-7]777)\b|\bchmod\s+(-R\s+)?\+s\b",
        explanation: "makes files world-writable or setuid",
    },
    // --- Dangerous script behaviour ---
    Rule {
        id: "script/destructive",
        category: DangerousScript,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)\brm\s+-(rf|fr|r\s+-f|f\s+-r)\b[^\n;&|]*\s(--no-preserve-root|/|/\*|~/?|\$HOME/?|/var/log\S*|/etc\S*|/usr\S*|/home\S*|/boot\S*)(\s|$)|\bmkfs\.\w+\s+/dev/|\bdd\s+if=\S+\s+of=/dev/(sd|nvme|disk)",
        explanation: "deletes or overwrites system or home data",
    },
    Rule {
        id: "script/drop-database",
        category: DangerousScript,
        severity: High,
        kind: Behaviour,
        // The schema or database everything lives in, dropped: `DROP SCHEMA public CASCADE`.
        pattern: r"(?i)\bdrop\s+(schema|database)\s+(if\s+exists\s+)?[\x22`\x27]?(public|production|prod|main|master|live)[\x22`\x27]?(\s+cascade)?\s*(;|[\x22'])",
        explanation: "drops the schema or database the data lives in",
    },
    Rule {
        id: "script/cloud-wipe",
        category: DangerousScript,
        severity: High,
        kind: Behaviour,
        // A cloud resource's protection against deletion switched off, or a bucket's every
        // version deleted: what is gone then cannot be restored.
        pattern: r"(?i)\bDisableApiTermination\b[^\n]{0,40}\bfalse\b|\bdeletion[_-]?protection\b[\x22'\s]*[:=]\s*[\x22']?false\b|--no-deletion-protection\b|--no-disable-api-termination\b|\bobject_versions\.all\(\)\.delete\(\)|\baws\s+s3\s+rb\s+s3://\S+\s+--force\b",
        explanation: "switches off deletion protection or deletes every version of stored data",
    },
    Rule {
        id: "script/auth-bypass",
        category: DangerousScript,
        severity: High,
        kind: Behaviour,
        // Authentication with a way around it: unsigned tokens accepted, the signature check
        // switched off, or a request header or parameter that hands out an administrator.
        pattern: r"(?i)\balgorithms\s*[=:]\s*\[[^\]\n]*[\x22']none[\x22']|[\x22']?verify_signature[\x22']?\s*[:=]\s*(false|bool\()|\bjwt\.decode\([^)\n]*\bverify\s*=\s*false|(?m:^[ \t]*(if|elif|else if)\b[^\n]*\b(headers|args|query|params|cookies)\b[^\n]*(==|===)\s*[\x22'][^\x22'\n]*[\x22'][^\n]*\n[ \t]*return\s+[^\n]*\b(admin\w*|superuser|root|is_admin|true)\b)",
        explanation: "authentication that can be skipped: unsigned tokens, no signature check, or a header that grants admin",
    },
    Rule {
        id: "script/download-run",
        category: DangerousScript,
        severity: High,
        kind: Behaviour,
        // A PowerShell script block made of what was just downloaded, and run.
        pattern: r"(?i)\[scriptblock\]::create\([^\n]{0,80}(downloadstring|downloaddata|invoke-webrequest|invoke-restmethod|\biwr\b|\birm\b|\.content\b)",
        explanation: "runs a script block made of what it downloads",
    },
    Rule {
        id: "supply-chain/lockfile-rewrite",
        category: SupplyChain,
        severity: High,
        kind: Behaviour,
        // Where locked packages are downloaded from, rewritten to another host: every install
        // then fetches that host's copies under the locked names.
        pattern: r"(?i)\.replace(all)?\(\s*[/\x22'`][^\n]{0,40}registry\\?\.\(?(yarnpkg|npmjs)\\?\.(com|org)|\bsed\b[^\n]{0,80}registry\\?\.(yarnpkg|npmjs)\\?\.(com|org)[^\n]{0,120}(yarn\.lock|package-lock\.json|pnpm-lock\.yaml)",
        explanation: "rewrites a lockfile's download URLs to another host",
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
    // --- Persistence: lasting changes to the agent or the machine ---
    Rule {
        id: "persistence/memory-instruction",
        category: Persistence,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\b(add|append|write|save|insert|put|store|record|paste|copy)\b[^.\n]*\b(to|into|in)\s+(your\s+|the\s+|each\s+|every\s+)?(project'?s?\s+|user'?s?\s+|global\s+)?(CLAUDE\.md|AGENTS\.md|GEMINI\.md|\.cursorrules|\.windsurfrules|\.clinerules|copilot-instructions\.md|\.cursor/rules|(long[- ]term |persistent |permanent |global )?memory( file| store| bank)?|system prompt|custom instructions)\b[^.\n]*\b(always|never|every|all future|from now on|before|after|whenever|silently|without|curl|wget|http|ignore|do not tell|run)\b",
        explanation: "writes standing orders into the agent's memory or instruction files, so they steer every later session",
    },
    Rule {
        id: "persistence/lasting-rule",
        category: Persistence,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\b(remember|memori[sz]e|save|store|keep|record|retain)\s+(this|these|that|it|them|the following|the (rule|rules|instruction|instructions|preference|directive|setting))\b[^.\n]*\b(permanently|forever|for (all |every )?(future|later|subsequent) (sessions|conversations|tasks|projects|chats)|across (all )?(sessions|conversations|projects)|in (your )?(long[- ]term|persistent|permanent) memory)\b",
        explanation: "asks the agent to keep an instruction across sessions (memory poisoning)",
    },
    // --- Security controls switched off ---
    Rule {
        id: "control/disable-checks",
        category: ControlDisablement,
        severity: Medium,
        kind: Prose,
        pattern: r"(?i)\b(disable|turn off|switch off|deactivate|bypass|circumvent|uninstall|comment out|silence|suppress|skip|get rid of)\s+(all\s+|any\s+|every\s+|the\s+|its\s+|their\s+|your\s+)*(pre-commit\s+hooks?|git\s+hooks|commit\s+hooks|husky|linters?|linting|type[- ]?check(ing|s|er)?|tests|test suite|unit tests|ci checks|status checks|branch protection|code reviews?|pr reviews?|reviews|sandbox(ing)?|permission (prompts|checks)|approval prompts|antivirus|windows defender|defender|firewall|gatekeeper|smartscreen|selinux|apparmor|uac|codeql|dependabot|security (scans|scanning|checks|alerts)|signature (verification|checks)|checksum (verification|checks)|tls verification|certificate (verification|checks)|audit logs?|logging)\b",
        explanation: "tells the agent to switch off a safety control (hooks, linters, tests, review, sandbox, antivirus)",
    },
    Rule {
        id: "control/disable-checks-always",
        category: ControlDisablement,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\b(always|automatically|by default|every time|whenever)\b[^.\n]*\b(--no-verify|--dangerously-skip-permissions|--yolo|skip (the )?(tests|hooks|checks|review)|disable (the )?(tests|hooks|checks|linters?|sandbox))",
        explanation: "makes switching off a safety control the agent's standing habit",
    },
    Rule {
        id: "control/agent-settings-off",
        category: ControlDisablement,
        severity: High,
        kind: Behaviour,
        pattern: r#"(?i)"defaultMode"\s*:\s*"bypassPermissions"|"sandbox"\s*:\s*\{[^}]*"enabled"\s*:\s*false|\bapproval_policy\s*=\s*"never"|\bsandbox_mode\s*=\s*"danger-full-access"|"allow"\s*:\s*\[[^\]]*"Bash\(\*\)"|"dangerouslySkipPermissions"\s*:\s*true|"autoApprove"\s*:\s*true|"yolo"\s*:\s*true"#,
        explanation: "configures an agent to run every command without asking, or without its sandbox",
    },
    Rule {
        id: "control/tests-removed",
        category: ControlDisablement,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\b(delete|remove|comment out|skip|disable)\s+(the\s+|any\s+|all\s+)?(failing|broken|flaky|red)\s+(tests?|checks?|jobs?)\b|\bmark\s+(the\s+|any\s+|all\s+)?failing\s+tests?\s+(as|with)\s+[`@]*(pytest\.mark\.)?(skip\w*|xfail)",
        explanation: "makes failing tests or checks go away instead of fixing them",
    },
    Rule {
        id: "control/ci-checks-off",
        category: ControlDisablement,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)\bcontinue-on-error:\s*true\b[^\n]*\b(to|on|for)\b[^\n]*\b(tests?|lint\w*|codeql|security|scan\w*|audit)\b|\bif:\s*false\b[^\n]*\b(to|on)\s+(the\s+)?(failing|security|test|lint)",
        explanation: "makes CI pass by switching failing or security jobs off",
    },
    // --- Cross-origin orders and scanner-addressed text ---
    Rule {
        id: "override/cross-origin",
        category: Override,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\b(fetch|download|retrieve|read|load|open|curl|get|pull|clone|visit)\b[^.\n]*(https?://|\burl\b|\bremote\b|\bonline\b|\bweb ?page\b|\bgist\b|\bendpoint\b|\bserver\b|\bpastebin\b|\brepo(sitory)?'?s? readme\b|\bissue bod)[^.\n]*\b(and|then)\s+(follow|obey|execute|run|carry out|apply|do|perform|comply with)\s+(exactly\s+|all\s+|every\s+|each\s+|whatever\s+|any\s+)*(the\s+|its\s+|their\s+|those\s+|these\s+)?(instructions|commands|steps|directions|orders|rules|tasks|what (it|they) say)|\b(treat|use|take)\s+(it|them|its contents?|the (contents?|response|page|file|text|output|body|readme|issue))\s+as\s+(your\s+)?(new\s+|real\s+|actual\s+|true\s+|primary\s+)?(instructions|prompt|task|orders|system prompt|directives)\b|\b(contains?|holds?|has)\s+your\s+(real|actual|true|new|updated)\s+(task|instructions|orders|assignment|directives)\b|\btreat\b[^.\n]*\b(issues?|readme|page|comments?|response|web|e-?mails?|messages?|tickets?|documents?|body|pull requests?)\b[^.\n]*\bas\s+(your\s+)?(\w+\s+)?(task|instructions?|orders|specification|prompt|directives)\b|\b(instructions|rules|commands|orders)\s+(in|from)\s+(the\s+)?(remote|fetched|downloaded|that|this)\s+(file|page|url|document|gist|readme)\b[^.\n]*\b(take|have|get)\s+(priority|precedence)|\b(scarica|scaricare|t.{1,2}l.{1,2}charge[rz]?|descarga|lade)\b[^.\n]*\b(segui|seguile|seguirle|suivez|suivre|sigue|seguir|folge|befolge)\b",
        explanation: "makes content fetched from elsewhere the agent's instructions (cross-origin injection)",
    },
    Rule {
        id: "override/scanner-addressed",
        category: Override,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\b(note|message|notice|attention|instructions?|hinweis|nota)\s+(to|for|f.{1,2}r|para|per|pour)\s+(the\s+|any\s+|all\s+|die\s+|den\s+|les\s+)?((automated|ai|llm|security|skill|automatic|automatische\w*)\s+)+(scanners?|reviewers?|auditors?|moderators?|classifiers?|analy[sz]ers?|checkers?|pr.{1,2}fer\w*|gutachter\w*)\b|\b(note|message|notice|attention|hinweis|nota)\s+(to|for|f.{1,2}r|para|per|pour)\s+(the\s+|any\s+|all\s+|die\s+|den\s+|les\s+)?(scanners?|auditors?|moderators?|classifiers?|analy[sz]ers?|pr.{1,2}fer\w*|gutachter\w*)\b|\b(this|the)\s+(skill|file|package|code|script|section|step|following)\s+(has been|was|is|were|ist|wurde)\s+(already\s+|previously\s+|fully\s+|manually\s+)?(reviewed|audited|verified|approved|whitelisted|allowlisted|vetted|certified|scanned|gepr.{1,2}ft)\b[^.\n]*\b(safe|benign|clean|trusted|harmless|sicher|unbedenklich)\b|\b(classify|mark|label|report|rate|flag)\s+(this|it|the (skill|file|following|code))\s+as\s+(safe|benign|clean|harmless|trusted|low[- ]risk)\b|\b(scanners?|reviewers?|auditors?|analy[sz]ers?)\s+(should|must|can|may|are asked to)\s+(safely\s+)?(ignore|skip|disregard|overlook)\b|\bno issues (were |to be )?found\b[^.\n]*\b(say|respond|answer|report|output)\b|\b(say|respond|answer|report|output)\b[^.\n]*\bno issues (found)?\b",
        explanation: "text addressed to a scanner or reviewer, asking it to pass the skill",
    },
    Rule {
        id: "exfiltration/silent-send",
        category: Exfiltration,
        severity: High,
        kind: Prose,
        pattern: r"(?i)\b(silently|quietly|discreetly|covertly|secretly|without (telling|informing|notifying|alerting) (the )?user|(don't|do not|never) (tell|inform|mention (it |this )?to) (the )?user)\b[^.\n]*\b(send|sends|upload|uploads|post|posts|transmit|forward|beacon|exfiltrate|copy|copies|sync|syncs|envoie|envoyer|env.{1,2}a|sende|senden)\b[^.\n]*\b(to|at|into|an|vers|a)\s+\S|\b(send|upload|post|transmit|forward|copy|sync)\b[^.\n]*\b(to|at)\s+\S[^.\n]*\b(silently|quietly|discreetly|covertly|secretly|without (telling|informing|notifying) (the )?user)\b",
        explanation: "sends data somewhere without the user knowing",
    },
    Rule {
        id: "exfiltration/upload-secrets",
        category: Exfiltration,
        severity: Critical,
        kind: Prose,
        pattern: r"(?i)\b(upload|send|post|copy|transmit|forward|attach|paste|include|exfiltrate|sync)\b[^.\n]*\b(each|every|all|any|the)\s+(\w+\s+){0,3}(\.env|env files?|\.ssh|ssh keys?|private keys?|id_rsa|credentials? files?|aws credentials|cloud credentials|kubeconfig|\.npmrc|\.netrc|cookies|saved passwords|keychain|wallet)\b[^.\n]*\b(to|into|at)\b",
        explanation: "asks the agent to send keys, credentials or env files somewhere",
    },
    Rule {
        id: "override/tool-instructions",
        category: Override,
        severity: High,
        kind: Prose,
        pattern: r"(?i)<important>[^<]{0,400}\b(read|send|include|pass|do not|don't|never|always|before)\b|\b(before|when|whenever)\s+(using|calling|you use|you call)\s+(this|the|any)\s+(\w+\s+)?tool\b[^.\n]*\b(first\s+)?(read|send|include|pass|attach|upload|cat)\b[^.\n]*(\.ssh|id_rsa|\.aws|\.env|credentials|api key|token|password|mcp\.json|config)|\bwhen\s+the\s+`?[\w.-]+`?\s+tool\s+is\s+(called|used|invoked)\b[^.\n]*\b(also|instead|always|secretly|bcc)\b",
        explanation: "hidden orders for the agent attached to a tool (tool poisoning or shadowing)",
    },
    // --- Prerequisites that run unseen code ---
    Rule {
        id: "hidden/password-archive",
        category: HiddenContent,
        severity: High,
        kind: Behaviour,
        pattern: r"(?i)\b(download|extract|unzip|unpack|decompress|open|get|grab)\w*\b[^\n]*\b(zip|7z|7-zip|rar|archive|archiv\w*)\b[^\n]*\b(password|passphrase|passcode|passwort|kennwort|mot de passe|contrase.{1,2}a|senha|pwd)\b\s*(is\s*|ist\s*|est\s*|es\s*)?[:=(`'\x22]|\b(password|passphrase|passcode|passwort|kennwort|mot de passe|contrase.{1,2}a)\b\s*(is\s*)?[:=]\s*[`'\x22]?[\w!@#$%^&*.-]{3,}[`'\x22]?\)?[^\n]*\.(zip|7z|rar)\b|\bunzip\s+-P\s|\b7z(\.exe)?[\x22']?\s+x\b[^\n]*\s-p\S",
        explanation: "a password-protected archive to download: no scanner can see inside it",
    },
    Rule {
        id: "script/run-executable",
        category: DangerousScript,
        severity: Medium,
        kind: Behaviour,
        pattern: r"(?i)\b(download|grab|fetch)\w*\b[^\n]*\b(run|launch|execute|double-click|start)\b[^\n]*\b[\w.-]+\.(exe|msi|scr|bat|cmd|vbs|appimage|dmg|pkg)\b|\b(run|launch|execute|double-click|start)\b[^\n]*\b[\w.-]+\.(exe|msi|scr|bat|cmd|vbs|appimage|dmg|pkg)\b[^\n]*\b(downloaded|from https?://)",
        explanation: "tells the user or agent to run a downloaded program",
    },
    Rule {
        id: "script/resource-exhaustion",
        category: DangerousScript,
        severity: Critical,
        kind: Behaviour,
        pattern: r":\s*\(\s*\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:|\bdd\s+if=/dev/(zero|u?random)\s+of=\S+\s+bs=\d+[MGmg]\S*\s+count=\d{3,}|\bfallocate\s+-l\s*\d{2,}[GT]\b|\bwhile\s+(True|1|true)\s*:\s*\n\s+os\.fork\(\)",
        explanation: "exhausts the machine on purpose (fork bomb, disk or memory filler)",
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
