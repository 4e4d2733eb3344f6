//! The adaptation step between the spec and the generator.
//!
//! The spec stays true to the API; where progenitor cannot express what the spec says, the
//! difference is bridged at run time by the generated crate's handwritten hooks
//! (`crates/amazon-music-api/src/hooks.rs`). This module extracts from the spec the facts those
//! hooks need and renders them as a generated Rust table, so that a spec change moves the hooks
//! along with it:
//!
//! * query parameters declared `style: form, explode: false` with an array schema: progenitor
//!   always sends arrays exploded (`ids=a&ids=b`); the hook joins them into one
//!   comma-separated value (`ids=a,b`).
//!
//! Other adaptations are applied to generated code instead:
//!
//! * progenitor's httpmock helpers match an array query parameter with `value.to_string()` on a
//!   `Vec`, which does not compile. [`httpmock`] rewrites that into the comma-separated form the
//!   client sends. They also match a path parameter by putting the bare value into a regular
//!   expression; [`httpmock`] matches the value as the client sends it instead (encoded by
//!   `crate::path::encode`, then escaped). (Exploded array query parameters are refused by the pre-generation checks,
//!   since no adaptation exists for them.)
//! * [`client`] makes `Client::new` follow same-origin redirects only, drops the
//!   `api-version` header progenitor adds to every request (the API versions by path), and
//!   makes every path parameter a segment with `crate::path::segment` instead of progenitor's
//!   `encode_path` (which leaves `\`, a `/` to URL parsing, as it is): every byte outside
//!   RFC 3986's unreserved set encoded, and the empty string, `.` and `..` refused.
//! * [`null_as_absent`] lets every optional list or map field of a response type read `null` as
//!   absent (the spec's optional fields are not `nullable`, but services send `null`).

use amazon_music_spec::{Location, Spec};

/// A query parameter that goes on the wire as one comma-separated value.
#[derive(Debug, PartialEq, Eq)]
pub struct CommaSeparated {
    /// The operation id as progenitor reports it to hooks (snake case).
    pub operation: String,
    /// The parameter's name on the wire.
    pub parameter: String,
}

/// Every non-exploded array query parameter of the spec, in the order of its operations.
pub fn comma_separated(spec: &Spec) -> Vec<CommaSeparated> {
    let mut out = Vec::new();
    for op in spec.operations() {
        let Some(id) = op.operation_id() else {
            continue;
        };
        for param in op.parameters() {
            if param.location() == Location::Query
                && !param.explode()
                && super::checks::is_array(spec, param.schema())
            {
                out.push(CommaSeparated {
                    operation: snake_case(id),
                    parameter: param.name().to_owned(),
                });
            }
        }
    }
    out
}

/// Adapts progenitor's httpmock helpers:
///
/// * every `value.to_string()` in a method taking a list becomes
///   `value.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")`;
/// * every `value.to_string()` inside the `format!` of a path's regular expression becomes
///   `regex::escape(&crate::path::encode(&value.to_string()))`: the client sends the value
///   percent-encoded (see [`client`]) and httpmock matches the path as sent, and an unescaped
///   value is read as a pattern (`.` matches anything, `\b` is a word boundary, `(` does not
///   compile).
pub fn httpmock(mut file: syn::File) -> syn::File {
    use quote::ToTokens;
    use syn::visit_mut::VisitMut;

    struct JoinLists;

    impl VisitMut for JoinLists {
        fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
            // The list arrives as `&Vec<_>` or, for an optional parameter, through a generic
            // bound `T: Into<Option<&Vec<_>>>`; either way the signature names a `Vec`.
            let signature = f.sig.to_token_stream().to_string();
            if signature.contains("Vec <") {
                ReplaceToString.visit_block_mut(&mut f.block);
            }
            syn::visit_mut::visit_impl_item_fn_mut(self, f);
        }

        // A path's regular expression: `format!("^/albums/{}$", value.to_string())`.
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            use syn::punctuated::Punctuated;
            if mac.path.is_ident("format")
                && let Ok(mut args) =
                    mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
                && matches!(args.first(), Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(pattern), ..
                })) if pattern.value().starts_with("^/"))
            {
                for arg in args.iter_mut().skip(1) {
                    if is_value_to_string(arg) {
                        *arg = syn::parse_quote! {
                            regex::escape(&crate::path::encode(&#arg))
                        };
                    }
                }
                mac.tokens = quote::quote!(#args);
            }
        }
    }

    fn is_value_to_string(expr: &syn::Expr) -> bool {
        matches!(expr, syn::Expr::MethodCall(call)
            if call.method == "to_string"
                && call.args.is_empty()
                && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("value")))
    }

    struct ReplaceToString;

    impl VisitMut for ReplaceToString {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let syn::Expr::MethodCall(call) = expr {
                let on_value =
                    matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("value"));
                if on_value && call.method == "to_string" && call.args.is_empty() {
                    *expr = syn::parse_quote! {
                        value.iter().map(|item| item.to_string()).collect::<Vec<_>>().join(",")
                    };
                    return;
                }
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }

    JoinLists.visit_file_mut(&mut file);
    file
}

