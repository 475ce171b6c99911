//! The VietQR payloads motcua builds, decoded by an independent EMVCo parser: a few lines of
//! Python written here from the specification (TLV: 2-digit ID, 2-digit length, value), its CRC
//! computed by the standard library's `binascii.crc_hqx(data, 0xFFFF)` (CRC-16/CCITT-FALSE),
//! not by the `crc` crate. Every field is compared with what was asked for. Python 3 is
//! required: the test fails when it is missing (CI has it).

use std::io::Write;
use std::process::{Command, Stdio};

use motcua_core::vietqr::{BankAccount, payload, transfer_text};

const PARSER: &str = r#"
import binascii, json, sys

def tlv(text):
    out, i = [], 0
    while i < len(text):
        tag, length = text[i:i + 2], int(text[i + 2:i + 4])
        value = text[i + 4:i + 4 + length]
        if len(value) != length or not tag.isdigit():
            raise ValueError("truncated object " + tag)
        out.append((tag, value))
        i += 4 + length
    return out

results = []
for line in sys.stdin.read().splitlines():
    body, stated = line[:-4], line[-4:]
    assert body.endswith("6304"), "no CRC object last"
    crc = "%04X" % binascii.crc_hqx(body.encode("ascii"), 0xFFFF)
    top = tlv(line)
    tags = [t for t, _ in top]
    assert tags[0] == "00" and tags[-1] == "63", tags
    assert len(set(tags)) == len(tags), tags
    d = dict(top)
    m = dict(tlv(d["38"]))
    b = dict(tlv(m["01"]))
    a = dict(tlv(d["62"]))
    results.append({
        "crc_ok": crc == stated, "format": d["00"], "initiation": d["01"],
        "guid": m["00"], "bin": b["00"], "account": b["01"], "service": m["02"],
        "currency": d["53"], "amount": d["54"], "country": d["58"], "text": a["08"],
    })
print(json.dumps(results))
"#;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Runs the parser over `input` (one payload a line) and returns its JSON.
fn python(input: &str) -> Result<Vec<serde_json::Value>, Box<dyn std::error::Error>> {
    let mut child = Command::new("python3")
        .args(["-c", PARSER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3 is required for the independent VietQR check: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(input.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        return Err(format!("python3 failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

#[test]
fn python_decodes_every_payload_with_a_good_crc() -> TestResult {
    let accounts = [
        ("970415", "113000123456"),
        ("970436", "1017595600"),
        ("970418", "21110000123456789"),
        ("970405", "3900205123456"),
        ("970407", "19036612345678"),
    ];
    let codes = [
        "HO-XA-240520-0001",
        "VINH-LINH.TNMT-241231-0123",
        "000.00.12.H56-240520-0008",
        "CUA-TUNG-250101-9999",
    ];
    let amounts = [1_i64, 8_000, 50_000, 180_000, 1_250_000, 99_999_999_999];
    let mut cases = Vec::new();
    for (i, (bin, number)) in accounts.iter().enumerate() {
        for (j, code) in codes.iter().enumerate() {
            let amount = amounts[(i + j) % amounts.len()];
            let account =
                BankAccount::parse(bin, number, "UBND XA").map_err(|e| format!("{e:?}"))?;
            let text = transfer_text(code).ok_or("no transfer text")?;
            cases.push((account, amount, text));
        }
    }
    let input: String = cases
        .iter()
        .map(|(a, amount, text)| payload(a, *amount, text) + "\n")
        .collect();
    let decoded = python(&input)?;
    assert_eq!(decoded.len(), cases.len());
    for ((account, amount, text), d) in cases.iter().zip(&decoded) {
        let expected = serde_json::json!({
            "crc_ok": true, "format": "01", "initiation": "12", "guid": "A000000727",
            "bin": account.bin, "account": account.number, "service": "QRIBFTTA",
            "currency": "704", "amount": amount.to_string(), "country": "VN", "text": text,
        });
        assert_eq!(d, &expected);
    }
    Ok(())
}

#[test]
fn python_sees_a_tampered_payload_as_a_bad_crc() -> TestResult {
    let account =
        BankAccount::parse("970415", "113000123456", "UBND XA").map_err(|e| format!("{e:?}"))?;
    let good = payload(&account, 50_000, "HO-XA-240520-0001 LE PHI");
    // The amount 50000 becomes 60000: same length, so only the CRC can tell.
    let bad = good.replacen("540550000", "540560000", 1);
    assert_ne!(good, bad);
    let decoded = python(&format!("{good}\n{bad}\n"))?;
    assert_eq!(decoded[0]["crc_ok"], true);
    assert_eq!(decoded[1]["crc_ok"], false);
    Ok(())
}
