//! One test per validation rule, through the public entry points.

use super::*;

fn check(text: &str) -> Skill {
    check_with(
        text,
        &Options {
            dir_name: Some("my-skill".into()),
            ..Options::default()
        },
    )
}

fn check_with(text: &str, opts: &Options) -> Skill {
    Skill::from_bytes(text.as_bytes(), Path::new("my-skill/SKILL.md"), opts)
}

fn fm(fields: &str) -> String {
    format!(
        "---\nname: my-skill\ndescription: Does things.\nversion: 1.0.0\n{fields}---\n# Body\nDo it.\n"
    )
}

fn codes(s: &Skill) -> Vec<(&'static str, Severity)> {
    s.diagnostics.iter().map(|d| (d.code, d.severity)).collect()
}

fn only(s: &Skill) -> &Diagnostic {
    assert_eq!(s.diagnostics.len(), 1, "{:#?}", s.diagnostics);
    &s.diagnostics[0]
}

#[test]
fn a_complete_skill_is_valid_with_no_diagnostics() {
    let s = check(&fm(concat!(
        "license: MIT\n",
        "compatibility: Needs git\n",
        "metadata:\n  team: docs\n",
        "allowed-tools: Read Grep\n",
        "author: alice\n",
        "dependencies:\n  bob/helper: ^1.2\n",
        "permissions: [file:read, network:api.github.com, tool:web_search]\n",
        "file_scope: [\"src/**\"]\n",
        "tags: [pdf, docs]\n",
        "repository: https://github.com/alice/my-skill\n",
        "homepage: https://example.com\n",
        "model: sonnet\n",
        "user-invocable: true\n",
    )));
    assert!(s.diagnostics.is_empty(), "{:#?}", s.diagnostics);
    let m = s.manifest.unwrap();
    assert_eq!(m.name, "my-skill");
    assert_eq!(m.version.unwrap().to_string(), "1.0.0");
    assert_eq!(m.allowed_tools, ["Read", "Grep"]);
    assert_eq!(m.dependencies.len(), 1);
    assert_eq!(m.permissions.len(), 3);
    assert_eq!(m.extra["model"], "sonnet");
    assert_eq!(s.body, "# Body\nDo it.\n");
}

#[test]
fn name_is_required() {
    let s = check("---\ndescription: x\nversion: 1.0.0\n---\nbody\n");
    let d = only(&s);
    assert_eq!(d.code, "field/missing-name");
    assert!(d.help.as_deref().unwrap().contains("name: my-skill"));
    assert!(s.manifest.is_none());
}

#[test]
fn name_must_follow_the_rules() {
    for bad in ["My-Skill", "-a", "a-", "a--b", "a_b", &"a".repeat(65)] {
        let s = check(&format!(
            "---\nname: \"{bad}\"\ndescription: x\nversion: 1.0.0\n---\nbody\n"
        ));
        assert_eq!(codes(&s), [("field/name", Severity::Error)], "{bad}");
        assert_eq!(s.diagnostics[0].location.unwrap().line, 2);
    }
}

#[test]
fn name_must_be_a_string() {
    let s = check("---\nname: 123\ndescription: x\nversion: 1.0.0\n---\nbody\n");
    let d = only(&s);
    assert_eq!(d.code, "field/type");
    assert!(d.message.contains("found a number"), "{}", d.message);
    let s = check("---\nname: [a]\ndescription: x\nversion: 1.0.0\n---\nbody\n");
    assert!(only(&s).message.contains("found a list"));
}

#[test]
fn name_differing_from_directory_is_a_warning() {
    let s = check_with(
        "---\nname: other\ndescription: x\nversion: 1.0.0\n---\nbody\n",
        &Options {
            dir_name: Some("my-skill".into()),
            ..Options::default()
        },
    );
    assert_eq!(codes(&s), [("field/name-mismatch", Severity::Warning)]);
    assert!(s.manifest.is_some());
}

