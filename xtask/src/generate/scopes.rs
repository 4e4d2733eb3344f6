//! The scopes each operation needs, read from the spec's security requirements, so that an
//! application can ask Login with Amazon for exactly what it calls.
//!
//! progenitor ignores security requirements altogether; this table is the one place they
//! reach Rust, and it is generated so that it cannot drift from the spec.

use std::collections::BTreeMap;
use std::fmt::Write;

use amazon_music_spec::{SchemeKind, Spec};
use anyhow::{Context, bail};

/// The security scheme whose scopes are Login with Amazon's.
const SCHEME: &str = "loginWithAmazon";

/// Renders `generated/scopes.rs`: every scope the scheme declares, and per operation (in
/// operationId order) the scopes its security requirement names.
pub fn render(spec: &Spec) -> anyhow::Result<String> {
    let declared = declared_scopes(spec)?;
    let mut operations = BTreeMap::new();
    for operation in spec.operations() {
        let id = operation.operation_id().with_context(|| {
            format!(
                "{} {} has no operationId",
                operation.method().to_ascii_lowercase(),
                operation.path()
            )
        })?;
        let requirements = operation
            .security()
            .with_context(|| format!("{id} has no security requirement"))?;
        let mut scopes: Vec<&str> = Vec::new();
        for requirement in requirements {
            for scope in requirement.scopes(SCHEME) {
                if !declared.iter().any(|(name, _)| name == scope) {
                    bail!("{id} needs scope {scope:?}, which {SCHEME} does not declare");
                }
                if !scopes.contains(&scope.as_str()) {
                    scopes.push(scope);
                }
            }
        }
        scopes.sort_unstable();
        operations.insert(id, scopes);
    }
    let mut out = String::new();
    out.push_str(
        "/// Every scope the spec declares for Login with Amazon, with what it grants, in spec \
         order.\npub const SCOPES: &[(&str, &str)] = &[\n",
    );
    for (scope, description) in declared {
        writeln!(out, "    ({scope:?}, {description:?}),")?;
    }
    out.push_str(
        "];\n\n/// The scopes each operation needs (by operationId, sorted), from its security \
         requirement.\npub const OPERATION_SCOPES: &[(&str, &[&str])] = &[\n",
    );
    for (id, scopes) in &operations {
        writeln!(out, "    ({id:?}, &{scopes:?}),")?;
    }
    out.push_str("];\n");
    Ok(out)
}

/// The declared scopes in the spec's order.
fn declared_scopes(spec: &Spec) -> anyhow::Result<&[(String, String)]> {
    let scheme = spec
        .security_scheme(SCHEME)
        .with_context(|| format!("the spec declares no security scheme {SCHEME}"))?;
    let SchemeKind::OAuth2 { flows } = scheme.kind() else {
        bail!("{SCHEME} is not an OAuth 2 scheme");
    };
    let flow = flows
        .iter()
        .find(|flow| flow.kind == "authorizationCode")
        .with_context(|| format!("{SCHEME} declares no authorization code flow"))?;
    Ok(&flow.scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(extra: &str) -> Spec {
        let yaml = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n\
             security: [{{loginWithAmazon: ['a::read']}}]\n\
             paths:\n  /x:\n    get:\n      operationId: getX\n{extra}      responses: {{'200': {{description: ok}}}}\n  \
             /y:\n    get:\n      operationId: getY\n      responses: {{'200': {{description: ok}}}}\n\
             components:\n  securitySchemes:\n    loginWithAmazon:\n      type: oauth2\n      flows:\n        \
             authorizationCode:\n          authorizationUrl: https://a/oa\n          tokenUrl: https://a/t\n          \
             scopes: {{'a::read': Read, 'a::write': Write}}\n"
        );
        Spec::from_yaml_str(&yaml).unwrap()
    }

    #[test]
    fn an_operation_without_its_own_requirement_takes_the_document_default() {
        let text = render(&spec(
            "      security: [{loginWithAmazon: ['a::write', 'a::read']}]\n",
        ))
        .unwrap();
        assert!(
            text.contains("(\"getX\", &[\"a::read\", \"a::write\"]),"),
            "{text}"
        );
        assert!(text.contains("(\"getY\", &[\"a::read\"]),"), "{text}");
        assert!(text.contains("(\"a::write\", \"Write\"),"), "{text}");
    }

    #[test]
    fn an_undeclared_scope_is_refused_naming_the_operation() {
        let error = render(&spec("      security: [{loginWithAmazon: ['a::typo']}]\n"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "getX needs scope \"a::typo\", which loginWithAmazon does not declare"
        );
    }
}