/// Adapts the generated client:
///
/// * every `reqwest::ClientBuilder::new()` (the HTTP client `Client::new` builds) becomes
///   `crate::redirect::client_builder()`, which follows redirects to the same origin only:
///   reqwest's default policy would carry the `x-api-key` header to any host a redirect names
///   (it strips only the headers it knows, such as `Authorization`);
/// * the `api-version` header progenitor announces the spec's `info.version` in is not built:
///   the API versions by path (`/v1`) and never asked for it. Dropping it here rather than
///   removing it from each request saves every call a header map and two header operations;
/// * every `encode_path(&name.to_string())` in a `format!` becomes
///   `crate::path::segment("name", &name.to_string()).map_err(Error::InvalidRequest)?`, and
///   `encode_path` leaves the imports, so no path parameter can reach a URL another way.
///   progenitor's encoder leaves `\` alone, which URL parsing reads as `/`, and `.`, `..` and
///   the empty string pass any encoding unchanged and then move the request to another path:
///   `segment` encodes every byte outside RFC 3986's unreserved set and refuses those three
///   before anything is sent, naming the parameter.
pub fn client(mut file: syn::File) -> syn::File {
    use syn::visit_mut::VisitMut;

    struct Client {
        /// Whether the block being visited lost its header map, so `.headers(header_map)` goes.
        emptied: bool,
    }

    impl VisitMut for Client {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let syn::Expr::Call(call) = expr
                && call.args.is_empty()
                && let syn::Expr::Path(path) = &*call.func
            {
                let segments: Vec<String> = path
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if segments == ["reqwest", "ClientBuilder", "new"] {
                    *expr = syn::parse_quote! { crate::redirect::client_builder() };
                    return;
                }
            }
            // `.headers(header_map)` on a map left empty (see `visit_block_mut`).
            if let syn::Expr::MethodCall(call) = expr
                && call.method == "headers"
                && call.args.len() == 1
                && is_ident(&call.args[0], HEADER_MAP)
                && self.emptied
            {
                let receiver = (*call.receiver).clone();
                *expr = receiver;
                self.visit_expr_mut(expr);
                return;
            }
            if let syn::Expr::Call(call) = expr
                && let syn::Expr::Path(path) = &*call.func
                && path.path.is_ident(ENCODE_PATH)
                && call.args.len() == 1
                && let syn::Expr::Reference(reference) = &call.args[0]
            {
                let value = &reference.expr;
                let name = parameter_name(value);
                *expr = syn::parse_quote! {
                    crate::path::segment(#name, &#value).map_err(Error::InvalidRequest)?
                };
                return;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }

        // progenitor builds each URL in `format!`, whose arguments syn leaves as tokens.
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            use syn::punctuated::Punctuated;
            if mac.path.is_ident("format")
                && let Ok(mut args) =
                    mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
            {
                for arg in args.iter_mut() {
                    self.visit_expr_mut(arg);
                }
                mac.tokens = quote::quote!(#args);
            }
        }

        // Without the import, a path parameter that escaped the rewrite above would not
        // compile rather than go out with progenitor's encoding.
        fn visit_use_tree_mut(&mut self, tree: &mut syn::UseTree) {
            if let syn::UseTree::Group(group) = tree {
                group.items = std::mem::take(&mut group.items)
                    .into_iter()
                    .filter(|item| !matches!(item, syn::UseTree::Name(n) if n.ident == ENCODE_PATH))
                    .collect();
            }
            syn::visit_mut::visit_use_tree_mut(self, tree);
        }

        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            block.stmts.retain(|stmt| !appends_api_version(stmt));
            // With no header left to put in it, the map itself goes too.
            let used = block.stmts.iter().any(|stmt| {
                let text = quote::quote!(#stmt).to_string();
                text.contains(HEADER_MAP)
                    && !text.starts_with("let mut header_map")
                    && !text.contains(". headers (header_map)")
            });
            let emptied = !used
                && block.stmts.iter().any(|stmt| {
                    quote::quote!(#stmt)
                        .to_string()
                        .starts_with("let mut header_map")
                });
            if emptied {
                block.stmts.retain(|stmt| {
                    !quote::quote!(#stmt)
                        .to_string()
                        .starts_with("let mut header_map")
                });
            }
            let outer = std::mem::replace(&mut self.emptied, emptied);
            syn::visit_mut::visit_block_mut(self, block);
            self.emptied = outer;
        }
    }

    Client { emptied: false }.visit_file_mut(&mut file);
    file
}

/// Removes typify's struct builders (`types::builder`, `types::X::builder()`).
///
/// progenitor's builder interface gives every generated type a builder of its own, about half
/// of the generated code, and compiling it lay on the serial end of every dependant's build
/// (after reqwest, before the client). Every type's fields are public, so a struct literal
/// builds any of them; the one use progenitor itself makes of the builders, an operation's
/// request body, holds the body type instead:
///
/// * `types::builder::X` becomes `types::X` (the body's field and `body_map`'s signature);
/// * `.body(value)` stores `value.try_into()` without converting it to a builder;
/// * `send` takes the body as it is, without converting it back;
/// * an operation whose body type has no `Default` starts without a body (sending it unset is
///   `Error::InvalidRequest`, as an incomplete builder was).
pub fn without_struct_builders(mut file: syn::File) -> syn::File {
    use syn::visit_mut::VisitMut;

    // Types that derive `Default`, as typify writes them.
    let mut with_default = std::collections::BTreeSet::new();
    for item in all_items(&file.items) {
        if let syn::Item::Struct(item) = item
            && derives(&item.attrs, "Default")
        {
            with_default.insert(item.ident.to_string());
        }
    }

    struct Strip<'a> {
        with_default: &'a std::collections::BTreeSet<String>,
        /// The body type of the operation builder whose `impl` is being visited.
        body: Option<String>,
        /// Operation builder → its body type.
        bodies: std::collections::BTreeMap<String, String>,
        /// Inside a method named `body`.
        in_body_setter: bool,
    }

    impl VisitMut for Strip<'_> {
        fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
            if module.ident == "types"
                && let Some((_, items)) = &mut module.content
            {
                items.retain(|item| match item {
                    syn::Item::Mod(inner) => inner.ident != "builder",
                    syn::Item::Impl(imp) => !is_builder_constructor(imp),
                    _ => true,
                });
            }
            syn::visit_mut::visit_item_mod_mut(self, module);
        }

        fn visit_item_impl_mut(&mut self, imp: &mut syn::ItemImpl) {
            let name = match &*imp.self_ty {
                syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            };
            let outer = std::mem::replace(
                &mut self.body,
                name.and_then(|n| self.bodies.get(&n).cloned()),
            );
            syn::visit_mut::visit_item_impl_mut(self, imp);
            self.body = outer;
        }

        fn visit_impl_item_fn_mut(&mut self, method: &mut syn::ImplItemFn) {
            let outer = std::mem::replace(&mut self.in_body_setter, method.sig.ident == "body");
            syn::visit_mut::visit_impl_item_fn_mut(self, method);
            self.in_body_setter = outer;
        }

        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            if names.len() == 3 && names[0] == "types" && names[1] == "builder" {
                let last = path.segments.pop().unwrap().into_value();
                path.segments.pop();
                path.segments.push(last);
            }
            syn::visit_mut::visit_path_mut(self, path);
        }

        fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
            if let syn::Member::Named(ident) = &field.member
                && ident == "body"
                && let Some(body) = &self.body
                && !self.with_default.contains(body)
            {
                field.expr = syn::parse_quote! { Err("body was not initialized".to_string()) };
                return;
            }
            syn::visit_mut::visit_field_value_mut(self, field);
        }

        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let syn::Expr::MethodCall(call) = expr {
                // `.map(From::from)` in `body`: the value no longer becomes a builder.
                let from_from = call.method == "map"
                    && call.args.len() == 1
                    && quote::quote!(#call)
                        .to_string()
                        .ends_with("map (From :: from)");
                // `body.and_then(|v| types::X::try_from(v)...)` in `send`.
                let converts_back = call.method == "and_then"
                    && is_ident(&call.receiver, "body")
                    && quote::quote!(#call).to_string().contains(":: try_from (v)");
                if (from_from && self.in_body_setter) || converts_back {
                    *expr = (*call.receiver).clone();
                    self.visit_expr_mut(expr);
                    return;
                }
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }

    // Each operation builder's body type, read before any `impl` is visited.
    let mut bodies = std::collections::BTreeMap::new();
    for item in all_items(&file.items) {
        if let syn::Item::Struct(item) = item {
            for field in &item.fields {
                if field.ident.as_ref().is_some_and(|i| i == "body")
                    && let Some(name) = builder_type(&field.ty)
                {
                    bodies.insert(item.ident.to_string(), name);
                }
            }
        }
    }
    Strip {
        with_default: &with_default,
        body: None,
        bodies,
        in_body_setter: false,
    }
    .visit_file_mut(&mut file);
    file
}

/// Every item of `items`, those of inline modules included.
fn all_items(items: &[syn::Item]) -> Vec<&syn::Item> {
    let mut out = Vec::new();
    for item in items {
        out.push(item);
        if let syn::Item::Mod(module) = item
            && let Some((_, inner)) = &module.content
        {
            out.extend(all_items(inner));
        }
    }
    out
}

/// `impl X { pub fn builder() -> builder::X { ... } }`: typify's way to a type's builder.
fn is_builder_constructor(imp: &syn::ItemImpl) -> bool {
    imp.trait_.is_none()
        && !imp.items.is_empty()
        && imp
            .items
            .iter()
            .all(|item| matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == "builder"))
}