#[test]
fn description_is_required_non_empty_and_bounded() {
    let s = check("---\nname: my-skill\nversion: 1.0.0\n---\nbody\n");
    assert_eq!(codes(&s), [("field/missing-description", Severity::Error)]);
    let s = check("---\nname: my-skill\ndescription: \"  \"\nversion: 1.0.0\n---\nbody\n");
    assert_eq!(codes(&s), [("field/description", Severity::Error)]);
    let long = "d".repeat(MAX_DESC + 1);
    let s = check(&format!(
        "---\nname: my-skill\ndescription: {long}\nversion: 1.0.0\n---\nbody\n"
    ));
    assert!(only(&s).message.contains("1025 characters"));
    let ok = "d".repeat(MAX_DESC);
    assert!(
        check(&format!(
            "---\nname: my-skill\ndescription: {ok}\nversion: 1.0.0\n---\nbody\n"
        ))
        .diagnostics
        .is_empty()
    );
}

const MAX_DESC: usize = manifest::MAX_DESCRIPTION_LEN;

#[test]
fn compatibility_is_bounded() {
    let s = check(&fm(&format!("compatibility: {}\n", "c".repeat(501))));
    assert_eq!(codes(&s), [("field/compatibility", Severity::Error)]);
}

#[test]
fn metadata_is_a_map_of_strings() {
    let s = check(&fm("metadata:\n  n: 3\n"));
    assert_eq!(codes(&s), [("field/metadata", Severity::Warning)]);
    let s = check(&fm("metadata:\n  n: [1]\n"));
    assert_eq!(codes(&s), [("field/type", Severity::Error)]);
    let s = check(&fm("metadata: text\n"));
    assert_eq!(codes(&s), [("field/type", Severity::Error)]);
}

#[test]
fn allowed_tools_accepts_spaces_commas_and_lists() {
    let m = check(&fm("allowed-tools: Read, Grep  Bash\n"))
        .manifest
        .unwrap();
    assert_eq!(m.allowed_tools, ["Read", "Grep", "Bash"]);
    let m = check(&fm("allowed-tools: [Read, Grep]\n"))
        .manifest
        .unwrap();
    assert_eq!(m.allowed_tools, ["Read", "Grep"]);
    assert_eq!(
        codes(&check(&fm("allowed-tools: {a: b}\n"))),
        [("field/type", Severity::Error)]
    );
}

#[test]
fn missing_version_warns_for_validate_and_fails_publish() {
    let text = "---\nname: my-skill\ndescription: x\n---\nbody\n";
    let s = check(text);
    assert_eq!(codes(&s), [("field/missing-version", Severity::Warning)]);
    assert!(
        s.diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("version: 0.1.0")
    );
    let s = check_with(
        text,
        &Options {
            require_version: true,
            ..Options::default()
        },
    );
    assert_eq!(codes(&s), [("field/missing-version", Severity::Error)]);
    assert!(s.manifest.is_none());
}

#[test]
fn metadata_version_is_accepted_when_version_is_absent() {
    let s =
        check("---\nname: my-skill\ndescription: x\nmetadata:\n  version: \"0.0.1\"\n---\nbody\n");
    assert!(s.diagnostics.is_empty(), "{:#?}", s.diagnostics);
    assert_eq!(s.manifest.unwrap().version.unwrap().to_string(), "0.0.1");
    let s = check(&fm("metadata:\n  version: \"2.0.0\"\n"));
    assert_eq!(codes(&s), [("field/version-conflict", Severity::Warning)]);
}

#[test]
fn version_must_be_semver() {
    let s = check("---\nname: my-skill\ndescription: x\nversion: 1.0\n---\nbody\n");
    let d = only(&s);
    assert_eq!(d.code, "field/version");
    assert_eq!(d.location.unwrap().line, 4);
    let s = check("---\nname: my-skill\ndescription: x\nversion: [1]\n---\nbody\n");
    assert_eq!(codes(&s), [("field/type", Severity::Error)]);
}

