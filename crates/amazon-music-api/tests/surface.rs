//! The public surface of the generated crate (operations with their parameters, types with
//! their fields), pinned by an insta snapshot so that a spec change shows in review as a short,
//! readable diff instead of thousands of generated lines.

use quote::ToTokens;
use syn::{FnArg, ImplItem, Item, ItemMod, ReturnType, Type, WherePredicate};

#[test]
fn public_surface() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated/client.rs");
    let file = syn::parse_file(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = String::new();
    let mut operations = Vec::new();
    for item in &file.items {
        match item {
            Item::Impl(block)
                if type_name(&block.self_ty) == "Client" && block.trait_.is_none() =>
            {
                for item in &block.items {
                    if let ImplItem::Fn(f) = item
                        && let ReturnType::Type(_, ty) = &f.sig.output
                    {
                        let ret = tidy(ty);
                        if ret.starts_with("builder::") {
                            operations.push((f.sig.ident.to_string(), ret));
                        }
                    }
                }
            }
            Item::Mod(m) if m.ident == "builder" => {
                for (operation, builder) in &operations {
                    out.push_str(&format!("operation {operation}\n"));
                    let name = builder
                        .trim_start_matches("builder::")
                        .trim_end_matches("<'_>");
                    builder_methods(m, name, &mut out);
                }
            }
            Item::Mod(m) if m.ident == "types" => types(m, &mut out),
            _ => {}
        }
    }
    let spec = amazon_music_spec::Spec::from_yaml_str(amazon_music_spec::SPEC_YAML).unwrap();
    assert_eq!(
        operations.len(),
        spec.operations().len(),
        "one builder per operation of the spec"
    );
    insta::assert_snapshot!(out);
}

fn builder_methods(module: &ItemMod, name: &str, out: &mut String) {
    for item in &module.content.as_ref().unwrap().1 {
        let Item::Impl(block) = item else { continue };
        if type_name(&block.self_ty) != name || block.trait_.is_some() {
            continue;
        }
        for item in &block.items {
            let ImplItem::Fn(f) = item else { continue };
            let method = f.sig.ident.to_string();
            match method.as_str() {
                "new" | "body_map" => {}
                "send" => {
                    if let ReturnType::Type(_, ty) = &f.sig.output {
                        out.push_str(&format!("  send() -> {}\n", tidy(ty)));
                    }
                }
                _ => {
                    // Setters take `V: TryInto<T>`; T is the parameter's type.
                    let target = f
                        .sig
                        .generics
                        .where_clause
                        .iter()
                        .flat_map(|w| &w.predicates)
                        .find_map(|p| match p {
                            WherePredicate::Type(t) => Some(tidy_tokens(&t.bounds)),
                            _ => None,
                        })
                        .or_else(|| {
                            f.sig.inputs.iter().find_map(|a| match a {
                                FnArg::Typed(t) => Some(tidy(&t.ty)),
                                FnArg::Receiver(_) => None,
                            })
                        })
                        .unwrap_or_default();
                    out.push_str(&format!("  .{method}({target})\n"));
                }
            }
        }
    }
}

fn types(module: &ItemMod, out: &mut String) {
    for item in &module.content.as_ref().unwrap().1 {
        match item {
            Item::Struct(s) => {
                let fields: Vec<String> = match &s.fields {
                    syn::Fields::Named(named) => named
                        .named
                        .iter()
                        .map(|f| format!("{}: {}", f.ident.as_ref().unwrap(), tidy(&f.ty)))
                        .collect(),
                    syn::Fields::Unnamed(unnamed) => {
                        unnamed.unnamed.iter().map(|f| tidy(&f.ty)).collect()
                    }
                    syn::Fields::Unit => vec![],
                };
                out.push_str(&format!("type {} {{ {} }}\n", s.ident, fields.join(", ")));
            }
            Item::Enum(e) => {
                let variants: Vec<String> =
                    e.variants.iter().map(|v| v.ident.to_string()).collect();
                out.push_str(&format!("enum {} {{ {} }}\n", e.ident, variants.join(", ")));
            }
            _ => {}
        }
    }
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn tidy(ty: &Type) -> String {
    tidy_tokens(ty)
}

fn tidy_tokens(tokens: &impl ToTokens) -> String {
    let mut text = tokens.to_token_stream().to_string();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" < ", "<"),
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" , ", ", "),
        (" ,", ","),
        (",>", ">"),
        ("& '", "&'"),
        ("' _", "'_"),
        ("::std::option::", ""),
        ("::std::vec::", ""),
        ("::std::string::", ""),
        ("::std::collections::", ""),
        ("::std::num::", ""),
        ("::std::convert::", ""),
        ("std::convert::", ""),
        ("::serde_json::", "serde_json::"),
        ("::chrono::offset::", ""),
        ("::chrono::", ""),
        ("types::", ""),
    ] {
        text = text.replace(from, to);
    }
    text
}