/// `X` of `Result<types::builder::X, String>`.
fn builder_type(ty: &syn::Type) -> Option<String> {
    let text = quote::quote!(#ty).to_string().replace(' ', "");
    let rest = text.strip_prefix("Result<types::builder::")?;
    Some(rest.split(',').next()?.to_owned())
}

fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("derive")
            && quote::quote!(#attr)
                .to_string()
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|word| word == name)
    })
}

/// The handwritten helper [`null_as_absent`] points fields at.
const NULL_OR_DEFAULT: &str = "crate::null::or_default";

/// Makes every optional field of the generated types read `null` as absent.
///
/// progenitor gives an optional field either an `Option` (which reads `null` as `None`) or, for
/// a list or map, the bare type with `#[serde(default)]`, which refuses `null`: one such field
/// sent as `null` then fails the whole response. Each of those fields gets
/// `deserialize_with = "crate::null::or_default"`, a handwritten helper that reads `null` as the
/// empty value. `default` still covers the absent field, and serialization is untouched.
///
/// A field with `default = "path"` (a spec `default`) or its own `with`/`deserialize_with` is
/// left alone: the helper would replace what those say.
pub fn null_as_absent(mut file: syn::File) -> syn::File {
    use syn::visit_mut::VisitMut;

    struct NullAsAbsent;

    impl VisitMut for NullAsAbsent {
        fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
            if derives_deserialize(&item.attrs) {
                for field in item.fields.iter_mut() {
                    if !is_option(&field.ty) {
                        for attr in &mut field.attrs {
                            read_null_as_default(attr);
                        }
                    }
                }
            }
            syn::visit_mut::visit_item_struct_mut(self, item);
        }
    }

    NullAsAbsent.visit_file_mut(&mut file);
    file
}

