use super::*;

/// A small deterministic generator (an LCG), so a failure reproduces from its seed.
struct Random(u64);

impl Random {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[derive(Clone)]
enum Value {
    Scalar(String),
    Map(Vec<(String, Value)>),
    List(Vec<Value>),
}

fn scalar(random: &mut Random) -> String {
    match random.next(5) {
        0 => format!(
            "\"{}.{}.{}\"",
            random.next(3),
            random.next(30),
            random.next(40)
        ),
        1 => format!("'{}'", random.next(2000)),
        2 => format!("10.{}.0.0/16", random.next(250)),
        3 => "true".to_string(),
        _ => format!("word{}", random.next(100)),
    }
}

fn value(random: &mut Random, depth: u32) -> Value {
    match if depth > 2 { 0 } else { random.next(4) } {
        0 | 1 => Value::Scalar(scalar(random)),
        2 => Value::Map(
            (0..1 + random.next(4))
                .map(|index| (format!("key{index}"), value(random, depth + 1)))
                .collect(),
        ),
        _ if random.next(2) == 0 => Value::List(
            (0..1 + random.next(3))
                .map(|_| Value::Scalar(scalar(random)))
                .collect(),
        ),
        _ => Value::List(
            (0..1 + random.next(3))
                .map(|index| named(random, &format!("item{index}")))
                .collect(),
        ),
    }
}

/// A list item with a name, as volumes and files are.
fn named(random: &mut Random, name: &str) -> Value {
    Value::Map(vec![
        ("name".to_string(), Value::Scalar(name.to_string())),
        ("path".to_string(), Value::Scalar(scalar(random))),
    ])
}

/// The installation changes some values and adds keys; the upgrade changes others and adds
/// its own keys.
fn mutate(random: &mut Random, value: &Value, tag: &str) -> Value {
    match value {
        Value::Scalar(_) if random.next(4) == 0 => Value::Scalar(scalar(random)),
        Value::Scalar(text) => Value::Scalar(text.clone()),
        Value::Map(entries) => {
            let mut entries: Vec<(String, Value)> = entries
                .iter()
                .map(|(key, value)| (key.clone(), mutate(random, value, tag)))
                .collect();
            if random.next(3) == 0 {
                entries.push((format!("{tag}{}", random.next(9)), value_leaf(random)));
            }
            dedupe(entries)
        }
        Value::List(items) => {
            let named_items = matches!(items.first(), Some(Value::Map(_)));
            let mut items: Vec<Value> = items
                .iter()
                .map(|item| match item {
                    // A name stays what it is; the rest of the item may change.
                    Value::Map(entries) => Value::Map(
                        entries
                            .iter()
                            .map(|(key, value)| match key.as_str() {
                                "name" => (key.clone(), value.clone()),
                                _ => (key.clone(), mutate(random, value, tag)),
                            })
                            .collect(),
                    ),
                    other => mutate(random, other, tag),
                })
                .collect();
            if random.next(4) == 0 {
                let added = if named_items {
                    let name = format!("{tag}-item{}", random.next(1000));
                    named(random, &name)
                } else {
                    Value::Scalar(scalar(random))
                };
                // Added at the front or the end: named items are paired by name.
                if random.next(2) == 0 {
                    items.insert(0, added)
                } else {
                    items.push(added)
                }
            }
            Value::List(items)
        }
    }
}

fn value_leaf(random: &mut Random) -> Value {
    if random.next(2) == 0 {
        Value::Scalar(scalar(random))
    } else {
        Value::Map(vec![("inner".to_string(), Value::Scalar(scalar(random)))])
    }
}

fn dedupe(entries: Vec<(String, Value)>) -> Value {
    let mut seen = Vec::new();
    Value::Map(
        entries
            .into_iter()
            .filter(|(key, _)| {
                let new = !seen.contains(key);
                seen.push(key.clone());
                new
            })
            .collect(),
    )
}

fn render(value: &Value, indent: usize, step: usize, dash_indented: bool, out: &mut String) {
    if let Value::Map(entries) = value {
        for (key, child) in entries {
            render_entry(key, child, indent, step, dash_indented, out);
        }
    }
}

fn render_entry(
    key: &str,
    value: &Value,
    indent: usize,
    step: usize,
    dash_indented: bool,
    out: &mut String,
) {
    let pad = " ".repeat(indent);
    match value {
        Value::Scalar(text) => out.push_str(&format!("{pad}{key}: {text}\n")),
        Value::Map(_) => {
            out.push_str(&format!("{pad}{key}:\n"));
            render(value, indent + step, step, dash_indented, out);
        }
        Value::List(items) => {
            out.push_str(&format!("{pad}{key}: # a list\n"));
            let dash = if dash_indented { indent + step } else { indent };
            for item in items {
                match item {
                    Value::Scalar(text) => out.push_str(&format!("{}- {text}\n", " ".repeat(dash))),
                    Value::Map(entries) => {
                        for (index, (key, value)) in entries.iter().enumerate() {
                            let lead = if index == 0 {
                                format!("{}- ", " ".repeat(dash))
                            } else {
                                " ".repeat(dash + 2)
                            };
                            if let Value::Scalar(text) = value {
                                out.push_str(&format!("{lead}{key}: {text}\n"));
                            }
                        }
                    }
                    Value::List(_) => {}
                }
            }
        }
    }
}

#[test]
fn merges_of_random_documents_carry_every_customization() {
    for seed in 0..1000u64 {
        let mut random = Random(seed);
        let base = Value::Map(
            (0..2 + random.next(4))
                .map(|index| (format!("top{index}"), value(&mut random, 0)))
                .collect(),
        );
        let current = mutate(&mut random, &base, "mine");
        let incoming = mutate(&mut random, &base, "new");
        let (mut current_text, mut incoming_text) = (String::new(), String::new());
        render(&current, 0, 2, random.next(2) == 0, &mut current_text);
        render(
            &incoming,
            0,
            2 + 2 * random.next(2) as usize,
            random.next(2) == 0,
            &mut incoming_text,
        );
        let merged = merge(&incoming_text, &current_text, &Keeping::Customizations)
            .unwrap_or_else(|error| panic!("seed {seed}: {error}\n--- incoming\n{incoming_text}--- current\n{current_text}"));
        assert!(
            merged.not_carried.is_empty(),
            "seed {seed}: {:?}\n--- incoming\n{incoming_text}--- current\n{current_text}",
            merged.not_carried
        );
        let customizations = merged
            .proposal
            .iter()
            .filter(|row| row.classification == "customization")
            .count();
        assert_eq!(merged.carried.len(), customizations, "seed {seed}");
    }
}
