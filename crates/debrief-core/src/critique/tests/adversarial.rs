//! Inputs built to find quadratic work: one long line of `!`, one word, no
//! spaces, many tiny sentences, many speakers, deeply nested MIME. Each is
//! made at any size, so a test can run the largest reviewed and a timing
//! can watch how the time grows with the size.

/// `(name, text of about `size` bytes)` for each shape, messages first.
pub fn inputs(size: usize) -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let fill = |unit: &str| unit.repeat(size / unit.len()).into_bytes();
    vec![
        ("one line of '!'", "x.txt", fill("!")),
        ("one line of '.'", "x.txt", fill(".")),
        ("all one word", "x.txt", fill("a")),
        ("no spaces", "x.txt", fill("Save.it,now!You")),
        ("many tiny sentences", "x.txt", fill("Go. ")),
        ("many tiny lines", "x.txt", fill("Hi you\n")),
        ("abbreviations and initials", "x.txt", fill("e.g. J. Dr. ")),
        ("asks and urgency", "x.txt", fill("Reply today? Book a call now! ")),
        ("nested MIME", "x.eml", nested_mime(size)),
        ("many speakers", "x.txt", speakers(size)),
        ("one long turn", "x.txt", [b"Ann: Hi.\nBob: ".as_slice(), &fill("um, you know, ")].concat()),
        ("many cues", "x.vtt", cues(size)),
        (
            "objections never answered",
            "x.txt",
            [b"Rep: Hi.\n".as_slice(), &fill("Lee: That is too expensive.\n")].concat(),
        ),
        ("proposals never answered", "x.txt", fill("Ann: Can we meet Tuesday at 10?\nBob: Hmm.\n")),
        ("sign-offs and footers", "x.txt", fill("Best,\nUnsubscribe here\nhttps://a.example/x\n")),
        ("Zoom headings", "x.txt", fill("[Ann Lee] 10:00:01\nHi there.\n")),
        ("quoted-printable breaks", "x.eml", quoted_printable(size)),
    ]
}

/// A quoted-printable UTF-8 body of escapes and soft line breaks.
fn quoted_printable(size: usize) -> Vec<u8> {
    let head = "From: a@b.c\nSubject: Hi\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n";
    let unit = "Your team saves a day=E2=80=99s work and the caf=C3=A9 is open.=\n";
    let body = unit.repeat(size.saturating_sub(head.len()) / unit.len());
    format!("{head}{body}\n").into_bytes()
}

/// Multipart parts nested in each other as deep as the size allows.
fn nested_mime(size: usize) -> Vec<u8> {
    let mut head = String::from("From: a@b.c\nTo: d@e.f\nSubject: Hi\nMIME-Version: 1.0\n");
    let mut tails = Vec::new();
    let mut depth = 0;
    while head.len() + tails.len() * 12 + 120 < size {
        head.push_str(&format!("Content-Type: multipart/mixed; boundary=b{depth}\n\n--b{depth}\n"));
        tails.push(format!("\n--b{depth}--\n"));
        depth += 1;
    }
    head.push_str("Content-Type: text/plain; charset=utf-8\n\nYou save a day. Can we talk Tuesday?\n");
    tails.iter().rev().for_each(|t| head.push_str(t));
    head.into_bytes()
}

/// A new speaker on every line.
fn speakers(size: usize) -> Vec<u8> {
    let mut out = String::new();
    let mut i = 0;
    while out.len() < size {
        out.push_str(&format!("Speaker {i}: Hi, can we talk?\n"));
        i += 1;
    }
    out.into_bytes()
}

/// WebVTT cues of one word each, two speakers taking turns.
fn cues(size: usize) -> Vec<u8> {
    let mut out = String::from("WEBVTT\n\n");
    let mut i = 0u64;
    while out.len() < size {
        let who = if i.is_multiple_of(2) { "Ann" } else { "Bob" };
        out.push_str(&format!(
            "{:02}:{:02}.000 --> {:02}:{:02}.500\n<v {who}>Yes?\n\n",
            i / 60 % 60,
            i % 60,
            i / 60 % 60,
            i % 60
        ));
        i += 1;
    }
    out.into_bytes()
}

/// Apologies built the same way: `(name, text of about `size` bytes)`.
pub fn apologies(size: usize) -> Vec<(&'static str, String)> {
    let fill = |unit: &str| unit.repeat(size / unit.len());
    vec![
        ("one line of '!'", fill("!")),
        ("all one word", fill("a")),
        ("one long sentence", fill("sorry but the traffic and ")),
        ("many tiny sentences", fill("Sorry. ")),
        ("excuses everywhere", fill("I'm sorry, but the system was down because my colleague forgot. ")),
        ("owning everywhere", fill("I forgot, that's on me and I will fix it; ")),
    ]
}