#[test]
fn author_should_be_an_account_name() {
    assert_eq!(
        codes(&check(&fm("author: Jane Doe\n"))),
        [("field/author", Severity::Warning)]
    );
    assert_eq!(
        codes(&check(&fm("author: 5\n"))),
        [("field/type", Severity::Error)]
    );
}

#[test]
fn dependencies_need_ids_and_ranges() {
    let s = check(&fm(
        "dependencies:\n  bob: ^1\n  bob/x: not-a-range\n  bob/y: \">=1, <2\"\n  bob/z: 1\n",
    ));
    assert_eq!(
        codes(&s),
        [
            ("field/dependency", Severity::Error),
            ("field/dependency-range", Severity::Error)
        ]
    );
    assert_eq!(s.diagnostics[0].location.unwrap().line, 6);
    assert_eq!(s.diagnostics[1].location.unwrap().line, 7);
    assert_eq!(
        codes(&check(&fm("dependencies: [a]\n"))),
        [("field/type", Severity::Error)]
    );
}

#[test]
fn permissions_are_checked_in_either_place() {
    let s = check(&fm("permissions: [file:read, file:exec]\n"));
    let d = only(&s);
    assert_eq!(d.code, "field/permission");
    assert!(d.message.contains("file:exec"));
    let m = check(&fm(
        "security:\n  permissions: [bash:execute]\n  file_scope: [./data]\n",
    ))
    .manifest
    .unwrap();
    assert_eq!(m.permissions, [Permission::BashExecute]);
    assert_eq!(m.file_scope, ["./data"]);
    let s = check(&fm(
        "permissions: [file:read]\nsecurity:\n  permissions: [file:write]\n",
    ));
    assert_eq!(codes(&s), [("field/duplicate", Severity::Error)]);
    let s = check(&fm("permissions: [network:none, network:a.com]\n"));
    assert_eq!(codes(&s), [("field/permission", Severity::Error)]);
    let s = check(&fm("permissions: [file:read, file:read]\n"));
    assert_eq!(codes(&s), [("field/permission", Severity::Warning)]);
    let s = check(&fm("security:\n  scope: x\n"));
    assert_eq!(codes(&s), [("field/unknown", Severity::Warning)]);
    let s = check(&fm("file_scope: [\"\"]\n"));
    assert_eq!(codes(&s), [("field/file-scope", Severity::Error)]);
}

