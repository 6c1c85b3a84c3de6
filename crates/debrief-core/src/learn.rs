//! Small linear models learned from labeled text, shared by the judgments
//! that read words (the benefit / feature / neither model, the apology
//! model): softmax regression over named inputs (words, pairs of words,
//! hand-rule scores, shape cues, closeness in meaning), weights read from a
//! committed text file, every verdict explained by the words that weighed
//! most for it.
//!
//! Training ([`fit`], tests only) is full batch, AdaGrad from zero, L2 on
//! every weight but the bias, a fixed number of steps, rows and inputs in a
//! fixed order and `libm`'s `exp`: the same weights on every machine,
//! rounded to three decimals. Inputs seen in fewer than [`Fit::min_count`]
//! training rows are left out.

use std::collections::HashMap;

/// One input of a model: its name and value. Word inputs are named `w:word`,
/// pairs `b:word word`; the bias is `bias`.
pub type Input = (String, f32);

/// Reads `input<TAB>w1<TAB>…<TAB>wK` lines; `#` lines are comments. A line
/// that does not read is skipped (each model's tests check that none is).
pub fn parse<const K: usize>(text: &str) -> HashMap<&str, [f32; K]> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let name = cols.next()?;
            let mut w = [0.0f32; K];
            for slot in &mut w {
                *slot = cols.next()?.parse().ok()?;
            }
            Some((name, w))
        })
        .collect()
}

/// The class scores (before the softmax) of `inputs` under `weights`.
pub fn scores<const K: usize>(inputs: &[Input], weights: &HashMap<&str, [f32; K]>) -> [f64; K] {
    let mut z = [0.0f64; K];
    for (name, x) in inputs {
        if let Some(w) = weights.get(name.as_str()) {
            for (zc, wc) in z.iter_mut().zip(w) {
                *zc += f64::from(*wc) * f64::from(*x);
            }
        }
    }
    z
}

/// Softmax of the scores.
pub fn softmax<const K: usize>(z: [f64; K]) -> [f64; K] {
    let top = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e = z.map(|v| libm::exp(v - top));
    let sum: f64 = e.iter().sum();
    e.map(|v| v / sum)
}

/// The most probable class (the first of equals).
pub fn best<const K: usize>(p: &[f64; K]) -> usize {
    (0..K).max_by(|&a, &b| p[a].total_cmp(&p[b]).then(b.cmp(&a))).unwrap_or(0)
}

/// The words (or pairs) among `inputs` that weighed most towards `class`
/// against the other classes, strongest first, at most `n`, leaving out
/// `function_words` and pairs made only of them, and a pair whose word is
/// already said (or the other way round).
pub fn because<const K: usize>(
    inputs: &[Input],
    weights: &HashMap<&str, [f32; K]>,
    class: usize,
    function_words: &[&str],
    n: usize,
) -> Vec<String> {
    let mut weighed: Vec<(f32, &str)> = inputs
        .iter()
        .filter_map(|(name, x)| {
            let word = name.strip_prefix("w:").or_else(|| name.strip_prefix("b:"))?;
            if word.split(' ').all(|w| function_words.contains(&w)) {
                return None;
            }
            let w = weights.get(name.as_str())?;
            let others = (w.iter().sum::<f32>() - w[class]) / (K - 1).max(1) as f32;
            Some(((w[class] - others) * x, word))
        })
        .filter(|(lead, _)| *lead > 0.1)
        .collect();
    weighed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, word) in weighed {
        if out.iter().any(|b| b.contains(word) || word.contains(b.as_str())) {
            continue;
        }
        out.push(word.to_string());
        if out.len() == n {
            break;
        }
    }
    out
}

/// How a model is fitted.
#[cfg(test)]
#[derive(Clone, Copy, Debug)]
pub struct Fit {
    pub steps: usize,
    pub rate: f64,
    pub l2: f64,
    pub min_count: usize,
}

/// Fits the weights to `rows` (inputs and the right class): by input name, rounded.
#[cfg(test)]
pub fn fit<const K: usize>(rows: &[(Vec<Input>, usize)], how: Fit) -> std::collections::BTreeMap<String, [f64; K]> {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (inputs, _) in rows {
        for (name, _) in inputs {
            *counts.entry(name.as_str()).or_default() += 1;
        }
    }
    let names: Vec<&str> = counts.iter().filter(|(_, n)| **n >= how.min_count).map(|(name, _)| *name).collect();
    let at: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let data: Vec<(Vec<(usize, f64)>, usize)> = rows
        .iter()
        .map(|(inputs, y)| {
            let x = inputs.iter().filter_map(|(n, v)| Some((*at.get(n.as_str())?, f64::from(*v)))).collect();
            (x, *y)
        })
        .collect();
    let biased: Vec<bool> = names.iter().map(|n| *n == "bias").collect();
    let n = data.len().max(1) as f64;
    let mut w = vec![[0.0f64; K]; names.len()];
    let mut g2 = vec![[0.0f64; K]; names.len()];
    for _ in 0..how.steps {
        let mut grad = vec![[0.0f64; K]; names.len()];
        for (x, y) in &data {
            let mut z = [0.0f64; K];
            for (i, v) in x {
                for c in 0..K {
                    z[c] += w[*i][c] * v;
                }
            }
            let p = softmax(z);
            for (i, v) in x {
                for c in 0..K {
                    grad[*i][c] += (p[c] - f64::from(u8::from(c == *y))) * v;
                }
            }
        }
        for i in 0..names.len() {
            for c in 0..K {
                let decay = if biased[i] { 0.0 } else { how.l2 * w[i][c] };
                let g = grad[i][c] / n + decay;
                g2[i][c] += g * g;
                w[i][c] -= how.rate * g / (g2[i][c].sqrt() + 1e-8);
            }
        }
    }
    names
        .iter()
        .zip(&w)
        .map(|(name, w)| (name.to_string(), w.map(|x| (x * 1000.0).round() / 1000.0)))
        .filter(|(_, w)| w.iter().any(|x| *x != 0.0))
        .collect()
}

/// The weights file's text: `header` (comment lines), then a line per input.
#[cfg(test)]
pub fn render<const K: usize>(header: &str, weights: &std::collections::BTreeMap<String, [f64; K]>) -> String {
    let mut out = String::from(header);
    for (name, w) in weights {
        out.push_str(name);
        for x in w {
            out.push('\t');
            out.push_str(&x.to_string());
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(words: &[&str], y: usize) -> (Vec<Input>, usize) {
        let mut inputs: Vec<Input> = vec![("bias".into(), 1.0)];
        inputs.extend(words.iter().map(|w| (format!("w:{w}"), 1.0)));
        (inputs, y)
    }

    #[test]
    fn a_fitted_model_separates_what_it_was_shown_and_reads_back() {
        let rows = [row(&["good", "fine"], 0), row(&["good"], 0), row(&["bad", "awful"], 1), row(&["bad"], 1)];
        let how = Fit { steps: 200, rate: 0.3, l2: 0.0, min_count: 1 };
        let weights = fit::<2>(&rows, how);
        let text = render("# test\n", &weights);
        let parsed = parse::<2>(&text);
        assert_eq!(parsed.len(), weights.len());
        for (inputs, y) in &rows {
            assert_eq!(best(&softmax(scores(inputs, &parsed))), *y);
        }
        let said = because(&rows[2].0, &parsed, 1, &["the"], 3);
        assert!(said.contains(&"bad".to_string()), "{said:?}");
        assert_eq!(fit::<2>(&rows, how), weights, "the same weights every time");
    }
}
