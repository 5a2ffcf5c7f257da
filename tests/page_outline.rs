//! The page outline a page snapshot compares: the same for markup and CSS changes a person would
//! not notice, different for what a person would.

mod common;

use common::*;

const SEMANTIC: &str = r#"<!doctype html><html><body>
<nav aria-label="Main Menu"><a href="/summary" aria-current="page">Summary</a><a href="/cluster">Enterprise Cluster</a></nav>
<main><h1>Summary</h1>
<section aria-labelledby="v"><h2 id="v">Palette version</h2><p>4.8.33</p><p>You are using the latest version of Palette</p></section>
<div role="tablist"><button role="tab" aria-selected="true">Overview</button><button role="tab" aria-selected="false">Profile</button></div>
<label for="u">Username</label><input id="u" value="admin">
<button>Update</button></main></body></html>"#;

// The same page as a person sees it: other wrappers, classes, inline spans and styling.
const RESTYLED: &str = r#"<!doctype html><html><head><style>.x{color:#333;padding:4px}.card{border:1px solid #ccc;margin:9px}</style></head><body>
<div class="shell"><div class="side"><nav aria-label="Main Menu"><div class="x"><a class="item" href="/summary" aria-current="page"><span>Summary</span></a></div><div><a href="/cluster"><span>Enterprise</span> <span>Cluster</span></a></div></nav></div>
<main class="content"><div class="header"><h1 class="title">Summary</h1></div>
<div class="grid"><section class="card" aria-labelledby="v"><div class="card-head"><h2 id="v">Palette version</h2></div><div class="card-body"><p><b>4.8.33</b></p><p>You are using the <em>latest</em> version of Palette</p></div></section></div>
<div role="tablist" class="tabs"><button class="tab" role="tab" aria-selected="true">Overview</button><button class="tab" role="tab" aria-selected="false">Profile</button></div>
<div class="field"><label for="u">Username</label><div class="wrap"><input id="u" class="input" value="admin"></div></div>
<div class="actions"><button class="primary">Update</button></div></main></div></body></html>"#;

fn outline(html: &str) -> String {
    let url = serve_page(html.to_string());
    run_expecting(binary().args(["outline", &url]), 0)
}

#[test]
fn restyled_markup_gives_the_same_outline_and_reworded_text_does_not() {
    let semantic = outline(SEMANTIC);
    assert!(
        semantic.contains("- navigation \"Main Menu\":\n  - link \"Summary\" [current=page]"),
        "{semantic}"
    );
    assert!(
        semantic.contains("- tab \"Overview\" [selected]"),
        "{semantic}"
    );
    assert!(
        semantic.contains("- textbox \"Username\": \"admin\""),
        "{semantic}"
    );
    assert_eq!(outline(RESTYLED), semantic);
    let reworded = outline(&SEMANTIC.replace("latest version", "newest version"));
    assert_ne!(reworded, semantic);
}