#[test]
fn tags_are_a_bounded_list() {
    assert_eq!(
        codes(&check(&fm("tags: pdf\n"))),
        [("field/type", Severity::Error)]
    );
    let many = (0..21)
        .map(|i| format!("t{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    assert_eq!(
        codes(&check(&fm(&format!("tags: [{many}]\n")))),
        [("field/tags", Severity::Error)]
    );
    assert_eq!(
        codes(&check(&fm(&format!("tags: [{}]\n", "x".repeat(51))))),
        [("field/tags", Severity::Error)]
    );
}

#[test]
fn urls_are_checked() {
    assert_eq!(
        codes(&check(&fm("repository: not a url\n"))),
        [("field/url", Severity::Error)]
    );
    assert_eq!(
        codes(&check(&fm("homepage: ftp://x.org\n"))),
        [("field/url", Severity::Error)]
    );
    assert!(
        check(&fm("repository: git+ssh://git@github.com/a/b.git\n"))
            .diagnostics
            .is_empty()
    );
}

#[test]
fn unknown_keys_warn_with_a_suggestion_and_agent_keys_pass() {
    let s = check(&fm("descripton: typo\n"));
    let d = only(&s);
    assert_eq!((d.code, d.severity), ("field/unknown", Severity::Warning));
    assert!(d.help.as_deref().unwrap().contains("description"));
    let s = check(&fm(
        "model: x\ndisable-model-invocation: true\nargument-hint: '[x]'\nuser-invocable: false\ncontext: fork\nagent: a\nhooks: {}\n",
    ));
    assert!(s.diagnostics.is_empty(), "{:#?}", s.diagnostics);
}

#[test]
fn frontmatter_must_be_a_mapping() {
    let s = check("---\n- a\n- b\n---\nbody\n");
    assert_eq!(codes(&s), [("frontmatter/not-a-mapping", Severity::Error)]);
}

#[test]
fn empty_frontmatter_reports_both_required_fields() {
    let s = check("---\n---\nbody\n");
    let c = codes(&s);
    assert!(c.contains(&("field/missing-name", Severity::Error)));
    assert!(c.contains(&("field/missing-description", Severity::Error)));
}

#[test]
fn empty_body_is_a_warning() {
    let s = check("---\nname: my-skill\ndescription: x\nversion: 1.0.0\n---\n\n");
    assert_eq!(codes(&s), [("body/empty", Severity::Warning)]);
}

#[test]
fn hostile_inputs_get_diagnostics_not_panics() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"---\nname: \xc3\x28\n---\n".to_vec(), "file/invalid-utf8"),
        (b"---\nname: a\n".to_vec(), "frontmatter/unclosed"),
        (
            b"---\na: &x [1,2]\nb: *x\n---\n".to_vec(),
            "frontmatter/alias",
        ),
        (
            format!("---\nd: {}\n---\n", "x".repeat(10 << 20)).into_bytes(),
            "frontmatter/too-large",
        ),
        (
            b"---\nmetadata:\n\tx: y\n---\n".to_vec(),
            "frontmatter/tab-indent",
        ),
        (
            b"---\nname: a\nname: b\n---\n".to_vec(),
            "frontmatter/duplicate-key",
        ),
        (b"---\nname: [unclosed\n---\n".to_vec(), "frontmatter/yaml"),
        (b"no frontmatter\n".to_vec(), "frontmatter/missing"),
    ];
    for (bytes, code) in cases {
        let s = Skill::from_bytes(&bytes, Path::new("SKILL.md"), &Options::default());
        assert_eq!(s.diagnostics[0].code, code);
        assert!(
            s.diagnostics[0].location.is_some(),
            "{code} has no location"
        );
    }
}

#[test]
fn load_reports_missing_and_miscased_skill_md() {
    let dir = tempfile::tempdir().unwrap();
    let s = Skill::load(dir.path(), &Options::default());
    assert_eq!(s.diagnostics[0].code, "file/missing-skill-md");
    std::fs::write(dir.path().join("skill.md"), "x").unwrap();
    let s = Skill::load(dir.path(), &Options::default());
    assert!(s.diagnostics[0].help.as_deref().unwrap().contains("rename"));
    let s = Skill::load(&dir.path().join("nope"), &Options::default());
    assert_eq!(s.diagnostics[0].code, "file/not-a-directory");
}

#[test]
fn load_uses_the_directory_name() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("pdf-tools");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("SKILL.md"),
        "---\nname: other\ndescription: x\nversion: 1.0.0\n---\nbody\n",
    )
    .unwrap();
    let s = Skill::load(&dir, &Options::default());
    assert_eq!(codes(&s), [("field/name-mismatch", Severity::Warning)]);
}

#[test]
fn legacy_skill_json_is_read_by_the_same_rules() {
    let json = br#"{"schema_version":1,"name":"my-skill","version":"1.2.0","description":"d","author":"alice","dependencies":{"bob/x":"^1"},"security":{"permissions":["file:read"]}}"#;
    let s = Skill::from_legacy(
        json,
        "# Instructions\n",
        Path::new("skill.json"),
        &Options::default(),
    );
    let m = s.manifest.clone().unwrap();
    assert_eq!(m.version.unwrap().to_string(), "1.2.0");
    assert_eq!(m.permissions, [Permission::FileRead]);
    assert_eq!(s.body, "# Instructions\n");
    let bad = Skill::from_legacy(
        br#"{"name":"Bad"}"#,
        "x",
        Path::new("skill.json"),
        &Options::default(),
    );
    assert!(bad.has_errors());
}