fn derives_deserialize(attrs: &[syn::Attribute]) -> bool {
    derives(attrs, "Deserialize")
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path)
        if path.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// Adds `deserialize_with` to a `#[serde(...)]` that has a bare `default` and no other way of
/// reading the field.
fn read_null_as_default(attr: &mut syn::Attribute) {
    use syn::punctuated::Punctuated;
    if !attr.path().is_ident("serde") {
        return;
    }
    let Ok(mut metas) =
        attr.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
    else {
        return;
    };
    let bare_default = metas
        .iter()
        .any(|m| matches!(m, syn::Meta::Path(p) if p.is_ident("default")));
    let own_reader = metas.iter().any(|m| {
        matches!(m, syn::Meta::NameValue(nv)
            if nv.path.is_ident("with") || nv.path.is_ident("deserialize_with"))
    });
    if bare_default && !own_reader {
        metas.push(syn::parse_quote!(deserialize_with = #NULL_OR_DEFAULT));
        *attr = syn::parse_quote!(#[serde(#metas)]);
    }
}

const HEADER_MAP: &str = "header_map";

/// progenitor's path parameter encoder, which [`client`] replaces.
const ENCODE_PATH: &str = "encode_path";

/// The name of the path parameter `value` holds, as its builder method is called: progenitor
/// passes `name.to_string()`; anything else is named by its own text.
fn parameter_name(value: &syn::Expr) -> String {
    if let syn::Expr::MethodCall(call) = value
        && call.method == "to_string"
        && let syn::Expr::Path(path) = &*call.receiver
        && let Some(ident) = path.path.get_ident()
    {
        return ident.to_string();
    }
    quote::quote!(#value).to_string()
}

fn is_ident(expr: &syn::Expr, name: &str) -> bool {
    matches!(expr, syn::Expr::Path(path) if path.path.is_ident(name))
}

/// `header_map.append(HeaderName::from_static("api-version"), ...);`
fn appends_api_version(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    call.method == "append"
        && is_ident(&call.receiver, HEADER_MAP)
        && call
            .args
            .first()
            .is_some_and(|name| quote::quote!(#name).to_string().contains("\"api-version\""))
}

/// Renders the adaptation table as Rust source (formatted by the caller).
pub fn render(spec: &Spec) -> String {
    let rows: String = comma_separated(spec)
        .iter()
        .map(|c| format!("({:?}, {:?}),", c.operation, c.parameter))
        .collect();
    format!(
        "/// Query parameters the API takes as one comma-separated value (`style: form`,\n\
         /// `explode: false` in the spec), as `(operation, parameter)`; the operation is named as\n\
         /// progenitor reports it to hooks.\n\
         pub(crate) const COMMA_SEPARATED_QUERY: &[(&str, &str)] = &[{rows}];\n"
    )
}

/// `getLibraryAlbums` → `get_library_albums`, as progenitor names operations.
pub fn snake_case(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 4);
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_comma_separated_parameters_of_the_spec() {
        let path = crate::workspace_root().join("spec/openapi.yaml");
        let spec = Spec::load(path).unwrap();
        let found: Vec<(String, String)> = comma_separated(&spec)
            .into_iter()
            .map(|c| (c.operation, c.parameter))
            .collect();
        assert_eq!(
            found,
            vec![
                ("get_albums".to_owned(), "ids".to_owned()),
                ("get_artists".to_owned(), "ids".to_owned()),
                ("get_library_albums".to_owned(), "albumIds".to_owned()),
            ]
        );
    }

    #[test]
    fn httpmock_path_matchers_match_the_encoded_value_literally() {
        let file: syn::File = syn::parse_quote! {
            impl RefreshWhen {
                pub fn session_id(self, value: &types::SessionId) -> Self {
                    let re = regex::Regex::new(
                        &format!("^/playback/sessions/{}/entities/.*$", value.to_string()),
                    )
                    .unwrap();
                    Self(self.0.path_matches(re))
                }
                pub fn limit(self, value: i32) -> Self {
                    Self(self.0.query_param("limit", format!("{}", value.to_string())))
                }
            }
        };
        let text: String = prettyplease::unparse(&httpmock(file))
            .split_whitespace()
            .collect();
        assert!(
            text.contains(r#"format!("^/playback/sessions/{}/entities/.*$",regex::escape(&crate::path::encode(&value.to_string())))"#),
            "{text}"
        );
        assert!(
            text.contains(r#"format!("{}",value.to_string())"#),
            "{text}"
        );
    }

    #[test]
    fn httpmock_list_matchers_become_comma_separated() {
        let file: syn::File = syn::parse_quote! {
            impl GetAlbumsWhen {
                pub fn ids(self, value: &::std::vec::Vec<types::CatalogId>) -> Self {
                    Self(self.0.query_param("ids", value.to_string()))
                }
                pub fn limit(self, value: i32) -> Self {
                    Self(self.0.query_param("limit", value.to_string()))
                }
            }
        };
        let text: String = prettyplease::unparse(&httpmock(file))
            .split_whitespace()
            .collect();
        assert!(
            text.contains(r#"query_param("ids",value.iter().map(|item|item.to_string()).collect::<Vec<_>>().join(",")"#),
            "{text}"
        );
        assert!(
            text.contains(r#"query_param("limit",value.to_string())"#),
            "{text}"
        );
    }

    #[test]
    fn the_default_http_client_follows_same_origin_redirects_only() {
        let file: syn::File = syn::parse_quote! {
            impl Client {
                pub fn new(baseurl: &str, inner: crate::Credentials) -> Self {
                    let client = reqwest::ClientBuilder::new().connect_timeout(dur);
                    Self::new_with_client(baseurl, client.build().unwrap(), inner)
                }
            }
        };
        let text: String = prettyplease::unparse(&client(file))
            .split_whitespace()
            .collect();
        assert!(
            text.contains("crate::redirect::client_builder().connect_timeout(dur)"),
            "{text}"
        );
        assert!(!text.contains("ClientBuilder::new"), "{text}");
    }

    #[test]
    fn the_api_version_header_is_not_built() {
        let file: syn::File = syn::parse_quote! {
            impl<'a> GetAlbum<'a> {
                pub async fn send(self) -> Result<(), ()> {
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                    header_map.append(
                        ::reqwest::header::HeaderName::from_static("api-version"),
                        ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                    );
                    let mut request = client.client.get(url).header(ACCEPT, json).headers(header_map).build()?;
                    Ok(())
                }
            }
        };
        let text: String = prettyplease::unparse(&client(file))
            .split_whitespace()
            .collect();
        assert!(!text.contains("api-version"), "{text}");
        assert!(!text.contains("header_map"), "{text}");
        assert!(
            text.contains("client.client.get(url).header(ACCEPT,json).build()?"),
            "{text}"
        );
    }

    #[test]
    fn every_path_parameter_is_checked_before_it_is_encoded() {
        let file: syn::File = syn::parse_quote! {
            impl<'a> GetEntity<'a> {
                pub async fn send(self) -> Result<(), ()> {
                    let url = format!(
                        "{}/playback/sessions/{}/entities/{}", client.baseurl,
                        encode_path(&session_id.to_string()), encode_path(&entity.to_string()),
                    );
                    Ok(())
                }
            }
        };
        let text: String = prettyplease::unparse(&client(file))
            .split_whitespace()
            .collect();
        for name in ["session_id", "entity"] {
            let checked = format!(
                "crate::path::segment(\"{name}\",&{name}.to_string()).map_err(Error::InvalidRequest)?"
            );
            assert!(text.contains(&checked), "{text}");
        }
        assert!(!text.contains("encode_path"), "{text}");
    }

    #[test]
    fn progenitors_path_encoder_leaves_the_imports() {
        let file: syn::File = syn::parse_quote! {
            use progenitor_client::{encode_path, ClientHooks, OperationInfo};
            pub mod builder {
                use super::{encode_path, ByteStream, Error};
            }
        };
        let text: String = prettyplease::unparse(&client(file))
            .split_whitespace()
            .collect();
        assert!(!text.contains("encode_path"), "{text}");
        assert!(
            text.contains("useprogenitor_client::{ClientHooks,OperationInfo};"),
            "{text}"
        );
        assert!(text.contains("usesuper::{ByteStream,Error};"), "{text}");
    }

    #[test]
    fn a_header_map_with_other_headers_is_kept() {
        let file: syn::File = syn::parse_quote! {
            impl<'a> Op<'a> {
                pub async fn send(self) -> Result<(), ()> {
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                    header_map.append(
                        ::reqwest::header::HeaderName::from_static("api-version"),
                        ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                    );
                    header_map.append("x-other", value.to_string().try_into()?);
                    let mut request = client.client.get(url).headers(header_map).build()?;
                    Ok(())
                }
            }
        };
        let text: String = prettyplease::unparse(&client(file))
            .split_whitespace()
            .collect();
        assert!(!text.contains("api-version"), "{text}");
        assert!(text.contains(r#"header_map.append("x-other""#), "{text}");
        assert!(text.contains(".headers(header_map)"), "{text}");
    }

    #[test]
    fn optional_lists_and_maps_read_null_as_absent_and_nothing_else_changes() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
                pub struct Album {
                    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                    pub artists: ::std::vec::Vec<Artist>,
                    #[serde(rename = "licenseHeaders", default, skip_serializing_if = "HashMap::is_empty")]
                    pub headers: ::std::collections::HashMap<String, String>,
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub title: ::std::option::Option<::std::string::String>,
                    #[serde(default = "defaults::limit")]
                    pub limit: i32,
                    #[serde(default, with = "custom")]
                    pub custom: Vec<u8>,
                    pub id: CatalogId,
                }
                pub mod builder {
                    #[derive(Clone, Debug)]
                    pub struct Album {
                        #[serde(default)]
                        artists: Vec<Artist>,
                    }
                }
            }
        };
        let text: String = prettyplease::unparse(&null_as_absent(file))
            .split_whitespace()
            .collect();
        let with = r#"deserialize_with="crate::null::or_default""#;
        assert!(
            text.contains(&format!(
                r#"#[serde(default,skip_serializing_if="::std::vec::Vec::is_empty",{with})]pubartists"#
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                r#"#[serde(rename="licenseHeaders",default,skip_serializing_if="HashMap::is_empty",{with})]pubheaders"#
            )),
            "{text}"
        );
        // An `Option` already reads null; a spec default, a custom reader, a required field and
        // a type that is never deserialized are not this adaptation's business.
        assert_eq!(text.matches(with).count(), 2, "{text}");
    }

    #[test]
    fn snake_case_matches_progenitor() {
        assert_eq!(snake_case("getAlbum"), "get_album");
        assert_eq!(
            snake_case("getActivePlaybackSessions"),
            "get_active_playback_sessions"
        );
        assert_eq!(snake_case("queueNext"), "queue_next");
    }
}
